#!/usr/bin/python3
"""py_loader.py - what a scripter might write instead of is248: for the benchmark only.

    py_loader.py [--no-answers] ARCHIVE_OR_XML...

Reads tar/tar.gz archives (streamed with tarfile, nothing extracted) and
plain XML files, parses each report file with lxml.etree.iterparse (one
Rapport / kommunerapport at a time, cleared after use, so memory stays
flat), normalizes the work chapter as delivery-format.md §5-6 says (codes
or labels to yes/no/dont_know, the rating with its direction per version,
IPS/SE choices, size class from the population) and loads one row per report
into bench_py.report with COPY, one transaction per file.  The row keeps
every raw answer of the report in its column answers, packed exactly as
is248 packs is248.report.answers (load/stage.c): in document order, answers
separated by U+001E, the fields of one (parent_seq, chapter, question, code,
text) by U+001F, U+001A for a NULL chapter, question, code or text, an empty
parent_seq for a Svar or sporsmal; a text is the element's own character
data, NULL when it has none or only XML white space.  With --no-answers
the table has no answers column: one normalized row per report, nothing
raw kept.  The database comes from libpq's environment (PGHOST,
PGDATABASE, ...).

What it leaves out, compared with is248: no repeat or correction logic (every
report is inserted), no rejection bookkeeping (a faulty answer becomes NULL,
a faulty report or file is skipped with a line on stderr), no unit code
checks against the reference tables, no SHA-256 of files, no archive limits.
"""
import datetime
import io
import sys
import tarfile
import unicodedata
import zoneinfo

import psycopg2
from lxml import etree

NS = "{urn:no:helsedirektoratet:is-24-8:2}"
OSLO = zoneinfo.ZoneInfo("Europe/Oslo")

DDL = """
create schema if not exists bench_py;
create table if not exists bench_py.report (
    report_id bigint primary key, source text, entry text, report_index int,
    version smallint, year int, unit_code text, unit_type text, unit_name text,
    county_code text, population int, size_class text,
    submitted_at timestamptz, submission_id text,
    nav_collab text, nav_collab_specialist text, nav_rating text,
    ips_se_mental_health text, ips_mental_health boolean, se_mental_health boolean,
    ips_se_substance text, ips_substance boolean, se_substance boolean%s);
"""

# The packed answers (see the docstring).
ANSWER_SEP, NULL_MARK = "\x1e", "\x1a"   # and "\x1f" between fields


def own_text(el):
    """The element's own character data, or None when blank (XML white
    space only) or absent."""
    t = el.text or ""
    if len(el):
        t += "".join(c.tail or "" for c in el)
    return t if t.strip(" \t\r\n") else None


def packed(parent, chapter, question, code, text):
    n = NULL_MARK
    return "%s\x1f%s\x1f%s\x1f%s\x1f%s" % (
        "" if parent is None else parent, n if chapter is None else chapter,
        n if question is None else question, n if code is None else code,
        n if text is None else text)


def norm_label(s):
    if s is None:
        return ""
    return " ".join(unicodedata.normalize("NFC", s).split()).casefold()


YN_LABEL = {"ja": "yes", "nei": "no", "vet ikke": "dont_know"}
YN_CODE = {1: {"1": "yes", "2": "no", "9": "dont_know"},
           2: {"1": "yes", "2": "no", "3": "dont_know"}}
RATING_LABEL = {"svært god": "very_good", "god": "good",
                "verken god eller dårlig": "neither", "mindre god": "less_good",
                "dårlig": "bad", "vet ikke": "dont_know"}
RATING_CODE = {
    1: {"1": "very_good", "2": "good", "3": "neither", "4": "less_good",
        "5": "bad", "9": "dont_know"},
    2: {"5": "very_good", "4": "good", "3": "neither", "2": "less_good",
        "1": "bad", "0": "dont_know"}}
VALG_LABEL = {"individuell jobbstøtte (ips)": "IPS",
              "supported employment (se)": "SE",
              "ingen av disse": "INGEN", "vet ikke": "VETIKKE"}

V1_IDS = {"7.1": "nav_collab", "7.1.1": "nav_collab_specialist",
          "7.2": "nav_rating", "7.3": "ips_se_mental_health",
          "7.4": "ips_se_substance"}
