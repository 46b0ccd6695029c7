"""Write demo deliveries into the landing folders, in each source's real format, seeded and deterministic.

Figures are plausible, not official: the programme's 23 municipalities of 2019 and 2021, two confirmed 2025
newcomers and further seeded 2025 newcomers; the seven Swedish mission cities with their real label rounds;
populations, emissions and EUR/SEK rates drawn around public reference figures (sources/demo/reference: SCB,
SMHI, ECB), so the demo reads like Sweden; synthetic funding, follow-ups and engagements. Every workbook built from
them says so on its cover.

Each source's writer draws from its own seeded generator (source_rng), so a change to one source's demo data
leaves every other source's files as they were; what several sources share (municipalities, their populations,
the register) is built once, in build_world.

    python -m sources.demo.generate [--landing DIR] [--scale demo|sweden|europe]
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime as dt
import hashlib
import io
import json
import math
import os
import random
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from openpyxl import Workbook

from reports.stable_xlsx import stable_xlsx_bytes
from sources.commentary.demo import write_commentary
from sources.demo.bigxlsx import write_sheet
from sources.klimatkontrakt_followup import template
from sources.lib.ingest import DEMO_MANIFEST
from sources.lib.paths import REPO_ROOT, DataDir

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
REFERENCE_DIR = Path(__file__).resolve().parent / "reference"  # public anchors; see its PROVENANCE.md
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
    "cordis": dt.datetime(2026, 9, 15, 6, 0, tzinfo=dt.UTC),
    "engagement_log": dt.datetime(2026, 10, 3, 10, 0, tzinfo=dt.UTC),
}


@dataclass(frozen=True)
class Scale:
    name: str
    emission_years: tuple[int, ...]
    funding_records: int
    eu_cities: int = 0  # European cities in eu_city_emissions (none at demo scale: no file)
    funding_from: dt.date = dt.date(2019, 3, 1)  # first application date in the ledger
    cordis_extra_projects: int = 0  # synthetic CORDIS projects beside the ten named ones
    eu_sectors: int = 9


CORDIS_PARTNERS_PER_EXTRA_PROJECT = 5
SCALES = {
    "demo": Scale("demo", (1990, 2000, 2005, 2010, *range(2015, 2025)), 160),
    # all 290 municipalities, 35 years x 9 sectors
    "sweden": Scale("sweden", tuple(range(1990, 2025)), 5_000),
    # ~12,000 Covenant-of-Mayors-sized cities x 9 sectors x 35 years = 3.78 M emission values; 250,000 ledger
    # records over 40 quarters (2016Q4-2026Q3) and 50,000 CORDIS projects with 250,000 participations
    "europe": Scale(
        "europe",
        tuple(range(1990, 2025)),
        250_000,
        eu_cities=12_000,
        funding_from=dt.date(2016, 10, 1),
        cordis_extra_projects=50_000,
    ),
}
BIG_SHEET_ROWS = 20_000  # above this a sheet is written by sources.demo.bigxlsx instead of openpyxl


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


@dataclass(frozen=True)
class Reference:
    population_2024: int
    ghg_t: dict[int, float]  # SMHI's territorial total, t CO2e, for 1990, 2015 and 2024


def load_reference() -> dict[str, Reference]:
    with (REFERENCE_DIR / "municipalities.csv").open(encoding="utf-8", newline="") as fh:
        return {
            r["municipality_code"]: Reference(
                int(r["population_2024"]), {y: float(r[f"ghg_{y}_t"]) for y in (1990, 2015, 2024)}
            )
            for r in csv.DictReader(fh)
        }


def source_rng(seed: int, source: str) -> random.Random:
    """The seeded generator of one source's demo data (a string seed is hashed the same way in every process)."""
    return random.Random(f"{seed}:{source}")


def populations(munis: list[Municipality], rng: random.Random) -> dict[str, dict[int, int]]:
    """Population on 31 December of each year 2018-2025 per municipality code: SCB's 2024 figure within 1 %,
    and a yearly growth drawn around Sweden's recent 0.6 %."""
    reference = load_reference()
    out: dict[str, dict[int, int]] = {}
    for m in munis:
        base = reference[m.code].population_2024 * rng.uniform(0.99, 1.01)
        growth = rng.gauss(0.006, 0.006)
        out[m.code] = {y: round(base * (1 + growth) ** (y - 2024)) for y in range(2018, 2026)}
    return out


def _anchored(anchors: dict[int, float], year: int) -> float:
    """The path through the anchor years, geometric between them (and beyond 2024, on the 2015-2024 trend)."""
    a1990, a2015, a2024 = anchors[1990], anchors[2015], anchors[2024]
    if year <= 2015:
        return a1990 * (a2015 / a1990) ** ((year - 1990) / 25)
    return a2015 * (a2024 / a2015) ** ((year - 2015) / 9)


