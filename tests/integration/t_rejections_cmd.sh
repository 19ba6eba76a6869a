#!/usr/bin/env bash
# is248 rejections (issue 13): what a run set aside, as a table or as CSV
# for the data provider.  Three real imports (one with problems at every
# level, in a directory and in a zip with hostile entry names, one with
# none, one with another problem); every listing is compared with the rows
# of is248.rejection queried here (the table rebuilt cell by cell, the CSV
# parsed back with Python's csv module); which run is listed by default;
# the option and run errors; --output; a row with raw control characters
# put in by hand; the loader and reader logins, which may not read it.
. "$(dirname "$0")/lib.sh"

# roles of this test's own (the cluster is shared), dropped at the end
LOADER=t_rejcmd_loader READER=t_rejcmd_reader
drop_roles() { psql -X -q -d postgres -c "DROP ROLE IF EXISTS $LOADER, $READER" >/dev/null 2>&1; }
trap drop_roles EXIT

# expected RUN|all: the rows is248 should list, from the table itself, as
# PostgreSQL writes CSV (the order written out here, not taken from is248)
expected() {
    local where="TRUE"
    [ "$1" != all ] && where="run_id = $1"
    psql -X -q -c "COPY (SELECT run_id, source, entry, nullif(encode(sha256, 'hex'), repeat('0', 64)), report_index, year,
                                unit_code, question, level, reason
                           FROM is248.rejection WHERE $where
                          ORDER BY convert_to(source, 'UTF8'), convert_to(entry, 'UTF8'), run_id,
                                   report_index NULLS FIRST, rejection_id)
                   TO STDOUT (FORMAT csv, HEADER)" >"$WORK/expected.csv"
}

cat >"$WORK/check.py" <<'EOF'
# check.py csv|table GOT EXPECTED [TITLE]: is248's output against the rows
# PostgreSQL wrote (CSV); prints "ok" or the first difference.
import csv, io, sys
kind, got_path, want_path = sys.argv[1:4]
want = list(csv.reader(open(want_path, encoding='utf-8', newline='')))
header = ['run', 'source', 'entry', 'sha256', 'report', 'year', 'unit', 'question', 'level', 'reason']
rows = want[1:]
raw = open(got_path, 'rb').read()
if kind == 'csv':
    lines = raw.split(b'\r\n')
    if lines[-1] != b'' or any(b'\n' in l or b'\r' in l for l in lines):
        sys.exit(print('not one CRLF per line'))
    got = list(csv.reader(io.StringIO(raw.decode('utf-8'), newline='')))
    if got[0] != header:
        sys.exit(print('header', got[0]))
    for i, (g, w) in enumerate(zip(got[1:], rows)):
        if g != w:
            sys.exit(print('row', i + 1, 'got', g, 'want', w))
    if len(got) - 1 != len(rows):
        sys.exit(print(len(got) - 1, 'rows, want', len(rows)))
    print('ok')
else:
    # the table as cli/table.c lays it out: the title, a blank line,
    # centred headers, a rule, run/report/year to the right, no blanks
    # after the last column, "(N rows)"; the SHA-256 cut to 12 digits
    title = sys.argv[4]
    cells = [[c[:12] if k == 3 else c for k, c in enumerate(r)] for r in rows]
    w = [max([len(header[k])] + [len(r[k]) for r in cells]) for k in range(10)]
    def centred(k):
        left = (w[k] - len(header[k])) // 2
        return ' ' * left + header[k] + ' ' * (w[k] - len(header[k]) - left)
    lines = [title, '', ' ' + ' | '.join(centred(k) for k in range(10)),
             '-' + '-+-'.join('-' * x for x in w) + '-']
    for r in cells:
        f = [r[k].rjust(w[k]) if k in (0, 4, 5) else r[k].ljust(w[k]) for k in range(9)]
        lines.append(' ' + ' | '.join(f + [r[9]]))
    lines.append('(%d row%s)' % (len(rows), '' if len(rows) == 1 else 's'))
    want_text = '\n'.join(lines) + '\n'
    got_text = raw.decode('utf-8')
    if got_text != want_text:
        for i, (g, x) in enumerate(zip(got_text.split('\n'), want_text.split('\n'))):
            if g != x:
                sys.exit(print('line', i + 1, '\ngot: ', repr(g), '\nwant:', repr(x)))
        sys.exit(print('lengths differ', len(got_text), len(want_text)))
    print('ok')
