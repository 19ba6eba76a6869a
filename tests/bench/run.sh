#!/usr/bin/env bash
# tests/bench/run.sh [--big N] [--keep] BUILD_DIR [REPORTS] - the is248 benchmark
# (tests/bench/README.md): generate one tar.gz of version 2 county files with
# about REPORTS reports (default 200000), load it with is248 into a throwaway
# PostgreSQL, time it against the parser's and the database's floors and two
# alternatives (XMLTABLE, Python), then check memory, a real-sized year and a
# re-import against their targets.  Not a test: never run by ctest.
set -euo pipefail

usage() {
    cat >&2 <<'EOF'
usage: tests/bench/run.sh [--big N] [--keep] BUILD_DIR [REPORTS]
  BUILD_DIR  the CMake build directory (is248, tests/is248_gen, tests/maxrss)
  REPORTS    size of the main delivery, in reports (default 200000)
  --big N    also import a delivery of N reports (e.g. 1000000) for the memory check
  --keep     keep the work directory (deliveries, COPY files) afterwards
EOF
    exit 2
}

big="" keep=""
while [ $# -gt 0 ]; do
    case $1 in
    --big) [ $# -ge 2 ] || usage; big=$2; shift 2 ;;
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
case "$reports$big" in *[!0-9]*) usage ;; esac

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
is248=$build/is248
gen=$build/tests/is248_gen
maxrss=$build/tests/maxrss
for b in "$is248" "$gen" "$maxrss"; do
    [ -x "$b" ] || { echo "run.sh: $b missing: build first (cmake --build $1)" >&2; exit 2; }
done
for t in xmllint bsdtar psql createdb gzip awk; do
    command -v "$t" >/dev/null || { echo "run.sh: $t missing: run scripts/deps" >&2; exit 2; }
done

# The Python alternative needs lxml and psycopg2 from Debian (the system python3).
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

# timed VAR CMD...: run CMD, set VAR to its wall time in seconds; fail loudly.
timed() {
    local var=$1 t0 t1 rc=0
    shift
    t0=$(now)
    "$@" || rc=$?
    t1=$(now)
    if [ $rc -ne 0 ]; then
        echo "run.sh: failed (exit $rc): $*" >&2
        return 1
    fi
    printf -v "$var" '%s' "$(calc "printf \"%.3f\", $t1 - $t0")"
}

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

"$root/tests/integration/pg_cluster.sh" start "$pgdir" >/dev/null
# shellcheck disable=SC1091
. "$pgdir/env"
export PGDATABASE

# fresh_db NAME: a new database with the is248 schema migrated.
fresh_db() {
    createdb "$1"
    PGDATABASE=$1 "$is248" migrate >/dev/null 2>&1 || { echo "run.sh: is248 migrate failed in $1" >&2; exit 1; }
}

# import_rss DB RSSFILE ERRFILE PATH...: is248 import under maxrss; exit 0 required.
import_rss() {
    local db=$1 rssf=$2 errf=$3
    shift 3
    PGDATABASE=$db IS248_STAGE_TIMES=1 "$maxrss" "$rssf" "$is248" import --quiet "$@" 2>"$errf" || {
        local rc=$?
        echo "run.sh: is248 import exited $rc:" >&2
        tail -n 20 "$errf" >&2
        return $rc
    }
}

stages() { grep '^is248: stages:' "$1" | tail -n 1 || true; }

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
section "is248 import"
fresh_db bench_is248
timed T_IS248 import_rss bench_is248 "$work/rss.main" "$work/import.err" "$work/delivery.tar.gz"
RSS_MAIN=$(cat "$work/rss.main")
loaded=$(psql -d bench_is248 -Atc "select count(*) from is248.report")
answers=$(psql -d bench_is248 -Atc "select count(*) from is248.answer")
[ "$loaded" = "$N" ] || { echo "run.sh: is248 loaded $loaded reports, expected $N" >&2; exit 1; }
printf '%s s: %.0f reports/s, %.1f MB/s of XML, peak RSS %s MiB (%s reports, %s answers loaded)\n' \
    "$T_IS248" "$(calc "print $N / $T_IS248")" "$(calc "print $MB / $T_IS248")" "$(mib "$RSS_MAIN")" "$loaded" "$answers"
