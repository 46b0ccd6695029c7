"""Generic readers: a delivered CSV or .xlsx file to a table of raw cell values with their positions.

Readers only find the data and keep where each value came from (sheet, row, column); typing and the
contract's rules are applied afterwards, the same way for every source (see `sources.lib.validate`).
"""

from __future__ import annotations

import datetime as dt
import json
import mmap
import posixpath
import re
import sys
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from sources.lib.cells import EXCEL_EPOCH_1900, EXCEL_EPOCH_1904, Cells, RawTable, is_blank, to_text
from sources.lib.contract import SourceContract
from sources.lib.errors import SourceFileError, excerpt, excerpts

try:
    from defusedxml import ElementTree as SafeET
except ImportError:  # fail at start-up saying what to do (sources.lib.safety.require_defusedxml)
    from sources.lib.safety import DEFUSEDXML_MISSING

    raise RuntimeError(DEFUSEDXML_MISSING) from None

# Typical mojibake of UTF-8 read as cp1252/latin-1: "MalmÃ¶", "GÃ¤vle", "Ã…" (Å), "Ã„" (Ä), "Ã–" (Ö), "Ã©" (é).
# It arrives two ways: cp1252 declared for a UTF-8 file, or a file once misread and saved again as UTF-8.
_MOJIBAKE = re.compile("Ã[\u0080-\u00bf]|Ã…|Ã„|Ã–|Ã—|Ã‰")
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    return get_column_letter(index + 1)


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
    if m := _MOJIBAKE.search(text):
        line = text[: m.start()].count("\n") + 1
        cause = (
            "UTF-8 text read as cp1252 at some point and saved again"
            if encoding == "utf-8"
            else f"a UTF-8 file; the contract says {encoding}"
        )
        raise SourceFileError(name, "mojibake", f"{m.group(0)!r} on line {line} is garbled text ({cause})", row=line)
    return text


def map_headers(
    headers: list[str], contract: SourceContract, name: str, sheet: str | None, header_row: int | None, excel: bool
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
                name,
                "duplicate_header",
                f"the header {excerpt(h)} appears twice",
                sheet=sheet,
                row=header_row,
                column=where,
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
            f"required column(s) {missing} not in the header; found {excerpts([h for h in cleaned if h])}",
            sheet=sheet,
            row=header_row,
        )
    return positions


MAX_CSV_COLUMNS = 2048
_BLANK = " \t\r\n\x0b\x0c"  # what a blank line holds, besides separators
_BLOCK, _POPULATE = 1 << 22, getattr(mmap, "MAP_POPULATE", 0)  # (Linux: the whole map set up in one call)
_OTHERS = bytes(c for c in range(256) if c not in b'"\n')  # every byte but a quote and a line break


