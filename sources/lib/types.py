"""Raw cells to the contract's types: one vectorised path per type, in Arrow compute, once for every source.

Each path takes a column's cells (sources.lib.cells.Cells) and gives its values in the column's type, null where a
cell is empty (or one of the contract's `missing_values`) or cannot be read, and for each cell that cannot be read
the rule it broke and a message quoting it. Empty is missing, never zero. Numbers are float64 here (an integer
column's values are checked against its bounds before they become int64).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sources.lib.cells import EXCEL_EPOCH_1900, WHITESPACE, Cells
from sources.lib.paths import REPO_ROOT

# SCB's list of municipalities (the dbt seed; 290 since 2007): a well-formed code not on it is refused.
MUNICIPALITY_LIST = REPO_ROOT / "dbt_project" / "seeds" / "ref_municipalities.csv"
MIN_DATE, MAX_DATE = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
_SPACES = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in WHITESPACE) + "]"
# Digits are 0-9 only (RE2's \d is ASCII): not '١٢٣' (Arabic-Indic), '１２３' (full-width) or '1_000'.
_NUMBER = r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$"
_TRUE, _FALSE = ["true", "1", "ja", "yes", "sant", "x"], ["false", "0", "nej", "no", "falskt"]
Errors = dict[int, tuple[str, str]]  # position -> (rule, message)


def shown(value: object, limit: int = 60) -> str:
    """A cell's value as a message quotes it: repr (escapes control characters), at most `limit` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _np(mask: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return np.asarray(pc.fill_null(mask, False).to_numpy(zero_copy_only=False), dtype=bool)


def clean_text(text: pa.Array) -> pa.Array:
    """NFC ("Malmö" typed on a Mac arrives decomposed) and no surrounding whitespace."""
    if not pc.all(pc.fill_null(pc.string_is_ascii(text), True)).as_py():
        text = pc.utf8_normalize(text, "NFC")
    return pc.utf8_trim(text, WHITESPACE)


def _fail(errors: Errors, where: np.ndarray, rule: str, message: Callable[[int], str]) -> None:
    for i in np.flatnonzero(where).tolist():
        errors.setdefault(i, (rule, message(i)))


def _number_text(number: pa.Array) -> pa.Array:
    """A number cell as text: a whole number without its .0 (Excel stores 1281 as 1281.0)."""
    whole = pc.and_(pc.equal(pc.floor(number), number), pc.less(pc.abs(number), 1e15))
    as_int = pc.cast(pc.if_else(whole, number, None), pa.int64())
    return pc.if_else(whole, pc.cast(as_int, pa.string()), pc.cast(number, pa.string()))


def as_text(cells: Cells, errors: Errors) -> pa.Array:
    parts = [clean_text(cells.text)]
    if cells.number is not None:
        parts.append(_number_text(cells.number))
    if cells.flag is not None:
        parts.append(pc.if_else(cells.flag, "True", "False"))
    if cells.when is not None:
        parts.append(pc.strftime(cells.when, "%Y-%m-%d %H:%M:%S"))
    return pc.coalesce(*parts)


def as_decimal(cells: Cells, errors: Errors, decimal: str = "auto") -> pa.Array:
    """1 234,5 · 1 234,5 (no-break or narrow no-break spaces) · 1234.5 · 1.234,5 · 12,5 · −12,5 · numbers as they are.
    The separator that comes last is the decimal one where both appear; a lone comma is a decimal comma unless the
    contract says `decimal: "."`; under `decimal: ","` a dotted thousand (1.234) is ambiguous."""
    s, raw = cells.text, cells.value
    number_like = _np(pc.match_substring_regex(s, _NUMBER))
    comma = np.zeros(len(s), dtype=bool)
    if not (number_like | ~_np(pc.is_valid(s))).all():  # not all plain numbers: spaces, commas, a minus sign
        s = pc.replace_substring(pc.replace_substring_regex(s, _SPACES, ""), "\u2212", "-")
        comma, dot = _np(pc.match_substring(s, ",")), _np(pc.match_substring(s, "."))
        comma_last = _np(pc.match_substring_regex(s, r",[^.]*$"))
        plain = pc.replace_substring(s, ",", ".")
        s = pc.if_else(
            pa.array(comma & dot & comma_last),
            pc.replace_substring(pc.replace_substring(s, ".", ""), ",", "."),
            pc.if_else(pa.array(comma & dot), pc.replace_substring(s, ",", ""), plain),
        )
        commas = pc.fill_null(pc.count_substring(cells.text, ","), 0).to_numpy(zero_copy_only=False)
        ambiguous = comma & ~dot & ((commas > 1) | (decimal == "."))
        thousands = "a comma here would be a thousands separator; write the number without it"
        _fail(errors, ambiguous, "ambiguous_number", lambda i: f"{raw(i)!r}: {thousands}")
        number_like = _np(pc.match_substring_regex(s, _NUMBER))
    if decimal == ",":
        thousand = ~comma & _np(pc.match_substring_regex(s, r"^-?\d{1,3}\.\d{3}$"))
        _fail(errors, thousand, "ambiguous_number",
              lambda i: f"{raw(i)!r}: the contract uses a decimal comma; is this a thousand?")  # fmt: skip
    _fail(errors, _np(pc.is_valid(s)) & ~number_like, "not_a_number", lambda i: "expected a number"
          f"{'' if s[i].as_py().isascii() else ' written with the digits 0-9'}, found {shown(raw(i))}")  # fmt: skip
    values = pc.cast(pc.if_else(pa.array(number_like), s, None), pa.float64())
    if cells.number is not None:
        values = pc.coalesce(values, cells.number)
    finite = _np(pc.is_finite(values))
    _fail(errors, _np(pc.is_valid(values)) & ~finite, "not_a_number",
          lambda i: f"expected a finite number, found {raw(i)!r}")  # fmt: skip
    if cells.flag is not None:
        _fail(errors, _np(pc.is_valid(cells.flag)), "not_a_number",
              lambda i: f"expected a number, found the boolean {raw(i)}")  # fmt: skip
    if cells.when is not None:
        _fail(errors, _np(pc.is_valid(cells.when)), "not_a_number", lambda i: f"expected a number, found {raw(i)}")
    return values


