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

# --- encoding ---------------------------------------------------------------
eq "v1 declared ISO-8859-1 but UTF-8: Tromsø stored as Tromsø" "$(cur 2017 1902)" \
   "Tromsø|74541|50000+|yes|-|good|-|-|-|-|-|-|2018-02-15 09:00:00+00"
eq "v1 declared ISO-8859-1 but UTF-8: free text of another chapter stored right" \
   "$(answer_text 2017 1902 3.2)" "Årsverk ført under psykisk helsearbeid"
eq "v1 declared ISO-8859-1 but UTF-8: a warning about the file" \
   "$(wrn_file enc-v1-utf8-declared-latin1.xml)" "-|-|-|declared ISO-8859-1 but is UTF-8; read as UTF-8"
eq "real ISO-8859-1 v1 (ø as F8): Bodø stored right" "$(cur 2017 1804)" \
   "Bodø|51022|50000+|yes|-|good|-|-|-|-|-|-|2018-02-16 09:00:00+00"
eq "real ISO-8859-1 v1: free text stored right" "$(answer_text 2017 1804 3.2)" \
   "Årsverk ført under psykisk helsearbeid"
eq "real ISO-8859-1 v1: no warning" "$(wrn_file enc-v1-latin1.xml)" ""
eq "no mojibake anywhere (Ã in a name or an answer)" \
   "$(q "SELECT (SELECT count(*) FROM is248.report WHERE unit_name ~ '[ÃÂ]')
              + (SELECT count(*) FROM is248.answer WHERE text ~ '[ÃÂ]')")" 0

# --- byte order marks, CRLF, comments and processing instructions ----------
eq "BOM on v2: loads, no warning" "$(cur 2018 1101)|$(wrn_file bom-v2.xml)" \
   "Eigersund|14898|10000-19999|yes|-|neither|-|-|-|-|-|-|2019-02-01 09:00:00+00|"
eq "BOM on v1 (declared ISO-8859-1, UTF-8 content): Øksnes stored right" "$(cur 2017 1868)" \
   "Øksnes|4505|2000-4999|yes|-|good|-|-|-|-|-|-|2018-02-17 09:00:00+00"
eq "BOM on v1: warned as UTF-8 declared ISO-8859-1" "$(wrn_file bom-v1.xml)" \
   "-|-|-|declared ISO-8859-1 but is UTF-8; read as UTF-8"
eq "CRLF v2: labels over several lines match (Svært<CRLF>god is very_good)" "$(cur 2018 1103)" \
   "Stavanger|133140|50000+|yes|-|very_good|yes|true|false|-|-|-|2019-02-01 10:00:00+00"
eq "CRLF v1: codes with CRLF around them read" "$(cur 2017 1103)" \
   "Stavanger|132729|50000+|no|-|less_good|dont_know|-|-|-|-|-|2018-02-20 08:30:00+00"
eq "CRLF: no carriage return kept in any raw answer" \
   "$(q "SELECT count(*) FROM is248.answer WHERE text LIKE E'%\r%'")" 0
eq "comments and PIs anywhere, v2 (J<!-- x -->a is Ja, Ne<?pi?>i is Nei)" "$(cur 2018 1106)" \
   "Haugesund|37357|20000-49999|yes|no|less_good|yes|false|true|-|-|-|2019-02-01 11:00:00+00"
eq "comments and PIs: the raw answer is the text without the comment" \
   "$(answer_text 2018 1106 ARB_NAV_SAMARBEID)/$(answer_text 2018 1106 ARB_NAV_SAMARBEID_SPES)" "Ja/Nei"
eq "comments and PIs anywhere, v1 (aargang 20<!-- x -->17)" "$(cur 2017 1106)" \
   "Haugesund|37167|20000-49999|yes|no|very_good|-|-|-|-|-|-|2018-02-21 08:30:00+00"
eq "comments and PIs: nothing set aside or warned" \
   "$(rej_file comments-pi-v2.xml)$(rej_file comments-pi-v1.xml)$(wrn_file comments-pi-v2.xml)$(wrn_file comments-pi-v1.xml)" ""

# --- a file cut off part way ------------------------------------------------
eq "county file cut off part way: the whole file is set aside" "$(rej_file cut-county-11.xml)" \
   "file|-|-|-|not well-formed XML at line 22: Premature end of data in tag Svar"
eq "county file cut off part way: none of its three reports loaded" \
   "$(q "SELECT count(*) FROM is248.report WHERE unit_code IN ('1111', '1112', '1114')")" 0
eq "county file cut off part way: recorded as a rejected file" \
   "$(q "SELECT outcome FROM is248.source_file WHERE source LIKE '%/cut-county-11.xml'")" "rejected"
