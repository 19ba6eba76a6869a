#!/usr/bin/env bash
# What real deliveries get wrong (delivery-format.md §8), one XML fixture per
# defect in fixtures/defects/xml/, all loaded as one delivery: for each, the
# exact outcome - what loaded (report_current), what was set aside
# (is248.rejection: level, year, unit, question, reason), what was warned
# about (is248.warning) - and that everything else in the delivery loaded.
# The table in tests/README.md lists the cases.
. "$(dirname "$0")/lib.sh"

fx="$SRC/fixtures/defects/xml"

# The fixtures are byte-exact: make sure a checkout did not change them.
ok "fixture bom-v2.xml starts with a UTF-8 BOM" test "$(head -c 3 "$fx/bom-v2.xml" | od -An -tx1 | tr -d ' ')" = efbbbf
ok "fixture bom-v1.xml starts with a UTF-8 BOM" test "$(head -c 3 "$fx/bom-v1.xml" | od -An -tx1 | tr -d ' ')" = efbbbf
ok "fixture crlf-v2.xml has CRLF line ends" grep -q $'\r$' "$fx/crlf-v2.xml"
ok "fixture crlf-v1.xml has CRLF line ends" grep -q $'\r$' "$fx/crlf-v1.xml"
ok "fixture enc-v1-latin1.xml has ø as the byte F8" grep -q $'Bod\xf8<' "$fx/enc-v1-latin1.xml"
ok "fixture enc-v1-utf8-declared-latin1.xml has ø as C3 B8" grep -q $'Troms\xc3\xb8<' "$fx/enc-v1-utf8-declared-latin1.xml"
ok "fixture labels-match.xml has a + U+030A" grep -q $'da\xcc\x8arlig' "$fx/labels-match.xml"
ok "fixture cut-county-11.xml ends part way" test "$(tail -c 2 "$fx/cut-county-11.xml")" = '>J'

run migrate
run import "$fx"
eq "the delivery imports with exit 1 (something was set aside)" "$rc" 1
first_output=$out$err

# One current report: name|population|size class|nav_collab|specialist|rating|
# ips_se_mh|ips_mh|se_mh|ips_se_sub|ips_sub|se_sub|submitted_at ('-' is NULL).
cur() {
    q "SELECT concat_ws('|', coalesce(unit_name, '-'), coalesce(population::text, '-'),
              coalesce(size_class, '-'), coalesce(nav_collab, '-'),
              coalesce(nav_collab_specialist, '-'), coalesce(nav_rating, '-'),
              coalesce(ips_se_mental_health, '-'), coalesce(ips_mental_health::text, '-'),
              coalesce(se_mental_health::text, '-'), coalesce(ips_se_substance, '-'),
              coalesce(ips_substance::text, '-'), coalesce(se_substance::text, '-'),
              submitted_at::text)
       FROM is248.report_current WHERE year = $1 AND unit_code = '$2'"
}
# The raw text of one answer of a current report
answer_text() {
    q "SELECT a.text FROM is248.answer a JOIN is248.report r USING (report_id)
       WHERE r.year = $1 AND r.unit_code = '$2' AND a.question = '$3' AND a.parent_seq IS NULL"
}
reports_of() { q "SELECT count(*) FROM is248.report WHERE year = $1 AND unit_code = '$2'"; }

