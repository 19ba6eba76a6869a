# lib.sh - sourced by every integration test.  Gives each test a database of
# its own in the shared throwaway cluster, runs is248 against it, and counts
# assertions; the test ends with "finish", which prints "N passed, N failed".
#
# Environment (set by CTest): IS248 (the binary), IS248_PG_DIR (the cluster),
# SRC (the source tree), WORK (a scratch directory for this test).
set -u
export PGTZ=UTC
. "$IS248_PG_DIR/env"
TEST_NAME=$(basename "$0" .sh)
export PGDATABASE="t_${TEST_NAME//[^a-zA-Z0-9]/_}"
WORK=${WORK:-$(mktemp -d)}
rm -rf "$WORK"; mkdir -p "$WORK"
passed=0 failed=0
# A socket directory where no server runs (it does not exist): short, since a
# socket's path holds 107 bytes at most and $WORK may be deep in a build tree.
NO_SERVER="/tmp/is248-no-server.$$"

dropdb --if-exists "$PGDATABASE" >/dev/null 2>&1
createdb "$PGDATABASE" || { echo "cannot create database $PGDATABASE" >&2; exit 1; }

# run ARGS...: run is248; sets $out, $err, $rc
run() {
    "$IS248" "$@" >"$WORK/out" 2>"$WORK/err" </dev/null
    rc=$?
    out=$(cat "$WORK/out") err=$(cat "$WORK/err")
}

# q SQL: one query's rows, fields separated by |
q() { psql -X -A -t -q -v ON_ERROR_STOP=1 -c "$1"; }

ok() {  # ok DESCRIPTION CONDITION...
    local what=$1; shift
    if "$@"; then passed=$((passed + 1)); else
        failed=$((failed + 1)); echo "FAIL: $what" >&2; fi
}

eq() {  # eq DESCRIPTION GOT WANT
    if [ "$2" == "$3" ]; then passed=$((passed + 1)); else
        failed=$((failed + 1))
        printf 'FAIL: %s\n--- got:\n%s\n--- want:\n%s\n' "$1" "$2" "$3" >&2
        if [ -s "$WORK/err" ]; then printf -- '--- stderr of the last run:\n%s\n' "$(head -c 3000 "$WORK/err")" >&2; fi
    fi
}

contains() {  # contains DESCRIPTION HAYSTACK NEEDLE
    case $2 in *"$3"*) passed=$((passed + 1)) ;;
    *) failed=$((failed + 1)); printf 'FAIL: %s\n--- text:\n%s\n--- does not contain:\n%s\n' "$1" "$2" "$3" >&2 ;;
    esac
}

