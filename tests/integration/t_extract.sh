#!/usr/bin/env bash
# is248 extract (issue 13): the files a run set aside, copied out of the
# deliveries they came in, for the data provider.  Real imports of
# archives built here with entry names meant to hurt (../../x.xml, a
# newline, 300 characters, a leading dot or dash, the same name in two
# archives, the same bytes twice), a nested archive, a directory whose name
# holds a tab and a backslash (stored escaped, opened again unescaped), a
# link and an entry cut short inside archives.  What lands in DIR is
# compared with the originals by sha256sum and with is248.rejection queried
# here; the manifest is parsed back with Python's csv module.  DIR and the
# files in it: a symbolic link (to a directory, dangling, a file), a FIFO,
# files there before (refused, then --force); a moved delivery (not found,
# then given as PATH); the errors; the loader's login.
. "$(dirname "$0")/lib.sh"

LOADER=t_extract_loader
trap 'psql -X -q -d postgres -c "DROP ROLE IF EXISTS $LOADER" >/dev/null 2>&1' EXIT

T=$WORK/t
loose=$'loose\tdir\\x'       # a tab and a backslash: stored as loose\tdir\\x
mkdir -p "$T/orig" "$T/in/$loose" "$T/moved"
good="$SRC/fixtures/delivery/2019/1101.xml"

# The originals (one file each in $T/orig, named by what they are) and
# the deliveries made of them.
python3 - "$T" "$loose" "$good" <<'EOF'
import io, os, sys, tarfile, zipfile
T, loose, good = sys.argv[1:4]
NS = 'xmlns="urn:no:helsedirektoratet:is-24-8:2"'
def cut(tag):      # not well-formed: set aside whole
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<!-- %s -->\n<Rapport %s rapporteringsaar="2019">\n  <Innsending' % (tag, NS)).encode()
def report(code, body, tag):
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<!-- %s -->\n<Rapport %s rapporteringsaar="2019">\n'
            '  <Innsending id="x-%s" tidspunkt="2020-02-01T10:00:00+01:00"/>\n'
            '  <Enhet type="kommune" nummer="%s" innbyggere="9000">Navn</Enhet>\n'
            '  <Kapittel nr="21" tittel="Arbeidstiltak">\n%s\n  </Kapittel>\n</Rapport>\n'
            % (tag, NS, code, code, body)).encode()
yes = '    <Svar sporsmal="ARB_NAV_SAMARBEID" kode="1">Ja</Svar>'
orig = {
    'up': cut('../../x.xml'),
    'newline': cut('a newline'),
    'long': cut('a long name'),
    'hidden': cut('a leading dot'),
    'dash': cut('a leading dash'),
    'same-a': cut('1106.xml in a.zip'),
    'same-b': cut('1106.xml in b.zip'),
    # a file that loads, with an answer set aside: extracted all the same
    'answer': report('1103', yes + '\n    <Svar sporsmal="ARB_NAV_SAMHANDLING">Kjempebra</Svar>', 'answer'),
    # a report set aside (unit 9999), the file loads
    'report': report('9999', yes, 'report'),
    'nested': cut('in a zip in a tar.gz'),
    'loose': cut('in a directory'),
    'in-d': cut('beside a link'),
}
for k, v in orig.items():
    open(os.path.join(T, 'orig', k + '.xml'), 'wb').write(v)
goodbytes = open(good, 'rb').read()
with zipfile.ZipFile(os.path.join(T, 'in', 'a.zip'), 'w') as z:
    z.writestr('good/1101.xml', goodbytes)
    z.writestr('../../x.xml', orig['up'])
    z.writestr('dir/evil\nname.xml', orig['newline'])
    z.writestr('L' * 300 + '.xml', orig['long'])
    z.writestr('.hidden.xml', orig['hidden'])
    z.writestr('-rf.xml', orig['dash'])
    z.writestr('1106.xml', orig['same-a'])
    z.writestr('answers.xml', orig['answer'])
    z.writestr('report.xml', orig['report'])
with zipfile.ZipFile(os.path.join(T, 'in', 'b.zip'), 'w') as z:
    z.writestr('1106.xml', orig['same-b'])           # the same name, other bytes
    z.writestr('copy/of-x.xml', orig['up'])          # the same bytes again