# --- one line a fixture ---------------------------------------------------------
# fixture ‖ its report (YEAR CODE; - for none) ‖ that report as current (cur;
# - when it is not current, * when not checked here) ‖ the file's rejections
# (rej_file, lines joined by " ¶ ") ‖ its warnings (wrn_file, likewise).
# Columns left empty expect nothing.
while IFS= read -r line; do
    case $line in ''|'#'*) continue ;; esac
    IFS=$'\x1f' read -r f report want_cur want_rej want_wrn <<<"${line// ‖ /$'\x1f'}"
    want_rej=${want_rej// ¶ /$'\n'} want_wrn=${want_wrn// ¶ /$'\n'}
    if [ "$report" != - ] && [ "$want_cur" != '*' ]; then
        [ "$want_cur" = - ] && want_cur=
        eq "$f: the current report $report" "$(cur $report)" "$want_cur"
    fi
    [ "$want_rej" = '*' ] || eq "$f: set aside" "$(rej_file "$f")" "$want_rej"
    eq "$f: warned" "$(wrn_file "$f")" "$want_wrn"
done <<'TABLE'
# encoding: v1 declared ISO-8859-1 but UTF-8; real ISO-8859-1 (ø as F8); byte order marks
enc-v1-utf8-declared-latin1.xml ‖ 2017 1902 ‖ Tromsø|74541|50000+|yes|-|good|-|-|-|-|-|-|2018-02-15 09:00:00+00 ‖  ‖ -|-|-|declared ISO-8859-1 but is UTF-8; read as UTF-8
enc-v1-latin1.xml ‖ 2017 1804 ‖ Bodø|51022|50000+|yes|-|good|-|-|-|-|-|-|2018-02-16 09:00:00+00 ‖  ‖ 
bom-v2.xml ‖ 2018 1101 ‖ Eigersund|14898|10000-19999|yes|-|neither|-|-|-|-|-|-|2019-02-01 09:00:00+00 ‖  ‖ 
bom-v1.xml ‖ 2017 1868 ‖ Øksnes|4505|2000-4999|yes|-|good|-|-|-|-|-|-|2018-02-17 09:00:00+00 ‖  ‖ -|-|-|declared ISO-8859-1 but is UTF-8; read as UTF-8
# CRLF (labels over two lines match, codes with CRLF around them), comments and PIs anywhere (J<!-- x -->a is Ja, aargang 20<!-- x -->17)
crlf-v2.xml ‖ 2018 1103 ‖ Stavanger|133140|50000+|yes|-|very_good|yes|true|false|-|-|-|2019-02-01 10:00:00+00 ‖  ‖ 
crlf-v1.xml ‖ 2017 1103 ‖ Stavanger|132729|50000+|no|-|less_good|dont_know|-|-|-|-|-|2018-02-20 08:30:00+00 ‖  ‖ 
comments-pi-v2.xml ‖ 2018 1106 ‖ Haugesund|37357|20000-49999|yes|no|less_good|yes|false|true|-|-|-|2019-02-01 11:00:00+00 ‖  ‖ 
comments-pi-v1.xml ‖ 2017 1106 ‖ Haugesund|37167|20000-49999|yes|no|very_good|-|-|-|-|-|-|2018-02-21 08:30:00+00 ‖  ‖ 
# files cut off part way: set aside whole (none of the three reports of the county file loads, see below)
cut-county-11.xml ‖ 2019 1111 ‖ - ‖ file|-|-|-|not well-formed XML at line 22: Premature end of data in tag Svar ‖ 
cut-mid-attribute.xml ‖ - ‖ * ‖ file|-|-|-|not well-formed XML at line 7: Premature end of data in tag Kapittel ‖ 
# unknown codes and labels, code and label that disagree, choices that cannot be combined: those answers set aside, the rest loads
codes-v2-unknown.xml ‖ 2019 1120 ‖ Klepp|19514|10000-19999|yes|-|-|-|-|-|yes|true|false|2020-02-04 09:00:00+00 ‖ answer|2019|1120|ARB_NAV_SAMARBEID_SPES|unknown code '9' for nav_collab_specialist (version 2 codes: 1, 2, 3) ¶ answer|2019|1120|ARB_NAV_SAMHANDLING|unknown code '6' for nav_rating (version 2 codes: 0–5) ¶ answer|2019|1120|ARB_IPS_SE_PSYK|unknown code 'ALLE' for ips_se_mental_health (codes: IPS, SE, INGEN, VETIKKE) ‖ 
codes-v1-unknown.xml ‖ 2017 1120 ‖ Klepp|19138|10000-19999|-|-|-|-|-|-|no|-|-|2018-02-22 08:30:00+00 ‖ answer|2017|1120|7.1|unknown code '3' for nav_collab (version 1 codes: 1, 2, 9) ¶ answer|2017|1120|7.2|unknown code '0' for nav_rating (version 1 codes: 1–5, 9) ¶ answer|2017|1120|7.3|unknown code 'Ja' for ips_se_mental_health (version 1 codes: 1, 2, 9) ‖ 
labels-unknown.xml ‖ 2019 1121 ‖ Time|19176|10000-19999|-|-|-|-|-|-|no|false|false|2020-02-04 10:00:00+00 ‖ answer|2019|1121|ARB_NAV_SAMARBEID|unknown label 'Kanskje' ¶ answer|2019|1121|ARB_NAV_SAMHANDLING|unknown label 'Bra' ¶ answer|2019|1121|ARB_IPS_SE_PSYK|unknown label 'Delvis' ‖ 
code-label-disagree.xml ‖ 2019 1122 ‖ Gjesdal|11968|10000-19999|-|-|-|-|-|-|yes|false|true|2020-02-04 11:00:00+00 ‖ answer|2019|1122|ARB_NAV_SAMARBEID|code '1' (yes) disagrees with label 'Nei' (no) ¶ answer|2019|1122|ARB_NAV_SAMHANDLING|code '5' (very good) disagrees with label 'God' (good) ¶ answer|2019|1122|ARB_IPS_SE_PSYK|code 'SE' disagrees with label 'Ingen av disse' (INGEN) ‖ 
choices-clash.xml ‖ 2019 1124 ‖ Sola|26665|20000-49999|yes|-|-|-|-|-|-|-|-|2020-02-04 12:00:00+00 ‖ answer|2019|1124|ARB_IPS_SE_PSYK|'INGEN' (none) cannot be combined with 'IPS' ¶ answer|2019|1124|ARB_IPS_SE_RUS|'VETIKKE' (don't know) cannot be combined with 'SE' ‖ 
# labels across case, white space runs and NFD (da+U+030Arlig; DA+U+030ARLIG is bad, VET IKKE is don't know)
labels-match.xml ‖ 2019 1127 ‖ Randaberg|11268|10000-19999|yes|dont_know|neither|yes|true|true|no|false|false|2020-02-05 09:00:00+00 ‖  ‖ 
labels-match.xml ‖ 2019 1130 ‖ Strand|12178|10000-19999|no|-|bad|dont_know|-|-|yes|false|true|2020-02-05 09:05:00+00 ‖  ‖ 
# codes of the wrong year, unknown units, Oslo as a whole: the report set aside
unit-5001-in-2017.xml ‖ 2017 5001 ‖ - ‖ report|2017|5001|-|unit code 5001 (Trondheim) is not valid in 2017; it is valid from 2018 ‖ 
unit-1601-in-2018.xml ‖ 2018 1601 ‖ - ‖ report|2018|1601|-|unit code 1601 (Trondheim) is not valid in 2018; it was valid until 2017 ‖ 
unit-4601-in-2019.xml ‖ 2019 4601 ‖ - ‖ report|2019|4601|-|unit code 4601 (Bergen) is not valid in 2019; it is valid from 2020 ‖ 
unit-9999.xml ‖ 2019 9999 ‖ - ‖ report|2019|9999|-|unknown unit code '9999' ‖ 
unit-0301.xml ‖ 2019 0301 ‖ - ‖ report|2019|0301|-|0301 Oslo reports through its city districts (030101–030117), not as a whole ‖ 
unit-030118.xml ‖ 2019 030118 ‖ - ‖ report|2019|030118|-|unknown unit code '030118' ‖ 
# population: missing (a warning in v2, allowed in v1), malformed (the answer set aside, the report loads without it)
pop-v2-missing.xml ‖ 2019 1119 ‖ Hå|-|-|yes|-|good|-|-|-|-|-|-|2020-02-07 09:00:00+00 ‖  ‖ 2019|1119|innbyggere|no population (innbyggere): no size class
pop-v1-missing.xml ‖ 2017 1119 ‖ Hå|-|-|yes|-|good|-|-|-|-|-|-|2018-02-23 09:00:00+00 ‖  ‖ 
pop-v2-spaces.xml ‖ 2019 1133 ‖ Hjelmeland|-|-|yes|-|good|-|-|-|-|-|-|2020-02-07 09:05:00+00 ‖ answer|2019|1133|innbyggere|malformed population '12 345' ‖ 
pop-v1-abc.xml ‖ 2017 1133 ‖ Hjelmeland|-|-|yes|-|good|-|-|-|-|-|-|2018-02-23 10:00:00+00 ‖ answer|2017|1133|innbyggere|malformed population 'abc' ‖ 
pop-v2-negative.xml ‖ 2019 1134 ‖ Suldal|-|-|yes|-|good|-|-|-|-|-|-|2020-02-07 09:10:00+00 ‖ answer|2019|1134|innbyggere|malformed population '-5' ‖ 
# reporting year: missing or malformed ('17' is not a year: the rejection has none, the raw value is in the reason), v2 before 2018
year-v1-missing.xml ‖ - ‖ * ‖ report|-|1135|-|missing reporting year ‖ 
year-v1-malformed.xml ‖ - ‖ * ‖ report|-|1144|-|malformed reporting year '17' ‖ 
year-v2-malformed.xml ‖ - ‖ * ‖ report|-|1145|-|malformed reporting year '2O19' ‖ 
year-v2-missing.xml ‖ - ‖ * ‖ report|-|1517|-|missing reporting year ‖ 
year-v2-2017.xml ‖ - ‖ * ‖ report|2017|1601|-|version 2 report for 2017 (version 2 starts in 2018) ‖ 
# submission time: missing, malformed, without an offset, in the DST gap (set aside) or the repeated hour (summer time, a warning)
time-v1-missing.xml ‖ 2017 1146 ‖ - ‖ report|2017|1146|-|missing submission time ‖ 
time-v1-malformed.xml ‖ 2017 1149 ‖ - ‖ report|2017|1149|-|malformed submission time '01.03.2018 14:05' ‖ 
time-v2-missing.xml ‖ 2019 1146 ‖ - ‖ report|2019|1146|-|missing submission time ‖ 
time-v2-malformed.xml ‖ 2019 1149 ‖ - ‖ report|2019|1149|-|malformed submission time '2020-02-30T10:00:00+01:00' ‖ 
time-v2-no-offset.xml ‖ 2019 1519 ‖ - ‖ report|2019|1519|-|submission time '2020-02-11T10:00:00' has no UTC offset ‖ 
time-v1-dst-gap.xml ‖ 2016 1151 ‖ - ‖ report|2016|1151|-|submission time '2017-03-26T02:30:00' does not exist in Norwegian time (clocks went forward) ‖ 
time-v1-dst-ambiguous.xml ‖ 2017 1160 ‖ Vindafjord|8708|5000-9999|yes|-|good|-|-|-|-|-|-|2017-10-29 00:30:00+00 ‖  ‖ 2017|1160|-|submission time '2017-10-29T02:30:00' occurs twice in Norwegian time; read as summer time (+02:00)
# a submission time that cannot be true (issue 11): the latest decides which report is current (§7), so one before its reporting year began or more than a day after the run sets the report aside (§8: malformed); the future's bound is checked below
time-v2-before-year.xml ‖ 2019 1001 ‖ - ‖ report|2019|1001|-|submission time '2010-03-01T12:00:00+01:00' is before the reporting year 2019 began (2019-01-01 00:00 Norwegian time) ‖ 
time-v1-before-year.xml ‖ 2017 1004 ‖ - ‖ report|2017|1004|-|submission time '0001-01-01T12:00:00' is before the reporting year 2017 began (2017-01-01 00:00 Norwegian time) ‖ 
time-v2-year-10000.xml ‖ 2019 1002 ‖ - ‖ report|2019|1002|-|submission time '9999-12-31T23:59:59-12:00' is out of range (years 0001–9999 in UTC) ‖ 
time-v2-future.xml ‖ 2019 1003 ‖ - ‖ * ‖ 
# DOCTYPE, external entities, undeclared entities: the file set aside
doctype-entity.xml ‖ - ‖ * ‖ file|-|-|-|DOCTYPE declarations are not allowed (line 2) ‖ 
doctype-xxe.xml ‖ - ‖ * ‖ file|-|-|-|DOCTYPE declarations are not allowed (line 4) ‖ 
entity-undeclared.xml ‖ - ‖ * ‖ file|-|-|-|not well-formed XML at line 6: Entity 'ja' not defined ‖ 
# the rating direction: "good" is v1 code 2 (2017) and v2 kode 4 (2018)
rating-v1-2017.xml ‖ 2017 1601 ‖ Trondheim|190464|50000+|yes|-|good|-|-|-|-|-|-|2018-02-27 08:00:00+00 ‖  ‖ 
rating-v2-2018.xml ‖ 2018 5001 ‖ Trondheim|193501|50000+|yes|-|good|-|-|-|-|-|-|2019-02-11 09:00:00+00 ‖  ‖ 
# not asked (2015: 7.1.1, 7.3, 7.4 are not on the form; an answer to 7.3 ignored with a warning) versus not answered (2016: empty)
asked-2015-bodo.xml ‖ 2015 1804 ‖ Bodø|50185|50000+|yes|-|very_good|-|-|-|-|-|-|2016-02-10 08:00:00+00 ‖  ‖ 
asked-2015-narvik.xml ‖ 2015 1805 ‖ Narvik|18787|10000-19999|no|-|neither|-|-|-|-|-|-|2016-02-11 08:00:00+00 ‖  ‖ 2015|1805|7.3|question 7.3 is not on the 2015 form; answer ignored
answered-2016-bodo.xml ‖ 2016 1804 ‖ Bodø|50488|50000+|yes|-|dont_know|-|-|-|-|-|-|2017-02-10 08:00:00+00 ‖  ‖ 
answered-2016-narvik.xml ‖ 2016 1805 ‖ Narvik|18853|10000-19999|yes|yes|good|yes|-|-|no|-|-|2017-02-11 08:00:00+00 ‖  ‖ 
TABLE
eq "every fixture has a line in the table" \
   "$(sed -n "/^done <<'TABLE'/,/^TABLE\$/p" "$0" | grep -o '^[^ #]*\.xml' | sort -u | tr '\n' ' ')" \
   "$(ls "$fx" | sort | tr '\n' ' ')"

# --- what no one line says --------------------------------------------------------
eq "v1 declared ISO-8859-1 but UTF-8: free text of another chapter stored right" \
   "$(answer_text 2017 1902 3.2)" "Årsverk ført under psykisk helsearbeid"
eq "real ISO-8859-1 v1: free text stored right" "$(answer_text 2017 1804 3.2)" \
   "Årsverk ført under psykisk helsearbeid"
eq "no mojibake anywhere (Ã in a name or an answer)" \
   "$(q "SELECT (SELECT count(*) FROM is248.report WHERE unit_name ~ '[ÃÂ]')
              + (SELECT count(*) FROM is248.answer WHERE text ~ '[ÃÂ]')")" 0
eq "CRLF: no carriage return kept in any raw answer" \
   "$(q "SELECT count(*) FROM is248.answer WHERE text LIKE E'%\r%'")" 0
eq "comments and PIs: the raw answer is the text without the comment" \
   "$(answer_text 2018 1106 ARB_NAV_SAMARBEID)/$(answer_text 2018 1106 ARB_NAV_SAMARBEID_SPES)" "Ja/Nei"
eq "county file cut off part way: none of its three reports loaded" \
   "$(q "SELECT count(*) FROM is248.report WHERE unit_code IN ('1111', '1112', '1114')")" 0
eq "county file cut off part way: recorded as a rejected file" \
   "$(q "SELECT outcome FROM is248.source_file WHERE source LIKE '%/cut-county-11.xml'")" "rejected"
eq "none of the units of the wrong year, unknown or Oslo loaded" \
   "$(q "SELECT count(*) FROM is248.report WHERE (year, unit_code) IN
         ((2017, '5001'), (2018, '1601'), (2019, '4601'), (2019, '9999'), (2019, '0301'), (2019, '030118'))")" 0
future=$(rej_file time-v2-future.xml)
eq "v2 tidspunkt in 2090" "${future%(later than *}" \
   "report|2019|1003|-|submission time '2090-02-11T10:00:00+01:00' is more than a day in the future "
bound=${future##*(later than }
bound=${bound%)}
eq "... the bound named is a day after the run (within a minute)" \
   "$(q "SELECT abs(extract(epoch FROM '$bound'::timestamptz - (started_at + interval '1 day'))) < 60 FROM is248.import_run")" t
eq "none of the reports with a bad year or time loaded" \
   "$(q "SELECT count(*) FROM is248.report WHERE unit_code IN ('1001', '1002', '1003', '1004', '1135', '1144', '1145', '1146', '1149', '1151', '1517', '1519')
         OR (year = 2017 AND unit_code = '1601' AND version = 2)")" 0
eq "nothing of the DOCTYPE and entity files loaded" \
   "$(q "SELECT count(*) FROM is248.report WHERE unit_code IN ('1511', '1514', '1515')")" 0

# Nothing of /etc/passwd anywhere: not in any row of any table, not in the output.
passwd_line=$(head -n 1 /etc/passwd)
eq "no row of any table holds a line of /etc/passwd" "$(q "
  SELECT count(*) FROM (
    SELECT t::text AS r FROM is248.report t UNION ALL SELECT t::text FROM is248.answer t
    UNION ALL SELECT t::text FROM is248.rejection t UNION ALL SELECT t::text FROM is248.warning t
    UNION ALL SELECT t::text FROM is248.source_file t UNION ALL SELECT t::text FROM is248.skipped_entry t
    UNION ALL SELECT t::text FROM is248.import_run t) x
  WHERE strpos(x.r, \$pw\$$passwd_line\$pw\$) > 0 OR strpos(x.r, 'root:x:0:0') > 0")" 0
case $first_output in *"$passwd_line"*|*root:x:0:0*) failed=$((failed + 1)); echo "FAIL: /etc/passwd reached the output" >&2 ;;
*) passed=$((passed + 1)) ;; esac