finish() {
    # is248.report has no foreign keys (sql/schema/01_tables.sql): the
    # merge writes a report with its file and checks its size class.
    # Whatever a test did, every report must have its loaded file and a
    # size class of is248.size_class, and the stage must be empty.
    local bad
    bad=$(psql -X -A -t -q -c "SELECT
            (SELECT count(*) FROM is248.report r WHERE NOT EXISTS (SELECT 1 FROM is248.source_file f WHERE f.file_id = r.file_id AND f.outcome = 'loaded'))
          + (SELECT count(*) FROM is248.report r WHERE r.size_class IS NOT NULL AND NOT EXISTS (SELECT 1 FROM is248.size_class s WHERE s.label = r.size_class))
          + (SELECT count(*) FROM is248.stage)" 2>/dev/null)
    if [ -n "$bad" ]; then
        eq "every report has its file and a known size class; the stage is empty" "$bad" 0
    fi
    dropdb --if-exists "$PGDATABASE" >/dev/null 2>&1
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit $?
}

# own_cluster: start a throwaway cluster of this test's own (for tests that
# stop the server or change its configuration) and point PG* at it; it is
# stopped and removed when the test exits, also on failure.
own_cluster() {
    OWN_PG=$(mktemp -d /tmp/is248-own-XXXXXX)
    trap 'kill $(jobs -p) 2>/dev/null; "$SRC/tests/integration/pg_cluster.sh" stop "$OWN_PG" >/dev/null 2>&1' EXIT
    "$SRC/tests/integration/pg_cluster.sh" start "$OWN_PG" >/dev/null || { echo "cannot start a cluster" >&2; exit 1; }
    . "$OWN_PG/env"
    createdb "$PGDATABASE" || { echo "cannot create database $PGDATABASE" >&2; exit 1; }
}

# pg_as_owner CMD...: run a server program as the cluster's owner
pg_as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# wait_for SECONDS SQL: poll until the query returns 't'; 1 on time-out
wait_for() {
    local end=$((SECONDS + $1))
    while [ "$SECONDS" -lt "$end" ]; do
        [ "$(q "$2" 2>/dev/null)" = t ] && return 0
        sleep 0.05
    done
    return 1
}

# reports_in FILE...: how many reports the XML files hold (a version 1 file
# holds one kommunerapport, a version 2 file a Rapport element per report)
reports_in() {
    cat "$@" | awk '{ n += gsub(/<([A-Za-z0-9_.-]+:)?(kommunerapport|Rapport)([ \t>\/]|$)/, "&") } END { print n + 0 }'
}

# whole_files: "ok" when every file recorded as loaded holds exactly the
# reports it was recorded with (no file is half-loaded), else the files
# that are not
whole_files() {
    local bad
    bad=$(q "SELECT f.source || ' ' || f.entry || ': ' || f.reports_loaded || ' recorded, '
                    || (SELECT count(*) FROM is248.report r WHERE r.file_id = f.file_id) || ' present'
             FROM is248.source_file f
             WHERE f.outcome = 'loaded'
               AND f.reports_loaded <> (SELECT count(*) FROM is248.report r WHERE r.file_id = f.file_id)
             UNION ALL
             SELECT 'report ' || r.report_id || ' of no loaded file'
             FROM is248.report r LEFT JOIN is248.source_file f USING (file_id)
             WHERE f.outcome IS DISTINCT FROM 'loaded'")
    echo "${bad:-ok}"
}

# --- what a run recorded ------------------------------------------------------
# ('-' stands for NULL in every line below)

# fresh: an empty is248 schema, made anew (DROP SCHEMA, then migrate)
fresh() { q "DROP SCHEMA IF EXISTS is248 CASCADE" >/dev/null 2>&1; "$IS248" migrate -q; }

# empty_runs: the schema kept, every run and everything a run recorded gone
# (every table of what a run did references import_run)
empty_runs() { q "SET client_min_messages = warning; TRUNCATE is248.import_run, is248.report RESTART IDENTITY CASCADE" >/dev/null; }

# loaded: the reports loaded, as year:unit on one line, in that order
loaded() { q "SELECT year || ':' || unit_code FROM is248.report ORDER BY year, unit_code" | tr '\n' ' '; }

# rej_file FILE: the rejections of the file whose path ends in /FILE, in
# report order: level|year|unit|question|reason
rej_file() {
    q "SELECT concat_ws('|', level, coalesce(year::text, '-'), coalesce(unit_code, '-'),
              coalesce(question, '-'), reason)
       FROM is248.rejection WHERE source LIKE '%/$1' ORDER BY report_index, rejection_id"
}

# wrn_file FILE: the warnings of that file: year|unit|question|reason
wrn_file() {
    q "SELECT concat_ws('|', coalesce(year::text, '-'), coalesce(unit_code, '-'),
              coalesce(question, '-'), reason)
       FROM is248.warning WHERE source LIKE '%/$1' ORDER BY report_index, warning_id"
}

# rej_entries: every rejection in the order recorded: entry|level|reason
# (entry '-': the file or archive on disk itself)
rej_entries() { q "SELECT concat_ws('|', coalesce(nullif(entry, ''), '-'), level, reason) FROM is248.rejection ORDER BY rejection_id"; }

