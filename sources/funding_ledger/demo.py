"""Demo delivery of funding_ledger: The funding ledger workbook: synthetic applications and awards of the register's
municipalities.

Called by sources.demo.generate.write_demo, seeded by the shared world and scale (sources.demo.world)."""

from __future__ import annotations

import datetime as dt
import math
import os
import random
from pathlib import Path

from openpyxl import Workbook

from sources.demo.bigxlsx import write_sheet
from sources.demo.world import BIG_SHEET_ROWS, Municipality, Scale, World, source_rng, write_file, xlsx_bytes
from sources.lib.contract import load_contract

DELIVERED = dt.datetime(2026, 10, 5, 8, 30, tzinfo=dt.UTC)  # when the demo delivery was "dropped" (its vintage)
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


def ledger_header() -> list[str]:
    """The ledger's header row: its contract's column headers, in the contract's order."""
    return [column.header for column in load_contract(Path(__file__).parent).columns]


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
        ledger_header(),
    ]
    records = _funding_records(rows, n, rng, start)
    target = landing / "funding_ledger" / "finansiering_2026Q3.xlsx"
    if n > BIG_SHEET_ROWS:
        write_sheet(target, "Finansiering", [*head, *records], len(head) + n, 11)
        os.utime(target, (DELIVERED.timestamp(),) * 2)
        return
    wb = Workbook()
    ws = wb.active
    ws.title = "Finansiering"
    for line in [*head, *records]:
        ws.append(line)
    for row in ws.iter_rows(min_row=5, min_col=10, max_col=11):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    write_file(target, xlsx_bytes(wb, DELIVERED), DELIVERED)


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


def write(landing: Path, world: World, scale: Scale, seed: int) -> None:
    """This source's demo files under `landing`."""
    rng = source_rng(seed, "funding_ledger")
    write_funding(landing, world.register, scale.funding_records, rng, scale.funding_from)
