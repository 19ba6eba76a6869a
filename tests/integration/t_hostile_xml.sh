#!/usr/bin/env bash
# Hostile XML (issue 4): external entities and DTDs, entity expansion bombs,
# deep nesting, huge text nodes, huge names, invalid UTF-8 late in a county
# file, UTF-16, start tags with very many attributes, and reports of very
# many empty answers.  Every hostile file is generated here, into $WORK, and
# loaded as a delivery of its own beside a good report of another unit; for
# each the exact outcome: the exit code, the message on stderr, the row in
# is248.rejection (level and reason), that the good report beside it loaded,
# that nothing crashed, and that time (timeout) and peak memory (maxrss)
# stayed bounded.
#
# No file is read and no connection made for an external entity: the
# entities point at a FIFO (opening it for reading would block until the
# time-out) and at a listener on 127.0.0.1 (perl, which Debian always has)
# that logs every connection; after all the cases it must have seen only
# the probe this script sends it itself.
. "$(dirname "$0")/lib.sh"

NSURI=urn:no:helsedirektoratet:is-24-8:2
DECL='<?xml version="1.0" encoding="UTF-8"?>'
TIME_LIMIT=60             # seconds for one delivery of one hostile file
MB20=20000000             # "a 20 MB node"
BIG=100000                # nesting depth, entity references, attributes

# Tests that start together in a fresh cluster can race to create its
# cluster-wide roles in their first migration (one of them then fails with
# a duplicate key); a second try finds the roles made.
run migrate
eq "migrate" "$rc" 0

# --- units ------------------------------------------------------------------
# The municipalities of 2019 as code,name (from the reference data): the
# county file with invalid UTF-8 uses the first 300, every case's good report
# a unit of its own after them.
mapfile -t UNITS < <(awk -F, '$1 == 2019 && $2 != "0301" { print $2 "," $3 }' \
    "$SRC/sql/reference/municipalities_by_year.csv")
unit_i=300
next_unit() {  # sets ucode, uname
    IFS=, read -r ucode uname <<<"${UNITS[unit_i]}"
    unit_i=$((unit_i + 1))
}

# report_2019 CODE NAME [BODY [EXTRA-ATTRS]]: a version 2 report for 2019
# (no XML declaration, no namespace prefix); BODY goes inside a Kapittel
# nr="4".
report_2019() {
    printf '<Rapport xmlns="%s" rapporteringsaar="2019"%s>\n' "$NSURI" "${4:-}"
    printf '  <Innsending id="h-%s" tidspunkt="2020-02-03T10:00:00+01:00"/>\n' "$1"
    printf '  <Enhet type="kommune" nummer="%s" innbyggere="5000">%s</Enhet>\n' "$1" "$2"
    printf '  <Kapittel nr="21">\n    <Svar sporsmal="ARB_NAV_SAMARBEID" kode="1">Ja</Svar>\n  </Kapittel>\n'
    if [ -n "${3:-}" ]; then printf '  <Kapittel nr="4">\n%s\n  </Kapittel>\n' "$3"; fi
    printf '</Rapport>\n'
}

# new_case NAME: a delivery directory $c of its own with a good report of a
# unit of its own in it; the hostile file is to be written to $c/NAME.xml,
# its reports (if any) for another unit: ucode, uname.
declare -A good_code good_name
new_case() {
    c="$WORK/cases/$1"
    mkdir -p "$c"
    next_unit
    good_code[$1]=$ucode good_name[$1]=$uname
    { echo "$DECL"; report_2019 "$ucode" "$uname"; } >"$c/good-$ucode.xml"
    next_unit
}

# attack NAME: import the delivery of case NAME in bounded time, measuring
# its peak memory; sets rc, out, err, rss (KiB).
attack() {
    local t0=$EPOCHREALTIME
    timeout -k 5 "$TIME_LIMIT" "$MAXRSS" "$WORK/rss" "$IS248" import "$WORK/cases/$1" \
        >"$WORK/out" 2>"$WORK/err" </dev/null
    rc=$?
    out=$(cat "$WORK/out") err=$(cat "$WORK/err")
    rss=$(cat "$WORK/rss" 2>/dev/null || echo 999999999)
    rm -f "$WORK/rss"
    printf '%-24s exit %s, %5.1f s, %6d KiB\n' "$1" "$rc" \
        "$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')" "$rss"
}


