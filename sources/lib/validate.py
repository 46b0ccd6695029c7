"""Apply a source contract to a table of raw cells: typed rows that pass, rejected rows with their reasons."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sources.lib.contract import Column, SourceContract
from sources.lib.readers import CELL_PREFIX, COL_PREFIX, ROW, SHEET, RawTable
from sources.lib.values import (
    CellError,
    convert_array,
    convert_decimal_text,
    convert_decimals,
    converter,
    unchanged_text,
)

REJECTION_COLUMNS = ["sheet", "row", "column", "cell", "rule", "value", "message"]
# No figure in these sources comes near it; beyond it a value would overflow the warehouse's decimal(38, x) types
# once converted (a unit of millions, an exchange rate) and a double no longer holds it to the cent.
MAX_MAGNITUDE = 1e15


@dataclass
class Validated:
    accepted: pd.DataFrame  # contract columns, typed, plus source_sheet and source_row
    rejected: pd.DataFrame  # one row per broken rule: REJECTION_COLUMNS


def _cell(table: RawTable, column: str, row: int, position: int) -> str:
    full = table.frame.get(f"{CELL_PREFIX}{column}")  # a form's value lives in its own cell, not on the row
    if full is not None and isinstance(full.iat[position], str) and full.iat[position]:
        return str(full.iat[position])
    per_row = table.frame.get(f"{COL_PREFIX}{column}")  # parsers that unpivot give each value its own column
    ref = str(per_row.iat[position]) if per_row is not None else table.refs.get(column, column)
    # Excel: the A1 address of the cell; CSV: the column's header and the line; JSON: the key and the record.
    return f"{ref}{row}" if table.sheet is not None else f"{ref} ({table.row_label} {row})"


_COMPARE = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
}


def _py(value: object) -> object:
    """A typed value as the cell-by-cell path has it: Python scalars, None (not NaN) for a missing number."""
    if isinstance(value, np.generic):
        value = value.item()
    return None if isinstance(value, float) and value != value else value


def _present(values: np.ndarray) -> np.ndarray:
    """True where a typed value is there (converters give None for a blank or broken cell)."""
    return ~pd.isna(values) if len(values) else np.zeros(0, dtype=bool)


def _as_text(values: np.ndarray) -> np.ndarray:
    return np.array([None if v is None else str(v) for v in values.tolist()], dtype=object)


def _in(values: np.ndarray, allowed: tuple[str, ...] | list[str] | frozenset[str]) -> np.ndarray:
    """str(value) in allowed, for present values (callers mask the missing ones)."""
    if pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
        values = _as_text(values)
    return pd.Series(values, dtype=object).isin(list(allowed)).to_numpy()


def _broken_row_rules(
    contract: SourceContract, typed: dict[str, np.ndarray], n: int
) -> list[tuple[int, int, str, str]]:
    """(position, rule index, column, shown values) for every row rule a row breaks; a rule with an empty
    column does not apply. Evaluated a column at a time; the text is only built for the rows that break one."""
    broken: list[tuple[int, int, str, str]] = []
    for k, rule in enumerate(contract.row_rules):
        present = {c: _present(typed[c]) for c in rule.columns}
        wrong_column = np.full(n, None, dtype=object)
        if rule.compare:
            left, op, right = rule.compare
            applies = present[left] & present[right]
            idx = np.flatnonzero(applies)
            ok = np.asarray(_COMPARE[op](typed[left][idx], typed[right][idx]), dtype=bool)
            wrong_column[idx[~ok]] = left
        else:
            applies = np.ones(n, dtype=bool)
            for c, allowed in rule.when.items():
                applies &= present[c]
                idx = np.flatnonzero(applies)
                applies[idx] = _in(typed[c][idx], allowed)
            candidates = [(c, applies & ~present[c]) for c in rule.require]
            for c, ok in rule.then.items():
                idx = np.flatnonzero(applies & present[c])
                bad = np.zeros(n, dtype=bool)
                bad[idx] = ~_in(typed[c][idx], ok)
                candidates.append((c, bad))
            for c, bad in reversed(candidates):  # the first wrong column in the rule's order is named
                wrong_column[bad] = c
        for i in np.flatnonzero(pd.notna(wrong_column)).tolist():
            values = {c: _py(typed[c][i]) for c in rule.columns}
            shown = ", ".join(f"{c}={'(empty)' if v is None else v}" for c, v in values.items())
            broken.append((i, k, str(wrong_column[i]), shown))
    return broken


def _per_unit_maxima(
    col: Column,
    typed: dict[str, np.ndarray],
    as_is: dict[str, pa.ChunkedArray],
    failed: np.ndarray,
    reject: Callable[[int, str, str, object, str], None],
) -> None:
    """A value above what its row's own unit allows (a ledger's amount in kr, tkr, MSEK, EUR …): 9e8 MEUR is no
    award. Rows where the value or its unit already broke a rule (`failed`) are not judged again."""
    assert col.unit_column is not None
    units = typed[col.unit_column] if col.unit_column in typed else np.asarray(as_is[col.unit_column].to_pylist())
    limits = pd.Series(units, dtype=object).map(col.max_per_unit).to_numpy(dtype=np.float64, na_value=np.inf)
    values = pd.to_numeric(pd.Series(typed[col.name], dtype=object), errors="coerce").to_numpy(dtype=np.float64)
    for i in np.flatnonzero((values > limits) & ~failed).tolist():
        value, unit = _py(typed[col.name][i]), str(units[i])
        reject(
            i,
            col.name,
            "maximum",
            value,
            f"{value:,.6g} {unit} is above the most one row can hold, {limits[i]:,.6g} {unit} "
            "(a slipped unit or extra digits?)",
        )


def _row_keys(rows: np.ndarray, sheets: np.ndarray) -> tuple[np.ndarray, Callable[[object, object], int]]:
    """One int64 per (row, sheet) pair, and the function giving it for a pair: rows of a wide sheet unpivoted
    to many values share their row's key."""
    codes, uniques = pd.factorize(sheets, use_na_sentinel=True)
    width = len(uniques) + 1
    index = {s: j for j, s in enumerate(uniques.tolist() if hasattr(uniques, "tolist") else list(uniques))}
    keys = rows.astype(np.int64) * width + (codes.astype(np.int64) + 1)

    def key(row: object, sheet: object) -> int:
        return int(row) * width + (index[sheet] + 1 if sheet is not None and sheet == sheet else 0)

    return keys, key


