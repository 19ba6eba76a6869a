#!/usr/bin/env bash
# Least privilege (issues 4 and 11): is248_reader reads the views and
# nothing else; is248_loader inserts into the stage and calls the merge,
# and cannot change the schema or rewrite history (the attacks on the merge
# itself are in t_security.sh).
# Passwords come from libpq's password file or a service file only.
#
# Runs on a cluster of its own: it turns on password authentication for
# the two login roles it creates.
. "$(dirname "$0")/lib.sh"
own_cluster
fixtures="$SRC/fixtures/delivery"

# the first migrates of a cluster create the roles: two at once must both
# succeed (roles are cluster-wide, the databases are not)
createdb race_a && createdb race_b
PGDATABASE=race_a "$IS248" migrate -q 2>"$WORK/race_a" & a=$!
PGDATABASE=race_b "$IS248" migrate -q 2>"$WORK/race_b" & b=$!
wait $a; rc_a=$?; wait $b; rc_b=$?
eq "two first migrates at once: both exit 0" "$rc_a $rc_b" "0 0"
eq "... and say nothing" "$(cat "$WORK/race_a" "$WORK/race_b")" ""

run migrate
eq "migrate as the owner exits 0" "$rc" 0

q "CREATE ROLE loader_u LOGIN PASSWORD 'pw-of-loader' IN ROLE is248_loader;
   CREATE ROLE reader_u LOGIN PASSWORD 'pw-of-reader' IN ROLE is248_reader" >/dev/null
hba="$OWN_PG/data/pg_hba.conf"
{ printf 'local all loader_u scram-sha-256\nlocal all reader_u scram-sha-256\n'; cat "$hba"; } >"$WORK/hba"
cat "$WORK/hba" >"$hba"
q "SELECT pg_reload_conf()" >/dev/null
sleep 0.5

printf '*:*:*:loader_u:pw-of-loader\n*:*:*:reader_u:pw-of-reader\n' >"$WORK/pgpass"
chmod 600 "$WORK/pgpass"
# as USER CMD...: run CMD as that database user, with the password file
as() { local u=$1; shift; PGUSER=$u PGPASSFILE="$WORK/pgpass" "$@"; }
# qa USER SQL: a query as USER; prints the rows or the error
qa() { as "$1" psql -X -A -t -q -v ON_ERROR_STOP=1 -c "$2" 2>&1; }

# --- passwords ------------------------------------------------------------------
PGUSER=loader_u PGPASSFILE=/dev/null run import "$fixtures"
eq "without a password: a configuration error (exit 2)" "$rc" 2
contains "... and libpq's reason" "$err" "no password supplied"

printf '*:*:*:loader_u:not-the-password\n' >"$WORK/pgpass-wrong"
chmod 600 "$WORK/pgpass-wrong"
PGUSER=loader_u PGPASSFILE="$WORK/pgpass-wrong" run import "$fixtures"
eq "a wrong password: a configuration error (exit 2)" "$rc" 2
contains "... with the server's reason" "$err" 'password authentication failed for user "loader_u"'
chmod 644 "$WORK/pgpass-wrong"
PGUSER=loader_u PGPASSFILE="$WORK/pgpass-wrong" run import "$fixtures"
eq "a password file others can read: refused before connecting (exit 2)" "$rc" 2
contains "... saying why" "$err" "the password file '$WORK/pgpass-wrong' can be read by others (mode 0644)"

as loader_u run import "$fixtures"
eq "the loader imports with the password file (exit 0)" "$rc" 0
eq "... everything" "$(q "SELECT count(*) FROM is248.report_history")" \
   "$(reports_in $(find "$fixtures" -name '*.xml'))"
eq "... recorded as done by loader_u" "$(q "SELECT db_user FROM is248.import_run")" loader_u

cat >"$WORK/services" <<EOF
[is248]
host=$PGHOST
port=$PGPORT
dbname=$PGDATABASE
user=reader_u
password=pw-of-reader
EOF
chmod 600 "$WORK/services"
PGUSER= PGSERVICEFILE="$WORK/services" PGPASSFILE=/dev/null run trends --db service=is248
eq "the reader reads the trends through a service file (exit 0)" "$rc" 0
contains "... and sees them" "$out" "2025"

run import --db "dbname=$PGDATABASE password=pw-of-loader user=loader_u" "$fixtures"
eq "a password in --db is refused (exit 2)" "$rc" 2
contains "... saying where passwords go" "$err" "--db must not hold a password"

