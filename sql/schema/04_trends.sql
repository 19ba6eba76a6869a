-- 04_trends.sql - what analysts read: the current report of every unit and
-- year, every report ever loaded, every answer to a question of the form's
-- catalogue as one long view, and the trends by year and size class, whole
-- or for a selection of years, size classes and counties; the catalogue of
-- the form and of the indicators, and the words for the answers.
--
-- The catalogue is data: the CSV files of sql/catalogue/, compiled into the
-- program, which reads them itself (transform/codes.c the form's questions
-- and codes, cli/catalog.c the indicators) and loads them here at migrate
-- (load/migrate.c), so that the normalizer, trends, report, export, the
-- charts and SQL share one definition of each question, its codes, each
-- indicator, its columns and their words in Bokmål and English.  After
-- loading them migrate calls is248.catalogue_loaded(), which takes what
-- follows from them into the rest of the schema (the comments of the wide
-- columns, each indicator's question).
--
-- The trend functions read report_current_full and size_class, which
-- is248_reader may not read: they run as their owner (SECURITY DEFINER,
-- with a fixed search_path), read only, and return what the views show.
-- Each trend view is its function with nothing selected, so every figure
-- has one definition.

-- ---------------------------------------------------------------------------
-- The catalogue of the form (sql/catalogue/question.csv, code_list.csv,
-- answer_code.csv; transform/codes.h reads the same files)
-- ---------------------------------------------------------------------------

create table is248.code_list (
    list        text primary key,
    kind        text not null check (kind in ('single', 'choice')),
    codes_text  text not null
);

comment on table is248.code_list is
    'The code lists of the form (sql/catalogue/code_list.csv): each version of a question names the list its answers are codes of.  The rating scale counts one way in version 1 and the other in version 2: two lists.';
comment on column is248.code_list.list is 'Name of the list (yesno_v1, rating_v2, ipsse_v2, ...)';
comment on column is248.code_list.kind is 'single: one code or label on the answer itself; choice: one or more Valg elements (version 2)';
comment on column is248.code_list.codes_text is 'The codes as the reasons of answers set aside name them (version 1 codes: 1, 2, 9)';

create table is248.answer_code (
    list       text not null references is248.code_list,
    ord        int  not null,
    code       text not null,
    value      text not null,
    label_nb   text not null,
    label_en   text not null,
    word       text not null,
    rated      boolean not null,
    share      boolean not null,
    exclusive  boolean not null,
    implies    text,
    primary key (list, ord),
    unique (list, code),
    unique (list, value)
);

comment on table is248.answer_code is
    'The codes of each code list (sql/catalogue/answer_code.csv): the code as the form writes it, the value is248 normalizes it to, its labels, and how the trends count it.  A version 2 answer given by label alone is matched against label_nb regardless of case, white space and Unicode normalization (is248.answer_fold()).';
comment on column is248.answer_code.list is 'The code list (is248.code_list)';
comment on column is248.answer_code.ord is 'Position in the list (1, 2, ...)';
comment on column is248.answer_code.code is 'The code as the form gives it (version 1 text, version 2 kode)';
comment on column is248.answer_code.value is 'The normalized value (yes, very_good, ips, ...): answer_current.value, report_current''s codes';
comment on column is248.answer_code.label_nb is 'The label as on the form, Bokmål';
comment on column is248.answer_code.label_en is 'The label in English';
comment on column is248.answer_code.word is 'The English word for it in the reasons of answers set aside';
comment on column is248.answer_code.rated is 'Counted in the denominator of the percentages (false for don''t know to a rating)';
comment on column is248.answer_code.share is 'Counted in the share a trend charts (yes; very good, good; IPS, SE)';
comment on column is248.answer_code.exclusive is 'A choice that cannot be combined with another (INGEN, VETIKKE)';
comment on column is248.answer_code.implies is 'For a choice: the value of the question it implies (IPS: yes); NULL otherwise';

create table is248.question (
    key            text primary key,
    ord            int  not null unique,
    chapter        text,
    chapter_title  text,
    text_nb        text not null,
    text_en        text not null,
    type           text not null
                   check (type in ('yesno', 'rating', 'choice', 'number', 'text')),
    v1_id          text unique,
    v1_list        text references is248.code_list,
    v2_id          text unique,
    v2_list        text references is248.code_list,
    first_year     int  not null,
    last_year      int,
    follows        text references is248.question,
    follows_values text,
    check (v1_id is not null or v2_id is not null),
    check (last_year is null or last_year >= first_year),
    check ((follows is null) = (follows_values is null))
);

comment on table is248.question is
    'The questions of the form that is248 knows (sql/catalogue/question.csv): the normalizer judges their answers, is248.answer_current holds them, is248 trends --question follows any of them.  Adding one is a change of that file alone (docs/architecture.md, "How to add a question").';
comment on column is248.question.key is 'The question''s key (nav_collab, ...): answer_current.question, is248 trends --question';
comment on column is248.question.ord is 'Position in lists';
comment on column is248.question.chapter is 'Kapittel/@nr of version 2 (21)';
comment on column is248.question.chapter_title is 'The chapter''s title (Arbeidstiltak)';
comment on column is248.question.text_nb is 'The question as on the form (delivery-format.md §5), in Norwegian';
comment on column is248.question.text_en is 'The question in English';
comment on column is248.question.type is 'yesno, rating, choice (multiple choice), number (decimal comma allowed) or text (free text)';
comment on column is248.question.v1_id is 'sporsmal/@id in version 1 (2015-2017); NULL: not on that form';
comment on column is248.question.v1_list is 'The code list of its version 1 answers (is248.code_list); NULL for numbers and text';
comment on column is248.question.v2_id is 'Svar/@sporsmal in version 2 (2018 onward); NULL: not on that form';
comment on column is248.question.v2_list is 'The code list of its version 2 answers; NULL for numbers and text';
comment on column is248.question.first_year is 'The first reporting year whose form asks it';
comment on column is248.question.last_year is 'The last reporting year whose form asks it; NULL: still asked';
comment on column is248.question.follows is 'A follow-up: the question whose answer decides whether it counts; NULL';
comment on column is248.question.follows_values is 'The values of follows after which it counts, separated by |';

create table is248.question_column (
    function     text not null,
    ord          int  not null,
    column_name  text not null,
    type         text not null check (type in ('int', 'pct', 'text', 'num')),
    report       boolean not null,
    label_nb     text not null,
    label_en     text not null,
    about_nb     text not null,
    about_en     text not null,
    primary key (function, ord),
    unique (function, column_name)
);

comment on table is248.question_column is
    'The columns of the trends of any question (sql/catalogue/question_column.csv): of trend_question_filtered() and trend_number_filtered(), typed, with a header and a description in Bokmål and English (is248 trends --question).';
comment on column is248.question_column.function is 'trend_question_filtered or trend_number_filtered';
comment on column is248.question_column.ord is 'Position of the column';
comment on column is248.question_column.column_name is 'Name of the column the function returns';
comment on column is248.question_column.type is 'int (a count or year), pct (a percentage), text, or num (a number with decimals)';
comment on column is248.question_column.report is 'True for the columns of the tables of is248 report';
comment on column is248.question_column.label_nb is 'Header, Bokmål';
comment on column is248.question_column.label_en is 'Header, English';
comment on column is248.question_column.about_nb is 'What the column holds, Bokmål';
comment on column is248.question_column.about_en is 'What the column holds, English';

-- The words of the values: one label a value and language (the checks of
-- transform/codes.c see to it), the codes of report_current among them.
create view is248.answer_label as
select distinct c.value as code, l.language,
       case l.language when 'nb' then c.label_nb else c.label_en end as label
  from is248.answer_code c
 cross join (values ('nb'), ('en')) as l(language);

comment on view is248.answer_label is
    'The words for the values of the answers (yes, dont_know, very_good, ...; true and false for the IPS and SE columns) in Bokmål (nb) and English (en), as the Directorate writes them: is248.answer_code''s labels, one row a value and language.  Join to it for labels, the views keep their codes.';
comment on column is248.answer_label.code is 'The value, as in the views (is248.answer_code.value)';
comment on column is248.answer_label.language is 'nb (Norwegian Bokmål) or en (English)';
comment on column is248.answer_label.label is 'The label in that language';

-- ---------------------------------------------------------------------------
-- The catalogue of the indicators
-- ---------------------------------------------------------------------------

create table is248.indicator (
    name            text primary key,
    ord             int  not null unique,
    question_key    text not null references is248.question,
    first_year      int,
    function        text not null,
    field           text,
    n_column        text not null,
    pct_column      text not null,
    question        text,
    title_nb        text not null,
    title_en        text not null,
    chart_title_nb  text not null,
    chart_title_en  text not null,
    y_label_nb      text not null,
    y_label_en      text not null,
    base_nb         text not null,
    base_en         text not null,
    note_nb         text not null,
    note_en         text not null
);

comment on table is248.indicator is
    'The indicators that is248 trends, report and export print and draw (sql/catalogue/indicator.csv): each a question of the form''s catalogue (is248.question), its figures by year and size class from a trend function, and its words in Bokmål (nb) and English (en).';
comment on column is248.indicator.name is 'Name of the indicator (is248 trends --indicator, chart files, sheets)';
comment on column is248.indicator.ord is 'Position in tables and reports';
comment on column is248.indicator.question_key is 'Its question (is248.question)';
comment on column is248.indicator.first_year is 'First year the form asks the question (is248.question.first_year, filled at migrate)';
comment on column is248.indicator.function is 'The trend function of is248 whose rows are the indicator''s figures';
comment on column is248.indicator.field is 'The function''s field (trend_ips_se_filtered: mental_health or substance); NULL: all its rows';
comment on column is248.indicator.n_column is 'The column with the units behind the percentage charted (n)';
comment on column is248.indicator.pct_column is 'The percentage charted';
comment on column is248.indicator.question is 'The question as on the form (delivery-format.md §5), in Norwegian (is248.question.text_nb, filled at migrate)';
comment on column is248.indicator.title_nb is 'Heading of its table, Bokmål';
comment on column is248.indicator.title_en is 'Heading of its table, English';
comment on column is248.indicator.chart_title_nb is 'What its chart shows, Bokmål';
comment on column is248.indicator.chart_title_en is 'What its chart shows, English';
comment on column is248.indicator.y_label_nb is 'The chart''s y axis, Bokmål';
comment on column is248.indicator.y_label_en is 'The chart''s y axis, English';
comment on column is248.indicator.base_nb is 'What the percentage is of, Bokmål';
comment on column is248.indicator.base_en is 'What the percentage is of, English';
comment on column is248.indicator.note_nb is 'The footnote of its table, Bokmål';
comment on column is248.indicator.note_en is 'The footnote of its table, English';

create table is248.indicator_column (
    indicator    text not null references is248.indicator,
    ord          int  not null,
    column_name  text not null,
    type         text not null check (type in ('int', 'pct', 'text')),
    report       boolean not null,
    label_nb     text not null,
    label_en     text not null,
    about_nb     text not null,
    about_en     text not null,
    primary key (indicator, ord),
    unique (indicator, column_name)
);

comment on table is248.indicator_column is
    'The columns of each indicator''s rows, in order (sql/catalogue/indicator_column.csv): the columns of its trend function, typed, with a header and a description in Bokmål and English.';
comment on column is248.indicator_column.indicator is 'The indicator (is248.indicator)';
comment on column is248.indicator_column.ord is 'Position of the column';
comment on column is248.indicator_column.column_name is 'Name of the column in the trend view and function';
comment on column is248.indicator_column.type is 'int (a count or year), pct (a percentage, one decimal) or text';
comment on column is248.indicator_column.report is 'True for the columns of the tables of is248 report (after the size class)';
comment on column is248.indicator_column.label_nb is 'Header, Bokmål';
comment on column is248.indicator_column.label_en is 'Header, English';
comment on column is248.indicator_column.about_nb is 'What the column holds, Bokmål';
comment on column is248.indicator_column.about_en is 'What the column holds, English';

-- ---------------------------------------------------------------------------
-- The reports
-- ---------------------------------------------------------------------------

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

comment on view is248.report_current_full is
    'Internal: report_current with report_id, version and file_id, for the trend views.';

comment on view is248.report_current is
    'The current report of every unit and year: the one with the latest submission time.';
comment on view is248.report_history is
    'Every report loaded, corrections and earlier submissions included; is_current marks the one in report_current.';

-- The column comments of the views are those of is248.report for the
-- columns they share (the question texts among them), copied so that each
-- is written once.
do $copy$
declare
    v text;
    c record;
begin
    foreach v in array array['report_current_full', 'report_current', 'report_history'] loop
        for c in
            select a.attname, pg_catalog.col_description(a.attrelid, a.attnum) as d
              from pg_catalog.pg_attribute a
             where a.attrelid = 'is248.report'::pg_catalog.regclass
               and a.attnum > 0 and not a.attisdropped
               and pg_catalog.col_description(a.attrelid, a.attnum) is not null
               and exists (select 1 from pg_catalog.pg_attribute b
                            where b.attrelid = pg_catalog.to_regclass('is248.' || v)
                              and b.attname = a.attname and not b.attisdropped)
        loop
            execute pg_catalog.format('comment on column is248.%I.%I is %L', v, c.attname, c.d);
        end loop;
    end loop;
end
$copy$;

comment on column is248.report_current_full.report_id is 'Key of the report in is248.report';
comment on column is248.report_current_full.version is 'Version of the form: 1 (2015-2017) or 2 (2018 onward)';
comment on column is248.report_current_full.file_id is 'The file in is248.source_file';
-- The columns of the questions (nav_collab, ...) take their comments from
-- the catalogue: is248.catalogue_loaded() writes them at migrate.
comment on column is248.report_current_full.source is 'The file it was loaded from: archive!entry';
comment on column is248.report_current.source is 'The file it was loaded from: archive!entry';
comment on column is248.report_history.source is 'The file it was loaded from: archive!entry';
comment on column is248.report_history.report_id is 'Key of the report in is248.report';
comment on column is248.report_history.is_current is 'True for the report shown in report_current';
comment on column is248.report_history.file_id is 'The file in is248.source_file';

-- The current reports selected: NULL means "all" for each argument.  An
-- unknown size class or county is an error (SQLSTATE 22023,
-- invalid_parameter_value) naming the ones there are, so that a typing
-- error is not mistaken for a selection without reports.  A county selects
-- the units that were in it in their year, and the units that are part of
-- one of its municipalities today (unit_lineage, through unit_county): 46 Vestland in 2019 is
-- the units of 12 Hordaland and 14 Sogn og Fjordane that became Vestland's.
create function is248.trend_reports(
    years        int[]  default null,
    size_classes text[] default null,
    counties     text[] default null)
returns setof is248.report_current_full
language plpgsql stable
security definer
set search_path = pg_catalog, pg_temp
as $fn$
declare
    bad text;
begin
    select u into bad
      from pg_catalog.unnest(size_classes) u
     where u is null
        or not exists (select 1 from is248.size_class s where s.label = u)
     limit 1;
    if found then
        raise exception 'unknown size class ''%''', bad
            using errcode = 'invalid_parameter_value',
                  hint = 'the size classes are '
                         || (select string_agg('''' || s.label || '''', ', ' order by s.ord)
                               from is248.size_class s)
                         || '; ''Alle'', the total of the units selected, is always shown';
    end if;
    select u into bad
      from pg_catalog.unnest(counties) u
     where u is null
        or not exists (select 1 from is248.municipality m where m.county_code = u)
     limit 1;
    if found then
        raise exception 'unknown county code ''%''', bad
            using errcode = 'invalid_parameter_value',
                  hint = 'county codes in the reference data 2015-2026: '
                         || (select string_agg(distinct m.county_code, ', ' order by m.county_code)
                               from is248.municipality m);
    end if;
    return query
        select c.*
          from is248.report_current_full c
         where (years is null or c.year = any (years))
           and (size_classes is null or c.size_class = any (size_classes))
           and (counties is null or c.county_code = any (counties)
                or (c.year, c.unit_code) in
                       (select u.year, u.unit_code
                          from is248.unit_county u
                         where u.county_code = any (counties)));
end
$fn$;

-- The three functions below are their view's query over trend_reports()
-- instead of report_current_full; since 0008 the views call them.

create function is248.trend_nav_collab_filtered(
    years        int[]  default null,
    size_classes text[] default null,
    counties     text[] default null)
returns table (year int, size_class text, units_reporting int,
               units_answered int, units_yes int, units_no int,
               units_dont_know int, pct_yes numeric,
               population_answered bigint, pct_population numeric)
language sql stable
security definer
set search_path = pg_catalog, pg_temp
as $fn$
select g.year, g.size_class, g.units_reporting, g.units_answered,
       g.units_yes, g.units_no, g.units_dont_know,
       round(100.0 * g.units_yes / nullif(g.units_answered, 0), 1) as pct_yes,
       g.population_answered,
       round(100.0 * g.population_yes / nullif(g.population_answered, 0), 1)
           as pct_population
  from (select c.year,
               case when grouping(c.size_class) = 1 then 'Alle'
                    else c.size_class end as size_class,
               count(*)::int as units_reporting,
               count(c.nav_collab)::int as units_answered,
               (count(*) filter (where c.nav_collab = 'yes'))::int as units_yes,
               (count(*) filter (where c.nav_collab = 'no'))::int as units_no,
               (count(*) filter (where c.nav_collab = 'dont_know'))::int
                   as units_dont_know,
               coalesce(sum(c.population) filter (where c.nav_collab is not null), 0)::bigint
                   as population_answered,
               coalesce(sum(c.population) filter (where c.nav_collab = 'yes'), 0)::bigint
                   as population_yes
          from is248.trend_reports($1, $2, $3) c
         group by grouping sets ((c.year, c.size_class), (c.year))
        having grouping(c.size_class) = 1 or c.size_class is not null) g
  left join is248.size_class s on s.label = g.size_class
 order by g.year, coalesce(s.ord, 2147483647)
$fn$;

create function is248.trend_nav_rating_filtered(
    years        int[]  default null,
    size_classes text[] default null,
    counties     text[] default null)
returns table (year int, size_class text, units_answered int,
               very_good int, good int, neither int, less_good int, bad int,
               dont_know int, units_rated int, pct_good numeric,
               pct_neither numeric, pct_less_good_or_bad numeric,
               population_answered bigint, pct_population numeric)
language sql stable
security definer
set search_path = pg_catalog, pg_temp
as $fn$
select g.year, g.size_class, g.units_answered,
       g.very_good, g.good, g.neither, g.less_good, g.bad, g.dont_know,
       g.units_answered - g.dont_know as units_rated,
       round(100.0 * (g.very_good + g.good)
             / nullif(g.units_answered - g.dont_know, 0), 1) as pct_good,
       round(100.0 * g.neither
             / nullif(g.units_answered - g.dont_know, 0), 1) as pct_neither,
       round(100.0 * (g.less_good + g.bad)
             / nullif(g.units_answered - g.dont_know, 0), 1)
           as pct_less_good_or_bad,
       g.population_answered,
       round(100.0 * g.population_good / nullif(g.population_answered, 0), 1)
           as pct_population
  from (select c.year,
               case when grouping(c.size_class) = 1 then 'Alle'
                    else c.size_class end as size_class,
               count(c.nav_rating)::int as units_answered,
               (count(*) filter (where c.nav_rating = 'very_good'))::int as very_good,
               (count(*) filter (where c.nav_rating = 'good'))::int as good,
               (count(*) filter (where c.nav_rating = 'neither'))::int as neither,
               (count(*) filter (where c.nav_rating = 'less_good'))::int as less_good,
               (count(*) filter (where c.nav_rating = 'bad'))::int as bad,
               (count(*) filter (where c.nav_rating = 'dont_know'))::int as dont_know,
               coalesce(sum(c.population) filter (where c.nav_rating <> 'dont_know'), 0)::bigint
                   as population_answered,
               coalesce(sum(c.population) filter (where c.nav_rating in ('very_good', 'good')), 0)::bigint
                   as population_good
          from is248.trend_reports($1, $2, $3) c
         group by grouping sets ((c.year, c.size_class), (c.year))
        having grouping(c.size_class) = 1 or c.size_class is not null) g
  left join is248.size_class s on s.label = g.size_class
 order by g.year, coalesce(s.ord, 2147483647)
$fn$;

create function is248.trend_ips_se_filtered(
    years        int[]  default null,
    size_classes text[] default null,
    counties     text[] default null)
returns table (year int, size_class text, field text, units_answered int,
               units_yes int, units_ips int, units_se int, pct_yes numeric,
               population_answered bigint, pct_population numeric)
language sql stable
security definer
set search_path = pg_catalog, pg_temp
as $fn$
select g.year, g.size_class, g.field, g.units_answered, g.units_yes,
       g.units_ips, g.units_se,
       round(100.0 * g.units_yes / nullif(g.units_answered, 0), 1) as pct_yes,
       g.population_answered,
       round(100.0 * g.population_yes / nullif(g.population_answered, 0), 1)
           as pct_population
  from (select c.year,
               case when grouping(c.size_class) = 1 then 'Alle'
                    else c.size_class end as size_class,
               v.field,
               count(v.answer)::int as units_answered,
               (count(*) filter (where v.answer = 'yes'))::int as units_yes,
               case when min(c.version) >= 2
                    then (count(*) filter (where v.ips))::int end as units_ips,
               case when min(c.version) >= 2
                    then (count(*) filter (where v.se))::int end as units_se,
               coalesce(sum(c.population) filter (where v.answer is not null), 0)::bigint
                   as population_answered,
               coalesce(sum(c.population) filter (where v.answer = 'yes'), 0)::bigint
                   as population_yes
          from is248.trend_reports($1, $2, $3) c
          cross join lateral (values
              ('mental_health', c.ips_se_mental_health, c.ips_mental_health,
               c.se_mental_health),
              ('substance', c.ips_se_substance, c.ips_substance,
               c.se_substance)) as v(field, answer, ips, se)
         group by grouping sets ((c.year, v.field, c.size_class),
                                 (c.year, v.field))
        having grouping(c.size_class) = 1 or c.size_class is not null) g
  left join is248.size_class s on s.label = g.size_class
 order by g.year, coalesce(s.ord, 2147483647), g.field
$fn$;

comment on function is248.trend_reports(int[], text[], text[]) is
    'Internal: the current reports (report_current_full) of the years, size classes and counties given (NULL: all); an unknown size class or county raises invalid_parameter_value (22023).';
comment on function is248.trend_nav_collab_filtered(int[], text[], text[]) is
    'trend_nav_collab computed from the current reports of the years, size classes (is248.size_class labels) and counties (report_current.county_code) given, NULL meaning all; size_class ''Alle'' is the total of the units selected.  Example: select * from is248.trend_nav_collab_filtered(years => ''{2019,2020}'', counties => ''{46}'').';
comment on function is248.trend_nav_rating_filtered(int[], text[], text[]) is
    'trend_nav_rating computed from the current reports of the years, size classes and counties given (NULL: all); size_class ''Alle'' is the total of the units selected.';
comment on function is248.trend_ips_se_filtered(int[], text[], text[]) is
    'trend_ips_se computed from the current reports of the years, size classes and counties given (NULL: all); size_class ''Alle'' is the total of the units selected.';

-- The trend views: one row per year and size class present, and one per
-- year with size_class 'Alle' for every unit (those without a size class
-- included), ordered by year and size class, 'Alle' last.
create view is248.trend_nav_collab as
    select * from is248.trend_nav_collab_filtered();

create view is248.trend_nav_rating as
    select * from is248.trend_nav_rating_filtered();

create view is248.trend_ips_se as
    select * from is248.trend_ips_se_filtered();

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
comment on column is248.trend_nav_rating.units_rated is 'Units that rated the collaboration: units_answered less dont_know, the denominator of the percentages';
comment on column is248.trend_nav_rating.pct_good is 'very_good + good in percent of units_rated';
comment on column is248.trend_nav_rating.population_answered is 'Population (as reported, 1 January) of the units that rated it and gave a population: the denominator of pct_population';
comment on column is248.trend_nav_rating.pct_population is 'Population of the units rating it very good or good, in percent of population_answered (NULL when it is 0)';
comment on column is248.trend_nav_collab.population_answered is 'Population (as reported, 1 January) of the units that answered and gave a population: the denominator of pct_population';
comment on column is248.trend_nav_collab.pct_population is 'Share of the population living in a unit that answered yes: the population of those units in percent of population_answered (NULL when it is 0)';
comment on column is248.trend_ips_se.population_answered is 'Population (as reported, 1 January) of the units that answered and gave a population: the denominator of pct_population';
comment on column is248.trend_ips_se.pct_population is 'Share of the population living in a unit with IPS or SE in use, in percent of population_answered (NULL when it is 0)';
comment on column is248.trend_nav_rating.pct_neither is 'neither in percent of the units that rated';
comment on column is248.trend_nav_rating.pct_less_good_or_bad is 'less_good + bad in percent of the units that rated';
comment on column is248.trend_ips_se.field is 'mental_health (psykisk helsearbeid) or substance (rusarbeid)';
comment on column is248.trend_ips_se.units_yes is 'Units with IPS or SE in use';
comment on column is248.trend_ips_se.units_ips is 'Units with IPS in use; NULL for years whose form asked about IPS and SE together';
comment on column is248.trend_ips_se.units_se is 'Units with SE in use; NULL for years whose form asked about IPS and SE together';
comment on column is248.trend_ips_se.pct_yes is 'units_yes in percent of units_answered';

comment on column is248.trend_nav_rating.very_good is 'Units rating the collaboration very good (svært god)';
comment on column is248.trend_nav_rating.good is 'Units rating it good (god)';
comment on column is248.trend_nav_rating.neither is 'Units rating it neither good nor bad (verken god eller dårlig)';
comment on column is248.trend_nav_rating.less_good is 'Units rating it less good (mindre god)';
comment on column is248.trend_nav_rating.bad is 'Units rating it bad (dårlig)';
comment on column is248.trend_nav_rating.dont_know is 'Units answering don''t know (vet ikke); left out of the percentages';

-- ---------------------------------------------------------------------------
-- Every answer to a question of the catalogue, decided as the normalizer
-- decides (transform/answers.c), from the raw answers and the catalogue
-- ---------------------------------------------------------------------------

-- Labels given without a code are matched as codes_fold() folds them: case
-- folded (Unicode's full case folding), NFC, white space trimmed and inner
-- runs collapsed.  PostgreSQL has no case folding of its own before 18:
-- lower() in ICU's root locale, then the code points whose folding is not
-- their lower case (Cherokee, Greek symbol forms, ligatures, ß, ...) as
-- utf8proc folds them.  t_answer_current.sh compares the two on the cases
-- of tests/unit/test_codes.c (not yet for every code point).  Without ICU, the libc locale C.UTF-8 lowers instead.
do $fold$
declare
    coll text;
begin
    select c.collname into coll
      from pg_catalog.pg_collation c
     where c.collnamespace = 'pg_catalog'::pg_catalog.regnamespace
       and c.collname in ('und-x-icu', 'C.utf8', 'C.UTF-8')
     order by c.collname = 'und-x-icu' desc, c.collname
     limit 1;
    if coll is null then
        raise exception 'is248 needs the collation und-x-icu (PostgreSQL built with ICU) or C.utf8 to match labels'
            using errcode = 'feature_not_supported';
    end if;
    execute pg_catalog.format($f$
create function is248.answer_decomposed(t text)
returns text
language sql immutable strict parallel safe
as $body$
select pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
       pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
       pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
       pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(
       pg_catalog.translate(
           pg_catalog.lower(pg_catalog.normalize(t, 'NFD') collate %I),
           U&'\00B5\017F\0345\03C2\03D0\03D1\03D5\03D6\03F0\03F1\03F5\13F8\13F9\13FA\13FB\13FC'
           || U&'\13FD\1C80\1C81\1C82\1C83\1C84\1C85\1C86\1C87\1C88\AB70\AB71\AB72\AB73\AB74\AB75'
           || U&'\AB76\AB77\AB78\AB79\AB7A\AB7B\AB7C\AB7D\AB7E\AB7F\AB80\AB81\AB82\AB83\AB84\AB85'
           || U&'\AB86\AB87\AB88\AB89\AB8A\AB8B\AB8C\AB8D\AB8E\AB8F\AB90\AB91\AB92\AB93\AB94\AB95'
           || U&'\AB96\AB97\AB98\AB99\AB9A\AB9B\AB9C\AB9D\AB9E\AB9F\ABA0\ABA1\ABA2\ABA3\ABA4\ABA5'
           || U&'\ABA6\ABA7\ABA8\ABA9\ABAA\ABAB\ABAC\ABAD\ABAE\ABAF\ABB0\ABB1\ABB2\ABB3\ABB4\ABB5'
           || U&'\ABB6\ABB7\ABB8\ABB9\ABBA\ABBB\ABBC\ABBD\ABBE\ABBF',
           U&'\03BC\0073\03B9\03C3\03B2\03B8\03C6\03C0\03BA\03C1\03B5\13F0\13F1\13F2\13F3\13F4'
           || U&'\13F5\0432\0434\043E\0441\0442\0442\044A\0463\A64B\13A0\13A1\13A2\13A3\13A4\13A5'
           || U&'\13A6\13A7\13A8\13A9\13AA\13AB\13AC\13AD\13AE\13AF\13B0\13B1\13B2\13B3\13B4\13B5'
           || U&'\13B6\13B7\13B8\13B9\13BA\13BB\13BC\13BD\13BE\13BF\13C0\13C1\13C2\13C3\13C4\13C5'
           || U&'\13C6\13C7\13C8\13C9\13CA\13CB\13CC\13CD\13CE\13CF\13D0\13D1\13D2\13D3\13D4\13D5'
           || U&'\13D6\13D7\13D8\13D9\13DA\13DB\13DC\13DD\13DE\13DF\13E0\13E1\13E2\13E3\13E4\13E5'
           || U&'\13E6\13E7\13E8\13E9\13EA\13EB\13EC\13ED\13EE\13EF')
       , U&'\00DF', U&'\0073\0073')
       , U&'\0149', U&'\02BC\006E')
       , U&'\0587', U&'\0565\0582')
       , U&'\1E9A', U&'\0061\02BE')
       , U&'\FB00', U&'\0066\0066')
       , U&'\FB01', U&'\0066\0069')
       , U&'\FB02', U&'\0066\006C')
       , U&'\FB03', U&'\0066\0066\0069')
       , U&'\FB04', U&'\0066\0066\006C')
       , U&'\FB05', U&'\0073\0074')
       , U&'\FB06', U&'\0073\0074')
       , U&'\FB13', U&'\0574\0576')
       , U&'\FB14', U&'\0574\0565')
       , U&'\FB15', U&'\0574\056B')
       , U&'\FB16', U&'\057E\0576')
       , U&'\FB17', U&'\0574\056D')