inner = io.BytesIO()
with zipfile.ZipFile(inner, 'w') as z:
    z.writestr('deep/nested.xml', orig['nested'])
with tarfile.open(os.path.join(T, 'in', 'c.tar.gz'), 'w:gz') as t:
    ti = tarfile.TarInfo('inner.zip'); ti.size = len(inner.getvalue())
    t.addfile(ti, io.BytesIO(inner.getvalue()))
open(os.path.join(T, 'in', loose, 'bad-loose.xml'), 'wb').write(orig['loose'])
# run 2: a link (set aside unread) and an entry cut short (read in part)
with tarfile.open(os.path.join(T, 'in', 'd.tar'), 'w') as t:
    ti = tarfile.TarInfo('link.xml'); ti.type = tarfile.SYMTYPE; ti.linkname = '/etc/passwd'
    t.addfile(ti)
    ti = tarfile.TarInfo('bad-in-d.xml'); ti.size = len(orig['in-d'])
    t.addfile(ti, io.BytesIO(orig['in-d']))
big = os.urandom(300000)
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode='w') as t:
    ti = tarfile.TarInfo('cut-short.xml'); ti.size = len(big)
    t.addfile(ti, io.BytesIO(big))
open(os.path.join(T, 'in', 'e.tar'), 'wb').write(buf.getvalue()[:200000])
EOF

# manifest_check DIR RUN: the manifest of DIR against is248.rejection (the
# rows in order, as PostgreSQL writes them), every file it names in DIR
# with the row's SHA-256; prints "ok" or what differs
cat >"$WORK/manifest.py" <<'EOF'
import csv, hashlib, io, os, sys
d, want_path = sys.argv[1:3]
raw = open(os.path.join(d, 'MANIFEST.csv'), 'rb').read()
if any(not l.endswith(b'\r') for l in raw.split(b'\n')[:-1]) or not raw.endswith(b'\r\n'):
    sys.exit(print('not one CRLF per line'))
got = list(csv.reader(io.StringIO(raw.decode('utf-8'), newline='')))
want = list(csv.reader(open(want_path, encoding='utf-8', newline='')))
if got[0] != 'file run source entry sha256 report year unit question level reason'.split():
    sys.exit(print('header', got[0]))
if [r[1:] for r in got[1:]] != want[1:]:
    sys.exit(print('rows differ:', [r[1:] for r in got[1:]], want[1:]))
for r in got[1:]:
    if r[0]:
        sha = hashlib.sha256(open(os.path.join(d, r[0]), 'rb').read()).hexdigest()
        if sha != r[4]:
            sys.exit(print(r[0], 'holds', sha, 'not', r[4]))
print('ok')
EOF
expected() {
    psql -X -q -c "COPY (SELECT run_id, source, entry, nullif(encode(sha256, 'hex'), repeat('0', 64)), report_index, year,
                                unit_code, question, level, reason
                           FROM is248.rejection WHERE run_id = $1
                          ORDER BY convert_to(source, 'UTF8'), convert_to(entry, 'UTF8'), run_id,
                                   report_index NULLS FIRST, rejection_id)
                   TO STDOUT (FORMAT csv, HEADER)" >"$WORK/expected.csv"
}
manifest_check() { expected "$2"; python3 "$WORK/manifest.py" "$1" "$WORK/expected.csv" 2>&1; }
# shas DIR: the SHA-256 of every file in DIR but the manifest, sorted
shas() { find "$1" -type f ! -name MANIFEST.csv -print0 | xargs -0 -r sha256sum | cut -c1-64 | sort; }
# wanted RUN [WHERE]: the SHA-256 of the files set aside in RUN, each once
# (the import records 32 zero bytes for a file it never read: none)
wanted() { q "SELECT DISTINCT encode(sha256, 'hex') FROM is248.rejection WHERE run_id = $1 AND sha256 <> '\\x$(printf '0%.0s' {1..64})' ${2:+AND $2} ORDER BY 1"; }
# listing DIR: every entry's inode, type, name (to see nothing changed)
listing() { find "$1" -mindepth 1 -printf '%i %y %P\n' | sort; }

