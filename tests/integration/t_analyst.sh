#!/usr/bin/env bash
# What an analyst takes away (issue 14): the xlsx workbook of the trends,
# read back with openpyxl and compared cell by cell with the trend views;
# CSV in Norwegian Excel's dialect, byte for byte; the unit-level export in
# every format against report_current; the words in Bokmål and English and
# the language from the environment; Markdown links relative to the
# report's file; the catalogue in SQL for the reader.  Every expected figure
# is read from the database here, none is written into the test.
. "$(dirname "$0")/lib.sh"
export LC_ALL=C.UTF-8
PY=/usr/bin/python3   # Debian's, with python3-openpyxl (scripts/deps)
"$PY" -c 'import openpyxl' 2>/dev/null || { echo "python3-openpyxl missing (scripts/deps installs it)"; exit 77; }

run migrate
run import "$SRC/fixtures/delivery"
eq "the fixtures import" "$rc" 0

# views.json: every trend view's rows, in order, as the test reads them
views_json() {
    q "SELECT json_build_object(
         'nav_collab', (SELECT json_agg(t) FROM is248.trend_nav_collab t),
         'nav_rating', (SELECT json_agg(t) FROM is248.trend_nav_rating t),
         'ips_se_mental_health', (SELECT json_agg(to_jsonb(t) - 'field') FROM is248.trend_ips_se t WHERE field = 'mental_health'),
         'ips_se_substance', (SELECT json_agg(to_jsonb(t) - 'field') FROM is248.trend_ips_se t WHERE field = 'substance'),
         'columns', (SELECT json_agg(c ORDER BY indicator, ord) FROM is248.indicator_column c))"
}

# --- the workbook of the trends ------------------------------------------------------
run trends --format xlsx --output "$WORK/trends.xlsx"
eq "trends --format xlsx: exit 0" "$rc" 0
contains "... says where" "$err" "workbook written to '$WORK/trends.xlsx'"
eq "... nothing on stdout" "$out" ""
views_json >"$WORK/views.json"
cat >"$WORK/xlsx.py" <<'PY'
import json, sys
import openpyxl
path, views_path, lang = sys.argv[1:4]
views = json.load(open(views_path))
wb = openpyxl.load_workbook(path)
fail, cells = [], 0
inds = ["nav_collab", "nav_rating", "ips_se_mental_health", "ips_se_substance"]
about = {"en": "About", "nb": "Om"}[lang]
if wb.sheetnames != inds + [about]:
    fail.append("sheets %s" % wb.sheetnames)
for ind in inds:
    ws = wb[ind]
    cols = [c for c in views["columns"] if c["indicator"] == ind]
    rows = views[ind]
    if ws.freeze_panes != "C2":
        fail.append("%s: frozen at %s" % (ind, ws.freeze_panes))
    header = [c.value for c in ws[1]]
    if header != [c["label_" + lang] for c in cols]:
        fail.append("%s: header %s" % (ind, header))
    if not all(c.font.b for c in ws[1]):
        fail.append("%s: the header is not bold" % ind)
    if ws.max_row != len(rows) + 1:
        fail.append("%s: %d rows, the view %d" % (ind, ws.max_row - 1, len(rows)))
    for r, row in enumerate(rows, start=2):
        for k, c in enumerate(cols, start=1):
            cell, want = ws.cell(row=r, column=k), row[c["column_name"]]
            cells += 1
            if want is None:
                if cell.value is not None:
                    fail.append("%s %s: %r for NULL" % (ind, cell.coordinate, cell.value))
            elif c["type"] == "pct":
                if not isinstance(cell.value, (int, float)) or abs(cell.value * 100 - want) > 1e-9 \
                        or cell.number_format != "0.0%":
                    fail.append("%s %s: %r (%s), want %s %%" % (ind, cell.coordinate, cell.value, cell.number_format, want))
            elif c["type"] == "int":
                if not isinstance(cell.value, (int, float)) or cell.value != want or cell.number_format != "0":
                    fail.append("%s %s: %r (%s), want %s" % (ind, cell.coordinate, cell.value, cell.number_format, want))
            elif cell.value != want:
                fail.append("%s %s: %r, want %r" % (ind, cell.coordinate, cell.value, want))