$body$;
comment on function is248.answer_decomposed(text) is
    'Internal: t decomposed (NFD) and case folded as utf8proc folds it (lower case in the collation %1$s, then full case folding''s exceptions), not yet composed: the code points codes_fold() counts.';
$f$, coll);
end
$fold$;

create function is248.answer_fold(t text)
returns text
language sql immutable strict parallel safe
as $$
select pg_catalog.regexp_replace(
           pg_catalog.regexp_replace(
               pg_catalog.normalize(is248.answer_decomposed(t), 'NFC'),
               '^[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+|[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+$', '', 'g'),
           '[\u0009-\u000D\u0020\u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+', ' ', 'g')
$$;

comment on function is248.answer_fold(text) is
    'A label folded for comparison, as transform/codes.c''s codes_fold(): case folded, NFC, white space trimmed and inner runs collapsed to one space.  Example: is248.answer_fold(''  SVÆRT   god '') = ''svært god''.';

create function is248.answer_label_fold(t text)
returns text
language sql immutable strict parallel safe
as $$
select case when pg_catalog.octet_length(t) <= 1024
             and pg_catalog.length(is248.answer_decomposed(t)) <= 128
            then is248.answer_fold(t) end
$$;

comment on function is248.answer_label_fold(text) is
    'Internal: a label as given, folded to be matched (is248.answer_fold()); NULL when it is longer than any label could be (1024 bytes, or 128 code points folded), as the normalizer bounds it.';