# --- the rating direction -----------------------------------------------------
eq "'good' in 2017 (v1 code 2) and 2018 (v2 kode 4) is nav_rating good" \
   "$(q "SELECT year || ':' || nav_rating FROM is248.report_current WHERE unit_name = 'Trondheim' ORDER BY year" | tr '\n' ' ')" \
   "2017:good 2018:good "

# --- not asked (2015) versus not answered (2016) ------------------------------
eq "the raw answers tell them apart: 2015 has no 7.3, 2016 has an empty one" \
   "$(q "SELECT r.year || ':' || string_agg(a.question || '=' || coalesce(a.text, 'NULL'), ',' ORDER BY a.seq)
         FROM is248.report r JOIN is248.answer a USING (report_id)
         WHERE r.unit_code = '1804' AND r.year IN (2015, 2016) GROUP BY r.year ORDER BY r.year" | tr '\n' ' ')" \
   "2015:7.1=1,7.2=1 2016:7.1=1,7.1.1=NULL,7.2=9,7.3=NULL,7.4=NULL "
eq "not asked and not answered stay out of the IPS/SE denominators" \
   "$(q "SELECT year, field, units_answered, units_yes, coalesce(pct_yes::text, '-')
         FROM is248.trend_ips_se WHERE year IN (2015, 2016) AND size_class = 'Alle'")" \
