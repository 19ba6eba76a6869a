#!/usr/bin/env bash
# is248 under valgrind (issue 4): an import of a delivery with something of
# everything (good files, files, reports and answers set aside, an archive,
# an archive cut short) and a validate of the same, with no memory error and
# no leak.  Skipped (77) in a sanitizer build, where valgrind cannot run.
. "$(dirname "$0")/lib.sh"
if [ "${IS248_SANITIZE:-OFF}" = ON ]; then
    echo "SKIP: a sanitizer build; valgrind runs in the plain build" >&2
    dropdb --if-exists "$PGDATABASE" >/dev/null 2>&1
    exit 77
fi
command -v valgrind >/dev/null || { echo "FAIL: valgrind is not installed (scripts/deps installs it)" >&2; exit 1; }

mkdir -p "$WORK/in"
cp -r "$SRC/fixtures/delivery/2019" "$SRC/fixtures/delivery/2016" "$WORK/in/"
cp "$SRC"/fixtures/defects/xml/*.xml "$WORK/in/"
(cd "$SRC/fixtures/delivery" && bsdtar -czf "$WORK/in/2017.tar.gz" 2017)
head -c 3000 "$WORK/in/2017.tar.gz" >"$WORK/in/cut.tar.gz"

vg() {
    valgrind --quiet --error-exitcode=99 --leak-check=full \
        --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
        --log-file="$WORK/valgrind.log" "$IS248" "$@" >"$WORK/out" 2>"$WORK/err" </dev/null
    rc=$?
    err=$(cat "$WORK/err")
}

run migrate
eq "migrate exits 0" "$rc" 0
vg import "$WORK/in"
eq "import under valgrind: exit 1 (something set aside), not 99" "$rc" 1
eq "... valgrind says nothing" "$(cat "$WORK/valgrind.log")" ""
ok "... and the delivery loaded" [ "$(q "SELECT count(*) FROM is248.report")" -gt 50 ]
vg import "$WORK/in"
eq "the same again under valgrind: exit 0 (loaded before, or set aside before: nothing new)" "$rc" 0
eq "... valgrind says nothing" "$(cat "$WORK/valgrind.log")" ""
vg validate "$WORK/in"
eq "validate under valgrind: exit 1" "$rc" 1
eq "... valgrind says nothing" "$(cat "$WORK/valgrind.log")" ""
vg trends
eq "trends under valgrind: exit 0" "$rc" 0
eq "... valgrind says nothing" "$(cat "$WORK/valgrind.log")" ""
vg import --dry-run "$WORK/in"
eq "a dry run under valgrind: exit 0" "$rc" 0
eq "... valgrind says nothing" "$(cat "$WORK/valgrind.log")" ""
valgrind --quiet --error-exitcode=99 --leak-check=full \
    --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
    --log-file="$WORK/valgrind.log" "$IS248" validate - <"$WORK/in/2017.tar.gz" >"$WORK/out" 2>"$WORK/err"
rc=$?
eq "an archive on standard input under valgrind: exit 0" "$rc" 0
eq "... valgrind says nothing" "$(cat "$WORK/valgrind.log")" ""
vg status --open
eq "status --open under valgrind: exit 0" "$rc" 0
eq "... valgrind says nothing" "$(cat "$WORK/valgrind.log")" ""
finish
