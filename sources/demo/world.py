"""What every source's demo writer shares: the seed and the scales, the municipalities, their populations and the
Klimatkontrakt register (built once, in build_world), the public reference figures the demo is drawn around
(sources/demo/reference), and how a demo file is written (its file time is its delivery's).

Each source's writer (sources/<source>/demo.py) draws from its own seeded generator (source_rng), so a change to
one source's demo data leaves every other source's files as they were."""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from reports.stable_xlsx import stable_xlsx_bytes
from sources.lib.paths import REPO_ROOT

SEED = 2030

MUNICIPALITIES_CSV = REPO_ROOT / "dbt_project" / "seeds" / "ref_municipalities.csv"

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

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"  # public anchors; see its PROVENANCE.md


@dataclass(frozen=True)
class Scale:
    name: str
    emission_years: tuple[int, ...]
    funding_records: int
    eu_cities: int = 0  # European cities in eu_city_emissions (none at demo scale: no file)
    funding_from: dt.date = dt.date(2019, 3, 1)  # first application date in the ledger
    cordis_extra_projects: int = 0  # synthetic CORDIS projects beside the ten named ones
    eu_sectors: int = 9


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

EU_COUNTRIES = ["DE", "FR", "IT", "ES", "PL", "RO", "NL", "BE", "SE", "PT", "CZ", "EL", "HU", "AT", "BG", "DK",
                 "FI", "SK", "IE", "HR", "LT", "SI", "LV", "EE", "CY", "LU", "MT", "NO", "IS", "TR"]  # fmt: skip


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


def write_file(path: Path, data: bytes, delivered: dt.datetime) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.utime(path, (delivered.timestamp(), delivered.timestamp()))


def xlsx_bytes(wb: Workbook, delivered: dt.datetime) -> bytes:
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


def register_rows(munis: list[Municipality], rng: random.Random) -> list[tuple[Municipality, int, str]]:
    by_name = {m.name: m for m in munis}
    chosen = [(by_name[n], wave, joined) for n, wave, joined in KLIMATKONTRAKT]
    taken = {m.code for m, _, _ in chosen}
    newcomers = rng.sample([m for m in munis if m.code not in taken], 23)
    for i, m in enumerate(sorted(newcomers, key=lambda m: m.code)):
        joined = dt.date(2025, 3, 1) + dt.timedelta(days=7 * (i % 26))  # some join in Q1, some in Q2 and Q3
        chosen.append((m, 2025, joined.isoformat()))
    return chosen


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
