#!/usr/bin/env bash
# "is248 report YEAR": the fixtures' figures of a year as Markdown.  Every
# table is parsed and checked against the same figures computed here in
# plain SQL from report_current (not through the trend views or functions);
# the charts of --chart-dir are written, well-formed, linked, and end at
# the year; a year without reports is exit 1, a malformed one exit 2.
. "$(dirname "$0")/lib.sh"

run migrate
run import "$SRC/fixtures/delivery"
eq "the fixtures import" "$rc" 0

# tables.py FILE: every Markdown table as "section|size class|cell|cell...",
# the bold of the total's label dropped; checks that each row has as many
# cells as its header and that the alignment row is there
cat >"$WORK/tables.py" <<'PY'
import sys
section, header, out = None, None, []
for line in open(sys.argv[1]).read().split("\n"):
    if line.startswith("## "):
        section, header = line[3:], None
    elif line.startswith("|"):
        cells = [c.strip() for c in line.strip("|").split("|")]
        if header is None:
            header = cells
        elif set(line) <= set("|:- "):
            assert len(cells) == len(header), ("alignment row", line)
        else:
            assert len(cells) == len(header), (section, line)
            out.append("|".join([section, cells[0].replace("**", "")] + cells[1:]))
    else:
        header = None
print("\n".join(out))
PY

# expected YEAR: the same rows, computed here
expected_tables() {
    q "
WITH c AS (SELECT * FROM is248.report_current WHERE year = $1),
g AS (SELECT size_class AS label, s.ord, c.* FROM c JOIN is248.size_class s ON s.label = c.size_class
      UNION ALL SELECT 'Alle', 99, c.* FROM c)
SELECT 'Collaboration between health and care services and Nav on work-oriented rehabilitation|' || label
       || '|' || count(nav_collab) || '|' || count(*) FILTER (WHERE nav_collab = 'yes')
       || '|' || count(*) FILTER (WHERE nav_collab = 'no') || '|' || count(*) FILTER (WHERE nav_collab = 'dont_know')
       || '|' || coalesce(round(100.0 * count(*) FILTER (WHERE nav_collab = 'yes') / nullif(count(nav_collab), 0), 1)::text, '–')
FROM g GROUP BY label, ord ORDER BY ord" | grep -v '^$'
    q "
WITH c AS (SELECT * FROM is248.report_current WHERE year = $1),
g AS (SELECT size_class AS label, s.ord, c.* FROM c JOIN is248.size_class s ON s.label = c.size_class
      UNION ALL SELECT 'Alle', 99, c.* FROM c),
n AS (SELECT label, ord,
             count(nav_rating) AS n,
             count(*) FILTER (WHERE nav_rating = 'very_good') AS vg, count(*) FILTER (WHERE nav_rating = 'good') AS gd,
             count(*) FILTER (WHERE nav_rating = 'neither') AS ne, count(*) FILTER (WHERE nav_rating = 'less_good') AS lg,
             count(*) FILTER (WHERE nav_rating = 'bad') AS bd, count(*) FILTER (WHERE nav_rating = 'dont_know') AS dk
      FROM g GROUP BY label, ord)
SELECT 'How the municipality rates its collaboration with Nav on work measures|' || label || '|' || n || '|' || vg || '|' || gd
       || '|' || ne || '|' || lg || '|' || bd || '|' || dk || '|' || (n - dk)
       || '|' || coalesce(round(100.0 * (vg + gd) / nullif(n - dk, 0), 1)::text, '–')
       || '|' || coalesce(round(100.0 * ne / nullif(n - dk, 0), 1)::text, '–')
       || '|' || coalesce(round(100.0 * (lg + bd) / nullif(n - dk, 0), 1)::text, '–')
FROM n WHERE (SELECT count(nav_rating) FROM c) > 0 ORDER BY ord" | grep -v '^$'
    local field title
    for field in mental_health substance; do
        case $field in mental_health) title="IPS or SE in mental health work" ;; *) title="IPS or SE in substance abuse work" ;; esac
        q "
WITH c AS (SELECT year, size_class, ips_se_$field AS a, ips_$field AS ips, se_$field AS se
           FROM is248.report_current WHERE year = $1),
g AS (SELECT size_class AS label, s.ord, c.* FROM c JOIN is248.size_class s ON s.label = c.size_class
      UNION ALL SELECT 'Alle', 99, c.* FROM c)
SELECT '$title|' || label || '|' || count(a) || '|' || count(*) FILTER (WHERE a = 'yes')
       || '|' || CASE WHEN $1 >= 2018 THEN (count(*) FILTER (WHERE ips))::text ELSE '–' END
       || '|' || CASE WHEN $1 >= 2018 THEN (count(*) FILTER (WHERE se))::text ELSE '–' END
       || '|' || coalesce(round(100.0 * count(*) FILTER (WHERE a = 'yes') / nullif(count(a), 0), 1)::text, '–')
FROM g WHERE (SELECT count(a) FROM c) > 0 GROUP BY label, ord ORDER BY ord" | grep -v '^$'
    done
}

