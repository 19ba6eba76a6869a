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
            files_rejected_before, reports_loaded, reports_unchanged,
            reports_rejected, answers_rejected, warnings) =
           (select count(*),
                   count(*) filter (where f.outcome = 'loaded'),
                   count(*) filter (where f.outcome = 'already_loaded'),
                   count(*) filter (where f.outcome = 'rejected'),
                   count(*) filter (where f.outcome = 'rejected_before'),
                   coalesce(sum(f.reports_loaded), 0),
                   coalesce(sum(f.reports_unchanged), 0),
                   coalesce(sum(f.reports_rejected), 0),
                   coalesce(sum(f.answers_rejected), 0),
                   coalesce(sum(f.warnings), 0)
              from is248.source_file f where f.run_id = p_run),
           skipped = (select count(*) from is248.skipped_entry s
                       where s.run_id = p_run)
     where r.run_id = p_run;
    -- and the deliveries it was given again and did not read
    update is248.import_run r
       set files = r.files + d.files,
           files_already = r.files_already + d.files_already,
           files_rejected_before = r.files_rejected_before + d.files_rejected
      from (select coalesce(sum(d.files), 0) as files,
                   coalesce(sum(d.files_loaded + d.files_already), 0)
                       as files_already,
                   coalesce(sum(d.files_rejected), 0) as files_rejected
              from is248.delivery d
             where d.run_id = p_run and d.read_before is not null) d
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

-- Why a staged report cannot be kept, or NULL: the rules of the delivery
-- format that the database can check itself (docs/security.md).  The
-- loader checks them all before it sends a report, so a refusal means a
-- loader that is not is248, or a bug.  p_municipality, p_district and
-- p_oslo are what the caller found for the unit in is248.municipality
-- (year, code), is248.oslo_district (code) and is248.municipality (year,
-- '0301'), NULL when nothing.  A plain SQL expression without subqueries,
-- so that is248.merge_batch() inlines it (it runs for every report); it
-- runs with merge_batch()'s search_path, and names only pg_catalog's
-- objects.
create function is248.report_refusal(
    p_municipality text, p_district text, p_oslo text,
    p_index int, p_version smallint, p_year int, p_unit text,
    p_unit_type text, p_county text, p_population int, p_size_class text,
    p_submitted timestamptz, p_submission_id text, p_digest bytea,
    p_nav_collab text, p_specialist text, p_rating text,
    p_ipsse_mh text, p_ips_mh boolean, p_se_mh boolean,
    p_ipsse_su text, p_ips_su boolean, p_se_su boolean,
    p_no_answers boolean, p_now timestamptz)
