#!/usr/bin/env bash
# A change of the form is a change of data (issue 16): a question that does
# not exist today (ARB_IPS_UNG, yes/no, from 2026) and a new code in an
# existing list (yesno_v2's 4, "Ikke aktuelt") are added through the
# catalogue's CSV files alone, in a copy of the source tree built here.  A
# delivery that uses them loads with that build; the answers are
# normalized and labelled in is248.answer_current; trends --question
# ARB_IPS_UNG prints the shares; and git says that nothing but
# sql/catalogue/*.csv changed.  The build of this tree, given the same
# delivery, knows neither (the difference is the catalogue's).
#
# The expected figures are counted here from the table of cases below, the
# delivery the test writes, not from is248.
. "$(dirname "$0")/lib.sh"

copy="$WORK/copy"
rm -rf "$copy"
mkdir -p "$copy/src"
# the source tree as it is (committed or not), without build trees
(cd "$SRC" && git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$copy/src")
ok "the source tree is copied" test -f "$copy/src/sql/catalogue/question.csv"
git -C "$copy/src" init -q && git -C "$copy/src" add -A &&
    git -C "$copy/src" -c user.name=t -c user.email=t@t commit -q -m copy
eq "... and committed in the copy" "$(git -C "$copy/src" status --porcelain)" ""

# --- the form change: three catalogue files, nothing else ---------------------
cat="$copy/src/sql/catalogue"
printf '%s\n' 'ips_ung,7,21,Arbeidstiltak,Deltar kommunen i IPS-ung (individuell jobbstøtte for unge)?,Does the municipality take part in IPS-ung (individual placement and support for young people)?,yesno,,,ARB_IPS_UNG,yesno_v2,2026,,,' \
    >>"$cat/question.csv"
# the new code: counted as an answer, left out of the percentages (rated 0)
awk -F, -v OFS=, '{ print } $1 == "yesno_v2" && $2 == 3 { print "yesno_v2,4,4,not_relevant,Ikke aktuelt,Not applicable,not applicable,0,0,0," }' \
    "$cat/answer_code.csv" >"$WORK/answer_code.csv" && cat "$WORK/answer_code.csv" >"$cat/answer_code.csv"
sed -i 's/^yesno_v2,single,"version 2 codes: 1, 2, 3"$/yesno_v2,single,"version 2 codes: 1, 2, 3, 4"/' "$cat/code_list.csv"
eq "the change touches the catalogue's CSV files and nothing else" \
   "$(git -C "$copy/src" diff --name-only | tr '\n' ' ')" \
   "sql/catalogue/answer_code.csv sql/catalogue/code_list.csv sql/catalogue/question.csv "
eq "... no file added or removed" "$(git -C "$copy/src" status --porcelain | grep -v '^ M sql/catalogue/[a-z_]*\.csv$')" ""
changed_code=$(git -C "$copy/src" diff --name-only | grep -vE '^sql/catalogue/[a-z_]+\.csv$' | grep -E '\.(c|h|sql|txt|cmake)$|CMakeLists')
eq "... no C, SQL or build file among them" "$changed_code" ""
for f in transform/codes.c transform/answers.c cli/cmd_trends.c sql/schema/04_trends.sql CMakeLists.txt; do
    ok "... $f is the same bytes as in the tree under test" cmp -s "$SRC/$f" "$copy/src/$f"
done

cmake -S "$copy/src" -B "$copy/build" -DIS248_SANITIZE="${IS248_SANITIZE:-OFF}" >"$WORK/cmake.log" 2>&1 &&
    cmake --build "$copy/build" --target is248 -j2 >>"$WORK/cmake.log" 2>&1
eq "the copy builds (see $WORK/cmake.log)" "$?" 0
NEW="$copy/build/is248"
ok "... into an is248" test -x "$NEW"
eq "... without a warning" "$(grep -c 'warning:' "$WORK/cmake.log")" 0

# --- the delivery ---------------------------------------------------------------
# unit|population|the Svar of ARB_IPS_UNG (empty: none)|what is248 makes of it:
# a value, set_aside or none
cases='1101|14000|<Svar sporsmal="ARB_IPS_UNG" kode="1">Ja</Svar>|yes
1103|150000|<Svar sporsmal="ARB_IPS_UNG" kode="1">Ja</Svar>|yes
1106|38000|<Svar sporsmal="ARB_IPS_UNG" kode="2">Nei</Svar>|no
1108|82000|<Svar sporsmal="ARB_IPS_UNG">  ikke   AKTUELT </Svar>|not_relevant
1111|3300|<Svar sporsmal="ARB_IPS_UNG" kode="3">Vet ikke</Svar>|dont_know
1112|3200||none
1114|3000|<Svar sporsmal="ARB_IPS_UNG" kode="5">Kanskje</Svar>|set_aside'
d="$WORK/delivery"
rm -rf "$d"; mkdir -p "$d/2026" "$d/2025"
while IFS='|' read -r unit pop svar _; do
    # every unit says "Ikke aktuelt" to nav_collab too: the new code in a
    # question of today, whose wide column has no place for it
    v2_report 2026 "$unit" kommune "$pop" 2026-03-01T10:00:00+01:00 \
        "    <Svar sporsmal=\"ARB_NAV_SAMARBEID\" kode=\"4\">Ikke aktuelt</Svar>
    $svar" >"$d/2026/$unit.xml"
done <<<"$cases"
# the question is not on the 2025 form: answered there, it is ignored
v2_report 2025 1101 kommune 14000 2025-03-01T10:00:00+01:00 \
    '    <Svar sporsmal="ARB_IPS_UNG" kode="1">Ja</Svar>' >"$d/2025/1101.xml"

# --- the build under test knows neither ------------------------------------------
createdb "${PGDATABASE}_old"
PGDATABASE="${PGDATABASE}_old" run migrate
PGDATABASE="${PGDATABASE}_old" run import "$d"
eq "without the change: the delivery loads, with answers set aside (exit 1)" "$rc" 1
eq "... the new code of nav_collab is unknown" \
   "$(PGDATABASE="${PGDATABASE}_old" q "SELECT count(*) FROM is248.rejection WHERE question = 'ARB_NAV_SAMARBEID' AND reason = 'unknown code ''4'' for nav_collab (version 2 codes: 1, 2, 3)'")" 7
eq "... ARB_IPS_UNG is no question of its catalogue" \
   "$(PGDATABASE="${PGDATABASE}_old" q "SELECT count(*) FROM is248.answer_current WHERE question_id = 'ARB_IPS_UNG'")" 0
PGDATABASE="${PGDATABASE}_old" run trends --question ARB_IPS_UNG
eq "... and trends --question ARB_IPS_UNG is unknown (exit 2)" "$rc" 2
contains "... said so" "$err" "unknown --question 'ARB_IPS_UNG'"
dropdb "${PGDATABASE}_old"

# --- the build of the changed catalogue --------------------------------------------
IS248="$NEW"
run migrate
eq "the changed build migrates (exit 0)" "$rc" 0
eq "is248.question has the new question, as the file says" \
   "$(q "SELECT concat_ws('|', key, v1_id, v2_id, type, first_year, text_nb) FROM is248.question WHERE v2_id = 'ARB_IPS_UNG'")" \
   "ips_ung|ARB_IPS_UNG|yesno|2026|Deltar kommunen i IPS-ung (individuell jobbstøtte for unge)?"
eq "is248.answer_code and answer_label have the new code" \
   "$(q "SELECT concat_ws('|', c.code, c.value, c.label_nb, c.rated, en.label) FROM is248.answer_code c JOIN is248.answer_label en ON en.code = c.value AND en.language = 'en' WHERE c.list = 'yesno_v2' AND c.ord = 4")" \
   "4|not_relevant|Ikke aktuelt|f|Not applicable"
run import "$d"
eq "the delivery loads; one answer set aside (exit 1)" "$rc" 1
eq "every report of it is current" "$(q "SELECT count(*) FROM is248.report_current WHERE year IN (2025, 2026)")" 8
eq "... the unknown code is set aside, naming the list's codes from the catalogue" \
   "$(q "SELECT concat_ws('|', unit_code, question, reason) FROM is248.rejection")" \
   "1114|ARB_IPS_UNG|unknown code '5' for ips_ung (version 2 codes: 1, 2, 3, 4)"
contains "... the answer to a question not on the 2025 form is ignored, with a warning" \
   "$(q "SELECT concat_ws('|', year, unit_code, reason) FROM is248.warning")" \
   "2025|1101|question ARB_IPS_UNG is not on the 2025 form; answer ignored"
eq "nav_collab's new code has no place in its wide column: NULL there, a warning each" \
   "$(q "SELECT count(*) FILTER (WHERE nav_collab IS NULL) FROM is248.report_current WHERE year = 2026")|$(q "SELECT count(*) FROM is248.warning WHERE reason LIKE 'the answer ''not_relevant'' to nav_collab has no place in the column nav_collab%'")" \
   "7|7"
eq "... answer_current holds it, labelled" \
   "$(q "SELECT DISTINCT concat_ws('|', status, value, label_nb, label_en) FROM is248.answer_current WHERE year = 2026 AND question = 'nav_collab'")" \
   "answered|not_relevant|Ikke aktuelt|Not applicable"

# each unit's answer to the new question, normalized and labelled
label_nb() { case $1 in yes) echo Ja;; no) echo Nei;; dont_know) echo Vet ikke;; not_relevant) echo Ikke aktuelt;; esac; }
while IFS='|' read -r unit _ _ want; do
    got=$(q "SELECT concat_ws('|', status, value, label_nb) FROM is248.answer_current WHERE year = 2026 AND unit_code = '$unit' AND question = 'ips_ung'")
    case $want in
    none) eq "answer_current: $unit did not answer" "$got" "not_answered" ;;
    set_aside) eq "answer_current: $unit's answer is set aside" "$got" "set_aside" ;;
    *) eq "answer_current: $unit answered $want" "$got" "answered|$want|$(label_nb "$want")" ;;
    esac
