#!/usr/bin/env bash
# The SQL in the guides runs as written: every ```sql block of
# docs/analyst-guide.md as is248_reader against the fixture delivery, every
# one of docs/operator-guide.md as the owner in a transaction rolled back.
# The national table of the analyst guide equals the trend views, for every
# year, and its output shown in the guide is what it prints.  Every file
# docs/architecture.md names exists.
. "$(dirname "$0")/lib.sh"

# --- docs/architecture.md names files that exist ------------------------------------
# (every `folder/file` it names in backquotes, but the templates of "where to add")
missing=
for f in $(grep -o '`[a-z_]*/[A-Za-z0-9_./]*`' "$SRC/docs/architecture.md" | tr -d '`' | grep -v NAME | sort -u); do
    [ -e "$SRC/$f" ] || missing="$missing $f"
done
eq "docs/architecture.md names only files that exist" "$missing" ""

run migrate
run import "$SRC/fixtures/delivery"
eq "the fixture delivery imports with exit 0" "$rc" 0

reader=t_docs_reader
q "SET client_min_messages = warning; DROP ROLE IF EXISTS $reader; CREATE ROLE $reader LOGIN IN ROLE is248_reader" >/dev/null
trap 'psql -X -q -d postgres -c "DROP ROLE IF EXISTS $reader" >/dev/null 2>&1' EXIT

# blocks FILE DIR: write each ```sql block of FILE to DIR/N.sql; prints N
blocks() {
    mkdir -p "$2"
    awk -v dir="$2" '
        /^```sql[ \t]*$/ { n++; on = 1; f = dir "/" n ".sql"; printf "" > f; next }
        on && /^```[ \t]*$/ { on = 0; close(f); next }
        on { print > f }
        END { print n + 0; if (on) exit 1 }' "$1"
}

# --- the analyst guide, as the reader --------------------------------------------
n=$(blocks "$SRC/docs/analyst-guide.md" "$WORK/analyst")
eq "the analyst guide's sql blocks are all closed" "$?" 0
ok "the analyst guide has its sql blocks ($n)" test "$n" -ge 10
for ((i = 1; i <= n; i++)); do
    f="$WORK/analyst/$i.sql"
    PGUSER=$reader psql -X -q -v ON_ERROR_STOP=1 -f "$f" >"$WORK/a$i.out" 2>"$WORK/a$i.err"
    rc=$?
    eq "analyst guide, sql block $i ($(head -n 1 "$f")) runs as is248_reader" "$rc $(cat "$WORK/a$i.err")" "0 "
    ok "... and returns rows" grep -qE '^\([1-9][0-9]* rows?\)$' "$WORK/a$i.out"
done

# --- the national table ------------------------------------------------------------
national=$(grep -l -- '^-- national table' "$WORK"/analyst/*.sql | head -n 1)
ok "the analyst guide has the national table block" test -n "$national"
year=$(grep -oE 'r\.year = [0-9]{4}' "$national" | grep -oE '[0-9]{4}')
ok "... for one year ($year)" test -n "$year"
views="SELECT c.size_class, c.units_reporting, c.units_yes, c.pct_yes, r.pct_good, i.units_yes, i.pct_yes
       FROM is248.trend_nav_collab c
       JOIN is248.trend_nav_rating r USING (year, size_class)
       JOIN is248.trend_ips_se i USING (year, size_class)
       WHERE c.year = YEAR AND i.field = 'mental_health'"
for y in $(q "SELECT DISTINCT year FROM is248.report_current ORDER BY 1"); do
    sed "s/r\.year = $year/r.year = $y/" "$national" >"$WORK/national-$y.sql"
    got=$(PGUSER=$reader psql -X -A -t -q -F'|' -v ON_ERROR_STOP=1 -f "$WORK/national-$y.sql")
    eq "the national table for $y equals trend_nav_collab, trend_nav_rating and trend_ips_se" \
       "$(sort <<<"$got")" "$(q "${views/YEAR/$y}" | sort)"
    eq "... in the views' order of size classes" "$(cut -d'|' -f1 <<<"$got")" \
       "$(q "SELECT size_class FROM is248.trend_nav_collab WHERE year = $y")"
done
# the output shown in the guide: the first plain ``` block after the query
shown=$(awk '/^-- national table/ { q = 1 } q && /^```$/ { if (++b == 2) on = 1; else if (on) exit; next } on' \
        "$SRC/docs/analyst-guide.md")
eq "the guide shows what the national table prints" "$shown" \
   "$(PGUSER=$reader psql -X -v ON_ERROR_STOP=1 -f "$national" | sed 's/ *$//')"

# --- the operator guide, as the owner, rolled back ----------------------------------
n=$(blocks "$SRC/docs/operator-guide.md" "$WORK/operator")
eq "the operator guide's sql blocks are all closed" "$?" 0
ok "the operator guide has its sql blocks ($n)" test "$n" -ge 4
for ((i = 1; i <= n; i++)); do
    f="$WORK/operator/$i.sql"
    { echo 'BEGIN;'; cat "$f"; echo 'ROLLBACK;'; } | psql -X -q -v ON_ERROR_STOP=1 >"$WORK/o$i.out" 2>"$WORK/o$i.err"
    rc=$?
    eq "operator guide, sql block $i ($(head -n 1 "$f")) runs" "$rc $(cat "$WORK/o$i.err")" "0 "
done
ok "... and changed nothing (the roles it makes were rolled back)" \
   test "$(q "SELECT count(*) FROM pg_roles WHERE rolname IN ('is248_cron', 'analyst')")" = 0
finish
