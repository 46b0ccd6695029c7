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

import pandas as pd

from sources.paths import REPO_ROOT

# SCB's list of municipalities (the dbt seed; 290 since 2007): a well-formed code not on it is refused.
MUNICIPALITY_LIST = REPO_ROOT / "dbt_project" / "seeds" / "ref_municipalities.csv"

# Space, no-break space, narrow no-break space and thin space all serve as thousands separators in Swedish.
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]")
_INT_TEXT = re.compile(r"^[+-]?\d+$")
_MUNICIPALITY = re.compile(r"^\d{4}$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+)?$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
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
    elif has_dot and decimal == "," and text.count(".") == 1 and re.fullmatch(r"-?\d{1,3}\.\d{3}", text):
        raise CellError("ambiguous_number", f"{value!r}: the contract uses a decimal comma; is this a thousand?")
    try:
        number = float(text)
    except ValueError:
        raise CellError("not_a_number", f"expected a number, found {value!r}") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise CellError("not_a_number", f"expected a finite number, found {value!r}")
    return number


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


def convert_series(values: pd.Series, convert: Callable[[object], object]) -> tuple[list[object], dict[int, CellError]]:
    """Convert every non-blank cell; blanks become None. Returns the values and the errors by position."""
    out: list[object] = []
    errors: dict[int, CellError] = {}
    for i, value in enumerate(values.tolist()):
        if is_blank(value):
            out.append(None)
            continue
        try:
            out.append(convert(value))
        except CellError as exc:
            errors[i] = exc
            out.append(None)
    return out, errors
