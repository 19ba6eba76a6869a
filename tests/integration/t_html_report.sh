#!/usr/bin/env bash
# "is248 report YEAR --format html": one self-contained file, rendered in
# headless Chromium (Debian's chromium).  The screenshot is not blank, and
# each chart is visible: the page is shot again with the charts hidden
# (visibility, so nothing moves) and the rows that differ form one band per
# chart, each in the series' colours.  Every figure of every table equals
# the trend functions' for the year, read here from the database; every
# chart point carries its n.  Skipped (77), with the reason, only when
# Chromium cannot start at all; .ci/run installs it (scripts/deps).
. "$(dirname "$0")/lib.sh"
export LC_ALL=C.UTF-8

run migrate
run import "$SRC/fixtures/delivery"
eq "the fixtures import" "$rc" 0

# --- the file ---------------------------------------------------------------------
run report 2019 --format html --lang nb --output "$WORK/rapport.html"
eq "report --format html: exit 0" "$rc" 0
contains "... says where" "$err" "report written to '$WORK/rapport.html'"
html=$(cat "$WORK/rapport.html")
contains "a Norwegian document" "$html" '<html lang="nb">'
contains "... its title" "$html" "<title>IS-24/8 2019: samarbeid med Nav og IPS/SE, etter størrelsesgruppe</title>"
ok "self-contained: nothing linked, fetched or run" \
   test -z "$(grep -Eio '(src=|href=|url\(|@import|<script|<link|<iframe|<img)' "$WORK/rapport.html")"
contains "printable: a page size and no chart cut across pages" "$html" "@media print{"
contains "the questions as on the form" "$html" "<blockquote>Har kommunen etablert et samarbeid mellom helse- og omsorgstjenesten og NAV"
contains "coverage: units reported of those expected" "$html" \
   "$(q "SELECT count(*) FROM is248.report_current WHERE year = 2019") enheter rapporterte (av $(q "SELECT units_expected FROM is248.coverage WHERE year = 2019") forventet"
contains "the units without a size class named (none in 2019)" "$html" "Alle enhetene har en størrelsesgruppe."
eq "4 charts inline, no XML declaration inside" \
   "$(grep -c '<svg xmlns' "$WORK/rapport.html")|$(grep -c '<?xml' "$WORK/rapport.html")" "4|0"
ok "xmllint reads it as HTML" xmllint --html --noout "$WORK/rapport.html"

# a unit without a size class is named: take Stord's population away in a
# copy of 2024 (in a transaction rolled back, through the report table)
psql -X -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
CREATE TABLE t_saved AS SELECT report_id, population, size_class FROM is248.report WHERE year = 2024 AND unit_code = (SELECT min(unit_code) FROM is248.report WHERE year = 2024);
UPDATE is248.report r SET population = NULL, size_class = NULL FROM t_saved s WHERE s.report_id = r.report_id;
SQL
run report 2024 --format html
contains "a unit without a size class is named, with its code" "$out" \
   "counted in <b>Alle</b> only: $(q "SELECT unit_name || ' (' || unit_code || ')' FROM is248.report_current WHERE year = 2024 AND size_class IS NULL")."
psql -X -q -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
UPDATE is248.report r SET population = s.population, size_class = s.size_class FROM t_saved s WHERE s.report_id = r.report_id;
DROP TABLE t_saved;
SQL

# --- the numbers --------------------------------------------------------------------
cat >"$WORK/tables.py" <<'PY'
import json, sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables, self.cur, self.cell, self.row = {}, None, None, None
        self.points = []
        self.in_title = self.in_point = False
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and a.get("class") == "figures":
            self.cur = self.tables.setdefault(a["data-indicator"], [])
        elif tag == "tr" and self.cur is not None:
            self.row = {}
        elif tag == "td" and self.row is not None:
            self.cell = a["data-column"]
            self.row[self.cell] = ""
        elif tag == "circle" and "data-n" in a:
            self.points.append([a, ""])
            self.in_point = True
        elif tag == "title" and self.in_point:
            self.in_title = True
    def handle_endtag(self, tag):
        if tag == "table":
            self.cur = None
        elif tag == "tr" and self.row:
            self.cur.append(self.row)
            self.row = None
        elif tag == "td":
            self.cell = None
        elif tag == "title":
            self.in_title = False
        elif tag == "circle":
            self.in_point = False
    def handle_data(self, d):
        if self.cell:
            self.row[self.cell] += d
        if self.in_title:
            self.points[-1][1] += d
