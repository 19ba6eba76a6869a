#!/usr/bin/env bash
# tests/bench/run.sh [--big N] [--batch N] [--keep] BUILD_DIR [REPORTS] - the
# is248 benchmark (tests/bench/README.md): generate one tar.gz of version 2
# county files with about REPORTS reports (default 200000), load it with
# is248 into a throwaway PostgreSQL, and print, beside the targets of issue
# 12, each met or NOT MET: the rate end to end, is248 against the parser's
# floor, the database's floor of the same rows, three peers (two that keep
# the same rows as is248, checked byte for byte, and one that keeps one
# normalized row per report), a version 1 and a version 2 year, a re-import,
# peak memory by size, and where the server's time went (pg_stat_statements).
# Not a test: never run by ctest.
set -euo pipefail

usage() {
    cat >&2 <<'EOF'
usage: tests/bench/run.sh [--big N] [--batch N] [--keep] BUILD_DIR [REPORTS]
  BUILD_DIR  the CMake build directory (is248, tests/is248_gen, tests/maxrss)
  REPORTS    size of the main delivery, in reports (default 200000)
  --big N    also import a delivery of N reports (1000000 for the memory target)
  --batch N  give every is248 import --batch N (files per transaction)
  --keep     keep the work directory (deliveries, COPY files) afterwards
EOF
    exit 2
}

big="" keep="" batch=""
while [ $# -gt 0 ]; do
    case $1 in
    --big) [ $# -ge 2 ] || usage; big=$2; shift 2 ;;
    --batch) [ $# -ge 2 ] || usage; batch=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) usage ;;
    --) shift; break ;;
    -*) usage ;;
    *) break ;;
    esac
done
[ $# -ge 1 ] && [ $# -le 2 ] || usage
build=$(cd "$1" && pwd)
reports=${2:-200000}
case "$reports$big$batch" in *[!0-9]*) usage ;; esac

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
is248=$build/is248
gen=$build/tests/is248_gen
maxrss=$build/tests/maxrss
for b in "$is248" "$gen" "$maxrss"; do
    [ -x "$b" ] || { echo "run.sh: $b missing: build first (cmake --build $1)" >&2; exit 2; }
done
for t in xmllint bsdtar psql createdb gzip awk sha256sum; do
    command -v "$t" >/dev/null || { echo "run.sh: $t missing: run scripts/deps" >&2; exit 2; }
done

