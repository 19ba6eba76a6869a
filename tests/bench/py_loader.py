#!/usr/bin/python3
"""py_loader.py - what a scripter might write instead of is248: for the benchmark only.

    py_loader.py ARCHIVE_OR_XML...

Reads tar/tar.gz archives (streamed with tarfile, nothing extracted) and
plain XML files, parses each report file with lxml.etree.iterparse (one
Rapport / kommunerapport at a time, cleared after use, so memory stays
flat), normalizes the work chapter as delivery-format.md §5-6 says (codes
or labels to yes/no/dont_know, the rating with its direction per version,
IPS/SE choices, size class from the population) and loads one row per report
into bench_py.report and every raw answer into bench_py.answer with COPY,
one transaction per file.  The database comes from libpq's environment
(PGHOST, PGDATABASE, ...).

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
    ips_se_substance text, ips_substance boolean, se_substance boolean);
create table if not exists bench_py.answer (
    report_id bigint not null references bench_py.report, seq int not null,
    parent_seq int, chapter text, question text, code text, text text,
    primary key (report_id, seq));
"""


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
    def __init__(self, conn):
        self.conn = conn
        self.next_id = 1
        self.reports = 0
        self.answers = 0

    def report_v2(self, el, index, out_r, out_a, source, entry):
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
        seq = 0
        answers = []
        for kap in el.iterfind(NS + "Kapittel"):
            nr = kap.get("nr")
            for svar in kap.iterfind(NS + "Svar"):
                q = svar.get("sporsmal")
                code = svar.get("kode")
                valg = svar.findall(NS + "Valg")
                text = None if valg else (svar.text or None)
                svar_seq = seq
                answers.append(row(rid, seq, None, nr, q, code, text))
                seq += 1
                for v in valg:
                    answers.append(row(rid, seq, svar_seq, nr, q, v.get("kode"),
                                       v.text or None))
                    seq += 1
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
        out_r.write(row(rid, source, entry, index, 2, int(year), unit_code, unit_type,
                        (enh.text or "").strip(), unit_code[:2], population,
                        size_class(unit_type, population), ins.get("tidspunkt"),
                        ins.get("id"), res["nav_collab"], res["nav_collab_specialist"],
                        res["nav_rating"], res["ips_se_mental_health"], ch_m[0], ch_m[1],
                        res["ips_se_substance"], ch_s[0], ch_s[1]))
        out_a.writelines(answers)
        self.reports += 1
        self.answers += len(answers)

    def report_v1(self, el, index, out_r, out_a, source, entry):
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
        for seq, sp in enumerate(svar.iterfind("sporsmal") if svar is not None else ()):
            q = sp.get("id")
            val = sp.text or ""
            answers.append(row(rid, seq, None, q.split(".")[0] if q else None, q, None, val))
            key = V1_IDS.get(q)
            if key and val.strip():
                res[key] = decode(1, key, val, None)
        out_r.write(row(rid, source, entry, index, 1, int(year), unit_code, unit_type,
                        (enh.findtext("navn") or "").strip(), unit_code[:2], population,
                        size_class(unit_type, population), t.isoformat(), None,
                        res["nav_collab"], res["nav_collab_specialist"], res["nav_rating"],
                        res["ips_se_mental_health"], None, None,
                        res["ips_se_substance"], None, None))
        out_a.writelines(answers)
        self.reports += 1
        self.answers += len(answers)

    def load_file(self, f, source, entry):
        out_r, out_a = io.StringIO(), io.StringIO()
        index = 0
        try:
            for _, el in etree.iterparse(f, events=("end",), resolve_entities=False,
                                         no_network=True, huge_tree=False,
                                         tag=(NS + "Rapport", "kommunerapport")):
                index += 1
                if el.tag == "kommunerapport":
                    self.report_v1(el, index, out_r, out_a, source, entry)
                else:
                    self.report_v2(el, index, out_r, out_a, source, entry)
                el.clear()
                parent = el.getparent()
                if parent is not None:
                    while el.getprevious() is not None:
                        del parent[0]
        except etree.XMLSyntaxError as e:
            print(f"py_loader: {source}!{entry}: file set aside: {e}", file=sys.stderr)
            return
        out_r.seek(0)
        out_a.seek(0)
        with self.conn.cursor() as cur:
            cur.copy_expert("copy bench_py.report from stdin", out_r)
            cur.copy_expert("copy bench_py.answer from stdin", out_a)
        self.conn.commit()


def main(argv):
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    conn = psycopg2.connect("")
    with conn.cursor() as cur:
        cur.execute(DDL)
        cur.execute("select coalesce(max(report_id), 0) + 1 from bench_py.report")
        first = cur.fetchone()[0]
    conn.commit()
    ld = Loader(conn)
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
