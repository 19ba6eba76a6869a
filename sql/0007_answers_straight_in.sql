-- 0007: raw answers go straight into is248.answer.
--
-- Until now every raw answer went through the staging table and was
-- inserted from there by merge_file(): written twice, and inserted row by
-- row, which took half of an import.  Now the loader draws a base id from
-- the reports' sequence before each file and COPYs the answers of report
-- n of the file into is248.answer under report_id base + n as it reads
-- them; only the reports, problems and warnings are staged.  merge_file()
-- takes the base, gives the new reports exactly those ids, and deletes
-- the answers of the reports it does not load (unchanged, in conflict, or
-- the whole file when its bytes were loaded before).  All of it happens in
-- the file's one transaction, so a file is still loaded whole or not at
-- all.
--
-- merge_file() runs as its owner (SECURITY DEFINER, a fixed search_path):
-- reports are written by it alone.  The loader needs INSERT on
-- is248.answer for the COPY; its session grants the function's owner
-- SELECT on its temporary staging table (load/loader.c, STAGE_DDL).  The
-- merge counts what became of a file in two passes over its CTEs.

drop function is248.merge_file(bigint, text, text, bytea, bigint);

create function is248.merge_file(
    p_run    bigint,
    p_source text,
    p_entry  text,
    p_sha    bytea,
    p_bytes  bigint,
    p_base   bigint,
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
-- planned once per session, not once per file: its plans do not depend on
-- the parameters or on the size of the stage (see below), and planning
-- this statement took a sixth of an import
set plan_cache_mode = force_generic_plan
as $merge$
declare
    v_file bigint;
    v_last bigint;
begin
    reports_loaded := 0;
    reports_unchanged := 0;
    reports_rejected := 0;
    answers_rejected := 0;
    warnings := 0;

    -- The same bytes loaded before: note the repeat, add nothing (its
    -- problems were recorded the first time).
    -- The loader drew p_base from the reports' sequence before the file,
    -- and wrote the raw answers of report n straight into is248.answer
    -- under report_id p_base + n (COPY, the fastest way in).  The ids up to
    -- the file's last report are taken: move the sequence past them.
    -- Imports run one at a time (the import lock), and only this function
    -- writes reports, so no one else draws from the sequence meanwhile.
    select p_base + max(st.report_index) into v_last
      from pg_temp.is248_stage st where st.kind = 'r';
    if v_last is not null then
        perform setval('is248.report_report_id_seq'::regclass,
                       greatest(v_last, s.last_value))
           from is248.report_report_id_seq s;
    end if;

    already_entry := is248.loaded_from(p_sha);
    if already_entry is not null then
        -- none of its answers stay
        delete from is248.answer a
         where a.report_id > p_base and a.report_id <= v_last;
        insert into is248.source_file (run_id, source, entry, sha256, bytes,
                                       outcome)
        values (p_run, p_source, p_entry, p_sha, p_bytes, 'already_loaded');
        outcome := 'already_loaded';
        return;
    end if;

    outcome := 'loaded';
    v_file := nextval('is248.source_file_file_id_seq'::regclass);

    -- One statement: decide every staged report, insert the new ones,
    -- delete the answers of the others, record what was set aside and the
    -- file itself (the foreign keys are checked at the end of the
    -- statement, when the file row exists).
    --
    -- The staging table has no statistics, so the planner's row estimates
    -- for it are guesses.  The statement is written so that no join depends
    -- on them: new reports take their ids from p_base, and the ids and
    -- decisions reach the problems of the same report through
    -- window functions over report_index, not through joins.  The one join
    -- left is the lookup of each staged report in is248.report, by its
    -- unique key.
    with decided as materialized (
        -- Compared with the report already in the database when there is
        -- one, else with the first of the file's reports with that key.
        select x.*,
               case when x.decision = 'new'
                    then p_base + x.report_index
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
        -- every problem and warning with its report's decision
        select k.kind, k.report_index, k.question, k.level, k.reason, k.year,
               k.unit_code, max(k.decision) over p as decision
          from (select st.kind, st.report_index, st.question, st.level,
                       st.reason, st.year, st.unit_code, null::text as decision
                  from pg_temp.is248_stage st
                 where st.kind <> 'r'
                union all
                select 'r', d.report_index, null, null, null, null, null,
                       d.decision
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
    -- the answers written for reports that are not new go again
    -- (by an array of ids, so that the answers' key is used whatever the
    -- planner guesses of the stage)
    old_answer as (
        delete from is248.answer a
         where a.report_id = any (array(
                   select p_base + d.report_index from decided d
                    where d.decision <> 'new'))
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

comment on function is248.merge_file(bigint, text, text, bytea, bigint, bigint) is
    'Merge the file staged in pg_temp.is248_stage (see load/loader.c), whose '
    'raw answers the loader wrote into is248.answer under report ids p_base + '
    'report_index; returns what became of it.  Call inside the transaction of '
    'the COPY, then commit.';

revoke all on function is248.merge_file(bigint, text, text, bytea, bigint, bigint)
    from public;
grant execute on function is248.merge_file(bigint, text, text, bytea, bigint, bigint)
    to is248_loader;
grant insert on is248.answer to is248_loader;
