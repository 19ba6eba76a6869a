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
    dropdb --if-exists "$PGDATABASE" >/dev/null 2>&1
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit $?
}