# rest_loaded NAME: the good report of the case's delivery loaded
rest_loaded() {
    eq "$1: the rest of the delivery (${good_code[$1]}) loaded" \
       "$(current_name 2019 "${good_code[$1]}")" "${good_name[$1]}|yes"
}
# set_aside NAME REASON: run case NAME; its hostile file must be set aside
# whole with REASON and everything else must have loaded.
set_aside() {
    attack "$1"
    eq "$1: exit 1 (something set aside)" "$rc" 1
    contains "$1: stderr says the file is set aside and why" "$err" "/$1.xml': file set aside: $2"
    eq "$1: is248.rejection: level file, the reason" "$(rej_file "$1.xml")" "file|-|-|-|$2"
    eq "$1: the file is recorded as rejected" \
       "$(q "SELECT outcome FROM is248.source_file WHERE source LIKE '%/$1.xml'")" rejected
    rest_loaded "$1"
    bounded "$1" "$limit"
}
# loads NAME: run case NAME; everything must load (exit 0).  Its report is
# for 2019 and the unit ucode, or as $loaded_as says (YEAR:CODE).
meant=()
loads() {
    meant+=("${loaded_as:-2019:$ucode}")
    attack "$1"
    eq "$1: exit 0" "$rc" 0
    eq "$1: nothing set aside" "$(rej_file "$1.xml")" ""
    eq "$1: the file is recorded as loaded" \
       "$(q "SELECT outcome FROM is248.source_file WHERE source LIKE '%/$1.xml'")" loaded
    rest_loaded "$1"
    bounded "$1" "$limit"
}
line_of() { grep -n -m1 -F -- "$2" "$1" | cut -d: -f1; }   # line_of FILE TEXT

# --- the memory limit ---------------------------------------------------------
# What a delivery of one good report costs this build (a sanitizer build costs
# more); every hostile case may cost at most 100 MiB more (five times the
# 20 MB of the largest node) and never 400 MiB.
new_case baseline
attack baseline
eq "baseline: a good report loads" "$rc" 0
limit=$((rss + 100 * 1024))
[ "$limit" -gt $((400 * 1024)) ] && limit=$((400 * 1024))
ok "baseline: peak memory $rss KiB leaves room below 400 MiB" test "$rss" -lt $((300 * 1024))

# --- a FIFO and a listener: proof that nothing is read or fetched -----------
secret="$WORK/secret"
mkdir -p "$secret"
mkfifo "$secret/xxe.fifo"
timeout 2 cat "$secret/xxe.fifo" >/dev/null 2>&1
eq "control: reading the FIFO blocks (time-out)" "$?" 124
listen_log="$WORK/listener.log"
: >"$listen_log"
timeout 280 perl -MIO::Socket::INET -e '
    my $s = IO::Socket::INET->new(Listen => 16, LocalAddr => "127.0.0.1",
                                  LocalPort => 0, Proto => "tcp", ReuseAddr => 1)
        or die "listen: $!";
    open(my $pf, ">", "$ARGV[0].tmp") or die; print $pf $s->sockport, "\n"; close $pf;
    rename("$ARGV[0].tmp", $ARGV[0]);
    open(my $log, ">>", $ARGV[1]) or die; $log->autoflush(1);
    while (my $c = $s->accept) {
        $c->autoflush(1);
        my $line = <$c>; $line = "(nothing)" unless defined $line; $line =~ s/\r?\n\z//;
        print $log "$line\n"; close $c;
    }' "$WORK/port" "$listen_log" &
listener=$!
trap 'kill $listener 2>/dev/null' EXIT
for _ in $(seq 100); do [ -s "$WORK/port" ] && break; sleep 0.05; done
port=$(cat "$WORK/port" 2>/dev/null)
ok "the listener on 127.0.0.1 is up (port ${port:-none})" test -n "$port"
URL="http://127.0.0.1:${port:-9}"
FIFO="file://$secret/xxe.fifo"

# --- external entities and DTDs -----------------------------------------------
# Every DOCTYPE is refused (§8: the form never uses one) when the watcher of
# the bytes meets "<!DOCTYPE", before libxml2 is given a byte of it.
new_case xxe-passwd
{ echo "$DECL"
  printf '<!DOCTYPE Rapport [\n  <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'
  report_2019 "$ucode" '&xxe;' '    <Svar sporsmal="4.2">&xxe;</Svar>'; } >"$c/xxe-passwd.xml"
set_aside xxe-passwd "DOCTYPE declarations are not allowed (line 2)"

new_case xxe-fifo
{ echo "$DECL"; echo '<!-- a comment -->'; echo '<?fagsystem versjon="1"?>'
  printf '<!DOCTYPE Rapport [\n  <!ENTITY xxe SYSTEM "%s">\n]>\n' "$FIFO"
  report_2019 "$ucode" '&xxe;'; } >"$c/xxe-fifo.xml"
set_aside xxe-fifo "DOCTYPE declarations are not allowed (line 4)"

new_case xxe-http
{ echo "$DECL"
  printf '<!DOCTYPE Rapport [\n  <!ENTITY xxe SYSTEM "%s/xxe-http">\n]>\n' "$URL"
  report_2019 "$ucode" "$uname" '    <Svar sporsmal="4.2">&xxe;</Svar>'; } >"$c/xxe-http.xml"
