-- 05_status.sql - what `is248 status` reads: the runs, what was set aside
-- grouped by kind, and how many of the expected units have reported.
-- is248_reader may not read the operators' tables (import_run, rejection):
-- these show counts and reasons but no raw answers.

create view is248.import_summary as
select r.run_id, r.started_at, r.finished_at,
       case when r.status <> 'abandoned' then r.finished_at - r.started_at
       end as duration,
       r.db_user, r.status,
       r.files, r.files_loaded, r.files_already, r.files_rejected,
       r.files_rejected_before, r.reports_loaded, r.reports_unchanged, r.reports_rejected,
       r.answers_rejected, r.warnings, r.skipped
  from is248.import_run r;

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
comment on column is248.import_summary.files_rejected is 'Files set aside whole (not well-formed, DOCTYPE, not a report, archive faults, ...), new to the database';
comment on column is248.import_summary.files_rejected_before is 'Files set aside whole whose same bytes had been set aside before: known problems, told but not recorded again';
comment on column is248.import_summary.reports_loaded is 'Reports new to the database';
comment on column is248.import_summary.reports_unchanged is 'Reports loaded before with the same content and submission time';
comment on column is248.import_summary.reports_rejected is 'Reports set aside whole (see is248.rejection, level report)';
comment on column is248.import_summary.answers_rejected is 'Single answers set aside; their reports loaded without them';
comment on column is248.import_summary.warnings is 'Warnings recorded (is248.warning); nothing was set aside for them';
comment on column is248.import_summary.skipped is 'Entries that are not report files (README.txt, __MACOSX/, ...), listed in is248.skipped_entry';

-- Reasons differ in the values they quote, the words that explain them, the
-- lines and codes they name, and the file a conflicting report came from;
-- with those replaced, the same kind of problem has one class.  Small
-- numbers stay: they are part of the rule ("version 1 codes: 1–5, 9").
create function is248.reason_class(reason text) returns text
language sql immutable strict parallel safe
set search_path = pg_catalog, pg_temp
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

comment on function is248.reason_class(text) is
    'The class of a rejection or warning reason: quoted values become ''…'' (and words in parentheses after them (…)), dates and times …, line and report numbers and numbers of 3 digits or more N, so that the same kind of problem groups together.';

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

comment on view is248.rejection_summary is
    'What was set aside, per import run, level and reason class (is248.reason_class), with a count and the first example; readable by is248_reader.';
comment on column is248.rejection_summary.run_id is 'The import run (is248.import_summary)';
comment on column is248.rejection_summary.level is 'file (set aside whole), report (set aside whole, the rest of its file loaded) or answer (the rest of its report loaded)';
comment on column is248.rejection_summary.reason_class is 'The reason with its particulars replaced (is248.reason_class)';
comment on column is248.rejection_summary.rejections is 'How many were set aside for it in the run';
comment on column is248.rejection_summary.example is 'The reason of the first of them, as recorded';
comment on column is248.rejection_summary.example_source is 'The file of the first of them: archive!entry, or the path';

create view is248.coverage as
select e.year, count(*)::int as units_expected, count(r.unit_code)::int as units_reporting,
       round(100.0 * count(r.unit_code) / count(*), 1) as pct_reporting
from is248.expected_unit e
left join is248.report_current r on r.year = e.year and r.unit_code = e.unit_code
where e.year <= (select max(year) from is248.report)
group by e.year
order by e.year;

comment on view is248.coverage is
    'Per year up to the latest reported: units expected, units with a current report, and the share in percent.';
comment on column is248.coverage.year is 'Reporting year (every year up to the latest with a report)';
comment on column is248.coverage.units_expected is 'Units expected to report (is248.expected_unit)';
comment on column is248.coverage.units_reporting is 'Of those, units with a current report';
comment on column is248.coverage.pct_reporting is 'units_reporting in percent of units_expected';

create view is248.missing_report as
select e.year, e.unit_code, e.unit_type, e.unit_name
from is248.expected_unit e
where e.year <= (select max(year) from is248.report)
  and not exists (select 1 from is248.report_current r
                  where r.year = e.year and r.unit_code = e.unit_code)