# The Python peers need lxml and psycopg2 from Debian (the system python3).
py=/usr/bin/python3
if ! "$py" -c 'import lxml.etree, psycopg2' 2>/dev/null; then
    echo "run.sh: installing python3-lxml python3-psycopg2" >&2
    sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq --no-install-recommends python3-lxml python3-psycopg2 >/dev/null
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/is248-bench.XXXXXX")
chmod 755 "$work"
pgdir=$work/pg
cleanup() {
    "$root/tests/integration/pg_cluster.sh" stop "$pgdir" >/dev/null 2>&1 || true
    if [ -n "$keep" ]; then echo "work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'echo "run.sh: interrupted" >&2; exit 130' INT TERM

bench_start=$(date +%s.%N)
now() { date +%s.%N; }
# calc EXPR: awk arithmetic, printed as given by the format in EXPR
calc() { awk "BEGIN { $1 }"; }
mib() { calc "printf \"%.1f\", $1 / 1024"; }   # KiB -> MiB
section() { printf '\n== %s\n' "$*"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
# met COND: "met" when the awk condition COND holds, else "NOT MET"
met() { if [ "$(calc "print ($1) ? 1 : 0")" = 1 ]; then echo "met"; else echo "NOT MET"; fi; }

# timed VAR CMD...: run CMD, set VAR to its wall time and VAR_CPU to the
# CPU time (user + system) of CMD and the processes it waited for, in
# seconds; fail loudly.
timed() {
    local var=$1 rc=0 t r u s
    shift
    local TIMEFORMAT='%3R %3U %3S'
    { time "$@" 2>&4; } 4>&2 2>"$work/time.out" || rc=$?
    if [ $rc -ne 0 ]; then
        echo "run.sh: failed (exit $rc): $*" >&2
        return 1
    fi
    t=$(tail -n 1 "$work/time.out")
    read -r r u s <<<"$t"
    printf -v "$var" '%s' "$r"
    printf -v "${var}_CPU" '%s' "$(calc "printf \"%.3f\", $u + $s")"
}

# median of three numbers
median3() { printf '%s\n' "$@" | sort -g | sed -n 2p; }

# is248 import with the options every run gets
import_opts=(--quiet)
[ -z "$batch" ] || import_opts+=(--batch "$batch")

# Reports in one set of --years 2018-2025 (every unit once per year).
set_reports=$("$gen" --years 2018-2025 --reference "$root/sql/reference" \
                     --out "$work/probe.tar.gz" 2>&1 | sed -n 's/^is248_gen: \([0-9]*\) reports.*/\1/p')
rm -f "$work/probe.tar.gz"
[ -n "$set_reports" ] || { echo "run.sh: cannot read is248_gen's summary" >&2; exit 1; }

# make_delivery N OUT: a tar.gz of version 2 county files, 2018-2025, repeated
# (each copy a later submission: corrections) to about N reports.  Sets
# D_REPORTS, D_FILES, D_XML_BYTES.
make_delivery() {
    local n=$1 out=$2 k summary
    k=$(calc "k = int($n / $set_reports + 0.5); if (k < 1) k = 1; print k")
    summary=$("$gen" --years 2018-2025 --repeat "$k" --reference "$root/sql/reference" \
                     --format tar.gz --out "$out" 2>&1)
    D_REPORTS=$(sed -n 's/^is248_gen: \([0-9]*\) reports in \([0-9]*\) files.*/\1/p' <<<"$summary")
    D_FILES=$(sed -n 's/^is248_gen: \([0-9]*\) reports in \([0-9]*\) files.*/\2/p' <<<"$summary")
    D_XML_BYTES=$(bsdtar -tvf "$out" | awk '$1 ~ /^-/ && $NF ~ /\.[xX][mM][lL]$/ { s += $5 } END { printf "%d", s }')
}

# The throwaway cluster, with pg_stat_statements loaded (tracking every
# statement, those inside functions too) so that the server's share of an
# import can be read from it.
"$root/tests/integration/pg_cluster.sh" start "$pgdir" >/dev/null
# shellcheck disable=SC1091
. "$pgdir/env"
export PGDATABASE
cat >>"$pgdir/data/postgresql.conf" <<'CONF'
shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = all
pg_stat_statements.track_planning = on
pg_stat_statements.max = 10000
CONF
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
as_owner "$IS248_PG_BINDIR/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w -t 60 restart >/dev/null \
    || { cat "$pgdir/server.log" >&2; exit 1; }

# fresh_db NAME: a new database with the is248 schema migrated.
fresh_db() {
    createdb "$1"
    PGDATABASE=$1 "$is248" migrate >/dev/null 2>&1 || { echo "run.sh: is248 migrate failed in $1" >&2; exit 1; }
}

# import_rss DB RSSFILE ERRFILE PATH...: is248 import under maxrss, with
# IS248_STAGE_TIMES=1; exit 0 required.
import_rss() {
    local db=$1 rssf=$2 errf=$3
    shift 3
    PGDATABASE=$db IS248_STAGE_TIMES=1 "$maxrss" "$rssf" "$is248" import "${import_opts[@]}" "$@" 2>"$errf" || {
        local rc=$?
        echo "run.sh: is248 import exited $rc:" >&2
        tail -n 20 "$errf" >&2
        return $rc
    }
}

stages() { grep '^is248: stages:' "$1" | tail -n 1 || true; }

# pg_stat_statements (the extension lives in bench_is248, the figures are
# the cluster's): pss_reset forgets them; pss_keep DB TABLE copies those of
# database DB into bench_is248's table public.TABLE.
pss_reset() { psql -X -q -d bench_is248 -c 'select pg_stat_statements_reset()' >/dev/null; }
pss_keep() {
    psql -X -q -d bench_is248 -c "create table public.$2 as
        select s.toplevel, s.calls, s.total_exec_time, s.total_plan_time, s.rows, s.query
          from pg_stat_statements s
         where s.dbid = (select oid from pg_database where datname = '$1')"
}
# pss_table TABLE REPORTS WALL [LIMIT]: the statements of TABLE, top-level
# first, each with the function it ran in (found by the start of its text in
# the functions of schema is248: "top" for a statement is248 sent), its
# calls, execution and planning time in the server, execution time per
# report, and its share of the top-level statements' execution time; those
# under 0.2 % of it left out, and beyond LIMIT rows; then the sum of the
# top-level statements against is248's wall time WALL.  A nested
# statement's time is also in the statement that called it.
pss_table() {
    psql -X -q -d bench_is248 -P footer=off -v t="$1" -v n="$2" -v wall="$3" -v lim="${4:-100}" <<'EOF'
\pset null ''
with s as (
    select b.*, regexp_replace(btrim(b.query), '\s+', ' ', 'g') as q
      from public.:"t" b
), k as (
    -- the start of the text up to its first parameter, without the
    -- SELECT that PL/pgSQL puts before a PERFORM's expression
    select s.*, left(split_part(regexp_replace(s.q, '^SELECT ', ''), '$', 1), 60) as key
      from s
), f as (
    select p.proname, regexp_replace(p.prosrc, '\s+', ' ', 'g') as src
      from pg_proc p where p.pronamespace = 'is248'::regnamespace
), w as (
    select k.*,
           case when k.toplevel then 'top'
                when k.q ~ '^SELECT \$\d+ FROM ONLY .* FOR KEY SHARE OF' then 'foreign key check'
                else 'in ' || coalesce(
                    (select string_agg(distinct f.proname, ',') from f
                      where length(k.key) >= 12 and strpos(f.src, k.key) > 0), '?')
           end as place
      from k
), top as (
    select sum(s.total_exec_time) filter (where s.toplevel) as total from s
)
select left(k.place, 28) as "where",
       k.calls,
       round(k.total_exec_time::numeric / 1000, 3) as "exec s",
       round(k.total_plan_time::numeric / 1000, 3) as "plan s",
       round((k.total_exec_time * 1000 / :n)::numeric, 1) as "µs/report",
       round((100 * k.total_exec_time / nullif(t.total, 0))::numeric, 1) as "% of top",
       left(k.q, 80) as statement
  from w k, top t
 where k.total_exec_time + k.total_plan_time >= 0.002 * t.total
    or k.q ~* '^copy |is248\.merge_batch\('
 order by k.toplevel desc, k.total_exec_time + k.total_plan_time desc
 limit :lim;
-- merge_batch() as a whole, and what of it is in the statements found in
-- its text alone (the rest: PL/pgSQL between them, the functions they
-- call, the arguments)
with s as (
    select b.*, regexp_replace(btrim(b.query), '\s+', ' ', 'g') as q
      from public.:"t" b
), src as (
    select regexp_replace(p.prosrc, '\s+', ' ', 'g') as src, p.proname
      from pg_proc p where p.pronamespace = 'is248'::regnamespace
), k as (
    select s.*, left(split_part(regexp_replace(s.q, '^SELECT ', ''), '$', 1), 60) as key
      from s where not s.toplevel
), only_merge as (
    select k.* from k
     where length(k.key) >= 12
       and (select array_agg(distinct src.proname) from src
             where strpos(src.src, k.key) > 0) = array['merge_batch']::name[]
)
select round((select sum(total_exec_time) from s
               where toplevel and q ~ 'is248\.merge_batch\(')::numeric / 1000, 3)
           as "merge_batch() exec s",
       round((select sum(total_exec_time) from only_merge)::numeric / 1000, 3)
           as "of which its statements",
       round(((select sum(total_exec_time) from s
                where toplevel and q ~ 'is248\.merge_batch\(')
              - (select coalesce(sum(total_exec_time), 0) from only_merge))::numeric / 1000, 3)
           as "the rest",
       round(((select sum(total_exec_time) from s
                where toplevel and q ~ 'is248\.merge_batch\(')
              - (select coalesce(sum(total_exec_time), 0) from only_merge))::numeric * 1000 / :n, 1)
           as "the rest, µs/report";
select round((sum(total_exec_time) / 1000)::numeric, 3) as "exec s, top-level statements",
       round((sum(total_plan_time) / 1000)::numeric, 3) as "plan s",
       round((sum(total_exec_time) * 1000 / :n)::numeric, 1) as "µs/report",
       round((100 * sum(total_exec_time + total_plan_time) / 1000 / :wall)::numeric, 1)
           as "% of is248's wall time"
  from public.:"t" where toplevel;
EOF
}

# dump DB QUERY: the rows of QUERY in COPY's text format, on stdout
dump() { psql -X -q -d "$1" -c "copy ($2) to stdout"; }
# same_rows WHAT DB_A QUERY_A DB_B QUERY_B: "the same as is248's" when the
# two queries give the same bytes, else "DIFFERENT" and where
same_rows() {
    local a b
    a=$(dump "$2" "$3" | sha256sum)
    b=$(dump "$4" "$5" | sha256sum)
    if [ "$a" = "$b" ]; then
        echo "the same as is248's"
    else
        echo "DIFFERENT from is248's"
        {
            echo "run.sh: $1: the rows differ from is248's; first difference (is248 <, peer >):"
            diff <(dump "$2" "$3") <(dump "$4" "$5") | head -n 4 | cut -c 1-400 | cat -v
        } >&2 || true
    fi
}

printf 'is248 benchmark, %s, commit %s, %s cores (%s), PostgreSQL %s\n' "$(date '+%Y-%m-%d %H:%M')" \
    "$(git -C "$root" describe --always --dirty 2>/dev/null || echo '?')" "$(nproc)" \
    "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" \
    "$(psql -X -d postgres -Atc 'show server_version' | cut -d' ' -f1)"
LOAD_START=$(loadavg)
printf 'load average before: %s (1, 5, 15 min)\n' "$LOAD_START"

# ---------------------------------------------------------------------------
section "delivery"
t0=$(now)
make_delivery "$reports" "$work/delivery.tar.gz"
t1=$(now)
N=$D_REPORTS
XML=$D_XML_BYTES
MB=$(calc "printf \"%.1f\", $XML / 1e6")
printf '%s reports in %s county files (version 2, 2018-2025, %s submissions per unit and year)\n' \
    "$N" "$D_FILES" "$(calc "printf \"%d\", $N / $set_reports")"
