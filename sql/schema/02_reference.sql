-- 02_reference.sql - the reference data: municipality codes by year, their
-- changes, Oslo's city districts, the counties and their names (filled by
-- `is248 migrate` from the CSV files of sql/reference/, compiled into the
-- program, see load/db.c), the
-- size classes of delivery-format.md §6, and what follows from them: the
-- lineage of every code and the units expected to report each year.

create table is248.municipality (
    year        int  not null,
    code        text not null,
    name        text not null,
    county_code text not null,
    primary key (year, code)
);

comment on table is248.municipality is
    'The municipality codes valid on 1 January of each year 2015-2026 (sql/reference/municipalities_by_year.csv).';
comment on column is248.municipality.year is 'Year';
comment on column is248.municipality.code is 'Municipality code (4 digits) valid on 1 January of the year';
comment on column is248.municipality.name is 'Name of the municipality that year';
comment on column is248.municipality.county_code is 'County code (2 digits) that year';

create table is248.municipality_change (
    valid_from  date not null,
    old_code    text not null,
    old_name    text,
    new_code    text not null,
    new_name    text,
    change      text not null
                check (change in ('renumbered', 'merged', 'split'))
);

comment on table is248.municipality_change is
    'Every change of a municipality code since 2015: renumberings, mergers and splits (sql/reference/municipality_changes.csv); is248.unit_lineage follows them.';
comment on column is248.municipality_change.valid_from is 'Date the change took effect (1 January)';
comment on column is248.municipality_change.old_code is 'Code before the change';
comment on column is248.municipality_change.old_name is 'Name before the change';
comment on column is248.municipality_change.new_code is 'Code after the change (a split has one row per new code)';
comment on column is248.municipality_change.new_name is 'Name after the change';
comment on column is248.municipality_change.change is 'renumbered (same area, new code), merged (joined with others) or split';

create table is248.oslo_district (
    code              text primary key,
    name              text not null,
    municipality_code text not null
);

comment on table is248.oslo_district is
    'Oslo''s city districts (bydeler), which report instead of Oslo as a whole (sql/reference/oslo_districts.csv).';
comment on column is248.oslo_district.code is 'District code: 0301 followed by 01-17';
comment on column is248.oslo_district.name is 'Name of the district';
comment on column is248.oslo_district.municipality_code is 'The municipality it belongs to (0301 Oslo)';

create table is248.county (
    code        text not null,
    name        text not null,
    first_year  int  not null,
    last_year   int,
    primary key (code, first_year)
);

comment on table is248.county is
    'The counties (fylker) whose codes were valid on 1 January of some year from 2015 on, with the years each was valid (sql/reference/counties.csv, from Statistics Norway''s classification): 12 Hordaland and 14 Sogn og Fjordane until 2019, 46 Vestland from 2020, ...  Readers use is248.county_year.';
comment on column is248.county.code is 'County code (2 digits), the first two digits of its municipalities'' codes';
comment on column is248.county.name is 'Name of the county (a name may come back under another code: Østfold is 01 until 2019 and 31 from 2024)';
comment on column is248.county.first_year is 'First year the code was valid on 1 January';
comment on column is248.county.last_year is 'Last year the code was valid on 1 January; NULL: valid today';

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

comment on table is248.size_class is
    'Size classes of the published national reports (delivery-format.md §6), by population on 1 January of the reporting year.';
comment on column is248.size_class.label is 'Name of the class, as in report_current.size_class and the trend views';
comment on column is248.size_class.ord is 'Position in tables (smallest first, Oslo bydel last)';
comment on column is248.size_class.min_population is 'Smallest population in the class; NULL for Oslo bydel';
comment on column is248.size_class.max_population is 'Largest population in the class; NULL when open-ended or for Oslo bydel';

