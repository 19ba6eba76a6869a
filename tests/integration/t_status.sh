#!/usr/bin/env bash
# is248 status: the recent runs, coverage per year and what was set aside
# grouped by reason, each checked against the same figures counted here in
# plain SQL from the tables (not from the views status reads); the same as
# is248_reader, who may not read those tables.
. "$(dirname "$0")/lib.sh"

# rows TEXT TITLE: the data rows of the table of status's output under the
# title starting with TITLE, trimmed, fields joined with |
rows() {
    awk -v title="$2" '
        index($0, title) == 1 { on = 1; data = 0; next }
        !on { next }
        /^\([0-9]+ rows?\)$/ { exit }
        /^-/ { data = 1; next }
        data {
            n = split($0, f, /\|/); line = ""
            for (i = 1; i <= n; i++) { gsub(/^ +| +$/, "", f[i]); line = line (i > 1 ? "|" : "") f[i] }
            print line }' <<<"$1"
}

# --- before migrate, and usage --------------------------------------------------
run status
eq "status before migrate exits 2" "$rc" 2
contains "... and says what to do" "$err" "run 'is248 migrate' first"

run status --runs x
eq "a malformed --runs exits 2" "$rc" 2
contains "... naming it" "$err" "invalid number 'x' for --runs"
run status --runs -1
eq "a negative --runs exits 2" "$rc" 2
run import --runs 3 "$SRC/fixtures/spec-examples"
eq "--runs does not apply to import (exit 2)" "$rc" 2
run status extra
eq "status takes no operands (exit 2)" "$rc" 2
run status --help
eq "status --help exits 0" "$rc" 0
contains "status --help documents --runs" "$out" "--runs N"

run migrate
run status
eq "status of an empty database exits 0" "$rc" 0
contains "... names the database and the schema version" "$out" \
    "Database '$PGDATABASE' as $PGUSER, is248 schema version $(q "SELECT max(version) FROM is248.schema_version")"
eq "... no runs" "$(rows "$out" "Import runs")" ""
eq "... no coverage" "$(rows "$out" "Units reporting")" ""
eq "... nothing set aside" "$(rows "$out" "Set aside")" ""

# --- runs of known duration, as the table records them ---------------------------
q "INSERT INTO is248.import_run (started_at, finished_at, status, command)
   VALUES (now() - interval '75 min', now(), 'ok', 'an hour and a quarter'),
          (now() - interval '75 s', now(), 'ok', 'a minute and a quarter'),
          (now() - interval '3 days', now(), 'abandoned', 'never ended')" >/dev/null

# --- a delivery with problems, some of each kind more than once -------------------
d="$WORK/bad"
mkdir -p "$d"
good='    <Svar sporsmal="ARB_NAV_SAMARBEID" kode="1">Ja</Svar>'
t=2020-02-01T10:00:00+01:00
# three unknown labels (two in one report), one code that disagrees
v2_report 2019 1103 kommune 143000 $t "$good
    <Svar sporsmal=\"ARB_NAV_SAMHANDLING\">Kjempebra</Svar>
    <Svar sporsmal=\"ARB_NAV_SAMARBEID_SPES\" kode=\"1\">Nei</Svar>" >"$d/labels-1.xml"
v2_report 2019 1106 kommune 37000 $t "    <Svar sporsmal=\"ARB_NAV_SAMARBEID\">Kanskje</Svar>
    <Svar sporsmal=\"ARB_NAV_SAMHANDLING\">Supert</Svar>" >"$d/labels-2.xml"
# two DOCTYPEs, two unknown units, one file cut short
for i in 1 2; do
    { printf '<?xml version="1.0"?>\n<!DOCTYPE Rapport [ <!ENTITY x "Ja"> ]>\n'
      v2_report 2019 111$i kommune 5000 $t "$good"; } >"$d/doctype-$i.xml"
done
v2_report 2019 9999 kommune 100 $t "$good" >"$d/unknown-1.xml"
v2_report 2019 9998 kommune 100 $t "$good" >"$d/unknown-2.xml"
v2_report 2019 1119 kommune 19000 $t "$good" | head -c 150 >"$d/cut.xml"

