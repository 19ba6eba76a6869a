#!/usr/bin/env bash
# Every year 2015-2025 in full: is248_gen writes a report for every unit
# that has to report (all municipalities of the year but 0301, and Oslo's 17
# districts), in both versions and the many ways the spec allows, as one
# tar.gz, with a manifest of what each report means.  The delivery imports
# and validates with nothing set aside, each unit's current report says what
# the manifest says, and the trend views equal the same figures computed
# here, independently, from the manifest.  Then corrections and repeats:
# the latest of four submissions per unit is current.
#
# Needs IS248_GEN (the generator, set by CTest) besides lib.sh's variables.
. "$(dirname "$0")/lib.sh"

ref="$SRC/sql/reference"
archive="$WORK/full-2015-2025.tar.gz"
manifest="$WORK/manifest.csv"

"$IS248_GEN" --years 2015-2025 --format tar.gz --seed 2482015 --quiet \
    --reference "$ref" --out "$archive" --manifest "$manifest" 2>"$WORK/gen.err"
eq "the generator exits 0" "$?" 0
eq "the generator says nothing" "$(cat "$WORK/gen.err")" ""

run migrate
eq "migrate exits 0" "$rc" 0
run import "$archive"
eq "the full delivery imports with exit 0" "$rc" 0
eq "no rejections recorded" "$(q "SELECT count(*) FROM is248.rejection")" 0
eq "one report loaded per manifest row" \
   "$(q "SELECT count(*) FROM is248.report_history")" "$(($(wc -l <"$manifest") - 1))"

run validate "$archive"
eq "validate on the same archive exits 0" "$rc" 0

# --- the manifest ------------------------------------------------------------
q "CREATE TABLE public.gen_manifest (
       year int NOT NULL, unit_code text NOT NULL, unit_type text NOT NULL,
       population int, size_class text,
       nav_collab text, nav_collab_specialist text, nav_rating text,
       ips_se_mental_health text, ips_mental_health boolean, se_mental_health boolean,
       ips_se_substance text, ips_substance boolean, se_substance boolean,
       PRIMARY KEY (year, unit_code))" >/dev/null
load_manifest() {  # load_manifest CSV: into public.gen_manifest, emptied first
    psql -X -q -v ON_ERROR_STOP=1 -c "TRUNCATE public.gen_manifest" \
         -c "\\copy public.gen_manifest FROM '$1' WITH (FORMAT csv, HEADER true)" 2>&1
}
eq "the manifest loads" "$(load_manifest "$manifest")" ""