-- One row a current report selected and catalogued question (keys NULL:
-- all; a follow-up's question is decided too, for its rule).  The rules of
-- transform/answers.c, step by step: an answering element is a Svar or
-- sporsmal (not a Valg) whose trimmed id is the question's in the report's
-- version and that carries something (version 1: text; version 2: a code,
-- text or a Valg that does); a question not on the year's form is not
-- asked; answered more than once, set aside; version 1's text is a code of
-- its list; version 2's code and label must be known and agree (a Valg
-- each, for a list of kind choice; an exclusive one alone); a number is
-- digits with a decimal comma or point, at most 15 before it and 6 after
-- (a longer one, which numeric or double precision could not hold or
-- would make every trend fail, is set aside).  A follow-up counts only
-- after its values of the question it follows.
create function is248.answer_decide(
    keys         text[] default null,
    years        int[]  default null,
    size_classes text[] default null,
    counties     text[] default null)
returns table (report_id bigint, version smallint, year int, unit_code text,
               unit_type text, unit_name text, county_code text,
               population int, size_class text, question text,
               question_ord int, question_type text, question_id text,
               list_kind text, asked boolean, status text, value text,
               label_nb text, label_en text, choices text[],
               number numeric, rated boolean, share boolean)
language sql stable
security definer
-- JIT compiles this one large statement for seconds (4.9 s of 7.4 s for 4 440
-- reports here) and gains nothing at the sizes of the form
set jit = off
set search_path = pg_catalog, pg_temp
as $fn$
with recursive
wanted (key) as (
    select q.key from is248.question q where $1 is null or q.key = any ($1)
    union
    select q.follows
      from is248.question q join wanted w on w.key = q.key
     where q.follows is not null),