# Cut inside an attribute value, libxml2 says "AttValue: ' expected": the
# reason should tell that the file ends part way.
r=$(rej_file cut-mid-attribute.xml)
ok "file cut inside an attribute: set aside whole" test "${r%%|*}" = file
case $r in *"end of data"*|*"ends"*|*"end of file"*|*"cut off"*|*"truncated"*) passed=$((passed + 1)) ;;
*) failed=$((failed + 1)); printf 'FAIL: file cut inside an attribute: the reason says the file ends part way\n--- got:\n%s\n' "$r" >&2 ;; esac

# --- unknown codes and labels, disagreements, impossible combinations ------
eq "unknown v2 codes: each answer set aside, the rest of the report loads" "$(rej_file codes-v2-unknown.xml)" \
"answer|2019|1120|ARB_NAV_SAMARBEID_SPES|unknown code '9' for nav_collab_specialist (version 2 codes: 1, 2, 3)
answer|2019|1120|ARB_NAV_SAMHANDLING|unknown code '6' for nav_rating (version 2 codes: 0–5)
answer|2019|1120|ARB_IPS_SE_PSYK|unknown code 'ALLE' for ips_se_mental_health (codes: IPS, SE, INGEN, VETIKKE)"
eq "unknown v2 codes: what loaded" "$(cur 2019 1120)" \
   "Klepp|19514|10000-19999|yes|-|-|-|-|-|yes|true|false|2020-02-04 09:00:00+00"
eq "unknown v1 codes: each answer set aside" "$(rej_file codes-v1-unknown.xml)" \
"answer|2017|1120|7.1|unknown code '3' for nav_collab (version 1 codes: 1, 2, 9)
answer|2017|1120|7.2|unknown code '0' for nav_rating (version 1 codes: 1–5, 9)
answer|2017|1120|7.3|unknown code 'Ja' for ips_se_mental_health (version 1 codes: 1, 2, 9)"
eq "unknown v1 codes: what loaded (7.1.1 kept but not counted: 7.1 is not yes)" "$(cur 2017 1120)" \
   "Klepp|19138|10000-19999|-|-|-|-|-|-|no|-|-|2018-02-22 08:30:00+00"
eq "unknown labels: each answer set aside" "$(rej_file labels-unknown.xml)" \
"answer|2019|1121|ARB_NAV_SAMARBEID|unknown label 'Kanskje'
answer|2019|1121|ARB_NAV_SAMHANDLING|unknown label 'Bra'
answer|2019|1121|ARB_IPS_SE_PSYK|unknown label 'Delvis'"
eq "unknown labels: what loaded" "$(cur 2019 1121)" \
   "Time|19176|10000-19999|-|-|-|-|-|-|no|false|false|2020-02-04 10:00:00+00"
eq "code and label disagree: each answer set aside" "$(rej_file code-label-disagree.xml)" \
"answer|2019|1122|ARB_NAV_SAMARBEID|code '1' (yes) disagrees with label 'Nei' (no)
answer|2019|1122|ARB_NAV_SAMHANDLING|code '5' (very good) disagrees with label 'God' (good)
answer|2019|1122|ARB_IPS_SE_PSYK|code 'SE' disagrees with label 'Ingen av disse' (INGEN)"
eq "code and label disagree: what loaded (code and label agreeing)" "$(cur 2019 1122)" \
   "Gjesdal|11968|10000-19999|-|-|-|-|-|-|yes|false|true|2020-02-04 11:00:00+00"