EOF
check() { python3 "$WORK/check.py" "$@" 2>&1; }

# --- before migrate, usage ---------------------------------------------------------
run rejections
eq "before migrate: exit 2" "$rc" 2
contains "... and what to do" "$err" "run 'is248 migrate' first"
run migrate

for args in "--run x" "--run -1" "--run 1 --all" "--format json" "--chart x.svg" "--force" "--runs 2" "extra"; do
    run rejections $args
    eq "rejections $args: exit 2" "$rc" 2
done
run rejections --run x
contains "... a malformed run is named" "$err" "invalid run 'x' for --run"
run rejections --run 1 --all
contains "... --run and --all together" "$err" "--run and --all: give one"
run rejections --format json
contains "... the formats are named" "$err" "unknown --format 'json' (formats: table, csv)"
run rejections --help
eq "rejections --help: exit 0" "$rc" 0
for o in --run --all --format --output; do contains "... documents $o" "$out" "$o"; done

run rejections --db "host=$NO_SERVER port=1 dbname=nothing connect_timeout=2"
eq "an unreachable database: exit 3" "$rc" 3

# --- an empty database ----------------------------------------------------------------
run rejections
eq "no run yet: exit 0" "$rc" 0
contains "... says so on stderr" "$err" "nothing was set aside: no import run yet"
expected all
eq "... an empty table" "$(check table "$WORK/out" "$WORK/expected.csv" "Set aside: nothing, in no run (is248.rejection)")" ok
run rejections --format csv
eq "... CSV: the header alone" "$(cat -A "$WORK/out")" 'run,source,entry,sha256,report,year,unit,question,level,reason^M$'

# --- run 1: problems at every level ---------------------------------------------------------
d="$WORK/d1"
mkdir -p "$d"
NS='xmlns="urn:no:helsedirektoratet:is-24-8:2"'
report() {  # report YEAR CODE POP TIME BODY
    printf '<Rapport %s rapporteringsaar="%s">\n  <Innsending id="x-%s" tidspunkt="%s"/>\n  <Enhet type="kommune" nummer="%s" innbyggere="%s">Navn</Enhet>\n  <Kapittel nr="21" tittel="Arbeidstiltak">\n%s\n  </Kapittel>\n</Rapport>\n' \
        "$NS" "$1" "$2" "$4" "$2" "$3" "$5"
}
good='    <Svar sporsmal="ARB_NAV_SAMARBEID" kode="1">Ja</Svar>'
report 2019 1103 143000 2020-02-01T10:00:00+01:00 "$good
    <Svar sporsmal=\"ARB_NAV_SAMHANDLING\">Kjempebra</Svar>
    <Svar sporsmal=\"ARB_NAV_SAMARBEID_SPES\" kode=\"1\">Nei</Svar>" >"$d/answers.xml"
{ printf '<?xml version="1.0" encoding="UTF-8"?>\n<Rapporter %s>\n' "$NS"
  report 2019 1106 37000 2020-02-01T10:00:00+01:00 "$good" | sed "s/ $NS//"
  report 2019 9999 9000 2020-02-01T10:00:00+01:00 "$good" | sed "s/ $NS//"
  report 2019 1108 9000 2020-02-01T10:00:00+01:00 "$good" | sed "s/ $NS//"
  printf '</Rapporter>\n'; } >"$d/county.xml"
{ printf '<?xml version="1.0"?>\n<!DOCTYPE Rapport [ <!ENTITY x "Ja"> ]>\n'
  report 2019 1114 5000 2020-02-01T10:00:00+01:00 "$good"; } >"$d/doctype.xml"