r as (select * from is248.trend_reports($2, $3, $4)),
rq as (
    select r.report_id, r.version, r.year, r.unit_code, r.unit_type,
           r.unit_name, r.county_code, r.population, r.size_class,
           q.key, q.ord, q.type, q.follows, q.follows_values,
           case r.version when 1 then q.v1_id else q.v2_id end as qid,
           case r.version when 1 then q.v1_list else q.v2_list end as list,
           r.year >= q.first_year
               and (q.last_year is null or r.year <= q.last_year)
               and (case r.version when 1 then q.v1_id else q.v2_id end)
                   is not null as asked
      from r
     cross join is248.question q
     where q.key in (select w.key from wanted w)),
-- the reports that name one of the ids (all when every question is asked for)
-- (joins, not correlated subqueries: a subquery per row over a CTE scans the
-- whole CTE each time, quadratic in the reports)
rep as (
    select distinct p.report_id
      from is248.report p
      join rq on rq.report_id = p.report_id
     where $1 is null
        or (rq.qid is not null and pg_catalog.strpos(p.answers, rq.qid) > 0)),
raw as (
    select a.report_id, a.seq, a.parent_seq, a.question, a.code, a.text,
           pg_catalog.btrim(coalesce(a.code, ''), E' \t\n\r\f\x0b') <> ''
           or pg_catalog.btrim(coalesce(a.text, ''), E' \t\n\r\f\x0b') <> ''
               as carries
      from is248.answer a
     where a.report_id in (select rep.report_id from rep)),
