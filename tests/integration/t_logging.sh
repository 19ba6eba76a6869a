#!/usr/bin/env bash
# What an unattended import prints (issue 4): one line per file with its
# source, entry, SHA-256, the reports loaded and set aside, and its outcome;
# nothing at all with --quiet when nothing is wrong; with --quiet, only what
# was set aside and the lines of those files.
. "$(dirname "$0")/lib.sh"

defects="$SRC/fixtures/defects/xml"
mkdir -p "$WORK/good" "$WORK/mixed"
cp "$defects/bom-v2.xml" "$defects/crlf-v2.xml" "$WORK/good/"
cp "$defects/bom-v2.xml" "$defects/codes-v2-unknown.xml" "$defects/cut-county-11.xml" "$WORK/mixed/"
(cd "$WORK/good" && bsdtar -czf "$WORK/good.tar.gz" bom-v2.xml crlf-v2.xml)
sha() { sha256sum "$1" | cut -d' ' -f1; }

run migrate
eq "migrate exits 0" "$rc" 0

# --- one line per file --------------------------------------------------------------
run import "$WORK/good.tar.gz"
eq "import exits 0" "$rc" 0
eq "one line per file, then the summary" "$(grep -c "^is248: '$WORK/good.tar.gz' entry '" <<<"$err")" 2
contains "the line of a file: source, entry, outcome, counts, SHA-256" "$err" \
    "is248: '$WORK/good.tar.gz' entry 'bom-v2.xml': loaded: 1 report(s) new, 0 unchanged, 0 set aside; 0 answer(s) set aside; sha256 $(sha "$WORK/good/bom-v2.xml")"
eq "the SHA-256 printed is the one recorded" \
   "$(q "SELECT encode(sha256, 'hex') FROM is248.source_file WHERE entry = 'crlf-v2.xml'")" "$(sha "$WORK/good/crlf-v2.xml")"

run import "$WORK/good/bom-v2.xml"
eq "the same file again exits 0" "$rc" 0
contains "... with a line that says it was loaded before, and from where" "$err" \
    "is248: '$WORK/good/bom-v2.xml': already loaded (from '$WORK/good.tar.gz!bom-v2.xml'), nothing changed; sha256 $(sha "$WORK/good/bom-v2.xml")"

# --- --quiet -------------------------------------------------------------------------
run import --quiet "$WORK/good.tar.gz"
eq "--quiet, nothing wrong: exit 0" "$rc" 0
eq "... and not a word" "$err$out" ""

run import --quiet "$WORK/mixed"
eq "--quiet, something set aside: exit 1" "$rc" 1
contains "... the answer set aside is reported" "$err" \
    "is248: '$WORK/mixed/codes-v2-unknown.xml', report 1 (1120 2019), question ARB_NAV_SAMARBEID_SPES: answer set aside: unknown code '9' for nav_collab_specialist"
contains "... with the line of its file" "$err" \
    "is248: '$WORK/mixed/codes-v2-unknown.xml': loaded, with something set aside: 1 report(s) new, 0 unchanged, 0 set aside; 3 answer(s) set aside; sha256 $(sha "$WORK/mixed/codes-v2-unknown.xml")"
contains "... the file set aside is reported, with its SHA-256" "$err" \
    "is248: '$WORK/mixed/cut-county-11.xml': file set aside: not well-formed XML at line 22: Premature end of data in tag Svar; sha256 $(sha "$WORK/mixed/cut-county-11.xml")"
eq "... and nothing about the file that was fine" "$(grep -c "bom-v2.xml" <<<"$err")" 0
eq "... five lines in all: three answers, two files" "$(wc -l <<<"$err")" 5

finish
