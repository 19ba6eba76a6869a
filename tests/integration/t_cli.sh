#!/usr/bin/env bash
# The command line: help, version, usage errors and their exit codes.
. "$(dirname "$0")/lib.sh"

run --version
eq "--version exits 0" "$rc" 0
contains "--version names the program" "$out" "is248 "

run --help
eq "--help exits 0" "$rc" 0
contains "--help lists import" "$out" "import     load deliveries"
contains "--help documents exit code 4" "$out" "4  another import holds the lock"
help=$out

# "help" and "version" are commands too
run help
eq "is248 help exits 0" "$rc" 0
eq "... and prints what --help prints" "$out" "$help"
run version
eq "is248 version exits 0" "$rc" 0
eq "... and prints what --version prints" "$out" "$("$IS248" --version)"

for cmd in migrate import validate trends report demo status help version; do
    run "$cmd" --help
    eq "$cmd --help exits 0" "$rc" 0
    contains "$cmd --help shows its usage" "$out" "Usage: is248 $cmd"
    contains "$cmd --help lists its exit codes" "$out" "Exit status:"
    eq "is248 help $cmd prints the same" "$(run help "$cmd"; echo "$out")" "$out"
done
# each command's exit codes, as its help lists them
codes() { run "$1" --help; awk '/^Exit status:/ { on = 1; next } on && /^  [0-9]  / { printf "%s", $1 }' <<<"$out"; }
eq "import uses every code" "$(codes import)" 0123456
eq "validate: no database, no lock" "$(codes validate)" 01256
eq "migrate" "$(codes migrate)" 0236
eq "status" "$(codes status)" 0236
eq "trends" "$(codes trends)" 01236
eq "report" "$(codes report)" 01236
contains "validate says what its 1 means" "$(run validate --help; echo "$out")" "1  something would be set aside"
contains "report says what its 1 means" "$(run report --help; echo "$out")" "1  no reports for YEAR"
contains "trends says what its 1 means" "$(run trends --help; echo "$out")" "1  --chart: no figure to draw"

run frobnicate
eq "unknown command exits 2" "$rc" 2
contains "unknown command is named" "$err" "is248: error: unknown command 'frobnicate'"
contains "points to --help" "$err" 'Try "is248 --help"'
ok "... and suggests nothing far off" bash -c '! grep -q "did you mean" <<<"$1"' _ "$err"

# a mistyped command or long option: the closest, as git suggests
for typo in imprt improt stauts trend; do
    run "$typo" x
    eq "is248 $typo: exit 2" "$rc" 2
done
contains "is248 imprt: did you mean" "$(run imprt x; echo "$err")" "is248: error: unknown command 'imprt'; did you mean 'import'?"
contains "is248 stauts: did you mean" "$(run stauts; echo "$err")" "unknown command 'stauts'; did you mean 'status'?"
run help imprt
eq "is248 help imprt: exit 2" "$rc" 2
contains "... with a suggestion" "$err" "unknown command 'imprt'; did you mean 'import'?"
run import --josn-summary x.json "$SRC/fixtures/spec-examples"
eq "a mistyped long option: exit 2" "$rc" 2
contains "... with a suggestion" "$err" "is248: error: unknown option '--josn-summary'; did you mean '--json-summary'?"
run trends --chrat x.svg
contains "--chrat: did you mean --chart" "$err" "unknown option '--chrat'; did you mean '--chart'?"

run import --bogus x
eq "unknown option exits 2" "$rc" 2
contains "unknown option is named" "$err" "is248: error: unknown option '--bogus'"

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
contains "... saying so, and which it could be" "$err" "ambiguous option '--ch': '--chart', '--chart-dir'"
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
contains "after --, -q is a path" "$err" "cannot read '-q': No such file or directory"

run import
eq "import without a path exits 2" "$rc" 2
contains "... saying so" "$err" "is248: error: too few operands for 'import'"
contains "... with the usage" "$err" "Usage: is248 import"

run validate --db "dbname=x" "$SRC/fixtures/spec-examples"
eq "an option that does not apply exits 2" "$rc" 2
contains "... naming it" "$err" "is248: error: option '--db' does not apply to 'validate'"
run validate --max-entries 5 --years 2019 "$SRC/fixtures/spec-examples"
contains "... the one that does not apply" "$err" "option '--years' does not apply to 'validate'"

