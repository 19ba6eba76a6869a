#!/usr/bin/env bash
# The fixture delivery (2015-2025, both versions, a correction): the trend
# views agree with the same figures computed independently, in plain SQL,
# from the raw answers kept in is248.answer; so do "is248 trends" and its
# selections (--years, --size-class, --county by code or name, across the
# county reform through unit_lineage) in every --format, and the SQL
# functions behind them (sql/schema/04_trends.sql); the population-weighted
# figures against the population the units reported.
. "$(dirname "$0")/lib.sh"
export LC_ALL=C.UTF-8  # the words of the output: English (--lang decides otherwise)

run migrate
run import "$SRC/fixtures/delivery"
eq "the fixture delivery imports with exit 0" "$rc" 0
eq "every year 2015-2025 has its 13 units" \
   "$(q "SELECT count(DISTINCT year), min(n), max(n) FROM (SELECT year, count(*) n FROM is248.report_current GROUP BY year) x")" "11|13|13"
eq "Bergen's correction of 2019 is current" \
   "$(q "SELECT nav_collab, nav_rating, submitted_at FROM is248.report_current WHERE year = 2019 AND unit_code = '1201'")" \
   "yes|good|2020-04-20 11:30:00+00"
eq "Bergen's first 2019 report is kept as history" \
   "$(q "SELECT count(*), count(*) FILTER (WHERE is_current) FROM is248.report_history WHERE year = 2019 AND unit_code = '1201'")" "2|1"

# An oracle: decode the raw answers of the current reports by hand.
# oracle KIND [WHERE]: the rows of the view KIND (nav_collab, nav_rating,
# ips_se) for the current reports h for which WHERE holds.  A unit's county
# is the first two digits of its code (delivery-format.md §2).
oracle() {
    local base="
WITH cur AS (
  SELECT h.report_id, h.year, h.size_class, h.population FROM is248.report_history h WHERE h.is_current AND (${2:-true})),
raw AS (
  SELECT a.report_id, a.question, a.seq, a.parent_seq,
         trim(coalesce(a.code, '')) AS code, lower(trim(coalesce(a.text, ''))) AS label
  FROM is248.answer a JOIN cur USING (report_id)),
collab AS (
  SELECT report_id, CASE
    WHEN question = '7.1' THEN CASE label WHEN '1' THEN 'yes' WHEN '2' THEN 'no' WHEN '9' THEN 'dont_know' END
    ELSE CASE WHEN code = '1' OR label = 'ja' THEN 'yes' WHEN code = '2' OR label = 'nei' THEN 'no'
              WHEN code = '3' OR label = 'vet ikke' THEN 'dont_know' END END AS v
  FROM raw WHERE question IN ('7.1', 'ARB_NAV_SAMARBEID')),
rating AS (
  SELECT report_id, CASE
    WHEN question = '7.2' THEN CASE label WHEN '1' THEN 'very_good' WHEN '2' THEN 'good' WHEN '3' THEN 'neither'
                                          WHEN '4' THEN 'less_good' WHEN '5' THEN 'bad' WHEN '9' THEN 'dont_know' END
    ELSE CASE WHEN code = '5' OR label = 'svært god' THEN 'very_good' WHEN code = '4' OR label = 'god' THEN 'good'
              WHEN code = '3' OR label = 'verken god eller dårlig' THEN 'neither'
              WHEN code = '2' OR label = 'mindre god' THEN 'less_good' WHEN code = '1' OR label = 'dårlig' THEN 'bad'
              WHEN code = '0' OR label = 'vet ikke' THEN 'dont_know' END END AS v
  FROM raw WHERE question IN ('7.2', 'ARB_NAV_SAMHANDLING')),
groups AS (
  SELECT year, size_class FROM cur WHERE size_class IS NOT NULL
  UNION ALL SELECT year, 'Alle' FROM cur),
sc AS (SELECT label, ord FROM is248.size_class UNION ALL SELECT 'Alle', 99)"
    case $1 in
    nav_collab) q "$base