s=$(stages "$work/import.err"); [ -z "$s" ] || echo "$s"

section "is248 re-import of the same delivery (every file already loaded)"
timed T_RE import_rss bench_is248 "$work/rss.re" "$work/reimport.err" "$work/delivery.tar.gz"
still=$(psql -d bench_is248 -Atc "select count(*) from is248.report")
[ "$still" = "$N" ] || { echo "run.sh: the re-import changed the reports ($still)" >&2; exit 1; }
printf '%s s (%.1fx faster than the first import), peak RSS %s MiB\n' "$T_RE" \
    "$(calc "print $T_IS248 / $T_RE")" "$(mib "$(cat "$work/rss.re")")"
s=$(stages "$work/reimport.err"); [ -z "$s" ] || echo "$s"

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
printf 'decompression alone (gzip -dc of the tar.gz): %s s\n' "$T_GZIP"

# ---------------------------------------------------------------------------
section "floor: the database (psql \\copy into is248.report and is248.answer)"
psql -q -d bench_is248 -c "\\copy is248.import_run to '$work/import_run.copy'" \
     -c "\\copy is248.source_file to '$work/source_file.copy'" \
     -c "\\copy is248.report to '$work/report.copy'" \
     -c "\\copy is248.answer to '$work/answer.copy'"
fresh_db bench_copy
psql -q -d bench_copy -c "\\copy is248.import_run from '$work/import_run.copy'" \
     -c "\\copy is248.source_file from '$work/source_file.copy'"
cat >"$work/copy.sql" <<EOF
\\set ON_ERROR_STOP on
begin;
\\copy is248.report from '$work/report.copy'
\\copy is248.answer from '$work/answer.copy'
commit;
EOF
timed T_COPY psql -q -X -d bench_copy -f "$work/copy.sql"
printf 'rows from is248 exported with \\copy beforehand (%.1f MB), loaded with client-side \\copy\n' \
    "$(calc "print ($(stat -c %s "$work/report.copy") + $(stat -c %s "$work/answer.copy")) / 1e6")"
printf 'into a freshly migrated database (keys, indexes and foreign keys in place), one transaction: %s s\n' "$T_COPY"

# ---------------------------------------------------------------------------
section "alternative: the analyst (text into a table, XMLTABLE into report and answer)"
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
T_XT=$(calc "printf \"%.3f\", $T_XT_LOAD + $T_XT_SHRED")
xt_r=$(psql -d bench_xt -Atc "select count(*) from bench_xt.report")
xt_a=$(psql -d bench_xt -Atc "select count(*) from bench_xt.answer")
printf 'load of the text (one row per file, \\copy from a CSV made beforehand): %s s\n' "$T_XT_LOAD"
printf 'INSERT ... SELECT from XMLTABLE (reports, then answers; one transaction): %s s\n' "$T_XT_SHRED"
printf 'together %s s (%s reports, %s answers)\n' "$T_XT" "$xt_r" "$xt_a"

# ---------------------------------------------------------------------------
section "alternative: the scripter (tests/bench/py_loader.py: lxml iterparse, psycopg2 COPY)"
createdb bench_py
timed T_PY env PGDATABASE=bench_py "$maxrss" "$work/rss.py" "$py" "$here/py_loader.py" "$work/delivery.tar.gz" 2>"$work/py.err" \
    || { cat "$work/py.err" >&2; exit 1; }
py_r=$(psql -d bench_py -Atc "select count(*) from bench_py.report")
py_a=$(psql -d bench_py -Atc "select count(*) from bench_py.answer")
printf '%s s, peak RSS %s MiB (%s reports, %s answers)\n' "$T_PY" "$(mib "$(cat "$work/rss.py")")" "$py_r" "$py_a"

# The alternatives must have understood the work chapter as is248 did.
cols="year, unit_code, submitted_at, size_class, nav_collab, nav_collab_specialist, nav_rating,
      ips_se_mental_health, ips_mental_health, se_mental_health, ips_se_substance, ips_substance, se_substance"
