#!/usr/bin/env bash
# Deliveries read whole (issue 12): a file given to import that a run read to
# its end is not read again by a later run given the same bytes, whatever
# its name; the run says so and counts its files as loaded before.  Not when
# the reading was cut short, nor when the reference data changed, nor for a
# directory.
. "$(dirname "$0")/lib.sh"

run migrate
gen --years 2019-2020 --format tar.gz --out "$WORK/d.tar.gz"
files=$(bsdtar -tf "$WORK/d.tar.gz" | grep -c '\.xml$')
run_list() { q "SELECT string_agg(concat_ws('/', status, files, files_loaded, files_already, files_rejected), ' ' ORDER BY run_id) FROM is248.import_run"; }

run import "$WORK/d.tar.gz"
eq "the first import (exit 0)" "$rc" 0
eq "... records the delivery as read to its end, with its files" \
   "$(q "SELECT count(*), bool_and(digest IS NOT NULL), min(files), min(files_loaded) FROM is248.delivery")" "1|t|$files|$files"
before=$(q "SELECT count(*) FROM is248.source_file")

run import "$WORK/d.tar.gz"
eq "again: exit 0" "$rc" 0
contains "... says it was read before, and by which run" "$err" "'$WORK/d.tar.gz': read to its end before, by run 1"
contains "... and that there is nothing to do" "$err" "nothing to do"
eq "... reads none of its files" "$(q "SELECT count(*) FROM is248.source_file")" "$before"
eq "... the run counts them as loaded before" "$(run_list)" "ok/$files/$files/0/0 ok/$files/0/$files/0"
eq "... so does the summary" "$(awk -F'|' 'NR == 3 { gsub(/ /, ""); print $2 "/" $3 "/" $4 }' <<<"$out")" "$files/0/$files"

cp "$WORK/d.tar.gz" "$WORK/renamed.tar.gz"
run import "$WORK/renamed.tar.gz"
eq "the same bytes under another name: exit 0, not read" "$rc/$(q "SELECT count(*) FROM is248.source_file")" "0/$before"
contains "... told as the delivery read by run 1" "$err" "'$WORK/renamed.tar.gz': read to its end before, by run 1"

# one file of a delivery set aside: known problems stay known
mkdir -p "$WORK/bad/county"
cp "$SRC/fixtures/defects/xml/cut-county-11.xml" "$SRC/fixtures/defects/xml/bom-v2.xml" "$WORK/bad/county/"
(cd "$WORK/bad" && bsdtar -czf "$WORK/bad.tar.gz" county)
run import "$WORK/bad.tar.gz"
eq "a delivery with a file set aside: exit 1" "$rc" 1
rejections=$(q "SELECT count(*) FROM is248.rejection")
run import "$WORK/bad.tar.gz"
eq "... again: exit 0 (nothing new was set aside)" "$rc" 0
contains "... says what was set aside then" "$err" "1 file(s) loaded, 0 loaded before, 1 set aside (is248 status)"
eq "... and records nothing new" "$(q "SELECT count(*) FROM is248.rejection")" "$rejections"

# the reference data changed: read again (its files are loaded before)
q "UPDATE is248.reference_meta SET sha256 = 'other'" >/dev/null
run import "$WORK/d.tar.gz"
eq "other reference data: exit 0" "$rc" 0
contains "... read again, its files loaded before" "$err" "already loaded"
eq "... every file looked at" "$(q "SELECT count(*) FROM is248.source_file WHERE run_id = (SELECT max(run_id) FROM is248.import_run)")" "$files"

# a directory is no delivery
mkdir -p "$WORK/dir"
cp "$SRC/fixtures/delivery/2019/1101.xml" "$WORK/dir/"
run import "$WORK/dir"
run import "$WORK/dir"
eq "a directory, twice: read each time" "$rc/$(q "SELECT count(*) FROM is248.delivery WHERE source = '$WORK/dir'")" "0/0"
contains "... its file found loaded before" "$err" "already loaded"

# a reading cut short is not recorded: the next run reads it, the one after
# does not
gen --years 2017 --format tar.gz --out "$WORK/v1.tar.gz"
"$IS248" import --batch 5 "$WORK/v1.tar.gz" >"$WORK/out" 2>"$WORK/err" </dev/null &
pid=$!
ok "an import of many small files gets under way" wait_for 60 \
   "SELECT count(*) >= 10 FROM is248.source_file f JOIN is248.import_run r USING (run_id) WHERE r.status = 'running'"
kill -s INT "$pid"
wait "$pid"
eq "... interrupted (exit 5)" "$?" 5
eq "... the delivery is not recorded as read" \
   "$(q "SELECT count(*) FROM is248.delivery WHERE source = '$WORK/v1.tar.gz' AND digest IS NOT NULL")" 0
run import "$WORK/v1.tar.gz"
eq "the next run reads it (exit 0)" "$rc" 0
contains "... finding what was loaded before" "$err" "already loaded"
run import "$WORK/v1.tar.gz"
contains "... and the one after does not" "$err" "'$WORK/v1.tar.gz': read to its end before"

finish
