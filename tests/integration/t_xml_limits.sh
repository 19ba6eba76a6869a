#!/usr/bin/env bash
# The XML reader at scale and at its edges (issue 11), through `is248
# validate` and `is248 import`, every file generated here into $WORK:
#   - the encoding of a file declared ISO-8859-1 is decided on the whole
#     file (§8): an 85 MB file in UTF-8 loads as UTF-8 (before, past 64 MiB
#     it was read as declared: "TromsÃ¸"); an 85 MB file that is UTF-8 for
#     70 MB and then not is set aside as a whole, with the reason;
#   - memory is bounded per report: reports of about 500 MiB (the entry cap
#     is 512 MiB) are loaded or set aside within 256 MiB of peak RSS;
#   - an empty file, a file of no element, EBCDIC and UCS-4 files, and a
#     Kapittel in a foreign namespace each get a clear answer.
. "$(dirname "$0")/lib.sh"

NSURI=urn:no:helsedirektoratet:is-24-8:2
RSS_LIMIT=$((256 * 1024))              # KiB
if [ "${IS248_SANITIZE:-OFF}" = ON ]; then
    RSS_LIMIT=$((3 * RSS_LIMIT))       # the sanitizers' shadow memory
fi

run migrate
eq "migrate" "$rc" 0

# validate_rss FILE: is248 validate FILE under maxrss; sets rc, out, err, rss
validate_rss() {
    timeout -k 5 120 "$MAXRSS" "$WORK/rss" "$IS248" validate "$1" \
        >"$WORK/out" 2>"$WORK/err" </dev/null
    rc=$?
    out=$(cat "$WORK/out") err=$(cat "$WORK/err")
    rss=$(cat "$WORK/rss" 2>/dev/null || echo 999999999)
    printf '%-34s exit %s, %7d KiB\n' "$(basename "$1")" "$rc" "$rss"
}

# --- the encoding, decided on the whole file ---------------------------------
fixture="$SRC/fixtures/defects/xml/enc-v1-utf8-declared-latin1.xml"
pad="    <!-- $(head -c 90 /dev/zero | tr '\0' p) -->"
# v1_big NAME CODE NAME ANSWER: a version 1 report of about 85 MB declared
# ISO-8859-1, the unit's name near the start (line 7), 850 000 comment lines,
# then an answer of chapter 3 with the given bytes, past 64 MiB
v1_big() {
    { sed -e '/<svar>/q' -e "s|<nummer>1902<|<nummer>$2<|" \
          -e "s|<navn>Tromsø<|<navn>$3<|" "$fixture"
      yes "$pad" | head -n 850000
      printf '    <sporsmal id="3.2">%s</sporsmal>\n' "$4"
      printf '    <sporsmal id="7.1">1</sporsmal>\n  </svar>\n</kommunerapport>\n'
    } >"$WORK/$1"
}
v1_big utf8-85mb.xml 1902 'Tromsø' 'Årsverk ført under psykisk helsearbeid'
size=$(wc -c <"$WORK/utf8-85mb.xml")
ok "utf8-85mb.xml: more than 85 MB ($size bytes)" test "$size" -gt 85000000
validate_rss "$WORK/utf8-85mb.xml"
eq "utf8-85mb.xml: validate exits 0" "$rc" 0
contains "utf8-85mb.xml: validate warns of the encoding" "$out" \
    "warning: declared ISO-8859-1 but is UTF-8; read as UTF-8"
ok "utf8-85mb.xml: peak memory $rss KiB <= $RSS_LIMIT KiB" test "$rss" -le "$RSS_LIMIT"

# Bodø in UTF-8 near the start, "Årsverk ført" in ISO-8859-1 70 MB later
v1_big mixed-85mb.xml 1804 'Bodø' "$(printf '\xc5rsverk f\xf8rt')"
mixed_line=$(grep -n -a -m1 $'\xc5rsverk' "$WORK/mixed-85mb.xml" | cut -d: -f1)
why="mixed encodings: declared ISO-8859-1, read as UTF-8 after more than 64 MiB of UTF-8, but line $mixed_line is not UTF-8"
validate_rss "$WORK/mixed-85mb.xml"
eq "mixed-85mb.xml: validate exits 1" "$rc" 1
contains "mixed-85mb.xml: validate sets the file aside and says why" "$out" "file set aside: $why"
ok "mixed-85mb.xml: peak memory $rss KiB <= $RSS_LIMIT KiB" test "$rss" -le "$RSS_LIMIT"

mkdir -p "$WORK/enc"
mv "$WORK/utf8-85mb.xml" "$WORK/mixed-85mb.xml" "$WORK/enc/"
run import "$WORK/enc"
eq "import of both: exit 1 (one set aside)" "$rc" 1
eq "utf8-85mb.xml: Tromsø stored as Tromsø, and the answer 85 MB on" \
   "$(q "SELECT r.unit_name || '|' || a.text FROM is248.report r JOIN is248.answer a USING (report_id)
         WHERE r.year = 2017 AND r.unit_code = '1902' AND a.question = '3.2'")" \
   "Tromsø|Årsverk ført under psykisk helsearbeid"