valg as (
    select v.report_id, v.parent_seq
      from raw v
     where v.parent_seq is not null and v.carries
     group by v.report_id, v.parent_seq),
svar as (
    select s.report_id, s.seq,
           pg_catalog.btrim(s.question, E' \t\n\r\f\x0b') as qid, s.code,
           s.text, s.carries, g.report_id is not null as has_valg
      from raw s
      left join valg g on g.report_id = s.report_id and g.parent_seq = s.seq
     where s.parent_seq is null),
counted as (
    select rq.report_id, rq.key, pg_catalog.count(*) as n,
           pg_catalog.min(s.seq) as first
      from rq
      join svar s on s.report_id = rq.report_id and s.qid = rq.qid
     where case rq.version
           when 1 then pg_catalog.btrim(coalesce(s.text, ''), E' \t\n\r\f\x0b') <> ''
           else s.carries or s.has_valg end
     group by rq.report_id, rq.key),
first as (
    select rq.*, c.n, s.seq, s.code, s.text, s.has_valg, l.kind
      from rq
      left join counted c on c.report_id = rq.report_id and c.key = rq.key
      left join svar s on s.report_id = rq.report_id and s.seq = c.first
      left join is248.code_list l on l.list = rq.list),
codes as (
    select c.*, is248.answer_fold(c.label_nb) as folded
      from is248.answer_code c
     where c.list in (select rq.list from rq)),
