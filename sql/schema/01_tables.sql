-- 01_tables.sql - the tables: the schema's version, the import runs and the
-- files they read, the reports with their raw answers, and what was set
-- aside, warned about or skipped.
--
-- The files of sql/schema/ are the whole current schema, applied in the
-- order of their names by `is248 migrate` on an empty database, in one
-- transaction that also records version 1 in is248.schema_version (the
-- upgrades of sql/upgrade/, none yet, take it further).  Every name is
-- schema-qualified: migrate runs with search_path = pg_catalog, pg_temp.
-- Each object is defined once, with its comment beside it
-- (tests/integration/t_comments.sh fails for anything without one).
--
-- Names of the views and their columns are a public interface (saved
-- queries depend on them): keep them in an upgrade.

create schema if not exists is248;

comment on schema is248 is
    'IS-24/8 municipal returns (work chapter), loaded by is248';

-- ---------------------------------------------------------------------------
-- Bookkeeping
-- ---------------------------------------------------------------------------

-- load/db.c creates this table before it applies the schema (it needs it to
-- know the version); repeated here so that the file is complete on its own.
create table if not exists is248.schema_version (
    version     int primary key,
    applied_at  timestamptz not null default now(),
    name        text
);

comment on table is248.schema_version is
    'The schema''s versions applied by is248 migrate: 1 is the schema of sql/schema/, later versions the upgrades of sql/upgrade/; the database is at the highest.';
comment on column is248.schema_version.version is 'The version';
comment on column is248.schema_version.applied_at is 'When it was applied';
comment on column is248.schema_version.name is 'What was applied: schema, or the upgrade''s file name';

create table is248.reference_meta (
    sha256      text not null,
    loaded_at   timestamptz not null default now()
);

comment on table is248.reference_meta is
    'Fingerprint of the reference data last loaded (one row); migrate reloads the reference tables when the CSVs compiled into is248 differ.';
comment on column is248.reference_meta.sha256 is 'SHA-256 (hex) of the reference CSV files, in order';
comment on column is248.reference_meta.loaded_at is 'When they were loaded';

-- ---------------------------------------------------------------------------
-- Import runs and the files they read
-- ---------------------------------------------------------------------------

create table is248.import_run (
    run_id            bigserial primary key,
    started_at        timestamptz not null default now(),
    finished_at       timestamptz,
    command           text,
    db_user           text not null default session_user,
    backend_pid       int,
    status            text not null default 'running'
                      check (status in ('running', 'ok', 'problems', 'failed',
                                        'interrupted', 'abandoned')),
    files             bigint not null default 0,
    files_loaded      bigint not null default 0,
    files_already     bigint not null default 0,
    files_rejected    bigint not null default 0,
    files_rejected_before bigint not null default 0,
    reports_loaded    bigint not null default 0,
    reports_unchanged bigint not null default 0,
    reports_rejected  bigint not null default 0,
    answers_rejected  bigint not null default 0,
    warnings          bigint not null default 0,
    skipped           bigint not null default 0
);

comment on table is248.import_run is
    'One row per is248 import: when, by whom, how it ended and what it counted (counted by the database from what the run recorded).  For operators; is248_reader sees is248.import_summary.';
comment on column is248.import_run.run_id is 'Key of the run';
comment on column is248.import_run.started_at is 'When the run started';
comment on column is248.import_run.finished_at is 'When the run ended (for an abandoned run: when the next import marked it)';
comment on column is248.import_run.command is 'The command line as typed';
comment on column is248.import_run.db_user is 'Database role that ran the import (the session''s login)';
comment on column is248.import_run.backend_pid is 'Server process of the session that ran it; only that session may add to the run';
comment on column is248.import_run.status is
    'running (now, or never ended: see abandoned), ok (all loaded or loaded before), '
    'problems (loaded, something set aside), failed (a database failure stopped it), '
    'interrupted (SIGINT/SIGTERM; the open batch rolled back), abandoned (ended without '
    'a word: marked so by the next import)';