eq "utf8-85mb.xml: the warning recorded" \
   "$(q "SELECT reason FROM is248.warning WHERE source LIKE '%/utf8-85mb.xml'")" \
   "declared ISO-8859-1 but is UTF-8; read as UTF-8"
eq "no mojibake anywhere" \
   "$(q "SELECT (SELECT count(*) FROM is248.report WHERE unit_name ~ '[ÃÂ]')
              + (SELECT count(*) FROM is248.answer WHERE text ~ '[ÃÂ]')")" 0
eq "mixed-85mb.xml: set aside whole, the reason recorded" \
   "$(q "SELECT level || '|' || reason FROM is248.rejection WHERE source LIKE '%/mixed-85mb.xml'")" \
   "file|$why"
contains "mixed-85mb.xml: stderr says so" "$err" "/mixed-85mb.xml': file set aside: $why"
eq "mixed-85mb.xml: no report of it in the database, its file recorded as rejected" \
   "$(q "SELECT count(*) FROM is248.report WHERE year = 2017 AND unit_code = '1804'")|$(
      q "SELECT outcome FROM is248.source_file WHERE source LIKE '%/mixed-85mb.xml'")" "0|rejected"
rm -rf "$WORK/enc"

# --- memory bounded per report ---------------------------------------------------
# big FILE CHAPTER LINES LINE [FINAL]: a version 2 report (2019, Bodø) whose
# Kapittel CHAPTER holds LINES lines of LINE, then the Kapittel FINAL
big() {
    { printf '<?xml version="1.0" encoding="UTF-8"?>\n<Rapport xmlns="%s" rapporteringsaar="2019">\n' "$NSURI"
      printf '<Innsending id="big" tidspunkt="2020-02-03T10:00:00+01:00"/>\n'
      printf '<Enhet type="kommune" nummer="1804" innbyggere="52000">Bodø</Enhet>\n<Kapittel nr="%s">\n' "$2"
      yes "$4" | head -n "$3"
      printf '</Kapittel>\n%s</Rapport>\n' "${5:-}"
    } >"$1"
}
answers_line='<Svar sporsmal="ARB_NAV_SAMARBEID" kode="1">Ja</Svar><Svar sporsmal="ARB_NAV_SAMHANDLING"/>'
# 5.5 million lines of two answers: 11 million answers, more than 500 000
big "$WORK/big-answers.xml" 21 5500000 "$answers_line"
validate_rss "$WORK/big-answers.xml"
ok "big-answers.xml: about 500 MB" test "$(wc -c <"$WORK/big-answers.xml")" -gt 500000000
eq "big-answers.xml: validate exits 1" "$rc" 1
contains "big-answers.xml: the report set aside, the limit named" "$out" \
    "report 1 (1804 2019): report set aside: more than 500000 answers in one report (line 250006)"
ok "big-answers.xml: peak memory $rss KiB <= $RSS_LIMIT KiB" test "$rss" -le "$RSS_LIMIT"
rm -f "$WORK/big-answers.xml"

# 500 000 answers of 1 000 characters: more than 64 MiB of values
kb=$(head -c 1000 /dev/zero | tr '\0' x)
big "$WORK/big-values.xml" 4 500000 "<Svar sporsmal=\"4.1\">$kb</Svar>"
validate_rss "$WORK/big-values.xml"
eq "big-values.xml: validate exits 1" "$rc" 1
contains "big-values.xml: the report set aside, the limit named" "$out" \
    "report 1 (1804 2019): report set aside: more than 67108864 bytes of values in one report (line 66914)"
ok "big-values.xml: peak memory $rss KiB <= $RSS_LIMIT KiB" test "$rss" -le "$RSS_LIMIT"
rm -f "$WORK/big-values.xml"

# 60 values of 1 000 000 bytes (60 MB, within the limits) among 420 MB of
# comments: the report loads, in validate and in import
mb=$(head -c 1000000 /dev/zero | tr '\0' v)
final='<Kapittel nr="21"><Svar sporsmal="ARB_NAV_SAMARBEID" kode="1">Ja</Svar></Kapittel>'
big "$WORK/big-loads.xml" 4 0 x "$final"
{ sed '/^<\/Kapittel>$/,$d' "$WORK/big-loads.xml"
  for i in $(seq 60); do printf '<Svar sporsmal="4.%d">%s</Svar>\n' "$i" "$mb"; done
  yes "<!-- $kb -->" | head -n 420000
  sed -n '/^<\/Kapittel>$/,$p' "$WORK/big-loads.xml"; } >"$WORK/big-loads.tmp"
