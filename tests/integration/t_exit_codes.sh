#!/usr/bin/env bash
# Every exit code of is248, each provoked for real (issue 13): what an
# operator's cron or systemd unit sees, with --json-summary agreeing.  And
# the table of codes is the same in --help, README.md and the operator
# guide (t_man.sh compares the man page).
#
#   0  an import, and the same again (already loaded counts as loaded)
#   1  a file set aside
#   2  a bad option; a PATH that does not exist or cannot be read; an
#      unknown service; a role or database that does not exist; a password
#      in --db or PGPASSWORD; a password file or a service file holding a
#      password that others can read; a login not in is248_loader importing,
#      one not the schema's owner migrating
#   3  a server that is down (a socket directory with none, a TCP port with
#      nothing listening)
#   4  another import holding the lock (a real one, held by a FIFO)
#   5  that import, sent SIGTERM
#   6  standard output that cannot be written (a private /dev/full); out of
#      memory is not provoked
#
# libpq's files are looked for in $WORK only: HOME, PGSYSCONFDIR,
# PGSERVICEFILE and PGPASSFILE point there, never at the machine's.
. "$(dirname "$0")/lib.sh"

mkdir -p "$WORK/home" "$WORK/etc"
export HOME="$WORK/home" PGSYSCONFDIR="$WORK/etc"
unset PGSERVICE PGSERVICEFILE PGPASSFILE PGPASSWORD
fixtures="$SRC/fixtures/delivery"
bad="$SRC/fixtures/defects/xml/doctype-xxe.xml"

# json_code: the exit code the last --json-summary "$WORK/s.json" recorded
json_code() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["exit_code"])' "$WORK/s.json"; }
# code N ARGS...: run is248 ARGS with --json-summary (import) and check
# that it exits N and that the summary says N
code() {
    local want=$1; shift
    rm -f "$WORK/s.json"
    run "$@"
    eq "is248 $*: exit $want" "$rc" "$want"
}

run migrate
eq "migrate: exit 0" "$rc" 0

# --- 0 and 1 ---------------------------------------------------------------------
code 0 import --json-summary "$WORK/s.json" "$fixtures"
eq "... the summary says 0" "$(json_code)" 0
code 0 import --json-summary "$WORK/s.json" "$fixtures"
contains "... the second time all already loaded" "$err" "0 loaded, $(find "$fixtures" -name '*.xml' | wc -l) already loaded"
eq "... the summary says 0" "$(json_code)" 0
code 1 import --json-summary "$WORK/s.json" "$bad"
eq "... the summary says 1" "$(json_code)" 1
contains "... and what was set aside" "$err" "file set aside: DOCTYPE declarations are not allowed"
code 1 validate "$bad"
code 0 validate "$SRC/fixtures/spec-examples"

# --- 2: usage ----------------------------------------------------------------------
code 2 import --bogus "$fixtures"
contains "... an unknown option" "$err" "is248: error: unknown option '--bogus'"
code 2 imprt "$fixtures"
code 2
code 2 import --json-summary "$WORK/s.json" "$WORK/incoming-not-mounted/"
eq "... a PATH that does not exist: said before connecting" "$err" \
   "is248: error: cannot read '$WORK/incoming-not-mounted/': No such file or directory"
eq "... the summary says 2" "$(json_code)" 2
eq "... and no run was begun" "$(q "SELECT count(*) FROM is248.import_run WHERE command LIKE '%incoming-not-mounted%'")" 0
code 2 import --db "host=$NO_SERVER" "$WORK/missing.zip"
contains "... found before any connection is tried" "$err" "cannot read '$WORK/missing.zip'"
ok "... (no connection was tried)" bash -c '! grep -q "cannot connect" <<<"$1"' _ "$err"
code 2 validate "$WORK/missing.zip"

