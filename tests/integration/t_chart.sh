#!/usr/bin/env bash
# "is248 trends --chart": the SVG is rendered with rsvg-convert and the
# pixels are checked: every series is drawn in its colour where its figures
# (from the database) put it on the chart's own axes, the total line too;
# the legend, the axes and the title say what they should.  Then the
# failures: what cannot be written, what there is nothing to draw for.
. "$(dirname "$0")/lib.sh"
export LC_ALL=C.UTF-8  # the words of the charts: English (--lang decides otherwise)
command -v rsvg-convert >/dev/null || { echo "rsvg-convert missing (scripts/deps installs librsvg2-bin)"; exit 77; }

run migrate
run import "$SRC/fixtures/delivery"
eq "the fixtures import" "$rc" 0

# check.py SVG PNG EXPECTED MODE: EXPECTED is {size class: {year: percent}}
# from the database.  Geometry comes from the SVG's own axes: the grid line
# of 0 % and of 100 % (data-value) and the tick of each year (data-year).
# MODE visible: every figure of every series shows that series' colour at
#   its place (within 2 px), or, where series drawn after it have the same
#   figure, in a ring around theirs (figures close but not the same are
#   left out; a figure of fewer than 20 units, an open ring, shows its colour
#   on the ring); each series shows somewhere in the plot; the total line's centre, where both
#   its segments are gentle and no other line is near, is within 1.5 px of
#   its figure (with a 5th argument "centre": at one figure at least).
# MODE inside: one size class equal to the total: the class's colour at
#   each figure's place, the total's colour around it (within 7 px).
cat >"$WORK/check.py" <<'PY'
import json, sys
import png
import xml.etree.ElementTree as ET

def read_png(path):
    w, h, rows = png.read_png(path)
    return w, h, lambda x, y: rows[y][x]

svg_path, png_path, expected_path, mode = sys.argv[1:5]
expected = json.load(open(expected_path))
NS = "{http://www.w3.org/2000/svg}"
root = ET.parse(svg_path).getroot()          # well-formed XML, or this fails
w, h, px = read_png(png_path)
assert (w, h) == (800, 500), (w, h)
scale_x, scale_y = w / float(root.get("width")), h / float(root.get("height"))
grid = {int(e.get("data-value")): float(e.get("y1")) * scale_y
        for e in root.iter(NS + "line") if e.get("class") == "grid"}
ticks = {e.get("data-year"): float(e.get("x1")) * scale_x
         for e in root.iter(NS + "line") if e.get("class") == "x-tick"}
series = [(g.get("data-label"), g.get("data-colour")) for g in root.iter(NS + "g") if g.get("class") == "series"]
# figures of fewer than 20 units are open rings: (label, x, y) -> radius
hollow = {(g.get("data-label"), round(float(c.get("cx")) * scale_x), round(float(c.get("cy")) * scale_y)):
          float(c.get("r")) * scale_y
          for g in root.iter(NS + "g") if g.get("class") == "series"
          for c in g.iter(NS + "circle") if c.get("class") == "small-n"}
def ring(label, x, y):   # how far from a figure its colour shows: a ring's radius
    r = hollow.get((label, round(x), round(y)))
    return int(r + 2) if r else 0
assert sorted(grid) == [0, 20, 40, 60, 80, 100], sorted(grid)
fail = []

def key(label):   # the legend's "Alle (all units)" is the database's Alle
    return "Alle" if label.startswith("Alle") else label
def rgb(colour):
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
def ypos(v):
    return grid[0] + (grid[100] - grid[0]) * v / 100.0
def near(colour, x, y, dx, dy):
    want = rgb(colour)
    return [(xx, yy) for xx in range(int(round(x)) - dx, int(round(x)) + dx + 1)
            for yy in range(int(round(y)) - dy, int(round(y)) + dy + 1)
            if 0 <= xx < w and 0 <= yy < h and all(abs(a - b) <= 6 for a, b in zip(px(xx, yy), want))]

labels = sorted(key(l) for l, _ in series)
if labels != sorted(expected):
    fail.append("series %s, want %s" % (labels, sorted(expected)))
years = sorted({y for s in expected.values() for y in s})
if sorted(ticks) != [str(y) for y in range(int(years[0]), int(years[-1]) + 1)]:
    fail.append("year ticks %s for figures of %s" % (sorted(ticks), years))
legend = [t.text for t in root.iter(NS + "text")]
for l, _ in series:
    if not any(l.startswith(t or "\0") for t in legend):
        fail.append("no legend entry for %r" % l)