psql -q -X -d bench_is248 -Atc "\\copy (select $cols from is248.report order by 1, 2, 3) to '$work/n.is248'"
psql -q -X -d bench_xt -Atc "\\copy (select $cols from bench_xt.report order by 1, 2, 3) to '$work/n.xt'"
psql -q -X -d bench_py -Atc "\\copy (select $cols from bench_py.report order by 1, 2, 3) to '$work/n.py'"
same() { cmp -s "$work/n.is248" "$work/n.$1" && echo "the same as is248's" || echo "DIFFERENT from is248's"; }
printf 'normalized work-chapter columns: XMLTABLE %s, Python %s\n' "$(same xt)" "$(same py)"

# ---------------------------------------------------------------------------
section "memory: peak RSS of is248 import by delivery size"
make_delivery 10000 "$work/small.tar.gz"
N_SMALL=$D_REPORTS
fresh_db bench_small
timed T_SMALL import_rss bench_small "$work/rss.small" "$work/small.err" "$work/small.tar.gz"
RSS_SMALL=$(cat "$work/rss.small")
printf '%8s reports: peak RSS %s MiB (%s s)\n' "$N_SMALL" "$(mib "$RSS_SMALL")" "$T_SMALL"
printf '%8s reports: peak RSS %s MiB (the main run above)\n' "$N" "$(mib "$RSS_MAIN")"
RSS_LARGE=$RSS_MAIN N_LARGE=$N
if [ -n "$big" ]; then
    make_delivery "$big" "$work/big.tar.gz"
    N_BIG=$D_REPORTS
    fresh_db bench_big
    timed T_BIG import_rss bench_big "$work/rss.big" "$work/big.err" "$work/big.tar.gz"
    RSS_LARGE=$(cat "$work/rss.big") N_LARGE=$N_BIG
    printf '%8s reports: peak RSS %s MiB (%s s, %.0f reports/s)\n' "$N_BIG" "$(mib "$RSS_LARGE")" "$T_BIG" \
        "$(calc "print $N_BIG / $T_BIG")"
    rm -f "$work/big.tar.gz"
    dropdb bench_big
fi

# ---------------------------------------------------------------------------
section "a real-sized year: one zip, one year, into a fresh database"
# 2018: version 2, one file per county; 2016: version 1, one file per report
yout=$("$gen" --years 2018 --reference "$root/sql/reference" --format zip --out "$work/year.zip" 2>&1)
N_YEAR=$(sed -n 's/^is248_gen: \([0-9]*\) reports.*/\1/p' <<<"$yout")
fresh_db bench_year
timed T_YEAR import_rss bench_year "$work/rss.year" "$work/year.err" "$work/year.zip"
printf '%s reports (2018, version 2 county files) in one zip: %s s end to end (connection, reading, merge, commit)\n' "$N_YEAR" "$T_YEAR"
s=$(stages "$work/year.err"); [ -z "$s" ] || echo "$s"
yout=$("$gen" --years 2016 --reference "$root/sql/reference" --format zip --out "$work/year1.zip" 2>&1)
N_YEAR1=$(sed -n 's/^is248_gen: \([0-9]*\) reports.*/\1/p' <<<"$yout")
fresh_db bench_year1
timed T_YEAR1 import_rss bench_year1 "$work/rss.year1" "$work/year1.err" "$work/year1.zip"
printf '%s reports (2016, version 1, one file each) in one zip: %s s end to end\n' "$N_YEAR1" "$T_YEAR1"
s=$(stages "$work/year1.err"); [ -z "$s" ] || echo "$s"

