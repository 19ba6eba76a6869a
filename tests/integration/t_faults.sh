#!/usr/bin/env bash
# Faults in the middle of an import (issue 4): SIGTERM and SIGINT, the
# server stopped mid-COPY (pg_ctl stop -m immediate), the connection cut
# (pg_terminate_backend), and the disk full (a tablespace on a small tmpfs).
# Each time: the documented exit code, a message naming the file that was
# rolled back, no file half-loaded, and the next run completes the delivery
# with every report of it.
#
# Runs on a cluster of its own, since it stops the server.
. "$(dirname "$0")/lib.sh"
own_cluster

delivery="$WORK/delivery"
"$IS248_GEN" --years 2017-2019 --format dir --quiet \
    --reference "$SRC/sql/reference" --out "$delivery"
eq "the generator exits 0" "$?" 0
files=$(find "$delivery" -name '*.xml' | wc -l)

# the number of reports in each file, for the checks below
find "$delivery" -name '*.xml' -print0 | xargs -0 awk '
    { n[FILENAME] += gsub(/<([A-Za-z0-9_.-]+:)?(kommunerapport|Rapport)([ \t>\/]|$)/, "&") }
    END { for (f in n) print f "\t" n[f] }' >"$WORK/per-file.tsv"
total=$(awk '{ t += $2 } END { print t }' "$WORK/per-file.tsv")
ok "a delivery of many files ($files files, $total reports)" [ "$files" -gt 400 ]

# fresh_db NAME: a new database with the schema, as PGDATABASE
fresh_db() {
    export PGDATABASE=$1
    dropdb --if-exists "$PGDATABASE" >/dev/null 2>&1
    createdb "$PGDATABASE"
    run migrate
    eq "$1: migrate exits 0" "$rc" 0
    q "CREATE TABLE public.per_file (source text PRIMARY KEY, reports int)" >/dev/null
    q "\\copy public.per_file FROM '$WORK/per-file.tsv'" >/dev/null
}

# invariants NAME: nothing half-loaded: every loaded file holds all of its
# reports (as many as the file on disk), and no report belongs to anything
# but a loaded file
invariants() {
    cp "$WORK/err" "$WORK/err.${1//[^A-Za-z0-9]/_}"   # kept for whoever reads a failure
    eq "$1: every loaded file whole in the database" "$(whole_files)" ok
    eq "$1: every loaded file holds as many reports as it has on disk" \
       "$(q "SELECT f.source FROM is248.source_file f JOIN public.per_file p USING (source)
             WHERE f.outcome = 'loaded' AND f.reports_loaded <> p.reports")" ""
}

# complete NAME: the next run loads the rest, exit 0, the whole delivery in
completes() {
    run import "$delivery"
    eq "$1: the next run exits 0" "$rc" 0
    eq "$1: the next run loads every report" \
       "$(q "SELECT count(*) FROM is248.report")" "$total"
    eq "$1: one loaded file per file of the delivery" \
       "$(q "SELECT count(DISTINCT source) FROM is248.source_file WHERE outcome = 'loaded'")" "$files"
    contains "$1: the next run says the earlier files were loaded before" "$err" "already loaded"
    invariants "$1, after the next run"
}

# start_import: is248 import in the background, in batches of 10 files (so
# that a signal lands between them or inside one); $pid
start_import() {
    "$IS248" import --batch 10 "$delivery" >"$WORK/out" 2>"$WORK/err" </dev/null &
    pid=$!
}

# finish_import: wait for it; $rc, $err
finish_import() {
    wait "$pid"
    rc=$?
    err=$(cat "$WORK/err")
}

loaded_some="SELECT count(*) >= 20 FROM is248.source_file"

