"""Demo delivery of smhi_emissions: SMHI Länsrapport export: one workbook of every municipality, county and sector,
around SMHI's real totals (sources/demo/reference).

Called by sources.demo.generate.write_demo, seeded by the shared world and scale (sources.demo.world)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from sources.demo.world import Municipality, Scale, World, load_reference, source_rng, write_file, xlsx_bytes

DELIVERED = dt.datetime(2026, 6, 15, 7, 0, tzinfo=dt.UTC)  # when the demo delivery was "dropped" (its vintage)
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


def lansrapport_workbook(report_name: str, years: tuple[int, ...] | list[int]) -> tuple[Workbook, Worksheet]:
    """A Länsrapport export of total greenhouse gases as SMHI lays it out, up to its header rows; the caller
    appends one row per sector, county and municipality."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Totala växthusgaser"
    ws.append(["Rapportnamn:", report_name])
    ws.append(["Emissioner av Totala växthusgaser"])
    ws.append(["Enhet: ton/år"])
    ws.append([])
    ws.append([None, None, None, None, *years])
    ws.append(["Huvudsektor", "Undersektor", "Län", "Kommun", *["GGT"] * len(years)])
    return wb, ws


def write_smhi(landing: Path, munis: list[Municipality], years: tuple[int, ...], rng: random.Random) -> None:
    values = emissions(munis, years, rng)
    wb, ws = lansrapport_workbook("Länsrapport, 2026-06-12", years)

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
    write_file(
        landing / "smhi_emissions" / "smhi_lansrapport_ggt_2026-06-12.xlsx",
        xlsx_bytes(wb, DELIVERED),
        DELIVERED,
    )


def write(landing: Path, world: World, scale: Scale, seed: int) -> None:
    """This source's demo files under `landing`."""
    write_smhi(landing, world.municipalities, scale.emission_years, source_rng(seed, "smhi_emissions"))
