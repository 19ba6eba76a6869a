#!/usr/bin/env bash
# Every archive format of a delivery (§1) loads exactly what the same files
# load from a directory: zip, tar, tar.gz, tgz, tar.xz, tar.bz2, and a zip
# of county zips.  Entries that are not reports are skipped and listed.
. "$(dirname "$0")/lib.sh"

fix="$SRC/fixtures/delivery"
stage="$WORK/stage"
mkdir -p "$stage/delivery/__MACOSX/2018" "$stage/delivery/docs"
cp -r "$fix"/. "$stage/delivery/"
printf 'x' >"$stage/delivery/__MACOSX/2018/._1151.xml"
printf 'x' >"$stage/delivery/.DS_Store"
printf '%%PDF-1.4\n' >"$stage/delivery/docs/veileder.pdf"

# what a unit's current report says, without where it came from
snapshot() {
    q "SELECT year, unit_code, population, size_class, nav_collab, nav_collab_specialist,
              nav_rating, ips_se_mental_health, ips_mental_health, se_mental_health,
              ips_se_substance, ips_substance, se_substance, submitted_at
       FROM is248.report_current ORDER BY year, unit_code"
}

fresh
run import "$stage/delivery"
eq "the directory imports with exit 0" "$rc" 0
want=$(snapshot)
reports=$(q "SELECT count(*) FROM is248.report")
ok "the directory holds reports" test "$reports" -gt 100

for fmt in zip tar tar.gz tgz tar.xz tar.bz2; do
    a="$WORK/delivery.$fmt"
    rm -f "$a"
    (cd "$stage" && bsdtar -a -cf "$a" delivery)
    fresh
    run import "$a"
    eq "$fmt: exit 0" "$rc" 0
    eq "$fmt: the same current reports as from the directory" "$(snapshot)" "$want"
    eq "$fmt: the same number of reports" "$(q "SELECT count(*) FROM is248.report")" "$reports"
    eq "$fmt: provenance names archive and entry" \
       "$(q "SELECT source FROM is248.report_current WHERE year = 2019 AND unit_code = '1201'")" \
       "$a!delivery/2019/korrigert/1201.xml"
    eq "$fmt: non-report entries are skipped and listed" \
       "$(q "SELECT entry FROM is248.skipped_entry WHERE entry NOT LIKE '%/' ORDER BY entry" | tr '\n' ' ')" \
       "delivery/.DS_Store delivery/README.txt delivery/__MACOSX/2018/._1151.xml delivery/docs/veileder.pdf "
done

# a national zip of county zips, one level deep
mkdir -p "$WORK/nested"
for y in "$stage"/delivery/20*; do
    (cd "$stage/delivery" && bsdtar -a -cf "$WORK/nested/$(basename "$y").zip" "$(basename "$y")")
done
(cd "$WORK/nested" && bsdtar -a -cf "$WORK/national.zip" ./*.zip)
fresh
run import "$WORK/national.zip"
eq "nested zip: exit 0" "$rc" 0
eq "nested zip: the same current reports as from the directory" "$(snapshot)" "$want"
eq "nested zip: provenance names the inner archive" \
   "$(q "SELECT source FROM is248.report_current WHERE year = 2019 AND unit_code = '1201'")" \
   "$WORK/national.zip!./2019.zip!2019/korrigert/1201.xml"
finish
