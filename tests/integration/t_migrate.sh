#!/usr/bin/env bash
# migrate: creates the schema, records its version, loads the reference
# data, and changes nothing when run again.
. "$(dirname "$0")/lib.sh"

run migrate
eq "migrate exits 0" "$rc" 0
contains "migrate says what it did" "$err" "schema migrated from version 0 to"
version=$(q "SELECT max(version) FROM is248.schema_version")
ok "a version is recorded" test "$version" -ge 1

eq "municipalities per year as in the SSB reference" \
   "$(q "SELECT year, count(*) FROM is248.municipality GROUP BY year ORDER BY year" | tr '\n' ' ')" \
   "2015|428 2016|428 2017|426 2018|422 2019|422 2020|356 2021|356 2022|356 2023|356 2024|357 2025|357 2026|357 "
eq "reference rows match the shipped CSV" \
   "$(q "SELECT count(*) FROM is248.municipality")" \
   "$(($(wc -l <"$SRC/sql/reference/municipalities_by_year.csv") - 1))"
eq "code changes loaded" "$(q "SELECT count(*) FROM is248.municipality_change")" \
   "$(($(wc -l <"$SRC/sql/reference/municipality_changes.csv") - 1))"
eq "Oslo's districts loaded" "$(q "SELECT count(*) FROM is248.oslo_district")" 17

before=$(q "SELECT version, applied_at FROM is248.schema_version ORDER BY 1")
run migrate
eq "second migrate exits 0" "$rc" 0
contains "second migrate has nothing to do" "$err" "nothing to do"
eq "second migrate changes no version row" "$(q "SELECT version, applied_at FROM is248.schema_version ORDER BY 1")" "$before"

eq "roles exist and cannot log in" \
   "$(q "SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname LIKE 'is248_%' ORDER BY 1" | tr '\n' ' ')" \
   "is248_loader|f is248_reader|f "
eq "the reader may read the views" \
   "$(q "SELECT has_table_privilege('is248_reader', 'is248.trend_nav_collab', 'SELECT'), has_table_privilege('is248_reader', 'is248.report_current', 'SELECT')")" "t|t"
eq "the reader may not read the tables behind them" \
   "$(q "SELECT has_table_privilege('is248_reader', 'is248.report', 'SELECT'), has_table_privilege('is248_reader', 'is248.answer', 'SELECT')")" "f|f"
eq "the loader writes only the stage, through the merge, and may not change the schema" \
   "$(q "SELECT has_table_privilege('is248_loader', 'is248.report', 'INSERT'), has_table_privilege('is248_loader', 'is248.stage', 'INSERT'), has_table_privilege('is248_loader', 'is248.stage', 'SELECT'), has_function_privilege('is248_loader', 'is248.merge_batch(bigint, text[], text[], bytea[], bigint[], bytea[], text[])', 'EXECUTE'), has_table_privilege('is248_loader', 'is248.source_file', 'INSERT'), has_schema_privilege('is248_loader', 'is248', 'CREATE')")" "f|t|f|t|f|f"

# an analyst in is248_reader can print the trends but not read the tables
q "DROP ROLE IF EXISTS t_migrate_analyst; CREATE ROLE t_migrate_analyst LOGIN IN ROLE is248_reader" >/dev/null
run trends --db "user=t_migrate_analyst"
eq "a reader can run is248 trends" "$rc" 0
contains "a reader sees the tables" "$out" "Collaboration between health and care services and Nav"
eq "a reader cannot read what was set aside" \
   "$(psql -X -A -t -q -U t_migrate_analyst -c "SELECT count(*) FROM is248.rejection" 2>&1 | grep -o 'permission denied')" "permission denied"
q "DROP ROLE t_migrate_analyst" >/dev/null

eq "public interface: report_current columns" \
   "$(q "SELECT string_agg(column_name || ' ' || data_type, ', ' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema = 'is248' AND table_name = 'report_current'")" \
   "year integer, unit_code text, unit_type text, unit_name text, county_code text, population integer, size_class text, nav_collab text, nav_collab_specialist text, nav_rating text, ips_se_mental_health text, ips_mental_health boolean, se_mental_health boolean, ips_se_substance text, ips_substance boolean, se_substance boolean, submitted_at timestamp with time zone, source text"
for v in "trend_nav_collab:year, size_class, units_reporting, units_answered, units_yes, units_no, units_dont_know, pct_yes, population_answered, pct_population" \
         "trend_nav_rating:year, size_class, units_answered, very_good, good, neither, less_good, bad, dont_know, units_rated, pct_good, pct_neither, pct_less_good_or_bad, population_answered, pct_population" \
         "trend_ips_se:year, size_class, field, units_answered, units_yes, units_ips, units_se, pct_yes, population_answered, pct_population"; do
    eq "public interface: ${v%%:*} columns" \
       "$(q "SELECT string_agg(column_name, ', ' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema = 'is248' AND table_name = '${v%%:*}'")" "${v#*:}"
done

# the raw answers live in their report's row (is248.answer unpacks them):
# deleting a report deletes its answers, and the owner can empty the tables
# to start over (TRUNCATE is248.report failed because of a trigger before)
run import "$SRC/fixtures/delivery"
eq "the fixtures import (exit 0)" "$rc" 0
one=$(q "SELECT min(report_id) FROM is248.report")
n=$(q "SELECT count(*) FROM is248.answer WHERE report_id <> $one")
q "DELETE FROM is248.report WHERE report_id = $one" >/dev/null
eq "deleting a report deletes its answers, and only those" \
   "$(q "SELECT count(*) FILTER (WHERE report_id = $one), count(*) FROM is248.answer")" "0|$n"
q "TRUNCATE is248.import_run, is248.source_file, is248.report, is248.rejection,
         is248.warning, is248.skipped_entry, is248.delivery, is248.delivery_piece" >/dev/null
eq "starting over as the operator guide says empties reports, answers and files" \
   "$(q "SELECT (SELECT count(*) FROM is248.answer), (SELECT count(*) FROM is248.report), (SELECT count(*) FROM is248.source_file)")" "0|0|0"
finish
