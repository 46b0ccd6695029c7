"""Compare two warehouses table by table, value by value (the same inputs on DuckDB and PostgreSQL)."""

from __future__ import annotations

import math

from warehouse import DBT_SCHEMAS, Warehouse
from warehouse.read import Reader, read_only

COMPARED_SCHEMAS = DBT_SCHEMAS  # what dbt builds; raw differs by design (Parquet files on DuckDB)


def _tables(reader: Reader) -> list[tuple[str, str]]:
    sql = (
        "select table_schema, table_name from information_schema.tables where table_schema in "
        f"({', '.join('?' for _ in COMPARED_SCHEMAS)})"
    )
    rows = reader.rows(sql, COMPARED_SCHEMAS)
    return sorted((str(r["table_schema"]), str(r["table_name"])) for r in rows)


def _key(value: object) -> tuple:
    # a total order over the mixed values of one column: None first, then by type name and value
    if value is None:
        return (0, "", "")
    if isinstance(value, float) and math.isnan(value):
        return (1, "nan", "")
    return (1, type(value).__name__, value)


def table_rows(target: Warehouse, schema: str, table: str) -> tuple[list[str], list[tuple]]:
    with read_only(target) as reader:
        rows = reader.rows(f'select * from {schema}."{table}"')
    if not rows:
        return [], []
    columns = sorted(rows[0])
    return columns, sorted((tuple(r[c] for c in columns) for r in rows), key=lambda t: tuple(_key(v) for v in t))


def differences(left: Warehouse, right: Warehouse, limit: int = 20) -> list[str]:
    """Every difference of tables, columns, row counts, values and Python value types, up to `limit`."""
    with read_only(left) as a, read_only(right) as b:
        tables_a, tables_b = _tables(a), _tables(b)
    found: list[str] = []
    if tables_a != tables_b:
        found.append(
            f"tables differ: only {left.engine}: {sorted(set(tables_a) - set(tables_b))}, "
            f"only {right.engine}: {sorted(set(tables_b) - set(tables_a))}"
        )
    for schema, table in sorted(set(tables_a) & set(tables_b)):
        cols_a, rows_a = table_rows(left, schema, table)
        cols_b, rows_b = table_rows(right, schema, table)
        name = f"{schema}.{table}"
        if cols_a != cols_b and rows_a and rows_b:
            found.append(f"{name}: columns {cols_a} vs {cols_b}")
            continue
        if len(rows_a) != len(rows_b):
            found.append(f"{name}: {len(rows_a)} rows vs {len(rows_b)}")
            continue
        for row_a, row_b in zip(rows_a, rows_b, strict=True):
            for column, va, vb in zip(cols_a, row_a, row_b, strict=True):
                same = type(va) is type(vb) and (
                    va == vb or (isinstance(va, float) and math.isnan(va) and math.isnan(vb))
                )
                if not same:
                    found.append(f"{name}.{column}: {va!r} ({type(va).__name__}) vs {vb!r} ({type(vb).__name__})")
                    break
            if len(found) >= limit:
                return found
    return found
