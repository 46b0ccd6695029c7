"""Demo delivery of engagement_log: the international engagement log (CSV export with Swedish settings): the
strategy's actors (engagements.csv beside this file), the level each works at and the direction it serves.

Called by sources.demo.generate.write_demo, seeded by the shared world and scale (sources.demo.world)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from pathlib import Path

from sources.demo.world import Municipality, Scale, World, source_rng, write_file

DELIVERED = dt.datetime(2026, 10, 3, 10, 0, tzinfo=dt.UTC)  # when the demo delivery was "dropped" (its vintage)
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
    write_file(
        landing / "engagement_log" / "internationellt_engagemang_2026Q3.csv",
        b"\xef\xbb\xbf" + text.getvalue().encode(),
        DELIVERED,
    )


def write(landing: Path, world: World, scale: Scale, seed: int) -> None:
    """This source's demo files under `landing`."""
    write_engagement_log(landing, world.register, source_rng(seed, "engagement_log"))
