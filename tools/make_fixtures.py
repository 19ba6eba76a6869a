#!/usr/bin/env python3
"""Write fixtures/delivery: a small IS-24/8 delivery for 2015-2025 written to
../shared/spec/delivery-format.md, for "is248 demo" and the tests.

Thirteen real units (codes as valid in each year, from sql/reference/), one
report each per year: version 1 single files in ISO-8859-1 for 2015-2017,
version 2 county files and single files for 2018-2025, and one corrected
report (Bergen 2019) sent later.  Answers are fixed by a hash of unit and
year, so the files are the same every time this runs.

    python3 tools/make_fixtures.py            # rewrites fixtures/delivery
"""
import csv, hashlib, os, shutil, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fixtures", "delivery")

UNITS = [  # name, population in 2015, yearly growth
    ("Trondheim", 184960, 2300), ("Bergen", 275112, 2500), ("Tromsø", 72681, 800),
    ("Bodø", 50185, 300), ("Halden", 30328, 150), ("Stord", 18435, 80),
    ("Eigersund", 14757, 30), ("Røros", 5600, 5), ("Sauda", 4720, -20),
    ("Kvitsøy", 520, 3), ("Utsira", 208, -1),
]
DISTRICTS = [("030112", "Alna", 48802, 150), ("030115", "Søndre Nordstrand", 38200, 100)]

