#!/usr/bin/env bash
# The three examples of the delivery format, loaded and checked value by
# value against what the spec says they mean (§3-§6).
. "$(dirname "$0")/lib.sh"

run migrate
ex="$SRC/fixtures/spec-examples"
run import "$ex"
eq "import of the examples exits 0" "$rc" 0
contains "the summary counts four reports" "$err" "reports: 4 loaded"

eq "report_current holds the four units as the spec defines them" "$(q "
  SELECT year, unit_code, unit_type, unit_name, county_code, population, size_class,
         nav_collab, nav_collab_specialist, nav_rating,
         ips_se_mental_health, ips_mental_health, se_mental_health,
         ips_se_substance, ips_substance, se_substance, submitted_at
  FROM is248.report_current ORDER BY year, unit_code")" \
"2017|1601|kommune|Trondheim|16|190464|50000+|yes|no|neither|yes|||dont_know|||2018-03-01 13:05:00+00
2018|5001|kommune|Trondheim|50|193501|50000+|yes|no|good|yes|t|t|no|f|f|2019-02-11 09:03:00+00
2019|030112|bydel|Alna|03|49801|Oslo bydel|yes|dont_know|very_good|yes|t|f|yes|t|f|2020-01-28 08:12:44+00
2019|030115|bydel|Søndre Nordstrand|03|39021|Oslo bydel|no||neither|dont_know||||||2020-02-03 12:40:00+00"

eq "provenance names the file" \
   "$(q "SELECT source FROM is248.report_current WHERE unit_code = '030115'")" \
   "$ex/v2-2019-county-03.xml"

eq "every raw answer of every chapter is kept (v1 example)" "$(q "
  SELECT a.question || '=' || coalesce(a.code, '') || '/' || coalesce(a.text, '')
  FROM is248.answer a JOIN is248.report r USING (report_id)
  WHERE r.unit_code = '1601' ORDER BY a.seq" | tr '\n' ';')" \
  "3.1=/412,5;3.2=/Årsverk i rusarbeid er ført under psykisk helsearbeid;7.1=/1;7.1.1=/2;7.2=/3;7.3=/1;7.4=/9;"

eq "Valg answers are kept under their Svar (v2 example)" "$(q "
  SELECT a.seq || ':' || coalesce(a.parent_seq::text, '-') || ':' || coalesce(a.chapter, '') || ':' || a.question || ':' || coalesce(a.code, '')
  FROM is248.answer a JOIN is248.report r USING (report_id)
  WHERE r.unit_code = '5001' ORDER BY a.seq" | tr '\n' ' ')" \
  "0:-:4:4.1: 1:-:21:ARB_NAV_SAMARBEID:1 2:-:21:ARB_NAV_SAMARBEID_SPES:2 3:-:21:ARB_NAV_SAMHANDLING:4 4:-:21:ARB_IPS_SE_PSYK: 5:4:21:ARB_IPS_SE_PSYK:IPS 6:4:21:ARB_IPS_SE_PSYK:SE 7:-:21:ARB_IPS_SE_RUS: 8:7:21:ARB_IPS_SE_RUS:INGEN "

eq "trend_nav_collab, counted by hand from the examples" \
   "$(q "SELECT year, size_class, units_reporting, units_answered, units_yes, units_no, units_dont_know, pct_yes FROM is248.trend_nav_collab")" \
"2017|50000+|1|1|1|0|0|100.0
2017|Alle|1|1|1|0|0|100.0
2018|50000+|1|1|1|0|0|100.0
2018|Alle|1|1|1|0|0|100.0
2019|Oslo bydel|2|2|1|1|0|50.0
2019|Alle|2|2|1|1|0|50.0"

eq "trend_nav_rating, counted by hand" \
   "$(q "SELECT year, size_class, units_answered, very_good, good, neither, less_good, bad, dont_know, pct_good, pct_neither, pct_less_good_or_bad FROM is248.trend_nav_rating")" \
"2017|50000+|1|0|0|1|0|0|0|0.0|100.0|0.0
2017|Alle|1|0|0|1|0|0|0|0.0|100.0|0.0
2018|50000+|1|0|1|0|0|0|0|100.0|0.0|0.0
2018|Alle|1|0|1|0|0|0|0|100.0|0.0|0.0
2019|Oslo bydel|2|1|0|1|0|0|0|50.0|50.0|0.0
2019|Alle|2|1|0|1|0|0|0|50.0|50.0|0.0"

eq "trend_ips_se, counted by hand (IPS and SE apart only from 2018)" \
   "$(q "SELECT year, size_class, field, units_answered, units_yes, units_ips, units_se, pct_yes FROM is248.trend_ips_se")" \
"2017|50000+|mental_health|1|1|||100.0
2017|50000+|substance|1|0|||0.0
2017|Alle|mental_health|1|1|||100.0
2017|Alle|substance|1|0|||0.0
2018|50000+|mental_health|1|1|1|1|100.0
2018|50000+|substance|1|0|0|0|0.0
2018|Alle|mental_health|1|1|1|1|100.0
2018|Alle|substance|1|0|0|0|0.0
2019|Oslo bydel|mental_health|2|1|1|0|50.0
2019|Oslo bydel|substance|1|1|1|0|100.0
2019|Alle|mental_health|2|1|1|0|50.0
2019|Alle|substance|1|1|1|0|100.0"

# the same files again: nothing changes, and it says so
before=$(q "SELECT count(*) FROM is248.report")
run import "$ex"
eq "a second import exits 0" "$rc" 0
contains "a second import says the files were loaded before" "$err" "already loaded"
eq "a second import adds no report" "$(q "SELECT count(*) FROM is248.report")" "$before"
eq "the second run is recorded as ok" "$(q "SELECT status FROM is248.import_run ORDER BY run_id DESC LIMIT 1")" "ok"

# the same report sent again with its time written in UTC: the same report (§7)
mkdir -p "$WORK/resent"
sed 's/tidspunkt="2019-02-11T10:03:00+01:00"/tidspunkt="2019-02-11T09:03:00Z"/' "$ex/v2-2018-5001.xml" >"$WORK/resent/5001.xml"
run import "$WORK/resent"
eq "a report re-sent with its time in UTC exits 0" "$rc" 0
eq "it is unchanged, not a conflict" "$(q "SELECT reports_loaded, reports_unchanged, reports_rejected FROM is248.source_file ORDER BY file_id DESC LIMIT 1")" "0|1|0"
finish