def emissions(
    munis: list[Municipality], years: tuple[int, ...], rng: random.Random
) -> dict[tuple[str, str], dict[int, float]]:
    """Tonnes CO2e per (municipality code, sector) and year: each municipality's total runs within 3 % of SMHI's
    1990, 2015 and 2024 totals, with yearly noise, split over the nine sectors with shares of its own."""
    reference = load_reference()
    out: dict[tuple[str, str], dict[int, float]] = {}
    for m in munis:
        anchors = {y: max(v, 1.0) * rng.uniform(0.97, 1.03) for y, v in reference[m.code].ghg_t.items()}
        weights = [w * rng.uniform(0.5, 1.5) for _, w in SECTORS]
        shares = [w / sum(weights) for w in weights]
        series: dict[str, dict[int, float]] = {s: {} for s, _ in SECTORS}
        for y in years:
            total = _anchored(anchors, y) * rng.uniform(0.97, 1.03)
            for (sector, _), share in zip(SECTORS, shares, strict=True):
                series[sector][y] = round(total * share * rng.uniform(0.97, 1.03), 3)
        for sector, values in series.items():
            out[(m.code, sector)] = values
    return out


def write_smhi(landing: Path, munis: list[Municipality], years: tuple[int, ...], rng: random.Random) -> None:
    values = emissions(munis, years, rng)
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


def eur_sek_reference() -> dict[int, tuple[float, float, float]]:
    """The ECB's EUR/SEK per year: (mean, min, max) of the daily reference rates."""
    with (REFERENCE_DIR / "eur_sek.csv").open(encoding="utf-8", newline="") as fh:
        return {int(r["year"]): (float(r["mean"]), float(r["min"]), float(r["max"])) for r in csv.DictReader(fh)}


def _sek_level(day: dt.date, reference: dict[int, tuple[float, float, float]]) -> float:
    """The year's mean, blended into the neighbouring year's over the six weeks either side of New Year."""
    newest = max(reference)
    mean = {y: m for y, (m, _, _) in reference.items()}

    def of(year: int) -> float:
        return mean.get(year, mean[min(mean)] if year < min(mean) else mean[newest])

    this = of(day.year)
    for boundary, other in (
        (dt.date(day.year, 1, 1), of(day.year - 1)),
        (dt.date(day.year + 1, 1, 1), of(day.year + 1)),
    ):
        distance = abs((day - boundary).days)
        if distance < 45:
            weight = 0.5 * (1 - distance / 45)  # half-way at New Year, this year's own mean 45 days away
            return this + weight * (other - this)
    return this


def write_ecb(landing: Path, rng: random.Random) -> None:
    """Daily reference rates, newest first. SEK follows the ECB's real annual means with daily noise, kept within
    each year's real range (the newest year's range for the months after it); the others walk at random."""
    currencies = ["USD", "JPY", "DKK", "GBP", "SEK", "CHF", "ISK", "NOK"]
    level = {"USD": 1.10, "JPY": 130.0, "DKK": 7.45, "GBP": 0.86, "CHF": 1.05, "ISK": 145.0, "NOK": 9.40}
    reference = eur_sek_reference()
    holidays = {(1, 1), (5, 1), (12, 25), (12, 26)}
    day, end = dt.date(2015, 1, 2), dt.date(2026, 9, 30)
    deviation = 0.0
    rows = []
    while day <= end:
        if day.weekday() < 5 and (day.month, day.day) not in holidays:
            row = [day.isoformat()]
            deviation = 0.98 * deviation + rng.gauss(0, 0.0025)
            _, low, high = reference.get(day.year, reference[max(reference)])
            for c in currencies:
                if c == "SEK":
                    level_sek = _sek_level(day, reference)
                    # the noise as wide as the year's real spread (2021 moved within 4 %, 2023 within 9 %)
                    wiggle = deviation * (high - low) / level_sek / 0.06
                    rate = min(max(level_sek * math.exp(wiggle), low), high)
                else:
                    level[c] *= math.exp(rng.gauss(0.0, 0.004))
                    rate = level[c]
                row.append("N/A" if c == "ISK" and day.year < 2018 else f"{rate:.4f}")
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


def write_funding(
    landing: Path,
    rows: list[tuple[Municipality, int, str]],
    n: int,
    rng: random.Random,
    start: dt.date = dt.date(2019, 3, 1),
) -> None:
    head = [
        ["Viable Cities – finansieringsliggare"],
        ["Demo: posterna är framtagna för demonstration."],
        [],
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
        ],
    ]
    records = _funding_records(rows, n, rng, start)
    target = landing / "funding_ledger" / "finansiering_2026Q3.xlsx"
    if n > BIG_SHEET_ROWS:
        write_sheet(target, "Finansiering", [*head, *records], len(head) + n, 11)
        os.utime(target, (DELIVERED["funding_ledger"].timestamp(),) * 2)
        return
    wb = Workbook()
    ws = wb.active
    ws.title = "Finansiering"
    for line in [*head, *records]:
        ws.append(line)
    for row in ws.iter_rows(min_row=5, min_col=10, max_col=11):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    _write(target, _xlsx(wb, DELIVERED["funding_ledger"]), DELIVERED["funding_ledger"])