# a PATH that cannot be read: as a user that may not read it
mkdir -p "$WORK/private" && chmod 755 "$WORK/private"
cp "$SRC/fixtures/spec-examples/"*.xml "$WORK/private/" 2>/dev/null
one=$(ls "$WORK/private/"*.xml | head -n 1)
chmod 600 "$one"
if [ "$(id -u)" = 0 ] && runuser -u nobody -- test -x "$IS248" 2>/dev/null \
   && runuser -u nobody -- test -r "$WORK/private"; then
    runuser -u nobody -- "$IS248" validate "$one" >"$WORK/out" 2>"$WORK/err" </dev/null
    eq "a PATH that cannot be read: exit 2" "$?" 2
    eq "... saying so" "$(cat "$WORK/err")" "is248: error: cannot read '$one': Permission denied"
else
    echo "note: not root, or nobody cannot run $IS248: the unreadable PATH is not tried"
fi

# --- 2: configuration of the connection ------------------------------------------
PGSERVICE=nope code 2 status
contains "... an unknown service, with libpq's reason" "$err" 'is248: error: cannot connect to the database: definition of service "nope" not found'
code 2 status --db "service=nope"
contains "... also in --db" "$err" 'definition of service "nope" not found'
PGSERVICEFILE="$WORK/no-such-services" PGSERVICE=is248 code 2 status
contains "... a service file that is not there" "$err" "service file \"$WORK/no-such-services\" not found"
code 2 status --db "dbname=${PGDATABASE}_none"
contains "... a database that does not exist" "$err" "database \"${PGDATABASE}_none\" does not exist"
code 2 status --db "dbname=$PGDATABASE user=t_exit_codes_nobody"
contains "... a role that does not exist" "$err" 'role "t_exit_codes_nobody" does not exist'
code 2 import --json-summary "$WORK/s.json" --db "service=nope" "$fixtures"
eq "... the summary of an import says 2" "$(json_code)" 2

# passwords where others can read them
code 2 status --db "dbname=$PGDATABASE password=secret"
contains "... a password in --db" "$err" "is248: error: --db must not hold a password"
PGPASSWORD=secret code 2 status
contains "... PGPASSWORD" "$err" "is248: error: PGPASSWORD is set"
printf '*:*:*:*:secret\n' >"$WORK/pgpass"
chmod 644 "$WORK/pgpass"
PGPASSFILE="$WORK/pgpass" code 2 status
eq "... a password file others can read" "$err" \
   "is248: error: the password file '$WORK/pgpass' can be read by others (mode 0644), so libpq would not use it: make it readable by its owner only (chmod 600)"
cp "$WORK/pgpass" "$HOME/.pgpass"
code 2 status
contains "... ~/.pgpass the same" "$err" "the password file '$HOME/.pgpass' can be read by others (mode 0644)"
chmod 600 "$HOME/.pgpass" "$WORK/pgpass"
PGPASSFILE="$WORK/pgpass" code 0 status
cat >"$WORK/services" <<EOF
[is248]
host=$PGHOST
port=$PGPORT
dbname=$PGDATABASE
password=secret
EOF
chmod 644 "$WORK/services"
PGSERVICEFILE="$WORK/services" PGSERVICE=is248 code 2 status
eq "... a service file holding a password that others can read" "$err" \
   "is248: error: the service file '$WORK/services' holds a password and can be read by others (mode 0644): make it readable by its owner only (chmod 600)"
PGSERVICEFILE="$WORK/services" code 2 status --db service=is248
cp "$WORK/services" "$HOME/.pg_service.conf"
PGSERVICE=is248 code 2 status
contains "... ~/.pg_service.conf the same" "$err" "the service file '$HOME/.pg_service.conf' holds a password"
rm "$HOME/.pg_service.conf"
cp "$WORK/services" "$WORK/etc/pg_service.conf"
PGSERVICE=is248 code 2 status
contains "... and the system's service file" "$err" "the service file '$WORK/etc/pg_service.conf' holds a password"
rm "$WORK/etc/pg_service.conf"
chmod 600 "$WORK/services"
PGSERVICEFILE="$WORK/services" PGSERVICE=is248 code 0 status
grep -v password "$WORK/services" >"$WORK/services-open" && chmod 644 "$WORK/services-open"
PGSERVICEFILE="$WORK/services-open" PGSERVICE=is248 code 0 status