p = P()
p.feed(open(sys.argv[1]).read())
want = json.load(open(sys.argv[2]))
fail = []
def shown(v, col):
    if v is None:
        return "\u2013"
    s = str(v)
    return s.replace(".", ",") if col.startswith("pct_") else s
n = 0
for ind, rows in want["tables"].items():
    got = p.tables.get(ind)
    exp = [{c: shown(r[c], c) for c in want["columns"][ind]} for r in rows]
    n += sum(len(r) for r in exp)
    if got != exp:
        fail.append("%s: %s\n want %s" % (ind, got and got[:2], exp[:2]))
bad = [t for a, t in p.points if not t.endswith("(n = %s)" % a["data-n"])]
if bad or not p.points:
    fail.append("points without their n: %s" % bad[:3])
small = [a for a, t in p.points if a.get("class") == "small-n"]
if any(int(a["data-n"]) >= 20 for a in small) or any(int(a["data-n"]) < 20 for a, t in p.points if a.get("class") != "small-n"):
    fail.append("open rings are not exactly the points of fewer than 20 units")
print(n, len(p.points))
if fail:
    print("\n".join(fail), file=sys.stderr)
    sys.exit(1)
PY
# the figures of 2019 from the trend functions, the columns report shows
q "SELECT json_build_object('tables', json_build_object(
     'nav_collab', (SELECT json_agg(t) FROM is248.trend_nav_collab_filtered(years => '{2019}') t),
     'nav_rating', (SELECT json_agg(t) FROM is248.trend_nav_rating_filtered(years => '{2019}') t),
     'ips_se_mental_health', (SELECT json_agg(t) FROM is248.trend_ips_se_filtered(years => '{2019}') t WHERE field = 'mental_health'),
     'ips_se_substance', (SELECT json_agg(t) FROM is248.trend_ips_se_filtered(years => '{2019}') t WHERE field = 'substance')),
   'columns', (SELECT json_object_agg(indicator, cols) FROM (
       SELECT indicator, json_agg(column_name ORDER BY ord) FILTER (WHERE report OR column_name = 'size_class') AS cols
       FROM is248.indicator_column GROUP BY indicator) x))" >"$WORK/want.json"
python3 "$WORK/tables.py" "$WORK/rapport.html" "$WORK/want.json" >"$WORK/tables.out" 2>"$WORK/tables.err"
st=$?
eq "every figure of every table equals the trend functions' for 2019 ($(cat "$WORK/tables.out") figures, points); each point has its n; open below 20" \
   "$st|$(head -c 1500 "$WORK/tables.err")" "0|"
ok "... and there are figures (so that the check can tell)" test "$(cut -d' ' -f1 "$WORK/tables.out")" -gt 150

# --- rendered -----------------------------------------------------------------------
command -v chromium >/dev/null || { echo "chromium is not installed (scripts/deps installs it): the rendering is not checked"; finish_rc=77; }
shoot() {  # shoot HTML PNG: a screenshot 1000 x 5200 CSS pixels, at half scale
    timeout 60 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --force-device-scale-factor=0.5 --window-size=1000,5200 \
        --user-data-dir="$WORK/chromium" --screenshot="$2" "file://$1" >/dev/null 2>"$WORK/chromium.err"
}
printf '<!DOCTYPE html><title>x</title><p>x</p>\n' >"$WORK/empty.html"
if [ -z "${finish_rc:-}" ] && ! { shoot "$WORK/empty.html" "$WORK/empty.png" </dev/null; [ -s "$WORK/empty.png" ]; }; then
    echo "chromium cannot start here ($(grep -v dbus "$WORK/chromium.err" | tail -n 2 | tr '\n' ' ')): the rendering is not checked"
    finish_rc=77
