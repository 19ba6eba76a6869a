#!/usr/bin/env bash
# Values that try to break out (issue 4): tabs, newlines, carriage returns,
# backslashes, COPY's end marker "\." on a line of its own, COPY's NULL
# marker "\N", quotes, SQL, printf formats, "\0"-like escapes, DEL, NEL,
# U+2028 and invisible characters (issue 11: U+200B, U+FEFF, U+00AD, a tag
# character, U+061C, U+2060, U+202E), in every text field a report can
# carry (unit name, submission id, chapter numbers, question ids, codes and
# free text of other chapters, Valg), in both report versions, and in the
# names of archive entries.
# Each must be stored literally: byte for byte what the XML means after XML
# decoding (compared as hex), and nothing else may happen: no other row, no
# message broken over lines, the same delivery again changes nothing.
. "$(dirname "$0")/lib.sh"
shopt -u patsub_replacement 2>/dev/null || true   # bash 5.2: '&' in ${x//a/b}

NSURI=urn:no:helsedirektoratet:is-24-8:2
# Tests that start together in a fresh cluster can race to create its
# cluster-wide roles in their first migration (one of them then fails with
# a duplicate key); a second try finds the roles made.
run migrate
eq "migrate" "$rc" 0

# The values, and how a reason or warning quotes each (§ the messages: one
# line, at most 60 characters, control characters, backslashes and
# invisible characters escaped: ingest/printable.h).
names=(tab newline cr crlf backslash copy-end quotes sql copy-null nul-escapes printf controls invisible)
vals=(
    $'tab\there'
    $'line\nbreak'
    $'carriage\rreturn'
    $'crlf\r\nend'
    'back\slash \\ \t \n'
    $'copy\n\\.\nend'
    $'it\'s "quoted" `here` &amp; <b>'
    "x'); drop table is248.report; --"
    '\N'
    '\0 \x00 \\0 \000'
    '%s%n%x%p %1$s'
    $'del\x7f nel\xc2\x85 ls\xe2\x80\xa8 end'
    $'J\xe2\x80\x8ba bom\xef\xbb\xbf shy\xc2\xad tag\xf3\xa0\x81\x81 alm\xd8\x9c wj\xe2\x81\xa0 rlo\xe2\x80\xae end'
)
quoted=(
    'tab\there'
    'line\nbreak'
    'carriage\rreturn'
    'crlf\r\nend'
    'back\\slash \\\\ \\t \\n'
    'copy\n\\.\nend'
    $'it\'s "quoted" `here` &amp; <b>'
    "x'); drop table is248.report; --"
    '\\N'
    '\\0 \\x00 \\\\0 \\000'
    '%s%n%x%p %1$s'
    'del\x7F nel\u0085 ls\u2028 end'
    'J\u200Ba bom\uFEFF shy\u00AD tag\U000E0041 alm\u061C wj\u2060 rlo\u202E end'
)

# xesc VALUE [ALL]: VALUE as XML character data or attribute value: the
# markup characters as entity references, tab, LF and CR as character
# references (so that neither line-end nor attribute-value normalization
# touches them); with ALL, everything outside ASCII too.
xesc() {
    printf '%s' "$1" | perl -e 'my $all = shift; local $/; my $s = <STDIN>; utf8::decode($s);
        my %e = ("&" => "&amp;", "<" => "&lt;", ">" => "&gt;", "\"" => "&quot;", "'\''" => "&apos;");
        $s =~ s/([&<>"'\''])/$e{$1}/g;
        $s =~ s/([\t\n\r])/sprintf("&#%d;", ord $1)/ge;
        $s =~ s/([^\x00-\x7f])/sprintf("&#x%X;", ord $1)/ge if $all;
        utf8::encode($s); print $s' "${2:-0}"
}
hexq() {  # SQL: a text column as hex, '-' for NULL
    echo "coalesce(encode(convert_to($1, 'UTF8'), 'hex'), '-')"
}
# answers YEAR CODE: seq|parent|chapter|question|code|text of a report, as hex
answers() {
    q "SELECT string_agg(concat_ws('|', a.seq, coalesce(a.parent_seq::text, '-'), $(hexq a.chapter),
              $(hexq a.question), $(hexq a.code), $(hexq a.text)), ',' ORDER BY a.seq)
       FROM is248.answer a JOIN is248.report r USING (report_id)
       WHERE r.year = $1 AND r.unit_code = '$2'"
}
report_row() {  # YEAR CODE: unit_name|submission_id as hex, nav_collab
    q "SELECT concat_ws('|', $(hexq unit_name), $(hexq submission_id), coalesce(nav_collab, '-'))
       FROM is248.report WHERE year = $1 AND unit_code = '$2'"
}
wrn_of() {  # YEAR CODE: the warnings of one report
    q "SELECT string_agg(reason, E'\n' ORDER BY warning_id) FROM is248.warning
       WHERE year = $1 AND unit_code = '$2'"
}