def _cell_checks(
    col: Column,
    values: np.ndarray,
    errors: dict[int, CellError],
    raw: np.ndarray,
    reject: Callable[[int, str, str, object, str], None],
    delivered_on: dt.date | None = None,
) -> None:
    """One column's rejections in cell order: unreadable cells first, then required/allowed/min/max, the
    magnitude every number must stay within and a date's distance from the delivery, by row."""
    n = len(values)
    for i, err in errors.items():
        reject(i, col.name, err.rule, _py(raw[i]), err.message)
    ok = np.ones(n, dtype=bool)
    ok[list(errors)] = False
    present = _present(values)
    checks: list[tuple[int, int, str, object, str]] = []
    if col.required:
        empty = np.flatnonzero(ok & ~present).tolist()
        checks += [(i, 0, "required", None, f"{col.header} must not be empty") for i in empty]
    idx = np.flatnonzero(ok & present)
    here = values[idx]
    if col.allowed is not None:
        for i in idx[~_in(here, col.allowed)].tolist():
            v = _py(values[i])
            checks.append((i, 1, "allowed_values", v, f"{v!r} is not one of {list(col.allowed)}"))
    if col.minimum is not None:
        for i in idx[np.asarray(here < col.minimum, dtype=bool)].tolist():
            v = _py(values[i])
            checks.append((i, 2, "minimum", v, f"{v} is below the minimum {col.minimum}"))
    if col.maximum is not None:
        for i in idx[np.asarray(here > col.maximum, dtype=bool)].tolist():
            v = _py(values[i])
            checks.append((i, 3, "maximum", v, f"{v} is above the maximum {col.maximum}"))
    if col.type in ("decimal", "integer") and len(idx):
        for i in idx[np.asarray(np.abs(here.astype(np.float64)) > MAX_MAGNITUDE, dtype=bool)].tolist():
            v = _py(values[i])
            checks.append(
                (i, 4, "out_of_range", v, f"{v:.6g} is beyond ±{MAX_MAGNITUDE:.0e}, more than any figure here can be")
            )
    if col.max_days_after_delivery is not None and delivered_on is not None and len(idx):
        limit = delivered_on + dt.timedelta(days=col.max_days_after_delivery)
        for i in idx[np.asarray(here > limit, dtype=bool)].tolist():
            v = _py(values[i])
            checks.append(
                (
                    i,
                    5,
                    "date_after_delivery",
                    v,
                    f"{v} is more than {col.max_days_after_delivery} days after the file was delivered "
                    f"({delivered_on.isoformat()}): a {col.header} cannot lie that far ahead",
                )
            )
    for i, _, rule, value, message in sorted(checks, key=lambda c: (c[0], c[1])):
        reject(i, col.name, rule, value, message)


