#!/usr/bin/env bash
# What an import tells the people and the machines that run it (issue 6):
# a progress line on a terminal only, a summary table per path given on
# stdout, and --json-summary, each checked against what the database
# recorded of the run (is248.import_run, is248.source_file).
. "$(dirname "$0")/lib.sh"

fixtures="$SRC/fixtures/delivery"
run migrate

# a second path: a small archive of generated county files
"$IS248_GEN" -q --years 2024 --reference "$SRC/sql/reference" --out "$WORK/y2024.tar.gz"
paths=("$fixtures" "$WORK/y2024.tar.gz")

# --- the table and the JSON, against the run as recorded -------------------------
run import --json-summary "$WORK/s.json" "${paths[@]}"
eq "the import exits 0" "$rc" 0
contains "the table has a header" "$out" "path"
contains "... a column of reports" "$out" "reports new"
run_row=$(q "SELECT files, files_loaded, files_already, files_rejected, files_rejected_before, reports_loaded, reports_unchanged, reports_rejected, answers_rejected FROM is248.import_run ORDER BY run_id DESC LIMIT 1")
# the table's total row, counts only: "total | 148 | ... | 0.5s"
table_total=$(grep '^ total ' <<<"$out" | awk -F'|' '{ for (i = 2; i <= 10; i++) { gsub(/ /, "", $i); printf "%s%s", (i > 2 ? "|" : ""), $i } }')
eq "the table's total is the run as recorded" "$table_total" "$run_row"
for i in 0 1; do
    p=${paths[$i]}
    want=$(q "SELECT count(*), count(*) FILTER (WHERE outcome = 'loaded'), coalesce(sum(reports_loaded), 0) FROM is248.source_file WHERE run_id = (SELECT max(run_id) FROM is248.import_run) AND source LIKE '$p%'")
    got=$(grep -F " $p " <<<"$out" | awk -F'|' '{ gsub(/ /, "", $2); gsub(/ /, "", $3); gsub(/ /, "", $7); print $2 "|" $3 "|" $7 }')
    eq "the table's row of $(basename "$p") is its files as recorded" "$got" "$want"
done

json_get() {  # json_get EXPR: a value of $WORK/s.json, by a Python expression on j
    python3 -c "import json, sys; j = json.load(open(sys.argv[1])); print($1)" "$WORK/s.json"
}
eq "the JSON parses, with the run's id, status and exit code" \
   "$(json_get 'j["run_id"], j["status"], j["exit_code"]')" \
   "$(q "SELECT max(run_id) FROM is248.import_run") ok 0"
eq "... its total is the run as recorded" \
   "$(json_get '"|".join(str(j["total"][k]) for k in ("files", "files_loaded", "files_already_loaded", "files_set_aside", "files_set_aside_before", "reports_loaded", "reports_unchanged", "reports_set_aside", "answers_set_aside"))')" \
   "$run_row"
eq "... one entry per path, in order, summing to the total" \
   "$(json_get '[p["path"] for p in j["paths"]], all(sum(p[k] for p in j["paths"]) == j["total"][k] for k in j["total"] if k != "seconds")')" \
   "['${paths[0]}', '${paths[1]}'] True"

# --- again: every file already loaded ---------------------------------------------
run import --json-summary - "${paths[@]}"
eq "a re-import exits 0" "$rc" 0
eq "... and --json-summary - writes the JSON on stdout, alone" \
   "$(python3 -c 'import json, sys; j = json.loads(sys.stdin.read()); print(j["total"]["files_already_loaded"] == j["total"]["files"] > 0, j["total"]["reports_loaded"])' <<<"$out")" \
   "True 0"

# --- quiet, locked, unwritable ------------------------------------------------------
run import --quiet "${paths[@]}"
eq "--quiet: no table, no word" "$out$err" ""

psql -X -q -c "SELECT pg_advisory_lock(1230188084, 2)" -c "SELECT pg_sleep(120)" >/dev/null 2>&1 &
holder=$!
ok "another session holds the import lock" wait_for 10 "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = 1230188084 AND objid = 2 AND granted)"
run import --json-summary "$WORK/locked.json" "${paths[@]}"
q "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(120)%' AND pid <> pg_backend_pid()" >/dev/null
wait "$holder" 2>/dev/null
eq "locked out: exit 4" "$rc" 4
eq "... and the JSON says so" \
   "$(python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print(j["status"], j["exit_code"], j["run_id"], j["paths"])' "$WORK/locked.json")" \
   "locked 4 None []"