printf '%s MB of XML, %.1f MB as tar.gz; generated in %.1f s\n' "$MB" \
    "$(calc "print $(stat -c %s "$work/delivery.tar.gz") / 1e6")" "$(calc "print $t1 - $t0")"

# ---------------------------------------------------------------------------
section "is248 import of the delivery into a fresh database"
fresh_db bench_is248
psql -X -q -d bench_is248 -c 'create extension pg_stat_statements'
pss_reset
LOAD_IMPORT_BEFORE=$(loadavg)
timed T_IS248 import_rss bench_is248 "$work/rss.main" "$work/import.err" "$work/delivery.tar.gz"
LOAD_IMPORT_AFTER=$(loadavg)
# the server's figures, before anything else runs in that database
pss_keep bench_is248 pss_main
RSS_MAIN=$(cat "$work/rss.main")
loaded=$(psql -X -d bench_is248 -Atc "select count(*) from is248.report")
answers=$(psql -X -d bench_is248 -Atc "select count(*) from is248.answer")
[ "$loaded" = "$N" ] || { echo "run.sh: is248 loaded $loaded reports, expected $N" >&2; exit 1; }
printf '%s s: %.0f reports/s, %.1f MB/s of XML, peak RSS %s MiB (%s reports, %s answers loaded)\n' \
    "$T_IS248" "$(calc "print $N / $T_IS248")" "$(calc "print $MB / $T_IS248")" "$(mib "$RSS_MAIN")" "$loaded" "$answers"