set_aside xxe-http "DOCTYPE declarations are not allowed (line 2)"

new_case dtd-external
{ echo "$DECL"; echo
  printf '<!DOCTYPE Rapport SYSTEM "%s/dtd-external.dtd">\n' "$URL"
  report_2019 "$ucode" "$uname"; } >"$c/dtd-external.xml"
set_aside dtd-external "DOCTYPE declarations are not allowed (line 3)"

new_case parameter-entities
{ echo "$DECL"
  printf '<!DOCTYPE Rapport [\n'
  printf '  <!ENTITY %% remote SYSTEM "%s/parameter-entity">\n  %%remote;\n' "$URL"
  printf '  <!ENTITY %% local SYSTEM "%s">\n  %%local;\n' "$FIFO"
  printf '  <!ENTITY %% inner "<!ENTITY name SYSTEM '"'"'%s/inner'"'"'>">\n  %%inner;\n]>\n' "$URL"
  report_2019 "$ucode" '&name;'; } >"$c/parameter-entities.xml"
set_aside parameter-entities "DOCTYPE declarations are not allowed (line 2)"

# An internal subset that would supply the unit code as a default attribute
# and the answer as an entity.
new_case internal-subset
{ echo "$DECL"
  printf '<!DOCTYPE Rapport [\n  <!ATTLIST Enhet nummer CDATA "%s">\n  <!ENTITY ja "Ja">\n]>\n' "$ucode"
  report_2019 "" "$uname" | sed 's/ nummer=""//; s/>Ja</>\&ja;</'; } >"$c/internal-subset.xml"
set_aside internal-subset "DOCTYPE declarations are not allowed (line 2)"

# The same in UTF-16 (little-endian, with a byte order mark): the watcher
# reads UTF-16 too, so the DOCTYPE is refused just as early, line and all.
new_case xxe-utf16
{ echo '<?xml version="1.0" encoding="UTF-16"?>'; echo '<!-- UTF-16 -->'
  printf '<!DOCTYPE Rapport [\n  <!ENTITY a SYSTEM "%s/xxe-utf16">\n  <!ENTITY b SYSTEM "%s">\n]>\n' "$URL" "$FIFO"
  report_2019 "$ucode" '&a;&b;'; } >"$WORK/xxe-utf16.utf8"
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$WORK/xxe-utf16.utf8"; } >"$c/xxe-utf16.xml"
set_aside xxe-utf16 "DOCTYPE declarations are not allowed (line 3)"

# Without a DOCTYPE: XInclude, a stylesheet PI and a schema location point
# outside.  None of them means anything to is248: the report loads as it
# stands and nothing is fetched or read.
new_case xinclude
{ echo "$DECL"
  printf '<?xml-stylesheet type="text/xsl" href="%s/style.xsl"?>\n' "$URL"
  report_2019 "$ucode" "$uname" "    <xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"$URL/xinclude\" parse=\"text\"/>
    <xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"$FIFO\" parse=\"text\"/>
    <Svar sporsmal=\"4.2\">fritekst</Svar>" \
    " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"$NSURI $URL/schema.xsd\""
} >"$c/xinclude.xml"
loads xinclude
eq "xinclude: the report loads as it stands" "$(current_name 2019 "$ucode")" "$uname|yes"
eq "xinclude: its answers are the two Svar, nothing included" \
   "$(q "SELECT string_agg(a.question || '=' || coalesce(a.text, 'NULL'), ',' ORDER BY a.seq)
         FROM is248.answer a JOIN is248.report r USING (report_id)
         WHERE r.year = 2019 AND r.unit_code = '$ucode'")" "ARB_NAV_SAMARBEID=Ja,4.2=fritekst"

# --- entity expansion bombs -----------------------------------------------------
lol() {  # the classic: ten levels of ten references, 10^9 'lol's
    printf '<!DOCTYPE Rapport [\n  <!ENTITY lol "lol">\n'
    local prev=lol
    for i in 1 2 3 4 5 6 7 8 9; do
        printf '  <!ENTITY lol%d "%s">\n' "$i" "$(for _ in 1 2 3 4 5 6 7 8 9 10; do printf '&%s;' "$prev"; done)"
        prev=lol$i
    done
    printf ']>\n'
}
new_case billion-laughs
{ echo "$DECL"; lol; report_2019 "$ucode" '&lol9;' '    <Svar sporsmal="4.2">&lol9;</Svar>' ' ukjent="&lol9;"'; } \
    >"$c/billion-laughs.xml"
set_aside billion-laughs "DOCTYPE declarations are not allowed (line 2)"

