#!/usr/bin/env bash
# The fixture delivery (2015-2025, both versions, a correction): the trend
# views agree with the same figures computed independently, in plain SQL,
# from the raw answers kept in is248.answer.
. "$(dirname "$0")/lib.sh"

run migrate
run import "$SRC/fixtures/delivery"
eq "the fixture delivery imports with exit 0" "$rc" 0
eq "every year 2015-2025 has its 13 units" \
   "$(q "SELECT count(DISTINCT year), min(n), max(n) FROM (SELECT year, count(*) n FROM is248.report_current GROUP BY year) x")" "11|13|13"
eq "Bergen's correction of 2019 is current" \
   "$(q "SELECT nav_collab, nav_rating, submitted_at FROM is248.report_current WHERE year = 2019 AND unit_code = '1201'")" \
   "yes|good|2020-04-20 11:30:00+00"
eq "Bergen's first 2019 report is kept as history" \
   "$(q "SELECT count(*), count(*) FILTER (WHERE is_current) FROM is248.report_history WHERE year = 2019 AND unit_code = '1201'")" "2|1"

# An oracle: decode the raw answers of the current reports by hand.
oracle_base="
WITH cur AS (
  SELECT h.report_id, h.year, h.size_class FROM is248.report_history h WHERE h.is_current),
raw AS (
  SELECT a.report_id, a.question, a.seq, a.parent_seq,
         trim(coalesce(a.code, '')) AS code, lower(trim(coalesce(a.text, ''))) AS label
  FROM is248.answer a JOIN cur USING (report_id)),
collab AS (
  SELECT report_id, CASE
    WHEN question = '7.1' THEN CASE label WHEN '1' THEN 'yes' WHEN '2' THEN 'no' WHEN '9' THEN 'dont_know' END
    ELSE CASE WHEN code = '1' OR label = 'ja' THEN 'yes' WHEN code = '2' OR label = 'nei' THEN 'no'
              WHEN code = '3' OR label = 'vet ikke' THEN 'dont_know' END END AS v
  FROM raw WHERE question IN ('7.1', 'ARB_NAV_SAMARBEID')),
rating AS (
  SELECT report_id, CASE
    WHEN question = '7.2' THEN CASE label WHEN '1' THEN 'very_good' WHEN '2' THEN 'good' WHEN '3' THEN 'neither'
                                          WHEN '4' THEN 'less_good' WHEN '5' THEN 'bad' WHEN '9' THEN 'dont_know' END
    ELSE CASE WHEN code = '5' OR label = 'svært god' THEN 'very_good' WHEN code = '4' OR label = 'god' THEN 'good'
              WHEN code = '3' OR label = 'verken god eller dårlig' THEN 'neither'
              WHEN code = '2' OR label = 'mindre god' THEN 'less_good' WHEN code = '1' OR label = 'dårlig' THEN 'bad'
              WHEN code = '0' OR label = 'vet ikke' THEN 'dont_know' END END AS v
  FROM raw WHERE question IN ('7.2', 'ARB_NAV_SAMHANDLING')),
groups AS (
  SELECT year, size_class FROM cur WHERE size_class IS NOT NULL
  UNION ALL SELECT year, 'Alle' FROM cur),
sc AS (SELECT label, ord FROM is248.size_class UNION ALL SELECT 'Alle', 99)"

eq "trend_nav_collab agrees with the oracle" "$(q "SELECT * FROM is248.trend_nav_collab")" "$(q "$oracle_base
SELECT g.year, g.size_class,
       count(*)::int, count(c.v)::int,
       count(*) FILTER (WHERE c.v = 'yes')::int, count(*) FILTER (WHERE c.v = 'no')::int,
       count(*) FILTER (WHERE c.v = 'dont_know')::int,
       round(100.0 * count(*) FILTER (WHERE c.v = 'yes') / nullif(count(c.v), 0), 1)
FROM (SELECT DISTINCT year, size_class FROM groups) g
JOIN cur ON cur.year = g.year AND (g.size_class = 'Alle' OR cur.size_class = g.size_class)
LEFT JOIN collab c USING (report_id)
JOIN sc ON sc.label = g.size_class
GROUP BY g.year, g.size_class, sc.ord ORDER BY g.year, sc.ord")"