# --- 2: a login that may not do what the command does --------------------------------
reader=t_exit_codes_reader
q "DROP ROLE IF EXISTS $reader; CREATE ROLE $reader LOGIN IN ROLE is248_reader" >/dev/null
PGUSER=$reader code 0 status
PGUSER=$reader code 2 import --json-summary "$WORK/s.json" "$fixtures"
eq "... the reader importing: one line naming the login and what it lacks" "$err" \
   "is248: error: the login '$reader' may not import: it is not a member of is248_loader (docs/operator-guide.md, \"The database and its roles\")"
eq "... the summary says 2" "$(json_code)" 2
PGUSER=$reader code 2 migrate
eq "... the reader migrating: who owns the schema" "$err" \
   "is248: error: the schema is248 belongs to 'postgres', and the login '$reader' is not a member of it: run 'is248 migrate' as 'postgres' (docs/operator-guide.md, \"The database and its roles\")"
q "DROP ROLE $reader" >/dev/null

# --- 3: the server is down ---------------------------------------------------------------
code 3 import --json-summary "$WORK/s.json" --db "host=$NO_SERVER dbname=x" "$fixtures"
contains "... no server on the socket" "$err" "is248: error: cannot connect to the database: connection to server on socket \"$NO_SERVER/.s.PGSQL.5432\" failed: No such file or directory"
eq "... the summary says 3" "$(json_code)" 3
code 3 status --db "host=127.0.0.1 port=1 dbname=x connect_timeout=5"
contains "... nothing listening on the port" "$err" "Connection refused"

# --- 4 and 5: another import holds the lock, then is sent SIGTERM --------------------------
lock_held="SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'
           AND classid = 1230188084 AND objid = 2 AND granted)"
slow="$WORK/slow.xml"
rm -f "$slow" "$WORK/go"
mkfifo "$slow"
{ head -c 100 "$fixtures/2024/1101.xml"
  while [ ! -e "$WORK/go" ]; do sleep 0.05; done
  tail -c +101 "$fixtures/2024/1101.xml"; } >"$slow" &
writer=$!
"$IS248" import --json-summary "$WORK/first.json" "$slow" >"$WORK/out1" 2>"$WORK/err1" </dev/null &
first=$!
ok "the first import holds the lock" wait_for 30 "$lock_held"
code 4 import --json-summary "$WORK/s.json" "$fixtures"
contains "... another import holds it" "$err" "is248: error: another import is running in this database; try again later or use --wait"
eq "... the summary says 4" "$(json_code)" 4
kill -TERM "$first"
sleep 0.2
touch "$WORK/go"
wait "$writer"
wait "$first"
eq "the first import, sent SIGTERM: exit 5" "$?" 5
contains "... saying so" "$(cat "$WORK/err1")" "is248: error: interrupted by SIGTERM"
eq "... its summary says 5" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["exit_code"])' "$WORK/first.json")" 5

# --- 6: standard output cannot be written ---------------------------------------------------
full=/dev/full
if [ "$(id -u)" = 0 ]; then
    mknod "$WORK/full" c 1 7 && full="$WORK/full"
fi
"$IS248" version >"$full" 2>"$WORK/err"
eq "version on a full device: exit 6" "$?" 6
eq "... saying so" "$(cat "$WORK/err")" "is248: error: cannot write standard output: No space left on device"
"$IS248" status >"$full" 2>"$WORK/err"
eq "status on a full device: exit 6" "$?" 6

# --- the table is the same everywhere ------------------------------------------------------
run --help
table=$(grep -E '^  [0-6]  ' <<<"$out")
eq "--help lists the codes 0 to 6" "$(cut -c3 <<<"$table" | tr -d '\n')" 0123456
# has FILE TEXT: FILE holds TEXT, white space taken as one space
has() { tr -s ' \n' ' ' <"$1" | grep -qF -- "$2"; }
while IFS= read -r line; do
    n=${line:2:1} words=${line:5}
    ok "README.md gives $n the words of --help: | $n | $words |" has "$SRC/README.md" "| $n | $words |"
    ok "the operator guide gives $n the words of --help: | $n | $words |" has "$SRC/docs/operator-guide.md" "| $n | $words |"
done <<<"$table"

finish