printf 'CPU time of is248 (user + system): %s s; load average before %s, after %s\n' \
    "$T_IS248_CPU" "$LOAD_IMPORT_BEFORE" "$LOAD_IMPORT_AFTER"
S_MAIN=$(stages "$work/import.err"); [ -z "$S_MAIN" ] || echo "$S_MAIN"

section "is248 re-import of the same delivery (read whole before: skipped)"
timed T_RE import_rss bench_is248 "$work/rss.re" "$work/reimport.err" "$work/delivery.tar.gz"
still=$(psql -X -d bench_is248 -Atc "select count(*) from is248.report")
[ "$still" = "$N" ] || { echo "run.sh: the re-import changed the reports ($still)" >&2; exit 1; }
skipped=$(psql -X -d bench_is248 -Atc "select count(*) from is248.delivery where read_before is not null")
[ "$skipped" = 1 ] || { echo "run.sh: the re-import did not skip the delivery" >&2; exit 1; }
printf '%s s (%.1fx faster than the first import), peak RSS %s MiB; the delivery was recognised as read before\n' \
    "$T_RE" "$(calc "print $T_IS248 / $T_RE")" "$(mib "$(cat "$work/rss.re")")"

section "is248.answer_current of the delivery (every catalogued question of every current report, decided in SQL)"
acq() { psql -X -q -d bench_is248 -Atc "select count(*) from is248.answer_current" >"$work/ac.out"; }
timed T_AC acq
printf '%s s for %s rows (%s current reports); no target: the query an analyst runs first\n' \
    "$T_AC" "$(cat "$work/ac.out")" "$(psql -X -d bench_is248 -Atc "select count(*) from is248.report_current")"

