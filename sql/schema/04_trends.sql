-- 04_trends.sql - what analysts read: the current report of every unit and
-- year, every report ever loaded, and the trends by year and size class,
-- whole or for a selection of years, size classes and counties; the
-- catalogue of the indicators and the words for the answers.
--
-- The catalogue (is248.indicator, indicator_column, answer_label) is data:
-- the CSV files of sql/catalogue/, compiled into the program, which reads
-- them itself (cli/catalog.c) and loads them here at migrate (load/db.c),
-- so that trends, report, export, the charts and SQL share one definition
-- of each indicator, its columns and their words in Bokmål and English.
--
-- The trend functions read report_current_full and size_class, which
-- is248_reader may not read: they run as their owner (SECURITY DEFINER,
-- with a fixed search_path), read only, and return what the views show.
-- Each trend view is its function with nothing selected, so every figure
-- has one definition.

-- The current report per unit and year with what the trend views need
-- besides (version).  Internal: readers use report_current.
-- ---------------------------------------------------------------------------
-- The catalogue
-- ---------------------------------------------------------------------------

create table is248.indicator (
    name            text primary key,
    ord             int  not null unique,
    first_year      int  not null,
    function        text not null,
    field           text,
    n_column        text not null,
    pct_column      text not null,
    question        text not null,
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
    'The indicators that is248 trends, report and export print and draw (sql/catalogue/indicator.csv): each a question of the work chapter, its figures by year and size class from a trend function, and its words in Bokmål (nb) and English (en).';
comment on column is248.indicator.name is 'Name of the indicator (is248 trends --indicator, chart files, sheets)';
comment on column is248.indicator.ord is 'Position in tables and reports';
comment on column is248.indicator.first_year is 'First year the form asks the question';
comment on column is248.indicator.function is 'The trend function of is248 whose rows are the indicator''s figures';
comment on column is248.indicator.field is 'The function''s field (trend_ips_se_filtered: mental_health or substance); NULL: all its rows';
comment on column is248.indicator.n_column is 'The column with the units behind the percentage charted (n)';
comment on column is248.indicator.pct_column is 'The percentage charted';
comment on column is248.indicator.question is 'The question as on the form (delivery-format.md §5), in Norwegian';
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

create table is248.answer_label (
    code      text not null,
    language  text not null check (language in ('nb', 'en')),
    label     text not null,
    primary key (code, language)
);

comment on table is248.answer_label is
    'The words for the answer codes of report_current and report_history (yes, dont_know, very_good, ...; true and false for the IPS and SE columns) in Bokmål (nb) and English (en), as the Directorate writes them (sql/catalogue/answer_label.csv): join to it for labels, the views keep their codes.';
comment on column is248.answer_label.code is 'The answer code, as in the views';
comment on column is248.answer_label.language is 'nb (Norwegian Bokmål) or en (English)';
comment on column is248.answer_label.label is 'The label in that language';

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
comment on column is248.report_current_full.nav_collab_specialist is 'Hvis ja, gjøres dette i samarbeid med spesialisthelsetjenesten? (yes, no, dont_know; NULL unless nav_collab is yes)';
comment on column is248.report_current.nav_collab_specialist is 'Hvis ja, gjøres dette i samarbeid med spesialisthelsetjenesten? (yes, no, dont_know; NULL unless nav_collab is yes)';
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