returns text
language sql stable
as $$
select case
    when p_index is null or p_index < 1
        then 'no report index'
    when p_version is null or p_year is null
         or (p_version = 1 and p_year not between 2015 and 2017)
         or (p_version = 2 and p_year < 2018)
         or p_version not in (1, 2)
        then pg_catalog.format('version %s is not the form of %s', p_version,
                               p_year)
    when p_unit is null or p_unit_type is null or p_county is null
         or p_submitted is null or p_digest is null or p_no_answers
        then 'a required column is missing'
    when not case p_unit_type
             when 'kommune' then p_unit <> '0301' and p_municipality is not null
             when 'bydel' then p_district is not null and p_oslo is not null
             else false end
        then pg_catalog.format('unit %s (%s) is not a unit that reports in %s',
                               p_unit, p_unit_type, p_year)
    when p_county <> pg_catalog.substr(p_unit, 1, 2)
        then pg_catalog.format('county %s is not that of unit %s', p_county,
                               p_unit)
    when p_population is not null and p_population < 1
        then pg_catalog.format('population %s is out of range', p_population)
    when p_size_class is distinct from
         case when p_unit_type = 'bydel' then 'Oslo bydel'
              when p_population < 2000 then '<2000'
              when p_population < 5000 then '2000-4999'
              when p_population < 10000 then '5000-9999'
              when p_population < 20000 then '10000-19999'
              when p_population < 50000 then '20000-49999'
              when p_population >= 50000 then '50000+'
         end
        then pg_catalog.format('size class %s is not that of a %s of population %s',
                               coalesce(p_size_class, 'NULL'), p_unit_type,
                               coalesce(p_population::text, 'NULL'))
    when p_submitted < pg_catalog.make_timestamptz(p_year, 1, 1, 0, 0, 0,
                                                   'Europe/Oslo')
        then pg_catalog.format('submission time %s is before the reporting year %s began',
                               pg_catalog.to_char(p_submitted at time zone 'UTC',
                                                  'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                               p_year)
    when p_submitted > p_now + interval '1 day'
        then pg_catalog.format('submission time %s is in the future',
                               pg_catalog.to_char(p_submitted at time zone 'UTC',
                                                  'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
    when pg_catalog.octet_length(p_digest) <> 32
        then 'the digest is not a SHA-256'
    when (p_version = 1) <> (p_submission_id is null)
        then 'a submission id belongs to version 2 and only there'
    when p_year < 2016
         and (p_specialist is not null or p_ipsse_mh is not null
              or p_ipsse_su is not null)
        then pg_catalog.format('a question not on the %s form is answered',
                               p_year)
    when p_nav_collab not in ('yes', 'no', 'dont_know')
         or p_specialist not in ('yes', 'no', 'dont_know')
         or p_ipsse_mh not in ('yes', 'no', 'dont_know')
         or p_ipsse_su not in ('yes', 'no', 'dont_know')
         or p_rating not in ('very_good', 'good', 'neither', 'less_good',
                             'bad', 'dont_know')
        then 'an answer is not one of its question''s values'
    when p_version = 1
         and (p_ips_mh is not null or p_se_mh is not null
              or p_ips_su is not null or p_se_su is not null)
        then 'IPS and SE told apart in version 1'
    -- version 2: IPS or SE is yes when IPS or SE is, no when neither is
    -- (INGEN); IPS and SE are unknown with don't know or no answer
    when p_version = 2 and not (
         case p_ipsse_mh
         when 'yes' then coalesce(p_ips_mh or p_se_mh, false)
                         and p_ips_mh is not null and p_se_mh is not null
         when 'no' then p_ips_mh is false and p_se_mh is false
         else p_ips_mh is null and p_se_mh is null end
         and
         case p_ipsse_su
         when 'yes' then coalesce(p_ips_su or p_se_su, false)
                         and p_ips_su is not null and p_se_su is not null
         when 'no' then p_ips_su is false and p_se_su is false
         else p_ips_su is null and p_se_su is null end)
        then 'IPS or SE does not agree with IPS and SE'
end
$$;

comment on function is248.report_refusal(text, text, text, int, smallint, int, text, text, text, int, text, timestamptz, text, bytea, text, text, text, text, boolean, boolean, text, boolean, boolean, boolean, timestamptz) is
    'Internal: why is248.merge_batch() refuses a staged report (the rules of the delivery format the database checks itself), or NULL.';

-- Merge the batch staged in this transaction: files in, one row per file
-- out.  Per file, from the arrays (all of one length, file_no = position
-- - 1): the source and entry it was read from, the SHA-256 and size is248
-- computed, its bytes (NULL when sent as pieces, kind 'b'), and the reason
-- it was set aside whole (NULL: it was read whole and its reports,
-- problems and warnings are staged).  A file read whole whose bytes were
-- loaded before, here or earlier in the batch, is already_loaded and adds
-- nothing; its staged rows are dropped.  A file set aside whole whose
-- bytes were set aside whole by an earlier run is rejected_before: a known problem, told where it was first set aside
-- and not recorded in is248.rejection again.  Of the others every staged
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
               came_from text, conflicts text, reports_correcting int)
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
set timezone = 'UTC'
-- planned once per session: no plan below depends on the parameters or
-- on the size of the stage
set plan_cache_mode = force_generic_plan
-- the files' bytes (the arguments) are hashed in memory, not on disk
set work_mem = '64MB'
-- the stage is read in the order it was written
set synchronize_seqscans = off
-- changed for one statement in 3., restored here at the end
set enable_nestloop = on
set enable_mergejoin = on
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
    v_staged   int[];
    v_inserted int[];
    v_correcting int[];
    v_partial  boolean[];
    v_same     int[];
    v_rejected int[];
    v_answers  int[];
    v_warnings int[];
    v_lines    text[];
    c_file     int[];
    c_same     int[];
    c_rejected int[];
    c_answers  int[];
    c_warnings int[];
    c_lines    text[];
    v_bad      int;
    v_row      record;
    k          int;
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
               l.label as loaded_before, x.known as rejected_before,
               min(f.n) over (partition by f.reason is null, f.sha) as first_n
          from unnest(p_source, p_entry, v_sha, p_reason)
               with ordinality as f(source, entry, sha, reason, n)
          -- where the file with these bytes was loaded from before
          left join lateral (
               select l.source || case when l.entry <> '' then '!' || l.entry
                                       else '' end as label
                 from is248.source_file l
                where f.reason is null and l.sha256 = f.sha
                  and l.outcome = 'loaded'
                limit 1) l on true
          -- a file set aside whole: when and why its bytes were set aside
          -- whole by an earlier run (a known problem: not recorded again;
          -- in this run, each file of those bytes is recorded, under its
          -- own name)
          left join lateral (
               select pg_catalog.format('run %s (%s)', k.run_id,
                          coalesce((select j.reason from is248.rejection j
                                     where j.file_id = k.file_id
                                       and j.level = 'file'
                                     order by j.rejection_id limit 1),
                                   'set aside')) as known
                 from is248.source_file k
                where f.reason is not null and k.sha256 = f.sha
                  and k.outcome = 'rejected' and k.run_id < p_run
                order by k.file_id
                limit 1) x on true
    )
    select array_agg(case when f.rejected_before is not null
                              then 'rejected_before'
                          when f.reason is not null then 'rejected'
                          when f.loaded_before is not null or f.first_n <> f.n
                              then 'already_loaded'
                          else 'loaded' end order by f.n),
           array_agg(case when f.reason is not null then f.rejected_before
                          else coalesce(f.loaded_before,
                              case when f.first_n <> f.n
                                   then p_source[f.first_n] ||
                                        case when p_entry[f.first_n] <> ''
                                             then '!' || p_entry[f.first_n]
                                             else '' end
                              end) end order by f.n),
           array_agg(f.source || case when f.entry <> '' then '!' || f.entry
                                      else '' end order by f.n)
      into v_outcome, v_from, v_label
      from file f;
    -- the files' ids in their order
    select array_agg(pg_catalog.nextval('is248.source_file_file_id_seq'::regclass))
      into v_id
      from generate_series(1, v_n);

    insert into is248.source_file (file_id, run_id, source, entry, sha256,
                                   bytes, outcome)
    select f.id, p_run, f.source, f.entry, f.sha, f.bytes, f.outcome
      from unnest(v_id, p_source, p_entry, v_sha, p_bytes, v_outcome)
           as f(id, source, entry, sha, bytes, outcome);

    -- 2. The stage's own rules: a report sent twice, or set aside by the
    -- loader and sent all the same, is the work of a loader that is not
    -- is248 (or a bug): the batch is refused whole.  And how many reports
    -- each file staged.
    v_staged := array_fill(0, array[v_n]);
    for v_row in
        with per_report as materialized (
            select s.file_no, s.report_index,
                   count(*) filter (where s.kind = 'r') as sent,
                   bool_or(s.kind = 'p' and s.level = 'report') as set_aside
              from is248.stage s
             where s.xact = pg_current_xact_id() and s.kind in ('r', 'p')
               and v_outcome[s.file_no + 1] = 'loaded'
             group by s.file_no, s.report_index)
        select p.file_no, null::int as report_index, count(*)::int as sent
          from per_report p where p.sent > 0 group by p.file_no
        union all
        (select p.file_no, p.report_index, -1
           from per_report p
          where p.sent > 1 or (p.sent = 1 and p.set_aside)
          limit 1)
    loop
        if v_row.sent < 0 then
            raise exception 'report % of file % of the batch was sent twice, or set aside and sent all the same',
                v_row.report_index, v_row.file_no
                using errcode = 'invalid_parameter_value';
        end if;
        v_staged[v_row.file_no + 1] := v_row.sent;
    end loop;

    -- 3. The new reports.  Every staged report of a file loaded that
    -- passes the checks (is248.report_refusal()) goes in, in the order
    -- staged (the stage's heap is in the order of the COPY: it is emptied
    -- at the end of every batch, and read from its start); one whose unit,
    -- year and submission time are in already (loaded before, or earlier
    -- in the batch) does not, and is decided in 4.  The unit is looked up
    -- in the one table that can hold it, by hash joins: the reference
    -- tables are small and read once per batch, where a look-up per report
    -- (a nested loop, or a subquery) cost five times the checks themselves.
    -- Set for this statement's plan only (the function's own SET clause
    -- restores both at its end); the plan is made once per session, the
    -- first time, with these settings.
    v_inserted := array_fill(0, array[v_n]);
    v_correcting := array_fill(0, array[v_n]);
    perform pg_catalog.set_config('enable_nestloop', 'off', true),
            pg_catalog.set_config('enable_mergejoin', 'off', true);
    for v_row in
        with inserted as (
            insert into is248.report (file_id, report_index, version, year,
                                      unit_code, unit_type, unit_name,
                                      county_code, population, size_class,
                                      submitted_at, submission_id, digest,
                                      nav_collab, nav_collab_specialist,
                                      nav_rating, ips_se_mental_health,
                                      ips_mental_health, se_mental_health,
                                      ips_se_substance, ips_substance,
                                      se_substance, answers)
            select v_id[s.file_no + 1], s.report_index, s.version, s.year,
                   s.unit_code, s.unit_type, s.unit_name, s.county_code,
                   s.population, s.size_class, s.submitted_at,
                   s.submission_id, s.digest, s.nav_collab,
                   s.nav_collab_specialist, s.nav_rating,
                   s.ips_se_mental_health, s.ips_mental_health,
                   s.se_mental_health, s.ips_se_substance, s.ips_substance,
                   s.se_substance, s.answers
              from is248.stage s
              left join is248.municipality m
                     on s.unit_type = 'kommune' and m.year = s.year
                        and m.code = s.unit_code
              left join is248.oslo_district d
                     on s.unit_type = 'bydel' and d.code = s.unit_code
              left join is248.municipality o
                     on s.unit_type = 'bydel' and o.year = s.year
                        and o.code = '0301'
             where s.xact = pg_current_xact_id() and s.kind = 'r'
               and v_outcome[s.file_no + 1] = 'loaded'
               and is248.report_refusal(
                       m.code, d.code, o.code,
                       s.report_index, s.version, s.year, s.unit_code,
                       s.unit_type, s.county_code, s.population,
                       s.size_class, s.submitted_at, s.submission_id,
                       s.digest, s.nav_collab, s.nav_collab_specialist,
                       s.nav_rating, s.ips_se_mental_health,
                       s.ips_mental_health, s.se_mental_health,
                       s.ips_se_substance, s.ips_substance, s.se_substance,
                       s.answers is null, v_now) is null
            on conflict (year, unit_code, submitted_at) do nothing
            returning report.file_id, report.year, report.unit_code,
                      report.submitted_at)
        -- and of them, corrections: a later submission of a report of
        -- its unit and year loaded before it, in an earlier batch or in
        -- this one (the statement's snapshot holds the reports loaded
        -- before it, not the ones it inserts, which the window sees), so
        -- that the count does not depend on where batches end
        select i.file_id, count(*)::int as n,
               -- (a scalar subquery, a look-up by the unique key's index
               -- per report: an EXISTS would become a join, and hash joins
               -- are what this statement is planned for)
               count(*) filter (where i.submitted_at > i.first_here
                                   or (select true from is248.report e
                                        where e.year = i.year
                                          and e.unit_code = i.unit_code
                                          and e.submitted_at < i.submitted_at
                                        limit 1))::int as correcting
          from (select x.*,
                       pg_catalog.min(x.submitted_at)
                           over (partition by x.year, x.unit_code) as first_here
                  from inserted x) i
         group by i.file_id
    loop
        k := array_position(v_id, v_row.file_id);
        v_inserted[k] := v_row.n;
        v_correcting[k] := v_row.correcting;
    end loop;
    perform pg_catalog.set_config('enable_nestloop', 'on', true),
            pg_catalog.set_config('enable_mergejoin', 'on', true);
    for k in 1 .. v_n loop
        v_partial[k] := v_staged[k] <> v_inserted[k];
    end loop;

    -- 4. What became of the reports not inserted, in the files that have
    -- such (delivery-format.md §7): unchanged when the report of its key
    -- has its digest, set aside as a conflict when not, refused when it
    -- broke a rule.  The problems and warnings of a report follow its
    -- decision (an unchanged report's were recorded the first time), by a
    -- window over (file_no, report_index) rather than a join, whose plan
    -- would depend on the planner's guess of the stage's size.
    -- When every staged report went in (no file is partial), nothing is
    -- decided: the problems, warnings and skipped entries are written by the
    -- lighter statement after this one.  The statements are planned anew
    -- in every batch (the stage's truncation at the end of every batch
    -- invalidates their plans), and this one's planning alone cost more
    -- than its work.
    if true = any (v_partial) then
        with decided as materialized (
            select s.file_no, s.report_index, s.year, s.unit_code,
                   s.submitted_at, x.refusal,
                   case when x.refusal is not null then 'refused'
                        when e.file_id = v_id[s.file_no + 1]
                             and e.report_index = s.report_index then 'new'
                        when e.digest = s.digest then 'unchanged'
                        else 'conflict'
                   end as decision,
                   e.file_id as earlier_file, e.report_index as earlier_index
              from is248.stage s
              -- one look-up by the unique key per report (the limit keeps it a
              -- nested loop)
              left join lateral (select r.file_id, r.report_index, r.digest
                                   from is248.report r
                                  where r.year = s.year
                                    and r.unit_code = s.unit_code
                                    and r.submitted_at = s.submitted_at
                                  limit 1) e on true
             cross join lateral (
                   select case when e.file_id = v_id[s.file_no + 1]
                                    and e.report_index = s.report_index then null
                          else is248.report_refusal(
                              (select m.code from is248.municipality m
                                where m.year = s.year and m.code = s.unit_code),
                              (select d.code from is248.oslo_district d
                                where d.code = s.unit_code),
                              (select o.code from is248.municipality o
                                where o.year = s.year and o.code = '0301'),
                              s.report_index, s.version, s.year,
                              s.unit_code, s.unit_type, s.county_code,
                              s.population, s.size_class, s.submitted_at,
                              s.submission_id, s.digest, s.nav_collab,
                              s.nav_collab_specialist, s.nav_rating,
                              s.ips_se_mental_health, s.ips_mental_health,
                              s.se_mental_health, s.ips_se_substance,
                              s.ips_substance, s.se_substance,
                              s.answers is null, v_now) end as refusal) x
             where s.xact = pg_current_xact_id() and s.kind = 'r'
               and v_partial[s.file_no + 1]
        ),
        set_aside as materialized (
            -- reports set aside here: conflicts and refusals, with the reason
            select d.file_no, d.report_index, d.year, d.unit_code,
                   case when d.decision = 'refused' then
                            'refused by the database: ' || d.refusal
                        else format(
                            'conflicts with the report for %s %s submitted at %s %s: '
                            'same unit, year and submission time but other '
                            'content; the report loaded first is kept',
                            d.unit_code, d.year,
                            to_char(d.submitted_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                            case when d.earlier_file = v_id[d.file_no + 1] then
                                     'given as report ' || d.earlier_index ||
                                     ' of this file'
                                 when d.earlier_file = any (v_id) then
                                     'given as report ' || d.earlier_index ||
                                     ' of ' || v_label[array_position(v_id, d.earlier_file)]
                                 else
                                     'already loaded from ' ||
                                     (select f.source || case when f.entry <> ''
                                                              then '!' || f.entry
                                                              else '' end
                                        from is248.source_file f
                                       where f.file_id = d.earlier_file)
                            end)
                   end as reason
              from decided d
             where d.decision in ('conflict', 'refused')
        ),
        problem as materialized (
            select l.*
              from (select k.*,
                           max(k.decision) over (partition by k.file_no,
                                                              k.report_index)
                               as report_decision
                      from (select s.kind, s.file_no, s.report_index, s.level,
                                   s.question, s.reason, s.year, s.unit_code,
                                   s.ctid as pos, null::text as decision
                              from is248.stage s
                             where s.xact = pg_current_xact_id()
                               and s.kind in ('p', 'w')
                               and v_outcome[s.file_no + 1] = 'loaded'
                            union all
                            select 'r', d.file_no, d.report_index, null, null,
                                   null, null, null, null, d.decision
                              from decided d) k) l
             where l.kind <> 'r'
        ),
        new_rejection as (
            insert into is248.rejection (run_id, file_id, source, entry, sha256,
                                         report_index, year, unit_code, question,
                                         level, reason)
            select p_run, v_id[x.file_no + 1], p_source[x.file_no + 1],
                   p_entry[x.file_no + 1], v_sha[x.file_no + 1], x.report_index,
                   x.year, x.unit_code, x.question, x.level, x.reason
              from (select (f.n - 1)::int as file_no, null::int as report_index,
                           null::int as year, null::text as unit_code,
                           null::text as question, 'file' as level,
                           f.reason, 0 as part, null::tid as pos
                      from unnest(p_reason) with ordinality as f(reason, n)
                     where v_outcome[f.n] = 'rejected'
                    union all
                    select p.file_no, p.report_index, p.year, p.unit_code,
                           p.question, p.level, p.reason, 1, p.pos
                      from problem p
                     where p.kind = 'p'
                       and p.report_decision is distinct from 'unchanged'
                    union all
                    select a.file_no, a.report_index, a.year, a.unit_code, null,
                           'report', a.reason, 2, null
                      from set_aside a) x
             order by x.file_no, x.part, x.pos, x.report_index
        ),
        new_warning as (
            insert into is248.warning (run_id, file_id, source, entry, sha256,
                                       report_index, year, unit_code, question,
                                       reason)
            select p_run, v_id[p.file_no + 1], p_source[p.file_no + 1],
                   p_entry[p.file_no + 1], v_sha[p.file_no + 1], p.report_index,
                   p.year, p.unit_code, p.question, p.reason
              from problem p
             where p.kind = 'w' and p.report_decision is distinct from 'unchanged'
             order by p.file_no, p.pos
        ),
        new_skipped as (
            insert into is248.skipped_entry (run_id, source, entry, reason)
            select p_run, coalesce(s.source, ''), coalesce(s.entry, ''), s.reason
              from is248.stage s
             where s.xact = pg_current_xact_id() and s.kind = 's'
             order by s.ctid
        ),
        -- per file: the counts beyond the new reports, and the reports set
        -- aside here, a line each
        counted as (
            select u.file_no, sum(u.n_same) as n_same,
                   sum(u.n_rejected) as n_rejected, sum(u.n_answers) as n_answers,
                   sum(u.n_warnings) as n_warnings,
                   string_agg(u.lines, E'\n') as lines
              from (select d.file_no,
                           count(*) filter (where d.decision = 'unchanged')
                               as n_same,
                           count(*) filter (where d.decision in ('conflict',
                                                                 'refused'))
                               as n_rejected,
                           0 as n_answers, 0 as n_warnings, null::text as lines
                      from decided d group by d.file_no
                    union all
                    select p.file_no, 0,
                           count(distinct p.report_index)
                               filter (where p.kind = 'p' and p.level = 'report'),
                           count(*) filter (where p.kind = 'p'
                                              and p.level = 'answer'
                                              and p.report_decision is distinct
                                                  from 'unchanged'),
                           count(*) filter (where p.kind = 'w'
                                              and p.report_decision is distinct
                                                  from 'unchanged'),
                           null
                      from problem p group by p.file_no
                    union all
                    select a.file_no, 0, 0, 0, 0,
                           string_agg(format('report %s (%s %s): report set aside: %s',
                                             a.report_index, a.unit_code, a.year,
                                             a.reason),
                                      E'\n' order by a.report_index)
                      from set_aside a group by a.file_no) u
             group by u.file_no
        )
        select array_agg(c.file_no + 1), array_agg(c.n_same),
               array_agg(c.n_rejected), array_agg(c.n_answers),
               array_agg(c.n_warnings), array_agg(c.lines)
          into c_file, c_same, c_rejected, c_answers, c_warnings, c_lines
          from counted c;
    else
        perform 1 from is248.stage s
          where s.xact = pg_current_xact_id() and s.kind in ('p', 'w', 's')
          limit 1;
        if found or 'rejected' = any (v_outcome) then
            -- the same as above with nothing decided: every problem and
            -- warning of a file loaded is written, in the order staged
            with new_rejection as (
                insert into is248.rejection (run_id, file_id, source, entry,
                                             sha256, report_index, year,
                                             unit_code, question, level,
                                             reason)
                select p_run, v_id[x.file_no + 1], p_source[x.file_no + 1],
                       p_entry[x.file_no + 1], v_sha[x.file_no + 1],
                       x.report_index, x.year, x.unit_code, x.question,
                       x.level, x.reason
                  from (select (f.n - 1)::int as file_no,
                               null::int as report_index, null::int as year,
                               null::text as unit_code, null::text as question,
                               'file' as level, f.reason, 0 as part,
                               null::tid as pos
                          from unnest(p_reason) with ordinality as f(reason, n)
                         where v_outcome[f.n] = 'rejected'
                        union all
                        select s.file_no, s.report_index, s.year, s.unit_code,
                               s.question, s.level, s.reason, 1, s.ctid
                          from is248.stage s
                         where s.xact = pg_current_xact_id() and s.kind = 'p'
                           and v_outcome[s.file_no + 1] = 'loaded') x
                 order by x.file_no, x.part, x.pos
            ),
            new_warning as (
                insert into is248.warning (run_id, file_id, source, entry,
                                           sha256, report_index, year,
                                           unit_code, question, reason)
                select p_run, v_id[s.file_no + 1], p_source[s.file_no + 1],
                       p_entry[s.file_no + 1], v_sha[s.file_no + 1],
                       s.report_index, s.year, s.unit_code, s.question,
                       s.reason
                  from is248.stage s
                 where s.xact = pg_current_xact_id() and s.kind = 'w'
                   and v_outcome[s.file_no + 1] = 'loaded'
                 order by s.file_no, s.ctid
            ),
            new_skipped as (
                insert into is248.skipped_entry (run_id, source, entry, reason)
                select p_run, coalesce(s.source, ''), coalesce(s.entry, ''),
                       s.reason
                  from is248.stage s
                 where s.xact = pg_current_xact_id() and s.kind = 's'
                 order by s.ctid
            ),
            counted as (
                select s.file_no,
                       count(distinct s.report_index)
                           filter (where s.kind = 'p' and s.level = 'report')
                           as n_rejected,
                       count(*) filter (where s.kind = 'p'
                                          and s.level = 'answer') as n_answers,
                       count(*) filter (where s.kind = 'w') as n_warnings
                  from is248.stage s
                 where s.xact = pg_current_xact_id() and s.kind in ('p', 'w')
                   and v_outcome[s.file_no + 1] = 'loaded'
                 group by s.file_no
            )
            select array_agg(c.file_no + 1), array_agg(0),
                   array_agg(c.n_rejected), array_agg(c.n_answers),
                   array_agg(c.n_warnings), array_agg(null::text)
              into c_file, c_same, c_rejected, c_answers, c_warnings, c_lines
              from counted c;
        end if;
    end if;

    -- 5. The counts of the files loaded, and the answer.
    v_same := array_fill(0, array[v_n]);
    v_rejected := array_fill(0, array[v_n]);
    v_answers := array_fill(0, array[v_n]);
    v_warnings := array_fill(0, array[v_n]);
    v_lines := array_fill(null::text, array[v_n]);
    for k in 1 .. coalesce(cardinality(c_file), 0) loop
        v_same[c_file[k]] := c_same[k];
        v_rejected[c_file[k]] := c_rejected[k];
        v_answers[c_file[k]] := c_answers[k];
        v_warnings[c_file[k]] := c_warnings[k];
        v_lines[c_file[k]] := c_lines[k];
    end loop;
    update is248.source_file f
       set reports_loaded = c.n_new, reports_unchanged = c.n_same,
           reports_rejected = c.n_rejected, answers_rejected = c.n_answers,
           warnings = c.n_warnings
      from unnest(v_id, v_outcome, v_inserted, v_same, v_rejected, v_answers,
                  v_warnings)
           as c(id, outcome, n_new, n_same, n_rejected, n_answers, n_warnings)
     where f.file_id = c.id and c.outcome = 'loaded'
       and (c.n_new, c.n_same, c.n_rejected, c.n_answers, c.n_warnings)
           <> (0, 0, 0, 0, 0);

    truncate is248.stage;

    return query
    select (f.n - 1)::int, v_id[f.n], v_outcome[f.n], v_inserted[f.n],
           v_same[f.n], v_rejected[f.n], v_answers[f.n], v_warnings[f.n],
           v_from[f.n], v_lines[f.n], v_correcting[f.n]
      from generate_series(1, v_n) as f(n);
end
$merge$;

comment on function is248.merge_batch(bigint, text[], text[], bytea[], bigint[], bytea[], text[]) is
    'Merge the batch the loader staged in is248.stage in this transaction (see the file sql/schema/03_merge.sql); one row per file: its outcome (loaded, already_loaded, rejected, rejected_before), its counts, where its bytes were loaded from or set aside before, and the reports set aside here (conflicts, refusals), one line each.  Only for a running import of this session.';

-- ---------------------------------------------------------------------------
-- Deliveries read whole
-- ---------------------------------------------------------------------------

-- A path given to import that is a file (an archive, or one XML file) is a
-- delivery.  When a run has read one to its end, a later run given the same
-- bytes has nothing to do: every file in it was loaded, found loaded before
-- or set aside, and the database says so without the archive being read
-- again.  Its identity is its digest: the SHA-256 of the SHA-256 of each of
-- its 1 MiB pieces, in order, computed here from the bytes the loader sends
-- (is248.delivery_pieces()), so that no one can record a delivery he does
-- not have.  It holds only while the reference data is the same (a unit
-- code set aside may be valid with other data).
create table is248.delivery (
    delivery_id       bigserial primary key,
    run_id            bigint not null references is248.import_run,
    source            text not null,
    bytes             bigint not null,
    reference_sha256  text not null,
    digest            bytea,
    files             int,
    files_loaded      int,
    files_already     int,
    files_rejected    int,
    completed_at      timestamptz,
    read_before       bigint references is248.delivery
);

create index delivery_digest on is248.delivery (digest) where digest is not null;

comment on table is248.delivery is
    'Every file given to import (an archive, or an XML file) that a run began to read; completed when the run read it to its end, so that later runs given the same bytes skip it.';
comment on column is248.delivery.delivery_id is 'Key of the delivery';
comment on column is248.delivery.run_id is 'The import run that read it';
comment on column is248.delivery.source is 'The path given to import';
comment on column is248.delivery.bytes is 'Its size in bytes (as stored, compressed for an archive)';
comment on column is248.delivery.reference_sha256 is 'The reference data it was read with (is248.reference_meta)';
comment on column is248.delivery.digest is 'SHA-256 of the SHA-256 of each 1 MiB piece of its bytes, in order; NULL until it was read to its end';
comment on column is248.delivery.files is 'Report files read from it';
comment on column is248.delivery.files_loaded is 'Of those, loaded';
comment on column is248.delivery.files_already is 'Of those, loaded before';
comment on column is248.delivery.files_rejected is 'Of those, set aside whole';
comment on column is248.delivery.completed_at is 'When the run finished reading it; NULL when it never did (interrupted, failed)';
comment on column is248.delivery.read_before is 'When the run did not read it because another had: that run''s delivery (the counts are copied from it)';

create table is248.delivery_piece (
    delivery_id  bigint not null references is248.delivery,
    piece_no     int not null,
    bytes        int not null,
    sha256       bytea not null,
    primary key (delivery_id, piece_no)
);

comment on table is248.delivery_piece is
    'The SHA-256 of each 1 MiB piece of a delivery, computed from its bytes by is248.delivery_pieces(); is248.delivery.digest is made of them.';
comment on column is248.delivery_piece.delivery_id is 'The delivery';
comment on column is248.delivery_piece.piece_no is 'Position of the piece (0 = first)';
comment on column is248.delivery_piece.bytes is 'Its size (1 MiB, less for the last)';
comment on column is248.delivery_piece.sha256 is 'SHA-256 of its bytes';

-- The run that read a delivery with this digest whole, with the reference
-- data of now, and what it found; no row when none did.  When there is
-- one, run p_run of this session records that it was given the delivery
-- again (as p_source) and did not read it: its counts include it.
create function is248.delivery_read(p_run bigint, p_source text,
                                    p_digest bytea)
returns table (run_id bigint, files int, files_loaded int,
               files_already int, files_rejected int,
               completed_at timestamptz)
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $fn$
declare
    v_before is248.delivery;
begin
    perform is248.own_run(p_run);
    select d.* into v_before
      from is248.delivery d
     where d.digest = p_digest and d.read_before is null
       and d.reference_sha256 = (select m.sha256 from is248.reference_meta m
                                  limit 1)
     order by d.completed_at
     limit 1;
    if not found then
        return;
    end if;
    insert into is248.delivery (run_id, source, bytes, reference_sha256,
                                digest, files, files_loaded, files_already,
                                files_rejected, completed_at, read_before)
    values (p_run, p_source, v_before.bytes, v_before.reference_sha256,
            v_before.digest, v_before.files, v_before.files_loaded,
            v_before.files_already, v_before.files_rejected, now(),
            v_before.delivery_id);
    return query
    select v_before.run_id, v_before.files, v_before.files_loaded,
           v_before.files_already, v_before.files_rejected,
           v_before.completed_at;
end
$fn$;

comment on function is248.delivery_read(bigint, text, bytea) is
    'The run that read a delivery with this digest to its end (with the reference data loaded now), and what it found in it; no row when none did.  When there is one, the run given (of this session) records that it was given it again and did not read it.';

create function is248.delivery_begin(p_run bigint, p_source text,
                                     p_bytes bigint)
returns bigint
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $fn$
declare
    v_id bigint;
begin
    perform is248.own_run(p_run);
    insert into is248.delivery (run_id, source, bytes, reference_sha256)
    values (p_run, p_source, p_bytes,
            coalesce((select m.sha256 from is248.reference_meta m limit 1), ''))
    returning delivery_id into v_id;
    return v_id;
end
$fn$;

comment on function is248.delivery_begin(bigint, text, bigint) is
    'Begin reading a delivery (a file given to import) in a run of this session; returns its id.';

-- Pieces p_first, p_first + 1, ... of a delivery of a run of this
-- session, as bytes: their SHA-256 is kept.
create function is248.delivery_pieces(p_delivery bigint, p_first int,
                                      p_pieces bytea[])
returns void
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
set work_mem = '64MB'
as $fn$
begin
    perform is248.own_run((select d.run_id from is248.delivery d
                            where d.delivery_id = p_delivery
                              and d.digest is null));
    insert into is248.delivery_piece (delivery_id, piece_no, bytes, sha256)
    select p_delivery, p_first + (p.n - 1)::int, octet_length(p.bytes),
           sha256(p.bytes)
      from unnest(p_pieces) with ordinality as p(bytes, n);
end
$fn$;

comment on function is248.delivery_pieces(bigint, int, bytea[]) is
    'The bytes of pieces of a delivery being read, from piece p_first on (1 MiB each, the last less); the database keeps their SHA-256.';

-- The delivery was read to its end: its digest (which must be the one the
-- loader computed, from the pieces it sent) and what was found in it (the
-- files of the run recorded under its path).
create function is248.delivery_end(p_delivery bigint, p_digest bytea)
returns void
language plpgsql
security definer
set search_path = pg_catalog, pg_temp
as $fn$
declare
    v_run    bigint;
    v_source text;
    v_bytes  bigint;
    v_digest bytea;
    v_sum    bigint;
    v_n      int;
    v_min    int;
    v_max    int;
begin
    select d.run_id, d.source, d.bytes into v_run, v_source, v_bytes
      from is248.delivery d
     where d.delivery_id = p_delivery and d.digest is null;
    perform is248.own_run(v_run);
    -- pieces 0 .. n - 1, each once (the key), of the size given
    select sha256(string_agg(p.sha256, ''::bytea order by p.piece_no)),
           sum(p.bytes), count(*), min(p.piece_no), max(p.piece_no)
      into v_digest, v_sum, v_n, v_min, v_max
      from is248.delivery_piece p where p.delivery_id = p_delivery;
    if v_digest is distinct from p_digest or v_sum is distinct from v_bytes
       or v_min is distinct from 0 or v_max is distinct from v_n - 1 then
        raise exception 'delivery %: the pieces sent are not the delivery given (% bytes in % pieces)',
            p_delivery, v_sum, v_n
            using errcode = 'invalid_parameter_value';
    end if;
    update is248.delivery d
       set digest = v_digest, completed_at = now(),
           (files, files_loaded, files_already, files_rejected) =
           (select count(*),
                   count(*) filter (where f.outcome = 'loaded'),
                   count(*) filter (where f.outcome = 'already_loaded'),
                   count(*) filter (where f.outcome in ('rejected',
                                                         'rejected_before'))
              from is248.source_file f
             where f.run_id = v_run and f.source = v_source)
     where d.delivery_id = p_delivery;
end
$fn$;

comment on function is248.delivery_end(bigint, bytea) is
    'Record that a delivery of a run of this session was read to its end: its digest, checked against the pieces sent, and the count of its files.';