ab = [[c for c in row] for row in wb[about].iter_rows(values_only=True)]
text = "\n".join("|".join("" if v is None else str(v) for v in row) for row in ab)
for c in views["columns"]:
    if "%s|%s|%s|%s" % (c["indicator"], c["column_name"], c["label_" + lang], c["about_" + lang]) not in text:
        fail.append("about: no row for %s.%s" % (c["indicator"], c["column_name"]))
print(cells)
print(text)
if fail:
    print("\n".join(fail[:20]), file=sys.stderr)
    sys.exit(1)
PY
"$PY" "$WORK/xlsx.py" "$WORK/trends.xlsx" "$WORK/views.json" en >"$WORK/xlsx.out" 2>"$WORK/xlsx.err"
st=$?
eq "the workbook: every cell of every sheet equals the trend views, typed, percent formats, frozen header, bold ($(head -n 1 "$WORK/xlsx.out") cells)" \
   "$st|$(head -c 1500 "$WORK/xlsx.err")" "0|"
ok "... and there are cells (so that the check can tell)" test "$(head -n 1 "$WORK/xlsx.out")" -gt 1000
about=$(cat "$WORK/xlsx.out")
contains "the about sheet says which database" "$about" "Database|$PGDATABASE"
contains "... which import runs, with their files and reports" "$about" \
   "$(q "SELECT run_id || '|' || to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM is248.import_summary ORDER BY run_id LIMIT 1")"
contains "... which files the reports came from" "$about" \
   "$(q "SELECT source || '|' || count(*) FROM is248.report_current GROUP BY source ORDER BY source LIMIT 1")"
contains "... when it was made" "$about" "Made at (UTC)|$(date -u +%Y-%m-%d)"

LC_ALL=nb_NO.UTF-8 run trends --format xlsx --output "$WORK/trends-nb.xlsx"
eq "the language from LC_ALL (nb_NO): exit 0" "$rc" 0
"$PY" "$WORK/xlsx.py" "$WORK/trends-nb.xlsx" "$WORK/views.json" nb >"$WORK/xlsx.out" 2>"$WORK/xlsx.err"
st=$?
eq "... the workbook in Bokmål: the same cells, Norwegian headers and an 'Om' sheet" "$st|$(head -c 1500 "$WORK/xlsx.err")" "0|"
contains "... 'Vet ikke' among the headers" "$(cat "$WORK/xlsx.out")" "|dont_know|Vet ikke|"

# --- CSV for Norwegian Excel, byte for byte -------------------------------------------
run trends --format csv --csv-dialect excel-nb --indicator nav_rating --years 2019
eq "excel-nb: exit 0" "$rc" 0
# the expected bytes, from the view: a BOM, ';', decimal commas, CRLF
q "SELECT 'indicator;year;size_class;units_answered;very_good;good;neither;less_good;bad;dont_know;units_rated;population_answered;pct_good;pct_neither;pct_less_good_or_bad;pct_population'
   UNION ALL
   SELECT * FROM (SELECT concat_ws(';', 'nav_rating', year, size_class, units_answered, very_good, good, neither, less_good, bad,
                         dont_know, units_rated, population_answered, replace(pct_good::text, '.', ','),
                         replace(pct_neither::text, '.', ','), replace(pct_less_good_or_bad::text, '.', ','),
                         replace(pct_population::text, '.', ','))
                  FROM is248.trend_nav_rating WHERE year = 2019) x" \
  | { printf '\xef\xbb\xbf'; sed 's/$/\r/'; } >"$WORK/want.csv"
"$IS248" trends --format csv --csv-dialect excel-nb --indicator nav_rating --years 2019 >"$WORK/got.csv" 2>/dev/null
eq "excel-nb: byte for byte the view's rows with a BOM, ';', decimal commas and CRLF" \
   "$(cmp "$WORK/got.csv" "$WORK/want.csv" && echo same)" same
