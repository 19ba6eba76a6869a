#!/usr/bin/env bash
# Output files never harm what is there (issue 11): trends --chart, demo
# --chart, report --chart-dir and import --json-summary write only regular
# files.  For each of them: a symbolic link, a FIFO, a directory and (as
# root) a private character device as the target are refused with exit 2,
# at once and before any database work, and left exactly as they were; a
# write that fails leaves the old file and no temporary file; a signal
# while the file is being written leaves no temporary file; a normal run
# still writes the file.
#
# Device nodes are made here with mknod, never the machine's own: "null"
# below has /dev/null's numbers (1, 3) and must still be that device after.
. "$(dirname "$0")/lib.sh"

fixtures="$SRC/fixtures/delivery"
run migrate
run import --quiet "$fixtures"
eq "the fixtures load" "$rc" 0

# A database that cannot be reached: a command that tried to connect would
# exit 3 (after up to 2 s); a target refused first exits 2 at once.
nowhere="host=$NO_SERVER port=1 dbname=nowhere connect_timeout=2"
is_root=0
if [ "$(id -u)" = 0 ]; then is_root=1; else
    echo "skipped: the character device cases need root (mknod)"
fi

T="$WORK/t"
# targets: a fresh directory $T holding one of every kind
targets() {
    rm -rf "$T"
    mkdir -p "$T/dir" "$T/chartdir"
    echo old >"$T/file"
    ln -s file "$T/link"
    ln -s nowhere "$T/dangling"
    ln -s chartdir "$T/dirlink"
    mkfifo "$T/fifo"
    [ "$is_root" = 1 ] && mknod "$T/null" c 1 3
    return 0
}
# state: every entry of $T with its type, device numbers, link and content,
# and what the directories hold: anything written, replaced or left behind
# (a temporary file) changes it
dir_state() {
    (cd "$T" && for f in $(ls -A | sort); do
        printf '%s|%s|%s|%s\n' "$f" "$(stat -c '%F %t:%T' "$f")" "$(readlink "$f")" \
            "$(if [ -f "$f" ] && [ ! -L "$f" ]; then cat "$f"; fi)"
    done; ls -A dir chartdir)
}
# run_t ARGS...: run, under a time-out (a FIFO opened would hang)
run_t() {
    timeout 20 "$IS248" "$@" >"$WORK/out" 2>"$WORK/err" </dev/null
    rc=$?
    out=$(cat "$WORK/out") err=$(cat "$WORK/err")
}
kind_of() {
    case $1 in
    link|dangling|dirlink) echo "a symbolic link" ;;
    fifo) echo "a FIFO" ;;
    dir) echo "a directory" ;;
    null) echo "a character device" ;;
    file) echo "a regular file" ;;
    esac
}
kinds="link dangling fifo dir"
[ "$is_root" = 1 ] && kinds="$kinds null"
run_count() { q "SELECT count(*) FROM is248.import_run"; }

# --- refused before any work ------------------------------------------------------
targets
for k in $kinds; do
    what="$(kind_of "$k")"
    before=$(dir_state)
    t0=$SECONDS
    run_t trends --db "$nowhere" --chart "$T/$k"
    eq "trends --chart onto $what: exit 2, before connecting" "$rc" 2
    contains "... saying what it is" "$err" "refusing to write the chart '$T/$k': it is $what"
    eq "... left as it was, nothing written beside it" "$(dir_state)" "$before"
    ok "... at once" [ $((SECONDS - t0)) -lt 2 ]

    run_t demo --db "$nowhere" --chart "$T/$k"
    eq "demo --chart onto $what: exit 2, before connecting" "$rc" 2
    contains "... saying what it is" "$err" "refusing to write the chart '$T/$k': it is $what"
    eq "... left as it was" "$(dir_state)" "$before"

    n=$(run_count)
    run_t import --json-summary "$T/$k" "$fixtures"
    eq "import --json-summary onto $what: exit 2" "$rc" 2
    contains "... saying what it is" "$err" "refusing to write the summary to '$T/$k': it is $what"
    eq "... left as it was" "$(dir_state)" "$before"
    eq "... before any database work: no run recorded" "$(run_count)" "$n"
done
ok "the private device is still a character device 1:3" \
   bash -c '[ "$1" = 0 ] || [ "$(stat -c "%F %t:%T" "$2")" = "character special file 1:3" ]' _ "$is_root" "$T/null"

