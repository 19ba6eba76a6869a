#!/usr/bin/env bash
# Corrections and repeats (delivery-format.md §7), with the fixtures in
# fixtures/defects/corrections/: the latest submission is current and the
# earlier ones stay as history; the same report again changes nothing,
# whatever file it comes in; the same unit, year and time with other content
# is set aside, naming what was kept.
. "$(dirname "$0")/lib.sh"

fx="$SRC/fixtures/defects/corrections"
# history of one unit: submitted_at|nav_collab|nav_rating|is_current|file, oldest first
history() {
    q "SELECT concat_ws('|', to_char(submitted_at, 'YYYY-MM-DD\"T\"HH24:MI'), coalesce(nav_collab, '-'),
              coalesce(nav_rating, '-'), is_current, regexp_replace(source, '^.*/', ''))
       FROM is248.report_history WHERE year = $1 AND unit_code = '$2' ORDER BY submitted_at"
}
last_file() {
    q "SELECT concat_ws('|', outcome, reports_loaded, reports_unchanged, reports_rejected)
       FROM is248.source_file ORDER BY file_id DESC LIMIT 1"
}

fresh
# --- a correction: the later submission becomes current ---------------------
run import "$fx/1106-a.xml"
eq "the first report: exit 0" "$rc" 0
eq "the first report is current" "$(current_submission 2019 1106)" "2020-02-10T09:00|yes|good|1106-a.xml"

run import "$fx/1106-b-corrected.xml"
eq "a corrected report (later submission): exit 0" "$rc" 0
eq "the corrected report is current" "$(current_submission 2019 1106)" "2020-03-01T08:00|no|less_good|1106-b-corrected.xml"
eq "the first report stays as history" "$(history 2019 1106)" \
"2020-02-10T09:00|yes|good|f|1106-a.xml
2020-03-01T08:00|no|less_good|t|1106-b-corrected.xml"

# --- an earlier submission loaded later: history, not current -----------------
run import "$fx/1106-c-earlier.xml"
eq "an earlier submission loaded after the correction: exit 0" "$rc" 0
eq "it does not become current" "$(current_submission 2019 1106)" "2020-03-01T08:00|no|less_good|1106-b-corrected.xml"
eq "it is kept as history" "$(history 2019 1106)" \
"2020-01-31T14:00|dont_know|neither|f|1106-c-earlier.xml
2020-02-10T09:00|yes|good|f|1106-a.xml
2020-03-01T08:00|no|less_good|t|1106-b-corrected.xml"
eq "the trend counts the current report only" \
   "$(q "SELECT units_reporting, units_yes, units_no FROM is248.trend_nav_collab WHERE year = 2019 AND size_class = 'Alle'")" "1|0|1"

# --- the same unit, year and time with other content: the newcomer is set aside
run import "$fx/1106-d-conflict.xml"
eq "a conflicting report: exit 1" "$rc" 1
eq "the conflicting report is set aside, naming what was kept" "$(rej_reports)" \
   "report|1|2019|1106|-|conflicts with the report for 1106 2019 submitted at 2020-03-01T08:00:00Z already loaded from $fx/1106-b-corrected.xml: same unit, year and submission time but other content; the report loaded first is kept"
eq "the report loaded first stays current" "$(current_submission 2019 1106)" "2020-03-01T08:00|no|less_good|1106-b-corrected.xml"
eq "nothing added to the history" "$(q "SELECT count(*) FROM is248.report WHERE unit_code = '1106'")" 3
eq "the file is recorded with its report set aside" "$(last_file)" "loaded|0|0|1"

# --- the same report in another file: unchanged, not duplicated ---------------
# 1106-a again, its values written over several lines (white space around a
# value is not content: labels match regardless of it, §4)
run import "$fx/1106-a-reindented.xml"
eq "the first report again, re-indented: exit 0" "$rc" 0
eq "the first report again, re-indented: unchanged, not a conflict" "$(last_file)" "loaded|0|1|0"
eq "the first report again, re-indented: nothing added" "$(q "SELECT count(*) FROM is248.report WHERE unit_code = '1106'")" 3