for year in 2015 2017 2019 2024; do
    run report "$year"
    eq "$year: exit 0" "$rc" 0
    printf '%s\n' "$out" >"$WORK/report-$year.md"
    python3 "$WORK/tables.py" "$WORK/report-$year.md" >"$WORK/tables-$year" 2>"$WORK/tables.err"
    eq "$year: the tables parse" "$?|$(head -c 500 "$WORK/tables.err")" "0|"
    eq "$year: every figure agrees with SQL over report_current" "$(cat "$WORK/tables-$year")" "$(expected_tables "$year")"
    contains "$year: the heading names the year" "$(head -n 1 <<<"$out")" "# IS-24/8 $year:"
    contains "$year: units reported, of how many expected" "$out" \
       "reporting year $year: $(q "SELECT count(*) FROM is248.report_current WHERE year = $year") units reported (of $(q "SELECT (SELECT count(*) FROM is248.municipality WHERE year = $year AND code <> '0301') + (SELECT count(*) FROM is248.oslo_district)") expected"
    contains "$year: the question as on the form" "$out" "> *Har kommunen etablert et samarbeid mellom helse- og omsorgstjenesten og NAV"
    contains "$year: without --chart-dir, how to get charts" "$out" "is248 report $year --chart-dir DIR"
done
ok "the tables are not empty (so that the check above can tell)" test "$(wc -l <"$WORK/tables-2019")" -ge 30
contains "2019 counts Bergen's correction (yes), not its first report" \
   "$(grep '^Collaboration.*|50000+|' "$WORK/tables-2019")" "|$(q "SELECT count(*) FILTER (WHERE nav_collab = 'yes') FROM is248.report_current WHERE year = 2019 AND size_class = '50000+'")|"
contains "2015: the IPS/SE question was not asked" "$(cat "$WORK/report-2015.md")" \
   "No unit answered this question for 2015 (the form asks it from 2016)."
ok "2015-2017: no chart files written without --chart-dir" test -z "$(ls "$WORK" | grep '\.svg$')"

# --- charts ------------------------------------------------------------------------
cd "$WORK" || exit 1
run report 2019 --chart-dir charts
eq "--chart-dir: exit 0" "$rc" 0
contains "--chart-dir: says so" "$err" "4 charts written to 'charts'"
for i in nav_collab nav_rating ips_se_mental_health ips_se_substance; do
    ok "--chart-dir: $i-2019.svg written" test -s "charts/$i-2019.svg"
    ok "--chart-dir: $i-2019.svg is well-formed" xmllint --noout "charts/$i-2019.svg"
    contains "--chart-dir: $i-2019.svg is linked" "$out" "](charts/$i-2019.svg)"
    eq "--chart-dir: $i-2019.svg ends at 2019" "$(grep -o 'data-year="[0-9]*"' "charts/$i-2019.svg" | tail -n 1)" 'data-year="2019"'
    contains "--chart-dir: $i-2019.svg marks 2019" "$(cat "charts/$i-2019.svg")" 'class="highlight"'
done
eq "--chart-dir: the figures are the same as without" \
   "$(printf '%s\n' "$out" | python3 "$WORK/tables.py" /dev/stdin)" "$(cat "$WORK/tables-2019")"
rsvg-convert -w 800 -h 500 "charts/nav_collab-2019.svg" -o charts/render.png
eq "--chart-dir: rsvg-convert renders a chart" "$?" 0

mkdir -p here && cd here && run report 2024 --chart-dir . && cd ..
eq "--chart-dir .: exit 0" "$rc" 0
contains "--chart-dir .: links the files by name" "$out" "](nav_collab-2024.svg)"
ok "--chart-dir .: in the current directory" test -s here/nav_collab-2024.svg

run report 2015 --chart-dir c2015
eq "2015 with charts: exit 0" "$rc" 0
contains "2015: no IPS/SE chart (no figures up to 2015)" "$out" "No chart: no figures up to 2015."
ok "... and no file for it, nor a temporary one" test -z "$(ls c2015 | grep ips)"
ok "... the others written" test -s c2015/nav_collab-2015.svg

# --- failures ------------------------------------------------------------------------
run report 2030
eq "a year without reports: exit 1" "$rc" 1
contains "... saying so, and which years there are" "$err" "no current reports for 2030 in the database (years with reports: 2015-2025): nothing to report"
eq "... nothing on stdout" "$out" ""
run report 2030 --chart-dir c2030
eq "a year without reports, with --chart-dir: exit 1" "$rc" 1
eq "... no chart left behind" "$(ls c2030 | wc -l)" 0

for bad in 20x4 19 02019 ''; do
    run report "$bad"
    eq "year '$bad': exit 2" "$rc" 2
    contains "year '$bad': the reason" "$err" "invalid year '$bad': four digits"
done
run report
eq "no year: exit 2" "$rc" 2
run report 2019 2020
eq "two years: exit 2" "$rc" 2
run report 2019 --county 46
eq "an option of trends: exit 2" "$rc" 2
run report 2019 --chart-dir "$WORK/no/such/dir"
eq "a chart directory that cannot be made: exit 2" "$rc" 2
contains "... saying why" "$err" "cannot make the chart directory '$WORK/no/such/dir': No such file or directory"
echo x >afile
run report 2019 --chart-dir afile
eq "a chart directory that is a file: exit 2" "$rc" 2
contains "... saying why" "$err" "refusing to write the charts into 'afile': it is a regular file"

# --- the reader ------------------------------------------------------------------------
q "DROP ROLE IF EXISTS t_report_analyst; CREATE ROLE t_report_analyst LOGIN IN ROLE is248_reader" >/dev/null
run report 2019 --db "user=t_report_analyst"
eq "a reader in is248_reader can make the report" "$rc" 0
eq "... the same report" "$out" "$(cat "$WORK/report-2019.md")"
q "DROP ROLE t_report_analyst" >/dev/null
finish