done <<<"$cases"
eq "answer_current: the 2025 report was not asked" \
   "$(q "SELECT status FROM is248.answer_current WHERE year = 2025 AND question = 'ips_ung'")" "not_asked"

# --- trends --question ARB_IPS_UNG ------------------------------------------------------
# from the cases: answered = a value; rated = answered less not_relevant
# (rated 0 in the catalogue); share = yes
count() { awk -F'|' -v w="$1" '$4 == w' <<<"$cases" | wc -l; }
n_yes=$(count yes) n_no=$(count no) n_dk=$(count dont_know) n_nr=$(count not_relevant)
answered=$((n_yes + n_no + n_dk + n_nr)) rated=$((n_yes + n_no + n_dk))
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", 100 * a / b }'; }
LC_ALL=C.UTF-8 run trends --question ARB_IPS_UNG --years 2026 --format csv
eq "trends --question ARB_IPS_UNG: exit 0" "$rc" 0
alle=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
                $col["size_class"] == "Alle" && $col["kind"] == "value" {
                    print $col["value"] "=" $col["units"] "/" $col["pct"] }
                $col["size_class"] == "Alle" && !done++ {
                    head = $col["units_reporting"] "|" $col["units_answered"] "|" $col["units_rated"] "|" $col["units_share"] "|" $col["pct_share"] }
                END { print head }' <<<"${out//$'\r'/}" | sort | tr '\n' ' ')