def read_csv(path: Path, name: str, contract: SourceContract) -> RawTable:
    """A delimited text file read by Arrow's CSV parser, every cell as text. A record's row is the line it starts
    on (a quoted field may span lines); a record with another number of fields than the header refuses the file,
    naming its line, because a field that moved would land in the wrong column."""
    sep, encoding = contract.reader.get("separator", ","), contract.reader.get("encoding", "utf-8")
    with path.open("rb") as fh:  # mapped, not copied: in a fresh reader child each 4 KiB copied is a page fault
        data = mmap.mmap(fh.fileno(), 0, mmap.MAP_PRIVATE | _POPULATE, mmap.PROT_READ) if path.stat().st_size else b""
    bom = data[:3] == b"\xef\xbb\xbf"
    # UTF-8 goes to Arrow as the file's bytes (Arrow checks each cell is UTF-8; decode_text says where one is not)
    checked = not (bom or encoding == "utf-8")
    body = decode_text(data[:], name, encoding).encode("utf-8") if checked else data[3:] if bom else data
    invalid: list[pacsv.InvalidRow] = []

    def invalid_row(row: pacsv.InvalidRow) -> str:
        if row.text.strip(_BLANK + sep):
            invalid.append(row)
        return "skip"  # a blank line is no record; a wrong one refuses the file below

    with ThreadPoolExecutor(1) as pool, _quiet_row_decoding():  # the byte scans below run beside Arrow's parse
        stray = pool.submit(_find, body, f'[^\\x{ord(sep):02x}\n"]"[^\\x{ord(sep):02x}\n\r"]', pa.large_binary())
        quotes = pool.submit(
            lambda: b"".join(body[i : i + _BLOCK].translate(None, _OTHERS) for i in range(0, len(body), _BLOCK))
        )
        try:
            table = pacsv.read_csv(
                pa.py_buffer(body),
                read_options=pacsv.ReadOptions(autogenerate_column_names=True, use_threads=False),  # faster on 2 cores
                parse_options=pacsv.ParseOptions(
                    delimiter=sep,
                    quote_char='"',
                    double_quote=True,
                    newlines_in_values=True,
                    invalid_row_handler=invalid_row,
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types={f"f{i}": pa.string() for i in range(MAX_CSV_COLUMNS)},
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
        except (pa.ArrowInvalid, UnicodeDecodeError) as exc:  # an encoding error first, as for other encodings
            _ = checked or decode_text(data[:], name, encoding)
            if "Empty CSV file" in str(exc):
                raise SourceFileError(name, "empty_file", "the file has no header line") from None
            raise SourceFileError(name, "csv_syntax", f"not readable as CSV: {excerpt(str(exc), 160)}") from exc
    unchecked = invalid or table.num_columns > MAX_CSV_COLUMNS  # rows Arrow skipped, columns it typed: UTF-8 unchecked
    if not checked and (unchecked or _find(body, _MOJIBAKE.pattern, pa.large_string()) >= 0):
        decode_text(data[:], name, encoding)  # names a byte that is not UTF-8; refuses garbled text
    header = [table.column(j)[0].as_py() for j in range(table.num_columns)] if table.num_rows else []
    if not header:
        raise SourceFileError(name, "empty_file", "the file has no header line")
    if len(header) == 1 and any(other in header[0] for other in {",", ";", "\t"} - {sep}):
        raise SourceFileError(
            name, "wrong_separator", f"the header has one column; the contract's separator is {sep!r}", row=1
        )
    if invalid:
        first = min(invalid, key=lambda r: _line_of(body, r.text))
        hint = "a stray separator?" if first.actual_columns > first.expected_columns else "a missing separator?"
        said = f"{first.actual_columns} fields where the header has {first.expected_columns} ({hint})"
        raise SourceFileError(name, "wrong_field_count", said, row=_line_of(body, first.text))
    # a quote with neither a separator, a line start nor a quote before it, nor a separator, a line end or a quote
    # after it is inside a field: Arrow would read "8"x as 8x, and 5" screen unquoted; a strict reader refuses
    if (at := stray.result()) >= 0:
        line = body[: at + 1].count(b"\n") + 1
        said = f"a quote inside a field on line {line} that is neither at its start nor doubled: quote the whole field"
        raise SourceFileError(name, "csv_syntax", said + ' and write a quote in it as ""', row=line)
    quotes_and_breaks = quotes.result()
    if (len(quotes_and_breaks) - quotes_and_breaks.count(b"\n")) % 2:  # Arrow reads the rest of the file into it
        line = quotes_and_breaks.count(b"\n", 0, quotes_and_breaks.rindex(b'"')) + 1
        raise SourceFileError(name, "csv_syntax", f"the quote opened on line {line} is never closed", row=line)
    positions = map_headers(header, contract, name, None, 1, excel=False)
    lines, blank = _record_lines(body, quotes_and_breaks, sep, len(header))
    if len(lines) != table.num_rows:
        raise SourceFileError(
            name, "csv_syntax", "its quotes do not pair up: a quote inside an unquoted field? Quote the whole field"
        )
    table, lines, blank = table.slice(1), lines[1:], blank[1:]
    if blank.any():  # a record of only blanks (";;;") is no record either
        table, lines = table.filter(pa.array(~blank)), lines[~blank]
    columns = {col: Cells(table.column(pos).combine_chunks()) for col, pos in positions.items()}
    return RawTable(columns, lines, {col: header[pos] for col, pos in positions.items()})


@contextmanager
def _quiet_row_decoding() -> Iterator[None]:
    """Arrow decodes a row it refuses as UTF-8 before calling invalid_row, and hands a UnicodeDecodeError from
    that to sys.unraisablehook (an "Exception ignored" traceback in the run's output); the parse then fails, and
    decode_text names the byte. Those errors are not printed while this parse runs; any other still is."""
    previous = sys.unraisablehook
    sys.unraisablehook = lambda u: None if isinstance(u.exc_value, UnicodeDecodeError) else previous(u)
    try:
        yield
    finally:
        sys.unraisablehook = previous


def _line_of(body: bytes, record: str) -> int:
    """The line a record Arrow refused starts on: the first line that is it."""
    m = re.search(rb"(?m)^" + re.escape(record.encode("utf-8")) + rb"\r?$", body)
    return body[: m.start()].count(b"\n") + 1 if m else 1


def _find(body: bytes, pattern: str, kind: pa.DataType) -> int:
    """Where RE2 (Arrow's) first matches the pattern in the bytes (read as UTF-8 text or as bytes), or -1."""
    whole = pa.Array.from_buffers(kind, 1, [None, pa.py_buffer(np.array([0, len(body)])), pa.py_buffer(body)])
    return pc.find_substring_regex(whole, pattern)[0].as_py()


def _record_lines(body: bytes, quotes_and_breaks: bytes, sep: str, width: int) -> tuple[np.ndarray, np.ndarray]:
    """The line each record Arrow reads starts on, and whether it holds only blanks. A line break ends a record
    unless it is inside quotes, i.e. after an odd number of quote characters (in a quoted field a quote is
    doubled); Arrow skips empty lines and (invalid_row) lines of only blanks with another field count."""
    b = np.frombuffer(body, dtype=np.uint8)
    breaks = np.flatnonzero(b == 10)
    at = np.flatnonzero(np.frombuffer(quotes_and_breaks, dtype=np.uint8) == 10)  # break k with the quotes before it
    ends = breaks[((at - np.arange(len(at))) & 1) == 0]
    starts = np.concatenate(([0], ends + 1))
    stops = np.concatenate((ends, [len(b)]))
    length = stops - starts
    if len(b):  # without the \r of a CRLF line end
        length = length - ((length > 0) & (b[np.maximum(stops - 1, 0)] == 13))
    # short records may hold only blanks (longer ones are typed as they are, and their empty cells said)
    short = np.flatnonzero((length > 0) & (length <= 64))
    blank, skipped_by_arrow = np.zeros(len(starts), dtype=bool), np.zeros(len(starts), dtype=bool)
    if len(short):
        offsets = starts[short, None] + np.arange(64)[None, :]
        within = np.arange(64)[None, :] < length[short, None]
        window = np.where(within, b[np.minimum(offsets, len(b) - 1)], 32)
        blank[short] = np.isin(window, np.frombuffer((_BLANK + sep).encode(), np.uint8)).all(axis=1)
        fields = 1 + (within & (window == ord(sep))).sum(axis=1)
        skipped_by_arrow[short] = blank[short] & (fields != width)
    emitted = (length > 0) & ~skipped_by_arrow
    return np.searchsorted(breaks, starts[emitted]) + 1, blank[emitted]


def _columns(records: list[list[object]], positions: dict[str, int], missing: object) -> dict[str, object]:
    """Contract column -> its cells; a short row has `missing` beyond its end. Rows of one length, the usual case
    (calamine's always), are sliced from one 2-D array: no Python step per cell."""
    lengths = {len(r) for r in records}
    if len(lengths) == 1 and min(lengths) > max(positions.values(), default=-1):
        grid = np.empty((len(records), min(lengths)), dtype=object)
        grid[:] = records
        return {col: grid[:, pos] for col, pos in positions.items()}
    return {col: [r[pos] if pos < len(r) else missing for r in records] for col, pos in positions.items()}


def workbook_epoch(path: Path) -> dt.date:
    """Excel for Mac files may count serial dates from 1904."""
    with zipfile.ZipFile(path) as archive:
        head = archive.read("xl/workbook.xml")[:8192]
    return EXCEL_EPOCH_1904 if re.search(rb'date1904="(1|true)"', head) else EXCEL_EPOCH_1900


@dataclass
class SheetData:
    """One worksheet's cell values (row 0 is Excel row 1, column 0 is A) and its merged ranges (0-based)."""

    name: str
    rows: list[list[object]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]]


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its XML part in the zip, from xl/workbook.xml and its relationships."""
    workbook = SafeET.fromstring(archive.read("xl/workbook.xml"))
    rels = SafeET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL_NS}Relationship")}
    parts = {}
    for sheet in workbook.iter(f"{_MAIN_NS}sheet"):
        target = targets.get(sheet.get(f"{_REL_NS}id"), "")
        parts[sheet.get("name", "")] = (
            target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        )
    return parts


_SCAN_CHUNK = 1 << 20  # bytes of sheet XML searched for a formula tag at a time


def formulas_without_values(path: Path, sheet: str) -> list[str]:
    """A1 references of formula cells with no saved result.

    A workbook written by a program that does not calculate (a script, some exporters) stores `<f>` without
    `<v>`; calamine then returns an empty cell, and the value would be lost without a trace. The sheet XML is
    streamed, and only when it holds a formula at all.
    """
    with zipfile.ZipFile(path) as archive:
        part = _sheet_parts(archive).get(sheet)
        if part is None or part not in archive.namelist():
            return []
        with archive.open(part) as fh:
            tail, found = b"", False
            for chunk in iter(lambda: fh.read(_SCAN_CHUNK), b""):
                # a formula's tag holds an "f", which sheet XML without text or formulas rarely does: the regex
                # runs only where there is one (memchr is much faster than the regex, docs/benchmarks.md); the previous
                # chunk's tail counts, or a tag split after its "f" would be missed
                if (b"f" in tail or b"f" in chunk) and _FORMULA_TAG.search(tail + chunk):
                    found = True
                    break
                tail = chunk[-16:]
        if not found:
            return []
        missing: list[str] = []
        with archive.open(part) as fh:
            for _, elem in SafeET.iterparse(fh, events=("end",)):
                if elem.tag != f"{_MAIN_NS}c":
                    continue
                formula = elem.find(f"{_MAIN_NS}f")
                if formula is not None:
                    value = elem.find(f"{_MAIN_NS}v")
                    empty = value is None or not (value.text or "")
                    # an empty text result (t="str") is a real, calculated value; anything else empty is not
                    if empty and elem.get("t") != "str":
                        missing.append(elem.get("r", "?"))
                elem.clear()
        return missing


def _calamine_error(name: str, sheet: str | None, exc: Exception) -> SourceFileError:
    """calamine's own errors (python_calamine.XmlError, CalamineError, …) as the rule a data engineer acts on."""
    kind = type(exc).__name__
    detail = excerpt(str(exc), 160)
    if kind == "XmlError":
        return SourceFileError(
            name,
            "xml_syntax",
            f"the sheet's XML is not well-formed ({detail}): a bare '&' or an undefined entity, as a program that "
            "writes XML by hand leaves; open the file in Excel or LibreOffice and save it again",
            sheet=sheet,
        )
    return SourceFileError(name, "unreadable_workbook", f"the workbook cannot be read: {kind}: {detail}", sheet=sheet)


def read_sheet(path: Path, name: str, sheet: str | None) -> SheetData:
    """Open one sheet: by name, or the first visible one. Never a hidden sheet, never a formula's lost value."""
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for unreadable workbooks
        raise _calamine_error(name, None, exc) from exc
    visibility = {m.name: str(m.visible).rsplit(".", 1)[-1] for m in workbook.sheets_metadata}
    if sheet is None:
        visible = [s for s in workbook.sheet_names if visibility.get(s) == "Visible"]
        if not visible:
            raise SourceFileError(
                name, "hidden_sheet", f"every sheet of the workbook is hidden: {excerpts(workbook.sheet_names)}"
            )
        sheet = visible[0]
    elif sheet not in workbook.sheet_names:
        raise SourceFileError(
            name,
            "missing_sheet",
            f"no sheet named {sheet!r}; the workbook has {excerpts(workbook.sheet_names)}",
            sheet=sheet,
        )
    elif visibility.get(sheet) != "Visible":
        raise SourceFileError(
            name,
            "hidden_sheet",
            f"the sheet {sheet!r} is {visibility.get(sheet, 'hidden').lower()}: a hidden sheet is not read, because "
            "nobody checked what it holds; unhide it (and check it) or deliver the data on a visible sheet",
            sheet=sheet,
        )
    try:  # the sheet's XML is parsed here: a bare '&', an undefined entity, a shared string that is not there
        data = workbook.get_sheet_by_name(sheet)
        rows = data.to_python(skip_empty_area=False)
        merged = list(data.merged_cell_ranges or [])
    except Exception as exc:
        raise _calamine_error(name, sheet, exc) from exc
    if missing := formulas_without_values(path, sheet):
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        first = re.match(r"([A-Z]+)(\d+)", missing[0])
        raise SourceFileError(
            name,
            "formula_without_value",
            f"{len(missing)} formula cell(s) without a saved result ({shown}): the file was written by a program "
            "that does not calculate; open it in Excel or LibreOffice, recalculate and save it again",
            sheet=sheet,
            row=int(first.group(2)) if first else None,
            column=first.group(1) if first else None,
        )
    return SheetData(sheet, rows, merged)


def check_merged(data: SheetData, name: str, first_row: int, last_row: int | None, columns: list[int]) -> None:
    """Refuse merged cells that cover values we read: only a merge's first cell holds the value, so every other
    row or column of it would silently read as empty. Rows and columns are 0-based, last_row inclusive."""
    wanted = set(columns)
    for (r0, c0), (r1, c1) in sorted(data.merged):
        if r1 < first_row or (last_row is not None and r0 > last_row):
            continue
        if not any(c in wanted for c in range(c0, c1 + 1)):
            continue
        ref = f"{column_letter(c0)}{r0 + 1}:{column_letter(c1)}{r1 + 1}"
        raise SourceFileError(
            name,
            "merged_cells",
            f"the cells {ref} are merged inside the data area; only {column_letter(c0)}{r0 + 1} holds a value, the "
            "others would read as empty: unmerge them and fill in every cell",
            sheet=data.name,
            row=r0 + 1,
            column=ref,
        )


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
    data = read_sheet(path, name, opts.get("sheet"))
    sheet, rows = data.name, data.rows
    anchor = opts.get("header_anchor", contract.columns[0].header)
    h = find_header_row(rows, anchor, name, sheet)
    positions = map_headers(list(rows[h]), contract, name, sheet, h + 1, excel=True)
    check_merged(data, name, h + 1, None, list(positions.values()))
    numbers = [i + 1 for i in range(h + 1, len(rows)) if not all(map(is_blank, rows[i]))]  # Excel's, from 1
    records = [rows[i - 1] for i in numbers]
    return RawTable(
        {col: Cells.of(cells) for col, cells in _columns(records, positions, None).items()},
        np.asarray(numbers, dtype=np.int64),
        {col: column_letter(pos) for col, pos in positions.items()},
        sheet=sheet,
        excel_epoch=workbook_epoch(path),
    )


class _DuplicateKey(ValueError):
    def __init__(self, key: str, record: int) -> None:
        super().__init__(key)
        self.key, self.record = key, record


def read_json(path: Path, name: str, contract: SourceContract) -> RawTable:
    """A JSON export: a list of flat records, or an object holding it under `reader.records` (e.g. "cities").

    Strict where json.loads is lenient: a key twice in one record (the last would silently win), NaN and
    Infinity (not JSON at all) and nested values are refused, naming the record and key.
    """
    text = decode_text(path.read_bytes(), name, contract.reader.get("encoding", "utf-8"))
    closed = 0

    def pairs(items: list[tuple[str, object]]) -> dict[str, object]:
        nonlocal closed
        closed += 1  # objects close in document order: for a list of flat records this is the record number
        seen: dict[str, object] = {}
        for key, value in items:
            if key in seen:
                raise _DuplicateKey(key, closed)
            seen[key] = value
        return seen

    def constant(token: str) -> object:
        raise ValueError(token)

    try:
        document = json.loads(text, object_pairs_hook=pairs, parse_constant=constant)
    except _DuplicateKey as exc:
        raise SourceFileError(
            name, "duplicate_key", f"the key {exc.key!r} appears twice in one record", row=exc.record, column=exc.key
        ) from None
    except json.JSONDecodeError as exc:
        raise SourceFileError(
            name, "json_syntax", f"not valid JSON: {exc.msg} (column {exc.colno})", row=exc.lineno
        ) from exc
    except ValueError as exc:
        token = str(exc)
        m = re.search(rf"(?<![\w\"]){re.escape(token)}(?![\w\"])", text)
        line = text[: m.start()].count("\n") + 1 if m else None
        raise SourceFileError(
            name, "not_a_number", f"{token} is not a JSON number; write null for a missing value", row=line
        ) from None
    key = contract.reader.get("records")
    if key:
        records = document.get(key) if isinstance(document, dict) else None
    else:
        records = document
    if not isinstance(records, list):
        where = f"under the key {key!r}" if key else "at the top level"
        raise SourceFileError(name, "json_shape", f"expected a list of records {where}")
    headers: list[str] = []
    for i, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise SourceFileError(name, "json_shape", f"record {i} is a {type(record).__name__}, not an object", row=i)
        for k, v in record.items():
            if isinstance(v, (dict, list)):
                raise SourceFileError(
                    name, "nested_value", f"record {i}: {k!r} holds a nested {type(v).__name__}", row=i, column=k
                )
            if k not in headers:
                headers.append(k)
    positions = map_headers(headers, contract, name, None, None, excel=False)
    return RawTable(
        {col: Cells.of([r.get(headers[pos]) for r in records]) for col, pos in positions.items()},
        np.arange(1, len(records) + 1, dtype=np.int64),
        {col: headers[pos] for col, pos in positions.items()},
        row_label="record",
    )
