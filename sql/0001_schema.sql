-- 0001_schema.sql - the is248 schema: reference data, import bookkeeping,
-- reports with their raw answers, what was set aside, the merge of one
-- staged file, the views analysts query, and the two roles.
--
-- Run by `is248 migrate` (load/db.c) inside one transaction that also
-- records the version in is248.schema_version; the reference tables are
-- filled by db.c from the CSV files compiled into the program.  Every name
-- is schema-qualified: the migration runs with search_path = pg_catalog.
--
-- Names of the views and their columns are a public interface (saved
-- queries depend on them): change them only in a new migration that keeps
-- the old names working.

create schema if not exists is248;

comment on schema is248 is
    'IS-24/8 municipal returns (work chapter), loaded by is248';

-- ---------------------------------------------------------------------------
-- Bookkeeping
-- ---------------------------------------------------------------------------

-- db.c creates this table before it applies 0001 (it needs it to know the
-- version); repeated here so that the file is complete on its own.
create table if not exists is248.schema_version (
    version     int primary key,
    applied_at  timestamptz not null default now(),
    name        text
);

-- SHA-256 (hex) of the reference CSVs last loaded; one row.
create table is248.reference_meta (
    sha256      text not null,
    loaded_at   timestamptz not null default now()
);

-- ---------------------------------------------------------------------------
-- Reference data (loaded by migrate from sql/reference/*.csv)
-- ---------------------------------------------------------------------------

create table is248.municipality (
    year        int  not null,
    code        text not null,
    name        text not null,
    county_code text not null,
    primary key (year, code)
);

create table is248.municipality_change (
    valid_from  date not null,
    old_code    text not null,
    old_name    text,
    new_code    text not null,
    new_name    text,
    change      text not null
                check (change in ('renumbered', 'merged', 'split'))
);

create table is248.oslo_district (
    code              text primary key,
    name              text not null,
    municipality_code text not null
);

create table is248.size_class (
    label           text primary key,
    ord             int  not null unique,
    min_population  int,
    max_population  int
);

insert into is248.size_class (label, ord, min_population, max_population) values
    ('<2000',        1,     0,  1999),
    ('2000-4999',    2,  2000,  4999),
    ('5000-9999',    3,  5000,  9999),
    ('10000-19999',  4, 10000, 19999),
    ('20000-49999',  5, 20000, 49999),
    ('50000+',       6, 50000,  null),
    ('Oslo bydel',   7,  null,  null);

-- ---------------------------------------------------------------------------
-- Import runs and the files they read
-- ---------------------------------------------------------------------------

create table is248.import_run (
    run_id            bigserial primary key,
    started_at        timestamptz not null default now(),
    finished_at       timestamptz,
    command           text,
    db_user           text not null default current_user,
    status            text not null default 'running'
                      check (status in ('running', 'ok', 'problems', 'failed',
                                        'interrupted')),
    files             bigint not null default 0,
    files_loaded      bigint not null default 0,
    files_already     bigint not null default 0,
    files_rejected    bigint not null default 0,
    reports_loaded    bigint not null default 0,
    reports_unchanged bigint not null default 0,
    reports_rejected  bigint not null default 0,
    answers_rejected  bigint not null default 0,
    warnings          bigint not null default 0,
    skipped           bigint not null default 0
);

create table is248.source_file (
    file_id           bigserial primary key,
    run_id            bigint references is248.import_run,
    source            text not null,
    entry             text not null,
    sha256            bytea,
    bytes             bigint,
    outcome           text not null
                      check (outcome in ('loaded', 'already_loaded', 'rejected')),
    reports_loaded    int not null default 0,
    reports_unchanged int not null default 0,
    reports_rejected  int not null default 0,
    answers_rejected  int not null default 0,
    warnings          int not null default 0,
    recorded_at       timestamptz not null default now()
);

-- The same bytes are loaded once.
create unique index source_file_sha256_loaded
    on is248.source_file (sha256) where outcome = 'loaded';
create index source_file_run on is248.source_file (run_id);

-- ---------------------------------------------------------------------------
-- Reports and their raw answers
-- ---------------------------------------------------------------------------

create table is248.report (
    report_id             bigserial primary key,
    file_id               bigint not null references is248.source_file,
    report_index          int not null,
    version               smallint not null check (version in (1, 2)),
    year                  int not null,
    unit_code             text not null,
    unit_type             text not null check (unit_type in ('kommune', 'bydel')),
    unit_name             text,
    county_code           text not null,
    population            int,
    size_class            text references is248.size_class,
    submitted_at          timestamptz not null,
    submission_id         text,
    digest                bytea not null,
    nav_collab            text check (nav_collab in ('yes', 'no', 'dont_know')),
    nav_collab_specialist text check (nav_collab_specialist in ('yes', 'no', 'dont_know')),
    nav_rating            text check (nav_rating in ('very_good', 'good', 'neither',
                                                     'less_good', 'bad', 'dont_know')),
    ips_se_mental_health  text check (ips_se_mental_health in ('yes', 'no', 'dont_know')),
    ips_mental_health     boolean,
    se_mental_health      boolean,
    ips_se_substance      text check (ips_se_substance in ('yes', 'no', 'dont_know')),
    ips_substance         boolean,
    se_substance          boolean,
    loaded_at             timestamptz not null default now(),
    unique (year, unit_code, submitted_at)
);

create index report_file on is248.report (file_id);

-- Every answer of every chapter as it stood in the file.  seq is the
-- answer's position in the report (raw_answer index); parent_seq the
-- position of the Svar a Valg belongs to.
create table is248.answer (
    report_id   bigint not null references is248.report on delete cascade,
    seq         int not null,
    parent_seq  int,
    chapter     text,
    question    text,
    code        text,
    text        text,
    primary key (report_id, seq)
);

-- ---------------------------------------------------------------------------
-- What was set aside, warned about, or skipped
-- ---------------------------------------------------------------------------

create table is248.rejection (
    rejection_id  bigserial primary key,
    run_id        bigint references is248.import_run,
    file_id       bigint references is248.source_file,
    source        text not null,
    entry         text not null,
    sha256        bytea,
    report_index  int,
    year          int,
    unit_code     text,
    question      text,
    level         text not null check (level in ('file', 'report', 'answer')),
    reason        text not null,
    recorded_at   timestamptz not null default now()
);

create index rejection_run on is248.rejection (run_id);

create table is248.warning (
    warning_id    bigserial primary key,
    run_id        bigint references is248.import_run,
    file_id       bigint references is248.source_file,
    source        text not null,
    entry         text not null,
    sha256        bytea,
    report_index  int,
    year          int,
    unit_code     text,
    question      text,
    reason        text not null,
    recorded_at   timestamptz not null default now()
);

create index warning_run on is248.warning (run_id);

create table is248.skipped_entry (
    run_id       bigint references is248.import_run,
    source       text not null,
    entry        text not null,
    reason       text,
    recorded_at  timestamptz not null default now()
);

-- ---------------------------------------------------------------------------
-- Merge one staged file
-- ---------------------------------------------------------------------------

-- The loader (load/loader.c) streams a file into the session's temporary
-- table pg_temp.is248_stage with one COPY, then calls this function and
-- commits.  Rows of the stage, by kind:
--   'r' a report that normalized (one per report_index);
--   'a' one raw answer of such a report (seq, parent_seq, chapter, ...);
--   'p' a problem that sets something aside (level 'report' or 'answer');
--   'w' a warning (report_index null: about the file as a whole).
-- The loader's connection creates the stage; its definition lives in
-- load/loader.c (STAGE_DDL) and must match the columns used here.
create function is248.merge_file(
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
    select f.source || case when f.entry <> '' then '!' || f.entry else '' end
      into already_entry
      from is248.source_file f
     where f.sha256 = p_sha and f.outcome = 'loaded'
     limit 1;
    if found then
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
    counts as (
        select (select count(*) from decided
                 where decision = 'new')::int as n_new,
               (select count(*) from decided
                 where decision = 'unchanged')::int as n_same,
               ((select count(*) from decided where decision = 'conflict') +
                (select count(distinct report_index) from linked
                  where kind = 'p' and level = 'report'))::int as n_rejected,
               (select count(*) from linked
                 where kind = 'p' and level = 'answer'
                   and decision is distinct from 'unchanged')::int as n_answers,
               (select count(*) from linked
                 where kind = 'w'
                   and decision is distinct from 'unchanged')::int as n_warnings
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

comment on function is248.merge_file(bigint, text, text, bytea, bigint) is
    'Merge the file staged in pg_temp.is248_stage (see load/loader.c) into '
    'the tables; returns what became of it.  Call inside the transaction of '
    'the COPY, then commit.';

-- ---------------------------------------------------------------------------
-- Views
-- ---------------------------------------------------------------------------

-- The current report per unit and year with what the trend views need
-- besides (version).  Internal: readers use report_current.
create view is248.report_current_full as
select r.report_id, r.version, r.file_id,
       r.year, r.unit_code, r.unit_type, r.unit_name, r.county_code,
       r.population, r.size_class,
       r.nav_collab,
       case when r.nav_collab = 'yes' then r.nav_collab_specialist
       end as nav_collab_specialist,
       r.nav_rating,
       r.ips_se_mental_health, r.ips_mental_health, r.se_mental_health,
       r.ips_se_substance, r.ips_substance, r.se_substance,
       r.submitted_at,
       f.source || case when f.entry <> '' then '!' || f.entry else '' end
           as source
  from is248.report r
  join is248.source_file f on f.file_id = r.file_id
 where not exists (select 1 from is248.report l
                    where l.year = r.year and l.unit_code = r.unit_code
                      and l.submitted_at > r.submitted_at);

create view is248.report_current as
select c.year, c.unit_code, c.unit_type, c.unit_name, c.county_code,
       c.population, c.size_class, c.nav_collab, c.nav_collab_specialist,
       c.nav_rating, c.ips_se_mental_health, c.ips_mental_health,
       c.se_mental_health, c.ips_se_substance, c.ips_substance,
       c.se_substance, c.submitted_at, c.source
  from is248.report_current_full c;

create view is248.report_history as
select r.year, r.unit_code, r.unit_type, r.unit_name, r.county_code,
       r.population, r.size_class, r.nav_collab,
       r.nav_collab_specialist,  -- as given (§5), even after no
       r.nav_rating, r.ips_se_mental_health, r.ips_mental_health,
       r.se_mental_health, r.ips_se_substance, r.ips_substance,
       r.se_substance, r.submitted_at,
       f.source || case when f.entry <> '' then '!' || f.entry else '' end
           as source,
       r.report_id,
       not exists (select 1 from is248.report l
                    where l.year = r.year and l.unit_code = r.unit_code
                      and l.submitted_at > r.submitted_at) as is_current,
       r.file_id, r.loaded_at
  from is248.report r
  join is248.source_file f on f.file_id = r.file_id;

-- Trend views: one row per year and size class present, and one per year
-- with size_class 'Alle' for every unit (those without a size class
-- included).  Ordered by year and size class, 'Alle' last.
create view is248.trend_nav_collab as
select g.year, g.size_class, g.units_reporting, g.units_answered,
       g.units_yes, g.units_no, g.units_dont_know,
       round(100.0 * g.units_yes / nullif(g.units_answered, 0), 1) as pct_yes
  from (select c.year,
               case when grouping(c.size_class) = 1 then 'Alle'
                    else c.size_class end as size_class,
               count(*)::int as units_reporting,
               count(c.nav_collab)::int as units_answered,
               (count(*) filter (where c.nav_collab = 'yes'))::int as units_yes,
               (count(*) filter (where c.nav_collab = 'no'))::int as units_no,
               (count(*) filter (where c.nav_collab = 'dont_know'))::int
                   as units_dont_know
          from is248.report_current_full c
         group by grouping sets ((c.year, c.size_class), (c.year))
        having grouping(c.size_class) = 1 or c.size_class is not null) g
  left join is248.size_class s on s.label = g.size_class
 order by g.year, coalesce(s.ord, 2147483647);

create view is248.trend_nav_rating as
select g.year, g.size_class, g.units_answered,
       g.very_good, g.good, g.neither, g.less_good, g.bad, g.dont_know,
       round(100.0 * (g.very_good + g.good)
             / nullif(g.units_answered - g.dont_know, 0), 1) as pct_good,
       round(100.0 * g.neither
             / nullif(g.units_answered - g.dont_know, 0), 1) as pct_neither,
       round(100.0 * (g.less_good + g.bad)
             / nullif(g.units_answered - g.dont_know, 0), 1)
           as pct_less_good_or_bad
  from (select c.year,
               case when grouping(c.size_class) = 1 then 'Alle'
                    else c.size_class end as size_class,
               count(c.nav_rating)::int as units_answered,
               (count(*) filter (where c.nav_rating = 'very_good'))::int as very_good,
               (count(*) filter (where c.nav_rating = 'good'))::int as good,
               (count(*) filter (where c.nav_rating = 'neither'))::int as neither,
               (count(*) filter (where c.nav_rating = 'less_good'))::int as less_good,
               (count(*) filter (where c.nav_rating = 'bad'))::int as bad,
               (count(*) filter (where c.nav_rating = 'dont_know'))::int as dont_know
          from is248.report_current_full c
         group by grouping sets ((c.year, c.size_class), (c.year))
        having grouping(c.size_class) = 1 or c.size_class is not null) g
  left join is248.size_class s on s.label = g.size_class
 order by g.year, coalesce(s.ord, 2147483647);

create view is248.trend_ips_se as
select g.year, g.size_class, g.field, g.units_answered, g.units_yes,
       g.units_ips, g.units_se,
       round(100.0 * g.units_yes / nullif(g.units_answered, 0), 1) as pct_yes
  from (select c.year,
               case when grouping(c.size_class) = 1 then 'Alle'
                    else c.size_class end as size_class,
               v.field,
               count(v.answer)::int as units_answered,
               (count(*) filter (where v.answer = 'yes'))::int as units_yes,
               case when min(c.version) >= 2
                    then (count(*) filter (where v.ips))::int end as units_ips,
               case when min(c.version) >= 2
                    then (count(*) filter (where v.se))::int end as units_se
          from is248.report_current_full c
          cross join lateral (values
              ('mental_health', c.ips_se_mental_health, c.ips_mental_health,
               c.se_mental_health),
              ('substance', c.ips_se_substance, c.ips_substance,
               c.se_substance)) as v(field, answer, ips, se)
         group by grouping sets ((c.year, v.field, c.size_class),
                                 (c.year, v.field))
        having grouping(c.size_class) = 1 or c.size_class is not null) g
  left join is248.size_class s on s.label = g.size_class
 order by g.year, coalesce(s.ord, 2147483647), g.field;

-- ---------------------------------------------------------------------------
-- Comments on the views analysts use
-- ---------------------------------------------------------------------------

comment on view is248.report_current_full is
    'Internal: report_current with report_id, version and file_id, for the trend views.';

comment on view is248.report_current is
    'The current report of every unit and year: the one with the latest submission time.';
comment on view is248.report_history is
    'Every report loaded, corrections and earlier submissions included; is_current marks the one in report_current.';
comment on view is248.trend_nav_collab is
    'Collaboration with Nav (nav_collab) per year and size class, over report_current; size_class ''Alle'' is every unit.';
comment on view is248.trend_nav_rating is
    'Rating of the collaboration with Nav (nav_rating) per year and size class; percentages are of the units that rated (don''t know left out).';
comment on view is248.trend_ips_se is
    'IPS or SE in use (ips_se_*) per year, size class and field; units_ips and units_se are NULL for years whose form asked about IPS and SE together.';

do $comments$
declare
    v text;
begin
    foreach v in array array['report_current', 'report_history'] loop
        execute format($c$
            comment on column is248.%1$I.year is 'Reporting year';
            comment on column is248.%1$I.unit_code is 'Municipality code (4 digits, as valid on 1 January of the year) or Oslo city district (6 digits)';
            comment on column is248.%1$I.unit_type is 'kommune or bydel';
            comment on column is248.%1$I.unit_name is 'Unit name as given in the report';
            comment on column is248.%1$I.county_code is 'County: the first two digits of the unit code';
            comment on column is248.%1$I.population is 'Population on 1 January of the reporting year, as reported (innbyggere); NULL when missing';
            comment on column is248.%1$I.size_class is 'Size class (delivery-format §6; is248.size_class); NULL without a population';
            comment on column is248.%1$I.nav_collab is 'Har kommunen etablert et samarbeid mellom helse- og omsorgstjenesten og NAV om arbeidsrettet rehabilitering til personer med psykiske lidelser og/eller rusmiddelproblemer? (yes, no, dont_know; NULL not answered or not asked)';
            comment on column is248.%1$I.nav_collab_specialist is 'Hvis ja, gjøres dette i samarbeid med spesialisthelsetjenesten? (yes, no, dont_know; NULL unless nav_collab is yes)';
            comment on column is248.%1$I.nav_rating is 'Hvordan vurderer kommunen samhandlingen med NAV om arbeidstiltak for personer med psykiske lidelser og/eller rusmiddelproblemer? (very_good, good, neither, less_good, bad, dont_know)';
            comment on column is248.%1$I.ips_se_mental_health is 'Har kommunen tatt i bruk individuell jobbstøtte (IPS) / supported employment (SE) innen psykisk helsearbeid? (yes: IPS or SE, no, dont_know)';
            comment on column is248.%1$I.ips_mental_health is 'Individuell jobbstøtte (IPS) innen psykisk helsearbeid (version 2 only; NULL where IPS and SE were asked together)';
            comment on column is248.%1$I.se_mental_health is 'Supported employment (SE) innen psykisk helsearbeid (version 2 only; NULL where IPS and SE were asked together)';
            comment on column is248.%1$I.ips_se_substance is 'Har kommunen tatt i bruk individuell jobbstøtte (IPS) / supported employment (SE) innen rusarbeid? (yes: IPS or SE, no, dont_know)';
            comment on column is248.%1$I.ips_substance is 'Individuell jobbstøtte (IPS) innen rusarbeid (version 2 only; NULL where IPS and SE were asked together)';
            comment on column is248.%1$I.se_substance is 'Supported employment (SE) innen rusarbeid (version 2 only; NULL where IPS and SE were asked together)';
            comment on column is248.%1$I.submitted_at is 'When the report was submitted';
            comment on column is248.%1$I.source is 'The file it was loaded from: archive!entry';
        $c$, v);
    end loop;
end
$comments$;

comment on column is248.report_history.nav_collab_specialist is 'Hvis ja, gjøres dette i samarbeid med spesialisthelsetjenesten? (yes, no, dont_know) As given, also after nav_collab no or dont_know, when it does not count (report_current shows it only after yes)';
comment on column is248.report_history.report_id is 'Key of the report in is248.report';
comment on column is248.report_history.is_current is 'True for the report shown in report_current';
comment on column is248.report_history.file_id is 'The file in is248.source_file';
comment on column is248.report_history.loaded_at is 'When the report was loaded';

do $comments$
declare
    v text;
begin
    foreach v in array array['trend_nav_collab', 'trend_nav_rating', 'trend_ips_se'] loop
        execute format($c$
            comment on column is248.%1$I.year is 'Reporting year';
            comment on column is248.%1$I.size_class is 'Size class (is248.size_class), or Alle for every unit including those without a size class';
            comment on column is248.%1$I.units_answered is 'Units that answered (dont_know included)';
        $c$, v);
    end loop;
end
$comments$;

comment on column is248.trend_nav_collab.units_reporting is 'Units with a current report';
comment on column is248.trend_nav_collab.units_yes is 'Units answering yes';
comment on column is248.trend_nav_collab.units_no is 'Units answering no';
comment on column is248.trend_nav_collab.units_dont_know is 'Units answering dont_know';
comment on column is248.trend_nav_collab.pct_yes is 'units_yes in percent of units_answered (NULL when none answered)';
comment on column is248.trend_nav_rating.pct_good is 'very_good + good in percent of the units that rated (answered less dont_know)';
comment on column is248.trend_nav_rating.pct_neither is 'neither in percent of the units that rated';
comment on column is248.trend_nav_rating.pct_less_good_or_bad is 'less_good + bad in percent of the units that rated';
comment on column is248.trend_ips_se.field is 'mental_health (psykisk helsearbeid) or substance (rusarbeid)';
comment on column is248.trend_ips_se.units_yes is 'Units with IPS or SE in use';
comment on column is248.trend_ips_se.units_ips is 'Units with IPS in use; NULL for years whose form asked about IPS and SE together';
comment on column is248.trend_ips_se.units_se is 'Units with SE in use; NULL for years whose form asked about IPS and SE together';
comment on column is248.trend_ips_se.pct_yes is 'units_yes in percent of units_answered';

-- ---------------------------------------------------------------------------
-- Roles and privileges
-- ---------------------------------------------------------------------------

-- Roles are cluster-wide: create them when missing.  Creating them needs
-- CREATEROLE; without it, a superuser creates them first.
do $roles$
declare
    r text;
begin
    foreach r in array array['is248_reader', 'is248_loader'] loop
        if not exists (select 1 from pg_catalog.pg_roles where rolname = r) then
            begin
                execute format('create role %I nologin', r);
            exception
            when unique_violation or duplicate_object then
                null;  -- a migrate of another database made it just now
            when insufficient_privilege then
                raise exception 'cannot create role "%": %', r, sqlerrm
                    using hint = 'create the roles is248_reader and is248_loader '
                                 '(NOLOGIN) as a superuser, then run migrate again';
            end;
        end if;
    end loop;
end
$roles$;

revoke all on schema is248 from public;
revoke all on all tables in schema is248 from public;
revoke all on all sequences in schema is248 from public;
revoke all on function is248.merge_file(bigint, text, text, bytea, bigint) from public;

-- Readers: the views.
grant usage on schema is248 to is248_reader;
grant select on is248.report_current, is248.report_history,
                is248.trend_nav_collab, is248.trend_nav_rating,
                is248.trend_ips_se
   to is248_reader;
-- and the schema's version, so that "is248 trends" can check it
grant select on is248.schema_version to is248_reader;

-- Loaders: what an import needs, and no schema changes.
grant usage on schema is248 to is248_loader;
grant select on is248.schema_version, is248.reference_meta,
                is248.municipality, is248.municipality_change,
                is248.oslo_district, is248.size_class
   to is248_loader;
grant select, insert on is248.source_file, is248.report, is248.answer,
                        is248.rejection, is248.warning, is248.skipped_entry
   to is248_loader;
grant select, insert, update on is248.import_run to is248_loader;
grant usage on all sequences in schema is248 to is248_loader;
grant execute on function is248.merge_file(bigint, text, text, bytea, bigint)
   to is248_loader;
-- (roles are cluster-wide: granted once; granting it again would need the
-- admin option on is248_reader, which an owner that is no superuser lacks)
do $member$
begin
    if not pg_catalog.pg_has_role('is248_loader', 'is248_reader', 'member') then
        grant is248_reader to is248_loader;
    end if;
end
$member$;