# --- the loader ------------------------------------------------------------------
for sql in "CREATE TABLE is248.x (i int)" \
           "ALTER TABLE is248.report ADD COLUMN x int" \
           "DROP VIEW is248.trend_ips_se" \
           "CREATE OR REPLACE VIEW is248.trend_ips_se AS SELECT 1" \
           "ALTER FUNCTION is248.merge_batch(bigint, text[], text[], bytea[], bigint[], bytea[], text[]) SECURITY INVOKER" \
           "UPDATE is248.report SET nav_collab = 'no'" \
           "INSERT INTO is248.report (file_id, report_index, version, year, unit_code, unit_type, county_code, submitted_at, digest, answers) VALUES (1, 0, 2, 2025, '0301', 'kommune', '03', now(), '\\x00', '')" \
           "UPDATE is248.report SET answers = ''" \
           "DELETE FROM is248.report" \
           "INSERT INTO is248.source_file (run_id, source, entry, outcome) VALUES (1, 'x', '', 'loaded')" \
           "SELECT * FROM is248.stage" \
           "DELETE FROM is248.stage" \
           "SELECT nextval('is248.report_report_id_seq')" \
           "TRUNCATE is248.report CASCADE" \
           "UPDATE is248.municipality SET name = 'x'"; do
    got=$(qa loader_u "$sql")
    contains "the loader may not: $sql" "$got" "ERROR:"
    ok "... because it lacks the right ($got)" grep -q -E "permission denied|must be owner" <<<"$got"
done
got=$(qa loader_u "GRANT INSERT ON is248.stage TO PUBLIC")
contains "the loader may not grant what it has" "$got" 'no privileges were granted for "stage"'
eq "... so the reader still cannot write the stage" \
   "$(q "SELECT has_table_privilege('reader_u', 'is248.stage', 'INSERT')")" f
eq "the schema is as migrate left it" "$(q "SELECT count(*) FROM pg_attribute WHERE attrelid = 'is248.report'::regclass AND attname = 'x'")" 0
eq "... history untouched" "$(q "SELECT count(*) FROM is248.report_history")" \
   "$(reports_in $(find "$fixtures" -name '*.xml'))"

createdb -O postgres fresh_db
PGDATABASE=fresh_db as loader_u run migrate
eq "the loader cannot migrate a database: a configuration error (exit 2)" "$rc" 2
contains "... saying what it lacks" "$err" "is248: error: the login 'loader_u' may not create the schema is248 in the database 'fresh_db': run 'is248 migrate' as the database's owner"
as loader_u run migrate
eq "nor migrate a schema another role owns (exit 2)" "$rc" 2
contains "... saying whose it is and what to do" "$err" "is248: error: the schema is248 belongs to 'postgres', and the login 'loader_u' is not a member of it: run 'is248 migrate' as 'postgres' (docs/operator-guide.md, \"The database and its roles\")"
eq "... once" "$(grep -c error <<<"$err")" 1
as loader_u run status
eq "the loader may not read the figures (exit 2)" "$rc" 2
contains "... and hears which role it lacks" "$err" "the login 'loader_u' may not read is248's figures: it is not a member of is248_reader"
eq "... which stays empty" "$(PGDATABASE=fresh_db q "SELECT count(*) FROM pg_namespace WHERE nspname = 'is248'")" 0

# the merge runs as its owner: with an owner that is no superuser too
q "CREATE ROLE owner_u LOGIN PASSWORD 'pw-of-owner'" >/dev/null
printf '*:*:*:owner_u:pw-of-owner\n' >>"$WORK/pgpass"
{ printf 'local all owner_u scram-sha-256\n'; cat "$hba"; } >"$WORK/hba"
cat "$WORK/hba" >"$hba"
q "SELECT pg_reload_conf()" >/dev/null
sleep 0.5
createdb -O owner_u owned_db
PGDATABASE=owned_db as owner_u run migrate
eq "an owner that is no superuser migrates its database (exit 0)" "$rc" 0
# a privilege the server finds missing in the middle of a migrate (here
# plpgsql, taken from PUBLIC in a hardened database) is the set-up's to
# fix: exit 2, the server's reason and what to grant; nothing changed
createdb -O owner_u hardened_db
PGDATABASE=hardened_db q "REVOKE USAGE ON LANGUAGE plpgsql FROM PUBLIC" >/dev/null
PGDATABASE=hardened_db as owner_u run migrate
eq "a migrate refused a privilege on the way: a configuration error (exit 2)" "$rc" 2
eq "... with the server's reason and what to grant, in one line" "$(sed -E 's/^(is248: error: migration refused, nothing changed: ).*(permission denied for language plpgsql).*(; hint: a superuser grants the login .owner_u. what the server names).*/\1\2\3/' <<<"$err")" \
   "is248: error: migration refused, nothing changed: permission denied for language plpgsql; hint: a superuser grants the login 'owner_u' what the server names"
eq "... nothing changed" "$(PGDATABASE=hardened_db q "SELECT count(*) FROM pg_namespace WHERE nspname = 'is248'")" 0
PGDATABASE=hardened_db q "GRANT USAGE ON LANGUAGE plpgsql TO owner_u" >/dev/null
PGDATABASE=hardened_db as owner_u run migrate
eq "... and once granted, it migrates (exit 0)" "$rc" 0
dropdb hardened_db

PGDATABASE=owned_db as loader_u run import "$fixtures"
eq "... and the loader imports into it (exit 0)" "$rc" 0
eq "... everything" "$(PGDATABASE=owned_db q "SELECT count(*) FROM is248.report_history")" \
   "$(reports_in $(find "$fixtures" -name '*.xml'))"