SELECT g.year, g.size_class,
       count(*)::int, count(c.v)::int,
       count(*) FILTER (WHERE c.v = 'yes')::int, count(*) FILTER (WHERE c.v = 'no')::int,
       count(*) FILTER (WHERE c.v = 'dont_know')::int,
       round(100.0 * count(*) FILTER (WHERE c.v = 'yes') / nullif(count(c.v), 0), 1),
       coalesce(sum(cur.population) FILTER (WHERE c.v IS NOT NULL), 0),
       round(100.0 * coalesce(sum(cur.population) FILTER (WHERE c.v = 'yes'), 0)
             / nullif(coalesce(sum(cur.population) FILTER (WHERE c.v IS NOT NULL), 0), 0), 1)
FROM (SELECT DISTINCT year, size_class FROM groups) g
JOIN cur ON cur.year = g.year AND (g.size_class = 'Alle' OR cur.size_class = g.size_class)
LEFT JOIN collab c USING (report_id)
JOIN sc ON sc.label = g.size_class
GROUP BY g.year, g.size_class, sc.ord ORDER BY g.year, sc.ord" ;;
    nav_rating) q "$base
SELECT g.year, g.size_class, count(r.v)::int,
       count(*) FILTER (WHERE r.v = 'very_good')::int, count(*) FILTER (WHERE r.v = 'good')::int,
       count(*) FILTER (WHERE r.v = 'neither')::int, count(*) FILTER (WHERE r.v = 'less_good')::int,
       count(*) FILTER (WHERE r.v = 'bad')::int, count(*) FILTER (WHERE r.v = 'dont_know')::int,
       count(*) FILTER (WHERE r.v <> 'dont_know')::int,
       round(100.0 * count(*) FILTER (WHERE r.v IN ('very_good', 'good')) / nullif(count(*) FILTER (WHERE r.v <> 'dont_know'), 0), 1),
       round(100.0 * count(*) FILTER (WHERE r.v = 'neither') / nullif(count(*) FILTER (WHERE r.v <> 'dont_know'), 0), 1),
       round(100.0 * count(*) FILTER (WHERE r.v IN ('less_good', 'bad')) / nullif(count(*) FILTER (WHERE r.v <> 'dont_know'), 0), 1),
       coalesce(sum(cur.population) FILTER (WHERE r.v <> 'dont_know'), 0),
       round(100.0 * coalesce(sum(cur.population) FILTER (WHERE r.v IN ('very_good', 'good')), 0)
             / nullif(coalesce(sum(cur.population) FILTER (WHERE r.v <> 'dont_know'), 0), 0), 1)
FROM (SELECT DISTINCT year, size_class FROM groups) g
JOIN cur ON cur.year = g.year AND (g.size_class = 'Alle' OR cur.size_class = g.size_class)
LEFT JOIN rating r USING (report_id)
JOIN sc ON sc.label = g.size_class
GROUP BY g.year, g.size_class, sc.ord ORDER BY g.year, sc.ord" ;;
    ips_se) q "$base,
ips AS (
  SELECT s.report_id, f.field,
    CASE WHEN s.question IN ('7.3', '7.4') THEN CASE s.label WHEN '1' THEN 'yes' WHEN '2' THEN 'no' WHEN '9' THEN 'dont_know' END
         WHEN bool_or(v.code IN ('IPS', 'SE')) THEN 'yes' WHEN bool_or(v.code = 'INGEN') THEN 'no'
         WHEN bool_or(v.code = 'VETIKKE') THEN 'dont_know' END AS v,
    CASE WHEN s.question LIKE 'ARB%' AND NOT bool_or(v.code = 'VETIKKE') THEN coalesce(bool_or(v.code = 'IPS'), false) END AS has_ips,
    CASE WHEN s.question LIKE 'ARB%' AND NOT bool_or(v.code = 'VETIKKE') THEN coalesce(bool_or(v.code = 'SE'), false) END AS has_se
  FROM raw s
  JOIN (VALUES ('7.3', 'mental_health'), ('ARB_IPS_SE_PSYK', 'mental_health'),
               ('7.4', 'substance'), ('ARB_IPS_SE_RUS', 'substance')) f(q, field) ON f.q = s.question
  LEFT JOIN raw v ON v.report_id = s.report_id AND v.parent_seq = s.seq
  WHERE s.parent_seq IS NULL
  GROUP BY s.report_id, f.field, s.question, s.label)