"$IS248" migrate -q || { echo "cannot migrate" >&2; exit 1; }
run import "$T/in/a.zip" "$T/in/b.zip" "$T/in/c.tar.gz" "$T/in/$loose"
eq "run 1: the deliveries import with something set aside (exit 1)" "$rc" 1
eq "... the directory's name stored escaped" \
   "$(q "SELECT count(*) FROM is248.rejection WHERE run_id = 1 AND source = '$T/in/loose\\tdir\\\\x/bad-loose.xml'")" 1
ok "... every level among them" test "$(q "SELECT count(DISTINCT level) FROM is248.rejection WHERE run_id = 1")" = 3

# --- extract run 1 into a new directory ------------------------------------------------------
touch "$T/marker"; sleep 0.01
run extract --run 1 "$T/out"
eq "extract --run 1 DIR: exit 0 (every file found)" "$rc" 0
eq "... DIR made with mode 700" "$(stat -c %a "$T/out")" 700
eq "... the files: one per SHA-256 set aside, with those bytes" "$(shas "$T/out")" "$(wanted 1)"
eq "... the originals' bytes among them, by sha256sum" \
   "$(for f in "$T"/orig/*.xml; do case $f in */in-d.xml) continue ;; esac; sha256sum <"$f" | cut -c1-64; done | sort -u | comm -23 - <(shas "$T/out"))" ""
ok "... the file with an answer set aside and the one with a report set aside too" \
   grep -qx "$(sha256sum <"$T/orig/answer.xml" | cut -c1-64)" <(shas "$T/out")
