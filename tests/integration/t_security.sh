#!/usr/bin/env bash
# The trust boundary of the database (issue 11, docs/security.md): a login
# in is248_loader, used as an attacker would, cannot run code as another
# role, change or delete what is loaded, make a file count as loaded without
# its bytes, or place a report outside the checks.  Each attack of the issue
# and its variants runs in one psql session as the loader, against a
# database owned by a superuser and one owned by a role that is no
# superuser; after each, the loader is still no superuser, everything
# loaded before is as it was, and what the attack tried to add is not
# there (or was refused and recorded as such).
. "$(dirname "$0")/lib.sh"

fixtures="$SRC/fixtures/delivery"
main_db=$PGDATABASE
loader=t_sec_loader owner=t_sec_owner reader=t_sec_reader
dropdb --if-exists t_security_owned >/dev/null 2>&1
for r in $loader $reader $owner; do
    q "DO \$\$BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$r') THEN
         EXECUTE 'DROP OWNED BY $r'; EXECUTE 'DROP ROLE $r'; END IF; END\$\$" >/dev/null
done
run migrate       # the roles exist once a migrate has run in the cluster
q "CREATE ROLE $loader LOGIN IN ROLE is248_loader;
   CREATE ROLE $reader LOGIN IN ROLE is248_reader;
   CREATE ROLE $owner LOGIN" >/dev/null

# as_loader SQL: run SQL in one session as the loader; errors do not stop
# it; prints what psql prints (rows and errors)
as_loader() { printf '%s\n' "$1" | psql -X -A -t -q -U "$loader" -v ON_ERROR_STOP=0 2>&1; }
as_reader() { printf '%s\n' "$1" | psql -X -A -t -q -U "$reader" -v ON_ERROR_STOP=0 2>&1; }

# state: everything loaded, as one digest (reports with their raw answers,
# files, rejections, warnings)
db_state() {
    q "SELECT md5(string_agg(x, E'\n' ORDER BY x)) FROM (
         SELECT format('%s', r) AS x FROM is248.report r
         UNION ALL SELECT format('%s', f) FROM is248.source_file f
         UNION ALL SELECT format('%s', j) FROM is248.rejection j
         UNION ALL SELECT format('%s', w) FROM is248.warning w) t"
}
superuser() { q "SELECT rolsuper FROM pg_roles WHERE rolname = '$loader'"; }

# The session preamble of an attacker who imports: the lock, a run of its
# own (:run), the way is248 does it.
begin_run="SELECT pg_advisory_lock(1230188084, 2);
SELECT run_id AS run FROM is248.run_begin('attack') \\gset
BEGIN;"

# A report row of the stage that passes every check, for file 0: unit,
# year, population, size class, submitted as given.
good_row() {  # good_row UNIT YEAR POP CLASS SUBMITTED [INDEX]
    printf "INSERT INTO is248.stage (kind, file_no, report_index, version, year, unit_code, unit_type, county_code, population, size_class, submitted_at, submission_id, digest, nav_collab, answers) VALUES ('r', 0, %s, 2, %s, '%s', '%s', '%s', %s, %s, '%s', 'x', sha256('%s%s%s'::bytea), 'yes', E'\\\\x1f21\\\\x1fARB_NAV_SAMARBEID\\\\x1f1\\\\x1fJa');" \
        "${6:-1}" "$2" "$1" "$([ ${#1} = 6 ] && echo bydel || echo kommune)" "${1:0:2}" "$3" "$4" "$5" "$1" "$2" "$5"
}
# merge ONE FILE's CONTENT as the only file of a batch, claiming it was read
# whole: the SHA-256 is the content's, so the merge takes it
merge_one() {  # merge_one CONTENT
    printf "SELECT outcome, reports_loaded, reports_rejected, conflicts FROM is248.merge_batch(:run, ARRAY['attack.xml'], ARRAY[''], ARRAY[sha256('%s'::bytea)], ARRAY[%d]::bigint[], ARRAY['%s'::bytea], ARRAY[NULL]::text[]);" "$1" "${#1}" "$1"
}