SELECT g.year, g.size_class, f.field, count(i.v)::int,
       count(*) FILTER (WHERE i.v = 'yes')::int,
       CASE WHEN g.year >= 2018 THEN count(*) FILTER (WHERE i.has_ips)::int END,
       CASE WHEN g.year >= 2018 THEN count(*) FILTER (WHERE i.has_se)::int END,
       round(100.0 * count(*) FILTER (WHERE i.v = 'yes') / nullif(count(i.v), 0), 1),
       coalesce(sum(cur.population) FILTER (WHERE i.v IS NOT NULL), 0),
       round(100.0 * coalesce(sum(cur.population) FILTER (WHERE i.v = 'yes'), 0)
             / nullif(coalesce(sum(cur.population) FILTER (WHERE i.v IS NOT NULL), 0), 0), 1)
FROM (SELECT DISTINCT year, size_class FROM groups) g
CROSS JOIN (VALUES ('mental_health'), ('substance')) f(field)
JOIN cur ON cur.year = g.year AND (g.size_class = 'Alle' OR cur.size_class = g.size_class)
LEFT JOIN ips i ON i.report_id = cur.report_id AND i.field = f.field
JOIN sc ON sc.label = g.size_class
GROUP BY g.year, g.size_class, sc.ord, f.field ORDER BY g.year, sc.ord, f.field" ;;
    esac
}

eq "trend_nav_collab agrees with the oracle" "$(q "SELECT * FROM is248.trend_nav_collab")" "$(oracle nav_collab)"
eq "trend_nav_rating agrees with the oracle" "$(q "SELECT * FROM is248.trend_nav_rating")" "$(oracle nav_rating)"
eq "trend_ips_se agrees with the oracle" "$(q "SELECT * FROM is248.trend_ips_se")" "$(oracle ips_se)"

eq "2015 forms asked no IPS/SE question: nothing in the denominators" \
   "$(q "SELECT DISTINCT units_answered, units_yes, coalesce(pct_yes::text, 'NULL') FROM is248.trend_ips_se WHERE year = 2015")" "0|0|NULL"

# --- the functions behind the selections (0005) ------------------------------
for v in nav_collab nav_rating ips_se; do
    eq "trend_${v}_filtered() without a selection is the view, row for row" \
       "$(q "SELECT * FROM is248.trend_${v}_filtered()")" "$(q "SELECT * FROM is248.trend_$v")"
    eq "trend_${v}_filtered() with every argument NULL is the view" \
       "$(q "SELECT * FROM is248.trend_${v}_filtered(NULL, NULL, NULL)")" "$(q "SELECT * FROM is248.trend_$v")"
done
eq "the reader may run the trend functions but not the internal one" \
   "$(q "SELECT has_function_privilege('is248_reader', 'is248.trend_nav_collab_filtered(int[], text[], text[])', 'EXECUTE'),
                has_function_privilege('is248_reader', 'is248.trend_ips_se_filtered(int[], text[], text[])', 'EXECUTE'),
                has_function_privilege('is248_reader', 'is248.trend_reports(int[], text[], text[])', 'EXECUTE'),
                has_function_privilege('public', 'is248.trend_nav_rating_filtered(int[], text[], text[])', 'EXECUTE')")" "t|t|f|f"
eq "every function of 0005 has a comment" \
   "$(q "SELECT count(*) FROM pg_proc WHERE pronamespace = 'is248'::regnamespace AND proname LIKE 'trend%' AND obj_description(oid, 'pg_proc') IS NULL")" 0