# Units expected per year, from the reference CSV files themselves.
districts=$(($(grep -c . "$ref/oslo_districts.csv") - 1))
eq "the reference has Oslo's 17 districts" "$districts" 17
want_counts=$(awk -F, -v d="$districts" '
    NR > 1 && $1 >= 2015 && $1 <= 2025 && $2 != "0301" { n[$1]++ }
    END { for (y in n) print y "|" n[y] + d }' "$ref/municipalities_by_year.csv" | sort)
eq "the reference gives 11 years" "$(wc -l <<<"$want_counts")" 11
eq "reports per year: every municipality but 0301, and 17 districts" \
   "$(q "SELECT year, count(*) FROM is248.report_current GROUP BY year ORDER BY year")" "$want_counts"
eq "the manifest has the same units per year" \
   "$(q "SELECT year, count(*) FROM public.gen_manifest GROUP BY year ORDER BY year")" "$want_counts"
eq "every unit expected is the unit reported" \
   "$(q "SELECT count(*) FROM public.gen_manifest m FULL JOIN is248.report_current r USING (year, unit_code)
         WHERE m.unit_code IS NULL OR r.unit_code IS NULL")" 0

# The only warnings: version 2 reports without innbyggere.
eq "warnings only for the version 2 reports without a population" \
   "$(q "SELECT question, reason, count(*) FROM is248.warning GROUP BY 1, 2")" \
   "$(q "SELECT 'innbyggere', 'no population (innbyggere): no size class', count(*)
         FROM public.gen_manifest WHERE year >= 2018 AND population IS NULL HAVING count(*) > 0")"

# Each current report as the manifest means it; the specialist follow-up
# shows only after "yes" (§5).
cur_cols="year, unit_code, unit_type, population, size_class,
          nav_collab::text, nav_collab_specialist::text, nav_rating::text,
          ips_se_mental_health::text, ips_mental_health, se_mental_health,
          ips_se_substance::text, ips_substance, se_substance"
man_cols="year, unit_code, unit_type, population, size_class,
          nav_collab, CASE WHEN nav_collab = 'yes' THEN nav_collab_specialist END, nav_rating,
          ips_se_mental_health, ips_mental_health, se_mental_health,
          ips_se_substance, ips_substance, se_substance"
eq "report_current equals the manifest, unit by unit" \
   "$(q "SELECT 'only in is248:', * FROM (SELECT $cur_cols FROM is248.report_current
                                              EXCEPT ALL SELECT $man_cols FROM public.gen_manifest) a
         UNION ALL
         SELECT 'only in the manifest:', * FROM (SELECT $man_cols FROM public.gen_manifest
                                                 EXCEPT ALL SELECT $cur_cols FROM is248.report_current) b")" ""
eq "the manifest exercises every value (sanity of the generator)" \
   "$(q "SELECT count(DISTINCT size_class), count(DISTINCT nav_collab), count(DISTINCT nav_rating),
                count(DISTINCT ips_se_substance), count(*) FILTER (WHERE nav_collab <> 'yes' AND nav_collab_specialist IS NOT NULL) > 0,
                count(*) FILTER (WHERE ips_mental_health AND se_mental_health) > 0,
                count(*) FILTER (WHERE year >= 2018 AND ips_se_mental_health = 'dont_know') > 0
         FROM public.gen_manifest")" "7|3|6|3|t|t|t"

# --- the trend views, computed from the manifest ---------------------------
# Each unit counts once in its size class (when it has one) and once in
# 'Alle'; rows ordered by year and is248.size_class.ord, 'Alle' last.
groups="
WITH grouped AS (
    SELECT m.size_class AS grp, m.* FROM public.gen_manifest m WHERE m.size_class IS NOT NULL
    UNION ALL
    SELECT 'Alle', m.* FROM public.gen_manifest m),
ordering AS (
    SELECT label, ord FROM is248.size_class
    UNION ALL
    SELECT 'Alle', (SELECT max(ord) + 1 FROM is248.size_class))"
pct() {  # pct PART WHOLE: percentage with one decimal, NULL for an empty whole
    echo "CASE WHEN ($2) = 0 THEN NULL ELSE round(100.0 * ($1) / ($2), 1) END"
}

eq "trend_nav_collab equals the figures from the manifest" \
   "$(q "SELECT year, size_class, units_reporting, units_answered, units_yes, units_no,
                units_dont_know, pct_yes
         FROM is248.trend_nav_collab")" \
   "$(q "$groups
         SELECT g.year, g.grp, count(*), count(g.nav_collab),
                sum(CASE WHEN g.nav_collab = 'yes' THEN 1 ELSE 0 END),
                sum(CASE WHEN g.nav_collab = 'no' THEN 1 ELSE 0 END),
                sum(CASE WHEN g.nav_collab = 'dont_know' THEN 1 ELSE 0 END),
                $(pct "sum(CASE WHEN g.nav_collab = 'yes' THEN 1 ELSE 0 END)" "count(g.nav_collab)")
         FROM grouped g JOIN ordering o ON o.label = g.grp
         GROUP BY g.year, g.grp, o.ord ORDER BY g.year, o.ord")"

rated="count(g.nav_rating) - sum(CASE WHEN g.nav_rating = 'dont_know' THEN 1 ELSE 0 END)"
eq "trend_nav_rating equals the figures from the manifest" \
   "$(q "SELECT year, size_class, units_answered, very_good, good, neither, less_good, bad,
                dont_know, pct_good, pct_neither, pct_less_good_or_bad
         FROM is248.trend_nav_rating")" \
   "$(q "$groups
         SELECT g.year, g.grp, count(g.nav_rating),
                sum(CASE WHEN g.nav_rating = 'very_good' THEN 1 ELSE 0 END),
                sum(CASE WHEN g.nav_rating = 'good' THEN 1 ELSE 0 END),
                sum(CASE WHEN g.nav_rating = 'neither' THEN 1 ELSE 0 END),
                sum(CASE WHEN g.nav_rating = 'less_good' THEN 1 ELSE 0 END),
                sum(CASE WHEN g.nav_rating = 'bad' THEN 1 ELSE 0 END),
                sum(CASE WHEN g.nav_rating = 'dont_know' THEN 1 ELSE 0 END),
                $(pct "sum(CASE WHEN g.nav_rating IN ('very_good', 'good') THEN 1 ELSE 0 END)" "$rated"),
                $(pct "sum(CASE WHEN g.nav_rating = 'neither' THEN 1 ELSE 0 END)" "$rated"),
                $(pct "sum(CASE WHEN g.nav_rating IN ('less_good', 'bad') THEN 1 ELSE 0 END)" "$rated")
         FROM grouped g JOIN ordering o ON o.label = g.grp
         GROUP BY g.year, g.grp, o.ord ORDER BY g.year, o.ord")"

eq "trend_ips_se equals the figures from the manifest" \
   "$(q "SELECT year, size_class, field, units_answered, units_yes,
                coalesce(units_ips::text, 'NULL'), coalesce(units_se::text, 'NULL'), pct_yes
         FROM is248.trend_ips_se")" \
   "$(q "$groups,
         fields AS (
             SELECT year, grp, 'mental_health' AS field, ips_se_mental_health AS answer,
                    ips_mental_health AS ips, se_mental_health AS se FROM grouped
             UNION ALL
             SELECT year, grp, 'substance', ips_se_substance, ips_substance, se_substance FROM grouped)
         SELECT f.year, f.grp, f.field, count(f.answer),
                sum(CASE WHEN f.answer = 'yes' THEN 1 ELSE 0 END),
                CASE WHEN f.year < 2018 THEN 'NULL' ELSE sum(CASE WHEN f.ips THEN 1 ELSE 0 END)::text END,
                CASE WHEN f.year < 2018 THEN 'NULL' ELSE sum(CASE WHEN f.se THEN 1 ELSE 0 END)::text END,
                $(pct "sum(CASE WHEN f.answer = 'yes' THEN 1 ELSE 0 END)" "count(f.answer)")
         FROM fields f JOIN ordering o ON o.label = f.grp
         GROUP BY f.year, f.grp, o.ord, f.field ORDER BY f.year, o.ord, f.field")"

eq "the trend views have rows for all 11 years and 'Alle' in each" \
   "$(q "SELECT count(DISTINCT year), count(*) FILTER (WHERE size_class = 'Alle') FROM is248.trend_nav_collab")" "11|11"

# --- corrections and repeats -------------------------------------------------
# Two reports per unit and year with different answers, the whole set sent
# twice, as a zip across the change of version: the latest submission of
# each unit is current, and the rest are kept as history.
"$IS248_GEN" --years 2017-2018 --format zip --reports-per-unit 2 --repeat 2 --seed 7 --quiet \
    --reference "$ref" --out "$WORK/resent.zip" --manifest "$WORK/resent.csv" 2>"$WORK/gen.err"
eq "the generator exits 0 (corrections and repeats)" "$?" 0
q "DROP SCHEMA is248 CASCADE" >/dev/null 2>&1
run migrate
run import "$WORK/resent.zip"
eq "corrections and repeats import with exit 0" "$rc" 0
eq "corrections and repeats: no rejections" "$(q "SELECT count(*) FROM is248.rejection")" 0
eq "the resent manifest loads" "$(load_manifest "$WORK/resent.csv")" ""
eq "four reports per unit and year kept, one current" \
   "$(q "SELECT count(*), count(*) FILTER (WHERE is_current) FROM is248.report_history")" \
   "$(q "SELECT 4 * count(*), count(*) FROM public.gen_manifest")"
eq "the current report is the latest correction" \
   "$(q "SELECT 'only in is248:', * FROM (SELECT $cur_cols FROM is248.report_current
                                              EXCEPT ALL SELECT $man_cols FROM public.gen_manifest) a
         UNION ALL
         SELECT 'only in the manifest:', * FROM (SELECT $man_cols FROM public.gen_manifest
                                                 EXCEPT ALL SELECT $cur_cols FROM is248.report_current) b")" ""
eq "the corrections differ from what they correct" \
   "$(q "SELECT count(*) > 100 FROM (SELECT year, unit_code FROM is248.report_history GROUP BY 1, 2
                                   HAVING count(DISTINCT (nav_collab, nav_rating, ips_se_substance)) > 1) x")" "t"

q "DROP TABLE public.gen_manifest" >/dev/null
finish
