"""Cell values to typed values, the hardened way, once for every source.

Each converter takes a Series of raw cell values (str from CSV; str, int, float, date or datetime from Excel)
and returns the typed Series plus, for every cell that cannot be converted, the rule it broke. Empty cells
become missing, never zero.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sources.lib.paths import REPO_ROOT

# SCB's list of municipalities (the dbt seed; 290 since 2007): a well-formed code not on it is refused.
MUNICIPALITY_LIST = REPO_ROOT / "dbt_project" / "seeds" / "ref_municipalities.csv"

# Space, no-break space, narrow no-break space and thin space all serve as thousands separators in Swedish.
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]")
# Digits are 0-9 only (re.ASCII): Python's int() and float() also read '١٢٣' (Arabic-Indic), '１２３' (full-width)
# and '1_000' (a literal's underscore), none of which a publisher's number is.
_INT_TEXT = re.compile(r"^[+-]?\d+$", re.ASCII)
_MUNICIPALITY = re.compile(r"^\d{4}$", re.ASCII)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+)?$", re.ASCII)
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$", re.ASCII)
_NUMBER_TEXT = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$", re.ASCII)
_TRUE = {"true", "1", "ja", "yes", "sant", "x"}
_FALSE = {"false", "0", "nej", "no", "falskt"}
EXCEL_EPOCH_1900 = dt.date(1899, 12, 30)
EXCEL_EPOCH_1904 = dt.date(1904, 1, 1)
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)


class CellError(ValueError):
    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message


def is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:  # NaN
        return True
    return isinstance(value, str) and value.strip() == ""


def to_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # NFC: "Malmö" typed on a Mac arrives decomposed (o + combining diaeresis) and must equal the composed form.
    return unicodedata.normalize("NFC", str(value)).strip()


def parse_decimal(value: object, decimal: str = "auto") -> float:
    """A number from a cell: 1 234,5 · 1 234,5 (no-break spaces) · 1234.5 · 1.234,5 · 12,5."""
    if isinstance(value, bool):
        raise CellError("not_a_number", f"expected a number, found the boolean {value}")
    if isinstance(value, (int, float)):
        if value != value or value in (float("inf"), float("-inf")):
            raise CellError("not_a_number", f"expected a finite number, found {value}")
        return float(value)
    text = _SPACES.sub("", str(value)).replace("\u2212", "-")
    if not text:
        raise CellError("not_a_number", "expected a number, found an empty cell")
    has_comma, has_dot = "," in text, "." in text
    if has_comma and has_dot:
        # The separator that comes last is the decimal one; the other groups thousands.
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif has_comma:
        if text.count(",") > 1 or decimal == ".":
            raise CellError(
                "ambiguous_number",
                f"{value!r}: a comma here would be a thousands separator; write the number without it",
            )
        text = text.replace(",", ".")
    elif has_dot and decimal == "," and text.count(".") == 1 and re.fullmatch(r"-?\d{1,3}\.\d{3}", text, re.ASCII):
        raise CellError("ambiguous_number", f"{value!r}: the contract uses a decimal comma; is this a thousand?")
    if not _NUMBER_TEXT.match(text):
        digits = "" if text.isascii() else " written with the digits 0-9"
        raise CellError("not_a_number", f"expected a number{digits}, found {_shown(value)}")
    number = float(text)
    if number != number or number in (float("inf"), float("-inf")):
        raise CellError("not_a_number", f"expected a finite number, found {value!r}")
    return number


def _shown(value: object, limit: int = 60) -> str:
    """A cell's value as a message quotes it: repr (escapes control characters), at most `limit` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_integer(value: object) -> int:
    number = parse_decimal(value)
    if not float(number).is_integer():
        raise CellError("not_an_integer", f"expected a whole number, found {value!r}")
    return int(number)


def parse_date(value: object, epoch: dt.date = EXCEL_EPOCH_1900, month_precision: bool = False) -> dt.date:
    if isinstance(value, dt.datetime):
        result = value.date()
    elif isinstance(value, dt.date):
        result = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        # An Excel serial date in a cell without a date format.
        if not 1 <= value <= 73050:
            raise CellError("date_out_of_range", f"{value!r} is not a plausible Excel serial date")
        result = epoch + dt.timedelta(days=int(value))
    else:
        text = to_text(value)
        if m := _ISO_DATE.match(text):
            try:
                result = dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                raise CellError("invalid_date", f"{text!r} is not a calendar date") from None
        elif (m := _ISO_MONTH.match(text)) and month_precision:
            if not 1 <= int(m[2]) <= 12:
                raise CellError("invalid_date", f"{text!r} is not a calendar month")
            result = dt.date(int(m[1]), int(m[2]), 1)
        else:
            expected = "YYYY-MM-DD or YYYY-MM" if month_precision else "YYYY-MM-DD"
            raise CellError("invalid_date", f"expected a date as {expected}, found {text!r}")
    if not MIN_DATE <= result <= MAX_DATE:
        raise CellError("date_out_of_range", f"{result.isoformat()} is outside {MIN_DATE.year}-{MAX_DATE.year}")
    return result