checked = {}
if mode == "visible":
    for k, (label, colour) in enumerate(series):
        checked[label] = 0
        for year, v in expected[key(label)].items():
            x, y = ticks[year], ypos(v)
            later = [(ypos(v2) - y, ring(l2, x, ypos(v2))) for l2, _ in series[k + 1:]
                     for v2 in [expected[key(l2)].get(year)] if v2 is not None]
            if any(0.75 <= abs(d) < 9 + r for d, r in later):
                continue   # partly beneath a series drawn after it (an open ring's white inside too)
            later = [d for d, _ in later]
            same = sum(1 for d in later if abs(d) < 0.75)
            # alone: a marker at its place; under others with the same
            # figure: a ring around theirs
            reach = 2 if not same else int((5.5 if key(label) == "Alle" else 3.75) + 1.5 * same + 2)
            reach = max(reach, ring(label, x, y))
            if not near(colour, x, y, 1, reach):
                fail.append("%s %s: %.1f %% not drawn at (%.0f, %.0f)+-%d in %s" % (label, year, v, x, y, reach, colour))
            checked[label] += 1
        # in the plot (not the legend), between the figures if not at them
        x0, x1 = int(min(ticks.values())) - 6, int(max(ticks.values())) + 6
        y0, y1 = int(grid[100]) - 8, int(grid[0]) + 8
        want = rgb(colour)
        if not any(all(abs(a - b) <= 6 for a, b in zip(px(xx, yy), want))
                   for yy in range(y0, y1) for xx in range(x0, x1)):
            fail.append("%s: its colour is nowhere in the plot" % label)
    # the total's centre where both its neighbours are close in value
    total = [(l, c) for l, c in series if key(l) == "Alle"][0]
    fig = expected["Alle"]
    centres = 0
    for year, v in fig.items():
        ys = [fig.get(str(int(year) + d)) for d in (-1, 1)]
        if any(n is None or abs(n - v) > 15 for n in ys) or total[0] not in checked:
            continue
        x, y = ticks[year], ypos(v)
        if any(abs(ypos(v2) - y) < 12 + ring(l2, x, ypos(v2)) for l2, _ in series if key(l2) != "Alle"
               for v2 in [expected[key(l2)].get(year)] if v2 is not None):
            continue
        hits = near(total[1], x, y, 0, 12)
        # the middle of the marker, filled or an open ring
        centre = (min(yy for _, yy in hits) + max(yy for _, yy in hits)) / 2.0 if hits else -1
        if abs(centre - y) > 1.5:
            fail.append("Alle %s: %.1f %% centred at row %.1f, want %.1f" % (year, v, centre, y))
        centres += 1
    if not centres and sys.argv[5:] == ["centre"]:
        fail.append("no figure of the total to check the centre of")
    print("checked %s; total centred at %d figures" % (checked, centres))
else:
    (cl, cc), = [(l, c) for l, c in series if key(l) != "Alle"]
    (tl, tc), = [(l, c) for l, c in series if key(l) == "Alle"]
    if expected[cl] != expected["Alle"]:
        fail.append("the class and the total differ: the test's premise")
    n = 0
    for year, v in expected[cl].items():
        x, y = ticks[year], ypos(v)
        if not near(cc, x, y, 1, max(2, ring(cl, x, y))):
            fail.append("%s %s: %.1f %% not drawn at (%.0f, %.0f)" % (cl, year, v, x, y))
        if not near(tc, x, y, 1, 7):
            fail.append("Alle %s: not drawn around %s at (%.0f, %.0f)" % (year, cl, x, y))
        n += 1
    print("%s: %d figures" % (cl, n))
if fail:
    print("\n".join(fail[:20]), file=sys.stderr)
    sys.exit(1)
PY

# expected VIEW PCT [WHERE]: {size class: {year: percent}} of the view
expected_json() {
    q "SELECT coalesce(json_object_agg(size_class, v), '{}') FROM (
         SELECT size_class, json_object_agg(year, $2 ORDER BY year) AS v
         FROM is248.$1 WHERE $2 IS NOT NULL AND (${3:-true}) GROUP BY size_class) x"
}

# chart NAME MODE EXPECTED ARGS...: draw, render at 800 x 500 on white, check
chart() {
    local name=$1 mode=$2 want=$3 st; shift 3
    run trends --chart "$WORK/$name.svg" "$@"
    eq "$name: exit 0" "$rc" 0
    eq "$name: nothing on stdout without --format" "$out" ""
    contains "$name: says where the chart is" "$err" "written to '$WORK/$name.svg'"
    rsvg-convert -w 800 -h 500 -b white "$WORK/$name.svg" -o "$WORK/$name.png"
    eq "$name: rsvg-convert renders it" "$?" 0
    printf '%s' "$want" >"$WORK/$name.json"
    PYTHONPATH="$SRC/tests/integration" python3 "$WORK/check.py" "$WORK/$name.svg" "$WORK/$name.png" "$WORK/$name.json" $mode >"$WORK/check.out" 2>&1
    st=$?
    eq "$name: the rendered chart shows the figures ($(head -n 1 "$WORK/check.out"))" "$st" 0
    [ "$st" = 0 ] || tail -n +2 "$WORK/check.out" | head -n 20 >&2
}