run import "$fx/county-11.xml"
eq "a county file: exit 0" "$rc" 0
# the same county file written out anew, with a correction for 1112 added
run import "$fx/county-11-resent.xml"
eq "the county file re-sent with a correction added: exit 0" "$rc" 0
eq "the re-sent file: one new report, two unchanged" "$(last_file)" "loaded|1|2|0"
eq "the repeated reports are not duplicated" \
   "$(q "SELECT unit_code || ':' || count(*) FROM is248.report WHERE unit_code IN ('1111', '1112') GROUP BY unit_code ORDER BY 1" | tr '\n' ' ')" \
   "1111:1 1112:2 "
eq "1111 still comes from the first file" "$(current_submission 2019 1111)" "2020-02-03T09:00|yes|good|county-11.xml"
eq "the correction of 1112 is current" "$(current_submission 2019 1112)" "2020-04-15T06:30|yes|neither|county-11-resent.xml"
eq "the first 1112 is history" "$(history 2019 1112)" \
"2020-02-03T09:05|no|-|f|county-11.xml
2020-04-15T06:30|yes|neither|t|county-11-resent.xml"
eq "the county files: nothing set aside" "$(q "SELECT count(*) FROM is248.rejection WHERE source LIKE '%/county-11%'")" 0

# --- the same report twice in one file; the same key with other content -------
run import "$fx/dup-in-file.xml"
eq "a file repeating a report and holding a conflict: exit 1" "$rc" 1
eq "the repeated report loads once, the first of the conflicting pair loads" \
   "$(q "SELECT unit_code || ':' || count(*) || ':' || min(nav_collab) FROM is248.report WHERE unit_code IN ('1119', '1120') GROUP BY unit_code ORDER BY 1" | tr '\n' ' ')" \
   "1119:1:yes 1120:1:yes "
eq "the second of the conflicting pair is set aside" \
   "$(q "SELECT concat_ws('|', level, report_index, year, unit_code, reason) FROM is248.rejection WHERE source LIKE '%/dup-in-file.xml'")" \
   "report|4|2019|1120|conflicts with the report for 1120 2019 submitted at 2020-02-04T10:00:00Z given as report 3 of this file: same unit, year and submission time but other content; the report loaded first is kept"
eq "the file: two new, one unchanged, one set aside" "$(last_file)" "loaded|2|1|1"

# --- the same delivery loaded twice ---------------------------------------------
fresh
mkdir -p "$WORK/delivery/rogaland"
cp "$fx/1106-a.xml" "$fx/county-11.xml" "$WORK/delivery/rogaland/"
(cd "$WORK" && bsdtar -a -cf "$WORK/delivery.zip" delivery)
run import "$WORK/delivery.zip"
eq "a delivery: exit 0" "$rc" 0
snapshot=$(q "SELECT count(*) FROM is248.report")/$(q "SELECT count(*) FROM is248.answer")/$(q "SELECT count(*) FROM is248.rejection")/$(q "SELECT count(*) FROM is248.warning")
eq "a delivery: three reports" "$(q "SELECT count(*) FROM is248.report")" 3
run import "$WORK/delivery.zip"
eq "the same delivery again: exit 0" "$rc" 0
contains "the same delivery again: says already loaded" "$err" "already loaded"
eq "the same delivery again: nothing changes" \
   "$(q "SELECT count(*) FROM is248.report")/$(q "SELECT count(*) FROM is248.answer")/$(q "SELECT count(*) FROM is248.rejection")/$(q "SELECT count(*) FROM is248.warning")" \
   "$snapshot"
eq "the same delivery again: the run is ok, both files already loaded" \
   "$(q "SELECT concat_ws('|', status, files, files_loaded, files_already, reports_loaded) FROM is248.import_run ORDER BY run_id DESC LIMIT 1")" \
   "ok|2|0|2|0"