new_case billion-laughs-utf16
{ echo '<?xml version="1.0" encoding="UTF-16"?>'; lol; report_2019 "$ucode" '&lol9;' '' ' ukjent="&lol9;"'; } \
    >"$WORK/lol16.utf8"
{ printf '\xfe\xff'; iconv -f UTF-8 -t UTF-16BE "$WORK/lol16.utf8"; } >"$c/billion-laughs-utf16.xml"
set_aside billion-laughs-utf16 "DOCTYPE declarations are not allowed (line 2)"

# Quadratic blow-up: one entity of 100 000 characters referenced 100 000
# times (10^10 characters if expanded), in text and in an attribute.
quadratic() {
    printf '<!DOCTYPE Rapport [\n  <!ENTITY big "'; head -c "$BIG" /dev/zero | tr '\0' a; printf '">\n]>\n'
    local refs; refs=$(awk -v n="$BIG" 'BEGIN { for (i = 0; i < n; i++) printf "&big;" }')
    report_2019 "$ucode" "$uname" "    <Svar sporsmal=\"4.2\">$refs</Svar>" " ukjent=\"$refs\""
}
new_case quadratic
{ echo "$DECL"; quadratic; } >"$c/quadratic.xml"
set_aside quadratic "DOCTYPE declarations are not allowed (line 2)"
new_case quadratic-utf16
{ echo '<?xml version="1.0" encoding="UTF-16"?>'; quadratic; } >"$WORK/quad16.utf8"
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$WORK/quad16.utf8"; } >"$c/quadratic-utf16.xml"
set_aside quadratic-utf16 "DOCTYPE declarations are not allowed (line 2)"

# --- nesting 100 000 deep -------------------------------------------------------
# libxml2 allows 256 levels (without XML_PARSE_HUGE, which is248 never sets);
# the opening tags stand on one line, so that is the line named.
nest() { awk -v n="$BIG" -v t="$1" 'BEGIN { for (i = 0; i < n; i++) printf "%s", t; printf "\n" }'; }
new_case deep-in-report
{ echo "$DECL"; report_2019 "$ucode" "$uname" "$(nest '<a>')
$(nest '</a>')"; } >"$c/deep-in-report.xml"
set_aside deep-in-report "elements nested more than 256 deep at line $(line_of "$c/deep-in-report.xml" '<a><a>')"

# at the top: between two reports of a county file (Rapporter inside
# Rapporter), and as the document itself
new_case deep-between-reports
u1=$ucode n1=$uname; next_unit; u2=$ucode n2=$uname
{ echo "$DECL"; echo "<Rapporter xmlns=\"$NSURI\">"
  report_2019 "$u1" "$n1" | sed "s| xmlns=\"$NSURI\"||"
  nest '<Rapporter>'; nest '</Rapporter>'
  report_2019 "$u2" "$n2" | sed "s| xmlns=\"$NSURI\"||"
  echo '</Rapporter>'; } >"$c/deep-between-reports.xml"
set_aside deep-between-reports \
    "elements nested more than 256 deep at line $(line_of "$c/deep-between-reports.xml" '<Rapporter><Rapporter>')"
eq "deep-between-reports: neither report of the file loaded (one file, one transaction)" \
   "$(q "SELECT count(*) FROM is248.report WHERE unit_code IN ('$u1', '$u2')")" 0

new_case deep-root
{ echo "$DECL"; nest '<a>'; nest '</a>'; } >"$c/deep-root.xml"
set_aside deep-root "not an IS-24/8 report: root element 'a'"

# --- 20 MB text nodes -------------------------------------------------------------
# Text between two tags may be up to 10 000 000 bytes (libxml2's limit, which
# is248's handlers keep); in a value, is248's own cap of 1 MiB a value is met
# first.  The 20 MB stand on one line.
xs() { head -c "$1" /dev/zero | tr '\0' x; }
new_case text-20mb-answer
report_2019 "$ucode" "$uname" '    <Svar sporsmal="4.2">@BIG@</Svar>' >"$WORK/text-20mb-answer.in"
big_line=$(grep -F @BIG@ "$WORK/text-20mb-answer.in")
{ echo "$DECL"; sed '/@BIG@/,$d' "$WORK/text-20mb-answer.in"
  printf '%s' "${big_line%%@BIG@*}"; xs "$MB20"; printf '%s\n' "${big_line#*@BIG@}"
  sed '1,/@BIG@/d' "$WORK/text-20mb-answer.in"; } >"$c/text-20mb-answer.xml"
ok "text-20mb-answer: the file holds 20 MB of text" test "$(wc -c <"$c/text-20mb-answer.xml")" -gt "$MB20"
set_aside text-20mb-answer "value longer than 1048576 bytes at line $(line_of "$c/text-20mb-answer.xml" '<Svar sporsmal="4.2">')"

new_case text-20mb-free
{ echo "$DECL"; report_2019 "$ucode" "$uname" | sed '/<Enhet /q'; xs "$MB20"; echo
  report_2019 "$ucode" "$uname" | sed '1,/<Enhet /d'; } >"$c/text-20mb-free.xml"
set_aside text-20mb-free "text longer than 10000000 bytes at line $(($(line_of "$c/text-20mb-free.xml" '<Enhet ') + 1))"

# 20 MB in one attribute value: more than libxml2 looks ahead in one tag
new_case attribute-20mb
{ echo "$DECL"; report_2019 "$ucode" "$uname" '    <Svar sporsmal="4.1" ukjent="@BIG@">x</Svar>' |
      sed '/@BIG@/,$d'
  printf '    <Svar sporsmal="4.1" ukjent="'; xs "$MB20"; printf '">x</Svar>\n'
  report_2019 "$ucode" "$uname" '    <Svar sporsmal="4.1" ukjent="@BIG@">x</Svar>' | sed '1,/@BIG@/d'
} >"$c/attribute-20mb.xml"
set_aside attribute-20mb \
    "a start tag longer than 131072 characters at line $(line_of "$c/attribute-20mb.xml" '<Svar sporsmal="4.1" ukjent=')"

# 2 MB in a value (version 1, unit name): is248's own cap of 1 MiB a value
new_case value-2mb-v1
{ printf '<?xml version="1.0" encoding="ISO-8859-1"?>\n<kommunerapport skjema="IS-24/8" versjon="1">\n'
  printf '  <aargang>2017</aargang>\n  <innsendt>2018-02-26T09:00:00</innsendt>\n  <enhet type="kommune">\n'
  printf '    <nummer>1804</nummer>\n    <navn>\n'; xs 2000000; printf '\n    </navn>\n  </enhet>\n'
  printf '  <svar>\n    <sporsmal id="7.1">1</sporsmal>\n  </svar>\n</kommunerapport>\n'; } >"$c/value-2mb-v1.xml"
set_aside value-2mb-v1 "value longer than 1048576 bytes at line $(line_of "$c/value-2mb-v1.xml" '<navn>')"

# --- names and attributes of 60 000 characters ----------------------------------
n60=$(head -c 60000 /dev/zero | tr '\0' n)
new_case name-60k-element
report_2019 "$ucode" "$uname" "    <$n60>x</$n60>" >"$c/name-60k-element.xml"
set_aside name-60k-element "a name longer than 50000 bytes at line $(line_of "$c/name-60k-element.xml" "<${n60:0:20}")"

new_case name-60k-attribute
report_2019 "$ucode" "$uname" "    <Svar sporsmal=\"4.1\" $n60=\"1\">x</Svar>" >"$c/name-60k-attribute.xml"
set_aside name-60k-attribute "a name longer than 50000 bytes at line $(line_of "$c/name-60k-attribute.xml" "\"4.1\" ${n60:0:20}")"