fi
if [ -n "${finish_rc:-}" ]; then
    dropdb --if-exists "$PGDATABASE" >/dev/null 2>&1
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ] || exit 1
    exit 77
fi
sed 's|</head>|<style>svg{visibility:hidden}</style></head>|' "$WORK/rapport.html" >"$WORK/hidden.html"
shoot "$WORK/rapport.html" "$WORK/page.png"
eq "chromium renders the page" "$?" 0
shoot "$WORK/hidden.html" "$WORK/hidden.png"
eq "... and the page with its charts hidden" "$?" 0
cat >"$WORK/shots.py" <<'PY'
import sys
from png import read_png
page, hidden, charts = sys.argv[1], sys.argv[2], int(sys.argv[3])
palette = [tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in sys.argv[4].split(",")]
w, h, a = read_png(page)
w2, h2, b = read_png(hidden)
fail = []
assert (w, h) == (w2, h2)
ink = sum(1 for row in a for px in row if sum(px) < 600)
if ink < w * h // 100:
    fail.append("the page is blank: %d pixels of ink" % ink)
# rows where the charts make a difference, grouped into bands
diff = [y for y in range(h) if a[y] != b[y]]
bands = []
for y in diff:
    if bands and y - bands[-1][1] <= 12:
        bands[-1][1] = y
    else:
        bands.append([y, y])
big = [bd for bd in bands if bd[1] - bd[0] > 150]
if len(big) != charts:
    fail.append("%d bands where the charts show (%s), want %d" % (len(big), bands[:8], charts))
if bands and big and big[-1][1] >= h - 2:
    fail.append("the last chart reaches the bottom of the shot: the page is longer than the shot")
for y0, y1 in big:
    seen = {c for y in range(y0, y1 + 1) for px in a[y] for c in palette if all(abs(p - q) <= 12 for p, q in zip(px, c))}
    if len(seen) < 3:
        fail.append("band %d-%d: %d of the series' colours" % (y0, y1, len(seen)))
print(len(big), ink)
if fail:
    print("\n".join(fail), file=sys.stderr)
    sys.exit(1)
PY
PYTHONPATH="$SRC/tests/integration" python3 "$WORK/shots.py" "$WORK/page.png" "$WORK/hidden.png" 4 \
    "#e69f00,#56b4e9,#009e73,#0072b2,#d55e00,#cc79a7,#8c6d1f,#262626" >"$WORK/shots.out" 2>"$WORK/shots.err"
st=$?
eq "the screenshot is not blank, and each of the 4 charts shows in its place, in the series' colours ($(cat "$WORK/shots.out"))" \
   "$st|$(head -c 1500 "$WORK/shots.err")" "0|"

# the check can tell: a page whose charts are hidden has no bands
PYTHONPATH="$SRC/tests/integration" python3 "$WORK/shots.py" "$WORK/hidden.png" "$WORK/hidden.png" 4 "#e69f00" >/dev/null 2>&1
eq "... and fails for a page without charts (so that it can tell)" "$?" 1

# --- failures -------------------------------------------------------------------------
run report 2019 --format html --chart-dir "$WORK/c"
eq "--chart-dir with html: exit 2" "$rc" 2
contains "... saying why" "$err" "--chart-dir is for Markdown: the HTML report holds its charts"
run report 2019 --format pdf
eq "an unknown report format: exit 2" "$rc" 2
contains "... naming the formats" "$err" "unknown --format 'pdf' (formats: md, html)"
run report 2019 --format html --size-class huge
eq "an unknown size class for the chart lines: exit 2" "$rc" 2
contains "... naming it" "$err" "unknown size class 'huge'"
run report 2019 --format html --size-class 'Alle,50000+' --output "$WORK/lines.html"
eq "--size-class Alle,50000+: exit 0" "$rc" 0
eq "... only those lines in each chart" \
   "$(grep -o 'class="series" data-label="[^"]*"' "$WORK/lines.html" | sed 's/.*data-label=//' | sort | uniq -c | sed 's/^ *//' | tr '\n' ';')" \
   '4 "50000+";4 "Alle (all units)";'
finish