-- what a code or label resolves to: the Svar itself (a version 2 list of
-- kind single), or each Valg carrying something (kind choice)
resolved as (
    select f.report_id, f.key, ck.ord as ck, lk.ord as lk,
           (pg_catalog.btrim(coalesce(e.code, ''), E' \t\n\r\f\x0b') <> '' and ck.ord is null)
           or (pg_catalog.btrim(coalesce(e.text, ''), E' \t\n\r\f\x0b') <> '' and lk.ord is null)
           or coalesce(ck.ord <> lk.ord, false) as bad
      from first f
      join (select a.report_id, a.seq as anchor, 'single' as kind, a.code, a.text
              from raw a
            union all
            select a.report_id, a.parent_seq, 'choice', a.code, a.text
              from raw a
             where a.parent_seq is not null and a.carries) e
        on e.report_id = f.report_id and e.anchor = f.seq and e.kind = f.kind
      left join codes ck
             on ck.list = f.list
            and ck.code = pg_catalog.btrim(e.code, E' \t\n\r\f\x0b')
      left join codes lk
             on lk.list = f.list
            and lk.folded = is248.answer_label_fold(e.text)
     where f.version = 2 and f.asked and f.n = 1),
res as (
    select x.report_id, x.key, pg_catalog.bool_or(x.bad) as bad,
           pg_catalog.array_agg(distinct coalesce(x.ck, x.lk))
               filter (where not x.bad) as ords
      from resolved x
     group by x.report_id, x.key),
decided as (
    select f.*,
           case
           when not f.asked then 'not_asked'
           when f.n is null then 'not_answered'
           when f.n > 1 then 'set_aside'
           when f.type = 'number' then
               case when pg_catalog.btrim(coalesce(f.text, ''), E' \t\n\r\f\x0b')
                         ~ '^-?[0-9]{1,15}([.,][0-9]{1,6})?$'
                    then 'answered' else 'set_aside' end
           when f.type = 'text' then 'answered'
           when f.version = 1 then
               case when v1.ord is not null then 'answered' else 'set_aside' end
           when f.kind = 'single' then
               case when f.has_valg or x.bad then 'set_aside' else 'answered' end
           when not f.has_valg or x.bad
                or (pg_catalog.cardinality(x.ords) > 1
                    and exists (select 1 from codes c
                                 where c.list = f.list and c.exclusive
                                   and c.ord = any (x.ords)))
               then 'set_aside'
           else 'answered' end as decision,
           case when f.version = 1 then v1.ord
                when f.kind = 'single' then x.ords[1]
                else (select pg_catalog.min(o) from pg_catalog.unnest(x.ords) o)
           end as code_ord,
           x.ords
      from first f
      left join codes v1
             on f.version = 1 and v1.list = f.list
            and v1.code = pg_catalog.btrim(f.text, E' \t\n\r\f\x0b')
      left join res x on x.report_id = f.report_id and x.key = f.key),
valued as (
    select d.*,
           case when d.decision <> 'answered' then null
                when d.type = 'number' then
                    pg_catalog.replace(pg_catalog.btrim(d.text, E' \t\n\r\f\x0b'), ',', '.')::numeric
           end as num,
           case when d.decision <> 'answered' then null
                when d.type = 'number' then
                    pg_catalog.replace(pg_catalog.btrim(d.text, E' \t\n\r\f\x0b'), ',', '.')::numeric::text
                when d.type = 'text' then pg_catalog.btrim(d.text, E' \t\n\r\f\x0b')
                else coalesce(c.implies, c.value)
           end as given,
           c.rated as c_rated, c.share as c_share,
           (select pg_catalog.array_agg(o.value order by o.ord)
              from codes o
             where d.kind = 'choice' and d.decision = 'answered'
               and o.list = d.list and o.ord = any (d.ords)) as chosen
      from decided d
      left join codes c on c.list = d.list and c.ord = d.code_ord)
select v.report_id, v.version, v.year, v.unit_code, v.unit_type, v.unit_name,
       v.county_code, v.population, v.size_class, v.key, v.ord, v.type,
       v.qid, v.kind, v.asked, s.status,
       case when s.status = 'answered' then v.given end,
       case when s.status = 'answered' and v.type in ('yesno', 'rating', 'choice')
            then (select l.label from is248.answer_label l
                   where l.code = v.given and l.language = 'nb') end,
       case when s.status = 'answered' and v.type in ('yesno', 'rating', 'choice')
            then (select l.label from is248.answer_label l
                   where l.code = v.given and l.language = 'en') end,
       case when s.status = 'answered' then v.chosen end,
       case when s.status = 'answered' then v.num end,
       case when s.status = 'answered' then coalesce(v.c_rated, true) end,
       case when s.status = 'answered' then coalesce(v.c_share, false) end
  from valued v
  left join valued p on p.report_id = v.report_id and p.key = v.follows
 cross join lateral (select
       case when v.decision <> 'answered' or v.follows is null then v.decision
            when p.decision = 'answered'
                 and p.given = any (pg_catalog.string_to_array(v.follows_values, '|'))
                then 'answered'
            else 'not_counted' end as status) s
 where $1 is null or v.key = any ($1)
$fn$;