# --- the same report file twice in one delivery (two folders) --------------------
fresh
mkdir -p "$WORK/twice/rogaland" "$WORK/twice/korrigert"
cp "$fx/1106-a.xml" "$WORK/twice/rogaland/1106.xml"
cp "$fx/1106-a.xml" "$WORK/twice/korrigert/1106.xml"
(cd "$WORK" && bsdtar -a -cf "$WORK/twice.zip" twice/rogaland/1106.xml twice/korrigert/1106.xml)
run import "$WORK/twice.zip"
eq "the same file in two folders: exit 0" "$rc" 0
eq "the same file in two folders: loaded once" "$(q "SELECT count(*) FROM is248.report")" 1
eq "the same file in two folders: the second is recorded as already loaded" \
   "$(q "SELECT entry || ':' || outcome FROM is248.source_file ORDER BY file_id" | tr '\n' ' ')" \
   "twice/rogaland/1106.xml:loaded twice/korrigert/1106.xml:already_loaded "
contains "the same file in two folders: says so" "$err" "already loaded"
# --- inside one batch: two files of one import, the same report in both and a
# conflict across them (issue 12: the batch is decided as a whole, in order)
fresh
mkdir -p "$WORK/batch"
cp "$fx/1106-b-corrected.xml" "$WORK/batch/a.xml"
cp "$fx/1106-b-corrected.xml" "$WORK/batch/b-same-bytes.xml"
cp "$fx/1106-a-reindented.xml" "$WORK/batch/c-reindented.xml"
cp "$fx/1106-a.xml" "$WORK/batch/d-first.xml"
cp "$fx/1106-d-conflict.xml" "$WORK/batch/e-conflict.xml"
run import "$WORK/batch"
eq "five files in one batch: exit 1 (a conflict)" "$rc" 1
eq "... one batch: one run, one transaction's file ids in order" \
   "$(q "SELECT string_agg(regexp_replace(source, '^.*/', '') || ':' || outcome || ':' || reports_loaded || '/' || reports_unchanged || '/' || reports_rejected, ' ' ORDER BY file_id) FROM is248.source_file")" \
   "a.xml:loaded:1/0/0 b-same-bytes.xml:already_loaded:0/0/0 c-reindented.xml:loaded:1/0/0 d-first.xml:loaded:0/1/0 e-conflict.xml:loaded:0/0/1"
contains "... the same bytes later in the batch: loaded before, from the first" "$err" \
   "b-same-bytes.xml': already loaded (from '$WORK/batch/a.xml')"
eq "... the conflict names the file of the batch it conflicts with" "$(rej_reports)" \
   "report|1|2019|1106|-|conflicts with the report for 1106 2019 submitted at 2020-03-01T08:00:00Z given as report 1 of $WORK/batch/a.xml: same unit, year and submission time but other content; the report loaded first is kept"
eq "... the corrected report is current, the first one history" "$(current_submission 2019 1106)" "2020-03-01T08:00|no|less_good|a.xml"

# --- corrections are counted whatever the batches ----------------------------------
# the shipped delivery holds one correction (2019/korrigert/1201.xml); the
# count must not depend on whether its original went in the same batch
want=$(printf '%s\n' "$SRC"/fixtures/delivery/*/*.xml "$SRC"/fixtures/delivery/*/*/*.xml | sed 's|.*/\([0-9]*\)/\(korrigert/\)\{0,1\}\([0-9]*\)\.xml$|\1 \3|' | sort | uniq -d | wc -l)
for batch in 1 500; do
    fresh
    run import --batch "$batch" --json-summary "$WORK/c$batch.json" "$SRC/fixtures/delivery"
    eq "fixtures in batches of $batch: exit 0" "$rc" 0
    eq "... corrections counted: one per report of a unit and year loaded after an earlier one ($want)" \
       "$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["total"]["reports_correcting"])' "$WORK/c$batch.json")|$(q "SELECT count(*) - count(DISTINCT (year, unit_code)) FROM is248.report")" \
       "$want|$want"
done

finish