ok "... a decimal comma somewhere (so that the check can tell)" grep -q ';[0-9]*,[0-9];' "$WORK/got.csv"
"$IS248" export --years 2019 --format csv --csv-dialect excel-nb >"$WORK/got-export.csv" 2>/dev/null
q "SELECT 'year;unit_code;unit_type;unit_name;county_code;county_name;population;size_class;nav_collab;nav_collab_specialist;nav_rating;ips_se_mental_health;ips_mental_health;se_mental_health;ips_se_substance;ips_substance;se_substance;submitted_at;source'
   UNION ALL
   SELECT * FROM (SELECT concat_ws(';', c.year, CASE WHEN c.unit_code LIKE '0%' THEN '\"=\"\"' || c.unit_code || '\"\"\"' ELSE c.unit_code END,
                         c.unit_type, c.unit_name, CASE WHEN c.county_code LIKE '0%' THEN '\"=\"\"' || c.county_code || '\"\"\"' ELSE c.county_code END,
                         y.county_name, coalesce(c.population::text, ''), coalesce(c.size_class, ''), coalesce(c.nav_collab, ''),
                         coalesce(c.nav_collab_specialist, ''), coalesce(c.nav_rating, ''), coalesce(c.ips_se_mental_health, ''),
                         coalesce(c.ips_mental_health::text, ''), coalesce(c.se_mental_health::text, ''),
                         coalesce(c.ips_se_substance, ''), coalesce(c.ips_substance::text, ''), coalesce(c.se_substance::text, ''),
                         to_char(c.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '+00', c.source)
                  FROM is248.report_current c JOIN is248.county_year y ON y.year = c.year AND y.county_code = c.county_code
                  WHERE c.year = 2019 ORDER BY c.unit_code) x" \
  | { printf '\xef\xbb\xbf'; sed 's/$/\r/'; } >"$WORK/want-export.csv"
eq "export in excel-nb: byte for byte, a code with a leading zero as the text formula =\"0301..\"" \
   "$(cmp "$WORK/got-export.csv" "$WORK/want-export.csv" && echo same)" same
ok "... such a code is there (Oslo's districts)" grep -q '"=""030' "$WORK/got-export.csv"

# --- the unit-level export -------------------------------------------------------------
run export
eq "export: exit 0" "$rc" 0
printf '%s\n' "$out" >"$WORK/export.csv"
run export --format json
printf '%s\n' "$out" >"$WORK/export.json"
run export --format xlsx --output "$WORK/export.xlsx"
eq "export --format xlsx: exit 0" "$rc" 0
q "SELECT json_agg(r ORDER BY r.year, r.unit_code) FROM (
     SELECT c.year, c.unit_code, c.unit_type, c.unit_name, c.county_code, y.county_name, c.population, c.size_class,
            c.nav_collab, c.nav_collab_specialist, c.nav_rating, c.ips_se_mental_health, c.ips_mental_health,
            c.se_mental_health, c.ips_se_substance, c.ips_substance, c.se_substance,
            to_char(c.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '+00' AS submitted_at, c.source
     FROM is248.report_current c LEFT JOIN is248.county_year y ON y.year = c.year AND y.county_code = c.county_code) r" >"$WORK/reports.json"
cat >"$WORK/export.py" <<'PY'
import csv, json, sys
import openpyxl
want = json.load(open(sys.argv[1]))
cols = list(want[0])
fail = []
def text(v):
    return "" if v is None else ("true" if v is True else "false" if v is False else str(v))
rows = list(csv.DictReader(open(sys.argv[2], newline="")))
if [list(r) for r in rows[:1]] != [cols]:
    fail.append("CSV columns %s" % (list(rows[0]) if rows else None))
if [[r[c] for c in cols] for r in rows] != [[text(w[c]) for c in cols] for w in want]:
    fail.append("the CSV differs from report_current")
doc = json.load(open(sys.argv[3]))
if list(doc) != ["reports"] or doc["reports"] != want:
    fail.append("the JSON differs from report_current (types included)")
wb = openpyxl.load_workbook(sys.argv[4])
ws = wb["reports"]
if ws.freeze_panes != "C2":
    fail.append("xlsx frozen at %s" % ws.freeze_panes)
got = [list(r) for r in ws.iter_rows(min_row=2, values_only=True)]
exp = [[w[c] for c in cols] for w in want]
if got != exp:
    bad = [(i, g, e) for i, (g, e) in enumerate(zip(got, exp)) if g != e][:2]
    fail.append("the xlsx differs from report_current (%d rows, %d wanted): %s" % (len(got), len(exp), bad))
if "About" not in wb.sheetnames:
    fail.append("no About sheet")
print(len(want))
if fail:
    print("\n".join(fail), file=sys.stderr)
    sys.exit(1)
PY
"$PY" "$WORK/export.py" "$WORK/reports.json" "$WORK/export.csv" "$WORK/export.json" "$WORK/export.xlsx" >"$WORK/export.out" 2>"$WORK/export.err"
st=$?
eq "export: CSV, JSON and xlsx each hold report_current with the county's name of each year, value for value ($(cat "$WORK/export.out") reports)" \
   "$st|$(head -c 1500 "$WORK/export.err")" "0|"
eq "... every report, all years" "$(cat "$WORK/export.out")" "$(q "SELECT count(*) FROM is248.report_current")"
run export --years 2019 --county Vestland
eq "export --county Vestland in 2019: Hordaland's and Sogn og Fjordane's units that became Vestland's" \
   "$(tail -n +2 <<<"$out" | cut -d, -f2,6 | tr -d '\r' | sort | tr '\n' ' ')" \
   "$(q "SELECT c.unit_code || ',' || y.county_name FROM is248.report_current c JOIN is248.county_year y USING (year, county_code)
         WHERE c.year = 2019 AND c.unit_code IN (SELECT unit_code FROM is248.unit_lineage WHERE year = 2019 AND left(current_code, 2) = '46')
         ORDER BY 1" | tr '\n' ' ')"
echo "keep me" >"$WORK/kept.csv" && ln -sf "$WORK/kept.csv" "$WORK/link.csv"
for cmd in "export" "trends --format csv" "report 2019"; do
    # shellcheck disable=SC2086
    run $cmd --output "$WORK/link.csv"
    eq "$cmd --output onto a symbolic link: exit 2" "$rc" 2
    contains "... refused, saying why" "$err" "it is a symbolic link"
    eq "... the link and its file as they were" "$(readlink "$WORK/link.csv")|$(cat "$WORK/kept.csv")" "$WORK/kept.csv|keep me"
done
run export --format xlsx
eq "export xlsx without --output: exit 2" "$rc" 2
contains "... saying so" "$err" "--format xlsx writes a file: give it with --output FILE.xlsx"
run export --indicator nav_collab
eq "export --indicator: exit 2" "$rc" 2
run export --size-class Alle
eq "export --size-class Alle: exit 2" "$rc" 2

# --- words in two languages; the language from the environment -----------------------
for env in "LANG=nb_NO.UTF-8" "LC_MESSAGES=nn_NO.UTF-8" "LC_ALL=no_NO"; do
    out=$(env -u LC_ALL -u LC_MESSAGES -u LANG "$env" "$IS248" report 2019 2>/dev/null)
    contains "$env: the report in Bokmål" "$out" "| Størrelsesgruppe | n | Ja | Nei | Vet ikke | % ja |"
done
out=$(env -u LC_ALL LANG=nb_NO.UTF-8 LC_MESSAGES=en_GB.UTF-8 "$IS248" report 2019 2>/dev/null)
contains "LC_MESSAGES before LANG" "$out" "| Size class | n | Yes | No | Don't know | % yes |"
out=$(LANG=nb_NO.UTF-8 "$IS248" report 2019 --lang en 2>/dev/null)
contains "--lang before the environment" "$out" "| Size class | n | Yes | No | Don't know | % yes |"
run report 2019 --lang nb
contains "the rating's Norwegian scale" "$out" "| Svært god | God | Verken god eller dårlig | Mindre god | Dårlig | Vet ikke | n vurdert |"
eq "answer_label: the words of the views' codes, for the reader" \
   "$(q "SET ROLE is248_reader; SELECT string_agg(code || '=' || label, ' ' ORDER BY code) FROM is248.answer_label WHERE language = 'nb' AND code IN ('yes', 'dont_know', 'very_good', 'neither')")" \
   "dont_know=Vet ikke neither=Verken god eller dårlig very_good=Svært god yes=Ja"
eq "every answer code of report_current has a label in both languages" \
   "$(q "SELECT count(*) FROM (SELECT DISTINCT unnest(array[nav_collab, nav_collab_specialist, nav_rating, ips_se_mental_health, ips_se_substance]) c
                               FROM is248.report_current) x
         WHERE c IS NOT NULL AND (SELECT count(*) FROM is248.answer_label l WHERE l.code = x.c) <> 2")" 0
eq "the reader reads the size classes, the counties of each year and the catalogue" \
   "$(q "SET ROLE is248_reader; SELECT (SELECT count(*) FROM is248.size_class), (SELECT count(*) > 0 FROM is248.county_year), (SELECT count(*) FROM is248.indicator)")" \
   "7|t|4"
eq "the catalogue in SQL is the one the program prints: every column of every indicator is a column of its trend view" \
   "$(q "SELECT count(*) FROM is248.indicator_column c JOIN is248.indicator i ON i.name = c.indicator
         WHERE NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = ('is248.' || replace(i.function, '_filtered', ''))::regclass
                           AND a.attname = c.column_name)")" 0