def _convert_categorical(
    series: pd.Series, convert: Callable[[object], object]
) -> tuple[np.ndarray, np.ndarray, dict[int, CellError]]:
    """Convert a categorical column's labels once; raw cells, typed values and errors by position as for the
    cell-by-cell path (a missing label is a blank cell)."""
    labels = np.asarray(series.cat.categories, dtype=object)
    codes = series.cat.codes.to_numpy()
    converted, label_errors = convert_array(labels, convert)
    table = np.empty(len(labels) + 1, dtype=object)
    table[: len(labels)] = converted
    raw_table = np.empty(len(labels) + 1, dtype=object)
    raw_table[: len(labels)] = labels
    errors = {int(i): label_errors[int(codes[i])] for i in np.flatnonzero(np.isin(codes, list(label_errors)))}
    return raw_table[codes], table[codes], errors


def validate(table: RawTable, contract: SourceContract, delivered_on: dt.date | None = None) -> Validated:
    """Type every cell and apply the contract's rules, column by column (each distinct value converted once).

    The rejections come in the order a cell-by-cell pass would give them: per contract column its unreadable
    cells, then its required/allowed/min/max/magnitude/date breaks by row; then the per-unit maxima and the row
    rules by row; then duplicate keys. `delivered_on` (the file's vintage; today when not given) is what a
    date's `max_days_after_delivery` counts from.
    """
    delivered_on = delivered_on or dt.datetime.now(dt.UTC).date()
    frame = table.frame
    n = len(frame)
    decimal = contract.reader.get("decimal", "auto")
    typed: dict[str, np.ndarray] = {}
    problems: list[dict[str, object]] = []
    rows_arr = frame[ROW].to_numpy()
    sheets_arr = frame[SHEET].to_numpy(dtype=object)

    def reject(i: int, column: str, rule: str, value: object, message: str) -> None:
        row = rows_arr[i].item() if hasattr(rows_arr[i], "item") else rows_arr[i]
        problems.append(
            {
                "sheet": sheets_arr[i],
                "row": row,
                "column": column,
                "cell": _cell(table, column, row, i),
                "rule": rule,
                "value": None if value is None else str(value)[:200],
                "message": message if len(message) <= 300 else message[:299] + "…",  # quotes cells: bounded
            }
        )

    in_rules = {c for rule in contract.row_rules for c in rule.columns}
    as_is: dict[str, pa.ChunkedArray] = {}  # text columns kept in Arrow: every cell is blank or needs no conversion
    labelled: dict[str, pd.Series] = {}  # a parser's categorical text columns
    for col in contract.columns:
        if col.type == "string" and col.allowed is None and col.name not in in_rules and col.name in frame:
            kept = _text_as_is(frame[col.name])
            if kept is not None:
                as_is[col.name], present = kept
                if col.required:  # what _cell_checks says of an empty required cell, in row order
                    for i in np.flatnonzero(~present).tolist():
                        reject(i, col.name, "required", None, f"{col.header} must not be empty")
                continue
        convert = converter(col.type, epoch=table.excel_epoch, month_precision=col.month_precision, decimal=decimal)
        series = frame.get(col.name)
        text = None if series is None else _arrow_strings(series)
        if text is not None and col.type == "decimal" and decimal != ",":
            floats, errors = convert_decimal_text(text, convert)
            raw = _LazyCells(series)
            _cell_checks(col, floats, errors, raw, reject, delivered_on)
            typed[col.name] = floats
            continue
        parser_labels = series is not None and isinstance(series.dtype, pd.CategoricalDtype)
        if series is not None and (labels := _arrow_labels(series)) is not None:
            series = labels  # few distinct texts (flags, dates, codes): each converted once, no str per cell
        if series is not None and isinstance(series.dtype, pd.CategoricalDtype):
            # a parser's repeated labels (e.g. a wide sheet's city on each of its 35 year values): each label once
            raw, values, errors = _convert_categorical(series, convert)
            _cell_checks(col, values, errors, raw, reject, delivered_on)
            typed[col.name] = values
            if parser_labels and col.type in ("string", "municipality_code"):
                labelled[col.name] = series  # written as it came: a dictionary of labels, not a text per row
            continue
        raw = frame[col.name].to_numpy() if col.name in frame else np.full(n, None, dtype=object)
        if raw.dtype == object and n:
            empty = raw == ""  # an empty text cell is blank, as None is: converting it alike keeps columns uniform
            if empty.any():
                raw = raw.copy()
                raw[empty] = None
        found = convert_decimals(raw, convert, decimal) if col.type == "decimal" else None
        values, errors = found if found is not None else convert_array(raw, convert)
        _cell_checks(col, values, errors, raw, reject, delivered_on)
        typed[col.name] = values

    row_keys, key_of = _row_keys(rows_arr, sheets_arr) if n else (np.zeros(0, dtype=np.int64), None)
    for col in contract.columns:
        if col.max_per_unit and n:
            columns = {col.name, col.unit_column}
            keys = {key_of(p["row"], p["sheet"]) for p in problems if p["column"] in columns}  # type: ignore[misc]
            _per_unit_maxima(col, typed, as_is, np.isin(row_keys, list(keys)), reject)
    if contract.row_rules and n:
        # a cell that already broke its own rule is not judged again across the row (one reason is enough)
        failed: dict[str, set[int]] = {}
        for p in problems:
            failed.setdefault(str(p["column"]), set()).add(key_of(p["row"], p["sheet"]))
        failed_at = {c: np.isin(row_keys, list(keys)) for c, keys in failed.items()}
        for i, k, column, shown in sorted(_broken_row_rules(contract, typed, n)):
            rule = contract.row_rules[k]
            if any(c in failed_at and failed_at[c][i] for c in rule.columns):
                continue
            reject(i, column, rule.name, shown, f"{rule.message} ({shown})")

    keep_mask = np.ones(n, dtype=bool)
    if problems:
        keep_mask = ~np.isin(row_keys, list({key_of(p["row"], p["sheet"]) for p in problems}))
    if contract.primary_key and n:
        keep = np.flatnonzero(keep_mask)
        combined = np.zeros(len(keep), dtype=np.int64)
        for k in contract.primary_key:
            if k in as_is:
                encoded = pc.dictionary_encode(as_is[k].take(keep).combine_chunks())
                codes, n_uniques = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False), len(encoded.dictionary)
            else:
                codes, uniques = pd.factorize(typed[k][keep], use_na_sentinel=True)
                n_uniques = len(uniques)
            combined, _ = pd.factorize(combined * (n_uniques + 1) + (codes.astype(np.int64) + 1))
            combined = combined.astype(np.int64)
        duplicate = pd.Series(combined).duplicated(keep="first").to_numpy()
        if duplicate.any():
            _, first = np.unique(combined, return_index=True)
            first_of = dict(zip(np.unique(combined).tolist(), keep[first].tolist(), strict=True))
            for j in np.flatnonzero(duplicate).tolist():
                i = int(keep[j])
                key = tuple(as_is[k][i].as_py() if k in as_is else _py(typed[k][i]) for k in contract.primary_key)
                seen_row = rows_arr[first_of[int(combined[j])]]
                reject(
                    i,
                    contract.primary_key[0],
                    "duplicate_key",
                    key,
                    f"primary key {dict(zip(contract.primary_key, key, strict=True))} already on row {seen_row}",
                )
                keep_mask[i] = False

    keep = np.flatnonzero(keep_mask)
    accepted = pd.DataFrame(
        {
            col.name: _arrow_text(as_is[col.name] if len(keep) == n else as_is[col.name].take(keep))
            if col.name in as_is
            else _labels_column(labelled[col.name], typed[col.name], keep)
            if col.name in labelled
            else _typed_column(typed[col.name][keep], col.type)
            for col in contract.columns
        }
    )
    accepted["source_sheet"] = _text_column(sheets_arr[keep])
    accepted["source_row"] = pd.Series(rows_arr[keep], dtype="int64")
    rejected = pd.DataFrame(problems, columns=REJECTION_COLUMNS)
    return Validated(accepted=accepted, rejected=rejected)