run import "$SRC/fixtures/delivery"
eq "run 4: the fixture delivery, exit 0" "$rc" 0
run import "$d"
eq "run 5: the delivery with problems, exit 1" "$rc" 1
run import "$SRC/fixtures/defects/xml"
eq "run 6: the defect fixtures, exit 1" "$rc" 1
run import "$d"
eq "run 7: the delivery with problems again, exit 0: nothing new (its files were loaded or set aside before)" "$rc" 0
for f in doctype-1 doctype-2 cut; do
    contains "... $f.xml: set aside before, in run 5, with the first reason" "$err" \
        "'$d/$f.xml': set aside before, in run 5 ($(q "SELECT reason FROM is248.rejection
             WHERE run_id = 5 AND level = 'file' AND source = '$d/$f.xml'"))"
done
eq "... recorded as set aside before, not again" \
   "$(q "SELECT files_rejected || '|' || files_rejected_before || '|' || status FROM is248.import_run WHERE run_id = 7")" "0|3|ok"
eq "... no rejection recorded by run 7" "$(q "SELECT count(*) FROM is248.rejection WHERE run_id = 7")" 0
eq "... its files recorded as rejected_before" \
   "$(q "SELECT count(*) FROM is248.source_file WHERE run_id = 7 AND outcome = 'rejected_before'")" 3
run --quiet import "$d"
eq "run 8, --quiet: exit 0 and not a word (cron mails nothing)" "$rc|$out$err" "0|"
q "DELETE FROM is248.source_file WHERE run_id = 8; DELETE FROM is248.import_run WHERE run_id = 8" >/dev/null

# --- the runs -----------------------------------------------------------------------
run status
eq "status exits 0" "$rc" 0
status_out=$out
runs_sql="SELECT concat_ws('|', run_id, to_char(started_at, 'YYYY-MM-DD HH24:MI:SS'), '', db_user, status,
                 files_loaded || '/' || files_already || '/' || files_rejected || '/' || files_rejected_before,
                 reports_loaded || '/' || reports_unchanged || '/' || reports_rejected,
                 answers_rejected, warnings, skipped)
          FROM is248.import_run ORDER BY run_id DESC"
eq "the runs, newest first, as is248.import_run records them (duration aside)" \
   "$(rows "$out" "Import runs" | awk -F'|' -v OFS='|' '{ $3 = ""; print }')" "$(q "$runs_sql")"
eq "durations: seconds, minutes, hours; none for an abandoned run" \
   "$(rows "$out" "Import runs" | awk -F'|' '$1 <= 3 { print $1 ": " $3 }')" \
"3: 
2: 1 min 15 s
1: 1 h 15 min"
ok "a run of a second or less shows tenths of seconds" \
   grep -qE '^ +4 \| [0-9: -]+ \| [0-9]+\.[0-9] s +\|' <<<"$out"

run status --runs 2
eq "--runs 2 shows the last two runs" "$(rows "$out" "Import runs" | cut -d'|' -f1 | tr '\n' ' ')" "7 6 "
run status --runs 0
eq "--runs 0 shows every run" "$(rows "$out" "Import runs" | wc -l)" "$(q "SELECT count(*) FROM is248.import_run")"

# --- coverage -----------------------------------------------------------------------
eq "coverage per year, counted from the reference and the reports" "$(rows "$status_out" "Units reporting")" "$(q "
WITH e AS (SELECT year, code FROM is248.municipality WHERE code <> '0301'
           UNION ALL
           SELECT y.year, d.code FROM (SELECT DISTINCT year FROM is248.municipality) y CROSS JOIN is248.oslo_district d),
     r AS (SELECT DISTINCT year, unit_code FROM is248.report)
SELECT concat_ws('|', e.year, count(*), count(r.unit_code), count(*) - count(r.unit_code),
                 round(100.0 * count(r.unit_code) / count(*), 1))
FROM e LEFT JOIN r ON r.year = e.year AND r.unit_code = e.code
WHERE e.year <= (SELECT max(year) FROM is248.report)
GROUP BY e.year ORDER BY e.year")"

# --- what was set aside ---------------------------------------------------------------
# per level, the sum of the grouped counts is the number of rejections
by_level() { awk -F'|' '{ n[$1] += $2 } END { for (l in n) print l "|" n[l] }' | sort; }
run status --runs 0
reasons=$(rows "$out" "Set aside")
eq "all runs: the counts add up to the rejections of each level" "$(by_level <<<"$reasons")" \
   "$(q "SELECT level || '|' || count(*) FROM is248.rejection GROUP BY level ORDER BY level")"