chart default "visible centre" "$(expected_json trend_nav_collab pct_yes)"
svg=$(cat "$WORK/default.svg")
contains "the title names the question in English" "$svg" ">Collaboration with Nav on work-oriented rehabilitation established</text>"
contains "... and in Norwegian, as on the form" "$svg" "Har kommunen etablert et samarbeid mellom helse- og omsorgstjenesten og NAV"
contains "the y axis is in percent, 0-100" "$svg" ">100 %</text>"
contains "... and labelled" "$svg" ">% of units answering yes</text>"
contains "the x axis is labelled" "$svg" ">Reporting year</text>"
contains "a size class's '<' is escaped for XML" "$svg" 'data-label="&lt;2000"'
ok "the chart is self-contained (nothing linked or fetched)" test -z "$(grep -Eo '(href|url\(|@import|<script)' "$WORK/default.svg")"
ok "xmllint reads it as well-formed XML" xmllint --noout "$WORK/default.svg"

chart rating "visible centre" "$(expected_json trend_nav_rating pct_good)" --indicator nav_rating
contains "nav_rating: % very good or good" "$(cat "$WORK/rating.svg")" ">% rating it very good or good</text>"
chart ips_mh visible "$(expected_json trend_ips_se pct_yes "field = 'mental_health'")" --indicator ips_se_mental_health
contains "ips_se_mental_health: the axis starts in 2016, the first year asked" \
   "$(grep -o 'data-year="[0-9]*"' "$WORK/ips_mh.svg" | head -n 1)" 'data-year="2016"'
chart ips_sub visible "$(expected_json trend_ips_se pct_yes "field = 'substance'")" --indicator ips_se_substance

# a county: the total is that county's, not the nation's
chart county visible \
   "$(q "SELECT json_object_agg(size_class, v) FROM (SELECT size_class, json_object_agg(year, pct_yes ORDER BY year) v
         FROM is248.trend_nav_collab_filtered(counties => '{46,50}') WHERE pct_yes IS NOT NULL GROUP BY size_class) x")" \
   --county 46,50
ok "county: the total differs from the nation's in some year (the check can tell)" \
   test "$(q "SELECT count(*) FROM is248.trend_nav_collab_filtered(counties => '{46,50}') f
              JOIN is248.trend_nav_collab v USING (year, size_class) WHERE size_class = 'Alle' AND f.pct_yes <> v.pct_yes")" -gt 0
contains "county: the note names the selection" "$(grep -o "font-size=\"10\"[^>]*>[^<]*" "$WORK/county.svg" | sed "s/.*>//" | tr "\n" " ")" "Selection: counties Vestland (46), Trøndelag (50)."
contains "county: the title names the counties" "$(cat "$WORK/county.svg")" "established – Vestland, Trøndelag</title>"

# n on every point: its tooltip, open rings below 20 units, and a footnote
cat >"$WORK/n.py" <<'PY'
import json, sys
import xml.etree.ElementTree as ET
NS = "{http://www.w3.org/2000/svg}"
root = ET.parse(sys.argv[1]).getroot()
want = json.load(open(sys.argv[2]))     # {size class: {year: n}}
fail, points = [], 0
for g in root.iter(NS + "g"):
    if g.get("class") != "series":
        continue
    label = g.get("data-label")
    key = "Alle" if label.startswith("Alle") else label
    for c in g.iter(NS + "circle"):
        title = c.find(NS + "title").text
        year = title.split(": ")[0].rsplit(" ", 1)[1]
        n = want[key][year]
        points += 1
        if c.get("data-n") != str(n) or not title.endswith("(n = %d)" % n):
            fail.append("%s %s: n %s, title %r, want %d" % (label, year, c.get("data-n"), title, n))
        if (c.get("class") == "small-n") != (n < 20):
            fail.append("%s %s: n = %d drawn %s" % (label, year, n, "open" if c.get("class") == "small-n" else "filled"))
        if c.get("class") == "small-n" and c.get("fill") != "#ffffff":
            fail.append("%s %s: an open ring is filled (%s)" % (label, year, c.get("fill")))
notes = [" ".join(t.text for t in g.iter(NS + "text")) for g in root.iter(NS + "g") if g.get("class") == "small-n-note"]
notes = [t for t in notes if "fewer than 20 units" in t]
if any(c.get("class") == "small-n" for c in root.iter(NS + "circle")) and not notes:
    fail.append("open rings without a footnote")
print(points)
if fail:
    print("\n".join(fail[:20]), file=sys.stderr)
    sys.exit(1)
