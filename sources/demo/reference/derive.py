"""Derive the demo generator's reference figures from the real public files (run by hand when they change).

    python -m sources.demo.reference.derive ../shared/data/real

Reads SCB BE0101 (population 31 Dec 2024), SMHI's territorial emissions per municipality via Klimatkollen
(1990, 2015, 2024) and the ECB's EUR/SEK annual averages, and writes the two small CSVs beside this file.
Only these few figures per municipality and year are kept, rounded; the files themselves are never copied.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from sources.lib.paths import REPO_ROOT

HERE = Path(__file__).resolve().parent
EMISSION_YEARS = ("1990", "2015", "2024")


def derive(real: Path) -> None:
    with (REPO_ROOT / "dbt_project" / "seeds" / "ref_municipalities.csv").open(encoding="utf-8") as fh:
        codes = {(r["municipality_name"], r["county_name"]): r["municipality_code"] for r in csv.DictReader(fh)}
    with (real / "scb" / "population_by_municipality_2023_2024.csv").open(encoding="utf-8") as fh:
        population = {r["kommunkod"]: (r["kommun"], int(r["folkmangd_2024_12_31"])) for r in csv.DictReader(fh)}
    ghg: dict[str, dict[str, float]] = {}
    with (real / "klimatkollen" / "territorial_ghg_by_municipality_long.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["year"] in EMISSION_YEARS:
                ghg.setdefault(codes[(r["municipality"], r["county"])], {})[r["year"]] = float(r["emissions_t_co2e"])
    with (HERE / "municipalities.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(
            ["municipality_code", "municipality_name", "population_2024", *[f"ghg_{y}_t" for y in EMISSION_YEARS]]
        )
        for code in sorted(population):
            name, people = population[code]
            writer.writerow([code, name, people, *[round(ghg[code][y]) for y in EMISSION_YEARS]])
    with (real / "ecb_fx" / "eur_sek_annual_average_2015_2025.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with (HERE / "eur_sek.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["year", "mean", "min", "max", "complete_year"])
        for r in rows:
            writer.writerow([r["year"], r["eur_sek_mean"], r["eur_sek_min"], r["eur_sek_max"], r["complete_year"]])


if __name__ == "__main__":
    derive(Path(sys.argv[1]))