order=$(cut -d'|' -f1,2 <<<"$reasons")
eq "... file first, then report, then answer, the most frequent first" \
   "$(awk -F'|' '{ print ($1 == "file" ? 1 : $1 == "report" ? 2 : 3) "|" $0 }' <<<"$order" \
      | sort -s -t'|' -k1,1n -k3,3nr | cut -d'|' -f2-)" "$order"
# class COUNT-SQL LEVEL REASON: the row of that class has the count the SQL gives
class() {
    local want got
    want=$(q "SELECT count(*) FROM is248.rejection WHERE level = '$2' AND $1")
    got=$(awk -F'|' -v l="$2" -v r="$3" '$1 == l && $3 == r { print $2 }' <<<"$reasons")
    eq "'$3' ($2) counts the rejections it groups" "$got" "$want"
}
class "reason ~ '^unknown label ''[^'']*''\$'" answer "unknown label '…'"
class "reason ~ '^code ''[^'']*'' \\([a-z ]+\\) disagrees with label ''[^'']*'' \\([a-z ]+\\)\$'" answer \
      "code '…' (…) disagrees with label '…' (…)"
class "reason ~ '^DOCTYPE declarations are not allowed \\(line [0-9]+\\)\$'" file "DOCTYPE declarations are not allowed (line N)"
class "reason ~ '^unknown unit code ''[0-9]+''\$'" report "unknown unit code '…'"
class "reason ~ '^malformed population '" answer "malformed population '…'"
class "reason ~ '^unit code [0-9]+ \\([^)]*\\) is not valid in [0-9]+; it is valid from [0-9]+\$'" report \
      "unit code N (…) is not valid in N; it is valid from N"
ok "the delivery's DOCTYPEs were counted once (2 files, imported twice)" \
   test "$(awk -F'|' '$3 == "DOCTYPE declarations are not allowed (line N)" { print $2 }' <<<"$reasons")" -ge 2
eq "... once: run 5 recorded them, run 7 did not" \
   "$(q "SELECT string_agg(run_id || ':' || count, ' ' ORDER BY run_id) FROM (SELECT run_id, count(*) FROM is248.rejection
         WHERE reason LIKE 'DOCTYPE declarations are not allowed%' AND source LIKE '$d/%' GROUP BY run_id) x")" "5:2"
# every example is a reason of its level as recorded (or the start of one,
# cut with … when long)
bad=$(while IFS='|' read -r level _ _ example; do
          ex=${example%…}
          [ "$(q "SELECT count(*) > 0 FROM is248.rejection WHERE level = '$level'
                  AND left(reason, length(\$ex\$$ex\$ex\$)) = \$ex\$$ex\$ex\$")" = t ] || echo "$level: $example"
      done <<<"$reasons")
eq "every example is a recorded reason of its level" "$bad" ""
ok "long reasons are cut to 72 characters with …" \
   test "$(awk -F'|' '{ if (length($3) > m) m = length($3) } END { print m }' <<<"$reasons")" -le 80

run status --runs 1
eq "--runs 1: only what the last run set aside" "$(rows "$out" "Set aside" | by_level)" \
   "$(q "SELECT level || '|' || count(*) FROM is248.rejection WHERE run_id = (SELECT max(run_id) FROM is248.import_run)
         GROUP BY level ORDER BY level")"
contains "... titled so" "$out" "Set aside in those 1 runs, by level and reason"

# --- what was warned about, grouped as the rejections ---------------------------------
warned=$(rows "$status_out" "Warned about in")
eq "the warning counts add up to the warnings of the runs shown" \
   "$(awk -F'|' '{ n += $1 } END { print n + 0 }' <<<"$warned")" \
   "$(q "SELECT count(*) FROM is248.warning WHERE run_id IN (SELECT run_id FROM is248.import_run ORDER BY run_id DESC LIMIT 10)")"