def as_integer(cells: Cells, errors: Errors) -> pa.Array:
    values = as_decimal(cells, errors)
    fraction = _np(pc.not_equal(pc.floor(values), values))
    _fail(errors, fraction, "not_an_integer", lambda i: f"expected a whole number, found {cells.value(i)!r}")
    return values


def as_date(cells: Cells, errors: Errors, epoch: dt.date = EXCEL_EPOCH_1900, month_precision: bool = False) -> pa.Array:
    """ISO dates (a time after them is dropped), YYYY-MM where the contract allows it (the first of the month),
    date cells, and Excel serial numbers counted from the workbook's epoch (1900 or 1904)."""
    text = clean_text(cells.text)
    parts = pc.extract_regex(text, r"^(?P<y>\d{4})-(?P<m>\d{2})(?:-(?P<d>\d{2})(?:[T ][\d:.]+)?)?$")
    ymd = [pc.struct_field(parts, k) for k in "ymd"]
    has_day = _np(pc.not_equal(ymd[2], ""))
    matched = _np(pc.is_valid(parts)) & (has_day | month_precision)
    digits = [pc.if_else(pc.and_(pa.array(matched), pc.not_equal(p, "")), p, "1") for p in ymd]
    y, m, d = (np.where(matched, pc.cast(p, pa.int32()).fill_null(1).to_numpy(zero_copy_only=False), 1) for p in digits)
    d = np.where(has_day, d, 1)
    months = (y - 1970) * 12 + (m - 1)
    first = np.asarray(months, dtype="datetime64[M]").astype("datetime64[D]")
    length = (np.asarray(months + 1, dtype="datetime64[M]").astype("datetime64[D]") - first).astype(int)
    real = matched & (m >= 1) & (m <= 12) & (d >= 1) & (d <= np.where((m >= 1) & (m <= 12), length, 0))
    got = _np(pc.is_valid(text)) & _np(pc.not_equal(text, ""))
    expected = "YYYY-MM-DD or YYYY-MM" if month_precision else "YYYY-MM-DD"
    _fail(errors, matched & ~real, "invalid_date",
          lambda i: f"{text[i].as_py()!r} is not a calendar {'date' if has_day[i] else 'month'}")  # fmt: skip
    _fail(errors, got & ~matched, "invalid_date", lambda i: f"expected a date as {expected}, found {text[i].as_py()!r}")
    values = pa.array(np.where(real, first + (d - 1), np.datetime64("NaT")), pa.date32())
    if cells.number is not None:
        serial = cells.number.to_numpy(zero_copy_only=False)
        plausible = (serial >= 1) & (serial <= 73050)
        _fail(errors, _np(pc.is_valid(cells.number)) & ~plausible, "date_out_of_range",
              lambda i: f"{cells.value(i)!r} is not a plausible Excel serial date")  # fmt: skip
        days = np.where(plausible, np.floor(np.nan_to_num(serial)), 0).astype("timedelta64[D]")
        values = pc.coalesce(values, pa.array(np.where(plausible, np.datetime64(epoch) + days, None), pa.date32()))
    if cells.when is not None:
        values = pc.coalesce(values, pc.cast(cells.when, pa.date32()))
    if cells.flag is not None:
        _fail(errors, _np(pc.is_valid(cells.flag)), "invalid_date",
              lambda i: f"expected a date as {expected}, found {cells.value(i)!r}")  # fmt: skip
    outside = _np(pc.or_(pc.less(values, pa.scalar(MIN_DATE)), pc.greater(values, pa.scalar(MAX_DATE))))
    _fail(errors, outside, "date_out_of_range",
          lambda i: f"{values[i].as_py().isoformat()} is outside {MIN_DATE.year}-{MAX_DATE.year}")  # fmt: skip
    return values


