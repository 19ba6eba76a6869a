#!/usr/bin/env bash
# Archives that are truncated, password-protected, hold links instead of
# files, nest too deep, or are no archives at all (delivery-format.md §8),
# built here from the XML fixtures in fixtures/defects/xml/.  For each: what
# loaded, what was set aside (is248.rejection: entry, level, reason), the exit
# code, and that the rest of the delivery still loaded.  Each report file is
# one transaction: a file wholly read before a cut loads, the file the cut
# falls in is set aside, and the archive is recorded as truncated.
. "$(dirname "$0")/lib.sh"

fx="$SRC/fixtures/defects/xml"
# n lines of 64 random hex digits (they do not compress much); $1 a small seed
pad() { awk -v n="$2" -v seed="$1" 'BEGIN { srand(seed); for (i = 0; i < n; i++) {
    for (j = 0; j < 32; j++) printf "%02x", int(rand() * 256); printf "\n" } }'; }

# --- a truncated tar.gz -------------------------------------------------------
# Six reports of about 15 KB each (a comment pads them); the cut falls in the
# middle of the fifth.  libarchive hands out gzip data in blocks of 64 KiB:
# the fixtures are sized so that the first four files end inside the first
# block and the cut lies past it (checked below), so that what is248 sees
# is exactly "four whole files, then the cut".
mkdir -p "$WORK/tgz/county"
files="bom-v2 crlf-v2 comments-pi-v2 labels-match rating-v2-2018 enc-v1-latin1"
i=0
for f in $files; do
    i=$((i + 1))
    { cat "$fx/$f.xml"; printf '<!--\n'; pad "$i" 220; printf -- '-->\n'; } >"$WORK/tgz/county/$i-$f.xml"
done
(cd "$WORK/tgz" && bsdtar --format ustar -cf "$WORK/full.tar" $(i=0; for f in $files; do i=$((i + 1)); echo "county/$i-$f.xml"; done))
gzip -n -9 -c "$WORK/full.tar" >"$WORK/full.tar.gz"
# where the fifth file's data lies in the tar
off=0 i=0
for f in $files; do
    i=$((i + 1)); s=$(size "$WORK/tgz/county/$i-$f.xml")
    [ $i = 5 ] && { start5=$((off + 512)); end5=$((off + 512 + s)); }
    [ $i = 4 ] && end4=$((off + 512 + s))
    off=$((off + 512 + (s + 511) / 512 * 512))
done
target=$(((start5 + end5) / 2))
# the longest prefix of the tar.gz that decompresses to at most $target bytes
avail_of() { head -c "$1" "$WORK/full.tar.gz" | gzip -dc 2>/dev/null | wc -c; }
lo=0 hi=$(size "$WORK/full.tar.gz")
while [ $((hi - lo)) -gt 1 ]; do
    mid=$(((lo + hi) / 2))
    if [ "$(avail_of "$mid")" -le "$target" ]; then lo=$mid; else hi=$mid; fi
done
n=$lo avail=$(avail_of "$lo")
head -c "$n" "$WORK/full.tar.gz" >"$WORK/cut.tar.gz"
ok "tar.gz: the cut falls inside the fifth file ($start5 < $avail < $end5)" test "$avail" -gt "$start5" -a "$avail" -lt "$end5"
ok "tar.gz: the first four files lie in libarchive's first 64 KiB block, the cut past it" \
   test "$end4" -le 65536 -a "$avail" -gt 65536

fresh
run import "$WORK/cut.tar.gz"
eq "truncated tar.gz: exit 1" "$rc" 1
eq "truncated tar.gz: the four files before the cut load" "$(loaded)" \
   "2018:1101 2018:1103 2018:1106 2019:1127 2019:1130 "
eq "truncated tar.gz: the cut file and the archive are set aside" "$(rej_entries)" \
"county/5-rating-v2-2018.xml|file|truncated archive: truncated gzip input
-|file|truncated archive: truncated gzip input"
ok "truncated tar.gz: the file after the cut is not there" test "$(q "SELECT count(*) FROM is248.report WHERE unit_code = '1804'")" = 0
eq "truncated tar.gz: the files recorded" \
   "$(q "SELECT coalesce(nullif(entry, ''), '-') || ':' || outcome FROM is248.source_file ORDER BY file_id" | tr '\n' ' ')" \
   "county/1-bom-v2.xml:loaded county/2-crlf-v2.xml:loaded county/3-comments-pi-v2.xml:loaded county/4-labels-match.xml:loaded county/5-rating-v2-2018.xml:rejected -:rejected "

