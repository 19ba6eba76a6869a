-- 0006: what "is248 status" reads, and a comment on every table, view,
-- column and function of the schema, so that \d+ in psql explains it.
--
-- The status views come first: is248_reader may not read the operators'
-- tables (import_run, rejection), so status reads these summaries, which
-- show counts and reasons but no raw answers.  tests/integration/
-- t_comments.sh fails for any table, view, column or function of is248
-- without a comment, also for those added by later migrations: comment
-- what you add where you add it.
--
-- The indicator columns carry the question as printed on the form
-- (delivery-format.md §5), then the values they take.

-- ---------------------------------------------------------------------------
-- For "is248 status"
-- ---------------------------------------------------------------------------

create view is248.import_summary as
select r.run_id, r.started_at, r.finished_at,
       case when r.status <> 'abandoned' then r.finished_at - r.started_at
       end as duration,
       r.db_user, r.status,
       r.files, r.files_loaded, r.files_already, r.files_rejected,
       r.reports_loaded, r.reports_unchanged, r.reports_rejected,
       r.answers_rejected, r.warnings, r.skipped
  from is248.import_run r;

-- Reasons differ in the values they quote, the words that explain them, the
-- lines and codes they name, and the file a conflicting report came from;
-- with those replaced, the same kind of problem has one class.  Small
-- numbers stay: they are part of the rule ("version 1 codes: 1–5, 9").
create function is248.reason_class(reason text) returns text
language sql immutable strict parallel safe
as $class$
select regexp_replace(regexp_replace(regexp_replace(regexp_replace(
       regexp_replace(regexp_replace(regexp_replace(reason,
           -- a quoted value: from a quote after a non-word character to the
           -- next quote before one (values may hold quotes; words such as
           -- "don't" are no quotes)
           '(?<![[:alnum:]])''.*?''(?![[:alnum:]])', '''…''', 'g'),
           -- what a quoted value means: code '1' (yes)
           '''…'' \([^)]*\)', '''…'' (…)', 'g'),
           -- a date or a time stamp
           '[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?',
           '…', 'g'),
           -- the file a conflicting report was loaded from
           '(already loaded from ).*?(: same unit)', '\1…\2'),
           -- line and report numbers
           '\m(line|report) [0-9]+\M', '\1 N', 'g'),
           -- unit codes, years, other numbers of three digits or more
           '(?<![[:alnum:]_.-])[0-9]{3,}(?![[:alnum:]_])', 'N', 'g'),
           -- the name after a unit code: unit code 1601 (Trondheim)
           '(unit code N) \([^)]*\)', '\1 (…)', 'g')
$class$;

create view is248.rejection_summary as
select x.run_id, x.level, x.reason_class,
       count(*)::int as rejections,
       (array_agg(x.reason order by x.rejection_id))[1] as example,
       (array_agg(x.source || case when x.entry <> '' then '!' || x.entry
                                   else '' end
                  order by x.rejection_id))[1] as example_source
  from (select r.*, is248.reason_class(r.reason) as reason_class
          from is248.rejection r) x
 group by x.run_id, x.level, x.reason_class;

grant select on is248.import_summary, is248.rejection_summary to is248_reader;
revoke all on function is248.reason_class(text) from public;
grant execute on function is248.reason_class(text) to is248_reader;

comment on view is248.import_summary is
    'One row per import run (is248.import_run without the command line), for is248 status; readable by is248_reader.';
comment on column is248.import_summary.run_id is 'Key of the run in is248.import_run';
comment on column is248.import_summary.started_at is 'When the run started';
comment on column is248.import_summary.finished_at is 'When the run ended; NULL while running; for an abandoned run, when the next import noticed it';
comment on column is248.import_summary.duration is 'finished_at - started_at; NULL while running and for abandoned runs, whose end is unknown';
comment on column is248.import_summary.db_user is 'Database role that ran the import';
comment on column is248.import_summary.status is 'running, ok, problems (something set aside), failed, interrupted or abandoned (see is248.import_run.status)';
comment on column is248.import_summary.files is 'Report files read (entries that are not reports are counted in skipped)';
comment on column is248.import_summary.files_loaded is 'Files loaded (some of their reports or answers may have been set aside)';
comment on column is248.import_summary.files_already is 'Files whose bytes had been loaded before: nothing changed';
comment on column is248.import_summary.files_rejected is 'Files set aside whole (not well-formed, DOCTYPE, not a report, archive faults, ...)';
comment on column is248.import_summary.reports_loaded is 'Reports new to the database';
comment on column is248.import_summary.reports_unchanged is 'Reports loaded before with the same content and submission time';
comment on column is248.import_summary.reports_rejected is 'Reports set aside whole (see is248.rejection, level report)';
comment on column is248.import_summary.answers_rejected is 'Single answers set aside; their reports loaded without them';
comment on column is248.import_summary.warnings is 'Warnings recorded (is248.warning); nothing was set aside for them';
comment on column is248.import_summary.skipped is 'Entries that are not report files (README.txt, __MACOSX/, ...), listed in is248.skipped_entry';

comment on function is248.reason_class(text) is
    'The class of a rejection or warning reason: quoted values become ''…'' (and words in parentheses after them (…)), dates and times …, line and report numbers and numbers of 3 digits or more N, so that the same kind of problem groups together.';

comment on view is248.rejection_summary is
    'What was set aside, per import run, level and reason class (is248.reason_class), with a count and the first example; readable by is248_reader.';
comment on column is248.rejection_summary.run_id is 'The import run (is248.import_summary)';
comment on column is248.rejection_summary.level is 'file (set aside whole), report (set aside whole, the rest of its file loaded) or answer (the rest of its report loaded)';
comment on column is248.rejection_summary.reason_class is 'The reason with its particulars replaced (is248.reason_class)';
comment on column is248.rejection_summary.rejections is 'How many were set aside for it in the run';
comment on column is248.rejection_summary.example is 'The reason of the first of them, as recorded';
comment on column is248.rejection_summary.example_source is 'The file of the first of them: archive!entry, or the path';

-- ---------------------------------------------------------------------------
-- Bookkeeping
-- ---------------------------------------------------------------------------

comment on table is248.schema_version is
    'The migrations applied (is248 migrate); the schema is at the highest version.';
comment on column is248.schema_version.version is 'Number of the migration (the NNNN of sql/NNNN_name.sql)';
comment on column is248.schema_version.applied_at is 'When it was applied';
comment on column is248.schema_version.name is 'File name of the migration';

comment on table is248.reference_meta is
    'Fingerprint of the reference data last loaded (one row); migrate reloads the reference tables when the CSVs compiled into is248 differ.';
comment on column is248.reference_meta.sha256 is 'SHA-256 (hex) of the reference CSV files, in order';
comment on column is248.reference_meta.loaded_at is 'When they were loaded';

-- ---------------------------------------------------------------------------
-- Reference data
-- ---------------------------------------------------------------------------

comment on table is248.municipality is
    'The municipality codes valid on 1 January of each year 2015-2026 (sql/reference/municipalities_by_year.csv).';
comment on column is248.municipality.year is 'Year';
comment on column is248.municipality.code is 'Municipality code (4 digits) valid on 1 January of the year';
comment on column is248.municipality.name is 'Name of the municipality that year';
comment on column is248.municipality.county_code is 'County code (2 digits) that year';

comment on table is248.municipality_change is
    'Every change of a municipality code since 2015: renumberings, mergers and splits (sql/reference/municipality_changes.csv); is248.unit_lineage follows them.';
comment on column is248.municipality_change.valid_from is 'Date the change took effect (1 January)';
comment on column is248.municipality_change.old_code is 'Code before the change';
comment on column is248.municipality_change.old_name is 'Name before the change';
comment on column is248.municipality_change.new_code is 'Code after the change (a split has one row per new code)';
comment on column is248.municipality_change.new_name is 'Name after the change';
comment on column is248.municipality_change.change is 'renumbered (same area, new code), merged (joined with others) or split';

comment on table is248.oslo_district is
    'Oslo''s city districts (bydeler), which report instead of Oslo as a whole (sql/reference/oslo_districts.csv).';
comment on column is248.oslo_district.code is 'District code: 0301 followed by 01-17';
comment on column is248.oslo_district.name is 'Name of the district';
comment on column is248.oslo_district.municipality_code is 'The municipality it belongs to (0301 Oslo)';

comment on table is248.size_class is
    'Size classes of the published national reports (delivery-format.md §6), by population on 1 January of the reporting year.';
comment on column is248.size_class.label is 'Name of the class, as in report_current.size_class and the trend views';
comment on column is248.size_class.ord is 'Position in tables (smallest first, Oslo bydel last)';
comment on column is248.size_class.min_population is 'Smallest population in the class; NULL for Oslo bydel';
comment on column is248.size_class.max_population is 'Largest population in the class; NULL when open-ended or for Oslo bydel';

-- ---------------------------------------------------------------------------
-- Import runs, files, what was set aside
-- ---------------------------------------------------------------------------

comment on table is248.import_run is
    'One row per is248 import: when, by whom, how it ended and what it counted.  For operators; is248_reader sees is248.import_summary.';
comment on column is248.import_run.run_id is 'Key of the run';
comment on column is248.import_run.started_at is 'When the run started';
comment on column is248.import_run.finished_at is 'When the run ended (for an abandoned run: when the next import marked it)';
comment on column is248.import_run.command is 'The command line as typed';
comment on column is248.import_run.db_user is 'Database role that ran the import';
comment on column is248.import_run.files is 'Report files read';
comment on column is248.import_run.files_loaded is 'Files loaded';
comment on column is248.import_run.files_already is 'Files whose bytes had been loaded before (nothing changed)';
comment on column is248.import_run.files_rejected is 'Files set aside whole';
comment on column is248.import_run.reports_loaded is 'Reports new to the database';
comment on column is248.import_run.reports_unchanged is 'Reports loaded before, same content and submission time';
comment on column is248.import_run.reports_rejected is 'Reports set aside whole';
comment on column is248.import_run.answers_rejected is 'Single answers set aside';
comment on column is248.import_run.warnings is 'Warnings recorded in is248.warning';
comment on column is248.import_run.skipped is 'Entries that are not report files (is248.skipped_entry)';

comment on table is248.source_file is
    'Every report file read: loaded, already loaded (the same bytes loaded before) or rejected (set aside whole).';
comment on column is248.source_file.file_id is 'Key of the file';
comment on column is248.source_file.run_id is 'The import run that read it';
comment on column is248.source_file.source is 'The path given to import, or the archive the file came from';
comment on column is248.source_file.entry is 'The entry inside the archive (escaped label); empty for a plain file';
comment on column is248.source_file.sha256 is 'SHA-256 of the file''s bytes; a file with the same bytes is loaded once';
comment on column is248.source_file.bytes is 'Size of the file in bytes (decompressed)';
comment on column is248.source_file.outcome is 'loaded, already_loaded or rejected';
comment on column is248.source_file.reports_loaded is 'Reports of the file new to the database';
comment on column is248.source_file.reports_unchanged is 'Reports of the file loaded before, unchanged';
comment on column is248.source_file.reports_rejected is 'Reports of the file set aside';
comment on column is248.source_file.answers_rejected is 'Answers of the file set aside';
comment on column is248.source_file.warnings is 'Warnings about the file';
comment on column is248.source_file.recorded_at is 'When it was recorded';

comment on table is248.rejection is
    'Everything set aside, with where it was and why: a whole file, a whole report, or a single answer.  For operators; is248_reader sees is248.rejection_summary.';
comment on column is248.rejection.rejection_id is 'Key of the rejection';
comment on column is248.rejection.run_id is 'The import run';
comment on column is248.rejection.file_id is 'The file in is248.source_file (NULL when none was recorded, e.g. an archive set aside)';
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

comment on table is248.skipped_entry is
    'Entries of a delivery that are not report files (README.txt, PDFs, __MACOSX/, ...): skipped and listed here.';
comment on column is248.skipped_entry.run_id is 'The import run';
comment on column is248.skipped_entry.source is 'The path given to import, or the archive';
comment on column is248.skipped_entry.entry is 'The entry inside the archive; empty for a plain file';
comment on column is248.skipped_entry.reason is 'Why it was skipped (not a report, system metadata, ...)';
comment on column is248.skipped_entry.recorded_at is 'When it was recorded';

-- ---------------------------------------------------------------------------
-- Reports and their raw answers
-- ---------------------------------------------------------------------------

comment on table is248.report is
    'Every report loaded, corrections and earlier submissions included, with the answers of the work chapter normalized to one vocabulary for both versions of the form.  Analysts read is248.report_current and is248.report_history.';

-- The columns report shares with report_history, and those
-- report_current_full shares with report_current, mean the same: copy
-- their comments (the question texts among them) rather than repeat them.
do $copy$
declare
    pair text[];
    c record;
begin
    foreach pair slice 1 in array array[['report_history', 'report'],
                                        ['report_current', 'report_current_full']] loop
        for c in
            select a.attname, pg_catalog.col_description(a.attrelid, a.attnum) as d
              from pg_catalog.pg_attribute a
             where a.attrelid = pg_catalog.to_regclass('is248.' || pair[1])
               and a.attnum > 0 and not a.attisdropped
               and pg_catalog.col_description(a.attrelid, a.attnum) is not null
               and exists (select 1 from pg_catalog.pg_attribute b
                            where b.attrelid = pg_catalog.to_regclass('is248.' || pair[2])
                              and b.attname = a.attname and not b.attisdropped)
        loop
            execute format('comment on column is248.%I.%I is %L', pair[2], c.attname, c.d);
        end loop;
    end loop;
end
$copy$;

comment on column is248.report.report_id is 'Key of the report';
comment on column is248.report.file_id is 'The file it was loaded from (is248.source_file)';
comment on column is248.report.report_index is 'Position of the report in its file (1 = first)';
comment on column is248.report.version is 'Version of the form: 1 (2015-2017) or 2 (2018 onward)';
comment on column is248.report.submission_id is 'Innsending/@id of a version 2 report; NULL for version 1';
comment on column is248.report.digest is 'Digest of the report''s content; the same unit, year and submission time with another digest is a conflict';
comment on column is248.report.submitted_at is 'When the report was submitted (v1 innsendt read as Norwegian time; v2 Innsending/@tidspunkt)';

comment on table is248.answer is
    'Every answer of every chapter of every report as it stood in the file, before normalization (the work chapter''s answers are also in is248.report).';
comment on column is248.answer.report_id is 'The report (is248.report)';
comment on column is248.answer.seq is 'Position of the answer in the report (0 = first)';
comment on column is248.answer.parent_seq is 'For a Valg (version 2): the seq of the Svar it belongs to; NULL otherwise';
comment on column is248.answer.chapter is 'Kapittel/@nr (version 2); NULL in version 1';
comment on column is248.answer.question is 'sporsmal/@id (version 1, such as 7.1) or Svar/@sporsmal (version 2, such as ARB_NAV_SAMARBEID)';
comment on column is248.answer.code is 'The kode attribute of a Svar or Valg (version 2); NULL when absent';
comment on column is248.answer.text is 'The element''s text as given (a version 1 code, a label, a number, free text)';

-- ---------------------------------------------------------------------------
-- Views without comments so far
-- ---------------------------------------------------------------------------

comment on column is248.report_current_full.report_id is 'Key of the report in is248.report';
comment on column is248.report_current_full.version is 'Version of the form: 1 (2015-2017) or 2 (2018 onward)';
comment on column is248.report_current_full.file_id is 'The file in is248.source_file';

comment on column is248.trend_nav_rating.very_good is 'Units rating the collaboration very good (svært god)';
comment on column is248.trend_nav_rating.good is 'Units rating it good (god)';
comment on column is248.trend_nav_rating.neither is 'Units rating it neither good nor bad (verken god eller dårlig)';
comment on column is248.trend_nav_rating.less_good is 'Units rating it less good (mindre god)';
comment on column is248.trend_nav_rating.bad is 'Units rating it bad (dårlig)';
comment on column is248.trend_nav_rating.dont_know is 'Units answering don''t know (vet ikke); left out of the percentages';

comment on column is248.expected_unit.year is 'Year (from is248.municipality)';
comment on column is248.expected_unit.unit_code is 'Municipality code valid that year, or Oslo city district code';
comment on column is248.expected_unit.unit_type is 'kommune or bydel';
comment on column is248.expected_unit.unit_name is 'Name in the reference data';

comment on column is248.coverage.year is 'Reporting year (every year up to the latest with a report)';
comment on column is248.coverage.units_expected is 'Units expected to report (is248.expected_unit)';
comment on column is248.coverage.units_reporting is 'Of those, units with a current report';
comment on column is248.coverage.pct_reporting is 'units_reporting in percent of units_expected';

comment on column is248.missing_report.year is 'Reporting year';
comment on column is248.missing_report.unit_code is 'Code of the unit expected to report';
comment on column is248.missing_report.unit_type is 'kommune or bydel';
comment on column is248.missing_report.unit_name is 'Name in the reference data';