eq "a selection by county counts that county's units only, in 'Alle' too" \
   "$(q "SELECT units_reporting FROM is248.trend_nav_collab_filtered(counties => '{46}') WHERE year = 2020 AND size_class = 'Alle'")" \
   "$(q "SELECT count(*) FROM is248.report_current WHERE year = 2020 AND left(unit_code, 2) = '46'")"
ok "... which is fewer than all (so that the check above can tell)" \
   test "$(q "SELECT count(*) FROM is248.report_current WHERE year = 2020 AND left(unit_code, 2) = '46'")" -lt \
        "$(q "SELECT count(*) FROM is248.report_current WHERE year = 2020")"
eq "an unknown size class is an error naming it (22023)" \
   "$(psql -X -A -t -q -v VERBOSITY=verbose -c "SELECT * FROM is248.trend_nav_collab_filtered(size_classes => '{huge}')" 2>&1 | grep -o "22023: unknown size class 'huge'")" \
   "22023: unknown size class 'huge'"

# --- the command ----------------------------------------------------------------
run trends
eq "trends exits 0" "$rc" 0
contains "trends prints the collaboration table" "$out" "Collaboration between health and care services and Nav"
contains "trends prints aligned headers" "$out" " year | size_class  | units_reporting |"
eq "trends prints one table row per view row (plus headers)" \
   "$(grep -c '^ 20[12][0-9] |' <<<"$out")" \
   "$(q "SELECT (SELECT count(*) FROM is248.trend_nav_collab) + (SELECT count(*) FROM is248.trend_nav_rating) + (SELECT count(*) FROM is248.trend_ips_se)")"

# rows.py FORMAT FILE: the rows of is248 trends' output in any format as
# "indicator|value|value...", each indicator with the columns of its view
# (ips_se_* without field), NULL as nothing; checks JSON's types on the way.
cat >"$WORK/rows.py" <<'PY'
import csv, json, re, sys
cols = {
    "nav_collab": "year size_class units_reporting units_answered units_yes units_no units_dont_know pct_yes population_answered pct_population".split(),
    "nav_rating": "year size_class units_answered very_good good neither less_good bad dont_know units_rated pct_good pct_neither pct_less_good_or_bad population_answered pct_population".split(),
    "ips_se_mental_health": "year size_class units_answered units_yes units_ips units_se pct_yes population_answered pct_population".split(),
    "ips_se_substance": "year size_class units_answered units_yes units_ips units_se pct_yes population_answered pct_population".split(),
}
titles = {"Collaboration between": "nav_collab", "How the municipality rates": "nav_rating",
          "IPS or SE in mental health": "ips_se_mental_health", "IPS or SE in substance": "ips_se_substance"}
fmt, path = sys.argv[1], sys.argv[2]
out = []
def emit(ind, values):
    out.append("|".join([ind] + values))
if fmt == "csv":
    data = open(path, newline="").read()
    assert data == "" or data.endswith("\r\n"), "CSV lines end in CRLF (RFC 4180)"
    rows = list(csv.reader(data.splitlines(True), strict=True))
    head = rows[0]
    assert head[0] == "indicator", head
    for r in rows[1:]:
        assert len(r) == len(head), r
        d = dict(zip(head, r))
        for c in head[1:]:
            if c not in cols[d["indicator"]]:
                assert d[c] == "", ("a column the indicator does not have is empty", c, r)
        emit(d["indicator"], [d[c] for c in cols[d["indicator"]]])
elif fmt == "json":
    doc = json.load(open(path))
    assert isinstance(doc, dict), type(doc)
    for ind, rows in doc.items():
        assert isinstance(rows, list)
        for r in rows:
            assert list(r) == cols[ind], (ind, list(r))
            vals = []
            for c in cols[ind]:
                v = r[c]
                if c == "size_class":
                    assert isinstance(v, str)
                elif c.startswith("pct_"):
                    assert v is None or isinstance(v, (int, float)), (c, v)
                else:
                    assert v is None or (isinstance(v, int) and not isinstance(v, bool)), (c, v)
                vals.append("" if v is None else "%.1f" % v if c.startswith("pct_") else str(v))
            emit(ind, vals)