# --- a truncated tar ------------------------------------------------------------
# cut 100 bytes into the data of the second file
s1=$(size "$WORK/tgz/county/1-bom-v2.xml")
head -c $((512 + (s1 + 511) / 512 * 512 + 512 + 100)) "$WORK/full.tar" >"$WORK/cut.tar"
fresh
run import "$WORK/cut.tar"
eq "truncated tar: exit 1" "$rc" 1
eq "truncated tar: the first file loads" "$(loaded)" "2018:1101 "
eq "truncated tar: the cut file and the archive are set aside" "$(rej_entries)" \
"county/2-crlf-v2.xml|file|truncated archive: Truncated tar archive
-|file|truncated archive: Truncated tar archive"

# --- a truncated zip --------------------------------------------------------------
# Two layouts: bsdtar's (deflated, a data descriptor after each entry's data)
# and Info-ZIP's for small stored files (sizes and CRC in the local header, no
# descriptor), written by mkzip below so that the test needs no zip program.
mkzip() {  # mkzip OUT FILE...: stored entries, central directory, end record
    local out=$1 f off=0 n=0 sz crc cdsize; shift
    : >"$out"; : >"$out.cd"
    for f; do
        sz=$(size "$f")
        crc=$(gzip -c "$f" | tail -c 8 | head -c 4 | od -An -tu4 | tr -d ' ')
        { printf 'PK\003\004'; le16 20; le16 0; le16 0; le16 0; le16 33; le32 "$crc"; le32 "$sz"; le32 "$sz"
          le16 ${#f}; le16 0; printf %s "$f"; cat "$f"; } >>"$out"
        { printf 'PK\001\002'; le16 20; le16 20; le16 0; le16 0; le16 0; le16 33; le32 "$crc"; le32 "$sz"
          le32 "$sz"; le16 ${#f}; le16 0; le16 0; le16 0; le16 0; le32 0; le32 "$off"; printf %s "$f"; } >>"$out.cd"
        off=$((off + 30 + ${#f} + sz)); n=$((n + 1))
    done
    cdsize=$(size "$out.cd"); cat "$out.cd" >>"$out"; rm -f "$out.cd"
    { printf 'PK\005\006'; le16 0; le16 0; le16 "$n"; le16 "$n"; le32 "$cdsize"; le32 "$off"; le16 0; } >>"$out"
}
mkdir -p "$WORK/zip/county"
cp "$fx/bom-v2.xml" "$WORK/zip/county/1101.xml"
cp "$fx/crlf-v2.xml" "$WORK/zip/county/1103.xml"
cp "$fx/comments-pi-v2.xml" "$WORK/zip/county/1106.xml"
(cd "$WORK/zip" && bsdtar --format zip -cf "$WORK/bsdtar.zip" county/1101.xml county/1103.xml county/1106.xml \
 && mkzip "$WORK/infozip.zip" county/1101.xml county/1103.xml county/1106.xml)
fresh
run import "$WORK/infozip.zip"
eq "the hand-made zip is a good zip" "$rc|$(loaded)" "0|2018:1101 2018:1103 2018:1106 "

for layout in bsdtar infozip; do
    z="$WORK/$layout.zip"
    # byte offsets of the local headers (PK\3\4) and of the central directory (PK\1\2)
    mapfile -t lh < <(LC_ALL=C grep -obUaP 'PK\x03\x04' "$z" | cut -d: -f1)
    cd_at=$(LC_ALL=C grep -obUaP 'PK\x01\x02' "$z" | head -n 1 | cut -d: -f1)
    ok "$layout zip: three local headers and a central directory found" test "${#lh[@]}" = 3 -a -n "$cd_at"

    # cut in the middle of the second entry
    head -c $(((lh[1] + lh[2]) / 2)) "$z" >"$WORK/cut-$layout.zip"
    fresh
    run import "$WORK/cut-$layout.zip"
    eq "$layout zip cut inside its second entry: exit 1" "$rc" 1
    eq "$layout zip cut inside its second entry: the entry before the cut loads" "$(loaded)" "2018:1101 "
    r=$(rej_entries)
    case $layout in
    bsdtar) eq "$layout zip cut inside its second entry: the entry and the archive are set aside" "$r" \
"county/1103.xml|file|truncated archive: ZIP decompression failed (-5)
-|file|truncated archive: ZIP decompression failed (-5)" ;;
    infozip) eq "$layout zip cut inside its second entry: the entry and the archive are set aside" "$r" \
"county/1103.xml|file|truncated archive: Truncated ZIP file data
-|file|truncated archive: Truncated ZIP file data" ;;
    esac

    # Every entry whole, the central directory cut: all three reports load,
    # and the archive must still be reported as truncated.
    head -c $((cd_at + 40)) "$z" >"$WORK/cut-cd-$layout.zip"
    fresh
    run import "$WORK/cut-cd-$layout.zip"
    eq "$layout zip cut inside its central directory: every entry loads" "$(loaded)" "2018:1101 2018:1103 2018:1106 "
    eq "$layout zip cut inside its central directory: exit 1" "$rc" 1
    r=$(rej_entries)
    case $r in "-|file|truncated archive"*) passed=$((passed + 1)) ;;
    *) failed=$((failed + 1)); printf 'FAIL: %s zip cut inside its central directory: the archive is recorded as truncated\n--- got:\n%s\n' "$layout" "$r" >&2 ;; esac

    # Cut exactly where the central directory begins.  After the last entry
    # of bsdtar's layout libarchive reads a little past its descriptor and so
    # cannot finish it, though its bytes are all there: that entry may load
    # or be set aside as truncated.
    head -c "$cd_at" "$z" >"$WORK/cut-nocd-$layout.zip"
    fresh
    run import "$WORK/cut-nocd-$layout.zip"
    eq "$layout zip without its central directory: exit 1" "$rc" 1
    eq "$layout zip without its central directory: the entries before the last load" \
       "$(q "SELECT count(*) FROM is248.report WHERE unit_code IN ('1101', '1103')")" 2
    last=$(q "SELECT count(*) FROM is248.report WHERE unit_code = '1106'")+$(q "SELECT count(*) FROM is248.rejection WHERE entry = 'county/1106.xml' AND reason LIKE 'truncated archive%'")
    ok "$layout zip without its central directory: the last entry loads or is set aside as truncated ($last)" \
       test "$last" = "1+0" -o "$last" = "0+1"
    r=$(q "SELECT reason FROM is248.rejection WHERE entry = ''")
    case $r in "truncated archive: "*) passed=$((passed + 1)) ;;
    *) failed=$((failed + 1)); printf 'FAIL: %s zip without its central directory: the archive is recorded as truncated\n--- got:\n%s\n' "$layout" "$r" >&2 ;; esac
    case $r in *"unknown error"*) failed=$((failed + 1)); printf 'FAIL: %s zip without its central directory: the reason says what is wrong, not "unknown error"\n--- got:\n%s\n' "$layout" "$r" >&2 ;;
    *) passed=$((passed + 1)) ;; esac