# a zip whose entry names need care: a comma and quotes (CSV quoting), a
# UTF-8 name, an escape sequence (stored escaped), a path with ../
python3 - "$d/names.zip" <<'EOF'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    z.writestr('x,y "q".xml', b'not xml at all, "quoted"')
    z.writestr('sub/Troms\u00f8.xml', b'<?xml version="1.0"?>\n<Rapport>')
    z.writestr('evil\x1b[31m.xml', b'<?xml version="1.0"?>\n<Rapport xmlns="urn:x"/>')
    z.writestr('../../up.xml', b'')
EOF
run import "$d"
eq "run 1 imports with something set aside (exit 1)" "$rc" 1
ok "... at every level" test "$(q "SELECT count(DISTINCT level) FROM is248.rejection WHERE run_id = 1")" = 3
ok "... an escaped entry name among them" test "$(q "SELECT count(*) FROM is248.rejection WHERE entry = 'evil\\x1B[31m.xml'")" = 1

run rejections
eq "rejections: exit 0" "$rc" 0
expected 1
eq "... run 1's rows as a table, in order" "$(check table "$WORK/out" "$WORK/expected.csv" \
    "Set aside in run 1, started $(q "SELECT to_char(started_at, 'YYYY-MM-DD HH24:MI:SS') FROM is248.import_run WHERE run_id = 1") (is248.rejection)")" ok
contains "... stderr names the run and what it set aside" "$err" \
    "run 1 (started $(q "SELECT to_char(started_at, 'YYYY-MM-DD HH24:MI:SS') FROM is248.import_run WHERE run_id = 1"), problems) is the last that set anything aside: $(q "SELECT count(*) FILTER (WHERE level = 'file') || ' file(s), ' || count(*) FILTER (WHERE level = 'report') || ' report(s) and ' || count(*) FILTER (WHERE level = 'answer') || ' answer(s)' FROM is248.rejection WHERE run_id = 1")"
ok "... no raw escape character on stdout" bash -c "! grep -q \$'\\x1b' '$WORK/out'"
contains "... the escaped name as import printed it" "$out" "evil\\x1B[31m.xml"

run rejections --format csv
eq "CSV: exit 0" "$rc" 0
eq "... run 1's rows, parsed back" "$(check csv "$WORK/out" "$WORK/expected.csv")" ok
contains "... a name with a comma and quotes quoted as RFC 4180 says" "$out" ',"x,y ""q"".xml",'

# --- run 2: nothing set aside; run 1 is still the default -----------------------------------
run import "$SRC/fixtures/delivery"
eq "run 2 sets nothing aside (exit 0)" "$rc" 0
eq "... none recorded" "$(q "SELECT count(*) FROM is248.rejection WHERE run_id = 2")" 0
run rejections --format csv
eq "the default is still run 1, the last that set anything aside" "$(check csv "$WORK/out" "$WORK/expected.csv")" ok
contains "... stderr says the run after it set nothing aside" "$err" "; the 1 run(s) after it set nothing aside"
run rejections --run 2
eq "--run 2: exit 0" "$rc" 0
contains "... stderr says nothing was set aside" "$err" "nothing was set aside in run 2"
expected 2
eq "... an empty table" "$(check table "$WORK/out" "$WORK/expected.csv" \
    "Set aside in run 2, started $(q "SELECT to_char(started_at, 'YYYY-MM-DD HH24:MI:SS') FROM is248.import_run WHERE run_id = 2") (is248.rejection)")" ok
run rejections --run 99
eq "--run 99: exit 2" "$rc" 2
contains "... no import run 99" "$err" "no import run 99"
eq "... nothing on stdout" "$out" ""

# --- run 3: another problem; the default moves on -------------------------------------------
mkdir -p "$WORK/d3"
report 2019 0301 690000 2020-02-01T10:00:00+01:00 "$good" >"$WORK/d3/oslo.xml"
run import "$WORK/d3"
eq "run 3 sets something aside (exit 1)" "$rc" 1
run rejections --format csv
expected 3
eq "the default is now run 3" "$(check csv "$WORK/out" "$WORK/expected.csv")" ok
run rejections --format csv --run 1
expected 1
eq "--run 1 still lists run 1" "$(check csv "$WORK/out" "$WORK/expected.csv")" ok
run rejections --format csv --all
expected all
eq "--all lists every run, by file, run, report" "$(check csv "$WORK/out" "$WORK/expected.csv")" ok
run rejections --all
eq "... and as a table" "$(check table "$WORK/out" "$WORK/expected.csv" "Set aside in all runs (is248.rejection)")" ok