comment on function is248.answer_decide(text[], int[], text[], text[]) is
    'Internal: every current report selected (the selection of the trend functions) with every question of keys (NULL: all) decided as the normalizer decides, from the raw answers and the catalogue: what is248.answer_current shows, and what the trends of any question count.';

create view is248.answer_current as
select d.year, d.unit_code, d.unit_type, d.unit_name, d.county_code,
       d.population, d.size_class, d.version, d.question, d.question_id,
       d.status, d.value, d.label_nb, d.label_en, d.choices, d.number
  from is248.answer_decide() d
 order by d.year, d.unit_code, d.question_ord;

comment on view is248.answer_current is
    'Every question of the form''s catalogue (is248.question) for every current report (report_current), one row each, decided from the raw answers as the normalizer decides: the normalized value and its labels.  Beside report_current''s wide columns, and the same for the questions they hold; a question added to the catalogue is here as soon as migrate has loaded it, for reports loaded before too.';
comment on column is248.answer_current.year is 'Reporting year';
comment on column is248.answer_current.unit_code is 'Municipality code or Oslo city district, as in report_current';
comment on column is248.answer_current.unit_type is 'kommune or bydel';
comment on column is248.answer_current.unit_name is 'Unit name as given in the report';
comment on column is248.answer_current.county_code is 'County: the first two digits of the unit code';
comment on column is248.answer_current.population is 'Population on 1 January of the reporting year, as reported';
comment on column is248.answer_current.size_class is 'Size class (is248.size_class); NULL without a population';
comment on column is248.answer_current.version is 'Version of the form: 1 (2015-2017) or 2 (2018 onward)';
comment on column is248.answer_current.question is 'The question (is248.question.key)';
comment on column is248.answer_current.question_id is 'Its id on this version''s form (v1 sporsmal/@id, v2 Svar/@sporsmal); NULL when this version has no such question';
comment on column is248.answer_current.status is 'answered; not_answered; not_asked (not on this year''s form; an answer to it is ignored); set_aside (answered twice, an unknown code or label, a code that disagrees with its label, choices that cannot be combined, a number that is none: is248.rejection says why for codes); not_counted (a follow-up after an answer that does not open it)';
comment on column is248.answer_current.value is 'The normalized value when answered (is248.answer_code.value: yes, very_good, ...; for Valg the value they imply; a number with a decimal point; free text trimmed); NULL otherwise';
comment on column is248.answer_current.label_nb is 'The value''s label, Bokmål, as the form writes it (is248.answer_label); NULL for numbers and text';
comment on column is248.answer_current.label_en is 'The value''s label, English';
comment on column is248.answer_current.choices is 'For Valg (version 2 lists of kind choice): the values chosen, in the list''s order (ips, se, none, dont_know); NULL otherwise';
comment on column is248.answer_current.number is 'For a number: its value; NULL otherwise';

-- The raise of an unknown question, the same for both trend functions.
create function is248.question_of_type(key text, types text[])
returns is248.question
language plpgsql stable
security definer
set search_path = pg_catalog, pg_temp
as $fn$
declare
    q is248.question;
begin
    select * into q from is248.question x where x.key = $1;
    if not found then
        raise exception 'unknown question ''%''', $1
            using errcode = 'invalid_parameter_value',
                  hint = 'the questions are '
                         || (select string_agg(x.key, ', ' order by x.ord)
                               from is248.question x
                              where x.type <> 'text');
    end if;
    if not (q.type = any ($2)) then
        raise exception 'question ''%'' is %', $1,
            case q.type when 'number' then 'a number: its trend is trend_number_filtered()'
                        when 'text' then 'free text: it has no trend'
                        else 'coded: its trend is trend_question_filtered()' end
            using errcode = 'invalid_parameter_value';
    end if;
    return q;
end
$fn$;

comment on function is248.question_of_type(text, text[]) is
    'Internal: the question key, of one of the types given; else raises invalid_parameter_value (22023) naming the questions there are.';

create function is248.trend_question_filtered(
    question     text,
    years        int[]  default null,
    size_classes text[] default null,
    counties     text[] default null)
returns table (year int, size_class text, units_reporting int,
               units_asked int, units_answered int, units_rated int,
               units_share int, pct_share numeric, population_answered bigint,
               pct_population numeric, kind text, value text, label_nb text,
               label_en text, units int, pct numeric)
language sql stable
security definer
set search_path = pg_catalog, pg_temp
as $fn$
with q as (select * from is248.question_of_type($1, '{yesno,rating,choice}')),
d as (
    select * from is248.answer_decide(array[(select q.key from q)], $2, $3, $4)),
-- the question's values (with what the Valg imply) and its choices, in order
vals as (
    select 'value'::text as kind, coalesce(c.implies, c.value) as value,
           pg_catalog.min(c.ord) as ord, pg_catalog.bool_or(c.rated) as rated
      from is248.answer_code c, q
     where c.list in (q.v1_list, q.v2_list)
     group by 1, 2
    union all
    select 'choice', c.value, 1000 + c.ord, c.rated
      from is248.answer_code c
      join is248.code_list l on l.list = c.list and l.kind = 'choice', q
     where c.list in (q.v1_list, q.v2_list)
       and c.implies is not null),
g as (
    select d.year,
           case when grouping(d.size_class) = 1 then 'Alle'
                else d.size_class end as size_class,
           count(*)::int as units_reporting,
           (count(*) filter (where d.asked))::int as units_asked,
           (count(*) filter (where d.status = 'answered'))::int as units_answered,
           (count(*) filter (where d.status = 'answered' and d.rated))::int as units_rated,
           (count(*) filter (where d.status = 'answered' and d.share))::int as units_share,
           coalesce(sum(d.population) filter (where d.status = 'answered' and d.rated), 0)::bigint
               as population_answered,
           coalesce(sum(d.population) filter (where d.status = 'answered' and d.share), 0)::bigint
               as population_share,
           bool_and(d.list_kind is not distinct from 'choice') as choices_known
      from d
     group by grouping sets ((d.year, d.size_class), (d.year))
    having grouping(d.size_class) = 1 or d.size_class is not null),
n as (
    select d.year,
           case when grouping(d.size_class) = 1 then 'Alle'
                else d.size_class end as size_class,
           v.kind, v.value,
           (count(*) filter (where d.status = 'answered'
                               and ((v.kind = 'value' and d.value = v.value)
                                    or (v.kind = 'choice' and v.value = any (d.choices)))))::int
               as units
      from d cross join vals v
     group by grouping sets ((d.year, d.size_class, v.kind, v.value),
                             (d.year, v.kind, v.value))
    having grouping(d.size_class) = 1 or d.size_class is not null)
select g.year, g.size_class, g.units_reporting, g.units_asked,
       g.units_answered, g.units_rated, g.units_share,
       round(100.0 * g.units_share / nullif(g.units_rated, 0), 1),
       g.population_answered,
       round(100.0 * g.population_share / nullif(g.population_answered, 0), 1),
       v.kind, v.value, nb.label, en.label,
       case when v.kind = 'value' or g.choices_known then n.units end,
       case when v.rated and (v.kind = 'value' or g.choices_known)
            then round(100.0 * n.units / nullif(g.units_rated, 0), 1) end
  from g
  cross join vals v
  join n on n.year = g.year and n.size_class = g.size_class
        and n.kind = v.kind and n.value = v.value
  left join is248.answer_label nb on nb.code = v.value and nb.language = 'nb'
  left join is248.answer_label en on en.code = v.value and en.language = 'en'
  left join is248.size_class s on s.label = g.size_class
 order by g.year, coalesce(s.ord, 2147483647), v.ord