# report --chart-dir: DIR must be a directory itself (not a link to one),
# and each chart file in it is checked as above
dir_kinds="dirlink fifo file"
[ "$is_root" = 1 ] && dir_kinds="$dir_kinds null"
for k in $dir_kinds; do
    what="$(kind_of "$k")"
    before=$(dir_state)
    run_t report 2019 --db "$nowhere" --chart-dir "$T/$k"
    eq "report --chart-dir onto $what: exit 2, before connecting" "$rc" 2
    contains "... saying what it is" "$err" "refusing to write the charts into '$T/$k': it is $what"
    eq "... left as it was, the directory it points to empty" "$(dir_state)" "$before"
done
run_t report 2019 --db "$nowhere" --chart-dir "$T/dirlink/"
contains "report --chart-dir LINK/: the link is not looked through" "$err" "it is a symbolic link"
for k in link fifo dir; do
    rm -rf "$T/chartdir"/*
    case $k in
    link) ln -s ../file "$T/chartdir/nav_rating-2019.svg" ;;
    fifo) mkfifo "$T/chartdir/nav_rating-2019.svg" ;;
    dir) mkdir "$T/chartdir/nav_rating-2019.svg" ;;
    esac
    before=$(dir_state)
    run_t report 2019 --db "$nowhere" --chart-dir "$T/chartdir"
    eq "report --chart-dir, a chart file that is $(kind_of "$k"): exit 2, before connecting" "$rc" 2
    contains "... saying what it is" "$err" "refusing to write the chart '$T/chartdir/nav_rating-2019.svg': it is $(kind_of "$k")"
    eq "... nothing written, none of the other charts either" "$(dir_state)" "$before"
done
rm -rf "$T/chartdir"/*

# --- a normal run still writes the file, replacing a regular one -------------------
run_t trends --chart "$T/file"
eq "trends --chart onto a regular file: exit 0" "$rc" 0
ok "... replaced by the chart" xmllint --noout "$T/file"
eq "... no temporary file left" "$(ls -A "$T" | grep -c '^file\.')" 0

echo old >"$T/file"
run_t import --quiet --json-summary "$T/file" "$fixtures"
eq "import --json-summary onto a regular file: exit 0" "$rc" 0
eq "... replaced by the summary of this run" \
   "$(python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print(j["run_id"], j["status"], j["exit_code"])' "$T/file")" \
   "$(q "SELECT max(run_id) FROM is248.import_run") ok 0"
eq "... no temporary file left" "$(ls -A "$T" | grep -c '^file\.')" 0

run_t report 2019 --chart-dir "$T/chartdir"
eq "report --chart-dir into a directory: exit 0" "$rc" 0
eq "... its 4 charts, nothing else" "$(ls -A "$T/chartdir" | grep -c '^[a-z_]*-2019\.svg$') $(ls -A "$T/chartdir" | wc -l)" "4 4"

run_t demo --db "dbname=$PGDATABASE" --chart "$T/demo.svg"
eq "demo --chart: exit 0" "$rc" 0
ok "... the chart written" xmllint --noout "$T/demo.svg"
eq "... no temporary file left" "$(ls -A "$T" | grep -c '^demo\.svg\.')" 0

# --- a write that fails: the old file stays, no temporary file ---------------------
# a file size limit of 8 KiB (ulimit -f): a chart (some 25 KB) cannot be
# completed; is248 ignores SIGXFSZ, so the write fails with EFBIG
limited() {  # limited BLOCKS ARGS...: is248 under ulimit -f BLOCKS
    local blocks=$1; shift
    bash -c 'ulimit -f "$0" && exec "$@"' "$blocks" timeout 20 "$IS248" "$@" \
        >"$WORK/out" 2>"$WORK/err" </dev/null
    rc=$?
    out=$(cat "$WORK/out") err=$(cat "$WORK/err")
}
echo old >"$T/file"
limited 8 trends --chart "$T/file"
eq "trends --chart, the disk full: exit 2" "$rc" 2
contains "... saying why" "$err" "cannot write the chart '$T/file': File too large; what was there before is left as it was"
eq "... the old file intact" "$(cat "$T/file")" old
eq "... no temporary file left" "$(ls -A "$T" | grep -c '^file\.')" 0

rm -rf "$T/chartdir"/*
echo old >"$T/chartdir/nav_collab-2019.svg"
limited 8 report 2019 --chart-dir "$T/chartdir"
eq "report --chart-dir, the disk full: exit 2" "$rc" 2
contains "... saying why" "$err" "cannot write the chart '$T/chartdir/nav_collab-2019.svg': File too large"
eq "... the old chart intact, nothing else in the directory" "$(ls -A "$T/chartdir") $(cat "$T/chartdir/nav_collab-2019.svg")" "nav_collab-2019.svg old"
eq "... no report on stdout" "$out" ""

# the summary's room is set aside before any work: 1 KiB is too little
echo old >"$T/file"
n=$(run_count)
limited 1 import --json-summary "$T/file" "$fixtures"
eq "import --json-summary, no room for the summary: exit 2" "$rc" 2
contains "... found before any work" "$err" "cannot write the summary to '$T/file': File too large (setting aside"
eq "... no run recorded" "$(run_count)" "$n"
eq "... the old file intact" "$(cat "$T/file")" old
eq "... no temporary file left" "$(ls -A "$T" | grep -c '^file\.')" 0

# --- an import held in the middle of its load ----------------------------------------
# The last PATH is a FIFO that gives the first 200 bytes of a report file and
# the rest once $WORK/go exists: is248 cannot end before that, so whatever is
# done to it meanwhile lands during the load, with the summary's temporary
# file open.  stdout and stderr go through a pipe (a size limit set on
# is248 would cut them too).
slow_src="$fixtures/2019/$(ls "$fixtures/2019" | head -n 1)"
slow="$WORK/slow.xml"
start_slow_import() {  # start_slow_import ARGS...: $pid, $last (the last run before)
    last=$(q "SELECT coalesce(max(run_id), 0) FROM is248.import_run")
    rm -f "$WORK/pipe"
    mkfifo "$WORK/pipe"
    slow_fifo "$slow" "$slow_src" 200
    cat "$WORK/pipe" >"$WORK/err" &
    reader=$!
    "$IS248" import "$@" "$slow" >"$WORK/pipe" 2>&1 </dev/null &
    pid=$!
}
in_load() { wait_for 30 "SELECT EXISTS (SELECT 1 FROM is248.import_run WHERE run_id > $last AND status = 'running')"; }
# finish_slow_import: let the FIFO finish; $rc, $err
finish_slow_import() {
    touch "$WORK/go"
    wait "$pid"
    rc=$?
    wait "$writer" "$reader" 2>/dev/null
    err=$(cat "$WORK/err")
    rm -f "$slow" "$WORK/pipe"
    # a killed import's session ends with it; the next import waits for none
    wait_for 10 "SELECT count(*) = 0 FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'is248'" || true
}
temps() { ls -A "$T" | grep -c "^$1\.......\$"; }

# the summary cannot be written at the end (a size limit set on the running
# process): the import stands, the old file stays, exit 2
echo old >"$T/file"
start_slow_import --quiet --json-summary "$T/file"
ok "size limit: is248 is in the load" in_load
eq "... with the summary's temporary file beside it" "$(temps file)" 1
prlimit --pid "$pid" --fsize=10
finish_slow_import
eq "size limit at the end: exit 2" "$rc" 2
contains "... saying why" "$err" "cannot write the summary to '$T/file': File too large; what was there before is left as it was"
contains "... and that the import itself is complete" "$err" "the import itself is complete, recorded as run $((last + 1)) (ok) in is248.import_run; only its summary is missing"
eq "... recorded as ok" "$(q "SELECT status FROM is248.import_run WHERE run_id = $((last + 1))")" ok
eq "... the old file intact" "$(cat "$T/file")" old
eq "... no temporary file left" "$(temps file)" 0

# the target made a directory meanwhile: left as it is
echo old >"$T/s.json"
start_slow_import --quiet --json-summary "$T/s.json"
ok "target replaced: is248 is in the load" in_load
rm "$T/s.json" && mkdir "$T/s.json"
finish_slow_import
eq "target made a directory meanwhile: exit 2" "$rc" 2
contains "... saying so" "$err" "refusing to write the summary to '$T/s.json': it became a directory while is248 was working; left as it is"
ok "... still an empty directory" bash -c '[ -d "$1" ] && [ -z "$(ls -A "$1")" ]' _ "$T/s.json"
eq "... no temporary file left" "$(temps s.json)" 0
rmdir "$T/s.json"

# --- signals while the file is being written -----------------------------------------
# SIGHUP (not caught by import): is248 ends by it, its temporary file removed
echo old >"$T/file"
start_slow_import --quiet --json-summary "$T/file"
ok "SIGHUP: is248 is in the load" in_load
eq "... with the summary's temporary file beside it" "$(temps file)" 1
kill -s HUP "$pid"
finish_slow_import
eq "SIGHUP: is248 ends by it" "$rc" 129
eq "... no temporary file left" "$(temps file)" 0
eq "... the old file intact" "$(cat "$T/file")" old

# one SIGTERM: the import stops in order (exit 5) and says so in the summary
start_slow_import --quiet --json-summary "$T/file"
ok "SIGTERM: is248 is in the load" in_load
kill -s TERM "$pid"
finish_slow_import
eq "SIGTERM: exit 5" "$rc" 5
eq "... the summary says interrupted, 5" \
   "$(python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print(j["run_id"], j["status"], j["exit_code"])' "$T/file")" \
   "$((last + 1)) interrupted 5"
eq "... no temporary file left" "$(temps file)" 0

# a second signal ends is248 at once: its temporary file removed all the same
echo old >"$T/file"
start_slow_import --quiet --json-summary "$T/file"
ok "two signals: is248 is in the load" in_load
kill -s INT "$pid"; kill -s TERM "$pid"
finish_slow_import
ok "two signals: is248 ends by the second ($rc), not in order (5)" [ "$rc" = 143 ] || [ "$rc" = 130 ]
eq "... no temporary file left" "$(temps file)" 0
eq "... the old file intact" "$(cat "$T/file")" old

# trends, report and demo while their query waits for a lock another
# session holds on is248.report
psql -X -q -c "BEGIN" -c "LOCK TABLE is248.report IN ACCESS EXCLUSIVE MODE" -c "SELECT pg_sleep(120)" >/dev/null 2>&1 &
locker=$!
ok "another session locks is248.report" wait_for 10 \
   "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE relation = 'is248.report'::regclass AND mode = 'AccessExclusiveLock' AND granted)"
waiting="SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'is248' AND wait_event_type = 'Lock')"
# start_waiting ARGS...: is248 ARGS in the background, until it waits; $pid.
# The session of an is248 killed before waits on (it reads nothing while it
# waits for a lock): ended first.  (SIGINT is not sent: a background job of
# a shell without job control starts with it ignored, and is248 keeps it so.)
start_waiting() {
    q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'is248'" >/dev/null
    wait_for 10 "SELECT count(*) = 0 FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'is248'" || return 1
    "$IS248" "$@" >"$WORK/out" 2>"$WORK/err" </dev/null &
    pid=$!
    wait_for 30 "$waiting"
}

echo old >"$T/file"
ok "trends --chart: waits for the lock" start_waiting trends --chart "$T/file"
eq "... with the chart's temporary file beside it" "$(temps file)" 1
kill -s TERM "$pid"; wait "$pid"; rc=$?
eq "trends --chart, SIGTERM: ends by it" "$rc" 143
eq "... no temporary file left" "$(temps file)" 0
eq "... the old file intact" "$(cat "$T/file")" old

rm -rf "$T/chartdir"/*
ok "report --chart-dir: waits for the lock" start_waiting report 2019 --chart-dir "$T/chartdir"
eq "... with its 4 temporary files" "$(ls -A "$T/chartdir" | grep -c '\.svg\.......$')" 4
kill -s HUP "$pid"; wait "$pid"; rc=$?
eq "report --chart-dir, SIGHUP: ends by it" "$rc" 129
eq "... nothing left in the directory" "$(ls -A "$T/chartdir")" ""

ok "demo --chart: waits for the lock" start_waiting demo --db "dbname=$PGDATABASE" --chart "$T/file"
eq "... with the chart's temporary file beside it" "$(temps file)" 1
kill -s TERM "$pid"; wait "$pid"; rc=$?
ok "demo --chart, SIGTERM: stops ($rc)" [ "$rc" != 0 ]
eq "... no temporary file left" "$(temps file)" 0
eq "... the old file intact" "$(cat "$T/file")" old

q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(120)%' AND pid <> pg_backend_pid()" >/dev/null
wait "$locker" 2>/dev/null

finish