# Values of 60 000 characters are within limits (is248 keeps values up to
# 1 MiB): an unknown attribute is ignored, a question id of another chapter
# and a submission id are kept byte for byte.
v60=$(head -c 60000 /dev/zero | tr '\0' v)
q60=$(head -c 60000 /dev/zero | tr '\0' q)
i60=$(head -c 60000 /dev/zero | tr '\0' i)
new_case value-60k-attribute
report_2019 "$ucode" "$uname" "    <Svar sporsmal=\"4.1\" ukjent=\"$v60\">x</Svar>
    <Svar sporsmal=\"$q60\">y</Svar>" | sed "s/id=\"h-$ucode\"/id=\"$i60\"/" >"$c/value-60k-attribute.xml"
loads value-60k-attribute
eq "value-60k-attribute: the 60 000-character question id and submission id are kept whole" \
   "$(q "SELECT length(a.question) || ' ' || md5(a.question) || ' ' || a.text || ' ' || length(r.submission_id) || ' ' || md5(r.submission_id)
         FROM is248.answer a JOIN is248.report r USING (report_id)
         WHERE r.year = 2019 AND r.unit_code = '$ucode' AND a.text = 'y'")" \
   "60000 $(printf '%s' "$q60" | md5sum | cut -c1-32) y 60000 $(printf '%s' "$i60" | md5sum | cut -c1-32)"
eq "value-60k-attribute: the unknown attribute is not kept anywhere" \
   "$(q "SELECT count(*) FROM is248.answer WHERE strpos(coalesce(text, '') || coalesce(code, '') || coalesce(question, ''), 'vvvvvvvvvv') > 0")" 0