$fn$;

comment on function is248.trend_question_filtered(text, int[], text[], text[]) is
    'The trend of any coded question of the catalogue (is248.question: yesno, rating, choice) by year and size class, from the current reports of the years, size classes and counties given (NULL: all; as the other trend functions): a row per value (kind value) and per choice (kind choice), each with the units that gave it and their percentage, beside the figures of the whole: units reporting, asked, answered, whose answer counts in the percentages (rated), and in the share the catalogue marks (share: yes; very good or good; IPS or SE), as the five questions of today are counted.  Example: select * from is248.trend_question_filtered(''nav_collab'', years => ''{2019,2020}'').';

create function is248.trend_number_filtered(
    question     text,
    years        int[]  default null,
    size_classes text[] default null,
    counties     text[] default null)
returns table (year int, size_class text, units_reporting int,
               units_asked int, units_answered int, total numeric,
               q1 numeric, median numeric, q3 numeric,
               population_answered bigint, per_10000 numeric)
language sql stable
security definer
set search_path = pg_catalog, pg_temp
as $fn$
with q as (select * from is248.question_of_type($1, '{number}')),
d as (
    select * from is248.answer_decide(array[(select q.key from q)], $2, $3, $4)),
g as (
    select d.year,
           case when grouping(d.size_class) = 1 then 'Alle'
                else d.size_class end as size_class,
           count(*)::int as units_reporting,
           (count(*) filter (where d.asked))::int as units_asked,
           (count(*) filter (where d.status = 'answered'))::int as units_answered,
           sum(d.number) filter (where d.status = 'answered') as total,
           percentile_cont(0.25) within group (order by d.number)
               filter (where d.status = 'answered') as q1,
           percentile_cont(0.5) within group (order by d.number)
               filter (where d.status = 'answered') as median,
           percentile_cont(0.75) within group (order by d.number)
               filter (where d.status = 'answered') as q3,
           coalesce(sum(d.population) filter (where d.status = 'answered'), 0)::bigint
               as population_answered,
           sum(d.number) filter (where d.status = 'answered'
                                   and d.population is not null) as total_with_population
      from d
     group by grouping sets ((d.year, d.size_class), (d.year))
    having grouping(d.size_class) = 1 or d.size_class is not null)
select g.year, g.size_class, g.units_reporting, g.units_asked,
       g.units_answered, g.total, round(g.q1::numeric, 2),
       round(g.median::numeric, 2), round(g.q3::numeric, 2),
       g.population_answered,
       round(10000 * g.total_with_population / nullif(g.population_answered, 0), 2)
  from g
  left join is248.size_class s on s.label = g.size_class
 order by g.year, coalesce(s.ord, 2147483647)
$fn$;

comment on function is248.trend_number_filtered(text, int[], text[], text[]) is
    'The trend of a numeric question of the catalogue (is248.question, type number: the man-years, ...) by year and size class, from the current reports selected as by the other trend functions: units reporting, asked and answering with a number, the sum, the quartiles and median (interpolated), and the sum per 10 000 inhabitants of the units that answered and gave a population.  Example: select * from is248.trend_number_filtered(''man_years'').';

-- What follows from the catalogue, once migrate has loaded it: each
-- indicator's question and first year, and the comments of the wide
-- columns of is248.report (and of the views that show them), from the
-- questions of the same names.
create function is248.catalogue_loaded()
returns void
language plpgsql
set search_path = pg_catalog, pg_temp
as $fn$
declare
    c record;
    v text;
begin
    update is248.indicator i
       set question = q.text_nb, first_year = q.first_year
      from is248.question q
     where q.key = i.question_key;
    for c in
        select q.key, q.text_nb, q.follows, q.follows_values,
               (select string_agg(x.value, ', ' order by x.ord)
                  from (select coalesce(a.implies, a.value) as value,
                               min(a.ord) as ord
                          from is248.answer_code a
                         where a.list in (q.v1_list, q.v2_list)
                         group by 1) x) as vals
          from is248.question q
         where exists (select 1 from pg_catalog.pg_attribute a
                        where a.attrelid = 'is248.report'::pg_catalog.regclass
                          and a.attname = q.key and not a.attisdropped)
    loop
        foreach v in array array['report', 'report_history'] loop
            execute pg_catalog.format('comment on column is248.%I.%I is %L', v, c.key,
                c.text_nb || ' (' || c.vals || '; NULL not answered or not asked'
                || case when c.follows is not null
                        then pg_catalog.format('; as given, also when %s is not %s and it does not count: report_current shows it only then',
                                               c.follows, c.follows_values)
                        else '' end || ')');
        end loop;
        foreach v in array array['report_current', 'report_current_full'] loop
            execute pg_catalog.format('comment on column is248.%I.%I is %L', v, c.key,
                c.text_nb || ' (' || c.vals
                || case when c.follows is not null
                        then pg_catalog.format('; NULL unless %s is %s', c.follows, c.follows_values)
                        else '; NULL not answered or not asked' end || ')');
        end loop;
    end loop;
end
$fn$;

comment on function is248.catalogue_loaded() is
    'Internal: called by migrate after it loads the catalogue: each indicator''s question and first year from is248.question, and the comments of the wide columns of is248.report, report_history, report_current and report_current_full from the questions of the same keys.';

-- ---------------------------------------------------------------------------
-- The unit-level export
-- ---------------------------------------------------------------------------

create function is248.export_reports(
    years        int[]  default null,
    size_classes text[] default null,
    counties     text[] default null)
returns table (year int, unit_code text, unit_type text, unit_name text,
               county_code text, county_name text, population int,
               size_class text, nav_collab text, nav_collab_specialist text,
               nav_rating text, ips_se_mental_health text,
               ips_mental_health boolean, se_mental_health boolean,
               ips_se_substance text, ips_substance boolean,
               se_substance boolean, submitted_at timestamptz, source text)
language sql stable
security definer
set search_path = pg_catalog, pg_temp
as $fn$
select c.year, c.unit_code, c.unit_type, c.unit_name, c.county_code,
       k.name, c.population, c.size_class, c.nav_collab,
       c.nav_collab_specialist, c.nav_rating, c.ips_se_mental_health,
       c.ips_mental_health, c.se_mental_health, c.ips_se_substance,
       c.ips_substance, c.se_substance, c.submitted_at, c.source
  from is248.trend_reports($1, $2, $3) c
  left join is248.county k
    on k.code = c.county_code and c.year >= k.first_year
   and (k.last_year is null or c.year <= k.last_year)
 order by c.year, c.unit_code
$fn$;

comment on function is248.export_reports(int[], text[], text[]) is
    'The current reports (report_current) of the years, size classes and counties given (NULL: all; the selection of the trend functions), with the county''s name in each year, ordered by year and unit: what is248 export writes.';