else:  # the aligned table
    ind = None
    lines = open(path).read().split("\n")
    for i, line in enumerate(lines):
        for t, name in titles.items():
            if line.startswith(t):
                ind = name
        if re.match(r"^ \d{4} \|", line):
            vals = [v.strip() for v in line.split("|")]
            assert len(vals) == len(cols[ind]), (ind, line)
            emit(ind, vals)
print("\n".join(out))
PY

# want WHERE [INDICATORS]: what the oracle says, in rows.py's form
want() {
    local where=$1 i
    for i in ${2:-nav_collab nav_rating ips_se_mental_health ips_se_substance}; do
        case $i in
        ips_se_*) oracle ips_se "$where" | awk -F'|' -v OFS='|' -v f="${i#ips_se_}" -v n="$i" \
                     '$3 == f { print n, $1, $2, $4, $5, $6, $7, $8, $9, $10 }' ;;
        *) oracle "$i" "$where" | sed "s/^/$i|/" ;;
        esac
    done
}

# check_selection DESCRIPTION WHERE ARGS...: is248 trends ARGS in all three
# formats agrees with the oracle restricted by WHERE, and the three formats
# carry the same rows in the same order
check_selection() {
    local what=$1 where=$2; shift 2
    local f
    for f in table csv json; do
        run trends "$@" --format "$f"
        eq "$what: --format $f exits 0" "$rc" 0
        printf '%s\n' "$out" >"$WORK/out.$f"
        python3 "$WORK/rows.py" "$f" "$WORK/out.$f" >"$WORK/rows.$f" 2>"$WORK/rows.err"
        eq "$what: --format $f parses" "$?|$(head -c 600 "$WORK/rows.err")" "0|"
    done
    eq "$what: the CSV agrees with the oracle" "$(cat "$WORK/rows.csv")" "$(want "$where" "${indicators:-}")"
    eq "$what: the JSON carries the CSV's rows" "$(cat "$WORK/rows.json")" "$(cat "$WORK/rows.csv")"
    eq "$what: the table carries the CSV's rows" "$(cat "$WORK/rows.table")" "$(cat "$WORK/rows.csv")"
}

indicators=
check_selection "no selection" "true"
# a county of today also selects the units that became part of it (in the
# years before the 2020 reform: Hordaland's and Sogn og Fjordane's)
in_county() {  # in_county CODE...: the oracle's WHERE for those counties
    local list
    list=$(printf "'%s'," "$@")
    echo "(left(h.unit_code, 2) IN (${list%,}) OR EXISTS (SELECT 1 FROM is248.unit_lineage l
           WHERE l.year = h.year AND l.unit_code = h.unit_code AND left(l.current_code, 2) IN (${list%,})))"
}
check_selection "one county (46, Vestland, from 2020, and its predecessors before)" "$(in_county 46)" --county 46
check_selection "a county by its name, in another case" "$(in_county 46)" --county vESTLAND
check_selection "a county by a name with Norwegian letters, in capitals" "$(in_county 15)" --county 'MØRE OG ROMSDAL'
check_selection "two counties across the 2020 reform, a range of years" \
    "$(in_county 12 46) AND h.year BETWEEN 2018 AND 2021" --county 12 --county 46 --years 2018-2021
check_selection "size classes as a comma list, years as a list and a range" \
    "h.size_class IN ('50000+', 'Oslo bydel') AND h.year IN (2015, 2019, 2020, 2021)" \
    --size-class '50000+,Oslo bydel' --years 2015,2019-2021
check_selection "a size class and a county together" \
    "h.size_class = '<2000' AND left(h.unit_code, 2) IN ('18', '11')" --size-class '<2000' --county 18,11