# A reporting year of 60 000 digits: the report is set aside, the reason
# quotes the first 60 characters only.
new_case year-60k
y60=$(awk 'BEGIN { for (i = 0; i < 15000; i++) printf "2019" }')
report_2019 "$ucode" "$uname" | sed "s/rapporteringsaar=\"2019\"/rapporteringsaar=\"$y60\"/" >"$c/year-60k.xml"
attack year-60k
eq "year-60k: exit 1" "$rc" 1
eq "year-60k: the report is set aside, the value quoted short" "$(rej_file year-60k.xml)" \
   "report|-|$ucode|-|malformed reporting year '${y60:0:60}…'"
contains "year-60k: stderr" "$err" "report set aside: malformed reporting year '${y60:0:60}…'"
eq "year-60k: nothing of it loaded" "$(q "SELECT count(*) FROM is248.report WHERE unit_code = '$ucode'")" 0
rest_loaded year-60k
bounded year-60k "$limit"
# --- invalid UTF-8 after 300 good reports ------------------------------------
# A county file is one transaction: 300 good reports (more than libxml2's
# first 64 KiB, so that they are read and staged before the bad byte is met),
# then a report with the byte FF in its unit name.  The whole file is set
# aside, with the line of the bad byte; none of the 300 loads.
new_case county-bad-utf8
{ echo "$DECL"; echo "<Rapporter xmlns=\"$NSURI\">"
  printf '%s\n' "${UNITS[@]:0:300}" | awk -F, '{
      printf "<Rapport rapporteringsaar=\"2019\">\n"
      printf "  <Innsending id=\"h-%s\" tidspunkt=\"2020-02-03T10:00:00+01:00\"/>\n", $1
      printf "  <Enhet type=\"kommune\" nummer=\"%s\" innbyggere=\"5000\">%s</Enhet>\n", $1, $2
      printf "  <Kapittel nr=\"21\">\n    <Svar sporsmal=\"ARB_NAV_SAMARBEID\" kode=\"1\">Ja</Svar>\n  </Kapittel>\n"
      printf "</Rapport>\n" }'
  report_2019 "$ucode" 'Trond@FF@heim' | sed "s| xmlns=\"$NSURI\"||; s/@FF@/\xff/"
  echo '</Rapporter>'; } >"$c/county-bad-utf8.xml"
ok "county-bad-utf8: 300 reports before the bad byte, past the first 64 KiB" \
   test "$(grep -c '<Rapport ' "$c/county-bad-utf8.xml")" = 301 -a \
        "$(grep -n -m1 -a $'\xff' "$c/county-bad-utf8.xml" | cut -d: -f1)" -gt 2000
set_aside county-bad-utf8 \
    "not well-formed XML at line $(grep -n -m1 -a $'\xff' "$c/county-bad-utf8.xml" | cut -d: -f1): Input is not proper UTF-8, indicate encoding ! Bytes: 0xFF 0x68 0x65 0x69"
eq "county-bad-utf8: none of its 300 good reports loaded" \
   "$(q "SELECT count(*) FROM is248.report r JOIN is248.source_file f USING (file_id)
         WHERE f.source LIKE '%/county-bad-utf8.xml'")|$(q "SELECT count(*) FROM is248.report WHERE year = 2019 AND unit_code IN ($(
         for ((k = 0; k < 300; k++)); do printf "'%s'," "${UNITS[k]%%,*}"; done)'x')")" "0|0"

# --- UTF-16 ----------------------------------------------------------------------
# Every XML parser must read UTF-16 (XML 1.0 §4.3.3), so is248 reads it, and
# warns that it is not the format's encoding.  Text outside ASCII, a
# character outside the BMP (a surrogate pair in UTF-16) included, arrives
# byte for byte as UTF-8.
free_text='Årsverk ført – psykisk helse 𝄞'
utf16_case() {  # utf16_case NAME ICONV-ENCODING BOM-BYTES DECLARATION
    new_case "$1"
    { printf '%s\n' "$4"; report_2019 "$ucode" "$uname" "    <Svar sporsmal=\"4.2\">$free_text</Svar>"; } >"$WORK/$1.utf8"
    { printf "$3"; iconv -f UTF-8 -t "$2" "$WORK/$1.utf8"; } >"$c/$1.xml"
    loads "$1"
    eq "$1: the report loaded, its unit name right" "$(current_name 2019 "$ucode")" "$uname|yes"
    eq "$1: the free text byte for byte" \
       "$(q "SELECT encode(convert_to(a.text, 'UTF8'), 'hex') FROM is248.answer a JOIN is248.report r USING (report_id)
             WHERE r.year = 2019 AND r.unit_code = '$ucode' AND a.question = '4.2'")" \
       "$(printf '%s' "$free_text" | hex)"
}
utf16_case utf16le-bom UTF-16LE '\xff\xfe' '<?xml version="1.0" encoding="UTF-16"?>'
eq "utf16le-bom: a warning about the file" "$(wrn_file utf16le-bom.xml)" \
   "-|-|-|encoded in UTF-16LE (the format says UTF-8 or ISO-8859-1); read as UTF-16LE"
