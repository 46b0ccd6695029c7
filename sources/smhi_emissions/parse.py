"""SMHI's Länsrapport: report header, a year row, a header row, then one row per sector x county x municipality.

The layout is read by its labels: the header row is the one holding "Huvudsektor", the years are in the row
above it, the unit is in a row starting "Enhet:". The wide year columns are unpivoted to one value per row,
each keeping its own Excel column letter for error messages.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from sources.lib.cells import RawTable, is_blank, to_text
from sources.lib.contract import SourceContract
from sources.lib.errors import SourceFileError
from sources.lib.readers import check_merged, column_letter, find_header_row, read_sheet
from sources.lib.types import CellError, parse_value

LABELS = ["Huvudsektor", "Undersektor", "Län", "Kommun"]
ACCEPTED_UNITS = {"ton/år", "ton"}
_REPORT_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)


def report_date(title_rows: list[list[object]]) -> dt.date | None:
    """SMHI's date of the report ("Rapportnamn: | Länsrapport, 2024-04-18"): its publication date."""
    for row in title_rows:
        if row and not is_blank(row[0]) and to_text(row[0]).startswith("Rapportnamn"):
            text = " ".join(to_text(v) for v in row if not is_blank(v))
            if m := _REPORT_DATE.search(text):
                try:
                    return dt.date(int(m[1]), int(m[2]), int(m[3]))
                except ValueError:
                    return None
    return None


def parse(path: Path, name: str, contract: SourceContract) -> RawTable:
    data = read_sheet(path, name, contract.reader.get("sheet"))
    sheet, rows = data.name, data.rows
    h = find_header_row(rows, contract.reader.get("header_anchor", "Huvudsektor"), name, sheet)
    header = [to_text(v) if not is_blank(v) else "" for v in rows[h]]
    if header[:4] != LABELS:
        raise SourceFileError(
            name, "template_drift", f"expected the columns {LABELS}, found {header[:4]}", sheet=sheet, row=h + 1
        )
    if h < 1:
        raise SourceFileError(name, "template_drift", "no row of years above the header", sheet=sheet, row=h + 1)
    title = [to_text(r[0]) for r in rows[:h] if r and not is_blank(r[0])]
    unit = next((t.split(":", 1)[1].strip() for t in title if t.lower().startswith("enhet:")), None)
    if unit not in ACCEPTED_UNITS:
        raise SourceFileError(
            name, "unit", f"the report's unit is {unit!r}; expected one of {sorted(ACCEPTED_UNITS)}", sheet=sheet
        )
    substance = next((t.removeprefix("Emissioner av ").strip() for t in title if t.startswith("Emissioner av")), None)
    if not substance:
        raise SourceFileError(
            name, "template_drift", "no title row 'Emissioner av …' naming the substance", sheet=sheet
        )
    year_row = rows[h - 1]
    years: list[tuple[int, int]] = []
    for pos in range(4, len(header)):
        if is_blank(year_row[pos]):
            continue
        try:
            years.append((pos, parse_value(year_row[pos], "integer")))
        except CellError as exc:
            raise SourceFileError(
                name, "template_drift", f"year cell: {exc.message}", sheet=sheet, row=h, column=column_letter(pos)
            ) from exc
    if not years:
        raise SourceFileError(name, "template_drift", "no years in the row above the header", sheet=sheet, row=h)

    check_merged(data, name, h + 1, None, [0, 1, 2, 3, *(pos for pos, _ in years)])
    records: dict[str, list[object]] = {
        c: []
        for c in [
            "substance",
            "main_sector",
            "sub_sector",
            "county_name",
            "municipality_name",
            "year",
            "emissions_t",
        ]
    }
    numbers: list[int] = []
    letters: list[str] = []  # a value's cell is its year's column
    for i in range(h + 1, len(rows)):
        row = rows[i]
        if all(is_blank(v) for v in row):
            continue
        for pos, year in years:
            records["substance"].append(substance)
            records["main_sector"].append(row[0])
            records["sub_sector"].append(row[1])
            records["county_name"].append(row[2])
            records["municipality_name"].append(row[3])
            records["year"].append(year)
            records["emissions_t"].append(row[pos] if pos < len(row) else None)
            numbers.append(i + 1)
            letters.append(column_letter(pos))
    refs = {
        col: column_letter(j) for j, col in enumerate(["main_sector", "sub_sector", "county_name", "municipality_name"])
    }
    return RawTable.of(
        records, numbers, refs, columns_at={"emissions_t": letters}, sheet=sheet, published_on=report_date(rows[:h])
    )
