#!/usr/bin/env bash
# "is248 demo": starts its own PostgreSQL, loads the fixtures, prints the
# trends (as a table, or CSV), draws them (--chart), and leaves nothing
# behind.
. "$(dirname "$0")/lib.sh"
# the demo's clusters go under a TMPDIR of this test's own, so that a demo
# run elsewhere at the same time cannot be mistaken for one left behind
export TMPDIR=$(mktemp -d /tmp/t_demo-XXXXXX)
chmod 755 "$TMPDIR"
trap 'rm -rf "$TMPDIR"' EXIT
left() { ls -d "$TMPDIR"/is248-demo-* 2>/dev/null | wc -l; }
before=0
( unset PGHOST PGPORT PGUSER PGDATABASE; "$IS248" demo >"$WORK/out" 2>"$WORK/err" ); rc=$?
out=$(cat "$WORK/out"); err=$(cat "$WORK/err")
eq "demo exits 0" "$rc" 0
contains "demo imports the fixtures" "$err" "reports: "
contains "demo prints the collaboration trend" "$out" "Collaboration between health and care services and Nav"
for y in 2015 2016 2017 2018 2019 2020 2021 2022 2023 2024 2025; do
    contains "demo prints $y" "$out" " $y | Alle "
done
eq "demo removes its cluster" "$(left)" "$before"

# from a fresh clone to a chart in one command
( cd "$WORK" && unset PGHOST PGPORT PGUSER PGDATABASE && "$IS248" demo --chart demo.svg >"$WORK/out" 2>"$WORK/err" ); rc=$?
out=$(cat "$WORK/out"); err=$(cat "$WORK/err")
eq "demo --chart: exit 0" "$rc" 0
contains "demo --chart: says where the chart is" "$err" "chart of nav_collab written to 'demo.svg'"
contains "demo --chart: still prints the trends" "$out" " 2025 | Alle "
ok "demo --chart: a well-formed SVG" xmllint --noout "$WORK/demo.svg"
eq "demo --chart: the years 2015-2025 on its axis" \
   "$(grep -o 'data-year="[0-9]*"' "$WORK/demo.svg" | tr -d 'a-z="-' | tr '\n' ' ')" \
   "2015 2016 2017 2018 2019 2020 2021 2022 2023 2024 2025 "
eq "demo --chart: a line per size class and the total" \
   "$(grep -o 'class="series" data-label="[^"]*"' "$WORK/demo.svg" | sed 's/.*data-label=//' | tr '\n' ' ')" \
   '"Alle (all units)" "&lt;2000" "2000-4999" "5000-9999" "10000-19999" "20000-49999" "50000+" "Oslo bydel" '
if command -v rsvg-convert >/dev/null; then
    rsvg-convert -w 800 -h 500 -b white "$WORK/demo.svg" -o "$WORK/demo.png"
    eq "demo --chart: rsvg-convert renders it" "$?" 0
fi
eq "demo --chart removes its cluster" "$(left)" "$before"

# figures for a script: nothing on stdout but the CSV
( unset PGHOST PGPORT PGUSER PGDATABASE; "$IS248" demo --format csv --indicator nav_collab >"$WORK/out" 2>"$WORK/err" ); rc=$?
eq "demo --format csv: exit 0" "$rc" 0
eq "demo --format csv: parses, a row per year and size class, 11 of them Alle" \
   "$(python3 -c 'import csv,sys; r=list(csv.DictReader(open(sys.argv[1], newline=""))); print(len(r), sum(x["size_class"] == "Alle" for x in r), sorted({x["indicator"] for x in r}))' "$WORK/out")" \
   "88 11 ['nav_collab']"

# a chart that cannot be written is found before a server starts
start=$SECONDS
( unset PGHOST PGPORT PGUSER PGDATABASE; "$IS248" demo --chart "$WORK/no/such/dir/x.svg" >"$WORK/out" 2>"$WORK/err" ); rc=$?
err=$(cat "$WORK/err")
eq "demo --chart to a place that cannot be written: exit 2" "$rc" 2
contains "... saying why" "$err" "cannot write the chart '$WORK/no/such/dir/x.svg'"
ok "... before starting a server" test -z "$(grep 'starting a throwaway' "$WORK/err")"
ok "... at once" test $((SECONDS - start)) -lt 3
( unset PGHOST PGPORT PGUSER PGDATABASE; "$IS248" demo --format xml >/dev/null 2>&1 ); rc=$?
eq "demo --format xml: exit 2" "$rc" 2
( unset PGHOST PGPORT PGUSER PGDATABASE; "$IS248" demo --county 46 >/dev/null 2>&1 ); rc=$?
eq "demo --county (a selection is for trends): exit 2" "$rc" 2

# a reader that stops early (a closed pipe) must not leave a server behind
( unset PGHOST PGPORT PGUSER PGDATABASE; "$IS248" demo 2>/dev/null | head -n 3 >/dev/null )
eq "demo piped into head removes its cluster too" "$(left)" "$before"
finish
