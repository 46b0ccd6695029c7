"""Demo delivery of klimatkontrakt_register: The Klimatkontrakt register as Excel's "CSV UTF-8" export with Swedish
settings, from the shared register.

Called by sources.demo.generate.write_demo, seeded by the shared world and scale (sources.demo.world)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from sources.demo.world import Municipality, Scale, World, write_file

DELIVERED = dt.datetime(2026, 9, 30, 12, 0, tzinfo=dt.UTC)  # when the demo delivery was "dropped" (its vintage)
AGENCIES = {
    2019: "Energimyndigheten, Vinnova, Formas, Tillväxtverket, Trafikverket, Naturvårdsverket",
    2021: "Energimyndigheten, Vinnova, Formas, Tillväxtverket, Trafikverket, Naturvårdsverket",
    2025: "Energimyndigheten, Vinnova, Formas, Tillväxtverket, Trafikverket, Naturvårdsverket",
}


def write_register(landing: Path, rows: list[tuple[Municipality, int, str]]) -> None:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        ["Kommunkod", "Kommun", "Våg", "Anslutningsdatum", "Utträdesdatum", "Senaste kontraktsversion", "Myndigheter"]
    )
    for m, wave, joined in rows:
        writer.writerow([m.code, m.name, wave, joined, "", 2025, AGENCIES[wave]])
    # Excel's "CSV UTF-8" export with Swedish settings: semicolons and a byte-order mark.
    write_file(
        landing / "klimatkontrakt_register" / "klimatkontrakt_register.csv",
        b"\xef\xbb\xbf" + text.getvalue().encode(),
        DELIVERED,
    )


def write(landing: Path, world: World, scale: Scale, seed: int) -> None:
    """This source's demo files under `landing`."""
    write_register(landing, world.register)
