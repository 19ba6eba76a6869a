-- xmltable.sql - what an analyst might do instead of is248 (benchmark only):
-- the report files loaded as text, one row per file, into bench_xt.doc, then
-- shredded with XMLTABLE into one row per report, with the work chapter's
-- answers normalized into columns as delivery-format.md §5-6 says and every
-- raw answer (every Svar and every Valg) packed into the column answers
-- exactly as is248 packs is248.report.answers: in document order, answers
-- separated by U+001E, the fields of one (parent_seq, chapter, question,
-- code, text) by U+001F, U+001A for a NULL chapter, question, code or text,
-- an empty parent_seq for a Svar; a text NULL when blank.  Version 2 files
-- only.  No repeat or correction logic, no rejections: a code or label that
-- does not fit becomes NULL.  run.sh runs the part above the line that
-- marks the shred first (untimed), then loads bench_xt.doc (timed), then
-- the part below that line (timed).

create schema bench_xt;

create table bench_xt.doc (
    doc_id  serial primary key,
    name    text not null,
    body    text not null
);

create table bench_xt.report (
    report_id bigint primary key, doc_id int not null, report_index int not null,
    year int, unit_code text, unit_type text, unit_name text, county_code text,
    population int, size_class text, submitted_at timestamptz, submission_id text,
    nav_collab text, nav_collab_specialist text, nav_rating text,
    ips_se_mental_health text, ips_mental_health boolean, se_mental_health boolean,
    ips_se_substance text, ips_substance boolean, se_substance boolean,
    answers text);

-- Labels compared regardless of case, white space runs and normalization form.
create function bench_xt.lab(t text) returns text immutable language sql
as $$ select nullif(lower(normalize(btrim(regexp_replace(t, '\s+', ' ', 'g')), NFC) collate "und-x-icu"), '') $$;

-- Yes/no (version 2 codes): code and label must agree when both are given.
create function bench_xt.yn(kode text, label text) returns text immutable language sql
as $$
    select case when a is distinct from b and a is not null and b is not null then null
                when nullif(btrim(kode), '') is not null and a is null then null
                when bench_xt.lab(label) is not null and b is null then null
                else coalesce(a, b) end
      from (select case btrim(kode) when '1' then 'yes' when '2' then 'no'
                                    when '3' then 'dont_know' end as a,
                   case bench_xt.lab(label) when 'ja' then 'yes' when 'nei' then 'no'
                                            when 'vet ikke' then 'dont_know' end as b) x
$$;