comment on column is248.import_run.files is 'Report files read';
comment on column is248.import_run.files_loaded is 'Files loaded';
comment on column is248.import_run.files_already is 'Files whose bytes had been loaded before (nothing changed)';
comment on column is248.import_run.files_rejected is 'Files set aside whole, new to the database';
comment on column is248.import_run.files_rejected_before is 'Files set aside whole whose same bytes had been set aside before: known, not recorded again';
comment on column is248.import_run.reports_loaded is 'Reports new to the database';
comment on column is248.import_run.reports_unchanged is 'Reports loaded before, same content and submission time';
comment on column is248.import_run.reports_rejected is 'Reports set aside whole';
comment on column is248.import_run.answers_rejected is 'Single answers set aside';
comment on column is248.import_run.warnings is 'Warnings recorded in is248.warning';
comment on column is248.import_run.skipped is 'Entries that are not report files (is248.skipped_entry)';

create table is248.source_file (
    file_id           bigserial primary key,
    run_id            bigint not null references is248.import_run,
    source            text not null,
    entry             text not null,
    sha256            bytea,
    bytes             bigint,
    outcome           text not null
                      check (outcome in ('loaded', 'already_loaded', 'rejected',
                                         'rejected_before')),
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
-- A file set aside whole is told so once: the same bytes again are known.
create index source_file_sha256_rejected
    on is248.source_file (sha256) where outcome = 'rejected';

comment on table is248.source_file is
    'Every report file read: loaded, already loaded (the same bytes loaded before), rejected (set aside whole) or rejected before (the same bytes set aside whole before: not recorded in is248.rejection again).  The SHA-256 of a loaded file is computed by the database from the bytes it was sent.';
comment on column is248.source_file.file_id is 'Key of the file';
comment on column is248.source_file.run_id is 'The import run that read it';
comment on column is248.source_file.source is 'The path given to import, or the archive the file came from';
comment on column is248.source_file.entry is 'The entry inside the archive (escaped label); empty for a plain file';
comment on column is248.source_file.sha256 is 'SHA-256 of the file''s bytes; a file with the same bytes is loaded once';
comment on column is248.source_file.bytes is 'Size of the file in bytes (decompressed)';
comment on column is248.source_file.outcome is 'loaded, already_loaded, rejected or rejected_before (the same bytes were set aside whole before)';
comment on column is248.source_file.reports_loaded is 'Reports of the file new to the database';
comment on column is248.source_file.reports_unchanged is 'Reports of the file loaded before, unchanged';
comment on column is248.source_file.reports_rejected is 'Reports of the file set aside';
comment on column is248.source_file.answers_rejected is 'Answers of the file set aside';
comment on column is248.source_file.warnings is 'Warnings about the file';
comment on column is248.source_file.recorded_at is 'When it was recorded';

-- ---------------------------------------------------------------------------
-- Reports and their raw answers
-- ---------------------------------------------------------------------------

-- One row per report, written only by is248.merge_batch().  No foreign
-- keys: the merge writes a report in the statement that writes its file
-- and checks its size class itself, and PostgreSQL checked the keys row
-- by row (tests/integration/lib.sh proves after every test that every
-- report has its file and a size class of is248.size_class).
create table is248.report (
    report_id             bigserial primary key,
    file_id               bigint not null,
    report_index          int not null,
    version               smallint not null check (version in (1, 2)),
    year                  int not null,
    unit_code             text not null,
    unit_type             text not null check (unit_type in ('kommune', 'bydel')),
    unit_name             text,
    county_code           text not null,
    population            int,
    size_class            text,
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
    answers               text not null,
    loaded_at             timestamptz not null default now(),
    unique (year, unit_code, submitted_at)
);

comment on table is248.report is
    'Every report loaded, corrections and earlier submissions included, with the answers of the work chapter normalized to one vocabulary for both versions of the form and every raw answer of every chapter (answers; read them through is248.answer).  Analysts read is248.report_current and is248.report_history.';
comment on column is248.report.report_id is 'Key of the report';
comment on column is248.report.file_id is 'The file it was loaded from (is248.source_file)';
comment on column is248.report.report_index is 'Position of the report in its file (1 = first)';
comment on column is248.report.version is 'Version of the form: 1 (2015-2017) or 2 (2018 onward)';
comment on column is248.report.year is 'Reporting year';
comment on column is248.report.unit_code is 'Municipality code (4 digits, as valid on 1 January of the year) or Oslo city district (6 digits)';
comment on column is248.report.unit_type is 'kommune or bydel';
comment on column is248.report.unit_name is 'Unit name as given in the report';
comment on column is248.report.county_code is 'County: the first two digits of the unit code';
comment on column is248.report.population is 'Population on 1 January of the reporting year, as reported (innbyggere); NULL when missing';
comment on column is248.report.size_class is 'Size class (delivery-format §6; is248.size_class); NULL without a population';
comment on column is248.report.submitted_at is 'When the report was submitted (v1 innsendt read as Norwegian time; v2 Innsending/@tidspunkt)';
comment on column is248.report.submission_id is 'Innsending/@id of a version 2 report; NULL for version 1';
comment on column is248.report.digest is 'Digest of the report''s content; the same unit, year and submission time with another digest is a conflict';
comment on column is248.report.nav_collab is 'The question nav_collab of is248.question (this comment is written from the catalogue at migrate: is248.catalogue_loaded())';
comment on column is248.report.nav_collab_specialist is 'The question nav_collab_specialist of is248.question (this comment is written from the catalogue at migrate: is248.catalogue_loaded())';
comment on column is248.report.nav_rating is 'The question nav_rating of is248.question (this comment is written from the catalogue at migrate: is248.catalogue_loaded())';
comment on column is248.report.ips_se_mental_health is 'The question ips_se_mental_health of is248.question (this comment is written from the catalogue at migrate: is248.catalogue_loaded())';
comment on column is248.report.ips_mental_health is 'Individuell jobbstøtte (IPS) innen psykisk helsearbeid (version 2 only; NULL where IPS and SE were asked together)';
comment on column is248.report.se_mental_health is 'Supported employment (SE) innen psykisk helsearbeid (version 2 only; NULL where IPS and SE were asked together)';
comment on column is248.report.ips_se_substance is 'The question ips_se_substance of is248.question (this comment is written from the catalogue at migrate: is248.catalogue_loaded())';
comment on column is248.report.ips_substance is 'Individuell jobbstøtte (IPS) innen rusarbeid (version 2 only; NULL where IPS and SE were asked together)';
comment on column is248.report.se_substance is 'Supported employment (SE) innen rusarbeid (version 2 only; NULL where IPS and SE were asked together)';
comment on column is248.report.answers is
    'Every answer of every chapter as it stood in the file, in document order, packed: answers separated by U+001E, the fields of one (parent_seq, chapter, question, code, text) by U+001F, U+001A for NULL; characters that XML cannot hold, so no value contains them.  Read it through is248.answer.';
comment on column is248.report.loaded_at is 'When the report was loaded';

-- The raw answers, one row each, unpacked from is248.report.answers.
-- Robust to any content (the loader cannot break the view for others):
-- a parent that is not a number is NULL.
create view is248.answer as
select r.report_id,
       (a.n - 1)::int as seq,
       case when f[1] ~ '^[0-9]{1,9}$' then f[1]::int end as parent_seq,
       f[2] as chapter, f[3] as question, f[4] as code, f[5] as text
  from is248.report r
 cross join lateral pg_catalog.string_to_table(r.answers, E'\x1e')
       with ordinality as a(packed, n)
 cross join lateral pg_catalog.string_to_array(a.packed, E'\x1f', E'\x1a') as f;

comment on view is248.answer is
    'Every answer of every chapter of every report as it stood in the file, before normalization, one row each (the work chapter''s answers are also in is248.report, normalized).';
comment on column is248.answer.report_id is 'The report (is248.report)';
comment on column is248.answer.seq is 'Position of the answer in the report (0 = first)';
comment on column is248.answer.parent_seq is 'For a Valg (version 2): the seq of the Svar it belongs to; NULL otherwise';
comment on column is248.answer.chapter is 'Kapittel/@nr (version 2); NULL in version 1';
comment on column is248.answer.question is 'sporsmal/@id (version 1, such as 7.1) or Svar/@sporsmal (version 2, such as ARB_NAV_SAMARBEID)';
comment on column is248.answer.code is 'The kode attribute of a Svar or Valg (version 2); NULL when absent';
comment on column is248.answer.text is 'The element''s text as given (a version 1 code, a label, a number, free text)';

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

comment on table is248.rejection is
    'Everything set aside, with where it was and why: a whole file, a whole report, or a single answer.  For operators; is248_reader sees is248.rejection_summary.';
comment on column is248.rejection.rejection_id is 'Key of the rejection';
comment on column is248.rejection.run_id is 'The import run';
comment on column is248.rejection.file_id is 'The file in is248.source_file';
comment on column is248.rejection.source is 'The path given to import, or the archive';
comment on column is248.rejection.entry is 'The entry inside the archive (escaped label); empty for a plain file';
comment on column is248.rejection.sha256 is 'SHA-256 of the file''s bytes, when they could be read';
comment on column is248.rejection.report_index is 'Position of the report in its file (1 = first); NULL for a file';
comment on column is248.rejection.year is 'Reporting year of the report, when it could be read';
comment on column is248.rejection.unit_code is 'Unit code of the report, when it could be read';
comment on column is248.rejection.question is 'The question of an answer set aside (v1 id such as 7.2, or v2 sporsmal such as ARB_NAV_SAMHANDLING)';
comment on column is248.rejection.level is 'file (set aside whole), report (set aside whole) or answer (set aside, the rest of its report loaded)';
comment on column is248.rejection.reason is 'Why, on one line; quoted values escaped';
comment on column is248.rejection.recorded_at is 'When it was recorded';

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

comment on table is248.warning is
    'Things worth knowing that set nothing aside (a unit name that differs from the reference, a file read as UTF-8 though declared ISO-8859-1, ...).';
comment on column is248.warning.warning_id is 'Key of the warning';
comment on column is248.warning.run_id is 'The import run';
comment on column is248.warning.file_id is 'The file in is248.source_file';
comment on column is248.warning.source is 'The path given to import, or the archive';
comment on column is248.warning.entry is 'The entry inside the archive; empty for a plain file';
comment on column is248.warning.sha256 is 'SHA-256 of the file''s bytes';
comment on column is248.warning.report_index is 'Position of the report in its file; NULL: about the file as a whole';
comment on column is248.warning.year is 'Reporting year of the report';
comment on column is248.warning.unit_code is 'Unit code of the report';
comment on column is248.warning.question is 'The question concerned, if any';
comment on column is248.warning.reason is 'What, on one line';
comment on column is248.warning.recorded_at is 'When it was recorded';

create table is248.skipped_entry (
    run_id       bigint references is248.import_run,
    source       text not null,
    entry        text not null,
    reason       text,
    recorded_at  timestamptz not null default now()
);

comment on table is248.skipped_entry is
    'Entries of a delivery that are not report files (README.txt, PDFs, __MACOSX/, ...): skipped and listed here.';
comment on column is248.skipped_entry.run_id is 'The import run';
comment on column is248.skipped_entry.source is 'The path given to import, or the archive';
comment on column is248.skipped_entry.entry is 'The entry inside the archive; empty for a plain file';
comment on column is248.skipped_entry.reason is 'Why it was skipped (not a report, system metadata, ...)';
comment on column is248.skipped_entry.recorded_at is 'When it was recorded';
