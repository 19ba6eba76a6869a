-- 06_roles.sql - who may do what (docs/security.md).
--
--   is248_reader  reads the views (answer_current among them), the
--                 catalogues of the form and of the indicators and the size
--                 classes, and calls the trend functions (answer_decide(),
--                 behind answer_current, is one); no table of reports or
--                 runs, no raw answer.
--   is248_loader  imports: inserts into is248.stage and calls
--                 run_begin(), merge_batch() and run_end(); reads the
--                 schema's version; nothing else.  It writes no table the
--                 others read and draws from no sequence.
--   the owner     (whoever runs migrate) owns everything; the functions
--                 that run as the owner read only what the owner owns.
--
-- Logins are members of one of the two (operator guide, "The database and
-- its roles").  The roles are cluster-wide: created when missing; creating
-- them needs CREATEROLE, without it a superuser creates them first (as the
-- guide does).  Nothing here grants a role to a role: that would need
-- ADMIN OPTION on it (PostgreSQL 15: or CREATEROLE), which an owner that is
-- no superuser lacks; granting on the schema's objects needs only owning
-- them.

do $roles$
declare
    r text;
begin
    foreach r in array array['is248_reader', 'is248_loader'] loop
        if not exists (select 1 from pg_catalog.pg_roles where rolname = r) then
            begin
                execute pg_catalog.format('create role %I nologin', r);
            exception
            when unique_violation or duplicate_object then
                null;  -- a migrate of another database made it just now
            when insufficient_privilege then
                -- 42501 again: is248 migrate exits 2 (the set-up's to fix)
                raise exception 'cannot create role "%": %', r, sqlerrm
                    using errcode = 'insufficient_privilege',
                          hint = 'a superuser creates the roles first: sudo -u postgres psql '
                                 '-c ''CREATE ROLE is248_reader NOLOGIN'' '
                                 '-c ''CREATE ROLE is248_loader NOLOGIN'', '
                                 'then run is248 migrate again';
            end;
        end if;
    end loop;
end
$roles$;

revoke all on schema is248 from public;
revoke all on all tables in schema is248 from public;
revoke all on all sequences in schema is248 from public;
revoke all on all functions in schema is248 from public;

-- Readers: the views, and the functions behind the trend views.
grant usage on schema is248 to is248_reader;
grant select on is248.report_current, is248.report_history,
                is248.trend_nav_collab, is248.trend_nav_rating,
                is248.trend_ips_se, is248.unit_lineage, is248.expected_unit,
                is248.coverage, is248.missing_report, is248.import_summary,
                is248.rejection_summary, is248.schema_version,
                is248.size_class, is248.county_year, is248.indicator,
                is248.indicator_column, is248.answer_label,
                is248.question, is248.code_list, is248.answer_code,
                is248.question_column, is248.answer_current
   to is248_reader;
grant execute on function is248.trend_nav_collab_filtered(int[], text[], text[]),
                          is248.trend_nav_rating_filtered(int[], text[], text[]),
                          is248.trend_ips_se_filtered(int[], text[], text[]),
                          is248.export_reports(int[], text[], text[]),
                          is248.reason_class(text),
                          is248.trend_question_filtered(text, int[], text[], text[]),
                          is248.trend_number_filtered(text, int[], text[], text[]),
                          is248.answer_decide(text[], int[], text[], text[]),
                          is248.answer_fold(text),
                          -- answer_fold() runs as its caller and calls it
                          is248.answer_decomposed(text)
   to is248_reader;

-- Loaders: the stage and the merge, and the version (is248 checks it).
grant usage on schema is248 to is248_loader;
grant select on is248.schema_version to is248_loader;
grant insert on is248.stage to is248_loader;
grant execute on function is248.run_begin(text),
                          is248.run_end(bigint, text),
                          is248.merge_batch(bigint, text[], text[], bytea[],
                                            bigint[], bytea[], text[]),
                          is248.delivery_read(bigint, text, bytea),
                          is248.delivery_begin(bigint, text, bigint),
                          is248.delivery_pieces(bigint, int, bytea[]),
                          is248.delivery_end(bigint, bytea)
   to is248_loader;

-- Readers see what is warned about and what is still set aside, grouped
-- or one row each, as status shows it; not the operators' tables.
grant select on is248.warning_summary, is248.open_rejection to is248_reader;
