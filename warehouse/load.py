"""Copy the raw Parquet into PostgreSQL's `raw` schema, where dbt's sources read it on that engine.

Ingest writes Parquet with lineage on every engine; on DuckDB dbt reads the files themselves (read_parquet). On
PostgreSQL this step makes the schema `raw` hold exactly what the files hold, one table per folder, as DuckDB's
`read_parquet(..., union_by_name = true)` sees them:

    raw/<source>/*.parquet      ->  raw."<source>"
    raw/_deliveries/*.parquet   ->  raw."_deliveries"
    quarantine/*/*.parquet      ->  raw."_quarantine"

A file is copied once (COPY ... FROM STDIN, CSV written by Arrow: doubles in their shortest exact form, nulls
unquoted, text quoted), and `raw._loaded_files` remembers its name, size and modification time. When a file that
was loaded has changed or gone, or a column changed type, the table is rebuilt from its files. Every table is
synchronised in one transaction under an advisory lock: a load that fails or is killed leaves the schema as it
was, and two loads never interleave.

The warehouse database must sort text by code point, as DuckDB does (LC_COLLATE "C"); docs/deployment.md says how
to create it. A database that does not is refused with that advice, rather than ordering rows differently.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from sources.lib.paths import DataDir
from warehouse import RAW_SCHEMA, Warehouse, WarehouseError

LOADED = "_loaded_files"
BATCH_ROWS = 200_000
_LOCK_KEY = 727_001_017  # pg_advisory_xact_lock key of this loader
_BYTE_ORDER_COLLATIONS = {"C", "POSIX", "C.UTF-8", "C.utf8"}


@dataclass
class TableLoad:
    table: str
    files_loaded: int = 0
    rows_loaded: int = 0
    rebuilt: bool = False
    reason: str = ""


@dataclass
class LoadReport:
    tables: list[TableLoad] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return any(t.files_loaded or t.rebuilt for t in self.tables)

    @property
    def files_loaded(self) -> int:
        return sum(t.files_loaded for t in self.tables)

    @property
    def rows_loaded(self) -> int:
        return sum(t.rows_loaded for t in self.tables)

    def summary(self) -> str:
        rebuilt = [t.table for t in self.tables if t.rebuilt]
        text = f"{self.files_loaded} file(s), {self.rows_loaded} rows copied into {RAW_SCHEMA}"
        return text + (f" (rebuilt: {', '.join(rebuilt)})" if rebuilt else "") + f" in {self.seconds:.1f} s"


def raw_tables(data: DataDir) -> dict[str, list[Path]]:
    """Each raw table and the Parquet files it is made of, as the dbt sources read them on DuckDB."""
    tables: dict[str, list[Path]] = {}
    raw = data.root / "raw"
    if raw.is_dir():
        for folder in sorted(p for p in raw.iterdir() if p.is_dir() and not p.name.startswith(".")):
            tables[folder.name] = sorted(folder.glob("*.parquet"))
    quarantine = data.root / "quarantine"
    if quarantine.is_dir():
        tables["_quarantine"] = sorted(quarantine.glob("*/*.parquet"))
    return {name: files for name, files in tables.items() if files}


def _pg_type(arrow_type: pa.DataType, where: str) -> str:
    if pa.types.is_dictionary(arrow_type):
        return _pg_type(arrow_type.value_type, where)
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return "text"
    if pa.types.is_boolean(arrow_type):
        return "boolean"
    if pa.types.is_integer(arrow_type):
        return "bigint"
    if pa.types.is_floating(arrow_type):
        return "double precision"
    if pa.types.is_date(arrow_type):
        return "date"
    if pa.types.is_timestamp(arrow_type):
        return "timestamp with time zone" if arrow_type.tz else "timestamp without time zone"
    if pa.types.is_null(arrow_type):
        return "null"
    raise WarehouseError(f"{where}: Parquet type {arrow_type} has no PostgreSQL column type in warehouse.load")


# DuckDB's union_by_name widens a column whose files disagree; the same widening here
_WIDER = {frozenset({"bigint", "double precision"}): "double precision"}


def table_columns(files: list[Path]) -> dict[str, str]:
    """Column name -> PostgreSQL type over every file, in first-seen order (union by name)."""
    columns: dict[str, str] = {}
    for path in files:
        for arrow_field in pq.read_schema(path):
            pg = _pg_type(arrow_field.type, f"{path}, column {arrow_field.name}")
            seen = columns.get(arrow_field.name)
            if seen is None or seen == "null":
                columns[arrow_field.name] = pg
            elif pg not in (seen, "null"):
                wider = _WIDER.get(frozenset({seen, pg}))
                if wider is None:
                    raise WarehouseError(
                        f"{path}: column {arrow_field.name} is {pg} here but {seen} in other files of the same folder"
                    )
                columns[arrow_field.name] = wider
    return {name: ("text" if kind == "null" else kind) for name, kind in columns.items()}


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _csv_batches(path: Path) -> Iterator[tuple[list[str], bytes, int]]:
    """The file's rows as CSV in batches: column names, bytes, row count."""
    parquet = pq.ParquetFile(path)
    options = pacsv.WriteOptions(include_header=False, quoting_style="needed")
    for batch in parquet.iter_batches(batch_size=BATCH_ROWS):
        if batch.num_rows == 0:
            continue
        arrays = [a.dictionary_decode() if pa.types.is_dictionary(a.type) else a for a in batch.columns]
        table = pa.Table.from_arrays(arrays, names=batch.schema.names)
        buffer = io.BytesIO()
        pacsv.write_csv(table, buffer, options)
        yield batch.schema.names, buffer.getvalue(), batch.num_rows


