"""Demo delivery of the programme office's commentary: a CSV in the real format (`;`, UTF-8 with BOM, CRLF as
Excel writes it), for the last closed quarter of the demo and the one before. Plain texts, not figures: the
comments speak of what the programme did, not of the generated numbers, so they stay true whatever the demo
generator writes. Called by sources.demo.generate.write_demo (write)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from pathlib import Path

DELIVERED = dt.datetime(2026, 10, 4, 14, 0, tzinfo=dt.UTC)
HEADER = ["Indikator", "Kvartal", "Kommentar", "Kommentar (engelska)", "Skriven av"]
COMMENTS = [
    ("kk_municipalities", "2026Q3",
     "Inga nya kommuner under kvartalet; ansökningsomgången för 2027 öppnar i november.",
     "No new municipalities in the quarter; the call for 2027 opens in November."),
    ("kk_population_share", "2026Q3",
     "Andelen följer SCB:s folkmängd den 31 december 2025.",
     "The share follows SCB's population on 31 December 2025."),
    ("intl_funding_awarded_msek_quarter", "2026Q3",
     "Två beslut i DUT:s utlysning 2025 föll under kvartalet.",
     "Two decisions of the DUT 2025 call fell in the quarter."),
    ("application_success_rate_pct", "2026Q3",
     "Få beslut under året: andelen rör sig i stora steg.",
     "Few decisions in the year: the share moves in large steps."),
    ("kk_emissions_kt", "2026Q3",
     "SMHI:s siffror för 2024 publicerades i juni; nästa år kommer 2025.",
     "SMHI's figures for 2024 were published in June; 2025 follows next year."),
    ("kk_emissions_change_pct", "2026Q3",
     "Minskningen sedan 2015 går långsammare än målbanan kräver.",
     "The fall since 2015 is slower than the target path requires."),
    ("kk_municipalities", "2026Q2",
     "Programmet har 48 kommuner sedan april 2025.",
     "The programme has had 48 municipalities since April 2025."),
]  # fmt: skip


def write_commentary(landing: Path) -> Path:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for indicator, quarter, sv, en in COMMENTS:
        writer.writerow([indicator, quarter, sv, en, "Programkontoret"])
    target = landing / "commentary" / "kommentarer_2026Q3.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"\xef\xbb\xbf" + text.getvalue().encode())
    os.utime(target, (DELIVERED.timestamp(), DELIVERED.timestamp()))  # the delivery time ingest records
    return target


def write(landing: Path, world: object, scale: object, seed: int) -> None:
    """This source's demo file under `landing` (the same texts at every scale and seed)."""
    write_commentary(landing)