def _funding_records(
    rows: list[tuple[Municipality, int, str]], n: int, rng: random.Random, start: dt.date
) -> list[list[object]]:
    out: list[list[object]] = []
    scale = {"kr": 1, "tkr": 1_000, "MSEK": 1_000_000, "EUR": 1, "tEUR": 1_000, "MEUR": 1_000_000}
    codes = sorted(INSTRUMENTS)
    for i in range(n):
        code = rng.choice(codes)
        currency, units, typical, calls = INSTRUMENTS[code]
        m, _, _ = rng.choice(rows)
        applied = start + dt.timedelta(days=rng.randrange(0, (dt.date(2026, 8, 31) - start).days))
        decided = applied + dt.timedelta(days=rng.randrange(45, 200))
        roll = rng.random()
        if decided > dt.date(2026, 9, 30):
            status, decided = "applied", None
        else:
            status = "awarded" if roll < 0.55 else "rejected"
        unit = rng.choice(units)
        amount = typical * math.exp(rng.gauss(0, 0.5)) / scale[unit]
        amount = round(amount, 0 if unit in ("kr", "EUR") else 2)
        out.append(
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
    return out


# ---------------------------------------------------------------------------------------------------------------
# CORDIS: project.csv + organization.csv as the bulk export writes them (";", every field quoted, UTF-8)

CORDIS_PROJECT_HEADER = [
    "id", "acronym", "status", "title", "startDate", "endDate", "totalCost", "ecMaxContribution", "legalBasis",
    "topics", "ecSignatureDate", "frameworkProgramme", "masterCall", "subCall", "fundingScheme", "nature",
    "objective", "contentUpdateDate", "rcn", "grantDoi",
]  # fmt: skip
CORDIS_ORGANIZATION_HEADER = [
    "projectID", "projectAcronym", "organisationID", "vatNumber", "name", "shortName", "SME", "activityType",
    "street", "postCode", "city", "country", "nutsCode", "geolocation", "organizationURL", "contactForm",
    "contentUpdateDate", "rcn", "order", "role", "ecContribution", "netEcContribution", "totalCost",
    "endOfParticipation", "active",
]  # fmt: skip
# (PIC-like id, name as CORDIS writes it, short name, activity type, city, country, postcode, NUTS 3)
CORDIS_ORGS = {
    "STH": ("999870141", "STOCKHOLMS KOMMUN", "Stockholm", "PUB", "STOCKHOLM", "SE", "105 35", "SE110"),
    "GBG": ("999869462", "GOTEBORGS KOMMUN", "Göteborgs Stad", "PUB", "GOTEBORG", "SE", "404 82", "SE232"),
    "MAL": ("999866843", "MALMO STAD", "Malmö stad", "PUB", "MALMO", "SE", "205 80", "SE224"),
    "LUN": ("999863933", "LUNDS KOMMUN", "Lunds kommun", "PUB", "LUND", "SE", "221 00", "SE224"),
    "UME": ("999861115", "UMEA KOMMUN", "Umeå kommun", "PUB", "UMEA", "SE", "901 84", "SE331"),
    "GAV": ("999858593", "GAVLE KOMMUN", "Gävle kommun", "PUB", "GAVLE", "SE", "801 84", "SE313"),
    "HBG": ("999855876", "HELSINGBORGS STAD", "Helsingborg", "PUB", "HELSINGBORG", "SE", "251 89", "SE224"),
    "UPP": ("999852963", "UPPSALA KOMMUN", "Uppsala kommun", "PUB", "UPPSALA", "SE", "753 75", "SE121"),
    "KTH": ("999977172", "KUNGLIGA TEKNISKA HOEGSKOLAN", "KTH", "HES", "STOCKHOLM", "SE", "100 44", "SE110"),
    "LU": ("999985804", "LUNDS UNIVERSITET", "LU", "HES", "LUND", "SE", "221 00", "SE224"),
    "CTH": ("999976396", "CHALMERS TEKNISKA HOGSKOLA AB", "Chalmers", "HES", "GOTEBORG", "SE", "412 96", "SE232"),
    "UMU": ("999882072", "UMEA UNIVERSITET", "UmU", "HES", "UMEA", "SE", "901 87", "SE331"),
    "RISE": ("999568657", "RISE RESEARCH INSTITUTES OF SWEDEN AB", "RISE", "REC", "BORAS", "SE", "501 15", "SE232"),
    "IVL": ("999990266", "IVL SVENSKA MILJOEINSTITUTET AB", "IVL", "REC", "STOCKHOLM", "SE", "100 31", "SE110"),
    "HABO": ("999841227", "HABO KOMMUN", "Habo kommun", "PUB", "HABO", "SE", "566 80", "SE211"),
    "KIC": ("999422718", "CLIMATE KIC HOLDING BV", "Climate-KIC", "OTH", "AMSTERDAM", "NL", "1019 GM", "NL329"),
    "AMS": ("999855973", "GEMEENTE AMSTERDAM", "Amsterdam", "PUB", "AMSTERDAM", "NL", "1011 PN", "NL329"),
    "MAD": ("999859948", "AYUNTAMIENTO DE MADRID", "Madrid", "PUB", "MADRID", "ES", "28014", "ES300"),
    "MIL": ("999861212", "COMUNE DI MILANO", "Milano", "PUB", "MILANO", "IT", "20121", "ITC4C"),
    "MAN": ("999862885", "STADT MANNHEIM", "Mannheim", "PUB", "MANNHEIM", "DE", "68159", "DE126"),
    "TRE": ("999858787", "TAMPEREEN KAUPUNKI", "Tampere", "PUB", "TAMPERE", "FI", "33100", "FI197"),
    "OSL": ("999866261", "OSLO KOMMUNE", "Oslo", "PUB", "OSLO", "NO", "0037", "NO081"),
    "THE": ("999873245", "DIMOS THESSALONIKIS", "Thessaloniki", "PUB", "THESSALONIKI", "EL", "546 21", "EL522"),
    "TNO": ("999988133", "NEDERLANDSE ORGANISATIE VOOR TOEGEPAST NATUURWETENSCHAPPELIJK ONDERZOEK TNO", "TNO",
            "REC", "DEN HAAG", "NL", "2595 DA", "NL332"),
    "DTU": ("999994796", "DANMARKS TEKNISKE UNIVERSITET", "DTU", "HES", "KONGENS LYNGBY", "DK", "2800", "DK012"),
    "ACC": ("888765432", "URBAN FUTURES CONSULTING AB", "Urban Futures", "PRC", "STOCKHOLM", "SE", "111 22", "SE110"),
}  # fmt: skip
# (id, acronym, title, topic, framework, start, months, EC max EUR, coordinator, participants)
CORDIS_PROJECTS = [
    ("101036519", "NetZeroCities", "Accelerating cities' transition to net zero emissions by 2030", "LC-GD-1-1-2020",
     "H2020", "2021-10-01", 60, 53_000_000, "KIC", ["KTH", "LU", "RISE", "AMS", "MAD", "TNO", "DTU"]),
    ("101094001", "CITYMOVE-N", "Zero-emission mobility hubs for mission cities", "HORIZON-MISS-2021-CIT-02-01",
     "HORIZON", "2022-11-01", 48, 9_850_000, "STH", ["KTH", "MIL", "MAN", "RISE", "ACC"]),
    ("101096445", "NORDPED", "Positive energy districts in Nordic climate", "HORIZON-MISS-2021-CIT-02-03",
     "HORIZON", "2023-01-01", 48, 11_200_000, "LU", ["LUN", "MAL", "TRE", "OSL", "DTU"]),
    ("101103775", "CLIMAGOV", "Climate governance labs for net zero cities", "HORIZON-MISS-2022-CIT-01-01",
     "HORIZON", "2023-06-01", 36, 4_999_750, "GBG", ["CTH", "THE", "AMS", "IVL"]),
    ("101104221", "FINCIT", "Blended finance for city climate investment plans", "HORIZON-MISS-2022-CIT-01-03",
     "HORIZON", "2023-09-01", 36, 2_998_437.5, "TNO", ["UME", "UMU", "MAD", "ACC"]),
    ("101121930", "RENOZERO", "One-stop shops for deep renovation in mission cities", "HORIZON-MISS-2023-CIT-01-01",
     "HORIZON", "2024-01-01", 48, 7_400_000, "MIL", ["GAV", "HBG", "RISE", "TRE"]),
    ("101139817", "HEATSHARE", "Sharing waste heat between industry and districts", "HORIZON-MISS-2023-CIT-02-02",
     "HORIZON", "2024-05-01", 42, 6_100_000, "DTU", ["HBG", "LU", "IVL", "MAN"]),
    ("101147602", "SAMSKAPA", "Citizen co-creation of climate city contracts", "HORIZON-MISS-2024-CIT-01-02",
     "HORIZON", "2025-01-01", 36, 3_500_000, "UPP", ["UMU", "THE", "OSL", "HABO"]),
    ("101158311", "DATA4NZ", "MEL data spaces for net zero cities", "HORIZON-MISS-2024-CIT-02-01",
     "HORIZON", "2025-03-01", 36, 5_200_000, "RISE", ["STH", "MAL", "GBG", "AMS", "TNO"]),
    ("101167054", "LOGIZERO", "Zero-emission urban logistics pilots", "HORIZON-MISS-2025-CIT-01-01",
     "HORIZON", "2026-01-01", 48, 8_000_000, "MAN", ["GBG", "CTH", "MAD", "ACC"]),
]  # fmt: skip


def _cordis_amount(value: float) -> str:
    """CORDIS writes amounts with a decimal point and no thousands separator ("9850000", "2998437.5")."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def cordis_rows(rng: random.Random) -> tuple[list[list[str]], list[list[str]]]:
    projects, organisations = [], []
    updated = "2026-09-10 08:14:32"
    for pid, acronym, title, topic, fp, start, months, ec_max, coordinator, partners in CORDIS_PROJECTS:
        begin = dt.date.fromisoformat(start)
        end = dt.date(begin.year + (begin.month - 1 + months) // 12, (begin.month - 1 + months) % 12 + 1, 1)
        end -= dt.timedelta(days=1)
        total = round(ec_max * rng.uniform(1.0, 1.25), 2)
        call = topic.rsplit("-", 1)[0] if fp == "HORIZON" else "H2020-LC-GD-2020"
        status = "CLOSED" if end < dt.date(2026, 9, 1) else "SIGNED"
        scheme = "H2020-IA" if fp == "H2020" else rng.choice(["HORIZON-IA", "HORIZON-RIA", "HORIZON-CSA"])
        projects.append(
            [
                pid, acronym, status, title, start, end.isoformat(), _cordis_amount(total), _cordis_amount(ec_max),
                "H2020-EU.3.3." if fp == "H2020" else "HORIZON.2.5", topic,
                (begin - dt.timedelta(days=rng.randrange(30, 120))).isoformat(), fp, call,
                call if fp == "H2020" else topic.rsplit("-", 1)[0] + "-two-stage", scheme, "",
                f"Demo objective of {acronym}.\nIt spans two lines; {title.lower()}.", updated,
                str(200000 + int(pid) % 100000), f"10.3030/{pid}",
            ]
        )  # fmt: skip
        members = [coordinator, *partners]
        weights = [rng.uniform(1.5, 2.5) if m == coordinator else rng.uniform(0.5, 1.5) for m in members]
        shares = [round(ec_max * w / sum(weights), 2) for w in weights]
        shares[-1] = round(ec_max - sum(shares[:-1]), 2)  # the contributions add up to the EC maximum exactly
        for order, (key, share) in enumerate(zip(members, shares, strict=True), start=1):
            pic, name, short, activity, city, country, postcode, nuts = CORDIS_ORGS[key]
            role = "coordinator" if key == coordinator else ("thirdParty" if key == "ACC" else "participant")
            net = share if role != "coordinator" else round(share * 0.97, 2)
            organisations.append(
                [
                    pid, acronym, pic, f"{country}{pic}01" if activity == "PRC" else "", name, short,
                    "true" if activity == "PRC" else "false", activity, "Demo street 1", postcode, city, country,
                    nuts, f"{rng.uniform(55, 64):.4f},{rng.uniform(11, 21):.4f}" if country == "SE" else "",
                    "", "", updated, str(300000 + order), str(order), role, _cordis_amount(share),
                    _cordis_amount(net), _cordis_amount(round(share * total / ec_max, 2)), "false", "true",
                ]
            )  # fmt: skip
    return projects, organisations


def _quoted_csv(header: list[str], rows: list[list[str]]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode("utf-8")


_EU_COUNTRIES = ["DE", "FR", "IT", "ES", "PL", "RO", "NL", "BE", "SE", "PT", "CZ", "EL", "HU", "AT", "BG", "DK",
                 "FI", "SK", "IE", "HR", "LT", "SI", "LV", "EE", "CY", "LU", "MT", "NO", "IS", "TR"]  # fmt: skip


def cordis_extra_rows(n: int, rng: random.Random) -> tuple[list[list[str]], list[list[str]]]:
    """Synthetic CORDIS projects (Cities Mission and other cluster-5 topics) for the larger scales."""
    projects, organisations = [], []
    pool = [
        (f"{930000000 + k}", f"ORGANISATION {k:05d}", rng.choice(["PUB", "HES", "REC", "PRC", "OTH"]),
         rng.choice(_EU_COUNTRIES))
        for k in range(max(50, n // 2))
    ]  # fmt: skip
    topics = ["HORIZON-MISS-2023-CIT-01-01", "HORIZON-MISS-2024-CIT-02-01", "HORIZON-CL5-2023-D4-01-02",
              "HORIZON-CL5-2024-D6-01-05", "HORIZON-CL6-2024-COMMUNITIES-01"]  # fmt: skip
    for k in range(n):
        pid = str(101200000 + k)
        begin = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(0, 2000))
        end = begin + dt.timedelta(days=rng.choice([730, 1095, 1461]))
        ec_max = round(rng.uniform(0.5, 12) * 1_000_000, 2)
        topic = rng.choice(topics)
        projects.append(
            [pid, f"P{k:05d}", "CLOSED" if end < dt.date(2026, 9, 1) else "SIGNED", f"Demo project {k}",
             begin.isoformat(), end.isoformat(), _cordis_amount(round(ec_max * 1.1, 2)), _cordis_amount(ec_max),
             "HORIZON.2.5", topic, (begin - dt.timedelta(days=60)).isoformat(), "HORIZON", topic.rsplit("-", 1)[0],
             topic.rsplit("-", 1)[0], rng.choice(["HORIZON-IA", "HORIZON-RIA", "HORIZON-CSA"]), "",
             f"Demo objective {k}.", "2026-09-10 08:14:32", str(900000 + k), f"10.3030/{pid}"]
        )  # fmt: skip
        members = rng.sample(pool, CORDIS_PARTNERS_PER_EXTRA_PROJECT)
        share = round(ec_max / len(members), 2)
        for order, (pic, name, activity, country) in enumerate(members, start=1):
            role = "coordinator" if order == 1 else "participant"
            organisations.append(
                [pid, f"P{k:05d}", pic, "", name, "", "true" if activity == "PRC" else "false", activity, "",
                 "", "", country, "", "", "", "", "2026-09-10 08:14:32", str(300000 + order), str(order), role,
                 _cordis_amount(share), _cordis_amount(share), _cordis_amount(round(share * 1.1, 2)), "false",
                 "true"]
            )  # fmt: skip
    return projects, organisations


def write_cordis(landing: Path, rng: random.Random, extra: int = 0, seed: int = SEED) -> None:
    projects, organisations = cordis_rows(rng)
    if extra:
        more_projects, more_organisations = cordis_extra_rows(extra, source_rng(seed, "cordis_extra"))
        projects += more_projects
        organisations += more_organisations
    delivered = DELIVERED["cordis"]
    _write(landing / "cordis_projects" / "project.csv", _quoted_csv(CORDIS_PROJECT_HEADER, projects), delivered)
    _write(
        landing / "cordis_organizations" / "organization.csv",
        _quoted_csv(CORDIS_ORGANIZATION_HEADER, organisations),
        delivered,
    )


# ---------------------------------------------------------------------------------------------------------------
# Klimatkontrakt 2030 annual follow-up: one template per municipality and year, as the office handed it out

FOLLOWUP_VERSIONS = {2024: "2024.1", 2025: "2025.1"}  # the template of each report year
FOLLOWUP_ACTIONS = {
    "Transporter": ["Laddinfrastruktur för tunga fordon", "Elbussar i stadstrafiken", "Utbyggt cykelvägnät",
                    "Samordnad varudistribution", "Fossilfria arbetsmaskiner i kommunens upphandling"],
    "Energi": ["Solceller på kommunala tak", "Fjärrvärme från spillvärme", "Energieffektivisering av gatubelysning"],
    "Bygg och fastigheter": ["Klimatkrav i markanvisningar", "Energirenovering av skolor", "Trähus i ny stadsdel"],
    "Industri": ["Koldioxidavskiljning vid kraftvärmeverk", "Industriell symbios i hamnområdet"],
    "Jordbruk och skog": ["Kolinlagring i kommunens skogar", "Biokol från parkavfall"],
    "Avfall": ["Matavfallsinsamling i alla flerbostadshus", "Återbrukscentral"],
    "Konsumtion": ["Klimatsmart måltidsplanering i skolor", "Delningstjänster för verktyg och fordon"],
    "Övrigt": ["Klimatinvesteringsplan, uppdatering", "Kompetenslyft klimat för förvaltningarna"],
}  # fmt: skip
# how an action's status moves from one year's report to the next (inställd ones are not reported again)
FOLLOWUP_PROGRESS = {
    "planerad": (["planerad", "pågående", "inställd"], [5, 4, 1]),
    "pågående": (["pågående", "genomförd", "inställd"], [11, 8, 1]),
    "genomförd": (["genomförd"], [1]),
}
FOLLOWUP_UPDATES = [
    "Klimatinvesteringsplanen antogs av kommunfullmäktige.",
    "Nya samarbeten med näringslivet genom lokala klimatkontrakt.",
    "Arbetet med EU-missionens Climate City Contract har samordnats med klimatkontraktet.",
    "Fokus på finansiering: ansökningar till DUT och Klimatklivet.",
]
CONTACTS = ["Anna Lindqvist", "Erik Johansson", "Maria Nilsson", "Johan Berg", "Sara Holm", "Karin Ek", "Ali Hassan"]


@dataclass(frozen=True)
class FollowupReport:
    municipality: Municipality
    wave: int
    year: int
    version: str
    submitted_on: dt.date
    actions: list[template.Action]


def _new_action(no: int, version: str, rng: random.Random) -> template.Action:
    sector = rng.choice(template.SECTORS)
    investment = round(math.exp(rng.gauss(math.log(2_500), 1.1)), 0 if rng.random() < 0.7 else 1)
    return template.Action(
        no,
        rng.choice(FOLLOWUP_ACTIONS[sector]),
        sector,
        rng.choices(["planerad", "pågående", "genomförd", "inställd"], weights=[3, 5, 3, 1])[0],
        investment,
        round(investment * rng.choice([0, 0, 0.2, 0.4, 0.5]), 1) if version == "2025.1" else None,
        rng.choice(["", "", "Försenad upphandling", "Medfinansiering från Klimatklivet", "Del av CCC"]),
    )


def _carried(previous: list[template.Action], version: str, rng: random.Random) -> list[template.Action]:
    """Last year's actions a year on: statuses move on, amounts are revised, inställda ones drop out."""
    out = []
    for a in previous:
        if a.status not in FOLLOWUP_PROGRESS:
            continue
        statuses, weights = FOLLOWUP_PROGRESS[a.status]
        investment = round(float(a.investment_tkr) * rng.uniform(0.9, 1.15), 0)
        external = round(investment * rng.choice([0, 0, 0.2, 0.4, 0.5]), 1) if version == "2025.1" else None
        out.append(template.Action(len(out) + 1, a.name, a.sector, rng.choices(statuses, weights)[0], investment,
                                   external, ""))  # fmt: skip
    return out


def followup_plan(
    register: list[tuple[Municipality, int, str]], rng: random.Random
) -> tuple[list[FollowupReport], list[tuple[str, int]]]:
    """The follow-ups delivered and the (code, report year) of those never delivered. Every member on 31 December
    of a report year owes one, due by the end of the next February; most arrive on time, some late (March to
    May), some not at all: first-year members more often. Each year has at least one of each. The 2025 reports
    carry on the actions of the municipality's 2024 report."""
    reports: list[FollowupReport] = []
    missing: list[tuple[str, int]] = []
    previous: dict[str, list[template.Action]] = {}
    for year, version in FOLLOWUP_VERSIONS.items():
        expected = sorted(
            ((m, wave) for m, wave, joined in register if dt.date.fromisoformat(joined) <= dt.date(year, 12, 31)),
            key=lambda mw: mw[0].code,
        )
        outcome = {}
        for m, wave in expected:
            first_year = wave == year
            roll = rng.random()
            outcome[m.code] = (
                "missing" if roll < (0.15 if first_year else 0.03) else "late" if roll > (0.85 if first_year else 0.94)
                else "on_time"
            )  # fmt: skip
        for needed in ("late", "missing"):
            if needed not in outcome.values():
                outcome[rng.choice([c for c, o in outcome.items() if o == "on_time"])] = needed
        due = template.due_date(year)
        for m, wave in expected:
            if outcome[m.code] == "missing":
                missing.append((m.code, year))
                continue
            if outcome[m.code] == "late":
                submitted = due + dt.timedelta(days=rng.randrange(1, 90))
            else:
                submitted = dt.date(year + 1, 2, 1) + dt.timedelta(days=rng.randrange(0, due.day))
            actions = _carried(previous.get(m.code, []), version, rng)
            for _ in range(rng.randint(0 if actions else 3, 3 if actions else 12)):
                actions.append(_new_action(len(actions) + 1, version, rng))
            previous[m.code] = actions
            reports.append(FollowupReport(m, wave, year, version, submitted, actions))
    return reports, missing


def _as_typed(action: template.Action, rng: random.Random) -> template.Action:
    """Some people paste amounts as text with a space or no-break space between the thousands ("19 054")."""
    amount = action.investment_tkr
    if isinstance(amount, float) and amount.is_integer() and amount >= 1000 and rng.random() < 0.025:
        text = f"{amount:,.0f}".replace(",", rng.choice([" ", "\u00a0"]))
        return dataclasses.replace(action, investment_tkr=text)
    return action


def with_cached_values(xlsx: bytes, sheet_part: str, values: dict[str, float]) -> bytes:
    """Store a formula's result beside it, as Excel does on save (openpyxl writes formulas without results)."""

    def fill(m: re.Match[bytes]) -> bytes:
        ref = m.group("ref").decode()
        if ref not in values:
            return m.group(0)
        return m.group(1) + b"<f>" + m.group("f") + b"</f><v>" + repr(values[ref]).encode() + b"</v>"

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == sheet_part:
                data = _FORMULA_CELL.sub(fill, data)
            dst.writestr(info, data, compresslevel=6)
    return out.getvalue()


_FORMULA_CELL = re.compile(rb'(<c r="(?P<ref>[A-Z]+\d+)"[^>]*>)<f>(?P<f>[^<]*)</f>(?:<v\s*/>|<v>\s*</v>)?')
FOLLOWUP_SHEET_PART = "xl/worksheets/sheet2.xml"  # Uppföljning, after Instruktioner


def followup_bytes(report: FollowupReport, rng: random.Random) -> bytes:
    """The filled-in template as Excel saves it: the Summa formulas with their results."""
    m = report.municipality
    form = template.Form(
        m.name,
        m.code if rng.random() < 0.8 else int(m.code),  # some type the code as a number: 0180 becomes 180
        report.year,
        report.wave if report.version == "2025.1" else None,
        rng.choice(CONTACTS),
        report.submitted_on,
    )
    actions = [_as_typed(a, rng) for a in report.actions]
    wb, cached = template.followup_workbook(report.version, form, actions, key_updates=rng.choice(FOLLOWUP_UPDATES))
    delivered = dt.datetime.combine(report.submitted_on, dt.time(9, 0), tzinfo=dt.UTC)
    return with_cached_values(_xlsx(wb, delivered), FOLLOWUP_SHEET_PART, cached)


def write_followup(landing: Path, register: list[tuple[Municipality, int, str]], rng: random.Random) -> None:
    reports, _ = followup_plan(register, rng)
    for report in reports:
        delivered = dt.datetime.combine(report.submitted_on, dt.time(9, 0), tzinfo=dt.UTC)
        name = f"uppfoljning_{report.year}_{report.municipality.code}.xlsx"
        _write(landing / "klimatkontrakt_followup" / name, followup_bytes(report, rng), delivered)


# ---------------------------------------------------------------------------------------------------------------
# International engagement log (CSV export with Swedish settings): the strategy's actors, each with the level it
# works at and the direction it serves (1 knowledge networks and alliances, 2 a leading position for Sweden,
# 3 mobilising finance); new initiatives since 2025 say whether their basic funding is secured.

ENGAGEMENT_HEADER = ["Id", "Partner", "Typ", "Nivå", "Inriktning", "Startdatum", "Slutdatum", "Kommunkod",
                     "Grundfinansiering säkrad", "Internationell systemdemonstrator", "Beskrivning"]  # fmt: skip
ENGAGEMENTS_CSV = Path(__file__).resolve().parent / "engagements.csv"  # the strategy's actors, one per row


def load_engagements() -> list[dict[str, str]]:
    with ENGAGEMENTS_CSV.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


ENGAGEMENTS = load_engagements()


def write_engagement_log(landing: Path, register: list[tuple[Municipality, int, str]], rng: random.Random) -> None:
    cities = [m for m, wave, _ in register if wave in (2019, 2021)]
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(ENGAGEMENT_HEADER)
    for i, e in enumerate(ENGAGEMENTS, start=1):
        code = e["municipality_code"]
        if not code and e["type"] == "event" and rng.random() < 0.5:
            code = rng.choice(cities).code  # a municipality took part
        writer.writerow(
            [f"ENG-{i:03d}", e["partner"], e["type"], e["level"], e["direction"], e["started_on"], e["ended_on"],
             code, e["basic_funding_secured"], e["system_demonstrator"], e["description"]]
        )  # fmt: skip
    _write(
        landing / "engagement_log" / "internationellt_engagemang_2026Q3.csv",
        b"\xef\xbb\xbf" + text.getvalue().encode(),
        DELIVERED["engagement_log"],
    )


# ---------------------------------------------------------------------------------------------------------------
# European cities' emission inventories (the benchmark's Europe scale): one wide sheet, a row per city and sector

EU_SECTORS = ["Residential buildings", "Tertiary buildings", "Municipal buildings", "Industry", "Transport",
              "Waste", "Agriculture", "Energy generation", "Other"]  # fmt: skip


def write_eu_cities(landing: Path, n_cities: int, years: tuple[int, ...], n_sectors: int, seed: int) -> None:
    """n_cities x n_sectors rows, one column per year, seeded (numpy) so 3.8 M values take seconds, not minutes."""
    rng = np.random.default_rng(seed)
    sectors = EU_SECTORS[:n_sectors]
    weights = np.array([0.18, 0.12, 0.03, 0.2, 0.3, 0.04, 0.05, 0.06, 0.02][:n_sectors])
    population = np.exp(rng.normal(np.log(15_000), 1.1, n_cities))
    per_capita = np.exp(rng.normal(np.log(6.0), 0.4, n_cities))
    trend = rng.normal(-0.015, 0.012, n_cities)
    share = weights[None, :] * rng.uniform(0.5, 1.5, (n_cities, n_sectors))
    t = np.array(years, dtype=float) - years[0]
    noise = rng.uniform(0.97, 1.03, (n_cities, n_sectors, len(years)))
    values = (population * per_capita)[:, None, None] * share[:, :, None] * np.exp(trend[:, None, None] * t) * noise
    values = np.round(values, 3)
    countries = rng.choice(len(_EU_COUNTRIES), n_cities)
    head = [
        ["Emission inventories of European cities (demo data, not official figures)"],
        ["Unit: t CO2e/year"],
        [],
        ["City ID", "City", "Country", "Sector", *years],
    ]

    def body():
        for c in range(n_cities):
            city, country = f"City {c + 1:05d}", _EU_COUNTRIES[countries[c]]
            for k, sector in enumerate(sectors):
                yield [f"GCOM-{c + 1:06d}", city, country, sector, *values[c, k].tolist()]

    def rows():
        yield from head
        yield from body()

    target = landing / "eu_city_emissions" / "eu_city_emissions_2026-06.xlsx"
    write_sheet(target, "Emissions", rows(), len(head) + n_cities * n_sectors, 4 + len(years))
    os.utime(target, (DELIVERED["smhi_emissions"].timestamp(),) * 2)


def expected_rows(spec: Scale) -> dict[str, int]:
    """The rows each source's ingest accepts at a scale (what the tests and the benchmark count)."""
    munis = load_municipalities()
    counties = len({m.county_name for m in munis})
    n_extra = spec.cordis_extra_projects
    return {
        "smhi_emissions": (len(munis) + counties + 1) * (len(SECTORS) + 1) * len(spec.emission_years),
        "funding_ledger": spec.funding_records,
        "eu_city_emissions": spec.eu_cities * spec.eu_sectors * len(spec.emission_years),
        "cordis_projects": len(CORDIS_PROJECTS) + n_extra,
        "cordis_organizations": sum(1 + len(p[-1]) for p in CORDIS_PROJECTS)
        + n_extra * CORDIS_PARTNERS_PER_EXTRA_PROJECT,
    }


@dataclass(frozen=True)
class World:
    """What several sources' demo files share: the municipalities, their populations and the register."""

    municipalities: list[Municipality]
    populations: dict[str, dict[int, int]]
    register: list[tuple[Municipality, int, str]]


def build_world(seed: int = SEED) -> World:
    munis = load_municipalities()
    return World(
        munis,
        populations(munis, source_rng(seed, "scb_population")),
        register_rows(munis, source_rng(seed, "klimatkontrakt_register")),
    )


def write_demo(landing: Path, scale: str | Scale = "demo", seed: int = SEED) -> list[Path]:
    """Write every source's demo delivery under `landing`; returns the files written."""
    spec = scale if isinstance(scale, Scale) else SCALES[scale]
    world = build_world(seed)
    write_mission_cities(landing)
    write_register(landing, world.register)
    write_funding(landing, world.register, spec.funding_records, source_rng(seed, "funding_ledger"), spec.funding_from)
    write_scb(landing, world.municipalities, world.populations)
    write_smhi(landing, world.municipalities, spec.emission_years, source_rng(seed, "smhi_emissions"))
    write_ecb(landing, source_rng(seed, "ecb_rates"))
    write_cordis(landing, source_rng(seed, "cordis"), spec.cordis_extra_projects, seed)
    write_followup(landing, world.register, source_rng(seed, "klimatkontrakt_followup"))
    write_engagement_log(landing, world.register, source_rng(seed, "engagement_log"))
    write_commentary(landing)
    if spec.eu_cities:
        write_eu_cities(landing, spec.eu_cities, spec.emission_years, spec.eu_sectors, seed + 5)
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