"2015|mental_health|0|0|-
2015|substance|0|0|-
2016|mental_health|1|1|100.0
2016|substance|1|0|0.0"
eq "nav_collab denominators 2015-2016" \
   "$(q "SELECT year, units_reporting, units_answered, units_yes, pct_yes
         FROM is248.trend_nav_collab WHERE year IN (2015, 2016) AND size_class = 'Alle'")" \
"2015|2|2|1|50.0
2016|2|2|2|100.0"
eq "nav_rating 2016: don't know counts as answered, not in the percentages" \
   "$(q "SELECT units_answered, good, dont_know, pct_good FROM is248.trend_nav_rating
         WHERE year = 2016 AND size_class = 'Alle'")" "2|1|1|100.0"

# --- the delivery as a whole --------------------------------------------------
eq "exactly these reports loaded (the rest of the delivery)" \
   "$(q "SELECT year || ':' || unit_code FROM is248.report ORDER BY year, unit_code" | tr '\n' ' ')" \
   "2015:1804 2015:1805 2016:1804 2016:1805 2017:1103 2017:1106 2017:1119 2017:1120 2017:1133 2017:1160 2017:1601 2017:1804 2017:1868 2017:1902 2018:1101 2018:1103 2018:1106 2018:5001 2019:1119 2019:1120 2019:1121 2019:1122 2019:1124 2019:1127 2019:1130 2019:1133 2019:1134 "
