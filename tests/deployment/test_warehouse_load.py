"""warehouse.load against a real PostgreSQL server: the raw schema holds what DuckDB's
read_parquet(..., union_by_name = true) reads from the same files (DuckDB computes the expectation), a file is
copied once, a changed or removed file rebuilds its table, and a load that fails leaves the schema as it was."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sources.lib.paths import DataDir
from tests.servers import Postgres
from warehouse import Warehouse, WarehouseError
from warehouse.load import sync_raw
from warehouse.read import read_only

UTC = dt.UTC


@pytest.fixture
def loaded(postgres: Postgres, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[DataDir, Warehouse]:
    name = f"vc_load_{tmp_path.name.replace('-', '_')[-30:]}".lower()
    postgres.create_database(name)
    for key, value in {**postgres.env, "PGDATABASE": name, "VC_WAREHOUSE": "postgres"}.items():
        monkeypatch.setenv(key, value)
    data = DataDir(tmp_path / "var")
    (data.root / "raw" / "demo_source").mkdir(parents=True)
    return data, Warehouse.current(data)


def _write(data: DataDir, name: str, table: pa.Table) -> Path:
    path = data.root / "raw" / "demo_source" / name
    pq.write_table(table, path)
    return path


def _first() -> pa.Table:
    return pa.table(
        {
            "record_id": pa.array(["a", "b", "c", "d"]),
            "text": pa.array(["plain", "", None, 'quote " comma , newline\n end']),
            "amount": pa.array([0.1 + 0.2, 1e-300, None, 123456789.123456789]),
            "count": pa.array([1, None, 3, 2**53 + 1], pa.int64()),
            "flag": pa.array([True, False, None, True]),
            "day": pa.array([dt.date(2020, 2, 29), None, dt.date(1900, 1, 1), dt.date(2025, 12, 31)]),
            "source_file_sha256": pa.array(["f1"] * 4).dictionary_encode(),
            "vintage_at": pa.array(
                [dt.datetime(2026, 6, 12, 10, 0, 1, 123000, tzinfo=UTC)] * 4, pa.timestamp("ms", "UTC")
            ),
        }
    )


def _second(count: float = 2.5, record_id: str = "e") -> pa.Table:
    # a later file of the same folder: a new column, and an integer column that is a double here (DuckDB widens)
    return pa.table(
        {
            "record_id": pa.array([record_id]),
            "count": pa.array([count]) if isinstance(count, float) else pa.array([count], pa.int64()),
            "added_later": pa.array(["new"]),
            "source_file_sha256": pa.array(["f2"]).dictionary_encode(),
            "vintage_at": pa.array([dt.datetime(2026, 7, 1, tzinfo=UTC)], pa.timestamp("ms", "UTC")),
        }
    )


def _rows_duckdb(data: DataDir) -> list[tuple]:
    con = duckdb.connect()
    try:
        con.execute("set time zone 'UTC'")
        cursor = con.execute(
            f"select * from read_parquet('{data.root}/raw/demo_source/*.parquet', union_by_name = true) order by 1"
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


def _rows_postgres(warehouse: Warehouse) -> list[dict[str, object]]:
    with read_only(warehouse) as reader:
        return reader.rows('select * from raw."demo_source" order by 1')


def _same(a: list[dict[str, object]], b: list[dict[str, object]]) -> bool:
    def norm(v: object) -> object:
        if isinstance(v, dt.datetime) and v.tzinfo:
            return v.astimezone(UTC)
        if isinstance(v, float) and math.isnan(v):
            return "nan"
        return v

    return [{k: norm(v) for k, v in r.items()} for r in a] == [{k: norm(v) for k, v in r.items()} for r in b]


def test_the_raw_table_holds_what_duckdb_reads_from_the_files(loaded: tuple[DataDir, Warehouse]) -> None:
    data, warehouse = loaded
    _write(data, "one.parquet", _first())
    _write(data, "two.parquet", _second())
    report = sync_raw(data, warehouse)
    assert (report.files_loaded, report.rows_loaded) == (2, 5)
    expected = _rows_duckdb(data)
    got = _rows_postgres(warehouse)
    assert set(got[0]) == set(expected[0])  # the union of the files' columns
    assert _same(got, sorted(expected, key=lambda r: r["record_id"]))
    assert got[1]["text"] == "" and got[2]["text"] is None  # empty text and missing stay apart
    assert got[0]["amount"] == 0.1 + 0.2  # doubles exactly


def test_files_are_copied_once_and_a_changed_file_rebuilds_its_table(loaded: tuple[DataDir, Warehouse]) -> None:
    data, warehouse = loaded
    first = _write(data, "one.parquet", _first())
    sync_raw(data, warehouse)
    again = sync_raw(data, warehouse)
    assert not again.changed and again.files_loaded == 0

    _write(data, "two.parquet", _second(count=7))  # a new column: added, the new file appended
    added = sync_raw(data, warehouse)
    assert (added.files_loaded, added.rows_loaded, added.tables[0].rebuilt) == (1, 1, False)
    assert _same(_rows_postgres(warehouse), _rows_duckdb(data))

    _write(data, "three.parquet", _second(count=2.5, record_id="f"))  # count becomes a double: rebuilt
    widened = sync_raw(data, warehouse)
    assert widened.tables[0].rebuilt and "count" in widened.tables[0].reason
    assert widened.files_loaded == 3
    assert _same(_rows_postgres(warehouse), _rows_duckdb(data))

    first.unlink()  # a file gone (the folder is rebuilt from what is there)
    removed = sync_raw(data, warehouse)
    assert removed.tables[0].rebuilt and "one.parquet" in removed.tables[0].reason
    assert [r["record_id"] for r in _rows_postgres(warehouse)] == ["e", "f"]
    assert _same(_rows_postgres(warehouse), _rows_duckdb(data))


def test_a_load_that_fails_leaves_the_raw_schema_as_it_was(loaded: tuple[DataDir, Warehouse]) -> None:
    data, warehouse = loaded
    _write(data, "one.parquet", _first())
    sync_raw(data, warehouse)
    before = _rows_postgres(warehouse)
    # PostgreSQL text cannot hold NUL: this file fails half-way through the load, after a good one was copied
    _write(data, "two.parquet", _second(count=7))
    _write(data, "three.parquet", pa.table({"record_id": pa.array(["nul\x00byte"])}))
    with pytest.raises(WarehouseError, match=r"three\.parquet.*nothing was loaded") as refused:
        sync_raw(data, warehouse)
    print(refused.value)
    assert _rows_postgres(warehouse) == before  # two.parquet's row is not there either
    (data.root / "raw" / "demo_source" / "three.parquet").unlink()
    assert sync_raw(data, warehouse).files_loaded == 1


def test_a_changed_file_refills_its_table_under_a_view(loaded: tuple[DataDir, Warehouse], postgres: Postgres) -> None:
    """A file that changed (same columns) refills its table in place: what reads it stays."""
    import psycopg2

    data, warehouse = loaded
    first = _write(data, "one.parquet", _first())
    sync_raw(data, warehouse)
    con = psycopg2.connect(**warehouse.connect_args())
    try:
        with con, con.cursor() as cursor:
            cursor.execute('create view public.reads_raw as select record_id from raw."demo_source"')
    finally:
        con.close()
    pq.write_table(_first().slice(0, 2), first)  # the same columns, fewer rows
    refilled = sync_raw(data, warehouse)
    assert refilled.tables[0].rebuilt and "one.parquet" in refilled.tables[0].reason
    with read_only(warehouse) as reader:
        assert reader.rows("select record_id from public.reads_raw order by 1") == [
            {"record_id": "a"},
            {"record_id": "b"},
        ]
