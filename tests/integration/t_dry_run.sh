#!/usr/bin/env bash
# import --dry-run: the whole import against the database, in one
# transaction rolled back at its end.  What it says it would do is what the
# import then does (its counts and exit code, compared with a real import of
# the same paths), and nothing of it stays: no run, file, report, rejection,
# warning, delivery or stage row.
. "$(dirname "$0")/lib.sh"

fx="$SRC/fixtures/defects/corrections"
# every table a run writes to, counted
state() {
    q "SELECT concat_ws('|', (SELECT count(*) FROM is248.import_run), (SELECT count(*) FROM is248.source_file),
              (SELECT count(*) FROM is248.report), (SELECT count(*) FROM is248.rejection),
              (SELECT count(*) FROM is248.warning), (SELECT count(*) FROM is248.skipped_entry),
              (SELECT count(*) FROM is248.delivery), (SELECT count(*) FROM is248.delivery_piece),
              (SELECT count(*) FROM is248.stage), (SELECT coalesce(max(run_id), 0) FROM is248.import_run))"
}
# the JSON summary's totals without the time
totals() {
    python3 -c 'import json, sys
t = json.load(open(sys.argv[1]))["total"]; t.pop("seconds")
print(" ".join(f"{k}={v}" for k, v in sorted(t.items())))' "$1"
}

run migrate
eq "migrate" "$rc" 0

# --- a first delivery, dry ------------------------------------------------------
before=$(state)
run import --dry-run --json-summary "$WORK/dry.json" "$SRC/fixtures/delivery"
dry_rc=$rc dry_err=$err
eq "a dry run of the fixture delivery: the exit code of the import (0)" "$rc" 0
contains "... says it is a dry run" "$err" "dry run: everything as an import would do it, in one transaction rolled back at the end; nothing is kept"
contains "... each file: would load" "$err" "fixtures/delivery/2025/oslo.xml': would load: 2 report(s) new"
contains "... the summary says nothing was kept" "$err" "dry run, all rolled back, nothing kept: "
eq "... nothing stays: no run, file, report, rejection, warning, delivery or stage row" "$(state)" "$before"
eq "... the JSON says it was a dry run, without a run" \
   "$(python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print(j["run_id"], j["dry_run"])' "$WORK/dry.json")" "None True"
run import --json-summary "$WORK/real.json" "$SRC/fixtures/delivery"
eq "the real import: the dry run's exit code" "$rc" "$dry_rc"
eq "... and its counts" "$(totals "$WORK/real.json")" "$(totals "$WORK/dry.json")"
eq "... loaded the reports the dry run counted" "$(q "SELECT count(*) FROM is248.report")" \
   "$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["total"]["reports_loaded"])' "$WORK/dry.json")"

# --- a second delivery: loaded before, a correction, a conflict, a bad file -----
run import "$fx/1106-a.xml"
eq "1106-a loaded" "$rc" 0
d="$WORK/second"
mkdir -p "$d"
cp "$fx/1106-a.xml" "$fx/1106-b-corrected.xml" "$fx/1106-d-conflict.xml" "$d/"
printf '<Rapport' >"$d/cut.xml"
before=$(state)
run import --dry-run --json-summary "$WORK/dry2.json" "$d"
dry_rc=$rc dry_err=$err
eq "dry run of the second delivery: exit 1 (something would be set aside)" "$rc" 1
contains "... 1106-a: already loaded" "$err" "1106-a.xml': already loaded (from '$fx/1106-a.xml')"
contains "... 1106-b: would load, a correction" "$err" \
    "1106-b-corrected.xml': would load: 1 report(s) new, 0 unchanged, 0 set aside; 0 answer(s) set aside; 1 correction(s) of a report loaded before"
contains "... 1106-d: its report would be a conflict with the correction before it" "$err" \
    "1106-d-conflict.xml', report 1 (1106 2019): report set aside: conflicts with the report for 1106 2019 submitted at 2020-03-01T08:00:00Z given as report 1 of $d/1106-b-corrected.xml"
contains "... the cut file: would be set aside" "$err" "cut.xml': file would be set aside: "
eq "... nothing stays" "$(state)" "$before"
run import --json-summary "$WORK/real2.json" "$d"
eq "the real import of it: the dry run's exit code" "$rc" "$dry_rc"
eq "... and its counts" "$(totals "$WORK/real2.json")" "$(totals "$WORK/dry2.json")"
eq "... with the correction counted" \
   "$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["total"]["reports_correcting"])' "$WORK/real2.json")" 1
eq "... and current" "$(current_submission 2019 1106)" "2020-03-01T08:00|no|less_good|1106-b-corrected.xml"

# --- a dry run takes the import lock like an import ---------------------------
psql -X -q -c "SELECT pg_advisory_lock(1230188084, 2), pg_sleep(120)" >/dev/null 2>&1 &
holder=$!
wait_for 10 "SELECT count(*) = 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = 2 AND granted"
run import --dry-run "$d"
eq "while another import runs: exit 4" "$rc" 4
q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
   WHERE datname = current_database() AND query LIKE '%pg_sleep(120)%' AND pid <> pg_backend_pid()" >/dev/null
wait "$holder" 2>/dev/null

# --- validate has no dry run (it never touches a database) ----------------------------
run validate --dry-run "$d"
eq "--dry-run does not apply to validate (exit 2)" "$rc" 2
finish