done

# --- a password-protected zip -------------------------------------------------------
# traditional PKWARE encryption (what "zip -P" makes), in a national zip
# beside a report that is not encrypted
mkdir -p "$WORK/pw/secret" "$WORK/pw/open"
cp "$fx/bom-v2.xml" "$WORK/pw/secret/1101.xml"
cp "$fx/crlf-v2.xml" "$WORK/pw/secret/1103.xml"
cp "$fx/comments-pi-v2.xml" "$WORK/pw/open/1106.xml"
(cd "$WORK/pw" && bsdtar --format zip --options zip:encryption=zipcrypt --passphrase secret \
    -cf "$WORK/pw/secret.zip" secret/1101.xml secret/1103.xml \
 && bsdtar --format zip -cf "$WORK/pw.zip" secret.zip open/1106.xml)
ok "the county zip is encrypted (bit 0 of the first entry's flags)" \
   test $(($(od -An -tu1 -j6 -N1 "$WORK/pw/secret.zip") % 2)) = 1
fresh
run import "$WORK/pw.zip"
eq "password-protected zip: exit 1" "$rc" 1
eq "password-protected zip: the report without a password loads" "$(loaded)" "2018:1106 "
eq "password-protected zip: the encrypted entries are set aside" "$(rej_entries)" \
"secret.zip!secret/1101.xml|file|encrypted entry
secret.zip!secret/1103.xml|file|encrypted entry"
fresh
run import "$WORK/pw/secret.zip" "$fx/crlf-v2.xml"
eq "password-protected zip given alone: exit 1" "$rc" 1
eq "password-protected zip given alone: the rest of the delivery loads" "$(loaded)" "2018:1103 "
eq "password-protected zip given alone: the encrypted entries are set aside" "$(rej_entries)" \
"secret/1101.xml|file|encrypted entry
secret/1103.xml|file|encrypted entry"

# --- links instead of files -----------------------------------------------------------
mkdir -p "$WORK/links/d"
cp "$fx/bom-v2.xml" "$WORK/links/d/1101.xml"
ln "$WORK/links/d/1101.xml" "$WORK/links/d/hard.xml"
ln -s 1101.xml "$WORK/links/d/sym.xml"
ln -s /etc/passwd "$WORK/links/d/passwd.xml"
(cd "$WORK/links" && bsdtar -cf "$WORK/links.tar" d/1101.xml d/hard.xml d/sym.xml d/passwd.xml)
ok "tar: holds a hard link and two symbolic links" \
   test "$(bsdtar -tvf "$WORK/links.tar" | cut -c1 | tr -d '\n')" = "-hll"