utf16_case utf16be-bom UTF-16BE '\xfe\xff' '<?xml version="1.0" encoding="UTF-16"?>'
eq "utf16be-bom: a warning about the file" "$(wrn_file utf16be-bom.xml)" \
   "-|-|-|encoded in UTF-16BE (the format says UTF-8 or ISO-8859-1); read as UTF-16BE"
utf16_case utf16le-declared UTF-16LE '' '<?xml version="1.0" encoding="UTF-16"?>'
eq "utf16le-declared (no BOM): a warning about the file" "$(wrn_file utf16le-declared.xml)" \
   "-|-|-|encoded in UTF-16LE (the format says UTF-8 or ISO-8859-1); read as UTF-16LE"
contains "utf16le-declared: the warning on stderr" "$err" \
   "/utf16le-declared.xml': encoded in UTF-16LE (the format says UTF-8 or ISO-8859-1); read as UTF-16LE"

# version 1 in UTF-16: a 2017 unit with a name outside ASCII
new_case utf16-v1
IFS=, read -r v1code v1name < <(awk -F, '$1 == 2017 && $3 ~ /ø/ { print $2 "," $3; exit }' \
    "$SRC/sql/reference/municipalities_by_year.csv")
{ printf '<?xml version="1.0" encoding="UTF-16"?>\n<kommunerapport skjema="IS-24/8" versjon="1">\n'
  printf '  <aargang>2017</aargang>\n  <innsendt>2018-02-26T09:00:00</innsendt>\n'
  printf '  <enhet type="kommune"><nummer>%s</nummer><navn>%s</navn><innbyggere>5000</innbyggere></enhet>\n' "$v1code" "$v1name"
  printf '  <svar><sporsmal id="3.2">%s</sporsmal><sporsmal id="7.1">2</sporsmal></svar>\n</kommunerapport>\n' "$free_text"
} >"$WORK/utf16-v1.utf8"
{ printf '\xfe\xff'; iconv -f UTF-8 -t UTF-16BE "$WORK/utf16-v1.utf8"; } >"$c/utf16-v1.xml"
loaded_as=2017:$v1code loads utf16-v1
eq "utf16-v1: the version 1 report loaded (${v1name})" "$(current_name 2017 "$v1code")" "$v1name|no"
eq "utf16-v1: the free text byte for byte" \
   "$(q "SELECT encode(convert_to(a.text, 'UTF8'), 'hex') FROM is248.answer a JOIN is248.report r USING (report_id)
         WHERE r.year = 2017 AND r.unit_code = '$v1code' AND a.question = '3.2'")" "$(printf '%s' "$free_text" | hex)"

# --- found while attacking: start tags of very many attributes ---------------
# libxml2 2.9 spends n * n on a start tag of n attributes (33 s for 100 000
# in 1 MB); is248 refuses a start tag of more than 256 before libxml2 sees it.
new_case many-attributes
report_2019 "$ucode" "$uname" "    <!-- a=1 b=2 --><![CDATA[ c=3 ]]><?pi d=4?>
    <Svar sporsmal=\"4.1\"$(awk -v n="$BIG" 'BEGIN { for (i = 0; i < n; i++) printf " a%d=\"=\"", i }')>x</Svar>" \
    >"$c/many-attributes.xml"
set_aside many-attributes "more than 256 attributes on one element at line $(line_of "$c/many-attributes.xml" '<Svar sporsmal="4.1" a0=')"
# 256 are fine (an '=' inside values, comments, CDATA and PIs does not count)
new_case attributes-256
report_2019 "$ucode" "$uname" "    <!-- = = = --><![CDATA[ = = ]]><?pi = = ?>
    <Svar sporsmal=\"4.1\"$(awk 'BEGIN { for (i = 1; i < 256; i++) printf " a%d='"'"'a=b>'"'"'", i }')>x</Svar>" \
    >"$c/attributes-256.xml"
loads attributes-256