indicators="nav_rating ips_se_substance"
check_selection "two indicators, one year" "h.year = 2019" --indicator nav_rating,ips_se_substance --years 2019
indicators=

run trends --format csv --indicator nav_collab --size-class 50000+ --size-class 'Oslo bydel'
repeated=$out
run trends --format csv --indicator nav_collab --size-class '50000+, Oslo bydel'
eq "--size-class repeated or as a comma list selects the same" "$out" "$repeated"
contains "... and selects something" "$out" "nav_collab,2019,Oslo bydel,"

run trends --format csv --indicator nav_collab
eq "--indicator: the CSV has that indicator's columns only" "$(head -n 1 <<<"$out")" \
   "$(printf 'indicator,year,size_class,units_reporting,units_answered,units_yes,units_no,units_dont_know,population_answered,pct_yes,pct_population\r')"

# --- counties across the reform ---------------------------------------------------
eq "Vestland's units (46) in 2019 are Hordaland's and Sogn og Fjordane's that became Vestland's" \
   "$(q "SELECT units_reporting FROM is248.trend_nav_collab_filtered(years => '{2019}', counties => '{46}') WHERE size_class = 'Alle'")" \
   "$(q "SELECT count(*) FROM is248.report_current c WHERE year = 2019 AND EXISTS (SELECT 1 FROM is248.unit_lineage l WHERE l.year = 2019 AND l.unit_code = c.unit_code AND left(l.current_code, 2) = '46')")"
ok "... of which there are some (so that the check above can tell)" \
   test "$(q "SELECT count(*) FROM is248.report_current WHERE year = 2019 AND county_code IN ('12', '14')")" -gt 0
run trends --format csv --indicator nav_collab --years 2019-2024 --county 46
eq "--years 2019-2024 --county 46 keeps 2019" "$(grep -c '^nav_collab,2019,Alle,' <<<"$out")" 1
run trends --format csv --indicator nav_collab --county Østfold
eq "a name that two codes had (01 to 2019, 31 from 2024) is the county of today" \
   "$out" "$(PGUSER=postgres "$IS248" trends --format csv --indicator nav_collab --county 31 2>/dev/null)"
run trends --county Vestland --years 2020
contains "the selection is named by the county's name" "$out" "Selection: years 2020; counties Vestland (46)"
eq "the county view names the counties of each year" \
   "$(q "SELECT string_agg(county_code || ' ' || county_name, ', ' ORDER BY county_code) FROM is248.county_year WHERE year = 2019 AND county_code IN ('12', '14', '46')")" \
   "12 Hordaland, 14 Sogn og Fjordane"

# --- --size-class with Alle: the rows shown, Alle every unit ------------------------
run trends --format csv --indicator nav_collab --size-class 'Alle,50000+'
eq "--size-class Alle,50000+: exit 0" "$rc" 0
eq "... only those rows" "$(cut -d, -f3 <<<"$out" | sort -u | tr -d '\r' | tr '\n' ' ')" "50000+ Alle size_class "
eq "... Alle is every unit, not the 50000+ alone" \
   "$(grep ',Alle,' <<<"$out" | cut -d, -f2,4 | tr -d '\r')" \
   "$(q "SELECT year || ',' || units_reporting FROM is248.trend_nav_collab WHERE size_class = 'Alle' ORDER BY year")"

# --- population-weighted figures --------------------------------------------------
eq "pct_population: the yes units' population over the answering units' (a unit without a population in neither)" \
   "$(q "SELECT year, pct_population, population_answered FROM is248.trend_nav_collab WHERE size_class = 'Alle' ORDER BY year")" \
   "$(q "SELECT year, round(100.0 * coalesce(sum(population) FILTER (WHERE nav_collab = 'yes'), 0) / nullif(sum(population) FILTER (WHERE nav_collab IS NOT NULL), 0), 1),
                coalesce(sum(population) FILTER (WHERE nav_collab IS NOT NULL), 0)
         FROM is248.report_current GROUP BY year ORDER BY year")"