mapfile -t U19 < <(awk -F, '$1 == 2019 && $2 != "0301" { print $2 "," $3 }' "$SRC/sql/reference/municipalities_by_year.csv")
mapfile -t U17 < <(awk -F, '$1 == 2017 && $2 != "0301" { print $2 "," $3 }' "$SRC/sql/reference/municipalities_by_year.csv")

# --- one delivery: every value in every field of both versions --------------
d="$WORK/values"
mkdir -p "$d"
n=${#vals[@]}
{ printf '<?xml version="1.0" encoding="UTF-8"?>\n<Rapporter xmlns="%s">\n' "$NSURI"
  for ((k = 0; k < n; k++)); do
      x=$(xesc "${vals[k]}")
      printf '<Rapport rapporteringsaar="2019">\n'
      printf '  <Innsending id="%s" tidspunkt="2020-02-03T10:00:00+01:00"/>\n' "$x"
      printf '  <Enhet type="kommune" nummer="%s" innbyggere="5000">%s</Enhet>\n' "${U19[k]%%,*}" "$x"
      printf '  <Kapittel nr="21">\n    <Svar sporsmal="ARB_NAV_SAMARBEID" kode="1">Ja</Svar>\n  </Kapittel>\n'
      printf '  <Kapittel nr="%s">\n    <Svar sporsmal="%s" kode="%s">%s</Svar>\n' "$x" "$x" "$x" "$x"
      printf '    <Svar sporsmal="4.2"><Valg kode="%s">%s</Valg></Svar>\n  </Kapittel>\n</Rapport>\n' "$x" "$x"
  done
  printf '</Rapporter>\n'; } >"$d/county-2019.xml"
for ((k = 0; k < n; k++)); do
    x=$(xesc "${vals[k]}" all)
    { printf '<?xml version="1.0" encoding="ISO-8859-1"?>\n<kommunerapport skjema="IS-24/8" versjon="1">\n'
      printf '  <aargang>2017</aargang>\n  <innsendt>2018-02-26T09:00:00</innsendt>\n'
      printf '  <enhet type="kommune"><nummer>%s</nummer><navn>%s</navn></enhet>\n' "${U17[k]%%,*}" "$x"
      printf '  <svar>\n    <sporsmal id="7.1">1</sporsmal>\n    <sporsmal id="%s">%s</sporsmal>\n  </svar>\n' "$x" "$x"
      printf '</kommunerapport>\n'; } >"$d/v1-${names[k]}.xml"
done
# White space around a value: not content of a unit name or submission id
# (§4, trimmed), but kept in answers as given.
pad=$' \t padded \r\n'
kp=$n
x=$(xesc "$pad")
{ printf '<?xml version="1.0" encoding="UTF-8"?>\n<Rapport xmlns="%s" rapporteringsaar="2019">\n' "$NSURI"
  printf '  <Innsending id="%s" tidspunkt="2020-02-03T10:00:00+01:00"/>\n' "$x"
  printf '  <Enhet type="kommune" nummer="%s" innbyggere="5000">%s</Enhet>\n' "${U19[kp]%%,*}" "$x"
  printf '  <Kapittel nr="21">\n    <Svar sporsmal="ARB_NAV_SAMARBEID" kode="1">Ja</Svar>\n  </Kapittel>\n'
  printf '  <Kapittel nr="4">\n    <Svar sporsmal="4.2" kode="%s">%s</Svar>\n  </Kapittel>\n</Rapport>\n' "$x" "$x"
} >"$d/padded.xml"
# Literal tab, LF, CRLF and lone CR, not references: XML itself reads CRLF
# and a lone CR as LF (2.11), and in an attribute value every tab and line
# end as a space (3.3.3).  What is stored is what the XML means.
kl=$((n + 1))
{ printf '<?xml version="1.0" encoding="UTF-8"?>\n<Rapport xmlns="%s" rapporteringsaar="2019">\n' "$NSURI"
  printf '  <Innsending id="lit" tidspunkt="2020-02-03T10:00:00+01:00"/>\n'
  printf '  <Enhet type="kommune" nummer="%s" innbyggere="5000">lit\teral\r\nname\rend</Enhet>\n' "${U19[kl]%%,*}"
  printf '  <Kapittel nr="21">\n    <Svar sporsmal="ARB_NAV_SAMARBEID" kode="1">Ja</Svar>\n  </Kapittel>\n'
  printf '  <Kapittel nr="4">\n    <Svar sporsmal="a\tb\r\nc\nd" kode="k\tv">x\ty\r\nz\rw</Svar>\n  </Kapittel>\n</Rapport>\n'
} >"$d/literal.xml"
ok "literal.xml holds a CR LF, a lone CR and tabs" grep -q $'\r\nname\rend' "$d/literal.xml"

run import "$d"
eq "values: exit 0 (only warnings: the unit names are not the reference names)" "$rc" 0
first_err=$err

for ((k = 0; k < n; k++)); do
    v=${vals[k]} h=$(hex "${vals[k]}") c19=${U19[k]%%,*} c17=${U17[k]%%,*}
    eq "${names[k]}, v2: unit name and submission id stored literally" "$(report_row 2019 "$c19")" "$h|$h|yes"
    eq "${names[k]}, v2: chapter, question, code, text and Valg stored literally" "$(answers 2019 "$c19")" \
       "0|-|$(hex 21)|$(hex ARB_NAV_SAMARBEID)|$(hex 1)|$(hex Ja),1|-|$h|$h|$h|$h,2|-|$h|$(hex 4.2)|-|-,3|2|$h|$(hex 4.2)|$h|$h"
    eq "${names[k]}, v2: the warning quotes it escaped, on one line" "$(wrn_of 2019 "$c19")" \
       "unit name '${quoted[k]}' differs from the reference name '${U19[k]#*,}' for $c19 in 2019"
    eq "${names[k]}, v1: unit name stored literally" "$(report_row 2017 "$c17")" "$h|-|yes"
    eq "${names[k]}, v1: question id and text stored literally" "$(answers 2017 "$c17")" \
       "0|-|-|$(hex 7.1)|-|$(hex 1),1|-|-|$h|-|$h"
    eq "${names[k]}, v1: the warning" "$(wrn_of 2017 "$c17")" \
       "unit name '${quoted[k]}' differs from the reference name '${U17[k]#*,}' for $c17 in 2017"
done
cp=${U19[kp]%%,*}
eq "padded: unit name and submission id trimmed (§4)" "$(report_row 2019 "$cp")" "$(hex padded)|$(hex padded)|yes"
eq "padded: code and text of an answer kept with their white space" "$(answers 2019 "$cp")" \
   "0|-|$(hex 21)|$(hex ARB_NAV_SAMARBEID)|$(hex 1)|$(hex Ja),1|-|$(hex 4)|$(hex 4.2)|$(hex "$pad")|$(hex "$pad")"
cl=${U19[kl]%%,*}
eq "literal: the unit name as XML reads it (CR LF and CR are LF)" "$(report_row 2019 "$cl")" \
   "$(hex $'lit\teral\nname\nend')|$(hex lit)|yes"
eq "literal: attribute values normalized (tab and line ends are spaces), text as XML reads it" \
   "$(answers 2019 "$cl")" \
   "0|-|$(hex 21)|$(hex ARB_NAV_SAMARBEID)|$(hex 1)|$(hex Ja),1|-|$(hex 4)|$(hex 'a b c d')|$(hex 'k v')|$(hex $'x\ty\nz\nw')"
eq "literal: the warning" "$(wrn_of 2019 "$cl")" \
   "unit name 'lit\\teral\\nname\\nend' differs from the reference name '${U19[kl]#*,}' for $cl in 2019"

# nothing else happened
eq "values: exactly the reports given" \
   "$(q "SELECT count(*) FILTER (WHERE version = 2) || '/' || count(*) FILTER (WHERE version = 1) FROM is248.report")" \
   "$((n + 2))/$n"
eq "values: nothing set aside, one warning per report" \
   "$(q "SELECT (SELECT count(*) FROM is248.rejection) || '/' || (SELECT count(*) FROM is248.warning)")" "0/$((2 * n + 2))"
eq "values: the schema's tables are all there" \
   "$(q "SELECT count(*) FROM pg_class WHERE relnamespace = 'is248'::regnamespace
         AND relname IN ('report', 'answer', 'rejection', 'warning', 'source_file', 'import_run', 'skipped_entry', 'stage')")" 8
eq "values: every line on stderr is a message of is248's (no value broke a line)" \
   "$(printf '%s\n' "$first_err" | grep -v -c '^is248: ')" 0
eq "values: no tab or carriage return reached stderr" "$(printf '%s' "$first_err" | tr -cd '\t\r' | wc -c)" 0
before=$(q "SELECT (SELECT count(*) FROM is248.report) || '/' || (SELECT count(*) FROM is248.answer) || '/' || (SELECT count(*) FROM is248.warning)")
run import "$d"
eq "values again: exit 0" "$rc" 0
eq "values again: every file already loaded" \
   "$(q "SELECT files_already || '/' || files_loaded FROM is248.import_run ORDER BY run_id DESC LIMIT 1")" "$((n + 3))/0"
eq "values again: nothing changed" \
   "$(q "SELECT (SELECT count(*) FROM is248.report) || '/' || (SELECT count(*) FROM is248.answer) || '/' || (SELECT count(*) FROM is248.warning)")" "$before"

# --- values that set something aside: the reason quotes them escaped -----------
r="$WORK/rejected"
mkdir -p "$r"
v2file() {  # v2file FILE CODE TYPE POPULATION WORK-ANSWERS
    { printf '<?xml version="1.0" encoding="UTF-8"?>\n<Rapport xmlns="%s" rapporteringsaar="2019">\n' "$NSURI"
      printf '  <Innsending id="r-%s" tidspunkt="2020-02-04T10:00:00+01:00"/>\n' "$2"
      printf '  <Enhet type="%s" nummer="%s" innbyggere="%s">%s</Enhet>\n' "$3" "$2" "$4" "$6"
      printf '  <Kapittel nr="21">\n%s\n  </Kapittel>\n</Rapport>\n' "$5"; } >"$r/$1"
}
ks=7 kq=6 kt=0 kn=8 ke=5
u=$((n + 2)); IFS=, read -r ct nt <<<"${U19[u]}"
v2file unit-type.xml "$ct" "$(xesc "${vals[ks]}")" 5000 '    <Svar sporsmal="ARB_NAV_SAMARBEID" kode="1">Ja</Svar>' "$nt"
u=$((u + 1)); IFS=, read -r cpop npop <<<"${U19[u]}"
v2file population.xml "$cpop" kommune "$(xesc "${vals[kt]}")" '    <Svar sporsmal="ARB_NAV_SAMARBEID" kode="1">Ja</Svar>' "$npop"
u=$((u + 1)); IFS=, read -r cw nw <<<"${U19[u]}"
v2file work-answers.xml "$cw" kommune 5000 "    <Svar sporsmal=\"ARB_NAV_SAMARBEID\" kode=\"1\">Ja</Svar>
    <Svar sporsmal=\"ARB_NAV_SAMHANDLING\">$(xesc "${vals[kq]}")</Svar>
    <Svar sporsmal=\"ARB_NAV_SAMARBEID_SPES\" kode=\"$(xesc "${vals[kn]}")\"/>" "$nw"
IFS=, read -r cy ny <<<"${U17[n]}"
{ printf '<?xml version="1.0" encoding="ISO-8859-1"?>\n<kommunerapport skjema="IS-24/8" versjon="1">\n'
  printf '  <aargang>%s</aargang>\n  <innsendt>2018-02-26T09:00:00</innsendt>\n' "$(xesc "${vals[ke]}" all)"
  printf '  <enhet type="kommune"><nummer>%s</nummer><navn>%s</navn></enhet>\n' "$cy" "$ny"
  printf '  <svar><sporsmal id="7.1">1</sporsmal></svar>\n</kommunerapport>\n'; } >"$r/year.xml"

run import "$r"
eq "rejected: exit 1" "$rc" 1
eq "rejected: the rows of is248.rejection, each value quoted escaped" \
   "$(q "SELECT concat_ws('|', regexp_replace(source, '^.*/', ''), level, coalesce(year::text, '-'),
              coalesce(unit_code, '-'), coalesce(question, '-'), reason)
         FROM is248.rejection ORDER BY 1, question")" \
"population.xml|answer|2019|$cpop|innbyggere|malformed population '${quoted[kt]}'
unit-type.xml|report|2019|$ct|-|unknown unit type '${quoted[ks]}'
work-answers.xml|answer|2019|$cw|ARB_NAV_SAMARBEID_SPES|unknown code '${quoted[kn]}' for nav_collab_specialist (version 2 codes: 1, 2, 3)
work-answers.xml|answer|2019|$cw|ARB_NAV_SAMHANDLING|unknown label '${quoted[kq]}'
year.xml|report|-|$cy|-|malformed reporting year '${quoted[ke]}'"
contains "rejected: stderr, the unit type" "$err" "report set aside: unknown unit type '${quoted[ks]}'"
contains "rejected: stderr, the year" "$err" "report set aside: malformed reporting year '${quoted[ke]}'"
eq "rejected: every line on stderr is a message of is248's" "$(printf '%s\n' "$err" | grep -v -c '^is248: ')" 0
eq "rejected: the reports with a faulty answer loaded, the raw answers literally" \
   "$(report_row 2019 "$cpop")/$(answers 2019 "$cw" | cut -d, -f2-3)" \
   "$(hex "$npop")|$(hex "r-$cpop")|yes/1|-|$(hex 21)|$(hex ARB_NAV_SAMHANDLING)|-|$(hex "${vals[kq]}"),2|-|$(hex 21)|$(hex ARB_NAV_SAMARBEID_SPES)|$(hex "${vals[kn]}")|-"
eq "rejected: the reports set aside did not load" \
   "$(q "SELECT count(*) FROM is248.report r JOIN is248.source_file f USING (file_id)
         WHERE f.source LIKE '%/unit-type.xml' OR f.source LIKE '%/year.xml'")" 0
eq "rejected: the table is248.report is still there, with every report" \
   "$(q "SELECT count(*) FROM is248.report")" "$((2 * n + 2 + 2))"

# --- entry names ----------------------------------------------------------------
# Names of entries are labels for messages only (§1), escaped as values in
# reasons are (ingest/printable.h): \t \n \r \\, other controls and bytes
# outside UTF-8 as \xHH, everything else as it stands.
t="$WORK/names"
mkdir -p "$t/dir"
entry_names=($'tab\there.xml' $'new\nline.xml' $'cr\rname.xml' 'back\slash.xml'
             "q'uote\"; drop table is248.report; --.xml" '\N.xml' $'end\n\\.\n.xml' '%s%n.xml')
labels=('tab\there.xml' 'new\nline.xml' 'cr\rname.xml' 'back\\slash.xml'
        "q'uote\"; drop table is248.report; --.xml" '\\N.xml' 'end\n\\.\n.xml' '%s%n.xml')
u=$((n + 6))
want_entries=""
for ((k = 0; k < ${#entry_names[@]}; k++)); do
    IFS=, read -r ce ne <<<"${U19[u + k]}"
    { printf '<?xml version="1.0" encoding="UTF-8"?>\n<Rapport xmlns="%s" rapporteringsaar="2019">\n' "$NSURI"
      printf '  <Innsending id="e-%s" tidspunkt="2020-02-05T10:00:00+01:00"/>\n' "$ce"
      printf '  <Enhet type="kommune" nummer="%s" innbyggere="5000">%s</Enhet>\n' "$ce" "$ne"
      printf '  <Kapittel nr="21">\n    <Svar sporsmal="ARB_NAV_SAMARBEID" kode="1">Ja</Svar>\n  </Kapittel>\n</Rapport>\n'
    } >"$t/dir/${entry_names[k]}"
    want_entries+="dir/${labels[k]}|$ce|$ne"$'\n'
done
(cd "$t" && bsdtar -cf "$WORK/names.tar" dir)
run import "$WORK/names.tar"
eq "names: exit 0" "$rc" 0
eq "names: every entry loaded, recorded under its label" \
   "$(q "SELECT f.entry || '|' || r.unit_code || '|' || r.unit_name FROM is248.source_file f
         JOIN is248.report r USING (file_id) WHERE f.source LIKE '%/names.tar' ORDER BY r.unit_code")" \
   "$(printf '%s' "$want_entries" | sort -t'|' -k2,2)"
eq "names: every line on stderr is a message of is248's" "$(printf '%s\n' "$err" | grep -v -c '^is248: ')" 0
eq "names: no tab or carriage return reached stderr" "$(printf '%s' "$err" | tr -cd '\t\r' | wc -c)" 0
eq "names: nothing set aside or warned" \
   "$(q "SELECT count(*) FROM is248.rejection WHERE source LIKE '%/names.tar'")/$(q "SELECT count(*) FROM is248.warning WHERE source LIKE '%/names.tar'")" "0/0"
finish
