-- 0002: municipality lineage and reporting coverage (delivery-format.md §2).

-- For every municipality code valid in a year, the code or codes it belongs to
-- in the latest year of the reference (2024 onward), following every change
-- in between.  change is the largest step on the way:
--   unchanged  < renumbered  < merged (joined with others, or others joined it)  < split
CREATE VIEW is248.unit_lineage AS
WITH RECURSIVE walk (year, unit_code, code, since, severity) AS (
    SELECT m.year, m.code, m.code, make_date(m.year, 1, 1), 0
    FROM is248.municipality m
  UNION ALL
    SELECT w.year, w.unit_code, c.new_code, c.valid_from,
           greatest(w.severity,
                    CASE c.change WHEN 'renumbered' THEN 1 WHEN 'merged' THEN 2 ELSE 3 END)
    FROM walk w
    JOIN is248.municipality_change c ON c.old_code = w.code
    WHERE c.valid_from = (SELECT min(n.valid_from) FROM is248.municipality_change n
                          WHERE n.old_code = w.code AND n.valid_from > w.since)
)
SELECT w.year, w.unit_code, w.code AS current_code,
       (ARRAY['unchanged', 'renumbered', 'merged', 'split'])[1 + greatest(w.severity,
            CASE WHEN EXISTS (SELECT 1 FROM is248.municipality_change a
                              WHERE a.new_code = w.code AND a.old_code <> w.code
                                AND a.change = 'merged' AND a.valid_from > w.since)
                 THEN 2 ELSE 0 END)] AS change
FROM walk w
WHERE NOT EXISTS (SELECT 1 FROM is248.municipality_change n
                  WHERE n.old_code = w.code AND n.valid_from > w.since);

COMMENT ON VIEW is248.unit_lineage IS
  'For every municipality code valid in a year, the code(s) it belongs to today, following every change since; change is unchanged, renumbered, merged or split.';
COMMENT ON COLUMN is248.unit_lineage.year IS 'Year in which unit_code was valid (on 1 January).';
COMMENT ON COLUMN is248.unit_lineage.unit_code IS 'Municipality code as valid in that year.';
COMMENT ON COLUMN is248.unit_lineage.current_code IS 'Code valid today that the unit is part of (several rows after a split).';
COMMENT ON COLUMN is248.unit_lineage.change IS 'unchanged, renumbered, merged (with others) or split, whichever is largest on the way.';

-- The units that should report in each year: every municipality but Oslo as
-- a whole, and Oslo's city districts.
CREATE VIEW is248.expected_unit AS
    SELECT m.year, m.code AS unit_code, 'kommune'::text AS unit_type, m.name AS unit_name
    FROM is248.municipality m WHERE m.code <> '0301'
  UNION ALL
    SELECT y.year, d.code, 'bydel', d.name
    FROM (SELECT DISTINCT year FROM is248.municipality) y CROSS JOIN is248.oslo_district d;

CREATE VIEW is248.coverage AS
SELECT e.year, count(*)::int AS units_expected, count(r.unit_code)::int AS units_reporting,
       round(100.0 * count(r.unit_code) / count(*), 1) AS pct_reporting
FROM is248.expected_unit e
LEFT JOIN is248.report_current r ON r.year = e.year AND r.unit_code = e.unit_code
WHERE e.year <= (SELECT max(year) FROM is248.report)
GROUP BY e.year
ORDER BY e.year;

CREATE VIEW is248.missing_report AS
SELECT e.year, e.unit_code, e.unit_type, e.unit_name
FROM is248.expected_unit e
WHERE e.year <= (SELECT max(year) FROM is248.report)
  AND NOT EXISTS (SELECT 1 FROM is248.report_current r
                  WHERE r.year = e.year AND r.unit_code = e.unit_code)
ORDER BY e.year, e.unit_code;

COMMENT ON VIEW is248.expected_unit IS 'The units expected to report each year: every municipality except Oslo as a whole, and Oslo''s city districts.';
COMMENT ON VIEW is248.coverage IS 'Per year up to the latest reported: units expected, units with a current report, and the share in percent.';
COMMENT ON VIEW is248.missing_report IS 'Units expected to report in a year that have no report for it.';

GRANT SELECT ON is248.unit_lineage, is248.expected_unit, is248.coverage, is248.missing_report TO is248_reader;
