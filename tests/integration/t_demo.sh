#!/usr/bin/env bash
# "is248 demo": starts its own PostgreSQL, loads the fixtures, prints the
# trends, and leaves nothing behind.
. "$(dirname "$0")/lib.sh"
before=$(ls -d /tmp/is248-demo-* 2>/dev/null | wc -l)
( unset PGHOST PGPORT PGUSER PGDATABASE; "$IS248" demo >"$WORK/out" 2>"$WORK/err" ); rc=$?
out=$(cat "$WORK/out"); err=$(cat "$WORK/err")
eq "demo exits 0" "$rc" 0
contains "demo imports the fixtures" "$err" "reports: "
contains "demo prints the collaboration trend" "$out" "Collaboration between health and care services and Nav"
for y in 2015 2016 2017 2018 2019 2020 2021 2022 2023 2024 2025; do
    contains "demo prints $y" "$out" " $y | Alle "
done
eq "demo removes its cluster" "$(ls -d /tmp/is248-demo-* 2>/dev/null | wc -l)" "$before"

# a reader that stops early (a closed pipe) must not leave a server behind
( unset PGHOST PGPORT PGUSER PGDATABASE; "$IS248" demo 2>/dev/null | head -n 3 >/dev/null )
eq "demo piped into head removes its cluster too" "$(ls -d /tmp/is248-demo-* 2>/dev/null | wc -l)" "$before"
finish
