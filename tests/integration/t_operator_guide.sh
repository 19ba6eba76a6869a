#!/usr/bin/env bash
# The operator guide, played by a new operator (issue 13): docs/operator-guide.md's
# set-up, its crontab and "What you will see", run word for word from the
# guide's own text, on a cluster set up as Debian sets one up.
#
# The blocks run are the fenced blocks after a line "<!-- t_operator_guide:
# NAME -->" in the guide; nothing in them is substituted.  What makes that
# possible is a world of the test's own: the script runs itself again in new
# mount, network and PID namespaces (unshare; when the test ends, however it
# ends, every process in it ends too), where /etc is a private copy (the
# guide's adduser writes the accounts there; db.example.org is 127.0.0.1 in
# its hosts), and /usr/local, /srv, /var/lib, /run and /home are empty tmpfs:
# the guide's "sudo cmake --install build" installs /usr/local/bin/is248, the
# server listens on Debian's socket /var/run/postgresql and on localhost:5432
# with Debian 12's pg_hba.conf (peer for local users, scram-sha-256 over TCP),
# and none of it is seen outside, nor does any of the machine's files change.
# sudo is the real one when installed, else a few lines that do what sudo
# does as root (runuser, sudo's reset environment).
#
# The scenario: install; a migrate by an owner without CREATEROLE before the
# group roles exist (exit 2, what to run), then the guide's roles; a
# migrate refused a privilege (plpgsql taken from PUBLIC: exit 2, the GRANT
# the guide names); the guide's migrate (a non-superuser owner); the analyst's login over TCP with a
# service file and .pgpass; the nights, the crontab's job run as cron runs it
# (env -i, PATH=/usr/bin:/bin, the crontab's variables, no terminal, in the
# account's home): a first delivery (exit 0, no mail), nothing new (exit 0,
# no mail), a bad file (exit 1, mailed), the same file again (set aside
# before: exit 0, no mail), its replacement (exit 0; status --open empty);
# every exit code of the guide's table once in this set-up; what the guide
# shows in "What you will see" is what each step printed.
#
# The accounts made (is248, is248_cron, analyst, early) are the guide's
# names in the private /etc, the roles are in the private cluster: both
# vanish with the namespaces; the outer script checks afterwards that the
# machine's accounts and paths of those names are as they were.
#
# Needs root and unshare; skipped (77) with the reason otherwise.
if [ -z "${T_OPERATOR_GUIDE_INSIDE:-}" ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "skipped: the operator's accounts, mounts and runuser need root"; exit 77
    fi
    ns=(unshare --mount --net --pid --fork --kill-child --mount-proc --propagation private)
    if ! "${ns[@]}" true 2>/dev/null; then
        echo "skipped: '${ns[*]}' is not permitted here, so the operator's accounts and paths cannot be made without changing the machine's"
        exit 77
    fi
    for d in /etc /usr/local /srv /var/lib /run /home; do
        [ -d "$d" ] || { echo "skipped: no $d to put a private one over"; exit 77; }
    done
    # what the machine has of the guide's names before: the same after
    host_state() {
        getent passwd is248 is248_cron analyst early
        getent group is248 is248_cron analyst early
        ls -ld /usr/local/bin/is248 /srv/is248 /var/lib/is248 /var/lib/is248_cron /home/analyst /run/lock/is248.lock 2>&1
        grep -c db.example.org /etc/hosts
    }
    before=$(host_state)
    T_OPERATOR_GUIDE_INSIDE=1 "${ns[@]}" bash "$0" "$@"
    rc=$?
    after=$(host_state)
    if [ "$before" != "$after" ]; then
        printf 'FAIL: the machine changed outside the namespaces\n--- before:\n%s\n--- after:\n%s\n' "$before" "$after" >&2
        exit 1
    fi
    echo "the machine's accounts, /usr/local/bin, /srv, /var/lib, /run/lock and /etc/hosts: as they were"
    exit "$rc"
fi

. "$(dirname "$0")/lib.sh"
GUIDE="$SRC/docs/operator-guide.md"

# --- the private world ------------------------------------------------------------
# $T is a tmpfs of this namespace: however the test ends (SIGKILL
# included), nothing of it (the copy of /etc, the cluster) stays on disk
T=$(mktemp -d /tmp/is248-guide-XXXXXX)
mount -t tmpfs -o mode=755 tmpfs "$T" || { rmdir "$T"; echo "t_operator_guide: cannot mount a tmpfs on $T" >&2; exit 1; }
# (the server's programs where they really are: /usr/local goes private)
pgbin=$(dirname "$(readlink -f "$IS248_PG_BINDIR/initdb")")
cleanup() {
    kill $(jobs -p) 2>/dev/null
    [ -f "$T/pg/data/postmaster.pid" ] &&
        runuser -u postgres -- "$pgbin/pg_ctl" -D "$T/pg/data" -m immediate -w stop >/dev/null 2>&1
    cd /
    umount -l "$T" && rmdir "$T"
}
trap cleanup EXIT
die() { echo "t_operator_guide: $*" >&2; exit 1; }

cp -a /etc "$T/etc" || die "cannot copy /etc"
mount --bind "$T/etc" /etc || die "cannot mount a private /etc"
touch /etc/.t_operator_guide && [ -e "$T/etc/.t_operator_guide" ] || die "/etc is not the private copy"
for d in /usr/local /srv /var/lib /run /home; do
    mount -t tmpfs -o mode=755 tmpfs "$d" && mountpoint -q "$d" || die "cannot mount a private $d"
done
install -d -o postgres -g postgres -m 2775 /run/postgresql
install -d -m 1777 /run/lock
printf '127.0.0.1\tdb.example.org\n' >>/etc/hosts
ip link set lo up || die "cannot bring up the loopback interface"

# the cluster: Debian's socket and port, Debian 12's pg_hba.conf
install -d -o postgres -g postgres -m 700 "$T/pg"
runuser -u postgres -- "$pgbin/initdb" -D "$T/pg/data" -U postgres -E UTF8 --locale=C --no-sync \
    --auth-local=peer --auth-host=scram-sha-256 >"$T/initdb.log" 2>&1 || { cat "$T/initdb.log" >&2; die "initdb failed"; }
cat >"$T/pg/data/pg_hba.conf" <<'HBA'
# Debian 12's, as pg_createcluster writes it
local   all             postgres                                peer
local   all             all                                     peer
host    all             all             127.0.0.1/32            scram-sha-256
host    all             all             ::1/128                 scram-sha-256
local   replication     all                                     peer
host    replication     all             127.0.0.1/32            scram-sha-256
host    replication     all             ::1/128                 scram-sha-256
HBA
cat >>"$T/pg/data/postgresql.conf" <<'CONF'
listen_addresses = 'localhost'
port = 5432
unix_socket_directories = '/var/run/postgresql'
fsync = off
full_page_writes = off
synchronous_commit = off
log_connections = on
CONF
pg_start() { runuser -u postgres -- "$pgbin/pg_ctl" -D "$T/pg/data" -l "$T/pg/log" -w -t 60 start >/dev/null; }
pg_stop() { runuser -u postgres -- "$pgbin/pg_ctl" -D "$T/pg/data" -m fast -w stop >/dev/null; }
pg_start || { cat "$T/pg/log" >&2; die "the cluster does not start"; }

# as root, as the operator types: a login shell's PATH, HOME /root, nothing
# of the test's environment; sudo from $T/bin when there is none
install -d "$T/bin"
if ! command -v sudo >/dev/null; then
    cat >"$T/bin/sudo" <<'SUDO'
#!/bin/sh
# sudo as root runs it: sudo [-u USER] [NAME=VALUE...] COMMAND..., in sudo's
# reset environment (secure_path, the target's HOME, LOGNAME, USER, SHELL)
user=root
if [ "$1" = -u ]; then user=$2; shift 2; fi
entry=$(getent passwd "$user") || { echo "sudo: unknown user $user" >&2; exit 1; }
home=$(echo "$entry" | cut -d: -f6) shell=$(echo "$entry" | cut -d: -f7)
exec runuser -u "$user" -- env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME="$home" LOGNAME="$user" USER="$user" SHELL="$shell" "$@"
SUDO
    chmod 755 "$T/bin/sudo"
    echo "note: sudo is not installed: the guide's sudo is runuser in sudo's environment"
fi
ROOTPATH="$T/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
install -d -m 700 /root 2>/dev/null
# as_root SCRIPT [DIR]: SCRIPT in bash -e as root, in DIR (/root), with no
# terminal; standard input passes through
as_root() { (cd "${2:-/root}" && env -i PATH="$ROOTPATH" HOME=/root LOGNAME=root USER=root SHELL=/bin/bash setsid -w bash -e -c "$1"); }
# pq SQL: a query as postgres (peer), in the database is248
pq() { runuser -u postgres -- env -i PATH=/usr/bin:/bin psql -X -A -t -q -v ON_ERROR_STOP=1 -d "${PQDB:-is248}" -c "$1"; }

# --- the guide's blocks -------------------------------------------------------------
# block NAME: the fenced block right after "<!-- t_operator_guide: NAME -->"
block() {
    awk -v m="<!-- t_operator_guide: $1 -->" '
        $0 == m { n++; getline; if ($0 !~ /^```/) exit 2; on = 1; next }
        on && /^```/ { on = 0; next }
        on { print }
        END { if (n != 1 || on) exit 1 }' "$GUIDE"
}
for name in install accounts roles migrate analyst-role analyst-files crontab \
            see-install see-accounts see-roles see-migrate see-night-1 mail-night-3 see-night-3 see-night-4 see-night-5; do
    b=$(block "$name")
    ok "the guide has one block '$name', not empty" test $? = 0 -a -n "$b"
done
need() { block "$1"; }
# norm: what may differ from run to run made alike (times, durations, where
# a batch was cut: is248 cuts them by time too; the widths stay) and
# trailing blanks gone
norm() {
    sed -E -e 's/[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}/YYYY-MM-DD hh:mm:ss/g' \
           -e 's/(^|[| ])[0-9]+\.[0-9] s( |$)/\1N.N s\2/g' \
           -e "s/a batch of [0-9]+ files from '[^']*' to '[^']*'/a batch of N files from '...' to '...'/" \
           -e 's/[ \t]+$//'
}
# session NAME: run the "$ COMMAND" lines of the guide's block NAME as root,
# each output (stdout and stderr) against the lines after it; a line "..."
# ends what is compared (the rest of that output is not shown)
session() {
    local b cmd= want= line
    b=$(need "$1")
    while IFS= read -r line || [ -n "$line" ]; do
        if [ "${line:0:2}" = '$ ' ]; then
            [ -n "$cmd" ] && session_one "$1" "$cmd" "$want"
            cmd=${line:2} want=
        else
            want+="$line"$'\n'
        fi
    done <<<"$b"
    [ -n "$cmd" ] && session_one "$1" "$cmd" "$want"
}
session_one() {
    local got want=$3 n
    got=$(as_root "$2" 2>&1 </dev/null)
    if [ "$(tail -n 1 <<<"${want%$'\n'}")" = ... ]; then
        want=$(head -n -1 <<<"${want%$'\n'}")
        n=$(wc -l <<<"$want")
        got=$(head -n "$n" <<<"$got")
    fi
    eq "$1: '$2' prints what the guide shows" "$(norm <<<"$got")" "$(norm <<<"${want%$'\n'}")"
}

# shown NAME LOG: the output lines of the guide's block NAME (not its "$ "
# lines; up to a line "...", if any) are what LOG begins with, with the
# numbers of accounts and cmake's configuration made alike; the block's
# "$ " lines are those of the block the output is of ($of, if set)
shown() {
    local b want got
    b=$(need "$1")
    if [ -n "${of:-}" ]; then
        eq "$1: the commands are the guide's block '$of' (its comments aside)" \
           "$(sed -n 's/^\$ //p' <<<"$b")" "$(need "$of" | sed -E 's/[[:space:]]+#.*$//')"
    fi
    want=$(grep -v '^\$ ' <<<"$b")
    got=$(cat "$2")
    if [ "$(tail -n 1 <<<"$want")" = ... ]; then
        want=$(head -n -1 <<<"$want")
        got=$(head -n "$(wc -l <<<"$want")" <<<"$got")
    fi
    alike() { norm | sed -E -e 's/\((UID|GID) [0-9]+\)/(\1 N)/g' -e 's/^-- Install configuration: ".*"$/-- Install configuration: "..."/'; }
    eq "$1: what the guide shows is what was printed" "$(alike <<<"$got")" "$(alike <<<"$want")"
}

# --- install -----------------------------------------------------------------------
mkdir -p "$T/src" && ln -s "$(dirname "$IS248")" "$T/src/build"
as_root "$(need install)" "$T/src" >"$WORK/install.log" 2>&1 </dev/null
eq "install: the guide's commands exit 0" "$?" 0
ok "... /usr/local/bin/is248 is there" test -x /usr/local/bin/is248
ok "... and is the program built" cmp -s /usr/local/bin/is248 "$IS248"
of=install shown see-install "$WORK/install.log"

# --- a migrate before the group roles exist: exit 2, and what to run ---------------
useradd --system --no-create-home --shell /usr/sbin/nologin early
PQDB=postgres pq "CREATE ROLE early LOGIN" && PQDB=postgres pq "CREATE DATABASE early OWNER early"
(cd / && runuser -u early -- env -i PATH=/usr/bin:/bin /usr/local/bin/is248 migrate --db dbname=early) >"$WORK/out" 2>"$WORK/err"
eq "an owner without CREATEROLE migrating before the roles exist: exit 2" "$?" 2
shown=$(grep -o "is248: error: migration refused, nothing changed: sql/schema/06_roles.sql failed: cannot create role.*" "$GUIDE")
eq "... saying what to run, as the guide shows it" "$(cat "$WORK/err")" "$shown"
eq "... and nothing changed" "$(PQDB=early pq "SELECT count(*) FROM pg_namespace WHERE nspname = 'is248'")" 0
PQDB=postgres pq "DROP DATABASE early" && PQDB=postgres pq "DROP ROLE early"
userdel early

# --- the accounts, the roles, migrate -----------------------------------------------------
as_root "$(need accounts)" >"$WORK/accounts.log" 2>&1 </dev/null
eq "accounts: the guide's commands exit 0" "$?" 0
for u in is248 is248_cron; do
    ok "... the account $u" test -n "$(getent passwd "$u")"
done
ok "... /srv/is248/incoming" test -d /srv/is248/incoming
of=accounts shown see-accounts "$WORK/accounts.log"

as_root "$(need roles)" >"$WORK/out" 2>&1 </dev/null
eq "roles: the guide's commands exit 0" "$?" 0
shown see-roles "$WORK/out"
eq "... the owner is no superuser and may not create roles or databases" \
   "$(pq "SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = 'is248'")" "f|f|f"

# a privilege refused on the way (plpgsql taken from PUBLIC): exit 2, the
# guide's message, and the guide's GRANT makes the migrate possible
pq "REVOKE USAGE ON LANGUAGE plpgsql FROM PUBLIC"
out=$(as_root "$(need migrate)" 2>&1 </dev/null)
eq "a migrate refused a privilege: exit 2" "$?" 2
shown=$(grep -o "is248: error: migration refused, nothing changed: sql/schema/03_merge.sql failed: permission denied for language plpgsql.*" "$GUIDE")
eq "... saying what to grant, as the guide shows it" "$out" "$shown"
eq "... and nothing changed" "$(pq "SELECT count(*) FROM pg_namespace WHERE nspname = 'is248'")" 0
grant=$(grep -o "(here \`sudo -u postgres psql -d is248 -c 'GRANT [^\`]*'\`)" "$GUIDE" | sed -E 's/^\(here `//; s/`\)$//')
ok "the guide says which GRANT" test -n "$grant"
as_root "$grant" >"$WORK/out" 2>&1 </dev/null
eq "... which a superuser can run (exit 0)" "$?" 0
eq "... and which grants the owner the language" "$(pq "SELECT has_language_privilege('is248', 'plpgsql', 'USAGE')")" t

eq "migrate: the guide's block is the command its 'What you will see' runs" \
   "$(need migrate)" "$(need see-migrate | sed -n 's/^\$ //p')"
session see-migrate
pq "GRANT USAGE ON LANGUAGE plpgsql TO PUBLIC"   # Debian's again
eq "... the schema belongs to the owner" "$(pq "SELECT nspowner::regrole FROM pg_namespace WHERE nspname = 'is248'")" is248
as_root "$(need migrate)" >"$WORK/out" 2>&1 </dev/null
eq "migrate again: exit 0" "$?" 0
eq "... nothing to do" "$(cat "$WORK/out")" "is248: schema is at version 1, nothing to do"

# --- the analyst, on another machine: a password over TCP -----------------------------------
password=$(need analyst-files | awk -F: '/^db\.example\.org:/ { print $5 }')
ok "the analyst's password is in the guide's .pgpass" test -n "$password"
printf '%s\n%s\n' "$password" "$password" | as_root "$(need analyst-role)" >"$WORK/out" 2>&1
eq "analyst-role: createuser --pwprompt exits 0" "$?" 0
eq "... the analyst is in is248_reader" "$(pq "SELECT pg_has_role('analyst', 'is248_reader', 'member')")" t
useradd --create-home --home-dir /home/analyst --shell /bin/bash analyst
# as_analyst SCRIPT: as the analyst, in their home, in their own environment
as_analyst() { (cd /home/analyst && runuser -u analyst -- env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/home/analyst LOGNAME=analyst USER=analyst SHELL=/bin/bash setsid -w bash -e -c "$1"); }
as_analyst "$(need analyst-files)" >"$WORK/out" 2>&1 </dev/null
eq "analyst-files: the guide's commands exit 0 (status over TCP, with the service file and .pgpass)" "$?" 0
contains "... status, as analyst" "$(cat "$WORK/out")" "Database 'is248' as analyst"
eq "... the files are the analyst's alone" "$(stat -c '%a %U' /home/analyst/.pg_service.conf /home/analyst/.pgpass | tr '\n' ' ')" "600 analyst 600 analyst "
contains "... over TCP, by password (the server's log)" "$(cat "$T/pg/log")" \
   'connection authenticated: identity="analyst" method=scram-sha-256'
contains "... the owner by peer" "$(cat "$T/pg/log")" 'connection authenticated: identity="is248" method=peer'


# --- the nights ---------------------------------------------------------------------------------
crontab=$(need crontab)
cron_env=() cron_job= jobs_found=0
while IFS= read -r line; do
    case $line in '' | '#'*) continue ;; esac
    if [[ $line =~ ^[A-Za-z_][A-Za-z0-9_]*= ]]; then
        cron_env+=("$line")
    else
        jobs_found=$((jobs_found + 1))
        cron_when=$(awk '{ print $1, $2, $3, $4, $5 }' <<<"$line")
        cron_job=$(sed -E 's/^[[:space:]]*([^[:space:]]+[[:space:]]+){5}//' <<<"$line")
    fi
done <<<"$crontab"
eq "the crontab has one job, every night at 02:15" "$jobs_found ${cron_when:-}" "1 15 2 * * *"
contains "... calling is248 by its absolute path" "$cron_job" " /usr/local/bin/is248 "
cron_user=is248_cron cron_home=/var/lib/is248_cron

# night [OUT]: the crontab's job as cron runs it, as is248_cron, in its
# home: env -i with cron's PATH and the crontab's variables, no terminal;
# its output (what cron mails) in OUT ($WORK/mail) and $mail, its exit
# status in $night_rc
night() {
    local out=${1:-$WORK/mail}
    (cd "$cron_home" && runuser -u "$cron_user" -- env -i PATH=/usr/bin:/bin HOME="$cron_home" \
        LOGNAME="$cron_user" SHELL=/bin/sh "${cron_env[@]}" setsid -w /bin/sh -c "$cron_job") \
        </dev/null >"$out" 2>&1
    night_rc=$?
    mail=$(cat "$out")
}
# mail_is NAME: the mail is what the guide's block NAME shows
mail_is() { eq "$1: cron mails what the guide shows" "$(norm <<<"$mail")" "$(norm <<<"$(need "$1")")"; }
last_run() { pq "SELECT concat_ws(' ', db_user, status, files_loaded, files_already, files_rejected, files_rejected_before) FROM is248.import_summary ORDER BY run_id DESC LIMIT 1"; }

incoming=/srv/is248/incoming
cp -r "$SRC/fixtures/delivery/." "$incoming/"
late="$incoming/2023/4601.xml"
mv "$late" "$T/4601.xml"
chmod -R a+rX "$incoming"
files=$(find "$incoming" -name '*.xml' | wc -l)
reports=$(reports_in $(find "$incoming" -name '*.xml'))

night
eq "night 1, the first delivery: exit 0" "$night_rc" 0
eq "... no mail" "$mail" ""
eq "... every report loaded" "$(pq "SELECT count(*) FROM is248.report")" "$reports"
eq "... by is248_cron, every file" "$(last_run)" "is248_cron ok $files 0 0 0"
session see-night-1

night
eq "night 2, nothing new: exit 0" "$night_rc" 0
eq "... no mail" "$mail" ""
eq "... every file already loaded" "$(last_run)" "is248_cron ok 0 $files 0 0"

head -c 700 "$T/4601.xml" >"$late" && chmod 644 "$late"
night
eq "night 3, a file cut short: exit 1" "$night_rc" 1
mail_is mail-night-3
eq "... recorded as set aside" "$(last_run)" "is248_cron problems 0 $files 1 0"
session see-night-3

night
eq "night 4, the same bad file again: exit 0" "$night_rc" 0
eq "... no mail" "$mail" ""
eq "... set aside before, not again" "$(last_run)" "is248_cron ok 0 $files 0 1"
eq "... counted once in what was set aside" "$(pq "SELECT count(*) FROM is248.rejection")" 1
session see-night-4

cp "$T/4601.xml" "$late"
night
eq "night 5, its replacement: exit 0" "$night_rc" 0
eq "... no mail" "$mail" ""
eq "... loaded" "$(last_run)" "is248_cron ok 1 $files 0 0"
eq "... every report of the delivery in" "$(pq "SELECT count(*) FROM is248.report")" "$(reports_in $(find "$incoming" -name '*.xml'))"
session see-night-5

# --- every exit code, in this set-up ---------------------------------------------------------------
# The guide's table: | code | what happened | what is printed |; each row's
# last cell (in backquotes) is the last line that case printed, or
# "nothing"; the lines before it, if any, can only be those of the files of
# a batch rolled back (exit 5).
table=$(awk '$0 == "<!-- t_operator_guide: exit-codes -->" { on = 1; next } on && !/^\|/ { exit } on' "$GUIDE")
shows() { awk -F'|' -v c="$1" '$2 ~ "^ *" c " *$" { s = $4; sub(/^ *`?/, "", s); sub(/`? *$/, "", s); print s }' <<<"$table"; }
eq "the guide's exit-codes table has a row for each code 0-6" \
   "$(awk -F'|' '$2 ~ /^ *[0-9] *$/ { printf "%d", $2 }' <<<"$table")" 0123456
# code_is N RC TEXT: the case of code N exited RC, printing TEXT, as the guide's row says
code_is() {
    eq "exit $1: the exit status" "$2" "$1"
    local want
    want=$(shows "$1")
    [ "$want" = nothing ] && want=
    eq "exit $1: printed what the guide's row shows, last" "$(tail -n 1 <<<"$3" | norm)" "$(norm <<<"$want")"
    eq "exit $1: ... and before it nothing but files of a batch rolled back" \
       "$(head -n -1 <<<"$3" | grep -vE "^is248: '[^']*': not loaded: its batch was rolled back$")" ""
}

night
code_is 0 "$night_rc" "$mail"
# 1: another bad file, with a DOCTYPE
cp "$SRC/fixtures/defects/xml/doctype-xxe.xml" "$incoming/2024/doctype.xml" && chmod 644 "$incoming/2024/doctype.xml"
night
code_is 1 "$night_rc" "$mail"
rm "$incoming/2024/doctype.xml"

# 2: the incoming directory is not there (not mounted)
mv "$incoming" /srv/is248/incoming.away
night
code_is 2 "$night_rc" "$mail"
mv /srv/is248/incoming.away "$incoming"

# 3: the server is down
pg_stop
night
code_is 3 "$night_rc" "$mail"
pg_start || die "the cluster does not start again"

# 4 and 5: the night's import of a new file held up by the server (postgres
# holds a lock on is248.report, so the file's merge waits); meanwhile the
# next night (flock -E 4: nothing, no mail, exit 4) and a manual import (is248's lock:
# exit 4); then the night's import is stopped (SIGTERM, exit 5), and the
# night after loads the file
late2="$incoming/2024/korrigert/1101.xml"     # a corrected report, submitted later
mkdir -p "$(dirname "$late2")" && chmod 755 "$(dirname "$late2")"
sed 's/tidspunkt="2025-02-22T08:54:00+01:00"/tidspunkt="2025-03-01T10:00:00+01:00"/' \
    "$SRC/fixtures/delivery/2024/1101.xml" >"$late2" && chmod 644 "$late2"
ok "... (it differs from the file it corrects)" bash -c '! cmp -s "$1" "$2"' _ "$late2" "$SRC/fixtures/delivery/2024/1101.xml"
rm -f "$T/unlock"
{ printf 'BEGIN;\nLOCK TABLE is248.report IN ACCESS EXCLUSIVE MODE;\n'
  while [ ! -e "$T/unlock" ]; do sleep 0.05; done
  printf 'COMMIT;\n'; } | runuser -u postgres -- env -i PATH=/usr/bin:/bin psql -X -q -d is248 &
locker=$!
# held_until N SQL: poll (N tenths of a second) until the query says t
held_until() { local i; for ((i = 0; i < $1 * 2; i++)); do [ "$(pq "$2")" = t ] && return 0; sleep 0.05; done; return 1; }
ok "postgres holds a lock on is248.report" held_until 300 \
   "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE relation = 'is248.report'::regclass AND mode = 'AccessExclusiveLock' AND granted)"
{ night "$WORK/mail.held"; exit "$night_rc"; } &
held=$!
ok "a night's import holds is248's lock, waiting for the server" held_until 300 \
   "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = 1230188084 AND objid = 2 AND granted)
       AND EXISTS (SELECT 1 FROM pg_stat_activity WHERE usename = 'is248_cron' AND wait_event_type = 'Lock')"
night
eq "the next night meanwhile: flock gives up, exit 4 (locked, as the table says)" "$night_rc" 4
eq "... without a word (no mail)" "$mail" ""
contains "the guide's manual import is this one" "$(cat "$GUIDE")" "sudo -u is248_cron is248 import --db dbname=is248 PATH"
out=$(as_root "sudo -u is248_cron is248 import --db dbname=is248 $incoming/2019/" 2>&1 </dev/null)
code_is 4 "$?" "$out"
# the held night's is248: the process its job started, found by descent
descendants() { local c; for c in $(pgrep -P "$1"); do echo "$c"; descendants "$c"; done; }
pid=
for p in $(descendants "$held"); do [ "$(cat "/proc/$p/comm" 2>/dev/null)" = is248 ] && pid=$p; done
ok "the held night's is248 is found" test -n "$pid"
[ -n "$pid" ] && kill -TERM "$pid"
wait "$held"
code_is 5 "$?" "$(cat "$WORK/mail.held")"
contains "... naming the file it was loading" "$(cat "$WORK/mail.held")" "is248: '$late2': not loaded: its batch was rolled back"
touch "$T/unlock"
wait "$locker"
eq "... nothing of the file it was loading" "$(pq "SELECT count(*) FROM is248.source_file WHERE source = '$late2'")" 0
night
eq "the night after: exit 0, no mail" "$night_rc $mail" "0 "
eq "... the file loaded" "$(pq "SELECT outcome FROM is248.source_file WHERE source = '$late2'")" loaded

# 6: standard output cannot be written (a private full device)
mknod "$T/full" c 1 7 && chmod 666 "$T/full"
out=$(as_root "sudo -u is248 is248 status >$T/full" 2>&1 </dev/null)
code_is 6 "$?" "$out"

# more of 2: a login without the role the command needs, as the guide says
out=$(as_root "sudo -u is248_cron is248 migrate --db dbname=is248" 2>&1 </dev/null)
eq "the loader migrating: exit 2" "$?" 2
shown=$(tr -s ' \n' ' ' <"$GUIDE" | grep -o "the schema is248 belongs to 'is248', and the login 'is248_cron' is not a member of it: run 'is248 migrate' as 'is248'")
eq "... naming the owner, as the guide says" "$out" "is248: error: $shown (docs/operator-guide.md, \"The database and its roles\")"
as_analyst "PGSERVICE=is248 is248 import $incoming/2019/" >"$WORK/out" 2>&1 </dev/null
eq "the analyst importing: exit 2" "$?" 2
eq "... naming what the login lacks" "$(cat "$WORK/out")" \
   "is248: error: the login 'analyst' may not import: it is not a member of is248_loader (docs/operator-guide.md, \"The database and its roles\")"

# --- every crontab line of the documents calls is248 by its absolute path -------------------------
for f in README.md docs/operator-guide.md docs/is248.1; do
    lines=$(sed 's/\\-/-/g' "$SRC/$f" | grep -E '^[[:space:]]*([0-9*/,-]+[[:space:]]+){5}.*is248' )
    ok "$f has a crontab line" test -n "$lines"
    eq "$f: its crontab lines call /usr/local/bin/is248" \
       "$(grep -vE '[[:space:]]/usr/local/bin/is248[[:space:]]' <<<"$lines")" ""
done

finish
