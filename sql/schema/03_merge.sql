-- 03_merge.sql - how reports get in: the import lock, the run functions,
-- the stage the loader writes, and is248.merge_batch(), the only writer of
-- reports, files and what was set aside.
--
-- The trust boundary (docs/security.md): the loader's login may insert into
-- is248.stage and call the functions below, nothing else.  Everything runs
-- with the owner's rights (SECURITY DEFINER) with a fixed search_path and
-- reads only objects of this schema and its own parameters, never an object
-- the caller can define; every value the loader sends is checked before it
-- is kept; what decides "already loaded" (a file's SHA-256) is computed here
-- from the file's bytes.  An import (load/loader.c) goes in batches, each in
-- one transaction:
--
--   BEGIN; COPY is248.stage (...) FROM STDIN (FORMAT binary);
--   SELECT * FROM is248.merge_batch(run, the files' names, SHA-256, sizes,
--                                   bytes and reasons);
--   COMMIT;
--
-- and begins and ends with is248.run_begin() and is248.run_end(), holding
-- the import lock all along.

-- ---------------------------------------------------------------------------
-- The import lock
-- ---------------------------------------------------------------------------

-- The session-level advisory lock (1230188084, 2) ("IS24" as an int4, 2)
-- that load/db.c takes for an import: two imports never run at once, and
-- a run, its batches and the report ids they draw belong to one session.
create function is248.holds_import_lock() returns boolean
language sql
set search_path = pg_catalog, pg_temp
as $$
    select exists (select 1 from pg_catalog.pg_locks l
                     where l.locktype = 'advisory'
                       and l.database = (select d.oid from pg_catalog.pg_database d
                                          where d.datname = pg_catalog.current_database())
                       and l.classid = 1230188084 and l.objid = 2
                       and l.objsubid = 2
                       and l.pid = pg_catalog.pg_backend_pid() and l.granted)
$$;

comment on function is248.holds_import_lock() is
    'True when this session holds the import lock (pg_advisory_lock(1230188084, 2)), which is248 import takes before it begins a run.';

-- ---------------------------------------------------------------------------
-- Runs
-- ---------------------------------------------------------------------------

create function is248.run_begin(p_command text, out run_id bigint,
                                out abandoned bigint)
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $fn$
begin
    if not is248.holds_import_lock() then
        raise exception 'cannot begin an import run: this session does not hold the import lock'
            using errcode = 'object_not_in_prerequisite_state',
                  hint = 'take it first: SELECT pg_advisory_lock(1230188084, 2)';
    end if;
    -- whoever holds the lock runs the only import: a run still 'running'
    -- ended without a word
    with dead as (
        update is248.import_run r
           set status = 'abandoned', finished_at = now()
         where r.status = 'running'
        returning 1)
    insert into is248.import_run (command, db_user, backend_pid)
    values (p_command, session_user, pg_backend_pid())
    returning import_run.run_id, (select count(*) from dead)
      into run_id, abandoned;
end
$fn$;

comment on function is248.run_begin(text) is
    'Begin an import run (the command line as typed); needs the import lock.  Marks runs left running as abandoned and says how many.';

-- Raises unless p_run is a run of this session that is still running.
create function is248.own_run(p_run bigint) returns void
language plpgsql
set search_path = pg_catalog, pg_temp
as $fn$
begin
    if not exists (select 1 from is248.import_run r
                    where r.run_id = p_run and r.status = 'running'
                      and r.backend_pid = pg_backend_pid()) then
        raise exception 'run % is not an import running in this session', p_run
            using errcode = 'insufficient_privilege';
    end if;
    if not is248.holds_import_lock() then
        raise exception 'this session does not hold the import lock'
            using errcode = 'object_not_in_prerequisite_state';
    end if;
end
$fn$;

comment on function is248.own_run(bigint) is
    'Internal: raises unless the run is running in this session and the session holds the import lock.';

-- The counts are the database's own, from what the run recorded; the
-- status is the client's word for how it ended.
create function is248.run_end(p_run bigint, p_status text)
returns void
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $fn$
begin
    perform is248.own_run(p_run);
    if p_status is null or p_status not in ('ok', 'problems', 'failed', 'interrupted') then
        raise exception 'unknown run status ''%''', p_status
            using errcode = 'invalid_parameter_value';
    end if;
    update is248.import_run r
       set finished_at = now(), status = p_status,
           (files, files_loaded, files_already, files_rejected,
            reports_loaded, reports_unchanged, reports_rejected,
            answers_rejected, warnings) =
           (select count(*),
                   count(*) filter (where f.outcome = 'loaded'),
                   count(*) filter (where f.outcome = 'already_loaded'),
                   count(*) filter (where f.outcome = 'rejected'),
                   coalesce(sum(f.reports_loaded), 0),
                   coalesce(sum(f.reports_unchanged), 0),
                   coalesce(sum(f.reports_rejected), 0),
                   coalesce(sum(f.answers_rejected), 0),
                   coalesce(sum(f.warnings), 0)
              from is248.source_file f where f.run_id = p_run),
           skipped = (select count(*) from is248.skipped_entry s
                       where s.run_id = p_run)
     where r.run_id = p_run;
end
$fn$;

comment on function is248.run_end(bigint, text) is
    'End an import run of this session: ok, problems, failed or interrupted; the counts are computed from the files it recorded.';

-- ---------------------------------------------------------------------------
-- The stage
-- ---------------------------------------------------------------------------

-- What the loader sends for a batch of files, one row each, by kind:
--   'r' a report that normalized: file_no, report_index and every column
--       of is248.report but its key, its file and loaded_at;
--   'p' a problem that sets something aside (level 'report' or 'answer');
--   'w' a warning (report_index NULL: about the file as a whole);
--   's' an entry that is not a report (source, entry, reason);
--   'b' a piece of a file too large to send with is248.merge_batch()
--       (file_no, piece_no, content), in order.
-- file_no is the file's position in merge_batch()'s arrays (0 = first).
-- The loader may only insert.  Every row carries the transaction that
-- wrote it (the check makes it so), merge_batch() reads the rows of its
-- own transaction only and empties the stage, so a row left by anyone
-- else is never read.  Unlogged: a stage lost in a crash is a batch that
-- was never committed.
create unlogged table is248.stage (
    xact                  xid8 not null default pg_catalog.pg_current_xact_id()
                          check (xact = pg_catalog.pg_current_xact_id()),
    kind                  "char" not null check (kind in ('r', 'p', 'w', 's', 'b')),
    file_no               int,
    report_index          int,
    version               smallint,
    year                  int,
    unit_code             text,
    unit_type             text,
    unit_name             text,
    county_code           text,
    population            int,
    size_class            text,
    submitted_at          timestamptz,
    submission_id         text,
    digest                bytea,
    nav_collab            text,
    nav_collab_specialist text,
    nav_rating            text,
    ips_se_mental_health  text,
    ips_mental_health     boolean,
    se_mental_health      boolean,
    ips_se_substance      text,
    ips_substance         boolean,
    se_substance          boolean,
    answers               text,
    level                 text,
    question              text,
    reason                text,
    source                text,
    entry                 text,
    piece_no              int,
    content               bytea
);

-- pieces are hashed, never compressed
alter table is248.stage alter column content set storage external;

comment on table is248.stage is
    'What the loader sends for one batch (load/loader.c), read by is248.merge_batch() in the same transaction and emptied by it: kind r a report, p a problem, w a warning, s a skipped entry, b a piece of a large file.  The loader may only insert; rows of other transactions are never read.';
comment on column is248.stage.xact is 'The transaction that wrote the row (enforced)';
comment on column is248.stage.kind is 'r report, p problem (something set aside), w warning, s skipped entry, b piece of a file';
comment on column is248.stage.file_no is 'Position of the file in merge_batch()''s arrays (0 = first)';
comment on column is248.stage.report_index is 'Position of the report in its file (1 = first); NULL for the file as a whole';
comment on column is248.stage.version is 'r: as is248.report.version';
comment on column is248.stage.year is 'r: as is248.report.year; p, w: the year as far as it could be read';
comment on column is248.stage.unit_code is 'r: as is248.report.unit_code; p, w: the unit as far as it could be read';
comment on column is248.stage.unit_type is 'r: as is248.report.unit_type';
comment on column is248.stage.unit_name is 'r: as is248.report.unit_name';
comment on column is248.stage.county_code is 'r: as is248.report.county_code';
comment on column is248.stage.population is 'r: as is248.report.population';
comment on column is248.stage.size_class is 'r: as is248.report.size_class';
comment on column is248.stage.submitted_at is 'r: as is248.report.submitted_at';
comment on column is248.stage.submission_id is 'r: as is248.report.submission_id';
comment on column is248.stage.digest is 'r: as is248.report.digest';
comment on column is248.stage.nav_collab is 'r: as is248.report.nav_collab';
comment on column is248.stage.nav_collab_specialist is 'r: as is248.report.nav_collab_specialist';
comment on column is248.stage.nav_rating is 'r: as is248.report.nav_rating';
comment on column is248.stage.ips_se_mental_health is 'r: as is248.report.ips_se_mental_health';
comment on column is248.stage.ips_mental_health is 'r: as is248.report.ips_mental_health';
comment on column is248.stage.se_mental_health is 'r: as is248.report.se_mental_health';
comment on column is248.stage.ips_se_substance is 'r: as is248.report.ips_se_substance';
comment on column is248.stage.ips_substance is 'r: as is248.report.ips_substance';
comment on column is248.stage.se_substance is 'r: as is248.report.se_substance';
comment on column is248.stage.answers is 'r: as is248.report.answers (packed raw answers)';
comment on column is248.stage.level is 'p: report or answer';
comment on column is248.stage.question is 'p, w: the question concerned';
comment on column is248.stage.reason is 'p, w, s: why, on one line';
comment on column is248.stage.source is 's: the path given to import, or the archive';
comment on column is248.stage.entry is 's: the entry inside the archive';
comment on column is248.stage.piece_no is 'b: position of the piece in its file (0 = first)';
comment on column is248.stage.content is 'b: the piece''s bytes';

-- ---------------------------------------------------------------------------
-- The merge
-- ---------------------------------------------------------------------------

-- Where the file with this SHA-256 was loaded from, or NULL.
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
    'Where the file with this SHA-256 was loaded from (source, or source!entry for an archive entry), or NULL when it has not been loaded.';

-- Merge the batch staged in this transaction: files in, one row per file
-- out.  Per file, from the arrays (all of one length, file_no = position
-- - 1): the source and entry it was read from, the SHA-256 and size is248
-- computed, its bytes (NULL when sent as pieces, kind 'b'), and the reason
-- it was set aside whole (NULL: it was read whole and its reports,
-- problems and warnings are staged).  A file read whole whose bytes were
-- loaded before, here or earlier in the batch, is already_loaded and adds
-- nothing; its staged rows are dropped.  Of the others every staged
-- report is checked (report_refusal()), then decided (delivery-format.md
-- §7): a report already loaded with the same unit, year and submission
-- time is unchanged when its digest is the same and set aside as a
-- conflict when not; else it is new, and the first of the batch's reports
-- with one key wins.  Then the files, the new reports, what was set aside
-- and warned about, and the skipped entries are written, and the stage is
-- emptied.
create function is248.merge_batch(
    p_run     bigint,
    p_source  text[],
    p_entry   text[],
    p_sha     bytea[],
    p_bytes   bigint[],
    p_content bytea[],
    p_reason  text[])
returns table (file_no int, file_id bigint, outcome text,
               reports_loaded int, reports_unchanged int,
               reports_rejected int, answers_rejected int, warnings int,
               came_from text, conflicts text)
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
set timezone = 'UTC'
-- planned once per session: no plan below depends on the parameters or
-- on the size of the stage
set plan_cache_mode = force_generic_plan
as $merge$
declare
    v_n        int := coalesce(cardinality(p_source), 0);
    v_now      timestamptz := now();
    -- per file, by file_no + 1
    v_sha      bytea[];
    v_outcome  text[];
    v_from     text[];
    v_id       bigint[];
    v_label    text[];
    -- per file with something to count: file_no + 1 and the counts
    c_file     int[];
    c_new      int[];
    c_same     int[];
    c_rejected int[];
    c_answers  int[];
    c_warnings int[];
    c_lines    text[];
    v_bad      int;
begin
    perform is248.own_run(p_run);
    if coalesce(cardinality(p_entry), 0) <> v_n
       or coalesce(cardinality(p_sha), 0) <> v_n
       or coalesce(cardinality(p_bytes), 0) <> v_n
       or coalesce(cardinality(p_content), 0) <> v_n
       or coalesce(cardinality(p_reason), 0) <> v_n then
        raise exception 'the arrays of files differ in length'
            using errcode = 'invalid_parameter_value';
    end if;

    -- 1. The files.  A file read whole: its SHA-256 from its bytes, here;
    -- already loaded when those bytes were loaded before, or earlier in the
    -- batch.  Each gets its row in is248.source_file now (the rejections
    -- and warnings refer to it); its counts follow in 3.
    select array_agg(case when f.reason is not null then f.sha
                          when f.content is not null then sha256(f.content)
                          else (select sha256(string_agg(b.content, ''::bytea
                                                         order by b.piece_no))
                                  from is248.stage b
                                 where b.xact = pg_current_xact_id()
                                   and b.kind = 'b' and b.file_no = f.n - 1)
                     end order by f.n)
      into v_sha
      from unnest(p_sha, p_content, p_reason)
           with ordinality as f(sha, content, reason, n);
    select f.n - 1 into v_bad
      from unnest(p_sha, p_bytes, p_reason, coalesce(v_sha, '{}'))
           with ordinality as f(sha, bytes, reason, computed, n)
     where f.reason is null
       and (f.computed is null or f.sha is null or f.computed <> f.sha
            or f.bytes is null)
     limit 1;
    if found then
        raise exception 'file % of the batch: its bytes were not sent, or their SHA-256 is not the one given', v_bad
            using errcode = 'invalid_parameter_value';
    end if;

    with file as (
        select f.n, f.source, f.entry, f.sha, f.reason,
               case when f.reason is null then is248.loaded_from(f.sha) end
                   as loaded_before,
               min(f.n) over (partition by f.reason is null, f.sha) as first_n
          from unnest(p_source, p_entry, v_sha, p_reason)
               with ordinality as f(source, entry, sha, reason, n)
    )
    select array_agg(case when f.reason is not null then 'rejected'
                          when f.loaded_before is not null or f.first_n <> f.n
                              then 'already_loaded'
                          else 'loaded' end order by f.n),
           array_agg(coalesce(f.loaded_before,
                              case when f.first_n <> f.n
                                   then p_source[f.first_n] ||
                                        case when p_entry[f.first_n] <> ''
                                             then '!' || p_entry[f.first_n]
                                             else '' end
                              end) order by f.n),
           array_agg(f.source || case when f.entry <> '' then '!' || f.entry
                                      else '' end order by f.n),
           array_agg(pg_catalog.nextval('is248.source_file_file_id_seq'::regclass)
                     order by f.n)
      into v_outcome, v_from, v_label, v_id
      from file f;

    insert into is248.source_file (file_id, run_id, source, entry, sha256,
                                   bytes, outcome)
    select f.id, p_run, f.source, f.entry, f.sha, f.bytes, f.outcome
      from unnest(v_id, p_source, p_entry, v_sha, p_bytes, v_outcome)
           as f(id, source, entry, sha, bytes, outcome);

    -- 2. The staged reports of the files loaded, their problems and
    -- warnings, and the skipped entries.  Each report of a file is checked,
    -- then decided; its problems and warnings follow its decision.  No
    -- join here depends on the planner's guess of the stage's size: what
    -- belongs to a report reaches it through window functions over
    -- (file_no, report_index), what belongs to a file through the arrays
    -- of 1, and a report meets the reports loaded before through the
    -- unique key, one look-up each.
    with staged as materialized (
        -- Only what the decisions need: the rows are fetched whole again
        -- by pos (their place in the COPY, the order of the stage's heap:
        -- it is emptied at the end of every batch) when they are written,
        -- so that the sorts and copies below stay narrow.
        select s.kind, s.file_no, s.report_index, s.version, s.year,
               s.unit_code, s.unit_type, s.county_code, s.population,
               s.size_class, s.submitted_at, s.submission_id, s.digest,
               s.nav_collab_specialist, s.ips_se_mental_health,
               s.ips_mental_health, s.se_mental_health, s.ips_se_substance,
               s.ips_substance, s.se_substance, s.answers is null as no_answers,
               s.level, s.question, s.reason, s.ctid as pos,
               count(*) filter (where s.kind = 'r') over w as n_sent,
               bool_or(s.kind = 'p' and s.level = 'report') over w
                   as set_aside_by_loader
          from is248.stage s
         where s.xact = pg_current_xact_id() and s.kind in ('r', 'p', 'w')
           and v_outcome[s.file_no + 1] = 'loaded'
        window w as (partition by s.file_no, s.report_index)
    ),
    -- Every staged report checked against the rules of the delivery
    -- format that the database can check itself (docs/security.md); the
    -- loader checks them all before it sends a report, so a refusal means
    -- a loader that is not is248, or a bug.
    checked as materialized (
        select s.*,
               case
               when s.n_sent > 1
                   then 'the report was sent twice'
               when s.report_index is null or s.report_index < 1
                   then 'no report index'
               when s.set_aside_by_loader
                   then 'the report was set aside and sent all the same'
               when s.version is null or s.year is null
                    or (s.version = 1 and s.year not between 2015 and 2017)
                    or (s.version = 2 and s.year < 2018)
                   then format('version %s is not the form of %s', s.version,
                               s.year)
               when s.unit_code is null or s.unit_type is null
                    or s.county_code is null or s.submitted_at is null
                    or s.digest is null or s.no_answers
                   then 'a required column is missing'
               when not case s.unit_type
                        when 'kommune' then
                            s.unit_code <> '0301' and exists (
                                select 1 from is248.municipality m
                                 where m.year = s.year and m.code = s.unit_code)
                        when 'bydel' then
                            exists (select 1 from is248.oslo_district d
                                     where d.code = s.unit_code)
                            and exists (select 1 from is248.municipality m
                                         where m.year = s.year
                                           and m.code = '0301')
                        else false end
                   then format('unit %s (%s) is not a unit that reports in %s',
                               s.unit_code, s.unit_type, s.year)
               when s.county_code <> substr(s.unit_code, 1, 2)
                   then format('county %s is not that of unit %s',
                               s.county_code, s.unit_code)
               when s.population is not null and s.population < 1
                   then format('population %s is out of range', s.population)
               when s.size_class is distinct from
                    case when s.unit_type = 'bydel' then 'Oslo bydel'
                         when s.population < 2000 then '<2000'
                         when s.population < 5000 then '2000-4999'
                         when s.population < 10000 then '5000-9999'
                         when s.population < 20000 then '10000-19999'
                         when s.population < 50000 then '20000-49999'
                         when s.population >= 50000 then '50000+'
                    end
                   then format('size class %s is not that of a %s of population %s',
                               coalesce(s.size_class, 'NULL'), s.unit_type,
                               coalesce(s.population::text, 'NULL'))
               when s.submitted_at < make_timestamptz(s.year, 1, 1, 0, 0, 0,
                                                      'Europe/Oslo')
                   then format('submission time %s is before the reporting year %s began',
                               to_char(s.submitted_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                               s.year)
               when s.submitted_at > v_now + interval '1 day'
                   then format('submission time %s is in the future',
                               to_char(s.submitted_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
               when octet_length(s.digest) <> 32
                   then 'the digest is not a SHA-256'
               when (s.version = 1) <> (s.submission_id is null)
                   then 'a submission id belongs to version 2 and only there'
               when s.year < 2016
                    and (s.nav_collab_specialist is not null
                         or s.ips_se_mental_health is not null
                         or s.ips_se_substance is not null)
                   then format('a question not on the %s form is answered',
                               s.year)
               when s.version = 1
                    and (s.ips_mental_health is not null
                         or s.se_mental_health is not null
                         or s.ips_substance is not null
                         or s.se_substance is not null)
                   then 'IPS and SE told apart in version 1'
               -- version 2: IPS or SE is yes when IPS or SE is, no when
               -- neither is (INGEN); IPS and SE are unknown with don't know
               -- or no answer
               when s.version = 2 and not (
                    case s.ips_se_mental_health
                    when 'yes' then coalesce(s.ips_mental_health or s.se_mental_health, false)
                                    and s.ips_mental_health is not null
                                    and s.se_mental_health is not null
                    when 'no' then s.ips_mental_health is false
                                   and s.se_mental_health is false
                    else s.ips_mental_health is null
                         and s.se_mental_health is null end
                    and
                    case s.ips_se_substance
                    when 'yes' then coalesce(s.ips_substance or s.se_substance, false)
                                    and s.ips_substance is not null
                                    and s.se_substance is not null
                    when 'no' then s.ips_substance is false
                                   and s.se_substance is false
                    else s.ips_substance is null
                         and s.se_substance is null end)
                   then 'IPS or SE does not agree with IPS and SE'
               end as refusal
          from staged s
         where s.kind = 'r'
    ),
    decided as materialized (
        select c.*,
               case when c.refusal is not null then 'refused'
                    when e.report_id is not null then
                        case when e.digest = c.digest then 'unchanged'
                             else 'conflict' end
                    when c.rn = 1 then 'new'
                    when c.digest = c.first_digest then 'unchanged'
                    else 'conflict'
               end as decision,
               e.file_id as earlier_file
          from (select c.*,
                       row_number() over w as rn,
                       first_value(c.digest) over w as first_digest,
                       first_value(c.file_no) over w as first_file,
                       first_value(c.report_index) over w as first_index
                  from checked c
                window w as (partition by c.refusal is null, c.year,
                                          c.unit_code, c.submitted_at
                             order by c.file_no, c.report_index)) c
          -- one look-up by the unique key per report, whatever the planner
          -- guesses of the stage (the limit keeps it a nested loop)
          left join lateral (select r.report_id, r.digest, r.file_id
                               from is248.report r
                              where r.year = c.year
                                and r.unit_code = c.unit_code
                                and r.submitted_at = c.submitted_at
                              limit 1) e on c.refusal is null
    ),
    set_aside as materialized (
        -- reports set aside here: conflicts and refusals, with the reason
        select d.file_no, d.report_index, d.year, d.unit_code, d.pos,
               case when d.decision = 'refused' then
                        'refused by the database: ' || d.refusal
                    else format(
                        'conflicts with the report for %s %s submitted at %s %s: '
                        'same unit, year and submission time but other '
                        'content; the report loaded first is kept',
                        d.unit_code, d.year,
                        to_char(d.submitted_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                        case when d.earlier_file is not null then
                                 'already loaded from ' ||
                                 (select f.source || case when f.entry <> ''
                                                          then '!' || f.entry
                                                          else '' end
                                    from is248.source_file f
                                   where f.file_id = d.earlier_file)
                             when d.first_file = d.file_no then
                                 'given as report ' || d.first_index ||
                                 ' of this file'
                             else 'given as report ' || d.first_index ||
                                  ' of ' || v_label[d.first_file + 1]
                        end)
               end as reason
          from decided d
         where d.decision in ('conflict', 'refused')
    ),
    -- every report with its decision, every problem and warning with its
    -- report's
    linked as materialized (
        select k.*,
               max(k.decision) over (partition by k.file_no, k.report_index)
                   as report_decision
          from (select s.kind, s.file_no, s.report_index, s.level,
                       s.question, s.reason, s.year, s.unit_code, s.pos,
                       null::text as decision
                  from staged s
                 where s.kind <> 'r'
                union all
                select 'r', d.file_no, d.report_index, null, null, null, null,
                       null, null, d.decision
                  from decided d) k
    ),
    new_report as (
        insert into is248.report (file_id, report_index, version, year,
                                  unit_code, unit_type, unit_name,
                                  county_code, population, size_class,
                                  submitted_at, submission_id, digest,
                                  nav_collab, nav_collab_specialist,
                                  nav_rating, ips_se_mental_health,
                                  ips_mental_health, se_mental_health,
                                  ips_se_substance, ips_substance,
                                  se_substance, answers)
        select v_id[d.file_no + 1], s.report_index, s.version, s.year,
               s.unit_code, s.unit_type, s.unit_name,
               s.county_code, s.population, s.size_class,
               s.submitted_at, s.submission_id, s.digest,
               s.nav_collab, s.nav_collab_specialist,
               s.nav_rating, s.ips_se_mental_health,
               s.ips_mental_health, s.se_mental_health,
               s.ips_se_substance, s.ips_substance,
               s.se_substance, s.answers
          from decided d
          join is248.stage s on s.ctid = d.pos
         where d.decision = 'new'
         order by d.file_no, d.report_index
    ),
    new_rejection as (
        insert into is248.rejection (run_id, file_id, source, entry, sha256,
                                     report_index, year, unit_code, question,
                                     level, reason)
        select p_run, v_id[x.file_no + 1], p_source[x.file_no + 1],
               p_entry[x.file_no + 1], v_sha[x.file_no + 1], x.report_index,
               x.year, x.unit_code, x.question, x.level, x.reason
          from (select f.n - 1 as file_no, null::int as report_index,
                       null::int as year, null::text as unit_code,
                       null::text as question, 'file' as level,
                       f.reason, 0 as part, null::tid as pos
                  from unnest(p_reason) with ordinality as f(reason, n)
                 where f.reason is not null
                union all
                select l.file_no, l.report_index, l.year, l.unit_code,
                       l.question, l.level, l.reason, 1, l.pos
                  from linked l
                 where l.kind = 'p'
                   and l.report_decision is distinct from 'unchanged'
                union all
                select a.file_no, a.report_index, a.year, a.unit_code, null,
                       'report', a.reason, 2, a.pos
                  from set_aside a) x
         order by x.file_no, x.part, x.pos
    ),
    new_warning as (
        insert into is248.warning (run_id, file_id, source, entry, sha256,
                                   report_index, year, unit_code, question,
                                   reason)
        select p_run, v_id[l.file_no + 1], p_source[l.file_no + 1],
               p_entry[l.file_no + 1], v_sha[l.file_no + 1], l.report_index,
               l.year, l.unit_code, l.question, l.reason
          from linked l
         where l.kind = 'w' and l.report_decision is distinct from 'unchanged'
         order by l.file_no, l.pos
    ),
    new_skipped as (
        insert into is248.skipped_entry (run_id, source, entry, reason)
        select p_run, coalesce(s.source, ''), coalesce(s.entry, ''), s.reason
          from is248.stage s
         where s.xact = pg_current_xact_id() and s.kind = 's'
         order by s.ctid
    ),
    counted as (
        select l.file_no,
               count(*) filter (where l.kind = 'r' and l.decision = 'new')
                   as n_new,
               count(*) filter (where l.kind = 'r'
                                  and l.decision = 'unchanged') as n_same,
               count(*) filter (where l.kind = 'r'
                                  and l.decision in ('conflict', 'refused'))
               + count(distinct l.report_index)
                     filter (where l.kind = 'p' and l.level = 'report')
                   as n_rejected,
               count(*) filter (where l.kind = 'p' and l.level = 'answer'
                                  and l.report_decision is distinct from
                                      'unchanged') as n_answers,
               count(*) filter (where l.kind = 'w'
                                  and l.report_decision is distinct from
                                      'unchanged') as n_warnings
          from linked l
         group by l.file_no
    )
    select array_agg(c.file_no + 1), array_agg(c.n_new), array_agg(c.n_same),
           array_agg(c.n_rejected), array_agg(c.n_answers),
           array_agg(c.n_warnings),
           array_agg((select string_agg(format('report %s (%s %s): report set aside: %s',
                                               a.report_index, a.unit_code,
                                               a.year, a.reason),
                                        E'\n' order by a.report_index)
                        from set_aside a where a.file_no = c.file_no))
      into c_file, c_new, c_same, c_rejected, c_answers, c_warnings, c_lines
      from counted c;

    -- 3. The counts of the files loaded, and the answer.
    update is248.source_file f
       set reports_loaded = c.n_new, reports_unchanged = c.n_same,
           reports_rejected = c.n_rejected, answers_rejected = c.n_answers,
           warnings = c.n_warnings
      from unnest(c_file, c_new, c_same, c_rejected, c_answers, c_warnings)
           as c(n, n_new, n_same, n_rejected, n_answers, n_warnings)
     where f.file_id = v_id[c.n];

    truncate is248.stage;

    return query
    select (f.n - 1)::int, v_id[f.n], v_outcome[f.n],
           coalesce(c.n_new, 0)::int, coalesce(c.n_same, 0)::int,
           coalesce(c.n_rejected, 0)::int, coalesce(c.n_answers, 0)::int,
           coalesce(c.n_warnings, 0)::int, v_from[f.n], c.lines
      from generate_series(1, v_n) as f(n)
      left join unnest(c_file, c_new, c_same, c_rejected, c_answers,
                       c_warnings, c_lines)
           as c(n, n_new, n_same, n_rejected, n_answers, n_warnings, lines)
        on c.n = f.n
     order by f.n;
end
$merge$;

comment on function is248.merge_batch(bigint, text[], text[], bytea[], bigint[], bytea[], text[]) is
    'Merge the batch the loader staged in is248.stage in this transaction (see the file sql/schema/03_merge.sql); one row per file: its outcome (loaded, already_loaded, rejected), its counts, where its bytes were loaded from before, and the reports set aside here (conflicts, refusals), one line each.  Only for a running import of this session.';