ok "... there are warnings to group" test "$(wc -l <<<"$warned")" -ge 1
bad=$(while IFS='|' read -r n _ example units; do
          ex=${example%…}
          [ "$(q "SELECT count(*) > 0 FROM is248.warning WHERE left(reason, length(\$ex\$$ex\$ex\$)) = \$ex\$$ex\$ex\$")" = t ] || echo "$example"
          for u in $units; do
              [ "$(q "SELECT count(*) > 0 FROM is248.warning WHERE unit_code = '$u'")" = t ] || echo "unit $u"
          done
      done <<<"$warned")
eq "... every example is a recorded warning, every unit named has one" "$bad" ""

# --- what is still open ---------------------------------------------------------------
# status --open shortens long file names from the left, as this does
open_sql="SELECT concat_ws('|', run_id, level,
                 CASE WHEN length(file) > 72 THEN '…' || right(file, 71) ELSE file END, coalesce(report_index::text, ''), coalesce(unit_code, ''),
                 coalesce(year::text, ''), coalesce(question, ''),
                 CASE WHEN length(reason) > 72 THEN left(reason, 71) ELSE reason END)
          FROM is248.open_rejection ORDER BY run_id, file, report_index NULLS FIRST, recorded_at"
run status --open
eq "status --open exits 0" "$rc" 0
open_rows() { rows "$1" "Still set aside" | awk -F'|' -v OFS='|' '{ sub(/…$/, "", $8); print }'; }
eq "... one line per open rejection, as is248.open_rejection has them" "$(open_rows "$out")" "$(q "$open_sql")"
ok "... the delivery's DOCTYPE files among them" grep -q "|file|[^|]*/bad/doctype-1.xml|" <<<"$(open_rows "$out")"
n_open=$(q "SELECT count(*) FROM is248.open_rejection")
# the sender sends doctype-1.xml again, put right, and a report of unit
# 1106 for 2019 (its answers were set aside); unit 9999 stays unknown
v2_report 2019 1111 kommune 5000 2020-03-01T10:00:00+01:00 "$good" >"$d/doctype-1.xml"
v2_report 2019 1106 kommune 37000 2020-03-01T10:00:00+01:00 "$good" >"$d/labels-2.xml"
run import "$d"
eq "the corrected files load (exit 0)" "$rc" 0
run status --open
eq "... what they replace is no longer open" \
   "$(open_rows "$out" | grep -c "/doctype-1.xml|\||1106|2019|" || true)" 0
eq "... the rest is" "$(q "SELECT count(*) FROM is248.open_rejection")" \
   "$(( n_open - $(q "SELECT count(*) FROM is248.rejection WHERE run_id < 9 AND (source = '$d/doctype-1.xml' OR (unit_code = '1106' AND year = 2019))") ))"
ok "... doctype-2.xml still open" grep -q "|file|[^|]*/bad/doctype-2.xml|" <<<"$(open_rows "$out")"

# --- as is248_reader --------------------------------------------------------------
reader=t_status_reader
q "SET client_min_messages = warning; DROP ROLE IF EXISTS $reader; CREATE ROLE $reader LOGIN IN ROLE is248_reader" >/dev/null
trap 'psql -X -q -d postgres -c "DROP ROLE IF EXISTS $reader" >/dev/null 2>&1' EXIT
got=$(PGUSER=$reader psql -X -A -t -q -c "SELECT 1 FROM is248.rejection LIMIT 1" 2>&1)
contains "the reader may not read is248.rejection" "$got" "permission denied"
got=$(PGUSER=$reader psql -X -A -t -q -c "SELECT 1 FROM is248.import_run LIMIT 1" 2>&1)
contains "... nor is248.import_run" "$got" "permission denied"
# a closed rejection (the answers of 1106 2019, replaced above) must not
# reach the reader through a condition of its own that runs before the
# view's: a cast that fails on the row would print its reason
leak=$(PGUSER=$reader psql -X -A -t -q -c "SELECT count(*) FROM is248.open_rejection
          WHERE CASE WHEN unit_code = '1106' AND reason LIKE '%Kanskje%' THEN reason::int = 0 ELSE false END" 2>&1)
eq "the reader's own conditions do not see the closed rejections behind is248.open_rejection" "$leak" 0
PGUSER=$reader run status --runs 0
eq "status as is248_reader exits 0" "$rc" 0
eq "... and shows what the owner sees" "$(tail -n +2 <<<"$out")" \
   "$("$IS248" status --runs 0 2>/dev/null | tail -n +2)"
contains "... connected as the reader" "$out" "as $reader,"
finish
