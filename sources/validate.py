"""Apply a source contract to a table of raw cells: typed rows that pass, rejected rows with their reasons."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pyarrow as pa

from sources.contract import RowRule, SourceContract
from sources.readers import CELL_PREFIX, COL_PREFIX, ROW, SHEET, RawTable
from sources.values import convert_series, converter

REJECTION_COLUMNS = ["sheet", "row", "column", "cell", "rule", "value", "message"]


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


def _broken_row_rules(
    contract: SourceContract, typed: dict[str, list[object]], i: int
) -> list[tuple[RowRule, str, str]]:
    """(rule, column, shown values) for every row rule row i breaks; a rule with an empty column does not apply."""
    broken = []
    for rule in contract.row_rules:
        values = {c: typed[c][i] for c in rule.columns}
        if rule.compare:
            left, op, right = rule.compare
            if values[left] is None or values[right] is None:
                continue
            wrong = [] if _COMPARE[op](values[left], values[right]) else [left]
        else:
            if any(values[c] is None or str(values[c]) not in allowed for c, allowed in rule.when.items()):
                continue
            wrong = [c for c in rule.require if values[c] is None]
            wrong += [c for c, ok in rule.then.items() if values[c] is not None and str(values[c]) not in ok]
        if wrong:
            shown = ", ".join(f"{c}={'(empty)' if v is None else v}" for c, v in values.items())
            broken.append((rule, wrong[0], shown))
    return broken


def validate(table: RawTable, contract: SourceContract) -> Validated:
    frame = table.frame
    decimal = contract.reader.get("decimal", "auto")
    typed: dict[str, list[object]] = {}
    problems: list[dict[str, object]] = []
    rows = frame[ROW].tolist()
    sheets = frame[SHEET].tolist()

    def reject(i: int, column: str, rule: str, value: object, message: str) -> None:
        problems.append(
            {
                "sheet": sheets[i],
                "row": rows[i],
                "column": column,
                "cell": _cell(table, column, rows[i], i),
                "rule": rule,
                "value": None if value is None else str(value)[:200],
                "message": message,
            }
        )

    raw_values = {c.name: frame[c.name].tolist() if c.name in frame else [None] * len(frame) for c in contract.columns}
    for col in contract.columns:
        convert = converter(col.type, epoch=table.excel_epoch, month_precision=col.month_precision, decimal=decimal)
        values, errors = convert_series(pd.Series(raw_values[col.name], dtype=object), convert)
        for i, err in errors.items():
            reject(i, col.name, err.rule, raw_values[col.name][i], err.message)
        for i, value in enumerate(values):
            if i in errors:
                continue
            if value is None:
                if col.required:
                    reject(i, col.name, "required", None, f"{col.header} must not be empty")
                continue
            if col.allowed is not None and str(value) not in col.allowed:
                reject(i, col.name, "allowed_values", value, f"{value!r} is not one of {list(col.allowed)}")
            if col.minimum is not None and value < col.minimum:
                reject(i, col.name, "minimum", value, f"{value} is below the minimum {col.minimum}")
            if col.maximum is not None and value > col.maximum:
                reject(i, col.name, "maximum", value, f"{value} is above the maximum {col.maximum}")
        typed[col.name] = values

    if contract.row_rules:
        # a cell that already broke its own rule is not judged again across the row (one reason is enough)
        failed = {(p["row"], p["sheet"], p["column"]) for p in problems}
        for i in range(len(frame)):
            for rule, column, shown in _broken_row_rules(contract, typed, i):
                if any((rows[i], sheets[i], c) in failed for c in rule.columns):
                    continue
                reject(i, column, rule.name, shown, f"{rule.message} ({shown})")

    bad = {(p["row"], p["sheet"]) for p in problems}
    keep = [i for i in range(len(frame)) if (rows[i], sheets[i]) not in bad]
    if contract.primary_key:
        seen: dict[tuple[object, ...], int] = {}
        for i in list(keep):
            key = tuple(typed[k][i] for k in contract.primary_key)
            if key in seen:
                reject(
                    i,
                    contract.primary_key[0],
                    "duplicate_key",
                    key,
                    f"primary key {dict(zip(contract.primary_key, key, strict=True))} already on row {rows[seen[key]]}",
                )
                keep.remove(i)
            else:
                seen[key] = i

    accepted = pd.DataFrame({name: [vals[i] for i in keep] for name, vals in typed.items()})
    accepted = _with_dtypes(accepted, contract)
    accepted["source_sheet"] = pd.Series([sheets[i] for i in keep], dtype="string")
    accepted["source_row"] = pd.Series([rows[i] for i in keep], dtype="int64")
    rejected = pd.DataFrame(problems, columns=REJECTION_COLUMNS)
    return Validated(accepted=accepted, rejected=rejected)


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