fresh
run import "$WORK/links.tar"
eq "tar with links: exit 1" "$rc" 1
eq "tar with links: the report loads once" "$(loaded)" "2018:1101 "
eq "tar with links: every link is set aside, none followed" "$(rej_entries)" \
"d/hard.xml|file|link, not a regular file
d/sym.xml|file|link, not a regular file
d/passwd.xml|file|link, not a regular file"
passwd_line=$(head -n 1 /etc/passwd)
eq "tar with links: nothing of /etc/passwd in the database" \
   "$(q "SELECT count(*) FROM is248.answer t WHERE strpos(t::text, 'root:x:0:0') > 0 OR strpos(t::text, \$pw\$$passwd_line\$pw\$) > 0")" 0

# the same links in a directory: symbolic links are not followed either
fresh
run import "$WORK/links/d"
eq "directory with links: exit 1" "$rc" 1
eq "directory with links: the report loads once (the hard link is the same file)" "$(loaded)" "2018:1101 "
eq "directory with links: the symbolic links are set aside" \
   "$(q "SELECT regexp_replace(source, '^.*/', '') || '|' || level || '|' || reason FROM is248.rejection ORDER BY 1")" \
"passwd.xml|file|symbolic link, not a regular file
sym.xml|file|symbolic link, not a regular file"

# --- a zip in a zip in a zip ----------------------------------------------------------
mkdir -p "$WORK/nest"
cp "$fx/bom-v2.xml" "$WORK/nest/inner-1101.xml"
cp "$fx/crlf-v2.xml" "$WORK/nest/middle-1103.xml"
cp "$fx/comments-pi-v2.xml" "$WORK/nest/outer-1106.xml"
(cd "$WORK/nest" && bsdtar --format zip -cf inner.zip inner-1101.xml \
   && bsdtar --format zip -cf middle.zip inner.zip middle-1103.xml \
   && bsdtar --format zip -cf "$WORK/outer.zip" middle.zip outer-1106.xml)
fresh
run import "$WORK/outer.zip"
eq "zip in a zip in a zip: exit 1" "$rc" 1
eq "zip in a zip in a zip: the reports one level deep and at the top load" "$(loaded)" "2018:1103 2018:1106 "
eq "zip in a zip in a zip: the innermost zip is set aside" "$(rej_entries)" \
   "middle.zip!inner.zip|file|archive nested more than one level deep"

# --- a file that is not an archive, named .zip --------------------------------------------
printf 'This is not an archive.\n' >"$WORK/fake.zip"
fresh
run import "$WORK/fake.zip" "$fx/comments-pi-v2.xml"
eq "not an archive, given as .zip: exit 1" "$rc" 1
eq "not an archive, given as .zip: the rest of the delivery loads" "$(loaded)" "2018:1106 "
eq "not an archive, given as .zip: set aside" "$(rej_entries)" \
   "-|file|not a supported archive (zip, tar, tar.gz, tar.xz, tar.bz2): Unrecognized archive format"

mkdir -p "$WORK/withfake"
cp "$WORK/fake.zip" "$WORK/withfake/fake.zip"
cp "$fx/comments-pi-v2.xml" "$WORK/withfake/1106.xml"
(cd "$WORK/withfake" && bsdtar --format zip -cf "$WORK/withfake.zip" fake.zip 1106.xml)
fresh
run import "$WORK/withfake.zip"
eq "not an archive, inside a zip: exit 1" "$rc" 1
eq "not an archive, inside a zip: the rest loads" "$(loaded)" "2018:1106 "
eq "not an archive, inside a zip: the entry is set aside" "$(rej_entries)" \
   "fake.zip|file|not a supported archive (zip, tar, tar.gz, tar.xz, tar.bz2): Unrecognized archive format"
# a zip cut inside its central directory, inside another zip: said for the
# inner zip, though its entries are whole and load
nz="$WORK/nested-cut"
rm -rf "$nz"; mkdir -p "$nz/in" "$nz/o"
cp "$SRC/fixtures/spec-examples/"*.xml "$nz/in/"
(cd "$nz" && bsdtar -a -cf inner.zip in)
head -c $(($(stat -c %s "$nz/inner.zip") - 30)) "$nz/inner.zip" >"$nz/o/inner-cut.zip"
(cd "$nz" && bsdtar -a -cf outer.zip o)
run validate "$nz/outer.zip"
eq "nested zip without its end record: validate exits 1" "$rc" 1
contains "nested zip without its end record: said for the inner zip" "$out" "'$nz/outer.zip' entry 'o/inner-cut.zip'
  file set aside: truncated archive: the zip's central directory is missing or cut off"
contains "nested zip without its end record: its whole entries still load" "$err" "reports: 4 would load"

finish