# --- --output -------------------------------------------------------------------------------
run rejections --format csv --all
cp "$WORK/out" "$WORK/stdout.csv"
run rejections --format csv --all --output "$WORK/list.csv"
eq "--output FILE: exit 0" "$rc" 0
eq "... nothing on stdout" "$out" ""
ok "... FILE holds what stdout did" cmp -s "$WORK/list.csv" "$WORK/stdout.csv"
run rejections --format csv --all --output -
ok "--output -: stdout" cmp -s "$WORK/out" "$WORK/stdout.csv"
echo precious >"$WORK/victim"
ln -s "$WORK/victim" "$WORK/link.csv"
run rejections --output "$WORK/link.csv"
eq "--output onto a symbolic link: exit 2" "$rc" 2
contains "... refused" "$err" "it is a symbolic link"
eq "... the file it points to untouched" "$(cat "$WORK/victim")" precious
run rejections --output "$WORK/no/such/dir/list.txt"
eq "--output into a directory that does not exist: exit 2" "$rc" 2

# --- text put in by hand, with raw control characters -----------------------------------------
q "INSERT INTO is248.rejection (run_id, source, entry, level, reason)
   VALUES (3, E'raw\\x1b[2J\\n.zip', E'a\\u202Eb\\tc.xml', 'file', E'bell\\x07, \"quoted\"')" >/dev/null
run rejections
eq "a hand-made row: exit 0" "$rc" 0
ok "... no raw control character on stdout" bash -c "! LC_ALL=C grep -q \$'[\\x01-\\x09\\x0b-\\x1f]' '$WORK/out'"
ok "... nor a bidirectional override" bash -c "! grep -q \$'\\u202e' '$WORK/out'"
contains "... the source escaped" "$out" 'raw\x1B[2J\n.zip'
contains "... the entry escaped" "$out" 'a\u202Eb\tc.xml'
contains "... the reason escaped" "$out" 'bell\x07, "quoted"'
run rejections --format csv
eq "... CSV: one line per row all the same" "$(grep -c $'\r$' "$WORK/out")" "$(q "SELECT count(*) + 1 FROM is248.rejection WHERE run_id = 3")"
eq "... the fields escaped, then quoted" \
   "$(python3 -c 'import csv,sys; r = [x for x in csv.reader(open(sys.argv[1], encoding="utf-8", newline="")) if x[1].startswith("raw")][0]; print(r[1], r[2], r[9], sep="|")' "$WORK/out")" \
   'raw\x1B[2J\n.zip|a\u202Eb\tc.xml|bell\x07, "quoted"'
q "DELETE FROM is248.rejection WHERE source LIKE 'raw%'" >/dev/null

# --- who may read it -----------------------------------------------------------------------
drop_roles
q "CREATE ROLE $LOADER LOGIN IN ROLE is248_loader; CREATE ROLE $READER LOGIN IN ROLE is248_reader" >/dev/null
for u in $LOADER $READER; do
    PGUSER=$u run rejections
    eq "as a login of $(q "SELECT string_agg(b.rolname, ',') FROM pg_auth_members m JOIN pg_roles b ON b.oid = m.roleid JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = '$u'"): exit 2" "$rc" 2
    contains "... refused, saying who may" "$err" "only the schema's owner may"
    eq "... nothing on stdout" "$out" ""
done
for r in is248_loader is248_reader; do
    eq "$r may read none of is248.rejection, source_file, import_run (no more than before)" \
       "$(q "SELECT bool_or(has_table_privilege('$r', t, 'SELECT')) FROM unnest(array['is248.rejection', 'is248.source_file', 'is248.import_run']) t")" f
done
finish