# --- found while attacking: reports of very many empty answers ----------------
# Each empty Svar of a work question made normalize look through the rest of
# the report for Valg elements: n * n.  150 000 of them (5.5 MB) took 11 s
# to import, 300 000 (12 MB) 53 s to validate; now under a second to
# validate, and a few seconds to import, most of them the database's.
empty_answers() {  # empty_answers N: a report of N empty answers and one "Ja"
    echo "$DECL"; report_2019 "$ucode" "$uname" | sed '/<Kapittel nr="21">/q'
    awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) print "    <Svar sporsmal=\"ARB_NAV_SAMARBEID\"/>" }'
    report_2019 "$ucode" "$uname" | sed '1,/<Kapittel nr="21">/d'
}
new_case many-empty-answers
empty_answers 150000 >"$c/many-empty-answers.xml"
loads many-empty-answers
eq "many-empty-answers: the one answer counts, every empty one is kept" \
   "$(current_name 2019 "$ucode")|$(q "SELECT count(*) FROM is248.answer a JOIN is248.report r USING (report_id)
       WHERE r.year = 2019 AND r.unit_code = '$ucode'")" "$uname|yes|150001"
empty_answers 300000 >"$WORK/empty-answers-300k.xml"
# (under the sanitizers without AddressSanitizer's quarantine: the freed
# buffers of 300 000 answers would be counted as held)
asan=${ASAN_OPTIONS:-}
[ "${IS248_SANITIZE:-OFF}" = ON ] && asan="${asan:+$asan:}quarantine_size_mb=0"
ASAN_OPTIONS=$asan timeout -k 5 15 "$MAXRSS" "$WORK/rss" "$IS248" validate "$WORK/empty-answers-300k.xml" >"$WORK/out" 2>"$WORK/err"
rc=$? rss=$(cat "$WORK/rss" 2>/dev/null || echo 999999999) err=$(cat "$WORK/err")
eq "300 000 empty answers: validate finds nothing wrong, in 15 s" "$rc" 0
bounded "300 000 empty answers (validate)" "$limit"
# --- found by tests/fuzz: n * n inside libxml2 2.9 ----------------------------------
# A comment of many "--" (libxml2 raised an error for each and copied the
# comment each time; is248 now stops the parser at its first error), and an
# attribute value of many '>' (libxml2 starts the tag again at each; is248
# refuses a start tag longer than 128 Ki characters before libxml2 sees it).
new_case comment-dashes
{ echo "$DECL"; report_2019 "$ucode" "$uname" "    <!-- $(head -c 400000 /dev/zero | tr '\0' -) -->"; } >"$c/comment-dashes.xml"
set_aside comment-dashes "not well-formed XML at line $(line_of "$c/comment-dashes.xml" '<!-- --'): Double hyphen within comment: <!--"
new_case gt-attribute
{ echo "$DECL"; report_2019 "$ucode" "$uname" "    <Svar sporsmal=\"4.1\" x=\"$(head -c 8000000 /dev/zero | tr '\0' '>')\">x</Svar>"; } >"$c/gt-attribute.xml"
set_aside gt-attribute "a start tag longer than 131072 characters at line $(line_of "$c/gt-attribute.xml" '<Svar sporsmal="4.1" x=')"
# A report, then 128 MiB of white space: nothing of a report can follow the
# root element, and is248 allows 1 MiB there (libxml2 2.9's reader kept all
# it skipped after the root in memory; the push parser does not, but the
# limit stays: what follows the root is never worth reading).
new_case after-root
{ echo "$DECL"; report_2019 "$ucode" "$uname"; head -c $((128 << 20)) /dev/zero | tr '\0' ' '; } >"$c/after-root.xml"
set_aside after-root "more than 1048576 bytes after the end of the root element"
# ... and a comment and a newline after it are fine
new_case after-root-comment
{ echo "$DECL"; report_2019 "$ucode" "$uname"; printf '<!-- sent by the portal -->\n\n'; } >"$c/after-root-comment.xml"
loads after-root-comment

# --- nothing was read, fetched or leaked ------------------------------------------
exec 3<>"/dev/tcp/127.0.0.1/${port:-9}" && { printf 'probe\n' >&3; exec 3>&-; }
for _ in $(seq 100); do grep -q probe "$listen_log" && break; sleep 0.05; done
eq "the listener saw only our own probe: no connection from is248" "$(cat "$listen_log")" probe
passwd_line=$(head -n 1 /etc/passwd)
eq "no row of any table holds a line of /etc/passwd" "$(q "
  SELECT count(*) FROM (
    SELECT t::text AS r FROM is248.report t UNION ALL SELECT t::text FROM is248.answer t
    UNION ALL SELECT t::text FROM is248.rejection t UNION ALL SELECT t::text FROM is248.warning t) x
  WHERE strpos(x.r, \$pw\$$passwd_line\$pw\$) > 0 OR strpos(x.r, 'root:x:0:') > 0")" 0
eq "exactly these reports loaded: every good one, and of the hostile files those meant to load" \
   "$(q "SELECT year || ':' || unit_code FROM is248.report ORDER BY 1")" \
   "$( { for k in "${!good_code[@]}"; do echo "2019:${good_code[$k]}"; done; printf '%s\n' "${meant[@]}"; } | sort)"
finish
