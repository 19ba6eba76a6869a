#!/usr/bin/env bash
# is248.answer_current and the trends of any question (issue 16) against
# what is248 had before them: the wide columns of report_current, which the
# normalizer fills (transform/answers.c), and the five questions' trend
# views; the numbers of the man-years against the raw answers (is248.answer),
# summed here in plain SQL; the label matching of SQL (is248.answer_fold())
# against the cases of tests/unit/test_codes.c's codes_fold().
. "$(dirname "$0")/lib.sh"

run migrate
run import "$SRC/fixtures/delivery" "$SRC/fixtures/defects/xml/labels-match.xml" \
    "$SRC/fixtures/defects/xml/crlf-v2.xml" "$SRC/fixtures/defects/xml/codes-v2-unknown.xml" \
    "$SRC/fixtures/defects/xml/choices-clash.xml" "$SRC/fixtures/defects/xml/code-label-disagree.xml"
ok "the fixtures load (exit 0 or 1: the defects set answers aside)" test "$rc" -le 1
reports=$(q "SELECT count(*) FROM is248.report_current")
ok "... $reports current reports" test "$reports" -gt 140

# --- answer_current agrees with the wide columns --------------------------------
eq "answer_current: a row per current report and catalogued question" \
   "$(q "SELECT count(*) FROM is248.answer_current")" \
   "$(q "SELECT count(*) FROM is248.report_current CROSS JOIN is248.question")"
for col in nav_collab nav_collab_specialist nav_rating ips_se_mental_health ips_se_substance; do
    eq "answer_current.value = report_current.$col for every current report" \
       "$(q "SELECT count(*) FROM is248.report_current r
             JOIN is248.answer_current a ON a.year = r.year AND a.unit_code = r.unit_code
                                        AND a.question = '$col'
             WHERE a.value IS DISTINCT FROM r.$col")" 0
    eq "... and its label is answer_label's" \
       "$(q "SELECT count(*) FROM is248.answer_current a
             LEFT JOIN is248.answer_label l ON l.code = a.value AND l.language = 'nb'
             WHERE a.question = '$col' AND a.label_nb IS DISTINCT FROM l.label")" 0
done
for f in mental_health substance; do
    eq "answer_current.choices hold report_current.ips_$f and se_$f" \
       "$(q "SELECT count(*) FROM is248.report_current r
             JOIN is248.answer_current a ON a.year = r.year AND a.unit_code = r.unit_code
                                        AND a.question = 'ips_se_$f'
             WHERE r.ips_$f IS NOT NULL
               AND (r.ips_$f IS DISTINCT FROM ('ips' = ANY (a.choices))
                    OR r.se_$f IS DISTINCT FROM ('se' = ANY (a.choices)))")" 0
done
eq "an answer set aside in the import is set aside in answer_current" \
   "$(q "SELECT count(*) FROM is248.rejection j JOIN is248.report_current r
             ON r.year = j.year AND r.unit_code = j.unit_code
         WHERE j.level = 'answer'
           AND NOT EXISTS (SELECT 1 FROM is248.answer_current a
                            WHERE a.year = j.year AND a.unit_code = j.unit_code
                              AND a.question_id = j.question AND a.status = 'set_aside')")" 0

# --- the trends of a question agree with the five questions' views ----------------
eq "trend_question_filtered('nav_collab') = trend_nav_collab (answered, yes, pct)" \
   "$(q "SELECT count(*) FROM is248.trend_nav_collab v
         JOIN is248.trend_question_filtered('nav_collab') t
           ON t.year = v.year AND t.size_class = v.size_class AND t.value = 'yes'
         WHERE (t.units_answered, t.units, t.pct_share) IS DISTINCT FROM
               (v.units_answered, v.units_yes, v.pct_yes)")|$(q "SELECT count(*) FROM is248.trend_nav_collab")" \
   "0|$(q "SELECT count(*) FROM is248.trend_question_filtered('nav_collab') WHERE value = 'yes'")"