ok "... not the good file" test -z "$(shas "$T/out" | grep -x "$(sha256sum <"$good" | cut -c1-64)")"
eq "... a line on stderr per file written" "$(grep -c "^is248: extracted '" <<<"$err")" "$(wanted 1 | wc -l)"
eq "... the manifest: every rejection, its file in DIR" "$(manifest_check "$T/out" 1)" ok
eq "... nothing written outside DIR" "$(find "$T" -mindepth 1 -newer "$T/marker" ! -path "$T/out" ! -path "$T/out/*" -print)" ""
ok "... ../../x.xml did not climb out" test ! -e "$WORK/x.xml" -a ! -e "$T/x.xml"
eq "... DIR holds regular files only" "$(find "$T/out" -mindepth 1 ! -type f)" ""
eq "... every name safe: no leading . or -, no control character or /, at most 100 bytes and a suffix" \
   "$(python3 -c '
import os, re, sys
for n in os.listdir(sys.argv[1].encode()):
    if not re.fullmatch(rb"[A-Za-z0-9_+\x80-\xff][A-Za-z0-9._+\x80-\xff-]*", n) or len(n) > 110 or n.endswith(b"."):
        print(n)' "$T/out")" ""
manifest_file() {  # manifest_file DIR SOURCE-END ENTRY: the file named for that entry
    python3 -c '
import csv, sys
for r in csv.reader(open(sys.argv[1] + "/MANIFEST.csv", encoding="utf-8", newline="")):
    if r[2].endswith(sys.argv[2]) and r[3] == sys.argv[3]:
        print(r[0]); break' "$@"
}
eq "... ../../x.xml as x.xml" "$(manifest_file "$T/out" a.zip ../../x.xml)" x.xml
eq "... a newline in the name as _n" "$(manifest_file "$T/out" a.zip 'dir/evil\nname.xml')" evil_nname.xml
eq "... .hidden.xml without its leading dot" "$(manifest_file "$T/out" a.zip .hidden.xml)" _hidden.xml
eq "... -rf.xml without its leading dash" "$(manifest_file "$T/out" a.zip -rf.xml)" _rf.xml
long=$(manifest_file "$T/out" a.zip "$(printf 'L%.0s' {1..300}).xml")
eq "... a 300-character name cut to 100 bytes, its extension kept" "${#long} ${long: -4}" "100 .xml"
eq "... the same name in two archives: two files" \
   "$(manifest_file "$T/out" a.zip 1106.xml) $(manifest_file "$T/out" b.zip 1106.xml)" "1106.xml 1106-2.xml"
eq "... the same bytes twice: one file" "$(manifest_file "$T/out" b.zip copy/of-x.xml)" x.xml
eq "... the nested entry by its base name" "$(manifest_file "$T/out" c.tar.gz 'inner.zip!deep/nested.xml')" nested.xml
eq "... the file in the directory with a tab and a backslash in its name, found where it was recorded" \
   "$(manifest_file "$T/out" 'loose\tdir\\x/bad-loose.xml' '')" bad-loose.xml

# --- DIR there before ------------------------------------------------------------------------
before=$(listing "$T/out")
run extract --run 1 "$T/out"
eq "again into the same DIR: exit 2" "$rc" 2
contains "... refusing to replace what is there" "$err" "refusing to replace '$T/out/x.xml': it exists (--force replaces it)"
contains "... nothing extracted" "$err" "nothing was extracted"
eq "... DIR as it was (the same inodes, no temporary file)" "$(listing "$T/out")" "$before"
run extract --run 1 --force "$T/out/"
eq "--force: exit 0" "$rc" 0
eq "... every file replaced (new inodes), none added" "$(comm -12 <(listing "$T/out") <(echo "$before"))" ""
eq "... the same bytes" "$(shas "$T/out")" "$(wanted 1)"
eq "... the manifest" "$(manifest_check "$T/out" 1)" ok

# --- DIR, or a file in it, that is not what it seems ------------------------------------------
mkdir "$T/elsewhere"
ln -s "$T/elsewhere" "$T/linkdir"
for dir in "$T/linkdir" "$T/linkdir/"; do
    run extract --run 1 "$dir"
    eq "DIR a symbolic link to a directory ($dir): exit 2" "$rc" 2
    contains "... refused" "$err" "refusing to extract into '$dir': it is a symbolic link"
done
eq "... nothing written where it points" "$(ls -A "$T/elsewhere")" ""
ln -s "$T/nowhere" "$T/dangling"
run extract --run 1 "$T/dangling"
eq "DIR a dangling symbolic link: exit 2" "$rc" 2
ok "... nothing made where it points" test ! -e "$T/nowhere"
echo data >"$T/plain"
run extract --run 1 "$T/plain"
eq "DIR a regular file: exit 2" "$rc" 2
eq "... left as it was" "$(cat "$T/plain")" data

mkdir "$T/out2"
echo precious >"$T/victim"
ln -s "$T/victim" "$T/out2/1106.xml"
for force in "" --force; do
    run extract --run 1 $force "$T/out2"
    eq "a symbolic link in DIR where a file goes ${force:+(with --force)}: exit 2" "$rc" 2
    contains "... refused" "$err" "refusing to write '$T/out2/1106.xml': it is a symbolic link"
    eq "... the file it points to untouched" "$(cat "$T/victim")" precious
    eq "... nothing written beside it" "$(ls -A "$T/out2")" 1106.xml
done
mkdir "$T/out3"
mkfifo "$T/out3/MANIFEST.csv"
SECONDS=0
run extract --run 1 "$T/out3"
eq "a FIFO where the manifest goes: exit 2" "$rc" 2
ok "... at once, not hung on the FIFO ($SECONDS s)" test "$SECONDS" -lt 10
contains "... refused" "$err" "refusing to write '$T/out3/MANIFEST.csv': it is a FIFO"
eq "... nothing written" "$(ls -A "$T/out3")" MANIFEST.csv

# --- a delivery that has moved -----------------------------------------------------------------
mv "$T/in/a.zip" "$T/moved/a.zip"
a_only="NOT EXISTS (SELECT 1 FROM is248.rejection o WHERE o.run_id = 1 AND o.sha256 = rejection.sha256 AND o.source <> '$T/in/a.zip')"
run extract --run 1 "$T/out4"
eq "a.zip moved away: exit 1" "$rc" 1
contains "... the missing source said" "$err" "cannot read '$T/in/a.zip': cannot open: No such file or directory"
eq "... a line for each file found only in it" "$(grep -c "^is248: not extracted: '$T/in/a.zip' entry '.*' (sha256 [0-9a-f]\{64\}): not found in what was read" <<<"$err")" \
   "$(wanted 1 "$a_only" | wc -l)"
contains "... saying what to do" "$err" "if the delivery has moved, give its path after DIR"
eq "... the others extracted (the same bytes from b.zip too)" "$(shas "$T/out4")" \
   "$(comm -23 <(wanted 1) <(wanted 1 "$a_only"))"
eq "... the manifest, with no file for those not found" "$(manifest_check "$T/out4" 1)" ok
run extract --run 1 "$T/out5" "$T/moved/a.zip" "$T/in/b.zip" "$T/in/c.tar.gz" "$T/in/$loose"
eq "the deliveries given as PATHs: exit 0" "$rc" 0
eq "... every file" "$(shas "$T/out5")" "$(wanted 1)"
eq "... the manifest" "$(manifest_check "$T/out5" 1)" ok
run extract --run 1 "$T/out6" "$T/moved" "$T/in"
eq "directories given as PATHs: exit 0" "$rc" 0
eq "... every file" "$(shas "$T/out6")" "$(wanted 1)"

# --- run 2: a link and an entry cut short: nothing to extract for them -----------------------------
run import "$T/in/d.tar" "$T/in/e.tar"
eq "run 2 imports with something set aside (exit 1)" "$rc" 1
eq "... the link recorded without a SHA-256 (NULL, or 32 zero bytes as the import records it)" \
   "$(q "SELECT count(*) FROM is248.rejection WHERE run_id = 2 AND entry = 'link.xml' AND coalesce(sha256 = '\\x$(printf '0%.0s' {1..64})', true)")" 1
run extract --run 2 "$T/out7"
eq "extract --run 2: exit 1 (not everything could be extracted)" "$rc" 1
eq "... the file beside the link written" "$(shas "$T/out7")" "$(sha256sum <"$T/orig/in-d.xml" | cut -c1-64)"
contains "... the link said" "$err" "not extracted: '$T/in/d.tar' entry 'link.xml': set aside without being read (link, not a regular file"
contains "... the entry cut short said" "$err" "not extracted: '$T/in/e.tar' entry 'cut-short.xml' (sha256 "
contains "... ... that it cannot be read to its end" "$err" "): cannot be read to its end: "
eq "... the manifest" "$(manifest_check "$T/out7" 2)" ok

# --- errors ----------------------------------------------------------------------------------------
run import "$good"
eq "run 3 sets nothing aside" "$(q "SELECT count(*) FROM is248.rejection WHERE run_id = 3")" 0
run extract --run 3 "$T/out8"
eq "extract of a run that set nothing aside: exit 0" "$rc" 0
contains "... saying so" "$err" "nothing was set aside in run 3"
ok "... DIR not made" test ! -e "$T/out8"
run extract --run 99 "$T/out9"
eq "an unknown run: exit 2" "$rc" 2
contains "... no import run 99" "$err" "no import run 99"
ok "... DIR not made" test ! -e "$T/out9"
run extract "$T/out9"
eq "without --run: exit 2" "$rc" 2
contains "... saying it is needed" "$err" "extract needs --run N"
run extract --run 1
eq "without DIR: exit 2" "$rc" 2
for args in "--all" "--format csv" "--output x" "--run x"; do
    run extract --run 1 $args "$T/out9"
    eq "extract $args: exit 2" "$rc" 2
done
run extract --run 1 --db "host=$NO_SERVER port=1 dbname=nothing connect_timeout=2" "$T/out9"
eq "an unreachable database: exit 3" "$rc" 3
ok "... DIR not made" test ! -e "$T/out9"
q "CREATE ROLE $LOADER LOGIN IN ROLE is248_loader" >/dev/null
PGUSER=$LOADER run extract --run 1 "$T/out10"
eq "as a login of is248_loader: exit 2" "$rc" 2
contains "... refused, saying who may" "$err" "only the schema's owner may"
ok "... DIR not made" test ! -e "$T/out10"
run extract --help
eq "extract --help: exit 0" "$rc" 0
for o in --run --force --db --max-entry-bytes; do contains "... documents $o" "$out" "$o"; done
finish