def codes_by_year():
    by = {}
    with open(os.path.join(ROOT, "sql", "reference", "municipalities_by_year.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            by.setdefault(r["name"], {})[int(r["year"])] = r["code"]
    return by

def pick(unit, year, salt, n):
    h = hashlib.sha256(f"{unit}/{year}/{salt}".encode()).digest()
    return int.from_bytes(h[:8], "big") % n

def answers(unit, year):
    """Normalized answers: collaboration grows more common over the years."""
    p_yes = 50 + 4 * (year - 2015)
    r = pick(unit, year, "collab", 100)
    collab = "yes" if r < p_yes else ("no" if r < 95 else "dont_know")
    spec = ["yes", "no", "dont_know"][pick(unit, year, "spec", 3)] if year >= 2016 else None
    rating = ["very_good", "good", "good", "neither", "less_good", "bad", "dont_know"][pick(unit, year, "rating", 7)]
    def ips(field):
        if year < 2016:
            return None
        r = pick(unit, year, field, 100)
        share = 20 + 6 * (year - 2016)
        if r < share // 2: return {"IPS"}
        if r < share: return {"IPS", "SE"} if r % 2 else {"SE"}
        if r < 92: return {"INGEN"}
        return {"VETIKKE"}
    return collab, spec, rating, ips("psyk"), ips("rus")

V1_YN = {"yes": "1", "no": "2", "dont_know": "9"}
V2_YN = {"yes": ("1", "Ja"), "no": ("2", "Nei"), "dont_know": ("3", "Vet ikke")}
V1_RATING = {"very_good": "1", "good": "2", "neither": "3", "less_good": "4", "bad": "5", "dont_know": "9"}
V2_RATING = {"very_good": ("5", "Svært god"), "good": ("4", "God"), "neither": ("3", "Verken god eller dårlig"),
             "less_good": ("2", "Mindre god"), "bad": ("1", "Dårlig"), "dont_know": ("0", "Vet ikke")}
CHOICE = {"IPS": "Individuell jobbstøtte (IPS)", "SE": "Supported employment (SE)",
          "INGEN": "Ingen av disse", "VETIKKE": "Vet ikke"}

def v1_report(year, code, name, pop, unit_type, unit):
    collab, spec, rating, psyk, rus = answers(unit, year)
    def yn_v1(s):
        if s is None: return None
        if s & {"IPS", "SE"}: return "1"
        return "2" if "INGEN" in s else "9"
    month = 3 if pick(unit, year, "month", 4) else 6   # some summer-time submissions
    lines = ['<?xml version="1.0" encoding="ISO-8859-1"?>',
             '<kommunerapport skjema="IS-24/8" versjon="1">',
             f'  <aargang>{year}</aargang>',
             f'  <innsendt>{year + 1}-{month:02d}-{1 + pick(unit, year, "day", 27):02d}T{8 + pick(unit, year, "h", 9):02d}:{pick(unit, year, "m", 60):02d}:00</innsendt>',
             f'  <enhet type="{unit_type}">', f'    <nummer>{code}</nummer>', f'    <navn>{name}</navn>',
             f'    <innbyggere>{pop}</innbyggere>', '  </enhet>', '  <svar>',
             f'    <sporsmal id="3.1">{pop // 450},{pick(unit, year, "dec", 10)}</sporsmal>',
             '    <sporsmal id="3.2">Årsverk i rusarbeid er ført under psykisk helsearbeid</sporsmal>',
             f'    <sporsmal id="7.1">{V1_YN[collab]}</sporsmal>']
    if year >= 2016:
        lines.append(f'    <sporsmal id="7.1.1">{V1_YN[spec]}</sporsmal>')
    lines.append(f'    <sporsmal id="7.2">{V1_RATING[rating]}</sporsmal>')
    if year >= 2016:
        lines.append(f'    <sporsmal id="7.3">{yn_v1(psyk)}</sporsmal>')
        lines.append(f'    <sporsmal id="7.4">{yn_v1(rus)}</sporsmal>')
    lines += ['  </svar>', '</kommunerapport>', '']
    return "\n".join(lines).encode("iso-8859-1")

def v2_report(year, code, name, pop, unit_type, unit, p="", indent="", override=None, when=None):
    collab, spec, rating, psyk, rus = answers(unit, year)
    if override:
        collab, rating = override
    style = pick(unit, year, "style", 3)   # 0: code+label, 1: code only, 2: label only
    def svar(q, pair):
        kode, label = pair
        if style == 1: return f'{indent}    <{p}Svar sporsmal="{q}" kode="{kode}"/>'
        if style == 2: return f'{indent}    <{p}Svar sporsmal="{q}">{label}</{p}Svar>'
        return f'{indent}    <{p}Svar sporsmal="{q}" kode="{kode}">{label}</{p}Svar>'
    def valg(q, choices):
        inner = "".join(f'\n{indent}      <{p}Valg kode="{c}">{CHOICE[c]}</{p}Valg>' for c in sorted(choices))
        return f'{indent}    <{p}Svar sporsmal="{q}">{inner}\n{indent}    </{p}Svar>'
    uid = hashlib.sha256(f"{unit}/{year}/{when}".encode()).hexdigest()
    uuid = f"{uid[:8]}-{uid[8:12]}-4{uid[13:16]}-a{uid[17:20]}-{uid[20:32]}"
    ts = when or f'{year + 1}-02-{1 + pick(unit, year, "day", 27):02d}T{8 + pick(unit, year, "h", 9):02d}:{pick(unit, year, "m", 60):02d}:00+01:00'
    ns = f' xmlns{":" + p[:-1] if p else ""}="urn:no:helsedirektoratet:is-24-8:2"' if not indent else ""
    return "\n".join([
        f'{indent}<{p}Rapport{ns} rapporteringsaar="{year}">',
        f'{indent}  <{p}Innsending id="{uuid}" tidspunkt="{ts}"/>',
        f'{indent}  <{p}Enhet type="{unit_type}" nummer="{code}" innbyggere="{pop}">{name}</{p}Enhet>',
        f'{indent}  <{p}Kapittel nr="4" tittel="Årsverk">',
        f'{indent}    <{p}Svar sporsmal="4.1">{pop // 440},{pick(unit, year, "dec", 10)}</{p}Svar>',
        f'{indent}  </{p}Kapittel>',
        f'{indent}  <{p}Kapittel nr="21" tittel="Arbeidstiltak">',
        svar("ARB_NAV_SAMARBEID", V2_YN[collab]),
        svar("ARB_NAV_SAMARBEID_SPES", V2_YN[spec]),
        svar("ARB_NAV_SAMHANDLING", V2_RATING[rating]),
        valg("ARB_IPS_SE_PSYK", psyk), valg("ARB_IPS_SE_RUS", rus),
        f'{indent}  </{p}Kapittel>', f'{indent}</{p}Rapport>'])

def main():
    by = codes_by_year()
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    for year in range(2015, 2026):
        units = []
        for name, pop0, growth in UNITS:
            units.append(("kommune", by[name][year], name, pop0 + growth * (year - 2015), name))
        for code, name, pop0, growth in DISTRICTS:
            units.append(("bydel", code, name, pop0 + growth * (year - 2015), name))
        ydir = os.path.join(OUT, str(year))
        os.makedirs(ydir)
        if year <= 2017:
            for t, code, name, pop, unit in units:
                with open(os.path.join(ydir, f"{code}.xml"), "wb") as f:
                    f.write(v1_report(year, code, name, pop, t, unit))
            continue
        # version 2: Oslo's districts in one county file (prefixed), the
        # rest as single reports, Trondheim with a BOM and CRLF
        oslo = [u for u in units if u[0] == "bydel"]
        body = "\n".join(v2_report(year, c, n, pop, t, u, p="is:", indent="  ") for t, c, n, pop, u in oslo)
        with open(os.path.join(ydir, "oslo.xml"), "w", encoding="utf-8") as f:
            f.write('<?xml version="1.0" encoding="UTF-8"?>\n<!-- Oslo: all city districts in one file -->\n'
                    '<is:Rapporter xmlns:is="urn:no:helsedirektoratet:is-24-8:2">\n' + body + '\n</is:Rapporter>\n')
        for t, code, name, pop, unit in units:
            if t == "bydel":
                continue
            text = '<?xml version="1.0" encoding="UTF-8"?>\n' + v2_report(year, code, name, pop, t, unit) + "\n"
            raw = text.encode("utf-8")
            if unit == "Trondheim":
                raw = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
            with open(os.path.join(ydir, f"{code}.xml"), "wb") as f:
                f.write(raw)
    # Bergen corrects its 2019 report in April 2020: collaboration now
    # established and rated good.  The later submission is the current one.
    cdir = os.path.join(OUT, "2019", "korrigert")
    os.makedirs(cdir)
    with open(os.path.join(cdir, "1201.xml"), "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n' +
                v2_report(2019, by["Bergen"][2019], "Bergen", 275112 + 2500 * 4, "kommune", "Bergen",
                          override=("yes", "good"), when="2020-04-20T13:30:00+02:00") + "\n")
    with open(os.path.join(OUT, "README.txt"), "w") as f:
        f.write("IS-24/8 fixture delivery 2015-2025, written by tools/make_fixtures.py.\n")

if __name__ == "__main__":
    sys.exit(main())