PY
n_of() {  # n_of VIEW NCOLUMN PCT [WHERE]: {size class: {year: n}} of the figures drawn
    q "SELECT json_object_agg(size_class, v) FROM (SELECT size_class, json_object_agg(year, $2 ORDER BY year) v
         FROM is248.$1 WHERE $3 IS NOT NULL AND (${4:-true}) GROUP BY size_class) x"
}
for spec in "default trend_nav_collab units_answered pct_yes" "rating trend_nav_rating units_rated pct_good" \
            "ips_mh trend_ips_se units_answered pct_yes field='mental_health'"; do
    set -- $spec
    n_of "$2" "$3" "$4" "${5:-true}" >"$WORK/$1.n.json"
    got=$(python3 "$WORK/n.py" "$WORK/$1.svg" "$WORK/$1.n.json" 2>&1)
    st=$?
    eq "$1: every point has its n in its tooltip, open below 20 units, with a footnote ($(head -n 1 <<<"$got") points)" "$st" 0
    [ "$st" = 0 ] || echo "$got" >&2
done
ok "the fixtures' points are all of fewer than 20 units (13 a year): every one open" \
   test "$(grep -c 'class="small-n"' "$WORK/default.svg")" -gt 80
contains "the footnote says what an open point is" "$(cat "$WORK/default.svg")" ">Open points: fewer than 20</text>"

# each size class alone: its line inside the total's, which equals it
for sc in '<2000' '2000-4999' '5000-9999' '10000-19999' '20000-49999' '50000+' 'Oslo bydel'; do
    chart "class-${sc//[^0-9a-z]/_}" inside \
       "$(expected_json trend_nav_collab pct_yes "size_class = '$sc'" | python3 -c 'import json,sys; d=json.load(sys.stdin); d["Alle"]=list(d.values())[0]; print(json.dumps(d))')" \
       --size-class "$sc"
done
ok "each size class keeps its colour when drawn alone" test \
   "$(grep -h -o 'data-label="50000+" data-colour="#[0-9a-f]*"' "$WORK/default.svg" "$WORK/class-50000_.svg" | sort -u | wc -l)" = 1

# to stdout
run trends --chart - --indicator nav_rating
eq "--chart -: exit 0" "$rc" 0
contains "--chart -: the SVG on stdout" "$out" '<svg xmlns="http://www.w3.org/2000/svg"'
run trends --chart - --format csv
eq "--chart - with --format: exit 2" "$rc" 2

# --format with --chart prints the figures too
run trends --chart "$WORK/also.svg" --format csv --indicator nav_collab
eq "--chart with --format: the CSV too" "$(head -n 1 <<<"$out" | tr -d '\r')" \
   "indicator,year,size_class,units_reporting,units_answered,units_yes,units_no,units_dont_know,population_answered,pct_yes,pct_population"
ok "... and the chart" test -s "$WORK/also.svg"

umask 022
run trends --chart "$WORK/mode.svg"
eq "the chart is made as any file (umask 022: 644)" "$(stat -c %a "$WORK/mode.svg")" 644

# --- failures ------------------------------------------------------------------
echo "keep me" >"$WORK/keep.svg"
run trends --chart "$WORK/keep.svg" --years 2030
eq "nothing to draw: exit 1" "$rc" 1
contains "... saying so" "$err" "nothing to chart: no figures for nav_collab for years 2030"
eq "... and the file there before is untouched" "$(cat "$WORK/keep.svg")" "keep me"
eq "... no temporary file left" "$(ls "$WORK" | grep -c 'keep.svg.')" 0

run trends --chart "$WORK/no/such/dir/x.svg"
eq "a chart in a directory that does not exist: exit 2" "$rc" 2
contains "... saying why" "$err" "cannot write the chart '$WORK/no/such/dir/x.svg': No such file or directory"
mkdir -p "$WORK/adir"
run trends --chart "$WORK/adir"
eq "a chart onto a directory: exit 2" "$rc" 2
contains "... saying why" "$err" "refusing to write the chart '$WORK/adir': it is a directory"
if [ "$(id -u)" != 0 ]; then
    mkdir -p "$WORK/ro" && chmod 555 "$WORK/ro"
    run trends --chart "$WORK/ro/x.svg"
    eq "a chart where one may not write: exit 2" "$rc" 2
    chmod 755 "$WORK/ro"
fi
run trends --chart "$WORK/two.svg" --indicator nav_collab,nav_rating
eq "two indicators in one chart: exit 2" "$rc" 2
contains "... saying so" "$err" "--chart draws one indicator"
run trends --chart "$WORK/x.svg" --indicator ips
eq "an unknown indicator: exit 2" "$rc" 2
ok "... and no file" test ! -e "$WORK/x.svg"
run trends --chart "$WORK/x.svg" --size-class huge
eq "an unknown size class: exit 2" "$rc" 2
ok "... and no file, nor a temporary one" test -z "$(ls "$WORK" | grep '^x.svg')"
finish
