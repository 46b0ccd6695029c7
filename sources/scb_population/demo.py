"""Demo delivery of scb_population: SCB BE0101 "tabhel" workbooks, one per year 2018-2025, from the shared
populations (sources.demo.world).

Called by sources.demo.generate.write_demo, seeded by the shared world and scale (sources.demo.world)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

from sources.demo.world import Municipality, Scale, World, write_file, xlsx_bytes


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
        write_file(landing / "scb_population" / f"be0101_tabhel{year}.xlsx", xlsx_bytes(wb, delivered), delivered)


def write(landing: Path, world: World, scale: Scale, seed: int) -> None:
    """This source's demo files under `landing`."""
    write_scb(landing, world.municipalities, world.populations)
