-- 0004: a faster merge, and the loader writes reports and answers only
-- through it.
--
-- The foreign key from is248.answer to is248.report cost a third of an
-- import: PostgreSQL checks it row by row, one index lookup per answer.
-- It guarded against one writer only, is248.merge_file(), which inserts a
-- report and its answers in one statement, with ids it draws itself.  So
-- the key goes, and that guarantee is made a privilege instead:
-- merge_file() runs as its owner (SECURITY DEFINER, with a fixed
-- search_path) and the loader may no longer insert into is248.report or
-- is248.answer itself.  The loader's session grants the function's owner
-- SELECT on its temporary staging table (load/loader.c, STAGE_DDL).
--
-- Also: the test "these bytes were loaded before" is one function,
-- is248.loaded_from(), used by merge_file() and by the loader's look-up of
-- a file before reading it (load/loader.c, loader_file_known()); and the
-- merge counts what became of a file in two passes instead of seven.

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

create or replace function is248.merge_file(
    p_run    bigint,
    p_source text,
    p_entry  text,
    p_sha    bytea,
    p_bytes  bigint,
    out outcome           text,
    out reports_loaded    int,
    out reports_unchanged int,
    out reports_rejected  int,
    out answers_rejected  int,
    out warnings          int,
    out already_entry     text,
    out conflicts         text)
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $merge$
declare
    v_file bigint;