# rej_reports: every rejection in the order recorded:
# level|report index|year|unit|question|reason
rej_reports() {
    q "SELECT concat_ws('|', level, coalesce(report_index::text, '-'), coalesce(year::text, '-'),
              coalesce(unit_code, '-'), coalesce(question, '-'), reason)
       FROM is248.rejection ORDER BY rejection_id"
}

# current_name YEAR CODE: unit name|nav_collab of the current report
current_name() {
    q "SELECT unit_name || '|' || coalesce(nav_collab, '-') FROM is248.report_current
       WHERE year = $1 AND unit_code = '$2'"
}

# current_submission YEAR CODE: submitted (to the minute)|nav_collab|
# nav_rating|file name of the current report
current_submission() {
    q "SELECT concat_ws('|', to_char(submitted_at, 'YYYY-MM-DD\"T\"HH24:MI'), coalesce(nav_collab, '-'),
              coalesce(nav_rating, '-'), regexp_replace(source, '^.*/', ''))
       FROM is248.report_current WHERE year = $1 AND unit_code = '$2'"
}

# --- files, bytes and deliveries ----------------------------------------------

# size FILE: its size in bytes
size() { stat -c %s "$1"; }

# hex [STRING]: STRING (or, without it, stdin) as lower-case hex digits, for
# byte-exact compares
hex() { if [ $# -gt 0 ]; then printf '%s' "$1"; else cat; fi | od -An -v -tx1 | tr -d ' \n'; }

# le16 N, le32 N: N as 2 or 4 bytes, little-endian (for zips written by hand)
le16() { local s; printf -v s '\\x%02x\\x%02x' $(($1 & 255)) $(($1 >> 8 & 255)); printf "$s"; }
le32() { le16 $(($1 & 65535)); le16 $(($1 >> 16 & 65535)); }

# gen ARGS...: a synthetic delivery from is248_gen, with the reference data
gen() { "$IS248_GEN" -q --reference "$SRC/sql/reference" "$@"; }

# V2_NS, v2_report YEAR CODE TYPE POP TIME BODY: a version 2 report (its
# Rapport with the namespace declaration $V2_NS), BODY inside Kapittel 21
V2_NS='xmlns="urn:no:helsedirektoratet:is-24-8:2"'
v2_report() {
    printf '<Rapport %s rapporteringsaar="%s">\n  <Innsending id="x-%s" tidspunkt="%s"/>\n  <Enhet type="%s" nummer="%s" innbyggere="%s">Navn</Enhet>\n  <Kapittel nr="21" tittel="Arbeidstiltak">\n%s\n  </Kapittel>\n</Rapport>\n' \
        "$V2_NS" "$1" "$2" "$5" "$3" "$2" "$4" "$6"
}

# slow_fifo FIFO SRC N: make FIFO and feed it SRC's first N bytes, the rest
# once the file $WORK/go exists (slow_go); $writer is the feeding process
slow_fifo() {
    rm -f "$1" "$WORK/go"
    mkfifo "$1"
    { head -c "$3" "$2"
      while [ ! -e "$WORK/go" ]; do sleep 0.05; done
      tail -c +$(($3 + 1)) "$2"; } >"$1" 2>/dev/null &
    writer=$!
}
# slow_go: let the FIFO of slow_fifo finish, and wait for its writer
slow_go() { touch "$WORK/go"; wait "$writer" 2>/dev/null; }

# bounded NAME MAX_KIB: the last run measured with maxrss ($rc, $rss, $err)
# ended by itself (is248's exit codes are 0-6; a time-out is 124, a signal
# 128+N), without a sanitizer report, in at most MAX_KIB KiB of memory
bounded() {
    ok "$1: ends by itself, no crash or time-out (exit $rc)" test "$rc" -le 6
    ok "$1: peak memory $rss KiB <= $2 KiB" test "$rss" -le "$2"
    case $err in
    *AddressSanitizer*|*LeakSanitizer*|*"runtime error:"*)
        failed=$((failed + 1)); printf 'FAIL: %s: sanitizer report\n%s\n' "$1" "$(head -c 3000 "$WORK/err")" >&2 ;;
    *) passed=$((passed + 1)) ;;
    esac
}
