"""Write demo deliveries into the landing folders, in each source's real format, seeded and deterministic.

Figures are plausible, not official: the programme's 23 municipalities of 2019 and 2021, two confirmed 2025
newcomers and further seeded 2025 newcomers; the seven Swedish mission cities with their real label rounds;
synthetic emissions, populations, rates and funding. Every workbook built from them says so on its cover.

    python -m sources.demo.generate [--landing DIR] [--scale demo|sweden|europe]
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
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from reports.stable_xlsx import stable_xlsx_bytes
from sources.commentary.demo import write_commentary
from sources.demo.bigxlsx import write_sheet
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


def write_cordis(landing: Path, rng: random.Random, extra: int = 0) -> None:
    projects, organisations = cordis_rows(rng)
    if extra:
        more_projects, more_organisations = cordis_extra_rows(extra, random.Random(SEED + 4))
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
# Klimatkontrakt 2030 annual follow-up: one template per municipality and year, as the office hands it out

FOLLOWUP_SECTORS = [
    "Transporter", "Energi", "Bygg och fastigheter", "Industri", "Jordbruk och skog", "Avfall", "Konsumtion",
    "Övrigt",
]  # fmt: skip
FOLLOWUP_STATUSES = ["planerad", "pågående", "genomförd", "inställd"]
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
FOLLOWUP_TEMPLATES = {
    "2024.1": ["Nr", "Åtgärd", "Sektor", "Status", "Investering (tkr)", "Kommentar"],
    "2025.1": ["Nr", "Åtgärd", "Sektor", "Status", "Investering (tkr)", "Varav extern finansiering (tkr)", "Kommentar"],
}
FOLLOWUP_TABLE_ROWS = 20  # pre-numbered rows in the template
CONTACTS = ["Anna Lindqvist", "Erik Johansson", "Maria Nilsson", "Johan Berg", "Sara Holm", "Karin Ek", "Ali Hassan"]
_INPUT = PatternFill("solid", fgColor="FFF2CC")
_HEAD = PatternFill("solid", fgColor="D9E1F2")


def followup_reports(
    register: list[tuple[Municipality, int, str]], rng: random.Random
) -> list[tuple[Municipality, int, str, dt.date, list[tuple[object, ...]]]]:
    """(municipality, report year, template version, submitted on, actions) for 48 reports: the 23 municipalities
    of waves 2019 and 2021 for 2024 and 2025, and the two confirmed 2025 newcomers (Håbo, Alvesta) for 2025."""
    chosen = [m for m, wave, _ in register if wave in (2019, 2021)]
    newcomers = [m for m, wave, _ in register if m.name in ("Håbo", "Alvesta")]
    plan = [(m, 2024) for m in chosen] + [(m, 2025) for m in [*chosen, *newcomers]]
    out = []
    for m, year in plan:
        version = "2024.1" if year == 2024 else "2025.1"
        submitted = dt.date(year + 1, 2, 1) + dt.timedelta(days=rng.randrange(0, 40))
        actions = []
        for no in range(1, rng.randint(3, 12) + 1):
            sector = rng.choice(FOLLOWUP_SECTORS)
            name = rng.choice(FOLLOWUP_ACTIONS[sector])
            status = rng.choices(FOLLOWUP_STATUSES, weights=[3, 5, 3, 1])[0]
            investment = round(math.exp(rng.gauss(math.log(2_500), 1.1)), 0 if rng.random() < 0.7 else 1)
            external = round(investment * rng.choice([0, 0, 0.2, 0.4, 0.5]), 1) if version == "2025.1" else None
            comment = rng.choice(["", "", "Försenad upphandling", "Medfinansiering från Klimatklivet", "Del av CCC"])
            actions.append((no, name, sector, status, investment, external, comment))
        out.append((m, year, version, submitted, actions))
    return out


def followup_workbook(
    m: Municipality, year: int, version: str, submitted: dt.date, actions: list[tuple[object, ...]], rng: random.Random
) -> tuple[Workbook, dict[str, float]]:
    """The template filled in; returns the workbook and the cached results of its formula cells (A1 -> value)."""
    columns = FOLLOWUP_TEMPLATES[version]
    wb = Workbook()
    intro = wb.active
    intro.title = "Instruktioner"
    for line in [
        "Årlig uppföljning av Klimatkontrakt 2030",
        "Fyll i de gula fälten på bladet Uppföljning. Ändra inte rubrikerna eller mallversionen.",
        "Investeringar anges i tusental kronor (tkr). Status och sektor väljs i listorna.",
        "Skicka filen till programkontoret senast 15 februari. Frågor: uppfoljning@viablecities.se",
    ]:
        intro.append([line])
    ws = wb.create_sheet("Uppföljning")
    lists = wb.create_sheet("Listor")
    lists.sheet_state = "hidden"
    lists.append(["Status", "Sektor"])
    for i in range(max(len(FOLLOWUP_STATUSES), len(FOLLOWUP_SECTORS))):
        lists.append(
            [
                FOLLOWUP_STATUSES[i] if i < len(FOLLOWUP_STATUSES) else None,
                FOLLOWUP_SECTORS[i] if i < len(FOLLOWUP_SECTORS) else None,
            ]
        )
    last = len(columns)
    end_letter = chr(64 + last)
    ws["A1"] = "Klimatkontrakt 2030 – årlig uppföljning"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells(f"A1:{end_letter}1")
    ws["A2"] = "Viable Cities programkontor. Fyll i de gula fälten."
    ws.merge_cells(f"A2:{end_letter}2")
    # the form: label in A, value in B (merged over B:D for the text fields)
    code = m.code if rng.random() < 0.8 else int(m.code)  # some type the code as a number: 0180 becomes 180
    form = [
        ("Mallversion", version, False),
        ("Kommun", m.name, True),
        ("Kommunkod", code, False),
        ("Rapportår", year, False),
        ("Kontaktperson", rng.choice(CONTACTS), True),
        ("Datum för inlämning", submitted, False),
    ]
    for offset, (label, value, merge) in enumerate(form):
        r = 4 + offset
        ws.cell(r, 1, label).font = Font(bold=True)
        cell = ws.cell(r, 2, value)
        if label != "Mallversion":
            cell.fill = _INPUT
        if isinstance(value, dt.date):
            cell.number_format = "yyyy-mm-dd"
        if merge:
            ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=4)
    ws.cell(11, 1, "Del 1 – Åtgärder i klimatinvesteringsplanen").font = Font(bold=True, size=12)
    ws.merge_cells(f"A11:{end_letter}11")
    # merged group headings above the table
    ws.cell(12, 1, "Beskrivning").fill = _HEAD
    ws.merge_cells("A12:C12")
    ws.cell(12, 4, "Genomförande").fill = _HEAD
    ws.merge_cells(f"D12:{end_letter}12")
    for j, label in enumerate(columns, start=1):
        c = ws.cell(13, j, label)
        c.font, c.fill = Font(bold=True), _HEAD
        c.alignment = Alignment(wrap_text=True)
    status_list = DataValidation(type="list", formula1=f"=Listor!$A$2:$A${len(FOLLOWUP_STATUSES) + 1}")
    sector_list = DataValidation(type="list", formula1=f"=Listor!$B$2:$B${len(FOLLOWUP_SECTORS) + 1}")
    ws.add_data_validation(status_list)
    ws.add_data_validation(sector_list)
    first, last_row = 14, 14 + FOLLOWUP_TABLE_ROWS - 1
    status_list.add(f"D{first}:D{last_row}")
    sector_list.add(f"C{first}:C{last_row}")
    inv_col = columns.index("Investering (tkr)") + 1
    ext_col = columns.index("Varav extern finansiering (tkr)") + 1 if version == "2025.1" else None
    comment_col = columns.index("Kommentar") + 1
    for i in range(FOLLOWUP_TABLE_ROWS):
        ws.cell(first + i, 1, i + 1)  # pre-numbered rows
        for j in range(2, last + 1):
            ws.cell(first + i, j).fill = _INPUT
    totals = {"inv": 0.0, "ext": 0.0}
    for i, (_, name, sector, status, investment, external, comment) in enumerate(actions):
        r = first + i
        ws.cell(r, 2, name)
        ws.cell(r, 3, sector)
        ws.cell(r, 4, status)
        # most type numbers; some paste text with a space or no-break space as thousands separator
        shown = investment if rng.random() < 0.85 else f"{investment:,.0f}".replace(",", "\u00a0")
        if isinstance(shown, str) and float(shown.replace("\u00a0", "")) != investment:
            shown = investment
        ws.cell(r, inv_col, shown)
        totals["inv"] += investment
        if ext_col is not None:
            ws.cell(r, ext_col, external)
            totals["ext"] += external or 0
        if comment:
            ws.cell(r, comment_col, comment)
    summa = last_row + 1
    ws.cell(summa, 1, "Summa").font = Font(bold=True)
    inv_letter = chr(64 + inv_col)
    ws.cell(summa, inv_col, f"=SUM({inv_letter}{first}:{inv_letter}{last_row})")
    cached = {f"{inv_letter}{summa}": round(totals["inv"], 1)}
    if ext_col is not None:
        ext_letter = chr(64 + ext_col)
        ws.cell(summa, ext_col, f"=SUM({ext_letter}{first}:{ext_letter}{last_row})")
        cached[f"{ext_letter}{summa}"] = round(totals["ext"], 1)
    ws.cell(summa + 2, 1, "Del 2 – Viktigaste uppdateringar under året").font = Font(bold=True, size=12)
    ws.merge_cells(start_row=summa + 2, start_column=1, end_row=summa + 2, end_column=last)
    ws.cell(summa + 3, 1, rng.choice(
        [
            "Klimatinvesteringsplanen antogs av kommunfullmäktige.",
            "Nya samarbeten med näringslivet genom lokala klimatkontrakt.",
            "Arbetet med EU-missionens Climate City Contract har samordnats med klimatkontraktet.",
            "Fokus på finansiering: ansökningar till DUT och Klimatklivet.",
        ]
    ))  # fmt: skip
    ws.merge_cells(start_row=summa + 3, start_column=1, end_row=summa + 6, end_column=last)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 48
    return wb, cached


_FORMULA_CELL = re.compile(rb'(<c r="(?P<ref>[A-Z]+\d+)"[^>]*>)<f>(?P<f>[^<]*)</f>(?:<v\s*/>|<v>\s*</v>)?')


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


def write_followup(landing: Path, register: list[tuple[Municipality, int, str]], rng: random.Random) -> None:
    for m, year, version, submitted, actions in followup_reports(register, rng):
        wb, cached = followup_workbook(m, year, version, submitted, actions, rng)
        delivered = dt.datetime.combine(submitted, dt.time(9, 0), tzinfo=dt.UTC)
        data = with_cached_values(_xlsx(wb, delivered), "xl/worksheets/sheet2.xml", cached)
        _write(landing / "klimatkontrakt_followup" / f"uppfoljning_{year}_{m.code}.xlsx", data, delivered)


# ---------------------------------------------------------------------------------------------------------------
# International engagement log (CSV export with Swedish settings)

ENGAGEMENTS = [
    # (partner, type, started, ended, description)
    ("C40 Cities", "network", "2019-05-01", "", "Stockholm och Göteborg i C40:s nätverk; Viable Cities följer arbetet"),
    ("Carbon Neutral Cities Alliance (CNCA)", "alliance", "2020-03-01", "", "Medlemskap via Stockholm"),
    ("ICLEI – Local Governments for Sustainability", "network", "2019-09-01", "", "Europasekretariatet"),
    ("CapaCITIES – NetZeroCities sister platform, Norway", "agreement", "2023-02-01", "", "Avsiktsförklaring"),
    ("CapaCITIES – NetZeroCities sister platform, Finland", "agreement", "2023-05-15", "", "Avsiktsförklaring"),
    ("UN-Habitat", "agreement", "2022-06-01", "2024-05-31", "Samarbete om klimatneutrala städer"),
    ("Mission Innovation Urban Transitions (MI-UTM)", "alliance", "2021-06-01", "", "Sverige co-lead"),
    ("NetZeroCities", "network", "2021-10-01", "", "EU-missionens plattform"),
    ("Driving Urban Transitions (DUT)", "network", "2022-01-01", "", "Partnerskapet"),
    ("Eurocities", "network", "2020-01-01", "", "Arbetsgrupp klimat"),
    ("European Viable Cities Day", "event", "2021-12-08", "2021-12-08", "Avsiktsförklaringar undertecknade"),
    ("European Viable Cities Day", "event", "2022-12-07", "2022-12-07", "Klimatkontrakt 2022 undertecknat"),
    ("European Viable Cities Day", "event", "2023-12-06", "2023-12-06", "Klimatkontrakt 2023 undertecknat"),
    ("European Viable Cities Day", "event", "2024-12-04", "2024-12-04", "Klimatkontrakt 2024 undertecknat"),
    ("European Viable Cities Day", "event", "2025-12-03", "2025-12-03", "Klimatkontrakt 2025 undertecknat"),
    ("Cities Mission Conference, Vilnius", "event", "2025-05-20", "2025-05-21", "Label: Helsingborg, Lund"),
    ("European Week of Regions and Cities", "event", "2023-10-12", "2023-10-12", "Mission Label för Stockholm"),
    ("COP28 Local Climate Action Summit", "event", "2023-12-01", "2023-12-02", "Delegation"),
    ("COP29", "event", "2024-11-15", "2024-11-16", "Sidoevenemang"),
    ("World Urban Forum 12, Kairo", "event", "2024-11-04", "2024-11-08", "Session med UN-Habitat"),
    ("C40 Cities", "event", "2025-06-10", "2025-06-12", "Studiebesök"),
    ("ICLEI World Congress", "event", "2024-06-04", "2024-06-06", "Presentation av Klimatkontrakt 2030"),
    ("Smart City Expo World Congress", "event", "2025-11-04", "2025-11-06", "Svensk paviljong"),
    ("Urban Transitions Mission Centre of Excellence", "agreement", "2024-03-01", "", "Samarbetsavtal"),
]  # fmt: skip


def write_engagement_log(landing: Path, register: list[tuple[Municipality, int, str]], rng: random.Random) -> None:
    cities = [m for m, wave, _ in register if wave in (2019, 2021)]
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Id", "Partner", "Typ", "Startdatum", "Slutdatum", "Kommunkod", "Beskrivning"])
    for i, (partner, kind, started, ended, description) in enumerate(ENGAGEMENTS, start=1):
        code = rng.choice(cities).code if kind in ("event", "agreement") and rng.random() < 0.5 else ""
        writer.writerow([f"ENG-{i:03d}", partner, kind, started, ended, code, description])
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


# New sources draw from their own seeded generators (seed + 1, + 2, + 3, + 4), so adding them changed none of the
# older demo files.


def write_demo(landing: Path, scale: str | Scale = "demo", seed: int = SEED) -> list[Path]:
    """Write every source's demo delivery under `landing`; returns the files written."""
    spec = scale if isinstance(scale, Scale) else SCALES[scale]
    rng = random.Random(seed)
    munis = load_municipalities()
    pops = populations(munis, rng)
    register = register_rows(munis, rng)
    write_mission_cities(landing)
    write_register(landing, register)
    write_funding(landing, register, spec.funding_records, rng, spec.funding_from)
    write_scb(landing, munis, pops)
    write_smhi(landing, munis, pops, spec.emission_years, rng)
    write_ecb(landing, rng)
    write_cordis(landing, random.Random(seed + 1), spec.cordis_extra_projects)
    write_followup(landing, register, random.Random(seed + 2))
    write_engagement_log(landing, register, random.Random(seed + 3))
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
