#!/usr/bin/env bash
# "-" is standard input, as for psql -f - and tar -f -: an XML file or an
# archive (zip, tar, tar.gz), told by its first bytes, read as it comes
# through a pipe (never seeked, never read twice), and recorded under the
# source "-".
. "$(dirname "$0")/lib.sh"

# stdin_run INPUT ARGS...: run is248 with INPUT piped in (through cat, so
# that it is a pipe, not a file); sets $out, $err, $rc
stdin_run() {
    local input=$1; shift
    cat "$input" | "$IS248" "$@" >"$WORK/out" 2>"$WORK/err"
    rc=$?
    out=$(cat "$WORK/out") err=$(cat "$WORK/err")
}
files="$WORK/files"
mkdir -p "$files"
cp "$SRC"/fixtures/delivery/2019/*.xml "$files/"
n_files=$(ls "$files" | wc -l)
n_reports=$(cat "$files"/*.xml | grep -oE '<([A-Za-z0-9_]+:)?Rapport[ >]' | wc -l)
(cd "$files" && zip -q "$WORK/d.zip" ./*.xml && tar czf "$WORK/d.tar.gz" ./*.xml && tar cf "$WORK/d.tar" ./*.xml)
one=$(ls "$files"/*.xml | head -1)

run migrate
# --- validate --------------------------------------------------------------------
for a in d.zip d.tar.gz d.tar; do
    stdin_run "$WORK/$a" validate -
    eq "validate - < $a: exit 0" "$rc" 0
    contains "... every file read" "$err" "$n_files file(s): 0 would be set aside; reports: $n_reports would load"
done
stdin_run "$one" validate -
eq "validate - < one XML file: exit 0" "$rc" 0
contains "... its report read" "$err" "1 file(s): 0 would be set aside; reports: 1 would load"

# --- import ------------------------------------------------------------------------
stdin_run "$one" import -
eq "import - < one XML file: exit 0" "$rc" 0
eq "... loaded under the source '-'" "$(q "SELECT source || '|' || entry || '|' || outcome FROM is248.source_file")" "-||loaded"
eq "... its SHA-256 that of the file" "$(q "SELECT encode(sha256, 'hex') FROM is248.source_file")" "$(sha256sum <"$one" | cut -d' ' -f1)"
stdin_run "$WORK/d.zip" import -
eq "import - < a zip through a pipe: exit 0" "$rc" 0
contains "... the file given before: already loaded" "$err" "already loaded (from '-')"
eq "... every report of the zip in" "$(q "SELECT count(*) FROM is248.report")" "$n_reports"
eq "... entries recorded under '-'" "$(q "SELECT count(*) FROM is248.source_file WHERE source = '-' AND entry <> ''")" "$n_files"
eq "... standard input is no delivery (it cannot be read twice)" "$(q "SELECT count(*) FROM is248.delivery")" 0
stdin_run "$WORK/d.tar.gz" import -
eq "the same as a tar.gz: exit 0, nothing new" "$rc|$(q "SELECT count(*) FROM is248.report")" "0|$n_reports"

# --- what is not a delivery --------------------------------------------------------
head -c 2000 "$WORK/d.zip" >"$WORK/cut.zip"
stdin_run "$WORK/cut.zip" import -
eq "a zip cut short on standard input: exit 1" "$rc" 1
contains "... set aside, named '-'" "$err" "'-': file set aside: "
printf 'hello, world\n' >"$WORK/text"
stdin_run "$WORK/text" import -
eq "text that is neither XML nor an archive: exit 1" "$rc" 1
contains "... not a supported archive" "$err" "'-': file set aside: not a supported archive"
: >"$WORK/empty"
stdin_run "$WORK/empty" validate -
eq "nothing on standard input: exit 1" "$rc" 1
contains "... an empty file" "$out" "file set aside: empty file"
finish