_DTYPES = {
    "string": "string",
    "municipality_code": "string",
    "integer": "Int64",
    "decimal": "Float64",
    "boolean": "boolean",
    "date": pd.ArrowDtype(pa.date32()),
}


def _typed_column(values: np.ndarray, column_type: str) -> pd.Series:
    """The stable Parquet type of a contract column from its typed values (None for missing)."""
    if column_type == "decimal" and values.dtype == np.float64:
        missing = np.isnan(values)
        return pd.Series(pd.arrays.FloatingArray(np.where(missing, 0.0, values), missing))
    if column_type in ("decimal", "integer") and len(values):
        missing = pd.isna(values)
        filled = np.where(missing, 0, values).astype(np.float64 if column_type == "decimal" else np.int64)
        cls = pd.arrays.FloatingArray if column_type == "decimal" else pd.arrays.IntegerArray
        return pd.Series(cls(filled, missing))
    if column_type == "date":
        return pd.Series(pd.array(pa.array(values.tolist(), type=pa.date32()), dtype=_DTYPES["date"]))
    if column_type in ("string", "municipality_code"):
        return _text_column(values)
    return pd.Series(values.tolist(), dtype=_DTYPES[column_type])


def _arrow_strings(series: pd.Series) -> pa.ChunkedArray | None:
    """The Arrow strings behind a column the CSV reader made (sources.csv_fast), else None; in the reader's
    chunks (combining them would copy every string)."""
    if not isinstance(series.array, pd.arrays.ArrowStringArray):
        return None
    text = pa.array(series.array)
    return text if isinstance(text, pa.ChunkedArray) else pa.chunked_array([text])


