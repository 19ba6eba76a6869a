#!/usr/bin/env bash
# After migrate, every table, view, column and function of the schema is248
# has a comment, so that \d+ in psql explains it.  The catalogue is asked,
# not a list: an object a later migration adds without a comment fails here.
# The indicator columns carry the question as on the form (delivery-format.md
# §5).
. "$(dirname "$0")/lib.sh"

run migrate
eq "migrate exits 0" "$rc" 0

eq "the schema has a comment" "$(q "SELECT obj_description('is248'::regnamespace, 'pg_namespace') IS NOT NULL")" t

eq "every table and view has a comment" "$(q "
SELECT c.relkind || ' is248.' || c.relname
FROM pg_class c
WHERE c.relnamespace = 'is248'::regnamespace
  AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND obj_description(c.oid, 'pg_class') IS NULL
ORDER BY 1")" ""

uncommented_columns="
SELECT 'is248.' || c.relname || '.' || a.attname
FROM pg_class c
JOIN pg_attribute a ON a.attrelid = c.oid
WHERE c.relnamespace = 'is248'::regnamespace
  AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND a.attnum > 0 AND NOT a.attisdropped
  AND col_description(c.oid, a.attnum) IS NULL
ORDER BY 1"
eq "every column of every table and view has a comment" "$(q "$uncommented_columns")" ""

uncommented_functions="
SELECT p.oid::regprocedure::text
FROM pg_proc p
WHERE p.pronamespace = 'is248'::regnamespace
  AND obj_description(p.oid, 'pg_proc') IS NULL
ORDER BY 1"
eq "every function has a comment" "$(q "$uncommented_functions")" ""

# The checks above look where they should: a table, a column and a function
# added without comments are found by the same queries (in a transaction
# rolled back).
eq "... and finds what has none" "$(psql -X -A -t -q -v ON_ERROR_STOP=1 <<SQL
BEGIN;
CREATE TABLE is248.uncommented (a int);
COMMENT ON TABLE is248.uncommented IS 'a table';
CREATE FUNCTION is248.uncommented_fn() RETURNS int LANGUAGE sql AS 'SELECT 1';
ALTER TABLE is248.report ADD COLUMN uncommented int;
$uncommented_columns;
$uncommented_functions;
ROLLBACK;
SQL
)" "is248.report.uncommented
is248.uncommented.a
is248.uncommented_fn()"

# The questions as the form asks them (delivery-format.md §5).
declare -A question=(
  [nav_collab]='Har kommunen etablert et samarbeid mellom helse- og omsorgstjenesten og NAV om arbeidsrettet rehabilitering til personer med psykiske lidelser og/eller rusmiddelproblemer?'
  [nav_collab_specialist]='Hvis ja, gjøres dette i samarbeid med spesialisthelsetjenesten?'
  [nav_rating]='Hvordan vurderer kommunen samhandlingen med NAV om arbeidstiltak for personer med psykiske lidelser og/eller rusmiddelproblemer?'
  [ips_se_mental_health]='Har kommunen tatt i bruk individuell jobbstøtte (IPS) / supported employment (SE) innen psykisk helsearbeid?'
  [ips_se_substance]='Har kommunen tatt i bruk individuell jobbstøtte (IPS) / supported employment (SE) innen rusarbeid?'
)
for rel in report report_current report_history report_current_full; do
    for col in "${!question[@]}"; do
        got=$(q "SELECT col_description('is248.$rel'::regclass,
                     (SELECT attnum FROM pg_attribute WHERE attrelid = 'is248.$rel'::regclass AND attname = '$col'))")
        contains "is248.$rel.$col holds the question" "$got" "${question[$col]}"
    done
done

# \d+ shows them
out=$(psql -X -c '\d+ is248.report_current')
contains "\\d+ is248.report_current shows the question of nav_rating" "$out" "${question[nav_rating]}"
finish
