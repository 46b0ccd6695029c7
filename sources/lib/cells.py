"""What a reader hands to the contract: each column's raw cells in Arrow, and where each record came from."""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

EXCEL_EPOCH_1900 = dt.date(1899, 12, 30)
EXCEL_EPOCH_1904 = dt.date(1904, 1, 1)
# What str.strip() removes: space, no-break space and narrow no-break space also group thousands in Swedish.
WHITESPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"  # noqa: E501
_KINDS = {str: 0, float: 1, int: 1, bool: 2, dt.datetime: 3, dt.date: 3}


def is_blank(value: object) -> bool:
    """A label cell a parser looks at is empty: None, NaN or only whitespace."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, str) and not value.strip(WHITESPACE)


def to_text(value: object) -> str:
    """A label cell as text, as the contract's string type reads it (NFC, no surrounding whitespace; a whole
    number without its .0): for headers and anchors, which are matched, not typed."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    return unicodedata.normalize("NFC", str(value)).strip(WHITESPACE)


@dataclass(frozen=True)
class Cells:
    """One column's raw cells, one per record, as the file holds them: text (every CSV cell), a number, a
    boolean or a date (Excel). Each array is null where the cell is not of its kind; an empty cell is empty
    text or null throughout. `text` may be dictionary-encoded (a parser's repeated labels)."""

    text: pa.Array
    number: pa.Array | None = None  # float64
    flag: pa.Array | None = None  # bool
    when: pa.Array | None = None  # timestamp[us]

    @classmethod
    def of(cls, values: Sequence[object] | np.ndarray) -> Cells:
        """From Python values (calamine's cells, JSON values, a parser's lists); NaN and None are empty."""
        try:
            arr = pa.array(values, from_pandas=True)
        except (pa.ArrowException, TypeError, ValueError, OverflowError):
            arr = None
        if arr is not None and (pa.types.is_string(arr.type) or pa.types.is_null(arr.type)):
            return cls(arr.cast(pa.string()))
        if arr is not None and (pa.types.is_integer(arr.type) or pa.types.is_floating(arr.type)):
            return cls(pa.nulls(len(arr), pa.string()), number=arr.cast(pa.float64()))
        if arr is not None and pa.types.is_boolean(arr.type):
            return cls(pa.nulls(len(arr), pa.string()), flag=arr)
        cells = np.empty(len(values), dtype=object)
        cells[:] = list(values)
        kinds = np.fromiter((_KINDS.get(type(v), -1 if v is None else 0) for v in cells), np.int8, len(cells))
        other = kinds == 0
        cells[other] = [v if isinstance(v, str) else str(v) for v in cells[other]]  # times, durations: as text

        def part(kind: int, type_: pa.DataType) -> pa.Array | None:
            where = kinds == kind
            if not where.any():
                return None
            picked = np.where(where, cells, None)
            if kind == 3:  # dates and datetimes alike
                picked = [v if not isinstance(v, dt.date) or isinstance(v, dt.datetime) else
                          dt.datetime.combine(v, dt.time()) for v in picked]  # fmt: skip
            return pa.array(picked, type=type_)

        text = part(0, pa.string())
        return cls(
            pa.nulls(len(cells), pa.string()) if text is None else text,
            part(1, pa.float64()),
            part(2, pa.bool_()),
            part(3, pa.timestamp("us")),
        )

    def __len__(self) -> int:
        return len(self.text)

    def value(self, i: int) -> object:
        """The raw cell at a position, as a message quotes it (a whole number without its .0)."""
        for part in (self.number, self.flag, self.when):
            if part is not None and part[i].is_valid:
                value = part[i].as_py()
                return int(value) if isinstance(value, float) and value.is_integer() else value
        return self.text[i].as_py()


@dataclass
class RawTable:
    """A delivered file's records before typing: each contract column's cells, and where each record came from.

    `rows` holds each record's row in the file (the Excel row, or the line a CSV record starts on). A cell's
    place is its column's `refs` entry (an Excel column letter, a CSV header, a JSON key) on the record's row,
    unless a parser says otherwise: `columns_at` gives, per record, the Excel column of a value that moves
    from record to record (a wide sheet's year columns, unpivoted), `cells_at` the full A1 cell of a value that
    is not on its record's row (a form's label cells)."""

    columns: dict[str, Cells]
    rows: np.ndarray
    refs: dict[str, str]
    sheet: str | None = None
    excel_epoch: dt.date = EXCEL_EPOCH_1900
    row_label: str = "line"  # how a text file's row is named in a cell reference: "line" (CSV), "record" (JSON)
    published_on: dt.date | None = None  # the publisher's date for the content, where the file states it
    columns_at: dict[str, pa.Array] = field(default_factory=dict)
    cells_at: dict[str, pa.Array] = field(default_factory=dict)
    warning: tuple[str, str] | None = None  # (rule, message) for the delivery record: accepted, but said

    @classmethod
    def of(
        cls,
        columns: dict[str, Sequence[object]],
        rows: Sequence[int],
        refs: dict[str, str],
        *,
        columns_at: dict[str, Sequence[str | None]] | None = None,
        cells_at: dict[str, Sequence[str | None]] | None = None,
        **options: object,
    ) -> RawTable:
        """A parser's records as lists (values as the file held them, one list per contract column), the row of
        each, and where the cells are (see the class)."""
        return cls(
            {c: Cells.of(v) for c, v in columns.items()},
            np.asarray(rows, dtype=np.int64),
            refs,
            columns_at={c: pa.array(v, pa.string()) for c, v in (columns_at or {}).items()},
            cells_at={c: pa.array(v, pa.string()) for c, v in (cells_at or {}).items()},
            **options,  # type: ignore[arg-type]
        )

    def raw(self, column: str) -> list[object]:
        """A column's cells as the file held them (what a rejection quotes)."""
        cells = self.columns[column]
        return [cells.value(i) for i in range(len(cells))]

    def cell(self, column: str, i: int) -> str:
        """Where the value of `column` in record `i` is: "G7" in a workbook, "Kommunkod (line 3)" in a CSV."""
        if column in self.cells_at and (ref := self.cells_at[column][i].as_py()):
            return str(ref)
        ref = self.columns_at[column][i].as_py() if column in self.columns_at else self.refs.get(column, column)
        row = int(self.rows[i])
        return f"{ref}{row}" if self.sheet is not None else f"{ref} ({self.row_label} {row})"
