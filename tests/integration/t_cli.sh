#!/usr/bin/env bash
# The command line: help, version, usage errors and their exit codes.
. "$(dirname "$0")/lib.sh"

run --version
eq "--version exits 0" "$rc" 0
contains "--version names the program" "$out" "is248 "

run --help
eq "--help exits 0" "$rc" 0
contains "--help lists import" "$out" "import     load deliveries"
contains "--help documents exit code 4" "$out" "4  another import is running"

for cmd in migrate import validate trends demo; do
    run "$cmd" --help
    eq "$cmd --help exits 0" "$rc" 0
    contains "$cmd --help shows its usage" "$out" "Usage: is248 $cmd"
done

run frobnicate
eq "unknown command exits 2" "$rc" 2
contains "unknown command is named" "$err" "unknown command 'frobnicate'"
contains "points to --help" "$err" 'Try "is248 --help"'

run import --bogus x
eq "unknown option exits 2" "$rc" 2
contains "unknown option is named" "$err" "unknown option '--bogus'"

# the option named is the one refused, wherever it stands (in "-rf" getopt
# is still on the word before it)
for args in "validate -rf x" "-qr validate x" "validate x -vr"; do
    run $args
    eq "is248 $args: exit 2" "$rc" 2
    contains "is248 $args: names -r" "$err" "unknown option '-r'"
done
run validate --quiet=yes x
eq "a value for an option that takes none: exit 2" "$rc" 2
contains "... saying so" "$err" "option '--quiet' takes no value"
run validate --bogus=1 x
contains "an unknown option with a value is named without it" "$err" "unknown option '--bogus'"
run trends --ch x.svg
eq "an ambiguous abbreviation: exit 2" "$rc" 2
contains "... saying so" "$err" "ambiguous option '--ch'"
# an abbreviated option before the command takes its value (the value is
# not taken for the command)
run --form xml trends
eq "--form xml trends: exit 2" "$rc" 2
contains "... for the format, not an unknown command 'xml'" "$err" "unknown --format 'xml'"

# options after the operands, also where getopt would stop at the first
# operand (POSIXLY_CORRECT); after "--" everything is an operand
POSIXLY_CORRECT=1 run validate "$SRC/fixtures/spec-examples" --quiet
eq "POSIXLY_CORRECT: an option after the path still counts (exit 0, quiet)" "$rc $err" "0 "
run validate -- -q
contains "after --, -q is a path" "$out" "'-q'"

run import
eq "import without a path exits 2" "$rc" 2

run validate --db "dbname=x" "$SRC/fixtures/spec-examples"
eq "an option that does not apply exits 2" "$rc" 2

run import --max-entry-bytes 12X "$SRC/fixtures/spec-examples"
eq "a malformed size exits 2" "$rc" 2
contains "the size is named" "$err" "invalid size '12X'"

run
eq "no command exits 2" "$rc" 2

# import into a database that was never migrated: configuration error
run import "$SRC/fixtures/spec-examples"
eq "import before migrate exits 2" "$rc" 2
contains "import before migrate says what to do" "$err" "run 'is248 migrate' first"

# a database that does not answer
run trends --db "host=$WORK port=1 dbname=nothing connect_timeout=2"
eq "unreachable database exits 3" "$rc" 3
contains "unreachable database is explained" "$err" "cannot connect to the database"

# a password on the command line is refused, as a string or in a URI
for db in "dbname=x password=secret" "postgresql://u:secret@localhost/x"; do
    run trends --db "$db"
    eq "a password in --db is refused ($db)" "$rc" 2
    contains "the refusal says where passwords go" "$err" "must not hold a password"
done

# a --db libpq cannot parse, or with a keyword it does not know: a usage
# error, before any connection is tried, with libpq's reason (and without
# repeating the string, which may hold a password)
for db in "dbname=x passwd=secret" "host=h dbname='x" "postgresql://h/x?passwd=secret"; do
    run trends --db "$db"
    eq "--db \"$db\": exit 2" "$rc" 2
    contains "... saying libpq does not accept it" "$err" "--db is not a connection string libpq accepts: "
    ok "... without repeating it" bash -c '! grep -q secret <<<"$1"' _ "$err"
done
contains "... with libpq's reason" "$(run trends --db "dbname=x passwd=x"; echo "$err")" 'invalid connection option "passwd"'

# validate needs no database
run validate "$SRC/fixtures/spec-examples"
eq "validate of the spec examples exits 0" "$rc" 0
contains "validate counts the reports" "$err" "reports: 4 would load"

# a path that does not exist: set aside like any unreadable file, and
# counted as a file in the summary
run validate "$WORK/no-such-delivery.zip"
eq "validate of a path that does not exist exits 1" "$rc" 1
contains "... says why" "$out" "file set aside: cannot open: No such file or directory"
contains "... and counts it" "$err" "1 file(s): 1 would be set aside"

finish