eq "trend_question_filtered('nav_rating') = trend_nav_rating (rated, good, pct_good)" \
   "$(q "SELECT count(*) FROM is248.trend_nav_rating v
         JOIN is248.trend_question_filtered('nav_rating') t
           ON t.year = v.year AND t.size_class = v.size_class AND t.value = 'good'
         WHERE (t.units_rated, t.units, t.pct_share) IS DISTINCT FROM
               (v.units_rated, v.good, v.pct_good)")" 0
eq "trend_question_filtered('ips_se_substance') = trend_ips_se (answered, IPS or SE, IPS)" \
   "$(q "SELECT count(*) FROM is248.trend_ips_se v
         JOIN is248.trend_question_filtered('ips_se_substance') t
           ON t.year = v.year AND t.size_class = v.size_class AND t.kind = 'choice' AND t.value = 'ips'
         WHERE v.field = 'substance'
           AND (t.units_answered, t.units_share, t.units) IS DISTINCT FROM
               (v.units_answered, v.units_yes, v.units_ips)")" 0
eq "a follow-up counts only after yes: nav_collab_specialist's answered = report_current's" \
   "$(q "SELECT count(*) FROM is248.trend_question_filtered('nav_collab_specialist') t
         WHERE t.size_class = 'Alle' AND t.value = 'yes'
           AND t.units_answered <> (SELECT count(*) FROM is248.report_current r
                                     WHERE r.year = t.year AND r.nav_collab_specialist IS NOT NULL)")" 0

# --- a number: the man-years, from the raw answers ---------------------------------
raw_sum="SELECT r.year, sum(replace(btrim(a.text), ',', '.')::numeric) AS total, count(*) AS n
         FROM is248.report_current_full r JOIN is248.answer a ON a.report_id = r.report_id
         WHERE a.question = CASE r.version WHEN 1 THEN '3.1' ELSE '4.1' END
           AND a.parent_seq IS NULL AND btrim(coalesce(a.text, '')) <> ''
         GROUP BY r.year"
eq "trend_number_filtered('man_years'), Alle: n and the sum of every year = the raw answers'" \
   "$(q "SELECT string_agg(year || ':' || units_answered || ':' || total, ' ' ORDER BY year)
         FROM is248.trend_number_filtered('man_years') WHERE size_class = 'Alle' AND units_answered > 0")" \
   "$(q "SELECT string_agg(year || ':' || n || ':' || total, ' ' ORDER BY year) FROM ($raw_sum) x")"
eq "... the median of 2019 = the raw answers' (percentile_cont, 2 decimals)" \
   "$(q "SELECT median FROM is248.trend_number_filtered('man_years', years => '{2019}') WHERE size_class = 'Alle'")" \
   "$(q "SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY replace(btrim(a.text), ',', '.')::numeric)::numeric, 2)
         FROM is248.report_current_full r JOIN is248.answer a ON a.report_id = r.report_id
         WHERE r.year = 2019 AND a.question = '4.1' AND a.parent_seq IS NULL")"
LC_ALL=C.UTF-8 run trends --question 3.1 --years 2016 --size-class Alle --format csv
eq "trends --question 3.1 (the version 1 id): exit 0" "$rc" 0
eq "... the sum of 2016 as the raw answers'" \
   "$(tr -d '\r' <<<"$out" | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } { print $c["total"] }')" \
   "$(q "SELECT total FROM ($raw_sum) x WHERE year = 2016")"
LC_ALL=C.UTF-8 run trends --question man_years --chart "$WORK/my.svg"
eq "... charted (exit 0)" "$rc" 0
contains "... per 10 000 inhabitants, the axis without %" "$(cat "$WORK/my.svg")" "per 10 000 inhabitants"
ok "... the axis is not 0-100 %" bash -c "! grep -q '>100 %<' '$WORK/my.svg'"

# --- errors ---------------------------------------------------------------------
run trends --question nope
eq "an unknown --question: exit 2" "$rc" 2
contains "... naming the questions" "$err" "unknown --question 'nope' (questions: nav_collab, nav_collab_specialist, nav_rating"
run trends --question nav_collab --indicator nav_collab
eq "--question and --indicator of one name: exit 2" "$rc" 2
run trends --question man_years --chart "$WORK/x.svg" --weight population
eq "--weight population for a number's chart: exit 2" "$rc" 2
run export --question nav_collab
eq "export takes no --question (exit 2)" "$rc" 2
eq "trend_question_filtered of a number is refused by the database" \
   "$(q "SELECT 1 FROM is248.trend_question_filtered('man_years')" 2>&1 | head -1)" \
   "ERROR:  question 'man_years' is a number: its trend is trend_number_filtered()"