ok "... differs from the share of units somewhere (so that it says something else)" \
   test "$(q "SELECT count(*) FROM is248.trend_nav_collab WHERE pct_population <> pct_yes")" -gt 0
eq "units_rated is units_answered less dont_know" \
   "$(q "SELECT count(*) FROM is248.trend_nav_rating WHERE units_rated <> units_answered - dont_know")" 0
run trends --format json --indicator ips_se_mental_health --years 2015
eq "JSON: 2015 (not asked) has null percentages and IPS/SE" \
   "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sorted({(r["pct_yes"], r["units_ips"], r["units_se"]) for r in d["ips_se_mental_health"]}))' <(printf '%s' "$out"))" \
   "[(None, None, None)]"

run trends --years 2030 --format csv
eq "a selection without reports: exit 0" "$rc" 0
eq "... the CSV header alone" "$out" "$(printf 'indicator,year,size_class,units_reporting,units_answered,units_yes,units_no,units_dont_know,population_answered,very_good,good,neither,less_good,bad,dont_know,units_rated,units_ips,units_se,pct_yes,pct_population,pct_good,pct_neither,pct_less_good_or_bad\r')"
contains "... and a warning" "$err" "no current reports for years 2030"

run trends --county 46 --years 2020
contains "the table names the selection" "$out" "Selection: years 2020; counties Vestland (46)"

# --- the reader ---------------------------------------------------------------
q "DROP ROLE IF EXISTS t_trends_analyst; CREATE ROLE t_trends_analyst LOGIN IN ROLE is248_reader" >/dev/null
run trends --db "user=t_trends_analyst" --county 46 --format csv
eq "a reader in is248_reader can select" "$rc" 0
eq "... and sees the same figures" "$out" "$(PGUSER=postgres "$IS248" trends --county 46 --format csv 2>/dev/null)"
q "DROP ROLE t_trends_analyst" >/dev/null

# --- usage errors: exit 2 with the reason -------------------------------------------
usage() {  # usage DESCRIPTION MESSAGE ARGS...
    local what=$1 msg=$2; shift 2
    run trends "$@"
    eq "$what: exit 2" "$rc" 2
    contains "$what: the message" "$err" "$msg"
    eq "$what: nothing on stdout" "$out" ""
}
usage "a range that runs backwards" "invalid --years '2024-2019': the range 2024-2019 ends before it starts" --years 2024-2019
usage "a year that is not one" "invalid --years '2019,20x1'" --years 2019,20x1
usage "an open range" "invalid --years '2019-'" --years 2019-
usage "an empty --years" "invalid --years ''" --years ''
usage "an unknown size class" "unknown size class 'huge': the size classes are '<2000', '2000-4999'" --size-class huge
usage "an empty size class in a list" "invalid --size-class '50000+,': an empty size class" --size-class 50000+,
usage "a county code that is not two digits" "invalid --county '4': '4' is neither a county code" --county 4
usage "a county name that is none" "invalid --county 'Narnia': 'Narnia' is neither a county code (two digits" --county Narnia
usage "a county that does not exist" "unknown county code '99'" --county 99
usage "an unknown indicator" "unknown --indicator 'nav' (indicators: nav_collab, nav_rating" --indicator nav
usage "an unknown format" "unknown --format 'xml' (formats: table, csv, json, xlsx)" --format xml
usage "xlsx without a file" "--format xlsx writes a file: give it with --output FILE.xlsx" --format xlsx
usage "a CSV dialect without CSV" "--csv-dialect is for --format csv" --csv-dialect excel-nb
usage "an unknown CSV dialect" "unknown --csv-dialect 'excel'" --format csv --csv-dialect excel
usage "an unknown language" "unknown --lang 'de' (languages: nb, en)" --lang de
usage "an unknown weight" "unknown --weight 'people' (weights: units, population)" --weight people
usage "--chart-dir is report's" "option '--chart-dir' does not apply to 'trends'" --chart-dir x
finish