# --- the reader ------------------------------------------------------------------
# exactly these relations, no other: a grant added by mistake fails here
rels() {  # rels ROLE PRIVILEGES: the relations of is248 ROLE has any of them on
    q "SELECT string_agg(c.relname, ' ' ORDER BY c.relname) FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'is248' AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
         AND has_table_privilege('$1', c.oid, '$2')"
}
eq "the reader may read the views, the size classes and the catalogues, nothing else" \
   "$(rels is248_reader SELECT)" \
   "answer_code answer_current answer_label code_list county_year coverage expected_unit import_summary indicator indicator_column missing_report open_rejection question question_column rejection_summary report_current report_history schema_version size_class trend_ips_se trend_nav_collab trend_nav_rating unit_lineage warning_summary"
eq "... and write none" "$(rels is248_reader 'INSERT,UPDATE,DELETE,TRUNCATE,REFERENCES,TRIGGER')" ""
eq "the loader may read the schema version and insert into the stage, nothing else" \
   "$(rels is248_loader 'SELECT,INSERT,UPDATE,DELETE,TRUNCATE,REFERENCES,TRIGGER')" "schema_version stage"
fns() {  # fns ROLE: the functions of is248 ROLE may call
    q "SELECT string_agg(p.proname, ' ' ORDER BY p.proname) FROM pg_proc p
       JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname = 'is248' AND has_function_privilege('$1', p.oid, 'EXECUTE')"
}
eq "the reader may call the trend functions, answer_decide() (behind answer_current), answer_fold() (and answer_decomposed(), which it calls), export_reports() and reason_class(), nothing else" "$(fns is248_reader)" \
   "answer_decide answer_decomposed answer_fold export_reports reason_class trend_ips_se_filtered trend_nav_collab_filtered trend_nav_rating_filtered trend_number_filtered trend_question_filtered"
eq "the loader may call the run's, the merge's and the deliveries' functions, nothing else" "$(fns is248_loader)" \
   "delivery_begin delivery_end delivery_pieces delivery_read merge_batch run_begin run_end"
for view in report_current report_history trend_nav_collab trend_nav_rating trend_ips_se \
            unit_lineage coverage missing_report schema_version import_summary \
            question answer_code answer_current; do
    got=$(qa reader_u "SELECT count(*) > 0 FROM is248.$view")
    eq "the reader reads is248.$view" "$got" t
done
for call in "is248.trend_question_filtered('nav_collab')" "is248.trend_number_filtered('man_years')"; do
    got=$(qa reader_u "SELECT count(*) > 0 FROM $call")
    eq "the reader calls $call" "$got" t
done
got=$(qa loader_u "SELECT 1 FROM is248.answer_current LIMIT 1")
contains "the loader may not read answer_current" "$got" "permission denied for view answer_current"
got=$(qa loader_u "SELECT 1 FROM is248.answer_decide() LIMIT 1")
contains "... nor call answer_decide()" "$got" "permission denied for function answer_decide"
got=$(qa loader_u "UPDATE is248.question SET first_year = 2030")
contains "... nor change the catalogue of the form" "$got" "permission denied for table question"
for table in report source_file rejection warning skipped_entry import_run municipality stage; do
    got=$(qa reader_u "SELECT 1 FROM is248.$table LIMIT 1")
    contains "the reader may not read is248.$table" "$got" "permission denied for table $table"
done
got=$(qa reader_u "SELECT 1 FROM is248.answer LIMIT 1")
contains "the reader may not read the raw answers (is248.answer)" "$got" "permission denied for view answer"
got=$(qa reader_u "SELECT * FROM is248.merge_batch(1, '{}', '{}', '{}', '{}', '{}', '{}')")
contains "the reader may not call merge_batch" "$got" "permission denied for function merge_batch"
got=$(qa reader_u "INSERT INTO is248.stage (kind) VALUES ('s')")
contains "the reader may not write the stage" "$got" "permission denied for table stage"
got=$(qa reader_u "INSERT INTO is248.import_run (command) VALUES ('x')")
contains "the reader may not write" "$got" "permission denied"
got=$(qa reader_u "CREATE VIEW is248.mine AS SELECT 1")
contains "the reader may not create" "$got" "permission denied for schema is248"

as reader_u run import --json-summary "$WORK/reader.json" "$fixtures"
eq "the reader cannot import: a configuration error (exit 2)" "$rc" 2
eq "... said once, naming the login and the role it lacks" "$err" \
   "is248: error: the login 'reader_u' may not import: it is not a member of is248_loader (docs/operator-guide.md, \"The database and its roles\")"
contains "... in the JSON summary too" "$(cat "$WORK/reader.json")" '"status": "configuration"'
eq "... and nothing was added" "$(q "SELECT count(*) FROM is248.import_run")" 1
as reader_u run migrate
eq "the reader cannot migrate (exit 2)" "$rc" 2
q "CREATE ROLE stranger LOGIN" >/dev/null
PGUSER=stranger run status
eq "a login in neither role: exit 2" "$rc" 2
contains "... saying which role it lacks" "$err" "the login 'stranger' may not read is248's figures: it is not a member of is248_reader"
PGUSER=stranger run import "$fixtures"
contains "... or, to import" "$err" "the login 'stranger' may not import: it is not a member of is248_loader"

finish