V2_IDS = {"ARB_NAV_SAMARBEID": "nav_collab",
          "ARB_NAV_SAMARBEID_SPES": "nav_collab_specialist",
          "ARB_NAV_SAMHANDLING": "nav_rating",
          "ARB_IPS_SE_PSYK": "ips_se_mental_health",
          "ARB_IPS_SE_RUS": "ips_se_substance"}


def decode(version, key, code, label):
    """The normalized answer, or None when not answered or faulty."""
    code = (code or "").strip()
    lab = norm_label(label)
    if key == "nav_rating":
        by_code, by_label = RATING_CODE[version], RATING_LABEL
    else:
        by_code, by_label = YN_CODE[version], YN_LABEL
    a = by_code.get(code) if code else None
    b = by_label.get(lab) if lab else None
    if code and a is None:
        return None
    if lab and b is None:
        return None
    if a and b and a != b:
        return None
    return a or b


def size_class(unit_type, population):
    if unit_type == "bydel":
        return "Oslo bydel"
    if population is None:
        return None
    for limit, label in ((2000, "<2000"), (5000, "2000-4999"),
                         (10000, "5000-9999"), (20000, "10000-19999"),
                         (50000, "20000-49999")):
        if population < limit:
            return label
    return "50000+"


def esc(v):
    if v is None:
        return "\\N"
    if v is True:
        return "t"
    if v is False:
        return "f"
    s = str(v)
    if "\\" in s or "\t" in s or "\n" in s or "\r" in s:
        s = (s.replace("\\", "\\\\").replace("\t", "\\t")
             .replace("\n", "\\n").replace("\r", "\\r"))
    return s


def row(*vals):
    return "\t".join(esc(v) for v in vals) + "\n"


