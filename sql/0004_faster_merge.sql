-- 0004: no foreign key from the answers to their reports, and the loader
-- writes reports only through is248.merge_file().
--
-- The foreign key from is248.answer to is248.report cost a third of an
-- import: PostgreSQL checks it row by row, one index lookup per answer.
-- It guarded against one writer only, is248.merge_file(), which inserts a
-- report in the statement that decides it.  So the key goes, and that
-- guarantee is made a privilege instead: merge_file() runs as its owner
-- and the loader may no longer insert into is248.report itself.  The
-- merge itself is redefined, once, in 0007 (raw answers straight in).
--
-- Also: the test "these bytes were loaded before" is one function,
-- is248.loaded_from(), used by merge_file() and by the loader's look-up of
-- a file before reading it (load/loader.c, loader_file_known()).

alter table is248.answer drop constraint answer_report_id_fkey;

-- What the key's ON DELETE CASCADE did, for an owner who deletes reports
-- or truncates the tables to start over, costs nothing on insert: the
-- answers follow their reports, once per statement.
create function is248.answers_follow_reports() returns trigger
language plpgsql
set search_path = pg_catalog, pg_temp
as $follow$
begin
    if tg_op = 'TRUNCATE' then
        truncate is248.answer;
    else
        delete from is248.answer a using gone g where a.report_id = g.report_id;
    end if;
    return null;
end
$follow$;

comment on function is248.answers_follow_reports() is
    'Trigger: deleting or truncating reports deletes their answers (what the '
    'foreign key''s ON DELETE CASCADE did before migration 0004).';

create trigger answers_follow_deleted_reports
    after delete on is248.report
    referencing old table as gone
    for each statement execute function is248.answers_follow_reports();
create trigger answers_follow_truncated_reports
    after truncate on is248.report
    for each statement execute function is248.answers_follow_reports();

create function is248.loaded_from(p_sha bytea) returns text
language sql stable
set search_path = pg_catalog, pg_temp
as $$
    select f.source || case when f.entry <> '' then '!' || f.entry else '' end
      from is248.source_file f
     where f.sha256 = p_sha and f.outcome = 'loaded'
     limit 1
$$;

comment on function is248.loaded_from(bytea) is
    'Where the file with this SHA-256 was loaded from (source, or '
    'source!entry for an archive entry), or NULL when it has not been loaded.';


revoke insert on is248.report from is248_loader;
revoke all on function is248.loaded_from(bytea) from public;
grant execute on function is248.loaded_from(bytea) to is248_loader;