order by e.year, e.unit_code;

comment on view is248.missing_report is
    'Units expected to report in a year that have no report for it.';
comment on column is248.missing_report.year is 'Reporting year';
comment on column is248.missing_report.unit_code is 'Code of the unit expected to report';
comment on column is248.missing_report.unit_type is 'kommune or bydel';
comment on column is248.missing_report.unit_name is 'Name in the reference data';

create view is248.warning_summary as
select x.run_id, x.reason_class,
       count(*)::int as warnings,
       (array_agg(x.reason order by x.warning_id))[1] as example,
       (array_agg(x.source || case when x.entry <> '' then '!' || x.entry
                                   else '' end
                  order by x.warning_id))[1] as example_source,
       (array_agg(x.unit_code order by x.unit_code)
            filter (where x.unit_code is not null))[1:5] as units
  from (select w.*, is248.reason_class(w.reason) as reason_class
          from is248.warning w) x
 group by x.run_id, x.reason_class;

comment on view is248.warning_summary is
    'What was warned about, per import run and reason class (is248.reason_class), with a count, the first example and the first units; nothing was set aside for a warning.  Readable by is248_reader.';
comment on column is248.warning_summary.run_id is 'The import run (is248.import_summary)';
comment on column is248.warning_summary.reason_class is 'The reason with its particulars replaced (is248.reason_class)';
comment on column is248.warning_summary.warnings is 'How many warnings of the class the run recorded';
comment on column is248.warning_summary.example is 'The reason of the first of them, as recorded';
comment on column is248.warning_summary.example_source is 'The file of the first of them: archive!entry, or the path';
comment on column is248.warning_summary.units is 'Up to five of the units concerned, in code order';

-- What is still set aside: a rejection is open until something good took
-- its place.  A report or an answer of a known unit and year: a report of
-- that unit and year loaded by a later run.  A whole file, or a report
-- whose unit or year could not be read: a file of the same name (the
-- entry inside its archive, or the path when it is no archive's) loaded
-- by a later run.  A file set aside again with the same bytes adds no
-- rejection (is248.source_file outcome rejected_before): it stays the one
-- open rejection it was.
-- security_barrier: the reader may read this view but not is248.rejection,
-- and a condition of the reader's (a cast that fails, a function that
-- prints its argument) must not see the closed rows the view filters out.
create view is248.open_rejection with (security_barrier) as
select r.run_id, r.level,
       r.source || case when r.entry <> '' then '!' || r.entry else '' end
           as file,
       r.report_index, r.year, r.unit_code, r.question, r.reason,
       r.recorded_at
  from is248.rejection r
 where case
       when r.level <> 'file' and r.year is not null
            and r.unit_code is not null then
           not exists (select from is248.report p
                         join is248.source_file f on f.file_id = p.file_id
                        where p.year = r.year and p.unit_code = r.unit_code
                          and f.run_id > r.run_id)
       else
           not exists (select from is248.source_file f
                        where f.outcome = 'loaded' and f.run_id > r.run_id
                          and case when r.entry <> '' then f.entry = r.entry
                                   else f.entry = '' and f.source = r.source
                              end)
       end;

comment on view is248.open_rejection is
    'What is still set aside and was never replaced: a report or answer until a later run loads a report of its unit and year, a file (or a report of unknown unit or year) until a later run loads a file of the same name.  For is248 status --open; readable by is248_reader.';
comment on column is248.open_rejection.run_id is 'The run that set it aside';
comment on column is248.open_rejection.level is 'file, report or answer';
comment on column is248.open_rejection.file is 'The file: archive!entry, or the path';
comment on column is248.open_rejection.report_index is 'Position of the report in its file; NULL for a file';
comment on column is248.open_rejection.year is 'Reporting year, when it could be read';
comment on column is248.open_rejection.unit_code is 'Unit code, when it could be read';
comment on column is248.open_rejection.question is 'The question of an answer set aside';
comment on column is248.open_rejection.reason is 'Why, as recorded';
comment on column is248.open_rejection.recorded_at is 'When';
