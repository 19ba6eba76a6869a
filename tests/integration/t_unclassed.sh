#!/usr/bin/env bash
# Units without a size class (a report without a population, delivery-format
# §6): 'Alle' counts them and no size class does.  Every trend table and
# chart says how many, per year, in a footnote; report names them.
. "$(dirname "$0")/lib.sh"

run migrate
run import "$SRC/fixtures/delivery/2019" "$SRC/fixtures/delivery/2024"
eq "the fixtures of 2019 and 2024 load" "$rc" 0
# two units of 2019 without a population: their reports have no size class
d="$WORK/unclassed"
mkdir -p "$d"
for u in 1103 1106; do
    v2_report 2019 "$u" kommune "" 2020-02-01T10:00:00+01:00 \
        '    <Svar sporsmal="ARB_NAV_SAMARBEID" kode="1">Ja</Svar>' |
        sed 's/ innbyggere=""//' >"$d/$u.xml"
done
run import "$d"
eq "two reports without a population load (a warning each)" "$rc|$(q "SELECT count(*) FROM is248.report_current WHERE size_class IS NULL")" "0|2"
contains "... warned about" "$err" "no size class"
# per year, what Alle counts beyond the size classes, from the view itself
want=$(q "SELECT string_agg(year || ': ' || n, ', ' ORDER BY year) FROM
          (SELECT year, count(*) AS n FROM is248.report_current WHERE size_class IS NULL GROUP BY year) x")
eq "the database has the two in 2019" "$want" "2019: 2"
LC_ALL=C.UTF-8 run trends
eq "trends: exit 0" "$rc" 0
note="'Alle' also counts the units without a size class (no population reported), which no size class counts (is248 report names them): $want."
eq "the table of nav_collab, which they answered, has the footnote" \
   "$(awk '/^Collaboration between health/ { on = 1 } /^How the municipality rates/ { on = 0 } on' <<<"$out" | grep -cF "$note")" 1
eq "... the tables of the questions they did not answer have none" "$(grep -c "also counts the units without" <<<"$out")" 1
LC_ALL=C.UTF-8 run trends --years 2024
eq "a selection without such units: no footnote" "$(grep -c "also counts the units without" <<<"$out")" 0
LANG=nb_NO.UTF-8 LC_ALL= run trends --indicator nav_collab
contains "in Norwegian" "$out" "«Alle» teller også enhetene uten størrelsesgruppe (innbyggertall ikke oppgitt), som ingen størrelsesgruppe teller (is248 report nevner dem): $want."
LC_ALL=C.UTF-8 run trends --indicator nav_collab --chart "$WORK/c.svg"
eq "a chart: exit 0" "$rc" 0
contains "... its note says it too" "$(tr '\n' ' ' <"$WORK/c.svg" | sed 's/<[^>]*>/ /g; s/  */ /g')" "no size class counts"
LC_ALL=C.UTF-8 run report 2019
eq "report 2019: exit 0" "$rc" 0
for u in 1103 1106; do
    contains "... names unit $u" "$out" "$u"
done
finish
