"""Write demo deliveries into the landing folders, in each source's real format, seeded and deterministic.

Figures are plausible, not official: the programme's 23 municipalities of 2019 and 2021, two confirmed 2025
newcomers and further seeded 2025 newcomers; the seven Swedish mission cities with their real label rounds;
synthetic emissions, populations, rates and funding. Every workbook built from them says so on its cover.

    python -m sources.demo.generate [--landing DIR] [--scale demo|sweden]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import io
import json
import math
import os
import random
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from reports.stable_xlsx import stable_xlsx_bytes
from sources.ingest import DEMO_MANIFEST
from sources.paths import REPO_ROOT, DataDir

SEED = 2030
MUNICIPALITIES_CSV = REPO_ROOT / "dbt_project" / "seeds" / "ref_municipalities.csv"
# The files the generator wrote, by hash, go into DEMO_MANIFEST: ingest marks exactly those as demo data.

SECTORS = [
    ("Arbetsmaskiner", 0.08),
    ("Avfall (inkl.avlopp)", 0.03),
    ("Egen uppvärmning av bostäder och lokaler", 0.03),
    ("El och fjärrvärme", 0.12),
    ("Industri (energi + processer)", 0.25),
    ("Jordbruk", 0.14),
    ("Produktanvändning (inkl. lösningsmedel)", 0.04),
    ("Transporter", 0.30),
    ("Utrikes transporter", 0.01),
]
# (name, wave, joined) for the 23 municipalities of waves 2019 and 2021 and the two confirmed 2025 newcomers.
KLIMATKONTRAKT = [
    *[
        (n, 2019, "2019-06-01")
        for n in ["Enköping", "Göteborg", "Järfälla", "Lund", "Malmö", "Stockholm", "Umeå", "Uppsala", "Växjö"]
    ],
    *[
        (n, 2021, "2021-10-01")
        for n in [
            "Borås",
            "Borlänge",
            "Eskilstuna",
            "Gävle",
            "Helsingborg",
            "Kalmar",
            "Karlstad",
            "Kristianstad",
            "Linköping",
            "Mariestad",
            "Nacka",
            "Skellefteå",
            "Örebro",
            "Östersund",
        ]
    ],
    ("Håbo", 2025, "2025-04-01"),
    ("Alvesta", 2025, "2025-04-01"),
]
AGENCIES = {
    2019: "Energimyndigheten, Vinnova, Formas, Tillväxtverket, Trafikverket, Naturvårdsverket",
    2021: "Energimyndigheten, Vinnova, Formas, Tillväxtverket, Trafikverket, Naturvårdsverket",
    2025: "Energimyndigheten, Vinnova, Formas, Tillväxtverket, Trafikverket, Naturvårdsverket",
}
# Approximate sizes (inhabitants) so the demo's population shares are of the right order.
APPROX_POPULATION = {
    "Stockholm": 990_000,
    "Göteborg": 600_000,
    "Malmö": 360_000,
    "Uppsala": 245_000,
    "Linköping": 166_000,
    "Örebro": 158_000,
    "Västerås": 158_000,
    "Helsingborg": 152_000,
    "Norrköping": 145_000,
    "Jönköping": 144_000,
    "Umeå": 132_000,
    "Lund": 130_000,
    "Borås": 115_000,
    "Huddinge": 114_000,
    "Eskilstuna": 107_000,
    "Nacka": 108_000,
    "Gävle": 103_000,
    "Halmstad": 104_000,
    "Södertälje": 102_000,
    "Sundsvall": 99_000,
    "Karlstad": 96_000,
    "Växjö": 96_000,
    "Botkyrka": 95_000,
    "Järfälla": 86_000,
    "Kristianstad": 86_000,
    "Luleå": 80_000,
    "Skellefteå": 75_000,
    "Kalmar": 72_000,
    "Östersund": 65_000,
    "Borlänge": 52_000,
    "Enköping": 48_000,
    "Mariestad": 24_000,
    "Håbo": 22_000,
    "Alvesta": 20_000,
}
# The seven Swedish mission cities (as the Mission Platform spells them) and other mission cities, with the
# real label rounds; pilot cohorts of the Swedish cities as published by NetZeroCities.
LABEL_DATES = {
    "R1": "2023-10-12",
    "R2": "2024-03-21",
    "R3": "2024-10-08",
    "R4": "2025-05",
    "R5": "2025-10-15",
    "R6": "2026-02-16",
}
MISSION_CITIES = [
    ("Stockholm", "Sweden", "SE", "R1", ""),
    ("Malmö", "Sweden", "SE", "R2", "1;2"),
    ("Gothenburg", "Sweden", "SE", "R3", ""),
    ("Gävle", "Sweden", "SE", "R3", "2"),
    ("Umeå", "Sweden", "SE", "R3", "1"),
    ("Helsingborg", "Sweden", "SE", "R4", "2"),
    ("Lund", "Sweden", "SE", "R4", "2"),
    ("Klagenfurt", "Austria", "AT", "R1", ""),
    ("Sønderborg", "Denmark", "DK", "R1", ""),
    ("Mannheim", "Germany", "DE", "R1", ""),
    ("Cluj-Napoca", "Romania", "RO", "R1", ""),
    ("Madrid", "Spain", "ES", "R1", ""),
    ("Valencia", "Spain", "ES", "R1", ""),
    ("Valladolid", "Spain", "ES", "R1", ""),
    ("Vitoria-Gasteiz", "Spain", "ES", "R1", ""),
    ("Zaragoza", "Spain", "ES", "R1", ""),
    ("Espoo", "Finland", "FI", "R2", ""),
    ("Lahti", "Finland", "FI", "R2", ""),
    ("Lappeenranta", "Finland", "FI", "R2", ""),
    ("Tampere", "Finland", "FI", "R2", ""),
    ("Turku", "Finland", "FI", "R2", ""),
    ("Leuven", "Belgium", "BE", "R2", ""),
    ("Heidelberg", "Germany", "DE", "R2", ""),
    ("Barcelona", "Spain", "ES", "R2", ""),
    ("Lisbon", "Portugal", "PT", "R2", ""),
    ("Lyon", "France", "FR", "R2", ""),
    ("Izmir", "Turkey", "TR", "R2", ""),
    ("Aachen", "Germany", "DE", "R3", ""),
    ("Münster", "Germany", "DE", "R3", ""),
    ("Liepāja", "Latvia", "LV", "R3", ""),
    ("Ljubljana", "Slovenia", "SI", "R3", ""),
    ("Porto", "Portugal", "PT", "R3", ""),
    ("Oslo", "Norway", "NO", "R4", ""),
    ("Trondheim", "Norway", "NO", "R4", ""),
    ("Stavanger", "Norway", "NO", "R4", ""),
    ("Reykjavík", "Iceland", "IS", "R4", ""),
    ("Copenhagen", "Denmark", "DK", "R4", ""),
    ("Aarhus", "Denmark", "DK", "R4", ""),
    ("Paris", "France", "FR", "R4", ""),
    ("Warsaw", "Poland", "PL", "R4", ""),
    ("Vilnius", "Lithuania", "LT", "R4", ""),
    ("Munich", "Germany", "DE", "R5", ""),
    ("Amsterdam", "Netherlands", "NL", "R5", ""),
    ("Dortmund", "Germany", "DE", "R6", ""),
    ("Tartu", "Estonia", "EE", "", ""),
    ("Frankfurt am Main", "Germany", "DE", "", ""),
    ("Utrecht", "Netherlands", "NL", "", ""),
]
ASSOCIATED = {"NO", "IS", "TR", "UK", "IL", "AL", "BA", "ME"}
INSTRUMENTS = {
    # code: (currency, units to draw from, typical award in the currency, call names)
    "NZC_PILOT": ("EUR", ["EUR", "tEUR"], 1_000_000, ["NZC Pilot Cities cohort 1", "NZC Pilot Cities cohort 2"]),
    "DUT": ("EUR", ["EUR"], 300_000, ["DUT Call 2022", "DUT Call 2023", "DUT Call 2024"]),
    "NEB": ("EUR", ["EUR"], 400_000, ["New European Bauhaus Facility 2024"]),
    "EUI": ("EUR", ["EUR", "MEUR"], 4_000_000, ["EUI Innovative Actions call 3"]),
    "INNOVATION_FUND": ("EUR", ["MEUR"], 8_000_000, ["Innovation Fund IF24 small-scale"]),
    "ELENA": ("EUR", ["EUR"], 1_800_000, ["ELENA technical assistance"]),
    "ERDF": (
        "SEK",
        ["kr", "tkr"],
        6_000_000,
        ["Regionalfonden 2021-2027, Övre Norrland", "Regionalfonden 2021-2027, Skåne-Blekinge"],
    ),
    "HORIZON_EUROPE": ("EUR", ["EUR"], 900_000, ["HORIZON-MISS-2023-CIT-01", "HORIZON-MISS-2024-CIT-01"]),
    "CCCH": ("EUR", ["EUR"], 150_000, ["Climate City Capital Hub advisory"]),
    "ENERGIMYNDIGHETEN": (
        "SEK",
        ["kr", "tkr", "MSEK"],
        3_000_000,
        ["Klimatneutrala städer 2030, systemdemonstratorer"],
    ),
    "VINNOVA": ("SEK", ["kr", "tkr"], 2_000_000, ["Viable Cities utlysning 2024"]),
    "FORMAS": ("SEK", ["kr", "tkr"], 2_500_000, ["Formas DUT nationell medfinansiering"]),
    "KOMMUNINVEST": ("SEK", ["MSEK"], 250_000_000, ["Gröna lån"]),
}
DELIVERED = {  # when each demo delivery was "dropped" (its file time, the vintage)
    "mission_cities": dt.datetime(2026, 10, 2, 9, 0, tzinfo=dt.UTC),
    "klimatkontrakt_register": dt.datetime(2026, 9, 30, 12, 0, tzinfo=dt.UTC),
    "funding_ledger": dt.datetime(2026, 10, 5, 8, 30, tzinfo=dt.UTC),
    "smhi_emissions": dt.datetime(2026, 6, 15, 7, 0, tzinfo=dt.UTC),
    "ecb_rates": dt.datetime(2026, 10, 1, 15, 0, tzinfo=dt.UTC),
}


@dataclass(frozen=True)
class Scale:
    name: str
    emission_years: tuple[int, ...]
    funding_records: int


SCALES = {
    "demo": Scale("demo", (1990, 2000, 2005, 2010, *range(2015, 2025)), 160),
    "sweden": Scale("sweden", tuple(range(1990, 2025)), 5_000),
}


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    county_code: str
    county_name: str


def load_municipalities() -> list[Municipality]:
    with MUNICIPALITIES_CSV.open(encoding="utf-8", newline="") as fh:
        return [
            Municipality(r["municipality_code"], r["municipality_name"], r["county_code"], r["county_name"])
            for r in csv.DictReader(fh)
        ]


def _write(path: Path, data: bytes, delivered: dt.datetime) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.utime(path, (delivered.timestamp(), delivered.timestamp()))


def _xlsx(wb: Workbook, delivered: dt.datetime) -> bytes:
    return stable_xlsx_bytes(wb, delivered.replace(tzinfo=None))


def populations(munis: list[Municipality], rng: random.Random) -> dict[str, dict[int, int]]:
    """Population on 31 December of each year 2018-2025 per municipality code."""
    out: dict[str, dict[int, int]] = {}
    for m in munis:
        base = APPROX_POPULATION.get(m.name) or int(math.exp(rng.gauss(math.log(16_000), 0.7)))
        growth = rng.gauss(0.006, 0.006)
        out[m.code] = {y: round(base * (1 + growth) ** (y - 2024)) for y in range(2018, 2026)}
    return out


def emissions(
    munis: list[Municipality], pops: dict[str, dict[int, int]], years: tuple[int, ...], rng: random.Random
) -> dict[tuple[str, str], dict[int, float]]:
    """Tonnes CO2e per (municipality code, sector) and year."""
    out: dict[tuple[str, str], dict[int, float]] = {}
    for m in munis:
        per_capita_2015 = math.exp(rng.gauss(math.log(3.2), 0.5))
        total_2015 = per_capita_2015 * pops[m.code][2018]
        change_after_2015 = rng.gauss(-0.035, 0.02)
        level_1990 = rng.uniform(1.2, 1.6)
        for sector, weight in SECTORS:
            share = weight * rng.uniform(0.5, 1.5)
            series = {}
            for y in years:
                if y <= 2015:
                    factor = level_1990 + (1 - level_1990) * (y - 1990) / 25
                else:
                    factor = (1 + change_after_2015) ** (y - 2015)
                series[y] = round(total_2015 * share * factor * rng.uniform(0.96, 1.04), 6)
            out[(m.code, sector)] = series
    return out


def write_smhi(landing: Path, munis, pops, years, rng) -> None:
    values = emissions(munis, pops, years, rng)
    wb = Workbook()
    ws = wb.active
    ws.title = "Totala växthusgaser"
    ws.append(["Rapportnamn:", "Länsrapport, 2026-06-12"])
    ws.append(["Emissioner av Totala växthusgaser"])
    ws.append(["Enhet: ton/år"])
    ws.append([])
    ws.append([None, None, None, None, *years])
    ws.append(["Huvudsektor", "Undersektor", "Län", "Kommun", *["GGT"] * len(years)])

    def total(codes: list[str], sectors: list[str]) -> list[float]:
        return [round(sum(values[(c, s)][y] for c in codes for s in sectors), 6) for y in years]

    sector_names = [s for s, _ in SECTORS]
    counties: dict[str, list[Municipality]] = {}
    for m in munis:
        counties.setdefault(m.county_name, []).append(m)
    for sector in ["Alla", *sector_names]:
        chosen = sector_names if sector == "Alla" else [sector]
        ws.append([sector, "Alla", "Alla", "Alla", *total([m.code for m in munis], chosen)])
        for county in sorted(counties):
            members = sorted(counties[county], key=lambda m: m.name)
            ws.append([sector, "Alla", county, "Alla", *total([m.code for m in members], chosen)])
            for m in members:
                ws.append([sector, "Alla", county, m.name, *total([m.code], chosen)])
    _write(
        landing / "smhi_emissions" / "smhi_lansrapport_ggt_2026-06-12.xlsx",
        _xlsx(wb, DELIVERED["smhi_emissions"]),
        DELIVERED["smhi_emissions"],
    )


def write_scb(landing: Path, munis: list[Municipality], pops: dict[str, dict[int, int]]) -> None:
    counties: dict[str, list[Municipality]] = {}
    for m in munis:
        counties.setdefault(m.county_code, []).append(m)
    county_names = {m.county_code: m.county_name.removesuffix(" län").removesuffix("s") for m in munis}
    for year in range(2018, 2026):
        wb = Workbook()
        ws = wb.active
        ws.title = "Totalt"
        ws.append(
            [
                f"Folkmängd i riket, län och kommuner 31 december och befolkningsförändringar "
                f"1 januari - 31 december {year}. Totalt"
            ]
        )
        ws.append([f"Folkmängd redovisas enligt indelningen {year + 1}-01-01."])
        ws.append([])
        ws.append(["Kommun", "Kommunnamn", "Folkmängd", "Folk-"])
        ws.append(["Län", "Länsnamn", " ", "ökning"])
        ws.append([])
        ws.append([None, "Riket".ljust(50), sum(pops[m.code][year] for m in munis), None])
        for cc in sorted(counties):
            members = counties[cc]
            ws.append([cc, county_names[cc].ljust(50), sum(pops[m.code][year] for m in members), None])
            for m in sorted(members, key=lambda m: m.name):
                ws.append(
                    [
                        m.code,
                        m.name.ljust(50),
                        pops[m.code][year],
                        pops[m.code][year] - pops[m.code].get(year - 1, pops[m.code][year]),
                    ]
                )
        ws.append([])
        ws.append(["1) Demo: befolkningssiffrorna är framtagna för demonstration, inte SCB:s statistik."])
        delivered = dt.datetime(year + 1, 2, 21, 8, 0, tzinfo=dt.UTC)
        _write(landing / "scb_population" / f"be0101_tabhel{year}.xlsx", _xlsx(wb, delivered), delivered)


def write_ecb(landing: Path, rng: random.Random) -> None:
    currencies = ["USD", "JPY", "DKK", "GBP", "SEK", "CHF", "ISK", "NOK"]
    level = {"USD": 1.10, "JPY": 130.0, "DKK": 7.45, "GBP": 0.86, "SEK": 9.30, "CHF": 1.05, "ISK": 145.0, "NOK": 9.40}
    holidays = {(1, 1), (5, 1), (12, 25), (12, 26)}
    day, end = dt.date(2015, 1, 2), dt.date(2026, 9, 30)
    rows = []
    while day <= end:
        if day.weekday() < 5 and (day.month, day.day) not in holidays:
            row = [day.isoformat()]
            for c in currencies:
                drift = 0.00012 if c == "SEK" and day.year < 2023 else 0.0
                level[c] *= math.exp(rng.gauss(drift, 0.004))
                row.append("N/A" if c == "ISK" and day.year < 2018 else f"{level[c]:.4f}")
            rows.append(row)
        day += dt.timedelta(days=1)
    text = io.StringIO()
    text.write("Date," + ",".join(currencies) + ",\n")
    for row in reversed(rows):  # the ECB file lists the newest date first
        text.write(",".join(row) + ",\n")
    _write(landing / "ecb_rates" / "eurofxref-hist.csv", text.getvalue().encode(), DELIVERED["ecb_rates"])


def write_mission_cities(landing: Path) -> None:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(
        [
            "city",
            "country",
            "country_iso2",
            "eu_member",
            "mission_label_round",
            "mission_label_date",
            "ccc_status",
            "pilot_cohorts",
        ]
    )
    for city, country, iso2, rnd, cohorts in MISSION_CITIES:
        status = "endorsed" if rnd else ("submitted" if iso2 in {"DE", "EE"} else "in_revision")
        writer.writerow(
            [
                city,
                country,
                iso2,
                "False" if iso2 in ASSOCIATED else "True",
                rnd,
                LABEL_DATES.get(rnd, ""),
                status,
                cohorts,
            ]
        )
    _write(
        landing / "mission_cities" / "nzc_mission_cities_2026-10-02.csv",
        text.getvalue().encode(),
        DELIVERED["mission_cities"],
    )


def register_rows(munis: list[Municipality], rng: random.Random) -> list[tuple[Municipality, int, str]]:
    by_name = {m.name: m for m in munis}
    chosen = [(by_name[n], wave, joined) for n, wave, joined in KLIMATKONTRAKT]
    taken = {m.code for m, _, _ in chosen}
    newcomers = rng.sample([m for m in munis if m.code not in taken], 23)
    for i, m in enumerate(sorted(newcomers, key=lambda m: m.code)):
        joined = dt.date(2025, 3, 1) + dt.timedelta(days=7 * (i % 26))  # some join in Q1, some in Q2 and Q3
        chosen.append((m, 2025, joined.isoformat()))
    return chosen


def write_register(landing: Path, rows: list[tuple[Municipality, int, str]]) -> None:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        ["Kommunkod", "Kommun", "Våg", "Anslutningsdatum", "Utträdesdatum", "Senaste kontraktsversion", "Myndigheter"]
    )
    for m, wave, joined in rows:
        writer.writerow([m.code, m.name, wave, joined, "", 2025, AGENCIES[wave]])
    # Excel's "CSV UTF-8" export with Swedish settings: semicolons and a byte-order mark.
    _write(
        landing / "klimatkontrakt_register" / "klimatkontrakt_register.csv",
        b"\xef\xbb\xbf" + text.getvalue().encode(),
        DELIVERED["klimatkontrakt_register"],
    )


def write_funding(landing: Path, rows: list[tuple[Municipality, int, str]], n: int, rng: random.Random) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Finansiering"
    ws.append(["Viable Cities – finansieringsliggare"])
    ws.append(["Demo: posterna är framtagna för demonstration."])
    ws.append([])
    ws.append(
        [
            "Referens",
            "Instrument",
            "Utlysning",
            "Mottagare",
            "Kommunkod",
            "Status",
            "Belopp",
            "Valuta",
            "Enhet",
            "Ansökningsdatum",
            "Beslutsdatum",
        ]
    )
    scale = {"kr": 1, "tkr": 1_000, "MSEK": 1_000_000, "EUR": 1, "tEUR": 1_000, "MEUR": 1_000_000}
    codes = sorted(INSTRUMENTS)
    for i in range(n):
        code = rng.choice(codes)
        currency, units, typical, calls = INSTRUMENTS[code]
        m, _, _ = rng.choice(rows)
        applied = dt.date(2019, 3, 1) + dt.timedelta(
            days=rng.randrange(0, (dt.date(2026, 8, 31) - dt.date(2019, 3, 1)).days)
        )
        decided = applied + dt.timedelta(days=rng.randrange(45, 200))
        roll = rng.random()
        if decided > dt.date(2026, 9, 30):
            status, decided = "applied", None
        else:
            status = "awarded" if roll < 0.55 else "rejected"
        unit = rng.choice(units)
        amount = typical * math.exp(rng.gauss(0, 0.5)) / scale[unit]
        amount = round(amount, 0 if unit in ("kr", "EUR") else 2)
        ws.append(
            [
                f"VC-{2019 + i % 8}-{i + 1:04d}",
                code,
                rng.choice(calls),
                f"{m.name} kommun",
                m.code,
                status,
                amount,
                currency,
                unit,
                applied,
                decided,
            ]
        )
    for row in ws.iter_rows(min_row=5, min_col=10, max_col=11):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    _write(
        landing / "funding_ledger" / "finansiering_2026Q3.xlsx",
        _xlsx(wb, DELIVERED["funding_ledger"]),
        DELIVERED["funding_ledger"],
    )


def write_demo(landing: Path, scale: str = "demo", seed: int = SEED) -> list[Path]:
    """Write every source's demo delivery under `landing`; returns the files written."""
    spec = SCALES[scale]
    rng = random.Random(seed)
    munis = load_municipalities()
    pops = populations(munis, rng)
    register = register_rows(munis, rng)
    write_mission_cities(landing)
    write_register(landing, register)
    write_funding(landing, register, spec.funding_records, rng)
    write_scb(landing, munis, pops)
    write_smhi(landing, munis, pops, spec.emission_years, rng)
    write_ecb(landing, rng)
    written = sorted(p for p in landing.glob("*/*") if p.is_file() and not p.name.startswith("."))
    for folder in sorted({p.parent for p in written}):
        files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in written if p.parent == folder}
        (folder / DEMO_MANIFEST).write_text(
            json.dumps({"generator": "sources.demo.generate", "files": files}, indent=1, sort_keys=True),
            encoding="utf-8",
        )
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--landing", type=Path, default=None, help="landing folder (default: $VC_DATA_DIR/landing)")
    parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    landing = args.landing or DataDir.current().root / "landing"
    files = write_demo(landing, args.scale, args.seed)
    print(f"wrote {len(files)} demo files under {landing}")


if __name__ == "__main__":
    main()
