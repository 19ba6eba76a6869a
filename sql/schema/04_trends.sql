-- 04_trends.sql - what analysts read: the current report of every unit and
-- year, every report ever loaded, and the trends by year and size class,
-- whole or for a selection of years, size classes and counties.
--
-- The trend functions read report_current_full and size_class, which
-- is248_reader may not read: they run as their owner (SECURITY DEFINER,
-- with a fixed search_path), read only, and return what the views show.
-- Each trend view is its function with nothing selected, so every figure
-- has one definition.

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
-- error is not mistaken for a selection without reports.
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
           and (counties is null or c.county_code = any (counties));
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
               units_dont_know int, pct_yes numeric)
language sql stable
security definer
set search_path = pg_catalog, pg_temp
as $fn$
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
               dont_know int, pct_good numeric, pct_neither numeric,
               pct_less_good_or_bad numeric)
language sql stable
security definer
set search_path = pg_catalog, pg_temp
as $fn$
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
               units_yes int, units_ips int, units_se int, pct_yes numeric)
language sql stable
security definer
set search_path = pg_catalog, pg_temp
as $fn$
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
comment on column is248.trend_nav_rating.pct_good is 'very_good + good in percent of the units that rated (answered less dont_know)';
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
