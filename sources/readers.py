"""Generic readers: a delivered CSV or .xlsx file to a table of raw cell values with their positions.

Readers only find the data and keep where each value came from (sheet, row, column); typing and the
contract's rules are applied afterwards, the same way for every source (see `sources.validate`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from python_calamine import CalamineWorkbook

from sources.contract import SourceContract
from sources.errors import SourceFileError
from sources.values import EXCEL_EPOCH_1900, EXCEL_EPOCH_1904, is_blank, to_text

ROW = "__row"
SHEET = "__sheet"
COL_PREFIX = "__col_"  # optional per-row Excel column letter of a value, for parsers that unpivot
# Typical mojibake of UTF-8 read as cp1252/latin-1: "MalmÃ¶", "GÃ¤vle", "Ã…".
_MOJIBAKE = re.compile("Ã[\u0080-\u00bf]|Ã…|Ã„|Ã–")


@dataclass
class RawTable:
    """Raw cell values, one column per contract column, plus the sheet and row each row came from."""

    frame: pd.DataFrame
    refs: dict[str, str]  # contract column -> where it is in the file (an Excel column letter or a CSV header)
    excel_epoch: dt.date = EXCEL_EPOCH_1900
    sheet: str | None = None
    notes: list[str] = field(default_factory=list)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def decode_text(data: bytes, name: str, encoding: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data, encoding = data[3:], "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceFileError(
            name, "encoding", f"not valid {encoding} at byte {exc.start}; the contract says {encoding}", row=line
        ) from exc
    if encoding.lower() not in ("utf-8", "utf8") and (m := _MOJIBAKE.search(text)):
        line = text[: m.start()].count("\n") + 1
        raise SourceFileError(
            name, "encoding", f"{m.group(0)!r} on line {line} looks like UTF-8 read as {encoding}", row=line
        )
    return text


def map_headers(
    headers: list[str], contract: SourceContract, name: str, sheet: str | None, header_row: int, excel: bool
) -> dict[str, int]:
    """Contract column name -> position in the file, matched on the header label."""
    cleaned = [to_text(h) if not is_blank(h) else "" for h in headers]
    seen: dict[str, int] = {}
    for i, h in enumerate(cleaned):
        if not h:
            continue
        if h in seen:
            where = column_letter(i) if excel else h
            raise SourceFileError(
                name, "duplicate_header", f"the header {h!r} appears twice", sheet=sheet, row=header_row, column=where
            )
        seen[h] = i
    positions: dict[str, int] = {}
    missing = []
    for col in contract.columns:
        if col.header in seen:
            positions[col.name] = seen[col.header]
        elif col.required:
            missing.append(col.header)
    if missing:
        raise SourceFileError(
            name,
            "missing_column",
            f"required column(s) {missing} not in the header; found {[h for h in cleaned if h]}",
            sheet=sheet,
            row=header_row,
        )
    return positions


def read_csv(path: Path, name: str, contract: SourceContract) -> RawTable:
    opts = contract.reader
    sep = opts.get("separator", ",")
    text = decode_text(path.read_bytes(), name, opts.get("encoding", "utf-8"))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, quotechar='"', strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise SourceFileError(name, "empty_file", "the file has no header line") from None
    except csv.Error as exc:
        raise SourceFileError(name, "csv_syntax", str(exc), row=1) from exc
    if len(header) == 1 and any(other in header[0] for other in {",", ";", "\t"} - {sep}):
        raise SourceFileError(
            name, "wrong_separator", f"the header has one column; the contract's separator is {sep!r}", row=1
        )
    positions = map_headers(header, contract, name, None, 1, excel=False)
    records: list[list[str]] = []
    rows: list[int] = []
    try:
        for record in reader:
            if not record or all(v.strip() == "" for v in record):
                continue
            if len(record) > len(header) and any(v.strip() for v in record[len(header) :]):
                raise SourceFileError(
                    name,
                    "wrong_field_count",
                    f"{len(record)} fields where the header has {len(header)} (a stray separator?)",
                    row=reader.line_num,
                )
            records.append(record)
            rows.append(reader.line_num)
    except csv.Error as exc:
        raise SourceFileError(name, "csv_syntax", str(exc), row=reader.line_num) from exc
    data = {col: [r[pos] if pos < len(r) else "" for r in records] for col, pos in positions.items()}
    frame = pd.DataFrame(data, dtype=object)
    frame[ROW] = rows
    frame[SHEET] = None
    return RawTable(frame=frame, refs={col: header[pos] for col, pos in positions.items()})


def workbook_epoch(path: Path) -> dt.date:
    """Excel for Mac files may count serial dates from 1904."""
    with zipfile.ZipFile(path) as archive:
        head = archive.read("xl/workbook.xml")[:8192]
    return EXCEL_EPOCH_1904 if re.search(rb'date1904="(1|true)"', head) else EXCEL_EPOCH_1900


def open_sheet(path: Path, name: str, sheet: str | None) -> tuple[str, list[list[object]]]:
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for unreadable workbooks
        raise SourceFileError(name, "unreadable_workbook", f"the workbook cannot be read: {exc}") from exc
    if sheet is None:
        visible = [s.name for s in workbook.sheets_metadata if str(s.visible).endswith("Visible")]
        sheet = visible[0] if visible else workbook.sheet_names[0]
    elif sheet not in workbook.sheet_names:
        raise SourceFileError(
            name, "missing_sheet", f"no sheet named {sheet!r}; the workbook has {workbook.sheet_names}", sheet=sheet
        )
    rows = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    return sheet, rows


def find_header_row(rows: list[list[object]], anchor: str, name: str, sheet: str, search_rows: int = 50) -> int:
    """Index of the first row holding the anchor label: templates move, labels stay."""
    for i, row in enumerate(rows[:search_rows]):
        if any(not is_blank(v) and to_text(v) == anchor for v in row):
            return i
    raise SourceFileError(
        name,
        "header_not_found",
        f"no header row with the label {anchor!r} in the first {search_rows} rows",
        sheet=sheet,
    )


def read_xlsx(path: Path, name: str, contract: SourceContract) -> RawTable:
    opts = contract.reader
    sheet, rows = open_sheet(path, name, opts.get("sheet"))
    anchor = opts.get("header_anchor", contract.columns[0].header)
    h = find_header_row(rows, anchor, name, sheet)
    positions = map_headers(list(rows[h]), contract, name, sheet, h + 1, excel=True)
    records, numbers = [], []
    for i in range(h + 1, len(rows)):
        row = rows[i]
        if all(is_blank(v) for v in row):
            continue
        records.append(row)
        numbers.append(i + 1)  # Excel rows count from 1
    data = {col: [r[pos] if pos < len(r) else None for r in records] for col, pos in positions.items()}
    frame = pd.DataFrame(data, dtype=object)
    frame[ROW] = numbers
    frame[SHEET] = sheet
    return RawTable(
        frame=frame,
        refs={col: column_letter(pos) for col, pos in positions.items()},
        excel_epoch=workbook_epoch(path),
        sheet=sheet,
    )
