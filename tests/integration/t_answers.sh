#!/usr/bin/env bash
# Raw answers go packed into their report's row (is248.report.answers) and
# is248.answer unpacks them.  Every report must end up with exactly the Svar
# and Valg of its XML, counted here independently with Python's ElementTree,
# whichever way the file went: new in a batch, large and streamed, re-sent
# with some reports changed, loaded before, or set aside.  lib.sh's finish
# checks that every report has its file and a valid size class.
. "$(dirname "$0")/lib.sh"

run migrate

# per_report FILE...: "unit|submitted|answers" for each report in the files
per_report() {
    python3 - "$@" <<'EOF'
import sys, xml.etree.ElementTree as ET
from datetime import datetime, timezone
rows = []
for path in sys.argv[1:]:
    for _, el in ET.iterparse(path):
        if el.tag.split('}')[-1] != 'Rapport':
            continue
        unit = next(e for e in el.iter() if e.tag.split('}')[-1] == 'Enhet').get('nummer')
        when = next(e for e in el.iter() if e.tag.split('}')[-1] == 'Innsending').get('tidspunkt')
        n = sum(1 for e in el.iter() if e.tag.split('}')[-1] in ('Svar', 'Valg'))
        t = datetime.fromisoformat(when).astimezone(timezone.utc).strftime('%Y-%m-%d %H:%M:%S+00')
        rows.append(f"{unit}|{t}|{n}")
        el.clear()
print("\n".join(sorted(rows)))
EOF
}
in_db() {
    q "SELECT r.unit_code || '|' || to_char(r.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '+00|' ||
              (SELECT count(*) FROM is248.answer a WHERE a.report_id = r.report_id)
         FROM is248.report r ORDER BY 1"
}

# --- a county file too large to be read ahead (over 4 MiB) ----------------------
gen --years 2024 --other-answers 3000 --format dir --out "$WORK/big"
big=$(ls -S "$WORK"/big/2024/*.xml | head -1)
ok "the largest county file is over 4 MiB ($(stat -c %s "$big") bytes)" [ "$(stat -c %s "$big")" -gt $((4 << 20)) ]
run import "$big"
eq "a large file imports (exit 0)" "$rc" 0
eq "... every report with exactly the answers of its XML" "$(in_db)" "$(per_report "$big")"

cp "$big" "$WORK/same-bytes.xml"
run import "$WORK/same-bytes.xml"
eq "the same bytes under another name: exit 0" "$rc" 0
contains "... recognised as loaded before, by the merge" "$err" "already loaded"
eq "... and its answers, written on the way in, are gone again" "$(in_db)" "$(per_report "$big")"

# --- a delivery, then the same reports re-sent with some of them corrected -------
q "SET client_min_messages = warning; TRUNCATE is248.import_run, is248.report CASCADE" >/dev/null
eq "(emptied, answers too)" "$(q "SELECT count(*) FROM is248.answer")" 0
gen --years 2023 --format dir --out "$WORK/first"
run import "$WORK/first"
eq "a year of county files imports (exit 0)" "$rc" 0
eq "... every report with the answers of its XML" \
   "$(in_db)" "$(per_report "$WORK"/first/2023/*.xml)"
# a county file re-sent with one more report: a correction of its last
# report, submitted a day later with one more answer; the others unchanged
f=$(ls "$WORK"/first/2023/*.xml | head -1)
python3 - "$f" "$WORK/resent.xml" <<'EOF'
import re, sys
text = open(sys.argv[1], encoding='utf-8').read()
last = re.findall(r'<Rapport\b.*?</Rapport>', text, re.S)[-1]
fixed = re.sub(r'tidspunkt="(\d{4}-\d\d-)(\d\d)', lambda m: 'tidspunkt="%s%02d' % (m.group(1), int(m.group(2)) % 28 + 1), last, count=1)
fixed = fixed.replace('</Kapittel>', '<Svar sporsmal="9.9">added in the correction</Svar></Kapittel>', 1)
i = text.rindex('</Rapport>') + len('</Rapport>')
open(sys.argv[2], 'w', encoding='utf-8').write(text[:i] + '\n  ' + fixed + text[i:])
EOF
before=$(q "SELECT count(*) FROM is248.report")
run import "$WORK/resent.xml"
eq "re-sent with a correction: exit 0" "$rc" 0
eq "... its earlier reports unchanged, the correction new" \
   "$(q "SELECT reports_unchanged > 0, reports_loaded FROM is248.source_file ORDER BY file_id DESC LIMIT 1")" "t|1"
eq "... every report, old and new, with exactly the answers of its XML" \
   "$(in_db)" "$(per_report "$WORK"/first/2023/*.xml "$WORK/resent.xml" | sort -u)"

# --- a large file set aside after its reports were sent ---------------------------
sed -e '$d' "$big" >"$WORK/cut.xml"    # the closing tag of the root missing
run import "$WORK/cut.xml"
eq "a large file that turns out not to be well-formed: exit 1" "$rc" 1
eq "... leaves no report behind" "$(q "SELECT count(*) FROM is248.report r JOIN is248.source_file f USING (file_id) WHERE f.entry = '' AND f.source = '$WORK/cut.xml'")" 0

finish