# --- Markdown links relative to the report's file ---------------------------------------
mkdir -p "$WORK/pub/md"
cd "$WORK" || exit 1
run report 2019 --chart-dir "$WORK/pub/charts" --output pub/md/report.md
eq "report --output with an absolute --chart-dir: exit 0" "$rc" 0
contains "... the links relative to the report's file" "$(cat pub/md/report.md)" "](../charts/nav_collab-2019.svg)"
mv pub moved
ok "... so the folder can move: every link still finds its chart" \
   bash -c 'cd moved/md && for l in $(grep -o "](\.\./charts/[^)]*)" report.md | sed "s/^](//; s/)$//"); do test -s "$l" || exit 1; done'
run report 2019 --chart-dir "$WORK/c2"
contains "to standard output: relative to the current directory" "$out" "](c2/nav_collab-2019.svg)"

# --- the analyst guide's commands, as written ------------------------------------------
mkdir -p "$WORK/guide" && cd "$WORK/guide" || exit 1
guide=$(sed -n '/^## From the database to a report/,/^## The views/p' "$SRC/docs/analyst-guide.md" | grep '^    is248 ' | sed 's/^    is248 //')
eq "the guide shows the workbook, the Norwegian HTML report and the export, one command each" \
   "$(grep -c -e '--format xlsx --output' -e '--format html --lang nb --output' -e '^export ' <<<"$guide")" 3
while read -r cmd; do
    # shellcheck disable=SC2086
    "$IS248" $cmd >/dev/null 2>"$WORK/guide.err"
    st=$?
    file=$(sed -n 's/.*--output \([^ ]*\).*/\1/p' <<<"$cmd")
    eq "the guide's 'is248 $cmd' runs as written" "$st" 0
    ok "... and makes '$file'" test -s "$file"
done <<<"$guide"
cd "$WORK" || exit 1

# --- population weights in the charts ---------------------------------------------------
run trends --chart "$WORK/weighted.svg" --weight population
eq "--weight population: exit 0" "$rc" 0
eq "the weighted chart draws pct_population" \
   "$(grep -o '<title>Alle (all units) [0-9]*: [0-9.]* %' "$WORK/weighted.svg" | sed 's/.* \([0-9]*\): \([0-9.]*\) %/\1|\2/' | sort)" \
   "$(q "SELECT year || '|' || pct_population FROM is248.trend_nav_collab WHERE size_class = 'Alle' AND pct_population IS NOT NULL ORDER BY year")"
contains "... its axis says so" "$(cat "$WORK/weighted.svg")" ">% of the population</text>"
finish
