-- 0005: the trend views for a selection of years, size classes and
-- counties ("is248 trends --years --size-class --county", "is248 report").
--
-- The figures of a selection are computed from the current reports of the
-- units selected, so the total line (size_class 'Alle') counts those units
-- only: with counties => '{46}' it is Vestland's figure, not the nation's.
-- Called with no selection (every argument NULL) the functions return
-- exactly the rows of is248.trend_nav_collab, trend_nav_rating and
-- trend_ips_se, in the same order (tests/integration/t_trends.sh checks it).
--
-- The functions read report_current_full and size_class, which
-- is248_reader may not read: they run as their owner (SECURITY DEFINER,
-- with a fixed search_path), read only, and return what the views show.

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

revoke all on function is248.trend_reports(int[], text[], text[]) from public;
revoke all on function is248.trend_nav_collab_filtered(int[], text[], text[]) from public;
revoke all on function is248.trend_nav_rating_filtered(int[], text[], text[]) from public;
revoke all on function is248.trend_ips_se_filtered(int[], text[], text[]) from public;
grant execute on function is248.trend_nav_collab_filtered(int[], text[], text[]),
                          is248.trend_nav_rating_filtered(int[], text[], text[]),
                          is248.trend_ips_se_filtered(int[], text[], text[])
   to is248_reader;