mv "$WORK/big-loads.tmp" "$WORK/big-loads.xml"
ok "big-loads.xml: about 480 MB" test "$(wc -c <"$WORK/big-loads.xml")" -gt 480000000
validate_rss "$WORK/big-loads.xml"
eq "big-loads.xml: validate exits 0" "$rc" 0
ok "big-loads.xml: peak memory $rss KiB <= $RSS_LIMIT KiB (validate)" test "$rss" -le "$RSS_LIMIT"
mkdir -p "$WORK/big"
mv "$WORK/big-loads.xml" "$WORK/big/"
timeout -k 5 200 "$MAXRSS" "$WORK/rss" "$IS248" import "$WORK/big" >"$WORK/out" 2>"$WORK/err" </dev/null
rc=$? rss=$(cat "$WORK/rss" 2>/dev/null || echo 999999999)
printf '%-34s exit %s, %7d KiB\n' "big-loads.xml (import)" "$rc" "$rss"
eq "big-loads.xml: import exits 0" "$rc" 0
eq "big-loads.xml: its 61 answers loaded, 60 000 000 bytes of chapter 4" \
   "$(q "SELECT count(*) || '|' || sum(length(a.text)) FILTER (WHERE a.question LIKE '4.%')
         FROM is248.answer a JOIN is248.report r USING (report_id)
         WHERE r.year = 2019 AND r.unit_code = '1804'")" "61|60000000"
ok "big-loads.xml: peak memory $rss KiB <= $RSS_LIMIT KiB (import)" test "$rss" -le "$RSS_LIMIT"
rm -rf "$WORK/big"

# --- the weaker spots ---------------------------------------------------------------
d="$WORK/spots"
mkdir -p "$d"
: >"$d/empty.xml"
printf '<?xml version="1.0" encoding="UTF-8"?>\n<!-- nothing else -->\n' >"$d/no-element.xml"
doctype='<?xml version="1.0" encoding="%s"?>\n<!-- x -->\n<!DOCTYPE kommunerapport [\n<!ENTITY p SYSTEM "file:///etc/passwd">]>\n<kommunerapport><aargang>&p;</aargang></kommunerapport>\n'
# shellcheck disable=SC2059
printf "$doctype" IBM037 | iconv -f UTF-8 -t IBM037 >"$d/ebcdic.xml"
# shellcheck disable=SC2059
printf "$doctype" UCS-4 | iconv -f UTF-8 -t UCS-4BE >"$d/ucs4.xml"
# a whole Kapittel in a foreign namespace (line 5), beside the real one
{ printf '<?xml version="1.0" encoding="UTF-8"?>\n'
  printf '<Rapport xmlns="%s" xmlns:f="urn:example:other" rapporteringsaar="2019">\n' "$NSURI"
  printf '<Innsending id="f" tidspunkt="2020-02-03T10:00:00+01:00"/>\n'
  printf '<Enhet type="kommune" nummer="1805" innbyggere="21000">Narvik</Enhet>\n'
  printf '<f:Kapittel nr="21"><Svar sporsmal="ARB_NAV_SAMARBEID" kode="1">Ja</Svar></f:Kapittel>\n'
  printf '<Kapittel nr="21"><Svar sporsmal="ARB_NAV_SAMHANDLING" kode="4">God</Svar></Kapittel>\n'
  printf '</Rapport>\n'; } >"$d/foreign.xml"

run validate "$d"
eq "the weaker spots: validate exits 1" "$rc" 1
kap="'Kapittel' in namespace 'urn:example:other' ignored with everything inside it"
for want in "'$d/empty.xml'
  file set aside: empty file" \
  "'$d/no-element.xml'
  file set aside: not well-formed XML at line 3: no root element" \
  "'$d/ebcdic.xml'
  file set aside: encoded in EBCDIC: only UTF-8, ISO-8859-1 and UTF-16 are read" \
  "'$d/ucs4.xml'
  file set aside: encoded in UCS-4: only UTF-8, ISO-8859-1 and UTF-16 are read" \
  "'$d/foreign.xml'
  warning: $kap (line 5)"; do
    contains "validate: ${want%%$'\n'*}" "$out" "$want"
done

run import "$d"
eq "the weaker spots: import exits 1" "$rc" 1
eq "each file's rejection or warning, recorded" \
   "$(q "SELECT regexp_replace(source, '^.*/', '') || '|' || level || '|' || reason FROM is248.rejection
         WHERE source LIKE '$d/%'
         UNION ALL
         SELECT regexp_replace(source, '^.*/', '') || '|warning|' || reason FROM is248.warning
         WHERE source LIKE '$d/%' ORDER BY 1")" \
   "ebcdic.xml|file|encoded in EBCDIC: only UTF-8, ISO-8859-1 and UTF-16 are read
empty.xml|file|empty file
foreign.xml|warning|$kap
no-element.xml|file|not well-formed XML at line 3: no root element
ucs4.xml|file|encoded in UCS-4: only UTF-8, ISO-8859-1 and UTF-16 are read"
eq "foreign.xml: loads with the real Kapittel only" \
   "$(q "SELECT coalesce(nav_collab, '-') || '|' || coalesce(nav_rating, '-') FROM is248.report_current
         WHERE year = 2019 AND unit_code = '1805'")" "-|good"
finish