-- For every municipality code valid in a year, the code or codes it belongs to
-- in the latest year of the reference (2024 onward), following every change
-- in between.  change is the largest step on the way:
--   unchanged  < renumbered  < merged (joined with others, or others joined it)  < split
create view is248.unit_lineage as
with recursive walk (year, unit_code, code, since, severity) as (
    select m.year, m.code, m.code, make_date(m.year, 1, 1), 0
    from is248.municipality m
  union all
    select w.year, w.unit_code, c.new_code, c.valid_from,
           greatest(w.severity,
                    case c.change when 'renumbered' then 1 when 'merged' then 2 else 3 end)
    from walk w
    join is248.municipality_change c on c.old_code = w.code
    where c.valid_from = (select min(n.valid_from) from is248.municipality_change n
                          where n.old_code = w.code and n.valid_from > w.since)
)
select w.year, w.unit_code, w.code as current_code,
       (array['unchanged', 'renumbered', 'merged', 'split'])[1 + greatest(w.severity,
            case when exists (select 1 from is248.municipality_change a
                              where a.new_code = w.code and a.old_code <> w.code
                                and a.change = 'merged' and a.valid_from > w.since)
                 then 2 else 0 end)] as change
from walk w
where not exists (select 1 from is248.municipality_change n
                  where n.old_code = w.code and n.valid_from > w.since);

comment on view is248.unit_lineage is
  'For every municipality code valid in a year, the code(s) it belongs to today, following every change since; change is unchanged, renumbered, merged or split.';
comment on column is248.unit_lineage.year is 'Year in which unit_code was valid (on 1 January).';
comment on column is248.unit_lineage.unit_code is 'Municipality code as valid in that year.';
comment on column is248.unit_lineage.current_code is 'Code valid today that the unit is part of (several rows after a split).';
comment on column is248.unit_lineage.change is 'unchanged, renumbered, merged (with others) or split, whichever is largest on the way.';

-- The county of today of every unit code of every year: what a county
-- selects in the years before a reform (is248.trend_reports()).  Computed
-- once from unit_lineage, which takes seconds, when migrate loads the
-- reference data (load/db.c refreshes it).
create materialized view is248.unit_county as
select distinct l.year, l.unit_code,
       pg_catalog.left(l.current_code, 2) as county_code
  from is248.unit_lineage l
with no data;

create index unit_county_county on is248.unit_county (county_code);

comment on materialized view is248.unit_county is
    'Internal: for every municipality code valid in a year, the county (or counties, after a split) of the code(s) it belongs to today (unit_lineage); refreshed by migrate with the reference data.';
comment on column is248.unit_county.year is 'Year in which unit_code was valid';
comment on column is248.unit_county.unit_code is 'Municipality code as valid in that year';
comment on column is248.unit_county.county_code is 'County of today of a code it belongs to today';

-- The units that should report in each year: every municipality but Oslo as
-- a whole, and Oslo's city districts.
create view is248.expected_unit as
    select m.year, m.code as unit_code, 'kommune'::text as unit_type, m.name as unit_name
    from is248.municipality m where m.code <> '0301'
  union all
    select y.year, d.code, 'bydel', d.name
    from (select distinct year from is248.municipality) y cross join is248.oslo_district d;

comment on view is248.expected_unit is
    'The units expected to report each year: every municipality except Oslo as a whole, and Oslo''s city districts.';
comment on column is248.expected_unit.year is 'Year (from is248.municipality)';
comment on column is248.expected_unit.unit_code is 'Municipality code valid that year, or Oslo city district code';
comment on column is248.expected_unit.unit_type is 'kommune or bydel';
comment on column is248.expected_unit.unit_name is 'Name in the reference data';

-- The counties of each year of the reference data, by name.
create view is248.county_year as
select y.year, k.code as county_code, k.name as county_name,
       k.last_year is null as is_current
  from (select distinct m.year from is248.municipality m) y
  join is248.county k
    on y.year >= k.first_year and (k.last_year is null or y.year <= k.last_year);

comment on view is248.county_year is
    'The counties valid on 1 January of each year of the reference data, with their names: join report_current.county_code and year to it for the county''s name in that year.';
comment on column is248.county_year.year is 'Year';
comment on column is248.county_year.county_code is 'County code (2 digits) valid that year, as report_current.county_code';
comment on column is248.county_year.county_name is 'Name of the county that year';
comment on column is248.county_year.is_current is 'True for a county that still exists today (its code selects its units'' predecessors in earlier years: is248 trends --county)';