def check_database(cursor: object, warehouse: Warehouse) -> None:
    """Refuse a database whose collation would sort text differently from DuckDB."""
    cursor.execute("select datcollate from pg_database where datname = current_database()")
    (collate,) = cursor.fetchone()
    if collate not in _BYTE_ORDER_COLLATIONS:
        raise WarehouseError(
            f"the warehouse database {warehouse.database} sorts text by the locale {collate!r}, DuckDB by code point: "
            "report rows would come out in another order. Create it with LC_COLLATE 'C' (docs/deployment.md): "
            f"create database {warehouse.database} template template0 encoding UTF8 lc_collate 'C' "
            "lc_ctype 'C.UTF-8'"
        )


def _stat(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def _sync_table(cursor: object, name: str, files: list[Path], data: DataDir) -> TableLoad:
    result = TableLoad(name)
    table = f"{RAW_SCHEMA}.{_ident(name)}"
    columns = table_columns(files)
    cursor.execute(f"select file, bytes, mtime_ns from {RAW_SCHEMA}.{LOADED} where table_name = %s", [name])
    loaded = {row[0]: (row[1], row[2]) for row in cursor.fetchall()}
    cursor.execute(
        "select column_name, data_type from information_schema.columns where table_schema = %s and table_name = %s",
        [RAW_SCHEMA, name],
    )
    existing = {row[0]: row[1] for row in cursor.fetchall()}
    current = {str(p.relative_to(data.root)): _stat(p) for p in files}
    changed = sorted(f for f, stat in loaded.items() if current.get(f) != stat)
    retyped = sorted(c for c, kind in columns.items() if c in existing and existing[c] != kind)
    gone = sorted(set(existing) - set(columns))
    reasons = [
        f"{label}: {', '.join(items[:3])}"
        for label, items in [
            ("files changed or removed", changed),
            ("columns retyped", retyped),
            ("columns gone", gone),
        ]
        if items
    ]
    if not existing or retyped or gone:
        # a new table, or columns that changed type or went away: made anew (a view over it would stop this,
        # naming itself: on PostgreSQL no model is a view over a source, see macros/cross_db.sql)
        result.rebuilt = bool(existing)
        result.reason = "new table" if not existing else "; ".join(reasons)
        cursor.execute(f"drop table if exists {table}")
        cursor.execute(f"delete from {RAW_SCHEMA}.{LOADED} where table_name = %s", [name])
        cursor.execute(f"create table {table} ({', '.join(f'{_ident(c)} {t}' for c, t in columns.items())})")
        loaded = {}
    else:
        for column in [c for c in columns if c not in existing]:
            cursor.execute(f"alter table {table} add column {_ident(column)} {columns[column]}")
        if changed:  # a loaded file changed or went away: the table is filled again from what is there
            result.rebuilt = True
            result.reason = "; ".join(reasons)
            cursor.execute(f"truncate {table}")
            cursor.execute(f"delete from {RAW_SCHEMA}.{LOADED} where table_name = %s", [name])
            loaded = {}
    for path in files:
        relative = str(path.relative_to(data.root))
        if relative in loaded:
            continue
        rows = 0
        for names, payload, count in _csv_batches(path):
            try:
                cursor.copy_expert(
                    f"copy {table} ({', '.join(_ident(n) for n in names)}) from stdin with (format csv)",
                    io.BytesIO(payload),
                )
            except psycopg2.Error as exc:
                line = re.search(r"line (\d+)", exc.diag.context or "")
                where = f", row {rows + int(line.group(1))} of the file" if line else ""
                raise WarehouseError(
                    f"{path}{where}: copying into {RAW_SCHEMA}.{name} failed: {exc.diag.message_primary or exc} "
                    "(nothing was loaded: the transaction was rolled back)"
                ) from exc
            rows += count
        size, mtime = current[relative]
        cursor.execute(
            f"insert into {RAW_SCHEMA}.{LOADED} (table_name, file, bytes, mtime_ns, rows_loaded) "
            "values (%s, %s, %s, %s, %s)",
            [name, relative, size, mtime, rows],
        )
        result.files_loaded += 1
        result.rows_loaded += rows
    if result.files_loaded or result.rebuilt:
        cursor.execute(f"analyze {table}")
    return result


def sync_raw(data: DataDir, warehouse: Warehouse) -> LoadReport:
    """Make PostgreSQL's raw schema hold what the data directory's Parquet holds, in one transaction."""
    started = time.monotonic()
    report = LoadReport()
    try:
        con = psycopg2.connect(**warehouse.connect_args())
    except psycopg2.OperationalError as exc:
        raise WarehouseError(f"cannot connect to the warehouse ({warehouse.label()}): {exc}".strip()) from exc
    try:
        with con, con.cursor() as cursor:
            cursor.execute("select pg_advisory_xact_lock(%s)", [_LOCK_KEY])
            check_database(cursor, warehouse)
            cursor.execute(f"create schema if not exists {RAW_SCHEMA}")
            cursor.execute(
                f"create table if not exists {RAW_SCHEMA}.{LOADED} (table_name text not null, file text not null, "
                "bytes bigint not null, mtime_ns bigint not null, rows_loaded bigint not null, "
                "loaded_at timestamp with time zone not null default now(), primary key (table_name, file))"
            )
            for name, files in raw_tables(data).items():
                try:
                    report.tables.append(_sync_table(cursor, name, files, data))
                except WarehouseError:
                    raise
                except psycopg2.Error as exc:
                    raise WarehouseError(
                        f"loading {data.root / 'raw' / name} into {RAW_SCHEMA}.{name} failed: "
                        f"{str(exc).strip()} (nothing was loaded: the transaction was rolled back)"
                    ) from exc
    finally:
        con.close()
    report.seconds = time.monotonic() - started
    return report
