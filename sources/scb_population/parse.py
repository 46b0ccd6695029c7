"""SCB BE0101 "tabhel": a title naming the year, a two-row header, Riket, then counties and their municipalities.

Codes are text ("0180"); names come right-padded with spaces; footnotes follow the table after a blank row.
"""

from __future__ import annotations

import re
from pathlib import Path

from sources.lib.cells import RawTable, is_blank, to_text
from sources.lib.contract import SourceContract
from sources.lib.errors import SourceFileError
from sources.lib.readers import check_merged, find_header_row, read_sheet

_TITLE_YEAR = re.compile(r"31 december.*?(\d{4})")
_CODE = re.compile(r"^\d{2}(\d{2})?$")


def parse(path: Path, name: str, contract: SourceContract) -> RawTable:
    data = read_sheet(path, name, contract.reader.get("sheet", "Totalt"))
    sheet, rows = data.name, data.rows
    h = find_header_row(rows, contract.reader.get("header_anchor", "Folkmängd"), name, sheet)
    title = " ".join(to_text(r[0]) for r in rows[:h] if r and not is_blank(r[0]))
    if not (m := _TITLE_YEAR.search(title)):
        raise SourceFileError(
            name, "template_drift", "no title naming the year ('… 31 december … <year>')", sheet=sheet
        )
    year = int(m.group(1))
    header = [to_text(v) for v in rows[h]]
    try:
        pop_col = header.index("Folkmängd")
    except ValueError:
        raise SourceFileError(name, "missing_column", "no column 'Folkmängd'", sheet=sheet, row=h + 1) from None
    check_merged(data, name, h + 1, None, [0, 1, pop_col])  # SCB merges header cells of other columns only
    records: dict[str, list[object]] = {
        c: [] for c in ["year", "region_level", "region_code", "region_name", "population"]
    }
    numbers: list[int] = []
    for i in range(h + 1, len(rows)):
        row = rows[i]
        code = "" if is_blank(row[0]) else to_text(row[0])
        label = "" if is_blank(row[1]) else to_text(row[1])
        if label == "Riket" and not code:
            level, code = "country", "00"
        elif _CODE.match(code):
            level = "municipality" if len(code) == 4 else "county"
        elif not code and not label:
            if records["year"]:
                break  # the blank row before the footnotes ends the table
            continue
        else:
            continue  # the second header row and other labels
        records["year"].append(year)
        records["region_level"].append(level)
        records["region_code"].append(code)
        records["region_name"].append(label)
        records["population"].append(row[pop_col])
        numbers.append(i + 1)
    if not records["year"]:
        raise SourceFileError(name, "no_data", "no rows for Riket, counties or municipalities", sheet=sheet)
    return RawTable.of(
        records, numbers, {"region_code": "A", "region_name": "B", "population": chr(65 + pop_col)}, sheet=sheet
    )
