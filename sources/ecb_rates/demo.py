"""Demo delivery of ecb_rates: The ECB's eurofxref-hist.csv: daily rates, SEK around the ECB's real annual means.

Called by sources.demo.generate.write_demo, seeded by the shared world and scale (sources.demo.world)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import random
from pathlib import Path

from sources.demo.world import REFERENCE_DIR, Scale, World, source_rng, write_file

DELIVERED = dt.datetime(2026, 10, 1, 15, 0, tzinfo=dt.UTC)  # when the demo delivery was "dropped" (its vintage)


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
    write_file(landing / "ecb_rates" / "eurofxref-hist.csv", text.getvalue().encode(), DELIVERED)


def write(landing: Path, world: World, scale: Scale, seed: int) -> None:
    """This source's demo files under `landing`."""
    write_ecb(landing, source_rng(seed, "ecb_rates"))