eq "the files set aside whole" \
   "$(q "SELECT regexp_replace(source, '^.*/', '') FROM is248.source_file WHERE outcome = 'rejected' ORDER BY 1" | tr '\n' ' ')" \
   "cut-county-11.xml cut-mid-attribute.xml doctype-entity.xml doctype-xxe.xml entity-undeclared.xml "
eq "no file has a rejection or warning not checked above" \
   "$(q "SELECT regexp_replace(source, '^.*/', '') FROM (SELECT source FROM is248.rejection UNION SELECT source FROM is248.warning) s ORDER BY 1" | tr '\n' ' ')" \
   "asked-2015-narvik.xml bom-v1.xml choices-clash.xml code-label-disagree.xml codes-v1-unknown.xml codes-v2-unknown.xml cut-county-11.xml cut-mid-attribute.xml doctype-entity.xml doctype-xxe.xml enc-v1-utf8-declared-latin1.xml entity-undeclared.xml labels-unknown.xml pop-v1-abc.xml pop-v2-missing.xml pop-v2-negative.xml pop-v2-spaces.xml time-v1-before-year.xml time-v1-dst-ambiguous.xml time-v1-dst-gap.xml time-v1-malformed.xml time-v1-missing.xml time-v2-before-year.xml time-v2-future.xml time-v2-malformed.xml time-v2-missing.xml time-v2-no-offset.xml time-v2-year-10000.xml unit-0301.xml unit-030118.xml unit-1601-in-2018.xml unit-4601-in-2019.xml unit-5001-in-2017.xml unit-9999.xml year-v1-malformed.xml year-v1-missing.xml year-v2-2017.xml year-v2-malformed.xml year-v2-missing.xml "