# A report file that arrives slowly, through a FIFO: its first 4.5 MiB, then
# the rest once $WORK/go exists.  Given after the delivery, it makes the
# fault land deterministically in the middle of a COPY: every file of the
# delivery is loaded, and is248 holds a COPY open while it waits for bytes.
# (a file over 4 MiB is a batch of its own, streamed: is248 reads its first
# 4 MiB, loads the batches before it, then begins its COPY; the file is made
# larger with a comment inside its root element.)
slow_src=$(ls -S "$delivery"/2019/*.xml | head -n 1)
slow_data="$WORK/slow-data.xml"
{ head -n 2 "$slow_src"; printf '<!-- %s -->\n' "$(head -c 4600000 /dev/zero | tr '\0' x)"
  tail -n +3 "$slow_src"; } >"$slow_data"
first=$(((4 << 20) + 300000))
slow="$WORK/slow-county.xml"
# start_slow_delivery: import the delivery and the slow file; $pid, $writer
start_slow_delivery() {
    slow_fifo "$slow" "$slow_data" "$first"
    "$IS248" import "$delivery" "$slow" >"$WORK/out" 2>"$WORK/err" </dev/null &
    pid=$!
}
in_copy_on_slow="SELECT (SELECT count(*) FROM is248.source_file) = $files
                  AND EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'is248'
                              AND query LIKE '%COPY%' AND state = 'active')"
# slow_done: let the slow file finish and wait for its writer
slow_done() {
    slow_go
    rm -f "$slow"
}

# --- SIGTERM in the middle of a COPY -------------------------------------------
fresh_db faults_sigterm
start_slow_delivery
ok "SIGTERM: is248 is in the COPY of the last file" wait_for 60 "$in_copy_on_slow"
kill -s TERM "$pid"
slow_done
finish_import
eq "SIGTERM: exit 5" "$rc" 5
contains "SIGTERM: says where it stopped, and that the file rolled back" "$err" \
    "interrupted by SIGTERM while loading '$slow', which was rolled back; files before it stay loaded; run the import again to complete it"
eq "SIGTERM: the run is recorded as interrupted" \
   "$(q "SELECT status FROM is248.import_run ORDER BY run_id DESC LIMIT 1")" interrupted
eq "SIGTERM: nothing of the file it was in" \
   "$(q "SELECT count(*) FROM is248.source_file WHERE source = '$slow'")" 0
ok "SIGTERM: no session of is248 left" wait_for 10 \
   "SELECT count(*) = 0 FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'is248'"
invariants "SIGTERM"
completes "SIGTERM"

# --- SIGINT, wherever it lands ---------------------------------------------------
fresh_db faults_sigint
start_import
ok "SIGINT: the import gets under way" wait_for 60 "$loaded_some"
kill -s INT "$pid"
finish_import
eq "SIGINT: exit 5" "$rc" 5
contains "SIGINT: says where it stopped" "$err" "interrupted by SIGINT "
# between batches nothing is rolled back; inside one, the batch is named,
# and each of its files
case $err in
*"interrupted by SIGINT while loading "*", which was rolled back"*)
    contains "SIGINT: names each file of the batch rolled back" "$err" "not loaded: its batch was rolled back" ;;
*)  contains "SIGINT: between two batches, nothing rolled back" "$err" "interrupted by SIGINT between two batches; the files before stay loaded" ;;
esac
eq "SIGINT: the run is recorded as interrupted" \
   "$(q "SELECT status FROM is248.import_run ORDER BY run_id DESC LIMIT 1")" interrupted
ok "SIGINT: stopped part way" [ "$(q "SELECT count(*) FROM is248.report")" -lt "$total" ]
invariants "SIGINT"
completes "SIGINT"

# --- the server stopped mid-COPY ----------------------------------------------
fresh_db faults_stop
start_slow_delivery
ok "stop: is248 is in the COPY of the last file" wait_for 60 "$in_copy_on_slow"
pg_as_owner "$IS248_PG_BINDIR/pg_ctl" -D "$OWN_PG/data" -m immediate -w stop >/dev/null
slow_done
finish_import
eq "stop: exit 3" "$rc" 3
contains "stop: says which file was rolled back" "$err" "database failure while loading '$slow', which was rolled back"
pg_as_owner "$IS248_PG_BINDIR/pg_ctl" -D "$OWN_PG/data" -l "$OWN_PG/server.log" -w start >/dev/null
eq "stop: the run is recorded as running (it could not say more)" \
   "$(q "SELECT status FROM is248.import_run ORDER BY run_id DESC LIMIT 1")" running
eq "stop: nothing of the file it was in" \
   "$(q "SELECT count(*) FROM is248.source_file WHERE source = '$slow'")" 0
invariants "stop"
completes "stop"
contains "stop: the next run says the dead run was abandoned" "$err" "marked 'abandoned' in is248.import_run"
eq "stop: the dead run is marked abandoned, the next one ok" \
   "$(q "SELECT string_agg(status, ',' ORDER BY run_id) FROM is248.import_run")" abandoned,ok

# --- the connection cut --------------------------------------------------------
fresh_db faults_cut
start_slow_delivery
ok "cut: is248 is in the COPY of the last file" wait_for 60 "$in_copy_on_slow"
eq "cut: the backend is terminated" \
   "$(q "SELECT bool_and(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'is248'")" t
slow_done
finish_import
eq "cut: exit 3" "$rc" 3
contains "cut: says which file was rolled back" "$err" "database failure while loading '$slow', which was rolled back"
eq "cut: nothing of the file it was in" \
   "$(q "SELECT count(*) FROM is248.source_file WHERE source = '$slow'")" 0
invariants "cut"
completes "cut"
eq "cut: the dead run is marked abandoned, the next one ok" \
   "$(q "SELECT string_agg(status, ',' ORDER BY run_id) FROM is248.import_run")" abandoned,ok

# --- the disk full -------------------------------------------------------------
# A database in a tablespace on a small tmpfs: the schema and the reference
# data fit, with 2 MiB to spare; the delivery does not.  Needs mount(2),
# i.e. root.
space="$OWN_PG/space"
mkdir -p "$space"
if mount -t tmpfs -o size=64m,mode=700 is248-test "$space" 2>"$WORK/mount.err"; then
    trap 'kill $(jobs -p) 2>/dev/null; "$SRC/tests/integration/pg_cluster.sh" stop "$OWN_PG" >/dev/null 2>&1; umount "$space" 2>/dev/null' EXIT
    chown postgres: "$space"
    export PGDATABASE=postgres
    q "CREATE TABLESPACE is248_small LOCATION '$space'" >/dev/null
    export PGDATABASE=faults_disk
    createdb -D is248_small "$PGDATABASE"
    run migrate
    eq "disk: migrate exits 0" "$rc" 0
    q "CREATE TABLE public.per_file (source text PRIMARY KEY, reports int)" >/dev/null
    q "\\copy public.per_file FROM '$WORK/per-file.tsv'" >/dev/null
    used=$(df --output=used -k "$space" | tail -n 1)
    mount -o remount,size=$((used + 2048))k "$space"
    run import "$delivery"
    eq "disk: exit 3" "$rc" 3
    contains "disk: the server's reason" "$err" "No space left on device"
    contains "disk: says which batch was rolled back" "$err" "database failure while loading a batch of "
    contains "... naming its files" "$err" ".xml': not loaded: its batch was rolled back"
    ok "disk: stopped part way" [ "$(q "SELECT count(*) FROM is248.report")" -lt "$total" ]
    invariants "disk"
    mount -o remount,size=512m "$space"
    completes "disk"
    export PGDATABASE=postgres
    dropdb faults_disk
    q "DROP TABLESPACE is248_small" >/dev/null
    umount "$space"
else
    echo "SKIP: disk full: cannot mount a tmpfs here ($(cat "$WORK/mount.err"))" >&2
fi

finish
