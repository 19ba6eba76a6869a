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