def parse_boolean(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = to_text(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError("not_a_boolean", f"expected true/false (ja/nej), found {value!r}")


def parse_municipality_code(value: object) -> str:
    """SCB's four-digit kommunkod as text: Excel and CSV tools drop the leading zero of Stockholm's 0180."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = to_text(value)
    if _INT_TEXT.match(text) and len(text) == 3:
        text = text.zfill(4)
    if not _MUNICIPALITY.match(text) or not 1 <= int(text[:2]) <= 25:
        raise CellError("municipality_code", f"{value!r} is not a four-digit SCB municipality code")
    if text not in scb_municipality_codes():
        raise CellError(
            "unknown_municipality_code", f"{text} is not on SCB's list of municipalities ({MUNICIPALITY_LIST.name})"
        )
    return text


@functools.cache
def scb_municipality_codes() -> frozenset[str]:
    with MUNICIPALITY_LIST.open(encoding="utf-8", newline="") as fh:
        return frozenset(row["municipality_code"] for row in csv.DictReader(fh))


def converter(column_type: str, *, epoch: dt.date, month_precision: bool, decimal: str) -> Callable[[object], object]:
    return {
        "string": to_text,
        "integer": parse_integer,
        "decimal": lambda v: parse_decimal(v, decimal),
        "date": lambda v: parse_date(v, epoch, month_precision),
        "boolean": parse_boolean,
        "municipality_code": parse_municipality_code,
    }[column_type]


# Kinds of object column (pandas' infer_dtype) in which equal cells always convert alike: each distinct value is
# converted once. Columns mixing booleans with numbers, or text with numbers, take the cell-by-cell path, because
# there True == 1 and 1 == 1.0 would share one conversion (and "True" is not a number where 1 is).
_UNIFORM_KINDS = {"string", "floating", "integer", "mixed-integer-float", "date", "datetime", "empty"}
_FAST_FROM = 256  # below this many cells, cell by cell is as fast


_PLAIN_NUMBER = r"[+-]?\d+(?:\.\d+)?"  # what float() reads exactly as parse_decimal does (no comma, no spaces)


def _numbers(values: np.ndarray, kind: str) -> np.ndarray | None:
    """A column of numbers as float64 (NaN for blanks); None when the column is not of that kind."""
    if values.dtype.kind in "iuf" or kind in ("floating", "integer", "mixed-integer-float"):
        return values.astype(np.float64)  # None becomes NaN: blank
    return None


def convert_decimal_text(
    text: pa.Array | pa.ChunkedArray, convert: Callable[[object], object]
) -> tuple[np.ndarray, dict[int, CellError]]:
    """convert_decimals for a column of Arrow strings: plain decimal texts by Arrow's regex and its correctly
    rounded cast (the value float() gives for them), blank cells NaN, and only the other cells (decimal commas,
    spaces, junk, infinities) made Python str for parse_decimal."""
    plain_mask = pc.match_substring_regex(text, f"^{_PLAIN_NUMBER}$")
    plain = plain_mask.fill_null(False).to_numpy(zero_copy_only=False)
    floats = np.full(len(text), np.nan)
    try:
        floats[plain] = pc.cast(text.filter(plain_mask), pa.float64()).to_numpy(zero_copy_only=False)
    except pa.ArrowInvalid:  # out of float range: every cell through parse_decimal
        plain[:] = False
    plain &= ~np.isinf(floats)  # parse_decimal refuses an infinity with its own message
    rest = np.flatnonzero(~plain)
    errors: dict[int, CellError] = {}
    for i, cell in zip(rest.tolist(), text.take(rest).to_pylist(), strict=True):
        floats[i] = np.nan
        if is_blank(cell):
            continue
        try:
            floats[i] = convert(cell)
        except CellError as exc:
            errors[i] = exc
    return floats, errors


def convert_decimals(
    values: np.ndarray, convert: Callable[[object], object], decimal: str
) -> tuple[np.ndarray, dict[int, CellError]] | None:
    """A decimal column as float64 (NaN where blank or broken), without a Python call per cell where the cells
    are numbers or plain decimal texts; the rest (decimal commas, spaces, junk, infinities) go through
    parse_decimal one by one. None when the column is of neither kind (the generic path takes it)."""
    kind = "" if values.dtype.kind in "iuf" else pd.api.types.infer_dtype(values, skipna=True)
    if kind == "string" and decimal != ",":
        return convert_decimal_text(pa.array(values, type=pa.string(), from_pandas=True), convert)
    floats = _numbers(values, kind)
    if floats is None:
        return None
    errors: dict[int, CellError] = {}
    for i in np.flatnonzero(np.isinf(floats)).tolist():
        cell = values[i].item() if isinstance(values[i], np.generic) else values[i]
        floats[i] = np.nan
        if is_blank(cell):
            continue
        try:
            floats[i] = convert(cell)
        except CellError as exc:
            errors[i] = exc
    return floats, errors


# What str.strip() removes from an ASCII text's ends (str.isspace)
_ASCII_SPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f "


def unchanged_text(text: pa.Array | pa.ChunkedArray) -> pa.BooleanArray | pa.ChunkedArray:
    """Where to_text(value) is value itself, by Arrow: a non-empty ASCII text (NFC leaves ASCII alone) with
    nothing to strip at either end (null where the value is)."""
    length = pc.binary_length(text)
    stripped = pc.binary_length(pc.ascii_trim(text, _ASCII_SPACE))
    return pc.and_(pc.and_(pc.string_is_ascii(text), pc.greater(length, 0)), pc.equal(stripped, length))


def _clean_text(values: np.ndarray) -> np.ndarray | None:
    """Where to_text(value) is value itself: an ASCII str (NFC leaves it alone) with nothing to strip at either
    end. None when the cells are not all str (or missing)."""
    if values.dtype != object or pd.api.types.infer_dtype(values, skipna=True) != "string":
        return None
    text = pa.array(values, type=pa.string(), from_pandas=True)
    clean = unchanged_text(text)
    return clean.fill_null(False).to_numpy(zero_copy_only=False)


def convert_array(values: np.ndarray, convert: Callable[[object], object]) -> tuple[np.ndarray, dict[int, CellError]]:
    """convert_series on an array, converting each distinct value once; same values, same errors.

    An error is re-raised cell by cell on the cells that hold the failing value, so each keeps its own message.
    """
    n = len(values)
    if values.dtype.kind in "iufb":  # a parser's numeric column: factorize it as it is (Python scalars below)
        pass
    elif n < _FAST_FROM or pd.api.types.infer_dtype(values, skipna=True) not in _UNIFORM_KINDS:
        out, errors = _convert_cells(values.tolist(), convert)
        result = np.empty(n, dtype=object)
        result[:] = out
        return result, errors
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    converted: list[object] = []
    failed: list[int] = []
    # many distinct texts (identifiers, names): those to_text would return unchanged are kept without a call
    many = convert is to_text and len(uniques) >= _FAST_FROM
    clean = _clean_text(np.asarray(uniques, dtype=object)) if many else None
    for k, value in enumerate(uniques.tolist()):
        if clean is not None and clean[k]:
            converted.append(value)
            continue
        if is_blank(value):
            converted.append(None)
            continue
        try:
            converted.append(convert(value))
        except CellError:
            failed.append(k)
            converted.append(None)
    converted.append(None)  # code -1: None or NaN
    table = np.empty(len(converted), dtype=object)
    table[:] = converted
    result = table[codes]
    errors: dict[int, CellError] = {}
    if failed:
        for i in np.flatnonzero(np.isin(codes, failed)).tolist():
            try:
                convert(values[i].item() if isinstance(values[i], np.generic) else values[i])
            except CellError as exc:
                errors[i] = exc
    return result, errors


def convert_series(values: pd.Series, convert: Callable[[object], object]) -> tuple[list[object], dict[int, CellError]]:
    """Convert every non-blank cell; blanks become None. Returns the values and the errors by position."""
    result, errors = convert_array(values.to_numpy(dtype=object), convert)
    return result.tolist(), errors


def _convert_cells(
    values: list[object], convert: Callable[[object], object]
) -> tuple[list[object], dict[int, CellError]]:
    out: list[object] = []
    errors: dict[int, CellError] = {}
    for i, value in enumerate(values):
        if is_blank(value):
            out.append(None)
            continue
        try:
            out.append(convert(value))
        except CellError as exc:
            errors[i] = exc
            out.append(None)
    return out, errors