eq "trend_nav_rating agrees with the oracle" "$(q "SELECT * FROM is248.trend_nav_rating")" "$(q "$oracle_base
SELECT g.year, g.size_class, count(r.v)::int,
       count(*) FILTER (WHERE r.v = 'very_good')::int, count(*) FILTER (WHERE r.v = 'good')::int,
       count(*) FILTER (WHERE r.v = 'neither')::int, count(*) FILTER (WHERE r.v = 'less_good')::int,
       count(*) FILTER (WHERE r.v = 'bad')::int, count(*) FILTER (WHERE r.v = 'dont_know')::int,
       round(100.0 * count(*) FILTER (WHERE r.v IN ('very_good', 'good')) / nullif(count(*) FILTER (WHERE r.v <> 'dont_know'), 0), 1),
       round(100.0 * count(*) FILTER (WHERE r.v = 'neither') / nullif(count(*) FILTER (WHERE r.v <> 'dont_know'), 0), 1),
       round(100.0 * count(*) FILTER (WHERE r.v IN ('less_good', 'bad')) / nullif(count(*) FILTER (WHERE r.v <> 'dont_know'), 0), 1)
FROM (SELECT DISTINCT year, size_class FROM groups) g
JOIN cur ON cur.year = g.year AND (g.size_class = 'Alle' OR cur.size_class = g.size_class)
LEFT JOIN rating r USING (report_id)
JOIN sc ON sc.label = g.size_class
GROUP BY g.year, g.size_class, sc.ord ORDER BY g.year, sc.ord")"

eq "trend_ips_se agrees with the oracle" "$(q "SELECT * FROM is248.trend_ips_se")" "$(q "$oracle_base,
ips AS (
  SELECT s.report_id, f.field,
    CASE WHEN s.question IN ('7.3', '7.4') THEN CASE s.label WHEN '1' THEN 'yes' WHEN '2' THEN 'no' WHEN '9' THEN 'dont_know' END
         WHEN bool_or(v.code IN ('IPS', 'SE')) THEN 'yes' WHEN bool_or(v.code = 'INGEN') THEN 'no'
         WHEN bool_or(v.code = 'VETIKKE') THEN 'dont_know' END AS v,
    CASE WHEN s.question LIKE 'ARB%' AND NOT bool_or(v.code = 'VETIKKE') THEN coalesce(bool_or(v.code = 'IPS'), false) END AS has_ips,
    CASE WHEN s.question LIKE 'ARB%' AND NOT bool_or(v.code = 'VETIKKE') THEN coalesce(bool_or(v.code = 'SE'), false) END AS has_se
  FROM raw s
  JOIN (VALUES ('7.3', 'mental_health'), ('ARB_IPS_SE_PSYK', 'mental_health'),
               ('7.4', 'substance'), ('ARB_IPS_SE_RUS', 'substance')) f(q, field) ON f.q = s.question
  LEFT JOIN raw v ON v.report_id = s.report_id AND v.parent_seq = s.seq
  WHERE s.parent_seq IS NULL
  GROUP BY s.report_id, f.field, s.question, s.label)
SELECT g.year, g.size_class, f.field, count(i.v)::int,
       count(*) FILTER (WHERE i.v = 'yes')::int,
       CASE WHEN g.year >= 2018 THEN count(*) FILTER (WHERE i.has_ips)::int END,
       CASE WHEN g.year >= 2018 THEN count(*) FILTER (WHERE i.has_se)::int END,
       round(100.0 * count(*) FILTER (WHERE i.v = 'yes') / nullif(count(i.v), 0), 1)
FROM (SELECT DISTINCT year, size_class FROM groups) g
CROSS JOIN (VALUES ('mental_health'), ('substance')) f(field)
JOIN cur ON cur.year = g.year AND (g.size_class = 'Alle' OR cur.size_class = g.size_class)
LEFT JOIN ips i ON i.report_id = cur.report_id AND i.field = f.field
JOIN sc ON sc.label = g.size_class
GROUP BY g.year, g.size_class, sc.ord, f.field ORDER BY g.year, sc.ord, f.field")"

eq "2015 forms asked no IPS/SE question: nothing in the denominators" \
   "$(q "SELECT DISTINCT units_answered, units_yes, coalesce(pct_yes::text, 'NULL') FROM is248.trend_ips_se WHERE year = 2015")" "0|0|NULL"

run trends
eq "trends exits 0" "$rc" 0
contains "trends prints the collaboration table" "$out" "Collaboration between health and care services and Nav"
contains "trends prints aligned headers" "$out" " year | size_class  | units_reporting |"
eq "trends prints one table row per view row (plus headers)" \
   "$(grep -c '^ 20[12][0-9] |' <<<"$out")" \
   "$(q "SELECT (SELECT count(*) FROM is248.trend_nav_collab) + (SELECT count(*) FROM is248.trend_nav_rating) + (SELECT count(*) FROM is248.trend_ips_se)")"
finish