-- Rating (version 2 codes: 5 very good ... 1 bad, 0 don't know).
create function bench_xt.rating(kode text, label text) returns text immutable language sql
as $$
    select case when a is distinct from b and a is not null and b is not null then null
                when nullif(btrim(kode), '') is not null and a is null then null
                when bench_xt.lab(label) is not null and b is null then null
                else coalesce(a, b) end
      from (select case btrim(kode) when '5' then 'very_good' when '4' then 'good'
                                    when '3' then 'neither' when '2' then 'less_good'
                                    when '1' then 'bad' when '0' then 'dont_know' end as a,
                   case bench_xt.lab(label)
                        when 'svært god' then 'very_good' when 'god' then 'good'
                        when 'verken god eller dårlig' then 'neither'
                        when 'mindre god' then 'less_good' when 'dårlig' then 'bad'
                        when 'vet ikke' then 'dont_know' end as b) x
$$;

-- IPS/SE from the choices given (by code, or by label alone: the XPath
-- booleans below lower-case with translate(), XPath 1.0 has nothing better).
create function bench_xt.ipsse(ips boolean, se boolean, ingen boolean, vetikke boolean)
returns text immutable language sql
as $$
    select case when (ingen or vetikke) and (ips or se) then null
                when ingen and vetikke then null
                when ips or se then 'yes' when ingen then 'no'
                when vetikke then 'dont_know' end
$$;

create function bench_xt.size_class(unit_type text, population int) returns text
immutable language sql
as $$
    select case when unit_type = 'bydel' then 'Oslo bydel'
                when population is null then null
                when population < 2000 then '<2000'
                when population < 5000 then '2000-4999'
                when population < 10000 then '5000-9999'
                when population < 20000 then '10000-19999'
                when population < 50000 then '20000-49999'
                else '50000+' end
$$;

-- @shred@

-- Per file (doc): the text parsed once as a document, then two XMLTABLEs
-- over it: the reports (their header), and every Svar and Valg in document
-- order with the position of its report (rap).  The answers are grouped by
-- report: packed into one value, and the work chapter's answers picked out
-- of them; then joined to their report.
insert into bench_xt.report
select d.doc_id::bigint * 100000 + r.ord, d.doc_id, r.ord, r.year, r.unit_code,
       r.unit_type, nullif(btrim(r.unit_name), ''), left(r.unit_code, 2), r.population,
       bench_xt.size_class(r.unit_type, r.population), r.submitted_at, r.submission_id,
       bench_xt.yn(r.c1_kode, r.c1_text), bench_xt.yn(r.c2_kode, r.c2_text),
       bench_xt.rating(r.r_kode, r.r_text),
       bench_xt.ipsse(r.p_ips, r.p_se, r.p_ingen, r.p_vet),
       case when r.p_vet or not (r.p_ips or r.p_se or r.p_ingen) then null else r.p_ips end,
       case when r.p_vet or not (r.p_ips or r.p_se or r.p_ingen) then null else r.p_se end,
       bench_xt.ipsse(r.s_ips, r.s_se, r.s_ingen, r.s_vet),
       case when r.s_vet or not (r.s_ips or r.s_se or r.s_ingen) then null else r.s_ips end,
       case when r.s_vet or not (r.s_ips or r.s_se or r.s_ingen) then null else r.s_se end,
       coalesce(r.answers, '')
  from bench_xt.doc d
 cross join lateral (select xmlparse(document d.body) as x offset 0) p
 cross join lateral (
  select r.*, a.*
    from xmltable(xmlnamespaces('urn:no:helsedirektoratet:is-24-8:2' as r),
                  '//r:Rapport' passing p.x
                  columns ord for ordinality,
                          year int path '@rapporteringsaar',
                          submitted_at timestamptz path 'r:Innsending/@tidspunkt',
                          submission_id text path 'r:Innsending/@id',
                          unit_type text path 'r:Enhet/@type',
                          unit_code text path 'r:Enhet/@nummer',
                          population int path 'r:Enhet/@innbyggere',
                          unit_name text path 'r:Enhet') r
    left join (
        select x.rap,
               string_agg(coalesce((x.last_svar - x.first_n)::text, '') || E'\x1f' ||
                          coalesce(x.chapter, E'\x1a') || E'\x1f' ||
                          coalesce(x.question, E'\x1a') || E'\x1f' ||
                          coalesce(x.code, E'\x1a') || E'\x1f' ||
                          coalesce(x.text, E'\x1a'),
                          E'\x1e' order by x.n) as answers,
               -- the work chapter (21): the first Svar of each question,
               -- and which choices (Valg) were made, by code or by label
               (array_agg(x.code order by x.n) filter (where x.w = 'ARB_NAV_SAMARBEID'))[1] as c1_kode,
               (array_agg(x.text order by x.n) filter (where x.w = 'ARB_NAV_SAMARBEID'))[1] as c1_text,
               (array_agg(x.code order by x.n) filter (where x.w = 'ARB_NAV_SAMARBEID_SPES'))[1] as c2_kode,
               (array_agg(x.text order by x.n) filter (where x.w = 'ARB_NAV_SAMARBEID_SPES'))[1] as c2_text,
               (array_agg(x.code order by x.n) filter (where x.w = 'ARB_NAV_SAMHANDLING'))[1] as r_kode,
               (array_agg(x.text order by x.n) filter (where x.w = 'ARB_NAV_SAMHANDLING'))[1] as r_text,
               coalesce(bool_or(x.v = 'ARB_IPS_SE_PSYK' and x.choice = 'IPS'), false) as p_ips,
               coalesce(bool_or(x.v = 'ARB_IPS_SE_PSYK' and x.choice = 'SE'), false) as p_se,
               coalesce(bool_or(x.v = 'ARB_IPS_SE_PSYK' and x.choice = 'INGEN'), false) as p_ingen,
               coalesce(bool_or(x.v = 'ARB_IPS_SE_PSYK' and x.choice = 'VETIKKE'), false) as p_vet,
               coalesce(bool_or(x.v = 'ARB_IPS_SE_RUS' and x.choice = 'IPS'), false) as s_ips,
               coalesce(bool_or(x.v = 'ARB_IPS_SE_RUS' and x.choice = 'SE'), false) as s_se,
               coalesce(bool_or(x.v = 'ARB_IPS_SE_RUS' and x.choice = 'INGEN'), false) as s_ingen,
               coalesce(bool_or(x.v = 'ARB_IPS_SE_RUS' and x.choice = 'VETIKKE'), false) as s_vet
          from (select a.rap, a.n, a.chapter, a.question, a.code, a.text,
                       case when a.chapter = '21' and not a.is_valg then a.question end as w,
                       case when a.chapter = '21' and a.is_valg then a.question end as v,
                       case when a.chapter = '21' and a.is_valg then
                           case when a.code is not null then a.code
                                when a.text ilike '%(ips)%' then 'IPS'
                                when a.text ilike '%(se)%' then 'SE'
                                when a.text ilike '%ingen%' then 'INGEN'
                                when a.text ilike '%ikke%' then 'VETIKKE'
                           end end as choice,
                       min(a.n) over (partition by a.rap) as first_n,
                       case when a.is_valg then
                           max(case when not a.is_valg then a.n end)
                               over (partition by a.rap order by a.n) end as last_svar
                  from (select a.rap, a.n, a.is_valg, a.chapter, a.question, a.code,
                               case when btrim(a.text, E' \t\r\n') <> '' then a.text end as text
                          from xmltable(xmlnamespaces('urn:no:helsedirektoratet:is-24-8:2' as r),
                                        '//r:Rapport/r:Kapittel/r:Svar | //r:Rapport/r:Kapittel/r:Svar/r:Valg'
                                        passing p.x
                                        columns n for ordinality,
                                                rap int path 'count(ancestor::r:Rapport/preceding-sibling::r:Rapport) + 1',
                                                is_valg boolean path 'boolean(self::r:Valg)',
                                                chapter text path 'ancestor::r:Kapittel/@nr',
                                                question text path 'ancestor-or-self::r:Svar/@sporsmal',
                                                code text path '@kode',
                                                text text path 'string(self::r:Valg | self::r:Svar[not(r:Valg)])'
                                       ) a) a) x
         group by x.rap) a on a.rap = r.ord) r;