class _LazyCells:
    """A column's raw cells by position, made a Python str only when a rejection names one."""

    def __init__(self, series: pd.Series) -> None:
        self.series = series

    def __getitem__(self, i: int) -> object:
        return self.series.iat[i]


def _arrow_labels(series: pd.Series) -> pd.Series | None:
    """A CSV column of few distinct texts as a categorical (Arrow's dictionary encoding): each label is then
    converted once and no Python str is made per cell. None for other columns, or mostly distinct texts."""
    text = _arrow_strings(series)
    if text is None:
        return None
    encoded = pc.dictionary_encode(text.combine_chunks())
    if len(encoded.dictionary) * 8 > len(text):
        return None
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
    labels = pd.Index(np.asarray(encoded.dictionary.to_pylist(), dtype=object), dtype=object)
    return pd.Series(pd.Categorical.from_codes(codes, categories=labels))


def _text_as_is(series: pd.Series) -> tuple[pa.ChunkedArray, np.ndarray] | None:
    """An Arrow-backed text column whose every cell is empty or what to_text would return unchanged: the column
    with empty cells as nulls, and where a value is present. None when some cell needs converting."""
    text = _arrow_strings(series)
    if text is None:
        return None
    empty = pc.fill_null(pc.equal(text, ""), True)
    clean = unchanged_text(text)
    if not pc.all(pc.or_(clean, empty)).as_py():
        return None
    present = ~empty.to_numpy(zero_copy_only=False)
    return (text if present.all() else pc.if_else(empty, pa.scalar(None, text.type), text)), present


def _labels_column(series: pd.Series, typed: np.ndarray, keep: np.ndarray) -> pd.Series:
    """A categorical text column's kept rows as a categorical of the converted labels (two labels that convert
    alike, e.g. NFD and NFC spellings, become one): millions of rows cost an index each, not a string each."""
    codes = series.cat.codes.to_numpy()[keep]
    labels = np.empty(len(series.cat.categories), dtype=object)
    present = np.flatnonzero(codes >= 0)
    labels[codes[present]] = typed[keep][present]  # each label's converted value (None where it was blank)
    index, unique = pd.factorize(labels, use_na_sentinel=True)
    mapped = np.append(index, -1)[codes]  # a missing cell (code -1) stays missing
    return pd.Series(pd.Categorical.from_codes(mapped, categories=pd.Index(unique, dtype=object)))


def _arrow_text(values: pa.ChunkedArray) -> pd.Series:
    """The same "string" column _text_column makes, from Arrow strings."""
    return pd.Series(pd.arrays.ArrowStringArray(values.cast(pa.large_string())))


def _text_column(values: np.ndarray) -> pd.Series:
    """A "string" column from Python str/None, converted by Arrow in one call."""
    if values.dtype != object or pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
        return pd.Series(values.tolist(), dtype="string")
    return pd.Series(pd.arrays.ArrowStringArray(pa.array(values, type=pa.large_string(), from_pandas=True)))


def _with_dtypes(frame: pd.DataFrame, contract: SourceContract) -> pd.DataFrame:
    """Stable Parquet types, also for an empty frame: dbt reads every file of a source as one table."""
    dtypes = {
        "string": "string",
        "municipality_code": "string",
        "integer": "Int64",
        "decimal": "Float64",
        "boolean": "boolean",
        "date": pd.ArrowDtype(pa.date32()),
    }
    out = {}
    for col in contract.columns:
        series = frame[col.name] if col.name in frame else pd.Series([], dtype=object)
        out[col.name] = pd.Series(series.tolist(), dtype=dtypes[col.type])
    return pd.DataFrame(out)


def empty_frame(contract: SourceContract) -> pd.DataFrame:
    return _with_dtypes(pd.DataFrame({c.name: [] for c in contract.columns}), contract)