eq "INGEN with IPS, VETIKKE with SE: set aside" "$(rej_file choices-clash.xml)" \
"answer|2019|1124|ARB_IPS_SE_PSYK|'INGEN' (none) cannot be combined with 'IPS'
answer|2019|1124|ARB_IPS_SE_RUS|'VETIKKE' (don't know) cannot be combined with 'SE'"
eq "INGEN with IPS, VETIKKE with SE: the rest loads" "$(cur 2019 1124)" \
   "Sola|26665|20000-49999|yes|-|-|-|-|-|-|-|-|2020-02-04 12:00:00+00"
eq "labels across case, white space runs and NFD (da+U+030Arlig)" "$(cur 2019 1127)" \
   "Randaberg|11268|10000-19999|yes|dont_know|neither|yes|true|true|no|false|false|2020-02-05 09:00:00+00"
eq "labels: DA+U+030ARLIG is bad, VET IKKE is don't know" "$(cur 2019 1130)" \
   "Strand|12178|10000-19999|no|-|bad|dont_know|-|-|yes|false|true|2020-02-05 09:05:00+00"
eq "labels: nothing set aside or warned" "$(rej_file labels-match.xml)$(wrn_file labels-match.xml)" ""

# --- codes of the wrong year, unknown units, Oslo as a whole ----------------
eq "2017 report with 5001 (valid from 2018)" "$(rej_file unit-5001-in-2017.xml)" \
   "report|2017|5001|-|unit code 5001 (Trondheim) is not valid in 2017; it is valid from 2018"
eq "2018 report with 1601 (valid until 2017)" "$(rej_file unit-1601-in-2018.xml)" \
   "report|2018|1601|-|unit code 1601 (Trondheim) is not valid in 2018; it was valid until 2017"
eq "late 2019 report with next year's code 4601" "$(rej_file unit-4601-in-2019.xml)" \
   "report|2019|4601|-|unit code 4601 (Bergen) is not valid in 2019; it is valid from 2020"
eq "unknown unit 9999" "$(rej_file unit-9999.xml)" "report|2019|9999|-|unknown unit code '9999'"
eq "0301 as a whole" "$(rej_file unit-0301.xml)" \
   "report|2019|0301|-|0301 Oslo reports through its city districts (030101–030117), not as a whole"
eq "district 030118 does not exist" "$(rej_file unit-030118.xml)" "report|2019|030118|-|unknown unit code '030118'"
eq "none of these units loaded" \
   "$(q "SELECT count(*) FROM is248.report WHERE (year, unit_code) IN
         ((2017, '5001'), (2018, '1601'), (2019, '4601'), (2019, '9999'), (2019, '0301'), (2019, '030118'))")" 0

# --- population ---------------------------------------------------------------
eq "v2 without innbyggere: loads without population or size class" "$(cur 2019 1119)" \
   "Hå|-|-|yes|-|good|-|-|-|-|-|-|2020-02-07 09:00:00+00"
eq "v2 without innbyggere: a warning" "$(wrn_file pop-v2-missing.xml)" \
   "2019|1119|innbyggere|no population (innbyggere): no size class"
eq "v1 without innbyggere (allowed in v1): loads without size class" "$(cur 2017 1119)" \
   "Hå|-|-|yes|-|good|-|-|-|-|-|-|2018-02-23 09:00:00+00"
eq "v1 without innbyggere: no warning, nothing set aside" "$(wrn_file pop-v1-missing.xml)$(rej_file pop-v1-missing.xml)" ""
eq "innbyggere '12 345': set aside as an answer" "$(rej_file pop-v2-spaces.xml)" \
   "answer|2019|1133|innbyggere|malformed population '12 345'"
eq "innbyggere '12 345': the report loads without population" "$(cur 2019 1133)" \
   "Hjelmeland|-|-|yes|-|good|-|-|-|-|-|-|2020-02-07 09:05:00+00"
eq "innbyggere 'abc' (v1): set aside as an answer" "$(rej_file pop-v1-abc.xml)" \
   "answer|2017|1133|innbyggere|malformed population 'abc'"
eq "innbyggere 'abc': the report loads without population" "$(cur 2017 1133)" \
   "Hjelmeland|-|-|yes|-|good|-|-|-|-|-|-|2018-02-23 10:00:00+00"
eq "innbyggere '-5': set aside as an answer" "$(rej_file pop-v2-negative.xml)" \
   "answer|2019|1134|innbyggere|malformed population '-5'"
eq "innbyggere '-5': the report loads without population" "$(cur 2019 1134)" \
   "Suldal|-|-|yes|-|good|-|-|-|-|-|-|2020-02-07 09:10:00+00"

# --- year and submission time -------------------------------------------------
eq "v1 without aargang" "$(rej_file year-v1-missing.xml)" "report|-|1135|-|missing reporting year"
# '17' is not a reporting year: the rejection has no year (the raw value is in the reason)
eq "v1 aargang '17'" "$(rej_file year-v1-malformed.xml)" "report|-|1144|-|malformed reporting year '17'"
eq "v2 rapporteringsaar '2O19'" "$(rej_file year-v2-malformed.xml)" "report|-|1145|-|malformed reporting year '2O19'"
eq "v2 without rapporteringsaar" "$(rej_file year-v2-missing.xml)" "report|-|1517|-|missing reporting year"
eq "v2 report for 2017" "$(rej_file year-v2-2017.xml)" \
   "report|2017|1601|-|version 2 report for 2017 (version 2 starts in 2018)"
eq "v1 without innsendt" "$(rej_file time-v1-missing.xml)" "report|2017|1146|-|missing submission time"
eq "v1 innsendt '01.03.2018 14:05'" "$(rej_file time-v1-malformed.xml)" \
   "report|2017|1149|-|malformed submission time '01.03.2018 14:05'"
eq "v2 Innsending without tidspunkt" "$(rej_file time-v2-missing.xml)" "report|2019|1146|-|missing submission time"
eq "v2 tidspunkt on 30 February" "$(rej_file time-v2-malformed.xml)" \
   "report|2019|1149|-|malformed submission time '2020-02-30T10:00:00+01:00'"
eq "v2 tidspunkt without an offset" "$(rej_file time-v2-no-offset.xml)" \
   "report|2019|1519|-|submission time '2020-02-11T10:00:00' has no UTC offset"
eq "v1 innsendt in the DST gap (2017-03-26T02:30)" "$(rej_file time-v1-dst-gap.xml)" \
   "report|2016|1151|-|submission time '2017-03-26T02:30:00' does not exist in Norwegian time (clocks went forward)"
eq "v1 innsendt in the repeated hour: loads as summer time" "$(cur 2017 1160)" \
   "Vindafjord|8708|5000-9999|yes|-|good|-|-|-|-|-|-|2017-10-29 00:30:00+00"
eq "v1 innsendt in the repeated hour: a warning" "$(wrn_file time-v1-dst-ambiguous.xml)" \
   "2017|1160|-|submission time '2017-10-29T02:30:00' occurs twice in Norwegian time; read as summer time (+02:00)"
# A submission time that cannot be true (issue 11): the latest decides which
# report is current (§7), so a report whose time is before its reporting year
# began, or more than a day after the run, is set aside (§8: malformed).
eq "v2 tidspunkt of 2010 on a 2019 report" "$(rej_file time-v2-before-year.xml)" \
   "report|2019|1001|-|submission time '2010-03-01T12:00:00+01:00' is before the reporting year 2019 began (2019-01-01 00:00 Norwegian time)"
eq "v1 innsendt 0001-01-01 on a 2017 report" "$(rej_file time-v1-before-year.xml)" \
   "report|2017|1004|-|submission time '0001-01-01T12:00:00' is before the reporting year 2017 began (2017-01-01 00:00 Norwegian time)"
eq "v2 tidspunkt in the year 10000 (UTC)" "$(rej_file time-v2-year-10000.xml)" \
   "report|2019|1002|-|submission time '9999-12-31T23:59:59-12:00' is out of range (years 0001–9999 in UTC)"
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

# --- DOCTYPE and entities -----------------------------------------------------
eq "DOCTYPE with an entity declaration: the file is set aside" "$(rej_file doctype-entity.xml)" \
   "file|-|-|-|DOCTYPE declarations are not allowed (line 2)"
eq "external entity SYSTEM file:///etc/passwd: the file is set aside" "$(rej_file doctype-xxe.xml)" \
   "file|-|-|-|DOCTYPE declarations are not allowed (line 4)"
eq "an undeclared entity reference: not well-formed" "$(rej_file entity-undeclared.xml)" \
   "file|-|-|-|not well-formed XML at line 6: Entity 'ja' not defined"
eq "nothing of these files loaded" \
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
eq "2015 v1: the IPS/SE and specialist questions were not asked (NULL)" "$(cur 2015 1804)" \
   "Bodø|50185|50000+|yes|-|very_good|-|-|-|-|-|-|2016-02-10 08:00:00+00"
eq "2015 v1 answering 7.3 (not on the 2015 form): ignored" "$(cur 2015 1805)" \
   "Narvik|18787|10000-19999|no|-|neither|-|-|-|-|-|-|2016-02-11 08:00:00+00"
eq "2015 v1 answering 7.3: a warning" "$(wrn_file asked-2015-narvik.xml)" \
   "2015|1805|7.3|question 7.3 is not on the 2015 form; answer ignored"
eq "2016 v1 with empty 7.1.1, 7.3 and 7.4: not answered (NULL)" "$(cur 2016 1804)" \
   "Bodø|50488|50000+|yes|-|dont_know|-|-|-|-|-|-|2017-02-10 08:00:00+00"
eq "2016 v1 answering everything" "$(cur 2016 1805)" \
   "Narvik|18853|10000-19999|yes|yes|good|yes|-|-|no|-|-|2017-02-11 08:00:00+00"
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
# first time); the files that cannot be read are set aside again, in the new
# run, so the second run still exits 1.
before=$(q "SELECT (SELECT count(*) FROM is248.report) || '/' || (SELECT count(*) FROM is248.rejection WHERE level <> 'file') || '/' || (SELECT count(*) FROM is248.warning)")
run import "$fx"
eq "again: exit 1 (the unreadable files are still set aside)" "$rc" 1
contains "again: says the files were loaded before" "$err" "already loaded"
eq "again: no report, answer or report rejection, or warning added" \
   "$(q "SELECT (SELECT count(*) FROM is248.report) || '/' || (SELECT count(*) FROM is248.rejection WHERE level <> 'file') || '/' || (SELECT count(*) FROM is248.warning)")" "$before"
eq "again: the run's counts" \
   "$(q "SELECT concat_ws('|', status, files, files_loaded, files_already, files_rejected, reports_loaded) FROM is248.import_run ORDER BY run_id DESC LIMIT 1")" \
   "problems|52|0|47|5|0"
finish
