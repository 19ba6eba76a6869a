-- xmltable.sql - what an analyst might do instead of is248 (benchmark only):
-- the report files loaded as text, one row per file, into bench_xt.doc, then
-- shredded with XMLTABLE into one row per report (the work chapter's answers
-- normalized into columns as delivery-format.md §5-6 says) and one row per raw
-- answer (every Svar and every Valg).  Version 2 files only.  No repeat or
-- correction logic, no rejections: a code or label that does not fit becomes
-- NULL.  run.sh runs the part above the line "-- @shred@" first (untimed), then
-- loads bench_xt.doc (timed), then the part below it (timed).

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
    ips_se_substance text, ips_substance boolean, se_substance boolean);

create table bench_xt.answer (
    report_id bigint not null, seq int not null, parent_seq int,
    chapter text, question text, code text, text text,
    primary key (report_id, seq));

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

insert into bench_xt.report
select d.doc_id::bigint * 100000 + r.ord, d.doc_id, r.ord, r.year, r.unit_code,
       r.unit_type, btrim(r.unit_name), left(r.unit_code, 2), r.population,
       bench_xt.size_class(r.unit_type, r.population), r.submitted_at, r.submission_id,
       bench_xt.yn(r.c1_kode, r.c1_text), bench_xt.yn(r.c2_kode, r.c2_text),
       bench_xt.rating(r.r_kode, r.r_text),
       bench_xt.ipsse(r.p_ips, r.p_se, r.p_ingen, r.p_vet),
       case when r.p_vet or not (r.p_ips or r.p_se or r.p_ingen) then null else r.p_ips end,
       case when r.p_vet or not (r.p_ips or r.p_se or r.p_ingen) then null else r.p_se end,
       bench_xt.ipsse(r.s_ips, r.s_se, r.s_ingen, r.s_vet),
       case when r.s_vet or not (r.s_ips or r.s_se or r.s_ingen) then null else r.s_ips end,
       case when r.s_vet or not (r.s_ips or r.s_se or r.s_ingen) then null else r.s_se end
  from bench_xt.doc d,
       xmltable(xmlnamespaces('urn:no:helsedirektoratet:is-24-8:2' as r),
                '//r:Rapport' passing xmlparse(document d.body)
                columns ord for ordinality,
                        year int path '@rapporteringsaar',
                        submitted_at timestamptz path 'r:Innsending/@tidspunkt',
                        submission_id text path 'r:Innsending/@id',
                        unit_type text path 'r:Enhet/@type',
                        unit_code text path 'r:Enhet/@nummer',
                        population int path 'r:Enhet/@innbyggere',
                        unit_name text path 'r:Enhet',
                        c1_kode text path 'r:Kapittel[@nr="21"]/r:Svar[@sporsmal="ARB_NAV_SAMARBEID"]/@kode',
                        c1_text text path 'r:Kapittel[@nr="21"]/r:Svar[@sporsmal="ARB_NAV_SAMARBEID"]',
                        c2_kode text path 'r:Kapittel[@nr="21"]/r:Svar[@sporsmal="ARB_NAV_SAMARBEID_SPES"]/@kode',
                        c2_text text path 'r:Kapittel[@nr="21"]/r:Svar[@sporsmal="ARB_NAV_SAMARBEID_SPES"]',
                        r_kode text path 'r:Kapittel[@nr="21"]/r:Svar[@sporsmal="ARB_NAV_SAMHANDLING"]/@kode',
                        r_text text path 'r:Kapittel[@nr="21"]/r:Svar[@sporsmal="ARB_NAV_SAMHANDLING"]',
                        p_ips boolean path 'boolean(r:Kapittel[@nr="21"]/r:Svar[@sporsmal="ARB_IPS_SE_PSYK"]/r:Valg[(@kode="IPS" or not(@kode) and contains(translate(., "IPS", "ips"), "(ips)"))])',
                        p_se boolean path 'boolean(r:Kapittel[@nr="21"]/r:Svar[@sporsmal="ARB_IPS_SE_PSYK"]/r:Valg[(@kode="SE" or not(@kode) and contains(translate(., "SE", "se"), "(se)"))])',
                        p_ingen boolean path 'boolean(r:Kapittel[@nr="21"]/r:Svar[@sporsmal="ARB_IPS_SE_PSYK"]/r:Valg[(@kode="INGEN" or not(@kode) and contains(translate(., "INGE", "inge"), "ingen"))])',
                        p_vet boolean path 'boolean(r:Kapittel[@nr="21"]/r:Svar[@sporsmal="ARB_IPS_SE_PSYK"]/r:Valg[(@kode="VETIKKE" or not(@kode) and contains(translate(., "VETIK", "vetik"), "ikke") and not(contains(translate(., "INGE", "inge"), "ingen")))])',
                        s_ips boolean path 'boolean(r:Kapittel[@nr="21"]/r:Svar[@sporsmal="ARB_IPS_SE_RUS"]/r:Valg[(@kode="IPS" or not(@kode) and contains(translate(., "IPS", "ips"), "(ips)"))])',
                        s_se boolean path 'boolean(r:Kapittel[@nr="21"]/r:Svar[@sporsmal="ARB_IPS_SE_RUS"]/r:Valg[(@kode="SE" or not(@kode) and contains(translate(., "SE", "se"), "(se)"))])',
                        s_ingen boolean path 'boolean(r:Kapittel[@nr="21"]/r:Svar[@sporsmal="ARB_IPS_SE_RUS"]/r:Valg[(@kode="INGEN" or not(@kode) and contains(translate(., "INGE", "inge"), "ingen"))])',
                        s_vet boolean path 'boolean(r:Kapittel[@nr="21"]/r:Svar[@sporsmal="ARB_IPS_SE_RUS"]/r:Valg[(@kode="VETIKKE" or not(@kode) and contains(translate(., "VETIK", "vetik"), "ikke") and not(contains(translate(., "INGE", "inge"), "ingen")))])'
               ) r;

-- Every Svar and every Valg, in document order; a report's answers are
-- numbered from 0 (seq), a Valg points at its Svar (parent_seq).
insert into bench_xt.answer
select x.doc_id::bigint * 100000 + x.rap, x.n - x.first_n,
       case when x.is_valg then x.last_svar - x.first_n end,
       x.chapter, x.question, x.code, nullif(x.text, '')
  from (select d.doc_id, a.*,
               min(a.n) over (partition by d.doc_id, a.rap) as first_n,
               max(case when not a.is_valg then a.n end)
                   over (partition by d.doc_id, a.rap order by a.n) as last_svar
          from bench_xt.doc d,
               xmltable(xmlnamespaces('urn:no:helsedirektoratet:is-24-8:2' as r),
                        '//r:Rapport/r:Kapittel/r:Svar | //r:Rapport/r:Kapittel/r:Svar/r:Valg'
                        passing xmlparse(document d.body)
                        columns n for ordinality,
                                rap int path 'count(ancestor::r:Rapport/preceding-sibling::r:Rapport) + 1',
                                is_valg boolean path 'boolean(self::r:Valg)',
                                chapter text path 'ancestor::r:Kapittel/@nr',
                                question text path 'ancestor-or-self::r:Svar/@sporsmal',
                                code text path '@kode',
                                text text path 'string(self::r:Valg | self::r:Svar[not(r:Valg)])'
                       ) a) x;
