"""Demo delivery of eu_city_emissions: European cities' emission inventories for the benchmark's Europe scale: one
wide sheet, a row per city and sector (none at the smaller scales).

Called by sources.demo.generate.write_demo, seeded by the shared world and scale (sources.demo.world)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import numpy as np

from sources.demo.bigxlsx import write_sheet
from sources.demo.world import EU_COUNTRIES, Scale, World

DELIVERED = dt.datetime(2026, 6, 15, 7, 0, tzinfo=dt.UTC)  # when the demo delivery was "dropped" (its vintage)
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
    countries = rng.choice(len(EU_COUNTRIES), n_cities)
    head = [
        ["Emission inventories of European cities (demo data, not official figures)"],
        ["Unit: t CO2e/year"],
        [],
        ["City ID", "City", "Country", "Sector", *years],
    ]

    def body():
        for c in range(n_cities):
            city, country = f"City {c + 1:05d}", EU_COUNTRIES[countries[c]]
            for k, sector in enumerate(sectors):
                yield [f"GCOM-{c + 1:06d}", city, country, sector, *values[c, k].tolist()]

    def rows():
        yield from head
        yield from body()

    target = landing / "eu_city_emissions" / "eu_city_emissions_2026-06.xlsx"
    write_sheet(target, "Emissions", rows(), len(head) + n_cities * n_sectors, 4 + len(years))
    os.utime(target, (DELIVERED.timestamp(),) * 2)


def write(landing: Path, world: World, scale: Scale, seed: int) -> None:
    """This source's demo files under `landing`."""
    if scale.eu_cities:
        write_eu_cities(landing, scale.eu_cities, scale.emission_years, scale.eu_sectors, seed + 5)