# ---------------------------------------------------------------------------
section "floor: the parser (xmllint --stream --noout)"
t0=$(now)
mkdir "$work/xml"
bsdtar -xf "$work/delivery.tar.gz" -C "$work/xml"
t1=$(now)
printf 'delivery unpacked to a directory beforehand, untimed (%.1f s); xmllint reads the files from it\n' \
    "$(calc "print $t1 - $t0")"
xmllint_all() { find "$work/xml" -type f -name '*.xml' -print0 | sort -z | xargs -0 xmllint --stream --noout; }
timed T_XMLLINT "$maxrss" "$work/rss.xmllint" bash -c "$(declare -f xmllint_all); work='$work'; xmllint_all"
printf '%s s, peak RSS %s MiB\n' "$T_XMLLINT" "$(mib "$(cat "$work/rss.xmllint")")"
timed T_GZIP sh -c "gzip -dc '$work/delivery.tar.gz' >/dev/null"
printf 'decompression alone (gzip -dc of the tar.gz, not part of the floor): %s s\n' "$T_GZIP"

# ---------------------------------------------------------------------------
section "floor: the database (psql \\copy of is248's rows into is248.report)"
psql -X -q -d bench_is248 -c "\\copy is248.import_run to '$work/import_run.copy'" \
     -c "\\copy is248.source_file to '$work/source_file.copy'" \
     -c "\\copy is248.report to '$work/report.copy'"
fresh_db bench_copy
psql -X -q -d bench_copy -c "\\copy is248.import_run from '$work/import_run.copy'" \
     -c "\\copy is248.source_file from '$work/source_file.copy'"
cat >"$work/copy.sql" <<EOF
\\set ON_ERROR_STOP on
begin;
\\copy is248.report from '$work/report.copy'
commit;
EOF
timed T_COPY psql -q -X -d bench_copy -f "$work/copy.sql"
printf 'is248.report exported with \\copy beforehand (%.1f MB), loaded with client-side \\copy into\n' \
    "$(calc "print $(stat -c %s "$work/report.copy") / 1e6")"
printf 'a freshly migrated database (key and unique index in place), one transaction: %s s\n' "$T_COPY"
rm -f "$work/report.copy"

# ---------------------------------------------------------------------------
# The peers.  Their rows are compared with is248's: the normalized
# work-chapter columns, and (for those that keep them) the packed answers.
norm_cols="year, unit_code, submitted_at, size_class, nav_collab, nav_collab_specialist, nav_rating,
      ips_se_mental_health, ips_mental_health, se_mental_health, ips_se_substance, ips_substance, se_substance"
ans_cols="year, unit_code, submitted_at, answers"
q() { echo "select $1 from $2 order by 1, 2, 3"; }

section "peer (a): Python, the same rows (tests/bench/py_loader.py: lxml iterparse, psycopg2 COPY)"
createdb bench_py
timed T_PY env PGDATABASE=bench_py "$maxrss" "$work/rss.py" "$py" "$here/py_loader.py" \
    "$work/delivery.tar.gz" 2>"$work/py.err" || { cat "$work/py.err" >&2; exit 1; }
py_r=$(psql -X -d bench_py -Atc "select count(*) from bench_py.report")
printf '%s s, peak RSS %s MiB (%s reports)\n' "$T_PY" "$(mib "$(cat "$work/rss.py")")" "$py_r"
SAME_PY_N=$(same_rows "Python (a), normalized columns" bench_is248 "$(q "$norm_cols" is248.report)" \
                      bench_py "$(q "$norm_cols" bench_py.report)")
SAME_PY_A=$(same_rows "Python (a), answers" bench_is248 "$(q "$ans_cols" is248.report)" \
                      bench_py "$(q "$ans_cols" bench_py.report)")
printf 'normalized columns: %s; packed answers: %s\n' "$SAME_PY_N" "$SAME_PY_A"