run import --db "host=$NO_SERVER dbname=$PGDATABASE" --json-summary "$WORK/noconn.json" "${paths[@]}"
eq "no server: exit 3, and the JSON says so (not yesterday's file)" \
   "$rc $(python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print(j["status"], j["exit_code"])' "$WORK/noconn.json")" \
   "3 failed 3"
run import --db "dbname=${PGDATABASE}_nowhere" --json-summary "$WORK/noconn.json" "${paths[@]}"
eq "a database that does not exist: exit 2, and the JSON says configuration" \
   "$rc $(python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print(j["status"], j["exit_code"])' "$WORK/noconn.json")" \
   "2 configuration 2"
createdb "${PGDATABASE}_bare"
run import --db "dbname=${PGDATABASE}_bare" --json-summary "$WORK/bare.json" "${paths[@]}"
eq "a database without the schema: exit 2, and the JSON says configuration, 2 (not failed)" \
   "$rc $(python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print(j["status"], j["exit_code"])' "$WORK/bare.json")" \
   "2 configuration 2"
dropdb "${PGDATABASE}_bare"

before=$(q "SELECT count(*) FROM is248.import_run")
run import --json-summary /nonexistent/dir/s.json "${paths[@]}"
eq "a summary that cannot be written: exit 2" "$rc" 2
contains "... saying why" "$err" "cannot write the summary to '/nonexistent/dir/s.json'"
eq "... before anything was done" "$(q "SELECT count(*) FROM is248.import_run")" "$before"

# --- the progress line: on a terminal only ---------------------------------------------
createdb "${PGDATABASE}_tty"
PGDATABASE="${PGDATABASE}_tty" "$IS248" migrate -q
# script(1) gives is248 a terminal; what it wrote there lands in the file
PGDATABASE="${PGDATABASE}_tty" script -qfec "'$IS248' import '$WORK/y2024.tar.gz'" /dev/null \
    >"$WORK/tty" 2>&1 </dev/null
tty_rc=$?
eq "on a terminal the import exits 0" "$tty_rc" 0
progress=$(tr '\r' '\n' <"$WORK/tty" | grep 'reports/s' | tail -1)
contains "... with a progress line of files, reports, MB and rate" "$progress" "report(s),"
contains "... measured against the archive's size" "$progress" \
    "of $(awk -v b="$(stat -c %s "$WORK/y2024.tar.gz")" 'BEGIN { printf "%.1f MB", b / 1e6 }')"
ok "... redrawn in place with a carriage return" grep -q $'\r' "$WORK/tty"
ok "... and erased before the summary" grep -q $'\r\033\[K' "$WORK/tty"
dropdb "${PGDATABASE}_tty"

run import "${paths[@]}"
ok "not on a terminal: no progress line" bash -c '! grep -q "reports/s" <<<"$1" && ! grep -q $'"'"'\r'"'"' <<<"$1"' _ "$err"
PGDATABASE="${PGDATABASE}" script -qfec "'$IS248' import --quiet '$WORK/y2024.tar.gz'" /dev/null \
    >"$WORK/tty_quiet" 2>&1 </dev/null
eq "with --quiet, not on a terminal either" "$(cat "$WORK/tty_quiet")" ""

# --- a path whose name is not UTF-8 (a file name may hold any bytes) ---------------
odd="$WORK/$(printf 'odd\xffname')"
mkdir -p "$odd"
cp "$SRC/fixtures/delivery/2019/1101.xml" "$odd/"
run import --json-summary "$WORK/odd.json" "$odd"
eq "a path that is not UTF-8: exit 0 (loaded or loaded before)" "$rc" 0
eq "... the JSON summary is JSON, the byte as U+FFFD" \
   "$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1], "rb"))["paths"][0]["path"].endswith("odd\ufffdname"))' "$WORK/odd.json")" True
eq "... the run's command line recorded with the byte escaped" \
   "$(q "SELECT position('odd' || chr(92) || 'xFFname' IN command) > 0 FROM is248.import_run ORDER BY run_id DESC LIMIT 1")" t

finish
