#!/usr/bin/env bash
# Municipality codes by year (§2): unit_lineage follows every code change to
# today's codes; coverage and missing_report count who reported.
. "$(dirname "$0")/lib.sh"

run migrate
eq "migrate exits 0" "$rc" 0
lin() { q "SELECT current_code || ' ' || change FROM is248.unit_lineage WHERE year = $1 AND unit_code = '$2' ORDER BY current_code" | tr '\n' ';'; }
eq "2017 Trondheim leads to 5001 (renumbered 2018, Klæbu joined 2020)" "$(lin 2017 1601)" "5001 merged;"
eq "2017 Klæbu leads to 5001" "$(lin 2017 1662)" "5001 merged;"
eq "2019 Haram leads to both 1508 and 1580" "$(lin 2019 1534)" "1508 split;1580 split;"
eq "2018 Bergen was renumbered in 2020" "$(lin 2018 1201)" "4601 renumbered;"
eq "2015 Utsira is unchanged" "$(lin 2015 1151)" "1151 unchanged;"
eq "2024 codes are today's" "$(q "SELECT count(*) FROM is248.unit_lineage WHERE year = 2024 AND (change <> 'unchanged' OR current_code <> unit_code)")" 0
last=$(q "SELECT max(year) FROM is248.municipality")
eq "every lineage ends in a code valid in $last" \
   "$(q "SELECT count(*) FROM is248.unit_lineage l WHERE NOT EXISTS (SELECT 1 FROM is248.municipality m WHERE m.year = $last AND m.code = l.current_code)")" 0
eq "every code of every year has a lineage" \
   "$(q "SELECT count(*) FROM is248.municipality m WHERE NOT EXISTS (SELECT 1 FROM is248.unit_lineage l WHERE l.year = m.year AND l.unit_code = m.code)")" 0

run import "$SRC/fixtures/delivery"
eq "the fixtures import" "$rc" 0
# units expected, counted from the shipped CSV: municipalities but 0301, plus 17 districts
expected_units() { awk -F, -v y="$1" '$1 == y && $2 != "0301" { n++ } END { print n + 17 }' "$SRC/sql/reference/municipalities_by_year.csv"; }
for y in 2015 2019 2020 2025; do
    e=$(expected_units $y)
    eq "coverage $y: expected, reporting and share" \
       "$(q "SELECT units_expected, units_reporting, pct_reporting FROM is248.coverage WHERE year = $y")" \
       "$e|13|$(awk -v e="$e" 'BEGIN { printf "%.1f", 1300 / e }')"
    eq "missing_report $y lists the others" "$(q "SELECT count(*) FROM is248.missing_report WHERE year = $y")" "$((e - 13))"
done
eq "coverage runs through the years reported" "$(q "SELECT min(year), max(year), count(*) FROM is248.coverage")" "2015|2025|11"
eq "a unit that reported is not missing" "$(q "SELECT count(*) FROM is248.missing_report WHERE unit_code IN ('1201', '4601', '030112')")" 0

eq "a time series across the 2020 reform follows Bergen by today's code" \
   "$(q "SELECT string_agg(r.year || ':' || r.unit_code, ' ' ORDER BY r.year)
         FROM is248.report_current r JOIN is248.unit_lineage l ON l.year = r.year AND l.unit_code = r.unit_code
         WHERE l.current_code = '4601'")" \
   "2015:1201 2016:1201 2017:1201 2018:1201 2019:1201 2020:4601 2021:4601 2022:4601 2023:4601 2024:4601 2025:4601"
finish