attacks() {  # attacks LABEL (the database is PGDATABASE)
    local L=$1 before got
    PGUSER=$loader run import "$fixtures"
    eq "$L: the fixtures import as the loader (exit 0)" "$rc" 0
    before=$(db_state)
    local reports
    reports=$(q "SELECT count(*) FROM is248.report")

    # --- 1. code as the owner through the merge's reading of the caller's objects
    got=$(as_loader "$begin_run
CREATE FUNCTION pg_temp.pwn() RETURNS bool LANGUAGE plpgsql AS
  \$\$BEGIN EXECUTE 'ALTER ROLE $loader SUPERUSER'; RETURN true; END\$\$;
CREATE TEMP VIEW is248_stage AS SELECT * FROM is248.report WHERE pg_temp.pwn();
CREATE TEMP VIEW stage AS SELECT 'r'::\"char\" AS kind WHERE pg_temp.pwn();
CREATE TEMP VIEW report AS SELECT 1 AS report_id WHERE pg_temp.pwn();
CREATE TEMP VIEW source_file AS SELECT 1 AS file_id WHERE pg_temp.pwn();
CREATE TEMP VIEW municipality AS SELECT 1 AS year WHERE pg_temp.pwn();
CREATE TEMP VIEW size_class AS SELECT 'x' AS label WHERE pg_temp.pwn();
CREATE TEMP VIEW import_run AS SELECT 1 AS run_id WHERE pg_temp.pwn();
CREATE TEMP TABLE oslo_district (code text);
CREATE FUNCTION pg_temp.sha256(bytea) RETURNS bytea LANGUAGE sql AS 'SELECT pg_temp.pwn()::text::bytea';
CREATE FUNCTION pg_temp.now() RETURNS timestamptz LANGUAGE sql AS 'SELECT CASE WHEN pg_temp.pwn() THEN now() END';
CREATE FUNCTION pg_temp.textlt(text, text) RETURNS bool LANGUAGE sql AS 'SELECT pg_temp.pwn()';
CREATE OPERATOR pg_temp.= (LEFTARG = text, RIGHTARG = text, FUNCTION = pg_temp.textlt);
SET search_path = pg_temp, is248, public;
$(good_row 0301 2025 1 "'50000+'" 2099-01-01 1)
$(good_row 5001 2024 214565 "'50000+'" 2025-02-01 2)
$(merge_one 'a batch')
COMMIT;
SELECT rolsuper FROM pg_roles WHERE rolname = current_user;")
    eq "$L: temporary views, functions and an operator named as the merge's objects: still no superuser" "$(superuser)" f
    contains "$L: ... the merge read its own objects and ran" "$got" "loaded|1|1|"
    eq "$L: ... nothing loaded before changed" \
       "$(q "SELECT count(*) FROM is248.report WHERE file_id <= (SELECT max(file_id) FROM is248.source_file WHERE source <> 'attack.xml')")" "$reports"
    eq "$L: ... the crafted report (0301 as a municipality, population 1 in 50000+, submitted in 2099) was refused" \
       "$(q "SELECT count(*) FROM is248.report WHERE unit_code = '0301'") $(q "SELECT reason FROM is248.rejection WHERE unit_code = '0301'")" \
       "0 refused by the database: unit 0301 (kommune) is not a unit that reports in 2025"
    eq "$L: ... the valid one of the attacker's batch is in, as a report like any other" \
       "$(q "SELECT unit_code, size_class FROM is248.report r JOIN is248.source_file f USING (file_id) WHERE f.source = 'attack.xml'")" "5001|50000+"
    q "DELETE FROM is248.report WHERE file_id IN (SELECT file_id FROM is248.source_file WHERE source = 'attack.xml');
       DELETE FROM is248.rejection WHERE source = 'attack.xml'; DELETE FROM is248.warning WHERE source = 'attack.xml';
       DELETE FROM is248.source_file WHERE source = 'attack.xml'" >/dev/null
    eq "$L: (the owner removes what the attacker added)" "$(db_state)" "$before"

    # --- 2. every rule of the checks, one report each
    local rules=(
        "0301;2025;700000;'50000+';2025-03-01|unit 0301 (kommune) is not a unit that reports in 2025"
        "1601;2019;190000;'50000+';2020-03-01|unit 1601 (kommune) is not a unit that reports in 2019"
        "5001;2024;1;'50000+';2025-03-01|size class 50000+ is not that of a kommune of population 1"
        "5001;2024;214565;NULL;2025-03-01|size class NULL is not that of a kommune of population 214565"
        "5001;2024;214565;'50000+';2099-01-01|submission time 2099-01-01T00:00:00Z is in the future"
        "5001;2024;214565;'50000+';2010-03-01|submission time 2010-03-01T00:00:00Z is before the reporting year 2024 began"
        "5001;2024;214565;'50000+';2023-12-31T22:30:00+00|submission time 2023-12-31T22:30:00Z is before the reporting year 2024 began"
        "030199;2024;1000;'Oslo bydel';2025-03-01|unit 030199 (bydel) is not a unit that reports in 2024"
        "030101;2024;1000;'<2000';2025-03-01|size class <2000 is not that of a bydel of population 1000"
        "5001;2024;0;NULL;2025-03-01|population 0 is out of range"
    )
    local i=0 rule sql unit year pop class when
    sql="$begin_run"
    for rule in "${rules[@]}"; do
        i=$((i + 1))
        IFS=';' read -r unit year pop class when <<<"${rule%%|*}"
        sql="$sql
$(good_row "$unit" "$year" "$pop" "$class" "$when" $i)"
    done
    local cols="kind, file_no, report_index, version, year, unit_code, unit_type, county_code, population, size_class, submitted_at, submission_id, digest, answers"
    sql="$sql
INSERT INTO is248.stage ($cols) VALUES ('r', 0, 90, 2, 2024, '5001', 'kommune', '50', 214565, '50000+', '2025-03-01', NULL, sha256('x'), '');
INSERT INTO is248.stage ($cols) VALUES ('r', 0, 91, 1, 2019, '5001', 'kommune', '50', 214565, '50000+', '2020-03-01', NULL, sha256('x'), '');
INSERT INTO is248.stage ($cols) VALUES ('r', 0, 92, 2, 2024, '5001', 'kommune', '46', 214565, '50000+', '2025-03-01', 'x', sha256('x'), '');
INSERT INTO is248.stage ($cols) VALUES ('r', 0, 93, 2, 2024, '5001', 'kommune', '50', 214565, '50000+', '2025-03-01', 'x', '\\x00', '');
INSERT INTO is248.stage ($cols, nav_collab_specialist) VALUES ('r', 0, 94, 1, 2015, '1601', 'kommune', '16', 190000, '50000+', '2016-03-01', NULL, sha256('x'), '', 'yes');
INSERT INTO is248.stage ($cols, ips_se_mental_health, ips_mental_health, se_mental_health) VALUES ('r', 0, 95, 2, 2024, '5001', 'kommune', '50', 214565, '50000+', '2025-03-01', 'x', sha256('x'), '', 'yes', false, false);
INSERT INTO is248.stage ($cols, ips_se_substance, ips_substance) VALUES ('r', 0, 96, 1, 2017, '1601', 'kommune', '16', 190000, '50000+', '2018-03-01', NULL, sha256('x'), '', 'yes', true);
INSERT INTO is248.stage ($cols) VALUES ('r', 0, 97, 2, 2024, '5001', 'kommune', '50', 214565, '50000+', '2025-03-01', 'x', sha256('y'), NULL);
$(merge_one 'the rules')
COMMIT;"
    got=$(as_loader "$sql")
    contains "$L: a batch breaking each rule once: merged" "$got" "loaded|0|"
    eq "$L: ... no report of it is in" \
       "$(q "SELECT count(*) FROM is248.report r JOIN is248.source_file f USING (file_id) WHERE f.source = 'attack.xml'")" 0
    local want="" r
    for r in "${rules[@]}"; do want="$want${want:+
}refused by the database: ${r#*|}"; done
    want="$want
refused by the database: a submission id belongs to version 2 and only there
refused by the database: version 1 is not the form of 2019
refused by the database: county 46 is not that of unit 5001
refused by the database: the digest is not a SHA-256
refused by the database: a question not on the 2015 form is answered
refused by the database: IPS or SE does not agree with IPS and SE
refused by the database: IPS and SE told apart in version 1
refused by the database: a required column is missing"
    eq "$L: ... each refused, with the rule it broke" \
       "$(q "SELECT reason FROM is248.rejection WHERE source = 'attack.xml' AND reason LIKE 'refused%' ORDER BY report_index, rejection_id")" "$want"
    q "DELETE FROM is248.rejection WHERE source = 'attack.xml'; DELETE FROM is248.warning WHERE source = 'attack.xml';
       DELETE FROM is248.source_file WHERE source = 'attack.xml'" >/dev/null
    eq "$L: ... nothing else changed" "$(db_state)" "$before"

    # a report sent twice, or set aside and sent all the same: the batch is
    # refused whole
    got=$(as_loader "$begin_run
INSERT INTO is248.stage ($cols) VALUES ('r', 0, 99, 2, 2024, '5001', 'kommune', '50', 214565, '50000+', '2025-03-03', 'x', sha256('z'), ''), ('r', 0, 99, 2, 2024, '5001', 'kommune', '50', 214565, '50000+', '2025-03-04', 'x', sha256('z'), '');
$(merge_one 'twice')
ROLLBACK;
BEGIN;
INSERT INTO is248.stage (kind, file_no, report_index, level, reason) VALUES ('p', 0, 98, 'report', 'set aside by the loader');
INSERT INTO is248.stage ($cols) VALUES ('r', 0, 98, 2, 2024, '5001', 'kommune', '50', 214565, '50000+', '2025-03-02', 'x', sha256('z'), '');
$(merge_one 'set aside and sent')
ROLLBACK;")
    eq "$L: a report sent twice, or set aside and sent: the batch refused" \
       "$(grep -c "was sent twice, or set aside and sent all the same" <<<"$got")" 2
    eq "$L: ... nothing changed" "$(db_state)" "$before"

    # --- 3. a future file counted as loaded without its bytes
    local future="$SRC/fixtures/defects/corrections/1106-b-corrected.xml" fsha
    fsha=$(sha256sum "$future" | cut -d' ' -f1)
    got=$(as_loader "$begin_run
COMMIT;
INSERT INTO is248.source_file (run_id, source, entry, sha256, outcome) VALUES (:run, 'x', '', '\\x$fsha', 'loaded');
SELECT * FROM is248.merge_batch(:run, ARRAY['x'], ARRAY[''], ARRAY['\\x$fsha'::bytea], ARRAY[10]::bigint[], ARRAY['other bytes'::bytea], ARRAY[NULL]::text[]);
SELECT * FROM is248.merge_batch(:run, ARRAY['x'], ARRAY[''], ARRAY['\\x$fsha'::bytea], ARRAY[10]::bigint[], ARRAY[NULL]::bytea[], ARRAY[NULL]::text[]);
SELECT outcome FROM is248.merge_batch(:run, ARRAY['x'], ARRAY[''], ARRAY['\\x$fsha'::bytea], ARRAY[10]::bigint[], ARRAY[NULL]::bytea[], ARRAY['set aside, they say']);")
    contains "$L: INSERT into is248.source_file: refused" "$got" "permission denied for table source_file"
    contains "$L: a SHA-256 given with other bytes, or without bytes: refused" "$got" "its bytes were not sent, or their SHA-256 is not the one given"
    eq "$L: ... twice" "$(grep -c "its bytes were not sent" <<<"$got")" 2
    contains "$L: a file said to be set aside is recorded as such, and only as such" "$got" "rejected"
    eq "$L: ... the future file's SHA-256 is not loaded" \
       "$(q "SELECT count(*) FROM is248.source_file WHERE sha256 = '\\x$fsha' AND outcome = 'loaded'")" 0
    PGUSER=$loader run import "$future"
    eq "$L: ... so the future file loads when it comes (exit 0)" "$rc" 0
    contains "$L: ... with its report, new" "$err" "loaded: 1 report(s) new, 0 unchanged"
    q "DELETE FROM is248.report WHERE file_id IN (SELECT file_id FROM is248.source_file WHERE source = '$future');
       DELETE FROM is248.rejection WHERE source IN ('x', '$future'); DELETE FROM is248.warning WHERE source IN ('x', '$future');
       DELETE FROM is248.source_file WHERE source IN ('x', '$future')" >/dev/null
    eq "$L: ... (and nothing else changed)" "$(db_state)" "$before"

    # --- 3b. a future delivery counted as read whole without its bytes
    local dsha later="$SRC/fixtures/defects/corrections/1106-c-earlier.xml"
    dsha=$(python3 -c "import hashlib,sys; d=open(sys.argv[1],'rb').read(); print(hashlib.sha256(hashlib.sha256(d).digest()).hexdigest())" "$later")
    got=$(as_loader "$begin_run
COMMIT;
SELECT is248.delivery_begin(:run, 'future.zip', $(stat -c %s "$later")) AS d \\gset
SELECT is248.delivery_end(:d, '\\x$dsha');
SELECT is248.delivery_pieces(:d, 0, ARRAY['other bytes'::bytea]);
SELECT is248.delivery_end(:d, '\\x$dsha');
INSERT INTO is248.delivery (run_id, source, bytes, reference_sha256, digest, completed_at) VALUES (:run, 'x', 1, '', '\\x$dsha', now());
SELECT count(*) FROM is248.delivery_read(:run, 'x', '\\x$dsha');")
    eq "$L: a delivery's digest without its pieces, or with other bytes: refused twice" \
       "$(grep -c "the pieces sent are not the delivery given" <<<"$got")" 2
    contains "$L: ... writing is248.delivery: refused" "$got" "permission denied for table delivery"
    eq "$L: ... so no run has read it" "$(q "SELECT count(*) FROM is248.delivery WHERE digest = '\\x$dsha'")" 0
    PGUSER=$loader run import "$later"
    contains "$L: ... and it is read when it comes" "$err" "loaded: 1 report(s) new"
    q "DELETE FROM is248.report WHERE file_id IN (SELECT file_id FROM is248.source_file WHERE source = '$later');
       DELETE FROM is248.rejection WHERE source = '$later'; DELETE FROM is248.warning WHERE source = '$later';
       DELETE FROM is248.source_file WHERE source = '$later'" >/dev/null
    got=$(as_loader "SELECT is248.delivery_begin(1, 'x', 1);
SELECT * FROM is248.delivery_read(1, 'x', '\\x00');")
    eq "$L: deliveries of another session's run: refused" \
       "$(grep -c "run 1 is not an import running in this session" <<<"$got")" 2
    q "DELETE FROM is248.delivery_piece; DELETE FROM is248.delivery" >/dev/null
    eq "$L: ... (and nothing else changed)" "$(db_state)" "$before"

    # --- 4. the merge's own parameters and the sequences
    got=$(as_loader "$begin_run
COMMIT;
SELECT setval('is248.report_report_id_seq', 9223372036854775806);
SELECT nextval('is248.report_report_id_seq');
BEGIN;
INSERT INTO is248.stage (kind, file_no, report_index, version, year, unit_code, unit_type, county_code, population, size_class, submitted_at, submission_id, digest, answers) VALUES ('r', 999, 2147483647, 2, 2024, '5001', 'kommune', '50', 214565, '50000+', '2025-03-01', 'x', sha256('x'), '');
SAVEPOINT s;
SELECT outcome, reports_loaded FROM is248.merge_batch(:run, ARRAY['a', 'b'], ARRAY[''], ARRAY[sha256('a')], ARRAY[1]::bigint[], ARRAY['a'::bytea], ARRAY[NULL]::text[]);
ROLLBACK TO SAVEPOINT s;
SELECT outcome, reports_loaded FROM is248.merge_batch(:run, ARRAY['a'], ARRAY[''], ARRAY[sha256('a')], ARRAY[1]::bigint[], ARRAY['a'::bytea], ARRAY[NULL]::text[]);
COMMIT;")
    contains "$L: setval on the report ids: refused" "$got" "permission denied for sequence report_report_id_seq"
    eq "$L: ... the report ids go on" "$(q "SELECT last_value < 1000000 FROM is248.report_report_id_seq")" t
    contains "$L: arrays of different lengths: refused" "$got" "the arrays of files differ in length"
    contains "$L: a report staged for a file that is not in the batch: never read" "$got" "loaded|0"
    q "DELETE FROM is248.source_file WHERE source = 'a'" >/dev/null
    eq "$L: ... nothing else changed" "$(db_state)" "$before"

    # --- 5. an existing report re-sent: unchanged or a conflict, never replaced
    local one
    one=$(q "SELECT format('%s|%s|%s|%s', unit_code, year, submitted_at AT TIME ZONE 'UTC', encode(digest, 'hex')) FROM is248.report WHERE unit_code = '5001' AND year = 2024")
    IFS='|' read -r u y t d <<<"$one"
    got=$(as_loader "$begin_run
INSERT INTO is248.stage (kind, file_no, report_index, version, year, unit_code, unit_type, county_code, population, size_class, submitted_at, submission_id, digest, answers) VALUES
  ('r', 0, 1, 2, $y, '$u', 'kommune', '50', 214565, '50000+', '$t+00', 'x', '\\x$d', ''),
  ('r', 0, 2, 2, $y, '$u', 'kommune', '50', 214565, '50000+', '$t+00', 'x', sha256('other'), 'other');
$(merge_one 'resent')
COMMIT;")
    contains "$L: the same key and digest: unchanged; another digest: a conflict; the report loaded first stays" "$got" "loaded|0|1|report 2 ($u $y): report set aside: conflicts with the report for $u $y"
    q "DELETE FROM is248.rejection WHERE source = 'attack.xml'; DELETE FROM is248.source_file WHERE source = 'attack.xml'" >/dev/null
    eq "$L: ... nothing changed" "$(db_state)" "$before"

    # --- 6. rows left in the stage, and rows of other transactions
    got=$(as_loader "INSERT INTO is248.stage (xact, kind) VALUES ('1'::xid8, 'r');
$(good_row 5001 2024 214565 "'50000+'" 2025-04-01 1)
$(good_row 5001 2024 214565 "'50000+'" 2025-04-02 2)")
    contains "$L: a stage row with another transaction's id: refused" "$got" "violates check constraint"
    eq "$L: ... the rows committed without a merge stay in the stage" "$(q "SELECT count(*) FROM is248.stage")" 2
    PGUSER=$loader run import "$SRC/fixtures/defects/corrections/1106-a.xml"
    eq "$L: ... the next import (exit 0)" "$rc" 0
    eq "$L: ... never reads them: none is loaded" \
       "$(q "SELECT count(*) FROM is248.report WHERE submitted_at::date IN ('2025-04-01', '2025-04-02')")" 0
    eq "$L: ... and empties the stage" "$(q "SELECT count(*) FROM is248.stage")" 0
    got=$(as_loader "SELECT count(*) FROM is248.stage; DELETE FROM is248.stage; TRUNCATE is248.stage; UPDATE is248.stage SET kind = 'r';")
    eq "$L: the loader may only insert into the stage" "$(grep -c 'permission denied for table stage' <<<"$got")" 4
    before=$(db_state)

    # --- 7. runs, the lock and other sessions
    got=$(as_loader "SELECT * FROM is248.run_begin('no lock');
SELECT * FROM is248.merge_batch(1, '{}', '{}', '{}', '{}', '{}', '{}');
SELECT is248.run_end(1, 'ok');")
    contains "$L: a run without the import lock: refused" "$got" "this session does not hold the import lock"
    contains "$L: merging into another session's run: refused" "$got" "run 1 is not an import running in this session"
    got=$(as_loader "$begin_run
SELECT is248.run_end(:run, 'ok');
COMMIT;
SELECT is248.run_end(:run, 'ok');")
    contains "$L: ending a run twice: refused" "$got" "is not an import running in this session"
    got=$(as_loader "SELECT pg_advisory_lock(1230188084, 2);
SELECT * FROM is248.merge_batch(1, '{}', '{}', '{}', '{}', '{}', '{}');")
    contains "$L: merging with the lock into an old run: refused" "$got" "run 1 is not an import running in this session"
    eq "$L: ... nothing changed" "$(db_state)" "$before"

    # --- 8. the raw answers, the history, the schema
    got=$(as_loader "INSERT INTO is248.answer VALUES (1, 0, NULL, NULL, 'x', NULL, 'y');
UPDATE is248.report SET answers = '';
DELETE FROM is248.report;
TRUNCATE is248.report;
ALTER TABLE is248.stage DISABLE TRIGGER ALL;
SET session_replication_role = replica;
CREATE TABLE is248.stage2 (i int);")
    eq "$L: raw answers, reports, the schema: every change refused" \
       "$(grep -c -E 'permission denied|must be owner|cannot insert into view' <<<"$got")" 7
    eq "$L: ... nothing changed" "$(db_state)" "$before"

    # --- 9. the reader's functions run as the owner too
    got=$(as_reader "CREATE FUNCTION pg_temp.pwn() RETURNS bool LANGUAGE plpgsql AS
  \$\$BEGIN EXECUTE 'ALTER ROLE $reader SUPERUSER'; RETURN true; END\$\$;
CREATE TEMP VIEW report_current_full AS SELECT * FROM is248.report_current WHERE pg_temp.pwn();
CREATE TEMP VIEW size_class AS SELECT 'x' AS label, 1 AS ord WHERE pg_temp.pwn();
CREATE TEMP VIEW county AS SELECT '46' AS code, 'x' AS name, 2000 AS first_year, NULL::int AS last_year WHERE pg_temp.pwn();
CREATE TEMP VIEW unit_county AS SELECT 2024 AS year, '4601' AS unit_code, '46' AS county_code WHERE pg_temp.pwn();
CREATE TEMP VIEW question AS SELECT * FROM is248.question WHERE pg_temp.pwn();
CREATE TEMP VIEW answer_code AS SELECT * FROM is248.answer_code WHERE pg_temp.pwn();
CREATE TEMP VIEW code_list AS SELECT * FROM is248.code_list WHERE pg_temp.pwn();
CREATE TEMP VIEW answer_label AS SELECT * FROM is248.answer_label WHERE pg_temp.pwn();
CREATE TEMP VIEW answer AS SELECT 1::bigint AS report_id, 0 AS seq, NULL::int AS parent_seq, 'x' AS question, 'x' AS code, 'x' AS text WHERE pg_temp.pwn();
CREATE TEMP VIEW report AS SELECT 1::bigint AS report_id, ''::text AS answers WHERE pg_temp.pwn();
CREATE FUNCTION pg_temp.answer_fold(text) RETURNS text LANGUAGE sql AS 'SELECT CASE WHEN pg_temp.pwn() THEN \$1 END';
CREATE FUNCTION pg_temp.answer_label_fold(text) RETURNS text LANGUAGE sql AS 'SELECT CASE WHEN pg_temp.pwn() THEN \$1 END';
CREATE FUNCTION pg_temp.btrim(text, text) RETURNS text LANGUAGE sql AS 'SELECT CASE WHEN pg_temp.pwn() THEN \$1 END';
CREATE FUNCTION pg_temp.texteq(text, text) RETURNS bool LANGUAGE sql AS 'SELECT pg_temp.pwn()';
CREATE OPERATOR pg_temp.= (LEFTARG = text, RIGHTARG = text, FUNCTION = pg_temp.texteq);
CREATE OPERATOR pg_temp.~ (LEFTARG = text, RIGHTARG = text, FUNCTION = pg_temp.texteq);
SET search_path = pg_temp, is248;
SELECT count(*) FROM is248.trend_nav_collab_filtered(years => '{2024}');
SELECT count(*) FROM is248.export_reports(years => '{2024}', counties => '{46}');
SELECT count(*) FROM is248.answer_current;
SELECT count(*) FROM is248.trend_question_filtered('nav_collab', years => '{2024}', counties => '{46}');
SELECT count(*) FROM is248.trend_number_filtered('man_years', years => '{2024}');")
    eq "$L: the reader's temporary views, functions and operators named as the trend, answer and export functions' objects: no superuser" \
       "$(q "SELECT rolsuper FROM pg_roles WHERE rolname = '$reader'")" f
    eq "$L: ... and the trends and the export as they are" "$got" \
       "$(q "SELECT count(*) FROM is248.trend_nav_collab WHERE year = 2024")
$(q "SELECT count(*) FROM is248.export_reports(years => '{2024}', counties => '{46}')")
$(q "SELECT count(*) FROM is248.answer_current")
$(q "SELECT count(*) FROM is248.trend_question_filtered('nav_collab', years => '{2024}', counties => '{46}')")
$(q "SELECT count(*) FROM is248.trend_number_filtered('man_years', years => '{2024}')")"

    eq "$L: the loader is no superuser at the end" "$(superuser)" f
}

# --- a database owned by a superuser (the README's quick start) -------------------
attacks "owned by postgres"

# --- a database owned by a role that is no superuser (the operator guide) ---------
export PGDATABASE=t_security_owned
dropdb --if-exists "$PGDATABASE" >/dev/null 2>&1
createdb -O "$owner" "$PGDATABASE"
PGUSER=$owner run migrate
eq "an owner that is no superuser migrates (exit 0)" "$rc" 0
attacks "owned by $owner"
dropdb "$PGDATABASE"
export PGDATABASE=$main_db
for r in $loader $reader $owner; do q "DROP OWNED BY $r; DROP ROLE $r" >/dev/null; done
finish
