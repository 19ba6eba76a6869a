#!/usr/bin/env bash
# What is set aside, and only that: faulty answers one by one, faulty reports
# whole, files that are not well-formed entirely; each with a message naming
# the file, the report, the question and why, and a row in is248.rejection.
. "$(dirname "$0")/lib.sh"

d="$WORK/delivery"
mkdir -p "$d"
good='    <Svar sporsmal="ARB_NAV_SAMARBEID" kode="1">Ja</Svar>'

# 1: three faulty answers in one report; the good one still loads
v2_report 2019 1103 kommune 143000 2020-02-01T10:00:00+01:00 "$good
    <Svar sporsmal=\"ARB_NAV_SAMHANDLING\">Kjempebra</Svar>
    <Svar sporsmal=\"ARB_NAV_SAMARBEID_SPES\" kode=\"1\">Nei</Svar>
    <Svar sporsmal=\"ARB_IPS_SE_PSYK\"><Valg kode=\"INGEN\"/><Valg kode=\"IPS\"/></Svar>
    <Svar sporsmal=\"ARB_IPS_SE_RUS\"><Valg kode=\"SE\"/></Svar>" >"$d/answers.xml"

# 2: a county file where the second report has no year: only it is set aside
{ printf '<?xml version="1.0" encoding="UTF-8"?>\n<Rapporter %s>\n' "$V2_NS"
  v2_report 2019 1106 kommune 37000 2020-02-01T10:00:00+01:00 "$good" | sed "s/ $V2_NS//"
  v2_report "" 1108 kommune 9000 2020-02-01T10:00:00+01:00 "$good" | sed "s/ $V2_NS//; s/ rapporteringsaar=\"\"//"
  printf '</Rapporter>\n'; } >"$d/county.xml"

# 3: a county file cut off after its first report: nothing of it loads
{ printf '<?xml version="1.0" encoding="UTF-8"?>\n<Rapporter %s>\n' "$V2_NS"
  v2_report 2019 1111 kommune 3300 2020-02-01T10:00:00+01:00 "$good" | sed "s/ $V2_NS//"
  v2_report 2019 1112 kommune 3200 2020-02-01T10:00:00+01:00 "$good" | sed "s/ $V2_NS//" | head -c 150; } >"$d/truncated.xml"

# 4: a DOCTYPE with an entity
{ printf '<?xml version="1.0"?>\n<!DOCTYPE Rapport [ <!ENTITY x "Ja"> ]>\n'
  v2_report 2019 1114 kommune 5000 2020-02-01T10:00:00+01:00 "$good"; } >"$d/doctype.xml"

# 5: not XML at all
printf 'PK\003\004 this is no report' >"$d/garbage.xml"

# 6: faulty units and times: set aside whole, each for its reason
v2_report 2019 0301 kommune 690000 2020-02-01T10:00:00+01:00 "$good" >"$d/oslo-whole.xml"
v2_report 2019 9999 kommune 100 2020-02-01T10:00:00+01:00 "$good" >"$d/unknown-unit.xml"
v2_report 2019 1119 kommune 19000 2020-02-01T10:00:00 "$good" >"$d/no-offset.xml"

run migrate
run import "$d"
eq "import exits 1 when something was set aside" "$rc" 1

eq "the good reports load, the faulty ones do not" \
   "$(q "SELECT unit_code, coalesce(nav_collab, '-'), coalesce(nav_rating, '-'), coalesce(nav_collab_specialist, '-'),
                coalesce(ips_se_mental_health, '-'), coalesce(ips_se_substance, '-'), coalesce(se_substance::text, '-')
         FROM is248.report_current ORDER BY unit_code" | tr '\n' ' ')" \
   "1103|yes|-|-|-|yes|true 1106|yes|-|-|-|-|- "

eq "every rejection is recorded with file, report, question and level" \
   "$(q "SELECT regexp_replace(entry || source, '^.*/', ''), level, coalesce(year::text, '-'), coalesce(unit_code, '-'), coalesce(question, '-')
         FROM is248.rejection ORDER BY 1, level, question" | tr '\n' ' ')" \
   "answers.xml|answer|2019|1103|ARB_IPS_SE_PSYK answers.xml|answer|2019|1103|ARB_NAV_SAMARBEID_SPES answers.xml|answer|2019|1103|ARB_NAV_SAMHANDLING county.xml|report|-|1108|- doctype.xml|file|-|-|- garbage.xml|file|-|-|- no-offset.xml|report|2019|1119|- oslo-whole.xml|report|2019|0301|- truncated.xml|file|-|-|- unknown-unit.xml|report|2019|9999|- "

reason() { q "SELECT reason FROM is248.rejection WHERE source LIKE '%/$1' ${2:+AND question = '$2'}"; }
contains "unknown label reason" "$(reason answers.xml ARB_NAV_SAMHANDLING)" "Kjempebra"
contains "code/label disagreement reason" "$(reason answers.xml ARB_NAV_SAMARBEID_SPES)" "disagrees"
contains "INGEN with IPS reason" "$(reason answers.xml ARB_IPS_SE_PSYK)" "INGEN"
contains "missing year reason" "$(reason county.xml)" "year"
contains "truncated file reason" "$(reason truncated.xml)" "not well-formed"
contains "DOCTYPE reason" "$(reason doctype.xml)" "DOCTYPE"
contains "0301 reason" "$(reason oslo-whole.xml)" "district"
contains "unknown unit reason" "$(reason unknown-unit.xml)" "9999"
contains "no offset reason" "$(reason no-offset.xml)" "offset"

contains "stderr names file, report, question and why" "$err" \
   "'$d/answers.xml', report 1 (1103 2019), question ARB_NAV_SAMHANDLING: answer set aside: "
contains "stderr says the truncated file is set aside whole" "$err" "'$d/truncated.xml': file set aside: not well-formed XML"
ok "nothing of the truncated file was loaded" test "$(q "SELECT count(*) FROM is248.report WHERE unit_code IN ('1111', '1112')")" = 0
eq "the run is recorded with its problems" "$(q "SELECT status FROM is248.import_run")" "problems"

run validate "$d"
eq "validate exits 1 for the same delivery" "$rc" 1
contains "validate groups the problems under their file" "$out" "'$d/answers.xml'
  warning: report 1 (1103 2019): unit name 'Navn' differs from the reference name 'Stavanger' for 1103 in 2019
  report 1 (1103 2019), question ARB_NAV_SAMHANDLING: answer set aside: unknown label 'Kjempebra'"
contains "validate shows a file set aside under its name" "$out" "'$d/doctype.xml'
  file set aside: DOCTYPE declarations are not allowed (line 2)"
finish