want=$(printf '%s\n' "$(wc -l <<<"$cases")|$answered|$rated|$n_yes|$(pct $n_yes $rated)" \
    "dont_know=$n_dk/$(pct $n_dk $rated)" "no=$n_no/$(pct $n_no $rated)" \
    "not_relevant=$n_nr/" "yes=$n_yes/$(pct $n_yes $rated)" | sort | tr '\n' ' ')
eq "... the units of each answer and the shares of Alle, counted from the cases" "$alle" "$want"
LC_ALL=C.UTF-8 run trends --question ARB_IPS_UNG
contains "... as a table, named by the question's text" "$out" "Does the municipality take part in IPS-ung (individual placement and support for young people)? (is248.trend_question_filtered('ips_ung'))"
eq "... the 2025 report reports, but was not asked" \
   "$(q "SELECT units_reporting || '|' || units_asked || '|' || units_answered FROM is248.trend_question_filtered('ips_ung') WHERE year = 2025 AND size_class = 'Alle' LIMIT 1")" \
   "1|0|0"
LC_ALL=C.UTF-8 run trends --question ARB_IPS_UNG --chart "$WORK/ung.svg"
eq "... and as a chart (exit 0)" "$rc" 0
contains "... of the share answering yes" "$(cat "$WORK/ung.svg")" "Deltar kommunen i IPS-ung"
eq "the indicators of today are unchanged by it (nav_collab 2026: no unit answered yes, no or don't know)" \
   "$(q "SELECT units_answered FROM is248.trend_nav_collab WHERE year = 2026 AND size_class = 'Alle'")" 0

finish