begin
    reports_loaded := 0;
    reports_unchanged := 0;
    reports_rejected := 0;
    answers_rejected := 0;
    warnings := 0;

    -- The same bytes loaded before: note the repeat, add nothing (its
    -- problems were recorded the first time).
    already_entry := is248.loaded_from(p_sha);
    if already_entry is not null then
        insert into is248.source_file (run_id, source, entry, sha256, bytes,
                                       outcome)
        values (p_run, p_source, p_entry, p_sha, p_bytes, 'already_loaded');
        outcome := 'already_loaded';
        return;
    end if;

    outcome := 'loaded';
    v_file := nextval('is248.source_file_file_id_seq'::regclass);

    -- One statement: decide every staged report, insert the new ones and
    -- their answers, record what was set aside and the file itself (the
    -- foreign keys are checked at the end of the statement, when the file
    -- row exists).
    --
    -- The staging table has no statistics, so the planner's row estimates
    -- for it are guesses.  The statement is written so that no join depends
    -- on them: new reports draw their ids here (nextval), and the ids and
    -- decisions reach the answers and problems of the same report through
    -- window functions over report_index, not through joins.  The one join
    -- left is the lookup of each staged report in is248.report, by its
    -- unique key.
    with decided as materialized (
        -- Compared with the report already in the database when there is
        -- one, else with the first of the file's reports with that key.
        select x.*,
               case when x.decision = 'new'
                    then nextval('is248.report_report_id_seq'::regclass)
               end as new_id
          from (select s.*,
                       case
                           when e.report_id is not null then
                               case when e.digest = s.digest then 'unchanged'
                                    else 'conflict' end
                           when s.rn = 1 then 'new'
                           when s.digest = s.first_digest then 'unchanged'
                           else 'conflict'
                       end as decision,
                       e.file_id as earlier_file
                  from (select st.*,
                               row_number() over w as rn,
                               first_value(st.digest) over w as first_digest,
                               first_value(st.report_index) over w
                                   as first_index
                          from pg_temp.is248_stage st
                         where st.kind = 'r'
                        window w as (partition by st.year, st.unit_code,
                                                  st.submitted_at
                                     order by st.report_index)) s
                  left join is248.report e
                         on e.year = s.year and e.unit_code = s.unit_code
                        and e.submitted_at = s.submitted_at) x
    ),
    linked as materialized (
        -- every other staged row with its report's id and decision
        select k.kind, k.report_index, k.seq, k.parent_seq, k.chapter,
               k.question, k.code, k.text, k.level, k.reason, k.year,
               k.unit_code,
               max(k.new_id) over p as report_id,
               max(k.decision) over p as decision
          from (select st.kind, st.report_index, st.seq, st.parent_seq,
                       st.chapter, st.question, st.code, st.text, st.level,
                       st.reason, st.year, st.unit_code,
                       null::bigint as new_id, null::text as decision
                  from pg_temp.is248_stage st
                 where st.kind <> 'r'
                union all
                select 'r', d.report_index, null, null, null, null, null,
                       null, null, null, null, null, d.new_id, d.decision
                  from decided d) k
        window p as (partition by k.report_index)
    ),
    -- two passes, one over each CTE (five subqueries used to scan them
    -- seven times)
    counts as (
        select (d.n_new)::int as n_new,
               (d.n_same)::int as n_same,
               (d.n_conflict + l.n_report_problems)::int as n_rejected,
               (l.n_answers)::int as n_answers,
               (l.n_warnings)::int as n_warnings
          from (select count(*) filter (where decision = 'new') as n_new,
                       count(*) filter (where decision = 'unchanged') as n_same,
                       count(*) filter (where decision = 'conflict')
                           as n_conflict
                  from decided) d,
               (select count(distinct report_index)
                           filter (where kind = 'p' and level = 'report')
                           as n_report_problems,
                       count(*) filter (where kind = 'p' and level = 'answer'
                                          and decision is distinct from
                                              'unchanged') as n_answers,
                       count(*) filter (where kind = 'w'
                                          and decision is distinct from
                                              'unchanged') as n_warnings
                  from linked
                 where kind in ('p', 'w')) l
    ),
    file_row as (
        insert into is248.source_file (file_id, run_id, source, entry, sha256,
                                       bytes, outcome, reports_loaded,
                                       reports_unchanged, reports_rejected,
                                       answers_rejected, warnings)
        select v_file, p_run, p_source, p_entry, p_sha, p_bytes, 'loaded',
               c.n_new, c.n_same, c.n_rejected, c.n_answers, c.n_warnings
          from counts c
        returning file_id
    ),
    new_report as (
        insert into is248.report (report_id, file_id, report_index, version,
                                  year, unit_code, unit_type, unit_name,
                                  county_code, population, size_class,
                                  submitted_at, submission_id, digest,
                                  nav_collab, nav_collab_specialist,
                                  nav_rating, ips_se_mental_health,
                                  ips_mental_health, se_mental_health,
                                  ips_se_substance, ips_substance,
                                  se_substance)
        select d.new_id, v_file, d.report_index, d.version,
               d.year, d.unit_code, d.unit_type, d.unit_name,
               d.county_code, d.population, d.size_class,
               d.submitted_at, d.submission_id, d.digest,
               d.nav_collab, d.nav_collab_specialist,
               d.nav_rating, d.ips_se_mental_health,
               d.ips_mental_health, d.se_mental_health,
               d.ips_se_substance, d.ips_substance,
               d.se_substance
          from decided d
         where d.decision = 'new'
    ),
    new_answer as (
        insert into is248.answer (report_id, seq, parent_seq, chapter,
                                  question, code, text)
        select l.report_id, l.seq, l.parent_seq, l.chapter, l.question,
               l.code, l.text
          from linked l
         where l.kind = 'a' and l.report_id is not null
    ),
    conflict as (
        select d.report_index, d.year, d.unit_code,
               format('conflicts with the report for %s %s submitted at %s %s: '
                      'same unit, year and submission time but other '
                      'content; the report loaded first is kept',
                      d.unit_code, d.year,
                      to_char(d.submitted_at at time zone 'UTC',
                              'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                      coalesce((select 'already loaded from ' || f.source ||
                                       case when f.entry <> ''
                                            then '!' || f.entry else '' end
                                  from is248.source_file f
                                 where f.file_id = d.earlier_file),
                               'given as report ' || d.first_index ||
                               ' of this file')) as reason
          from decided d
         where d.decision = 'conflict'
    ),
    new_rejection as (
        insert into is248.rejection (run_id, file_id, source, entry, sha256,
                                     report_index, year, unit_code, question,
                                     level, reason)
        select p_run, v_file, p_source, p_entry, p_sha,
               l.report_index, l.year, l.unit_code, l.question, l.level,
               l.reason
          from linked l
         where l.kind = 'p' and l.decision is distinct from 'unchanged'
        union all
        select p_run, v_file, p_source, p_entry, p_sha,
               c.report_index, c.year, c.unit_code, null, 'report', c.reason
          from conflict c
    ),
    new_warning as (
        insert into is248.warning (run_id, file_id, source, entry, sha256,
                                   report_index, year, unit_code, question,
                                   reason)
        select p_run, v_file, p_source, p_entry, p_sha,
               l.report_index, l.year, l.unit_code, l.question, l.reason
          from linked l
         where l.kind = 'w' and l.decision is distinct from 'unchanged'
    )
    select c.n_new, c.n_same, c.n_rejected, c.n_answers, c.n_warnings,
           (select string_agg(format('report %s (%s %s): report set aside: %s',
                                     x.report_index,
                                     x.unit_code, x.year, x.reason),
                              E'\n' order by x.report_index)
              from conflict x)
      into reports_loaded, reports_unchanged, reports_rejected,
           answers_rejected, warnings, conflicts
      from counts c
      join file_row f on true;
end
$merge$;

revoke insert on is248.report, is248.answer from is248_loader;
revoke all on function is248.loaded_from(bytea) from public;
grant execute on function is248.loaded_from(bytea) to is248_loader;
