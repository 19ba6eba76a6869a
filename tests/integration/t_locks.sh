#!/usr/bin/env bash
# Two imports at once, and nothing that hangs forever (issue 4): the import
# lock (exit 4 at once, --wait, --wait=TIME, a signal while waiting), and
# --lock-timeout / --statement-timeout against a table someone else holds.
. "$(dirname "$0")/lib.sh"

fixtures="$SRC/fixtures/delivery"
run migrate
eq "migrate exits 0" "$rc" 0

lock_held="SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'
           AND classid = 1230188084 AND objid = 2 AND granted)"
waiting="SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'
           AND classid = 1230188084 AND objid = 2 AND NOT granted)"

# hold SQL: run SQL in a session that then sleeps, in the background; $holder
hold() {
    psql -X -q -c "$1" -c "SELECT pg_sleep(120)" >/dev/null 2>&1 &
    holder=$!
}
release() {
    q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE datname = current_database() AND query LIKE '%pg_sleep(120)%' AND pid <> pg_backend_pid()" >/dev/null
    wait "$holder" 2>/dev/null
}

# timed ARGS...: run is248 and measure the seconds it took; $secs
timed() {
    local t0=$SECONDS
    run "$@"
    secs=$((SECONDS - t0))
}

# --- another import holds the lock -------------------------------------------
hold "SELECT pg_advisory_lock(1230188084, 2)"
ok "another session holds the import lock" wait_for 10 "$lock_held"

timed import "$fixtures"
eq "the second import exits 4" "$rc" 4
ok "... at once (${secs}s)" [ "$secs" -lt 5 ]
contains "... and says why" "$err" "another import is running in this database; try again later or use --wait"
eq "... having loaded nothing" "$(q "SELECT count(*) FROM is248.report")" 0
eq "... and recorded no run" "$(q "SELECT count(*) FROM is248.import_run")" 0

timed import --wait=0 "$fixtures"
eq "--wait=0 does not wait: exit 4" "$rc" 4
ok "... at once (${secs}s)" [ "$secs" -lt 5 ]

timed import --wait=2s "$fixtures"
eq "--wait=2s exits 4" "$rc" 4
ok "... after about 2 s (${secs}s)" [ "$secs" -ge 1 -a "$secs" -lt 10 ]
contains "... and says how long it waited" "$err" "after waiting 2000 ms"

# --wait, then a signal while waiting
"$IS248" import --wait "$fixtures" >"$WORK/out" 2>"$WORK/err" </dev/null &
pid=$!
ok "--wait waits for the lock" wait_for 10 "$waiting"
kill -TERM "$pid"
wait "$pid"
rc=$?
eq "SIGTERM while waiting: exit 5" "$rc" 5
contains "... and says so" "$(cat "$WORK/err")" "interrupted by SIGTERM while waiting for another import; nothing loaded"

# --wait, then the other import ends
"$IS248" import --wait "$fixtures" >"$WORK/out" 2>"$WORK/err" </dev/null &
pid=$!
ok "--wait waits again" wait_for 10 "$waiting"
sleep 1
ok "... still waiting after a second" kill -0 "$pid"
release
wait "$pid"
rc=$?
eq "--wait: loads once the other import ends (exit 0)" "$rc" 0
eq "... all of the fixtures" "$(q "SELECT count(*) FROM is248.report_history")" \
   "$(reports_in $(find "$fixtures" -name '*.xml'))"

# --- two real imports -----------------------------------------------------------
"$IS248_GEN" --years 2015-2017 --format dir --quiet --seed 7 \
    --reference "$SRC/sql/reference" --out "$WORK/big"
# the first import's last path arrives through a FIFO, held open until the
# second import has tried: the first is certainly still running then
slow_xml="$WORK/slow.xml"
rm -f "$slow_xml" "$WORK/go"
mkfifo "$slow_xml"
{ head -c 100 "$fixtures/2019/1101.xml"
  while [ ! -e "$WORK/go" ]; do sleep 0.05; done
  tail -c +101 "$fixtures/2019/1101.xml"; } >"$slow_xml" &
writer=$!
"$IS248" import "$WORK/big" "$slow_xml" >"$WORK/out1" 2>"$WORK/err1" </dev/null &
first=$!
ok "the first import is under way" wait_for 30 "SELECT count(*) > 5 FROM is248.source_file WHERE source LIKE '$WORK/big/%'"
run import "$fixtures"
eq "an import while another runs exits 4" "$rc" 4
touch "$WORK/go"
wait "$writer"
wait "$first"
eq "the first import is not disturbed (exit 0)" "$?" 0

# --- a table lock held elsewhere: --lock-timeout, --statement-timeout -------------
export PGDATABASE="${PGDATABASE}_t"
dropdb --if-exists "$PGDATABASE" >/dev/null 2>&1; createdb "$PGDATABASE"
run migrate
hold "BEGIN; LOCK TABLE is248.report IN ACCESS EXCLUSIVE MODE"
ok "another session holds is248.report" wait_for 10 \
   "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE relation = 'is248.report'::regclass AND mode = 'AccessExclusiveLock' AND granted)"

timed import --lock-timeout 1s "$fixtures"
eq "--lock-timeout 1s: exit 3" "$rc" 3
ok "... within seconds (${secs}s)" [ "$secs" -lt 10 ]
contains "... names the batch rolled back and the cause" "$err" "which was rolled back; files before it stay loaded; run the import again to complete it: cannot merge the batch: canceling statement due to lock timeout"

timed import --lock-timeout 0 --statement-timeout 2s "$fixtures"
eq "--statement-timeout 2s: exit 3" "$rc" 3
ok "... within seconds (${secs}s)" [ "$secs" -lt 10 ]
contains "... says so" "$err" "canceling statement due to statement timeout"
release

eq "nothing was loaded while the table was held" "$(q "SELECT count(*) FROM is248.report")" 0
eq "both runs are recorded as failed" \
   "$(q "SELECT string_agg(status, ',' ORDER BY run_id) FROM is248.import_run")" failed,failed
run import "$fixtures"
eq "once it is free, the import loads (exit 0)" "$rc" 0

# --- options ---------------------------------------------------------------------
run import --wait=soon "$fixtures"
eq "--wait=soon is a usage error" "$rc" 2
contains "... saying what a time is" "$err" "invalid time 'soon' for --wait"
run import --lock-timeout 5parsecs "$fixtures"
eq "--lock-timeout 5parsecs is a usage error" "$rc" 2
run validate --lock-timeout 5s "$fixtures"
eq "--lock-timeout does not apply to validate" "$rc" 2
PGPASSWORD=secret run import "$fixtures"
eq "PGPASSWORD set: a usage error" "$rc" 2
contains "... saying where passwords go" "$err" "PGPASSWORD is set: is248 takes passwords only from libpq's password file"

dropdb "$PGDATABASE"
export PGDATABASE="${PGDATABASE%_t}"
finish