section "peer (b): XMLTABLE, the same rows (tests/bench/xmltable.sql: the text into a table, one INSERT ... SELECT)"
"$py" - "$work/xml" "$work/docs.csv" <<'EOF'
import csv, os, sys
root, out = sys.argv[1], sys.argv[2]
with open(out, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    for dp, dn, fn in os.walk(root):
        dn.sort()
        for n in sorted(fn):
            if n.lower().endswith(".xml"):
                p = os.path.join(dp, n)
                with open(p, encoding="utf-8-sig") as x:
                    w.writerow([os.path.relpath(p, root), x.read()])
EOF
createdb bench_xt
sed -n '1,/^-- @shred@/p' "$here/xmltable.sql" | psql -q -X -v ON_ERROR_STOP=1 -d bench_xt
timed T_XT_LOAD psql -q -X -v ON_ERROR_STOP=1 -d bench_xt -c "\\copy bench_xt.doc(name, body) from '$work/docs.csv' csv"
sed -n '/^-- @shred@/,$p' "$here/xmltable.sql" >"$work/shred.sql"
timed T_XT_SHRED psql -q -X -v ON_ERROR_STOP=1 -1 -d bench_xt -f "$work/shred.sql"
rm -f "$work/docs.csv"
T_XT=$(calc "printf \"%.3f\", $T_XT_LOAD + $T_XT_SHRED")
xt_r=$(psql -X -d bench_xt -Atc "select count(*) from bench_xt.report")
printf 'load of the text (one row per file, \\copy from a CSV made beforehand): %s s\n' "$T_XT_LOAD"
printf 'INSERT ... SELECT from XMLTABLE (one transaction): %s s\n' "$T_XT_SHRED"
printf 'together %s s (%s reports)\n' "$T_XT" "$xt_r"
SAME_XT_N=$(same_rows "XMLTABLE (b), normalized columns" bench_is248 "$(q "$norm_cols" is248.report)" \
                      bench_xt "$(q "$norm_cols" bench_xt.report)")
SAME_XT_A=$(same_rows "XMLTABLE (b), answers" bench_is248 "$(q "$ans_cols" is248.report)" \
                      bench_xt "$(q "$ans_cols" bench_xt.report)")
printf 'normalized columns: %s; packed answers: %s\n' "$SAME_XT_N" "$SAME_XT_A"

section "peer (c): Python, one normalized row per report (py_loader.py --no-answers)"
createdb bench_pyn
timed T_PYN env PGDATABASE=bench_pyn "$maxrss" "$work/rss.pyn" "$py" "$here/py_loader.py" --no-answers \
    "$work/delivery.tar.gz" 2>"$work/pyn.err" || { cat "$work/pyn.err" >&2; exit 1; }
pyn_r=$(psql -X -d bench_pyn -Atc "select count(*) from bench_py.report")
printf '%s s, peak RSS %s MiB (%s reports, no raw answers kept)\n' "$T_PYN" "$(mib "$(cat "$work/rss.pyn")")" "$pyn_r"
SAME_PYN_N=$(same_rows "Python (c), normalized columns" bench_is248 "$(q "$norm_cols" is248.report)" \
                       bench_pyn "$(q "$norm_cols" bench_py.report)")
printf 'normalized columns: %s\n' "$SAME_PYN_N"
dropdb bench_xt
dropdb bench_py
dropdb bench_pyn
rm -rf "$work/xml"

# ---------------------------------------------------------------------------
section "memory: peak RSS of is248 import by delivery size"
make_delivery 10000 "$work/small.tar.gz"
N_SMALL=$D_REPORTS
fresh_db bench_small
timed T_SMALL import_rss bench_small "$work/rss.small" "$work/small.err" "$work/small.tar.gz"
RSS_SMALL=$(cat "$work/rss.small")
printf '%8s reports: peak RSS %s MiB (%s s)\n' "$N_SMALL" "$(mib "$RSS_SMALL")" "$T_SMALL"
printf '%8s reports: peak RSS %s MiB (the main delivery above)\n' "$N" "$(mib "$RSS_MAIN")"
RSS_LARGE=$RSS_MAIN N_LARGE=$N
RSS_MAX=$(calc "a = $RSS_SMALL; b = $RSS_MAIN; print (a > b) ? a : b")
if [ -n "$big" ]; then
    make_delivery "$big" "$work/big.tar.gz"
    N_BIG=$D_REPORTS
    fresh_db bench_big
    timed T_BIG import_rss bench_big "$work/rss.big" "$work/big.err" "$work/big.tar.gz"
    RSS_LARGE=$(cat "$work/rss.big") N_LARGE=$N_BIG
    RSS_MAX=$(calc "a = $RSS_MAX; b = $RSS_LARGE; print (a > b) ? a : b")
    printf '%8s reports: peak RSS %s MiB (%s s, %.0f reports/s)\n' "$N_BIG" "$(mib "$RSS_LARGE")" "$T_BIG" \
        "$(calc "print $N_BIG / $T_BIG")"
    s=$(stages "$work/big.err"); [ -z "$s" ] || echo "$s"
    rm -f "$work/big.tar.gz"
    dropdb bench_big
fi
dropdb bench_small

# ---------------------------------------------------------------------------
section "a year: one zip, one year, into a fresh database (three times each)"
# year_runs YEAR VAR: import the zip of YEAR three times, each into a fresh
# database; VAR = the median wall time, VAR_ALL = the three, N_VAR = reports;
# the server's figures of the third run kept in pss_yYEAR
year_runs() {
    local year=$1 var=$2 out i all=""
    out=$("$gen" --years "$year" --reference "$root/sql/reference" --format zip --out "$work/y$year.zip" 2>&1)
    printf -v "N_$var" '%s' "$(sed -n 's/^is248_gen: \([0-9]*\) reports.*/\1/p' <<<"$out")"
    for i in 1 2 3; do
        fresh_db "bench_y${year}_$i"
        [ $i != 3 ] || pss_reset
        timed T_Y import_rss "bench_y${year}_$i" "$work/rss.y$year.$i" "$work/y$year.err" "$work/y$year.zip"
        [ $i != 3 ] || pss_keep "bench_y${year}_$i" "pss_y$year"
        [ $i != 3 ] || printf -v "${var}_LAST" '%s' "$T_Y"
        all="$all $T_Y"
        RSS_MAX=$(calc "a = $RSS_MAX; b = $(cat "$work/rss.y$year.$i"); print (a > b) ? a : b")
        dropdb "bench_y${year}_$i"
    done
    # shellcheck disable=SC2086
    printf -v "$var" '%s' "$(median3 $all)"
    printf -v "${var}_ALL" '%s' "${all# }"
}
year_runs 2016 T_YEAR1
printf '%s reports (2016, version 1, one file each) in one zip: median %s s end to end (%s)\n' \
    "$N_T_YEAR1" "$T_YEAR1" "$T_YEAR1_ALL"
s=$(stages "$work/y2016.err"); [ -z "$s" ] || echo "$s"
year_runs 2018 T_YEAR2
printf '%s reports (2018, version 2, one file per county) in one zip: median %s s end to end (%s)\n' \
    "$N_T_YEAR2" "$T_YEAR2" "$T_YEAR2_ALL"
s=$(stages "$work/y2018.err"); [ -z "$s" ] || echo "$s"

# ---------------------------------------------------------------------------
section "the server's share of the import of the delivery (pg_stat_statements, track = all)"
pss_table pss_main "$N" "$T_IS248"
PSS_COPY=$(psql -X -d bench_is248 -Atc "select round((sum(total_exec_time) * 1000 / $N)::numeric, 1)
    from public.pss_main where toplevel and query ilike 'copy is248.stage%'")
PSS_MERGE=$(psql -X -d bench_is248 -Atc "select round((sum(total_exec_time) * 1000 / $N)::numeric, 1)
    from public.pss_main where toplevel and query ilike '%is248.merge_batch(%'")
[ -n "$S_MAIN" ] && printf '\nthe client (%s):\n%s\n' "is248's own figures, IS248_STAGE_TIMES=1" "$S_MAIN"

section "the server's share of a year's import (pg_stat_statements, the third run of each year)"
printf '2016, version 1, %s one-report files, %s s end to end:\n' "$N_T_YEAR1" "$T_YEAR1_LAST"
pss_table pss_y2016 "$N_T_YEAR1" "$T_YEAR1_LAST" 16
printf '\n2018, version 2, %s reports in county files, %s s end to end:\n' "$N_T_YEAR2" "$T_YEAR2_LAST"
pss_table pss_y2018 "$N_T_YEAR2" "$T_YEAR2_LAST" 16

# ---------------------------------------------------------------------------
section "results ($N reports, $MB MB of XML)"
row() {  # method seconds [rss-kib]
    local rss="-"
    [ -z "${3:-}" ] || rss="$(mib "$3") MiB"
    printf '%-48s | %9.2f | %10.0f | %7.1f | %8.2fx | %s\n' "$1" "$2" \
        "$(calc "print $N / $2")" "$(calc "print $MB / $2")" "$(calc "print $2 / $T_IS248")" "$rss"
}
printf '%-48s | %9s | %10s | %7s | %9s | %s\n' method seconds reports/s MB/s "ratio" "peak RSS"
printf '%s\n' "-------------------------------------------------+-----------+------------+---------+-----------+----------"
row "is248 import (tar.gz, end to end)" "$T_IS248" "$RSS_MAIN"
row "is248 re-import (delivery read before)" "$T_RE" "$(cat "$work/rss.re")"
row "parser floor: xmllint --stream (unpacked)" "$T_XMLLINT" "$(cat "$work/rss.xmllint")"
row "decompression: gzip -dc" "$T_GZIP"
row "database floor: \\copy into is248.report" "$T_COPY"
row "(a) Python lxml + COPY, same rows" "$T_PY" "$(cat "$work/rss.py")"
row "(b) XMLTABLE, same rows (text load + shred)" "$T_XT"
row "    of which the INSERT ... SELECT" "$T_XT_SHRED"
row "(c) Python lxml + COPY, normalized row only" "$T_PYN" "$(cat "$work/rss.pyn")"
echo "ratio = the method's seconds / is248 import's seconds (below 1: faster than is248)"
printf 'server time per report in the import (pg_stat_statements): COPY into is248.stage %s µs, is248.merge_batch() %s µs\n' \
    "${PSS_COPY:-?}" "${PSS_MERGE:-?}"

# ---------------------------------------------------------------------------
section "targets (issue 12)"
LOAD_END=$(loadavg)
printf 'load average: %s at the start, %s before the import of the delivery, %s after it, %s now (%s cores)\n' \
    "$LOAD_START" "$LOAD_IMPORT_BEFORE" "$LOAD_IMPORT_AFTER" "$LOAD_END" "$(nproc)"
tgt() { printf '%-64s %-34s %s\n' "$1" "$2" "$3"; }
rate=$(calc "printf \"%.0f\", $N / $T_IS248")
tgt "at least 60 000 reports/s end to end" "$rate reports/s" "$(met "$rate >= 60000")"
tgt "at most 2x the parser floor (xmllint: $T_XMLLINT s)" \
    "$(calc "printf \"%.2fx\", $T_IS248 / $T_XMLLINT")" "$(met "$T_IS248 <= 2 * $T_XMLLINT")"
tgt "database floor (is248.report by \\copy; no target)" \
    "$T_COPY s, is248 $(calc "printf \"%.2fx\", $T_IS248 / $T_COPY")" "-"
# peer_note CHECK...: nothing when every check said the rows are the same
peer_note() {
    local c
    for c in "$@"; do
        case $c in DIFFERENT*) echo " (its rows DIFFER from is248's)"; return ;; esac
    done
}
tgt "at least 3x faster than (a) Python, same rows" \
    "$(calc "printf \"%.2fx\", $T_PY / $T_IS248")" "$(met "$T_PY >= 3 * $T_IS248")$(peer_note "$SAME_PY_N" "$SAME_PY_A")"