# ---------------------------------------------------------------------------
section "results ($N reports, $MB MB of XML)"
row() {  # method seconds [rss-kib]
    local rss="-"
    [ -z "${3:-}" ] || rss="$(mib "$3") MiB"
    printf '%-44s | %9.2f | %10.0f | %7.1f | %8.2fx | %s\n' "$1" "$2" \
        "$(calc "print $N / $2")" "$(calc "print $MB / $2")" "$(calc "print $2 / $T_IS248")" "$rss"
}
printf '%-44s | %9s | %10s | %7s | %9s | %s\n' method seconds reports/s MB/s "ratio" "peak RSS"
printf '%s\n' "---------------------------------------------+-----------+------------+---------+-----------+----------"
row "is248 import (tar.gz, end to end)" "$T_IS248" "$RSS_MAIN"
row "is248 re-import (all already loaded)" "$T_RE" "$(cat "$work/rss.re")"
row "parser floor: xmllint --stream (unpacked)" "$T_XMLLINT" "$(cat "$work/rss.xmllint")"
row "decompression floor: gzip -dc" "$T_GZIP"
row "database floor: \\copy report + answer" "$T_COPY"
row "analyst: text + XMLTABLE (together)" "$T_XT"
row "  of which XMLTABLE INSERT...SELECT" "$T_XT_SHRED"
row "scripter: Python lxml + psycopg2 COPY" "$T_PY" "$(cat "$work/rss.py")"
echo "ratio = the method's seconds / is248 import's seconds (below 1: faster than is248)"

# ---------------------------------------------------------------------------
section "targets"
met() { if [ "$1" = 1 ]; then echo "met"; else echo "NOT MET"; fi; }
lim=$((64 * 1024))
m1=$(calc "print ($RSS_SMALL < $lim && $RSS_LARGE < $lim) ? 1 : 0")
printf 'peak RSS under 64 MiB:              %s MiB (%s reports), %s MiB (%s reports)  %s\n' \
    "$(mib "$RSS_SMALL")" "$N_SMALL" "$(mib "$RSS_LARGE")" "$N_LARGE" "$(met "$m1")"
d=$(calc "a = $RSS_SMALL; b = $RSS_LARGE; printf \"%.1f\", 100 * (b - a) / a")
m2=$(calc "d = $d; if (d < 0) d = -d; print (d <= 10) ? 1 : 0")
if [ -n "$big" ]; then span="10k to ${N_LARGE}"; else span="10k to ${N_LARGE} (run --big 1000000 for 1M)"; fi
printf 'peak RSS within 10%%, %s: %+.1f%%  %s\n' "$span" "$d" "$(met "$m2")"
m3=$(calc "print ($T_YEAR < 0.5) ? 1 : 0")
printf 'real-sized year (%s reports, version 2) under 0.5 s:  %s s  %s\n' "$N_YEAR" "$T_YEAR" "$(met "$m3")"
m3=$(calc "print ($T_YEAR1 < 0.5) ? 1 : 0")
printf 'real-sized year (%s reports, version 1) under 0.5 s:  %s s  %s\n' "$N_YEAR1" "$T_YEAR1" "$(met "$m3")"
rate=$(calc "printf \"%.0f\", $N / $T_IS248")
printf 'at least 60 000 reports/s end to end:  %s reports/s  %s\n' "$rate" "$(met "$(calc "print ($rate >= 60000) ? 1 : 0")")"
# the slower floor: the database's, or reading the archive (decompression
# and parsing, which a streaming loader pays one after the other)
floor=$(calc "a = $T_COPY; b = $T_XMLLINT + $T_GZIP; print (a > b) ? a : b")
printf 'at most 1.5x the slower floor (%.2f s):  %.2fx  %s\n' "$floor" "$(calc "print $T_IS248 / $floor")" \
    "$(met "$(calc "print ($T_IS248 <= 1.5 * $floor) ? 1 : 0")")"
printf 'at least 2x faster than XMLTABLE:  %.2fx  %s\n' "$(calc "print $T_XT / $T_IS248")" \
    "$(met "$(calc "print ($T_XT >= 2 * $T_IS248) ? 1 : 0")")"
printf 'at least 2x faster than Python:  %.2fx  %s\n' "$(calc "print $T_PY / $T_IS248")" \
    "$(met "$(calc "print ($T_PY >= 2 * $T_IS248) ? 1 : 0")")"
m4=$(calc "print ($T_IS248 / $T_RE >= 10) ? 1 : 0")
printf 're-import 10x faster than the first:  %.1fx (%s s vs %s s)  %s\n' \
    "$(calc "print $T_IS248 / $T_RE")" "$T_RE" "$T_IS248" "$(met "$m4")"

printf '\nbenchmark wall time: %.0f s\n' "$(calc "print $(now) - $bench_start")"