# --- report --question -----------------------------------------------------------------
LC_ALL=C.UTF-8 run report 2019 --question man_years,nav_collab --format html --output "$WORK/r.html"
eq "report 2019 --question man_years,nav_collab: exit 0" "$rc" 0
eq "... a section each, after the indicators" \
   "$(grep -o '<section id="[^"]*"' "$WORK/r.html" | cut -d'"' -f2 | tr '\n' ' ')" \
   "nav_collab nav_rating ips_se_mental_health ips_se_substance question-man_years question-nav_collab "

# --- label matching: SQL as codes_fold() (tests/unit/test_codes.c's cases) ----------
while IFS='|' read -r in want; do
    eq "answer_fold('$in')" "$(q "SELECT is248.answer_fold(E'$in')")" "$want"
done <<'EOF'
  Svært   GOD |svært god
Verken god eller da\u030arlig|verken god eller dårlig
\tA\r\n  B\t|a b
x\u00a0\u2003y|x y
ÆØÅ|æøå
A\u030a|å
Straße|strasse
   |
Individuell jobbstøtte (IPS)|individuell jobbstøtte (ips)
EOF

# --- as the reader ------------------------------------------------------------------
reader=t_answer_current_reader
q "SET client_min_messages = warning; DROP ROLE IF EXISTS $reader; CREATE ROLE $reader LOGIN IN ROLE is248_reader" >/dev/null
trap 'psql -X -q -d postgres -c "DROP ROLE IF EXISTS $reader" >/dev/null 2>&1' EXIT
eq "the reader may fold a label as the matching does (answer_fold())" \
   "$(PGUSER=$reader psql -X -A -t -q -c "SELECT is248.answer_fold('  SVÆRT   god ')" 2>&1)" "svært god"

# --- hostile numbers: a sender's answer too long for numeric or double
# precision is set aside, and every trend and answer_current still answer ----------
python3 - "$SRC/fixtures/delivery/2019/1151.xml" "$WORK" <<'PY'
import sys
xml = open(sys.argv[1], encoding="utf-8").read()
for i, n in enumerate(["1" + "0" * 400, "7" * 140000, "1," + "5" * 20000], 1):
    out = xml.replace('<Svar sporsmal="4.1">0,7<', '<Svar sporsmal="4.1">' + n + '<')
    out = out.replace('tidspunkt="2020-02-08T14:00:00+01:00"', 'tidspunkt="2020-03-0%dT14:00:00+01:00"' % i)
    assert out.count(n) == 1 and "2020-03-0%d" % i in out
    open("%s/huge-%d.xml" % (sys.argv[2], i), "w", encoding="utf-8").write(out)
PY
run import "$WORK"/huge-*.xml
eq "three later reports of 1151 2019 with numbers of 401, 140 000 and 20 002 characters load" \
   "$rc|$(q "SELECT count(*) FROM is248.report WHERE unit_code = '1151' AND year = 2019")" "0|4"
eq "... the current one's man-years are set aside, not answered" \
   "$(PGUSER=$reader psql -X -A -t -q -c "SELECT status, value IS NULL FROM is248.answer_current WHERE unit_code = '1151' AND year = 2019 AND question = 'man_years'" 2>&1)" \
   "set_aside|t"
eq "... answer_current still answers the reader" \
   "$(PGUSER=$reader psql -X -A -t -q -c "SELECT count(*) > 0 FROM is248.answer_current" 2>&1)" "t"
eq "... and so does trend_number_filtered('man_years') for 2019" \
   "$(PGUSER=$reader psql -X -A -t -q -c "SELECT units_answered FROM is248.trend_number_filtered('man_years', years => '{2019}') WHERE size_class = 'Alle'" 2>&1)" \
   "$(( $(q "SELECT count(*) FROM is248.answer_current WHERE year = 2019 AND question = 'man_years' AND status = 'answered'") ))"

finish