class Loader:
    def __init__(self, conn, keep_answers):
        self.conn = conn
        self.keep_answers = keep_answers
        self.next_id = 1
        self.reports = 0
        self.answers = 0

    def report_v2(self, el, index, out, source, entry):
        rid = self.next_id
        self.next_id += 1
        year = el.get("rapporteringsaar")
        ins = el.find(NS + "Innsending")
        enh = el.find(NS + "Enhet")
        if year is None or ins is None or enh is None or not year.isdigit():
            print(f"py_loader: {source}!{entry} report {index}: set aside", file=sys.stderr)
            return
        unit_type = enh.get("type")
        unit_code = enh.get("nummer")
        pop = enh.get("innbyggere")
        population = int(pop) if pop and pop.isdigit() else None
        res = dict.fromkeys(("nav_collab", "nav_collab_specialist", "nav_rating",
                             "ips_se_mental_health", "ips_se_substance"))
        choice = {}
        answers = []
        keep = self.keep_answers
        for kap in el.iterfind(NS + "Kapittel"):
            nr = kap.get("nr")
            for svar in kap.iterfind(NS + "Svar"):
                q = svar.get("sporsmal")
                code = svar.get("kode")
                valg = svar.findall(NS + "Valg")
                if keep:
                    svar_seq = len(answers)
                    answers.append(packed(None, nr, q, code, own_text(svar)))
                    for v in valg:
                        answers.append(packed(svar_seq, nr, q, v.get("kode"), own_text(v)))
                key = V2_IDS.get(q) if nr == "21" else None
                if key is None:
                    continue
                if key.startswith("ips_se"):
                    codes = set()
                    bad = False
                    for v in valg:
                        c = (v.get("kode") or "").strip()
                        lc = VALG_LABEL.get(norm_label(v.text)) if (v.text or "").strip() else None
                        if c and c not in VALG_LABEL.values():
                            bad = True
                        elif c and lc and c != lc:
                            bad = True
                        elif (v.text or "").strip() and lc is None:
                            bad = True
                        codes.add(c or lc)
                    if bad or not codes:
                        continue
                    if ("INGEN" in codes or "VETIKKE" in codes) and len(codes) > 1:
                        continue
                    ips, se = "IPS" in codes, "SE" in codes
                    res[key] = ("yes" if ips or se else
                                "no" if "INGEN" in codes else "dont_know")
                    choice[key] = (None, None) if "VETIKKE" in codes else (ips, se)
                else:
                    res[key] = decode(2, key, code, svar.text)
        ch_m = choice.get("ips_se_mental_health", (None, None))
        ch_s = choice.get("ips_se_substance", (None, None))
        cols = [rid, source, entry, index, 2, int(year), unit_code, unit_type,
                (enh.text or "").strip() or None, unit_code[:2], population,
                size_class(unit_type, population), ins.get("tidspunkt"),
                ins.get("id"), res["nav_collab"], res["nav_collab_specialist"],
                res["nav_rating"], res["ips_se_mental_health"], ch_m[0], ch_m[1],
                res["ips_se_substance"], ch_s[0], ch_s[1]]
        if keep:
            cols.append(ANSWER_SEP.join(answers))
        out.write(row(*cols))
        self.reports += 1
        self.answers += len(answers)

    def report_v1(self, el, index, out, source, entry):
        rid = self.next_id
        self.next_id += 1
        year = (el.findtext("aargang") or "").strip()
        sent = (el.findtext("innsendt") or "").strip()
        enh = el.find("enhet")
        if not year.isdigit() or not sent or enh is None:
            print(f"py_loader: {source}!{entry}: report set aside", file=sys.stderr)
            return
        try:
            t = datetime.datetime.fromisoformat(sent).replace(tzinfo=OSLO)
        except ValueError:
            print(f"py_loader: {source}!{entry}: report set aside", file=sys.stderr)
            return
        unit_type = enh.get("type")
        unit_code = (enh.findtext("nummer") or "").strip()
        pop = (enh.findtext("innbyggere") or "").strip()
        population = int(pop) if pop.isdigit() else None
        res = dict.fromkeys(("nav_collab", "nav_collab_specialist", "nav_rating",
                             "ips_se_mental_health", "ips_se_substance"))
        answers = []
        svar = el.find("svar")
        for sp in svar.iterfind("sporsmal") if svar is not None else ():
            q = sp.get("id")
            val = own_text(sp)
            if self.keep_answers:
                answers.append(packed(None, None, q, None, val))
            key = V1_IDS.get(q)
            if key and val is not None:
                res[key] = decode(1, key, val, None)
        cols = [rid, source, entry, index, 1, int(year), unit_code, unit_type,
                (enh.findtext("navn") or "").strip() or None, unit_code[:2], population,
                size_class(unit_type, population), t.isoformat(), None,
                res["nav_collab"], res["nav_collab_specialist"], res["nav_rating"],
                res["ips_se_mental_health"], None, None,
                res["ips_se_substance"], None, None]
        if self.keep_answers:
            cols.append(ANSWER_SEP.join(answers))
        out.write(row(*cols))
        self.reports += 1
        self.answers += len(answers)

    def load_file(self, f, source, entry):
        out = io.StringIO()
        index = 0
        try:
            for _, el in etree.iterparse(f, events=("end",), resolve_entities=False,
                                         no_network=True, huge_tree=False,
                                         tag=(NS + "Rapport", "kommunerapport")):
                index += 1
                if el.tag == "kommunerapport":
                    self.report_v1(el, index, out, source, entry)
                else:
                    self.report_v2(el, index, out, source, entry)
                el.clear()
                parent = el.getparent()
                if parent is not None:
                    while el.getprevious() is not None:
                        del parent[0]
        except etree.XMLSyntaxError as e:
            print(f"py_loader: {source}!{entry}: file set aside: {e}", file=sys.stderr)
            return
        out.seek(0)
        with self.conn.cursor() as cur:
            cur.copy_expert("copy bench_py.report from stdin", out)
        self.conn.commit()


def main(argv):
    keep_answers = True
    if argv and argv[0] == "--no-answers":
        keep_answers = False
        argv = argv[1:]
    if not argv or argv[0].startswith("-"):
        print(__doc__, file=sys.stderr)
        return 2
    conn = psycopg2.connect("")
    with conn.cursor() as cur:
        cur.execute(DDL % (", answers text not null" if keep_answers else ""))
        cur.execute("select coalesce(max(report_id), 0) + 1 from bench_py.report")
        first = cur.fetchone()[0]
    conn.commit()
    ld = Loader(conn, keep_answers)
    ld.next_id = first
    for path in argv:
        if path.lower().endswith(".xml"):
            with open(path, "rb") as f:
                ld.load_file(f, path, "")
            continue
        with tarfile.open(path, mode="r|*") as tar:
            for m in tar:
                if m.isfile() and m.name.lower().endswith(".xml"):
                    ld.load_file(tar.extractfile(m), path, m.name)
    conn.close()
    print(f"py_loader: {ld.reports} reports, {ld.answers} answers", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