run import --max-entry-bytes 12X "$SRC/fixtures/spec-examples"
eq "a malformed size exits 2" "$rc" 2
contains "the size is named" "$err" "invalid size '12X'"

run
eq "no command exits 2" "$rc" 2
eq "... printing nothing on stdout" "$out" ""
contains "... saying so on stderr" "$err" "is248: error: no command given"
contains "... with a short usage" "$err" "Usage: is248 COMMAND [OPTION]... [PATH]..."
ok "... not the whole help" test "$(wc -l <<<"$err")" -le 5
run -q
eq "options without a command: exit 2 too" "$rc" 2

# every error has the same prefix
for args in "--bogus" "frobnicate" "import" "validate --db x=1 y" "trends --format xml" "validate --max-entries 12X x"; do
    run $args
    eq "is248 $args: the first line is an error" "$(head -n 1 <<<"$err" | cut -c1-14)" "is248: error: "
done

# import into a database that was never migrated: configuration error
run import "$SRC/fixtures/spec-examples"
eq "import before migrate exits 2" "$rc" 2
contains "import before migrate says what to do" "$err" "run 'is248 migrate' first"

# a database that does not answer
run trends --db "host=$NO_SERVER port=1 dbname=nothing connect_timeout=2"
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

# a path that does not exist: a usage error before anything is read, for
# validate as for import (t_exit_codes.sh), each such path named; the
# paths that do exist are not read either
run validate "$SRC/fixtures/spec-examples" "$WORK/no-such-delivery.zip" "$WORK/nor-this/"
eq "validate of a path that does not exist exits 2" "$rc" 2
contains "... says why" "$err" "is248: error: cannot read '$WORK/no-such-delivery.zip': No such file or directory"
contains "... for each" "$err" "is248: error: cannot read '$WORK/nor-this/': No such file or directory"
eq "... and reads nothing" "$out" ""
# a name with a control character is shown escaped
run validate "$WORK/no"$'\e'"[2J"
contains "... escaped" "$err" "cannot read '$WORK/no\\x1B[2J'"

# -v: import adds a line per entry skipped and per batch committed
run migrate -q
run import --batch 50 "$SRC/fixtures/delivery"
eq "an import without -v exits 0" "$rc" 0
ok "... without a line per batch" bash -c '! grep -q "committed" <<<"$1"' _ "$err"
ok "... or per entry skipped" bash -c '! grep -q "skipped: not a report" <<<"$1"' _ "$err"
nfiles=$(find "$SRC/fixtures/delivery" -name '*.xml' | wc -l)
q "TRUNCATE is248.import_run, is248.source_file, is248.report, is248.rejection, is248.warning, is248.skipped_entry, is248.delivery, is248.delivery_piece"
run import -v --batch 50 "$SRC/fixtures/delivery"
eq "import -v exits 0" "$rc" 0
eq "... a line per batch of 50 files" "$(grep -c '^is248: batch [0-9]* committed: ' <<<"$err")" $(((nfiles + 49) / 50))
contains "... numbered, with its files, bytes and time" "$err" "is248: batch 1 committed: 50 file(s), "
contains "... and the entry skipped" "$err" "is248: '$SRC/fixtures/delivery/README.txt': skipped: not a report"
eq "... and still every file's line" "$(grep -c ': loaded: ' <<<"$err")" "$nfiles"
run import -v "$SRC/fixtures/delivery"
eq "again, -v: every file's line, already loaded too" "$(grep -c ': already loaded (from ' <<<"$err")" "$nfiles"
run import -q -v "$SRC/fixtures/delivery"
eq "the last of -q and -v counts" "$(grep -c ': already loaded (from ' <<<"$err")" "$nfiles"

# the docs show the summary's time as is248 prints it ("0.412 s")
run import "$SRC/fixtures/delivery"
ok "is248 prints the time as '0.123 s'" grep -qE '\| [0-9]+\.[0-9]{3} s$' <<<"$out"
for doc in README.md docs/operator-guide.md; do
    ok "$doc shows it so" grep -qE '\| [0-9]+\.[0-9]{3} s$' "$SRC/$doc"
    ok "... never as '0.412s'" bash -c '! grep -qE "\| [0-9]+\.[0-9]{3}s$" "$1"' _ "$SRC/$doc"
done

finish
