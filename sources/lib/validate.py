"""Apply a source contract to a table of raw cells: typed rows that pass, rejected rows with their reasons.

Every column goes through its type's one path (sources.lib.types); the contract's rules (required, allowed,
min/max, plausible magnitude, per-unit maxima, row rules, primary key) are masks over whole columns. A record
with any broken cell is rejected as a whole (with every reason it broke), so nothing is half-accepted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sources.lib.cells import Cells, RawTable
from sources.lib.contract import Column, SourceContract
from sources.lib.types import Errors, blank, typed

REJECTION_COLUMNS = ["sheet", "row", "column", "cell", "rule", "value", "message"]
# No figure in these sources comes near it; beyond it a value would overflow the warehouse's decimal(38, x) types
# once converted (a unit of millions, an exchange rate) and a double no longer holds it to the cent.
MAX_MAGNITUDE = 1e15
_COMPARE = {"<": "less", "<=": "less_equal", "==": "equal", "!=": "not_equal", ">=": "greater_equal", ">": "greater"}
_PANDAS = {pa.int64(): pd.Int64Dtype(), pa.float64(): pd.Float64Dtype(), pa.bool_(): pd.BooleanDtype(),
           pa.string(): pd.StringDtype(), pa.date32(): pd.ArrowDtype(pa.date32())}  # fmt: skip
_ARROW = {"string": pa.string(), "municipality_code": pa.string(), "integer": pa.int64(), "decimal": pa.float64(),
          "boolean": pa.bool_(), "date": pa.date32()}  # fmt: skip


@dataclass
class Validated:
    table: pa.Table  # the accepted rows: contract columns in their Parquet types, plus source_sheet and source_row
    rejected: pd.DataFrame  # one row per broken rule: REJECTION_COLUMNS

    @property
    def accepted(self) -> pd.DataFrame:
        """The accepted rows in pandas (nullable types; a parser's dictionary-encoded labels as categoricals)."""
        frame = self.table.to_pandas(types_mapper=_PANDAS.get)
        frame["source_row"] = frame["source_row"].astype("int64")
        return frame


class _Column:
    """One contract column's typed values, with numpy views made once when a rule needs them."""

    def __init__(self, col: Column, cells: Cells, values: pa.Array) -> None:
        self.col, self.cells, self.values = col, cells, values
        self.present = np.asarray(pc.is_valid(values).to_numpy(zero_copy_only=False), dtype=bool)
        self._objects: np.ndarray | None = None

    @property
    def objects(self) -> np.ndarray:
        """Python values (int for an integer column, datetime.date, str), None where missing."""
        if self._objects is None:
            values = self.values
            if pa.types.is_dictionary(values.type):
                values = values.dictionary_decode()
            found = values.to_pylist()
            if self.col.type == "integer":  # whole numbers as int, but one beyond any int64 as it was read
                found = [int(v) if v is not None and abs(v) < 1e18 else v for v in found]
            self._objects = np.empty(len(values), dtype=object)
            self._objects[:] = found
        return self._objects

    def isin(self, allowed: tuple[str, ...] | frozenset[str]) -> np.ndarray:
        """str(value) is one of `allowed`, for present values."""
        text = self.values if pa.types.is_string(self.values.type) else None
        if text is None and pa.types.is_dictionary(self.values.type):
            text = self.values.dictionary_decode()
        if text is None:
            text = pa.array([None if v is None else str(v) for v in self.objects.tolist()], pa.string())
        return np.asarray(pc.fill_null(pc.is_in(text, pa.array(list(allowed), pa.string())), False), dtype=bool)

    def numbers(self) -> np.ndarray:
        return np.asarray(pc.fill_null(pc.cast(self.values, pa.float64()), np.nan).to_numpy(zero_copy_only=False))


def _shown(value: object) -> str:
    return "(empty)" if value is None else str(value)


def validate(table: RawTable, contract: SourceContract, delivered_on: dt.date | None = None) -> Validated:
    """Type every cell and apply the contract's rules.

    The rejections come column by column (its unreadable cells, then its required/allowed/min/max/magnitude/date
    breaks, by row), then the per-unit maxima and the row rules by row, then duplicate keys. `delivered_on` (the
    file's vintage; today when not given) is what a date's `max_days_after_delivery` counts from.
    """
    delivered_on = delivered_on or dt.datetime.now(dt.UTC).date()
    n = len(table.rows)
    rows = np.asarray(table.rows, dtype=np.int64)
    options = {"decimal": contract.reader.get("decimal", "auto"), "epoch": table.excel_epoch}
    problems: list[tuple[int, str, str, object, str]] = []  # (position, column, rule, value, message)

    def reject(where: np.ndarray | list[int], column: str, rule: str, value: Callable[[int], object],
               message: Callable[[int], str]) -> None:  # fmt: skip
        at = np.flatnonzero(where).tolist() if isinstance(where, np.ndarray) else where
        problems.extend((i, column, rule, value(i), message(i)) for i in at)

    def typed_column(col: Column) -> tuple[Cells, pa.Array, Errors]:
        cells = given = table.columns.get(col.name) or Cells(pa.nulls(n, pa.string()))
        few = pa.types.is_string(cells.text.type) and pc.count_distinct(cells.text[:1000]).as_py() < 100
        if few and cells.number is cells.flag is cells.when is None and col.type not in ("string", "municipality_code"):
            cells = Cells(pc.dictionary_encode(cells.text))  # a few labels: each typed once
        errors: Errors = {}
        values = typed(blank(cells, contract.missing_values), col.type, errors, **options,
                       month_precision=col.month_precision)  # fmt: skip
        return given, values, errors

    if n < 10_000:  # a small file (a follow-up form): starting the threads costs more than they save
        typed_columns = [typed_column(col) for col in contract.columns]
    else:
        with ThreadPoolExecutor(2) as pool:  # Arrow's compute functions release the GIL: two columns at a time
            typed_columns = list(pool.map(typed_column, contract.columns))
    columns: dict[str, _Column] = {}
    for col, (cells, values, errors) in zip(contract.columns, typed_columns, strict=True):
        c = columns[col.name] = _Column(col, cells, values)
        for i, (rule, message) in sorted(errors.items()):
            problems.append((i, col.name, rule, cells.value(i), message))
        _cell_checks(c, errors, reject, delivered_on)
    broken = _row_broken(problems, rows)
    for col in contract.columns:
        if col.max_per_unit and n:
            _per_unit_maxima(columns[col.name], columns[col.unit_column], ~broken, reject)  # type: ignore[index]
    _row_rules(contract, columns, _row_broken(problems, rows), reject)
    keep = ~_row_broken(problems, rows)
    if contract.primary_key and n:
        _duplicate_keys(contract, columns, rows, keep, reject)
        keep = ~_row_broken(problems, rows)

    index = np.flatnonzero(keep)
    kept = (lambda values: values) if len(index) == n else (lambda values: values.take(pa.array(index)))
    accepted = {name: _stable(kept(c.values), c.col.type) for name, c in columns.items()}
    accepted["source_sheet"] = pa.repeat(pa.scalar(table.sheet, pa.string()), len(index))
    accepted["source_row"] = pa.array(rows[index], pa.int64())
    rejected = pd.DataFrame(
        [
            {
                "sheet": table.sheet,
                "row": int(rows[i]),
                "column": column,
                "cell": table.cell(column, i),
                "rule": rule,
                "value": None if value is None else str(value)[:200],
                "message": message if len(message) <= 300 else message[:299] + "…",  # quotes cells: bounded
            }
            for i, column, rule, value, message in problems
        ],
        columns=REJECTION_COLUMNS,
    )
    return Validated(pa.table(accepted), rejected)


def _row_broken(problems: list[tuple[int, str, str, object, str]], rows: np.ndarray) -> np.ndarray:
    """Records on a row that has a rejection: the values of an unpivoted row stand or fall together."""
    return np.isin(rows, rows[[p[0] for p in problems]]) if problems else np.zeros(len(rows), dtype=bool)


def _cell_checks(c: _Column, errors: Errors, reject: Callable[..., None], delivered_on: dt.date) -> None:
    col, n = c.col, len(c.present)
    ok = np.ones(n, dtype=bool)
    ok[list(errors)] = False
    here = ok & c.present
    found: list[tuple[np.ndarray, str, Callable[[int], object], Callable[[int], str]]] = []

    def value(i: int) -> object:
        return c.objects[i]

    if col.required:
        found.append((ok & ~c.present, "required", lambda i: None, lambda i: f"{col.header} must not be empty"))
    if col.allowed is not None:
        found.append((here & ~c.isin(col.allowed), "allowed_values", value,
                      lambda i: f"{c.objects[i]!r} is not one of {list(col.allowed)}"))  # fmt: skip
    if col.minimum is not None:
        found.append((here & (c.numbers() < col.minimum), "minimum", value,
                      lambda i: f"{c.objects[i]} is below the minimum {col.minimum}"))  # fmt: skip
    if col.maximum is not None:
        found.append((here & (c.numbers() > col.maximum), "maximum", value,
                      lambda i: f"{c.objects[i]} is above the maximum {col.maximum}"))  # fmt: skip
    if col.type in ("decimal", "integer"):
        numbers = c.numbers()
        beyond = f"is beyond ±{MAX_MAGNITUDE:.0e}, more than any figure here can be"
        found.append((here & (np.abs(np.nan_to_num(numbers)) > MAX_MAGNITUDE), "out_of_range", value,
                      lambda i: f"{numbers[i]:.6g} {beyond}"))  # fmt: skip
    if col.max_days_after_delivery is not None:
        limit = delivered_on + dt.timedelta(days=col.max_days_after_delivery)
        late = here & np.asarray(pc.fill_null(pc.greater(c.values, pa.scalar(limit)), False), dtype=bool)
        found.append((late, "date_after_delivery", value,
                      lambda i: f"{c.objects[i]} is more than {col.max_days_after_delivery} days after the file was "
                      f"delivered ({delivered_on.isoformat()}): a {col.header} cannot lie that far ahead"))  # fmt: skip
    # by row, then in the order above: a row's first reason comes first
    hits = sorted((i, k) for k, (where, *_) in enumerate(found) for i in np.flatnonzero(where).tolist())
    for i, k in hits:
        _, rule, value_of, message = found[k]
        reject([i], col.name, rule, value_of, message)


def _per_unit_maxima(c: _Column, unit: _Column, judged: np.ndarray, reject: Callable[..., None]) -> None:
    """A value above what its row's own unit allows (a ledger's amount in kr, tkr, MSEK, EUR …): 9e8 MEUR is no
    award. Rows that already broke a rule are not judged again."""
    units = unit.objects
    limits = pd.Series(units, dtype=object).map(c.col.max_per_unit).to_numpy(dtype=np.float64, na_value=np.inf)
    values = c.numbers()
    reject(judged & (values > limits), c.col.name, "maximum", lambda i: c.objects[i],
           lambda i: f"{c.objects[i]:,.6g} {units[i]} is above the most one row can hold, {limits[i]:,.6g} "
           f"{units[i]} (a slipped unit or extra digits?)")  # fmt: skip


def _row_rules(contract: SourceContract, columns: dict[str, _Column], broken: np.ndarray, reject: Callable) -> None:
    """Each row rule as masks; a rule with an empty column does not apply, nor one over a row already rejected
    (one reason is enough). The first wrong column in the rule's order is named."""
    for rule in contract.row_rules:
        n = len(broken)
        wrong = np.full(n, None, dtype=object)
        if rule.compare:
            left, op, right = (columns[rule.compare[0]], rule.compare[1], columns[rule.compare[2]])
            applies = left.present & right.present
            holds = np.asarray(pc.fill_null(getattr(pc, _COMPARE[op])(left.values, right.values), True))
            wrong[applies & ~holds] = rule.compare[0]
        else:
            applies = np.ones(n, dtype=bool)
            for name, allowed in rule.when.items():
                applies &= columns[name].present & columns[name].isin(allowed)
            candidates = [(name, applies & ~columns[name].present) for name in rule.require]
            candidates += [(name, applies & columns[name].present & ~columns[name].isin(ok))
                           for name, ok in rule.then.items()]  # fmt: skip
            for name, bad in reversed(candidates):
                wrong[bad] = name
        for i in np.flatnonzero(pd.notna(wrong) & ~broken).tolist():
            shown = ", ".join(f"{name}={_shown(columns[name].objects[i])}" for name in rule.columns)
            said = f"{rule.message} ({shown})"
            reject([i], str(wrong[i]), rule.name, lambda _, s=shown: s, lambda _, m=said: m)


def _duplicate_keys(contract: SourceContract, columns: dict[str, _Column], rows: np.ndarray, keep: np.ndarray,
                    reject: Callable) -> None:  # fmt: skip
    """A key seen before, among the records still accepted: the first stays, each later one is rejected."""
    index = np.flatnonzero(keep)
    codes = np.zeros(len(index), dtype=np.int64)
    for k in contract.primary_key:
        encoded = pc.dictionary_encode(columns[k].values.take(pa.array(index)))
        if codes.max(initial=0) > 2**62 // (len(encoded.dictionary) + 1):  # renumbered when the product would overflow
            codes = pd.factorize(codes)[0].astype(np.int64)
        codes = codes * (len(encoded.dictionary) + 1) + encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False) + 1
    duplicate = pd.Series(codes).duplicated(keep="first").to_numpy()
    if not duplicate.any():
        return
    first_of = {code: int(index[j]) for j, code in reversed(list(enumerate(codes.tolist())))}
    where = np.zeros(len(keep), dtype=bool)
    where[index[duplicate]] = True
    key = {i: tuple(columns[k].objects[i] for k in contract.primary_key) for i in np.flatnonzero(where).tolist()}
    first = {int(index[j]): first_of[int(codes[j])] for j in np.flatnonzero(duplicate).tolist()}
    reject(where, contract.primary_key[0], "duplicate_key", key.__getitem__,
           lambda i: f"primary key {dict(zip(contract.primary_key, key[i], strict=True))} already on row "
           f"{rows[first[i]]}")  # fmt: skip


def _stable(values: pa.Array, column_type: str) -> pa.Array:
    """A column in its stable Parquet type (dbt reads every file of a source as one table); a parser's
    dictionary-encoded labels stay dictionary-encoded."""
    return values if pa.types.is_dictionary(values.type) else values.cast(_ARROW[column_type])


def empty_table(contract: SourceContract) -> pa.Table:
    """What validate accepts from a file without rows."""
    columns = {c.name: pa.array([], _ARROW[c.type]) for c in contract.columns}
    return pa.table({**columns, "source_sheet": pa.array([], pa.string()), "source_row": pa.array([], pa.int64())})