eq "the counts of the run" \
   "$(q "SELECT concat_ws('|', status, files, files_loaded, files_rejected, reports_loaded, reports_rejected, answers_rejected, warnings) FROM is248.import_run")" \
   "problems|52|47|5|27|21|17|5"

# --- the same delivery again --------------------------------------------------
# Files loaded before are "already loaded" (their problems were recorded the
# first time); the files set aside whole have the bytes set aside before: a
# known problem, told once more but not recorded again, so the second run
# has nothing new and exits 0.
before=$(q "SELECT (SELECT count(*) FROM is248.report) || '/' || (SELECT count(*) FROM is248.rejection WHERE level <> 'file') || '/' || (SELECT count(*) FROM is248.warning)")
run import "$fx"
eq "again: exit 0 (nothing new: loaded or set aside before)" "$rc" 0
contains "again: says the files set aside were set aside before, naming the run" "$err" "set aside before, in run 1 ("
contains "again: says the files were loaded before" "$err" "already loaded"
eq "again: no report, answer or report rejection, or warning added" \
   "$(q "SELECT (SELECT count(*) FROM is248.report) || '/' || (SELECT count(*) FROM is248.rejection WHERE level <> 'file') || '/' || (SELECT count(*) FROM is248.warning)")" "$before"
eq "again: the run's counts" \
   "$(q "SELECT concat_ws('|', status, files, files_loaded, files_already, files_rejected, files_rejected_before, reports_loaded) FROM is248.import_run ORDER BY run_id DESC LIMIT 1")" \
   "ok|52|0|47|0|5|0"
eq "again: no file-level rejection recorded by the second run" \
   "$(q "SELECT count(*) FROM is248.rejection WHERE run_id = (SELECT max(run_id) FROM is248.import_run)")" 0
finish
