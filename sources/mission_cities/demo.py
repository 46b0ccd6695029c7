"""Demo delivery of mission_cities: The mission-city register as the programme office exports it (CSV), with the real
label rounds.

Called by sources.demo.generate.write_demo, seeded by the shared world and scale (sources.demo.world)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from sources.demo.world import Scale, World, write_file

DELIVERED = dt.datetime(2026, 10, 2, 9, 0, tzinfo=dt.UTC)  # when the demo delivery was "dropped" (its vintage)
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
    write_file(
        landing / "mission_cities" / "nzc_mission_cities_2026-10-02.csv",
        text.getvalue().encode(),
        DELIVERED,
    )


def write(landing: Path, world: World, scale: Scale, seed: int) -> None:
    """This source's demo files under `landing`."""
    write_mission_cities(landing)