tgt "at least 3x faster than (b) XMLTABLE, same rows" \
    "$(calc "printf \"%.2fx\", $T_XT / $T_IS248")" "$(met "$T_XT >= 3 * $T_IS248")$(peer_note "$SAME_XT_N" "$SAME_XT_A")"
tgt "at least 2x faster than (c) Python, normalized row only" \
    "$(calc "printf \"%.2fx\", $T_PYN / $T_IS248")" "$(met "$T_PYN >= 2 * $T_IS248")$(peer_note "$SAME_PYN_N")"
tgt "a version 1 year ($N_T_YEAR1 one-report files, zip) under 0.25 s" "$T_YEAR1 s (median of 3)" "$(met "$T_YEAR1 < 0.25")"
tgt "a version 2 year ($N_T_YEAR2 reports, county files, zip) under 0.1 s" "$T_YEAR2 s (median of 3)" "$(met "$T_YEAR2 < 0.1")"
tgt "re-import at least 20x faster than the first import" \
    "$(calc "printf \"%.1fx\", $T_IS248 / $T_RE") ($T_RE s)" "$(met "$T_IS248 >= 20 * $T_RE")"
lim=$((64 * 1024))
tgt "peak RSS under 64 MiB (every is248 import above)" "$(mib "$RSS_MAX") MiB at most" "$(met "$RSS_MAX < $lim")"
d=$(calc "a = $RSS_SMALL; b = $RSS_LARGE; printf \"%.1f\", 100 * (b - a) / a")
if [ "$N_LARGE" -ge 1000000 ]; then note=""; else note=" (1 000 000 not run: --big 1000000)"; fi
tgt "peak RSS within 10 % from 10 000 to 1 000 000 reports" \
    "$(printf '%+.1f%% (%s to %s reports)' "$d" "$N_SMALL" "$N_LARGE")" \
    "$(met "$d <= 10 && $d >= -10")$note"

printf '\nbenchmark wall time: %.0f s\n' "$(calc "print $(now) - $bench_start")"