def as_boolean(cells: Cells, errors: Errors) -> pa.Array:
    text = pc.utf8_lower(clean_text(cells.text))
    false = pc.if_else(pc.is_in(text, pa.array(_FALSE)), False, None)
    values = pc.if_else(pc.is_in(text, pa.array(_TRUE)), True, false)
    if cells.number is not None:
        values = pc.coalesce(values, pc.if_else(pc.equal(cells.number, 1), True, pc.if_else(pc.equal(cells.number, 0),
                                                                                             False, None)))  # fmt: skip
    if cells.flag is not None:
        values = pc.coalesce(values, cells.flag)
    given = _np(pc.not_equal(text, "")) | _np(pc.is_valid(cells.number if cells.number is not None else text))
    given |= cells.when is not None and _np(pc.is_valid(cells.when))
    _fail(errors, given & ~_np(pc.is_valid(values)), "not_a_boolean",
          lambda i: f"expected true/false (ja/nej), found {cells.value(i)!r}")  # fmt: skip
    return values


@functools.cache
def scb_municipality_codes() -> pa.Array:
    with MUNICIPALITY_LIST.open(encoding="utf-8", newline="") as fh:
        return pa.array(sorted(row["municipality_code"] for row in csv.DictReader(fh)))


def as_municipality_code(cells: Cells, errors: Errors) -> pa.Array:
    """SCB's four-digit kommunkod as text: Excel and CSV tools drop the leading zero of Stockholm's 0180."""
    text = as_text(cells, errors)
    text = pc.if_else(pc.match_substring_regex(text, r"^\d{3}$"), pc.utf8_lpad(text, 4, "0"), text)
    code = _np(pc.match_substring_regex(text, r"^(0[1-9]|1\d|2[0-5])\d\d$"))
    given = _np(pc.is_valid(text))
    _fail(errors, given & ~code, "municipality_code",
          lambda i: f"{cells.value(i)!r} is not a four-digit SCB municipality code")  # fmt: skip
    known = _np(pc.is_in(text, scb_municipality_codes()))
    _fail(errors, code & ~known, "unknown_municipality_code",
          lambda i: f"{text[i].as_py()} is not on SCB's list of municipalities ({MUNICIPALITY_LIST.name})")  # fmt: skip
    return text


def typed(cells: Cells, column_type: str, errors: Errors, **options: object) -> pa.Array:
    """A column's values in its type (the options: decimal, epoch, month_precision), null where empty or broken;
    `errors` gets each broken cell. A dictionary-encoded column is typed once per label."""
    if isinstance(cells.text, pa.DictionaryArray) and cells.number is cells.flag is cells.when is None:
        label_errors: Errors = {}
        labels = typed(Cells(cells.text.dictionary), column_type, label_errors, **options)
        indices = cells.text.indices.to_numpy(zero_copy_only=False)
        for i in np.flatnonzero(np.isin(indices, list(label_errors))).tolist():
            errors[i] = label_errors[int(indices[i])]
        if pa.types.is_string(labels.type):
            return pa.DictionaryArray.from_arrays(cells.text.indices, labels)
        return labels.take(cells.text.indices)
    convert = {"string": as_text, "integer": as_integer, "decimal": as_decimal, "date": as_date,
               "boolean": as_boolean, "municipality_code": as_municipality_code}[column_type]  # fmt: skip
    wanted = {"decimal": ("decimal",), "date": ("epoch", "month_precision")}.get(column_type, ())
    values = convert(cells, errors, **{k: v for k, v in options.items() if k in wanted})  # type: ignore[operator]
    if errors:
        broken = np.zeros(len(values), dtype=bool)
        broken[list(errors)] = True
        values = pc.if_else(pa.array(broken), pa.scalar(None, values.type), values)
    return values


def blank(cells: Cells, missing: tuple[str, ...] = ()) -> Cells:
    """The cells with blank text (only whitespace) and the contract's missing values ("-", "..") made empty."""
    text = cells.text
    if isinstance(text, pa.DictionaryArray):
        return Cells(pa.DictionaryArray.from_arrays(text.indices, blank(Cells(text.dictionary), missing).text))
    trimmed = pc.utf8_trim(text, WHITESPACE)
    empty = pc.equal(trimmed, "")
    if missing:
        empty = pc.or_(empty, pc.is_in(trimmed, pa.array(list(missing), pa.string())))
    if pc.any(empty).as_py():
        text = pc.if_else(empty, pa.scalar(None, pa.string()), text)
    return Cells(text, cells.number, cells.flag, cells.when)


def parse_value(value: object, column_type: str, **options: object) -> object:
    """One cell through its type's path (a form's label cell, a parser's checks): the value, None when empty,
    or CellError."""
    errors: Errors = {}
    result = typed(blank(Cells.of([value])), column_type, errors, **options)
    if errors:
        raise CellError(*errors[0])
    out = result[0].as_py()
    return int(out) if column_type == "integer" and out is not None else out


class CellError(ValueError):
    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule, self.message = rule, message
