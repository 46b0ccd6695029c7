"""The whole demo pipeline on a PostgreSQL warehouse (a real server, tests/servers.py), against the same inputs on
DuckDB: every table value by value, the workbook cell by cell and byte for byte, the manifest, a trace; then a
build that is killed, and one that fails a test, leave the published warehouse as it was."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import psycopg2
import pytest

from orchestration.lib.dbt_project import DBT_EXECUTABLE
from tests.deployment.compare import differences, table_rows
from tests.deployment.pipeline_runs import (
    AS_OF,
    QUARTER,
    environment,
    published_workbook,
    run_in_process,
    same_inputs,
    workbook_cells,
)
from tests.servers import Postgres

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def postgres_run(postgres: Postgres, duckdb_run: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = same_inputs(duckdb_run, tmp_path_factory.mktemp("postgres") / "var")
    result = run_in_process(root, VC_WAREHOUSE="postgres", **postgres.env)
    assert result.success
    return root


def _warehouses(duckdb_run: Path, postgres: Postgres) -> tuple[object, object]:
    from warehouse import Warehouse

    with environment(VC_WAREHOUSE="postgres", **postgres.env):
        return Warehouse.duckdb(duckdb_run / "warehouse.duckdb"), Warehouse.current()


def test_every_table_is_identical_on_both_engines(postgres: Postgres, duckdb_run: Path, postgres_run: Path) -> None:
    duck, pg = _warehouses(duckdb_run, postgres)
    found = differences(duck, pg, limit=60)
    assert found == [], "\n".join(found)
    columns, rows = table_rows(pg, "marts", "fct_indicator_values")
    assert len(rows) > 1000 and "status" in columns  # the real table, not an empty one
    assert table_rows(duck, "marts", "fct_indicator_values") == (columns, rows)


def test_the_workbook_is_the_same_cell_by_cell_and_byte_for_byte(duckdb_run: Path, postgres_run: Path) -> None:
    duck_book, pg_book = published_workbook(duckdb_run), published_workbook(postgres_run)
    duck_cells, pg_cells = workbook_cells(duck_book), workbook_cells(pg_book)
    assert list(duck_cells) == list(pg_cells)
    for sheet, cells in duck_cells.items():
        assert pg_cells[sheet] == cells, f"sheet {sheet} differs"
    assert sum(len(c) for c in duck_cells.values()) > 500
    assert pg_book.read_bytes() == duck_book.read_bytes()


def test_the_manifest_records_the_warehouse(postgres: Postgres, duckdb_run: Path, postgres_run: Path) -> None:
    manifests = [
        json.loads(published_workbook(root).with_suffix(".xlsx.manifest.json").read_text(encoding="utf-8"))
        for root in (duckdb_run, postgres_run)
    ]
    duck, pg = manifests
    assert duck["warehouse"] == {"engine": "duckdb", "file": "warehouse.duckdb"}
    assert pg["warehouse"] == {
        "engine": "postgres",
        "host": postgres.host,
        "port": postgres.port,
        "database": postgres.database,
    }
    assert {k: v for k, v in duck.items() if k != "warehouse"} == {k: v for k, v in pg.items() if k != "warehouse"}


def test_trace_reads_the_postgres_warehouse(postgres: Postgres, duckdb_run: Path, postgres_run: Path) -> None:
    from reports.trace import load_trace

    duck, pg = _warehouses(duckdb_run, postgres)
    for indicator, period in [("kk_municipalities", QUARTER), ("intl_funding_awarded_msek_cumulative", QUARTER)]:
        on_duckdb, on_postgres = load_trace(duck, indicator, period), load_trace(pg, indicator, period)
        assert on_postgres.figure == on_duckdb.figure
        assert on_postgres.evidence == on_duckdb.evidence
        assert on_postgres.evidence


def _dbt_build(root: Path, postgres: Postgres, *select: str) -> subprocess.Popen[str]:
    from orchestration.lib.dbt_project import DBT_BUILD

    env = {**os.environ, **postgres.env, "VC_WAREHOUSE": "postgres", "VC_DATA_DIR": str(root)}
    return subprocess.Popen(
        [
            str(DBT_EXECUTABLE),
            *DBT_BUILD,
            *(["--select", *select] if select else []),
            "--profiles-dir",
            ".",
            "--target-path",
            str(root / "dbt_target"),
            "--vars",
            json.dumps({"as_of_date": AS_OF}),
        ],
        cwd=REPO / "dbt_project",
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _sql(postgres: Postgres, sql: str) -> list[tuple]:
    con = psycopg2.connect(host=postgres.host, port=postgres.port, user=postgres.user, dbname=postgres.database)
    try:
        with con, con.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall() if cursor.description else []
    finally:
        con.close()


def _built_relations(postgres: Postgres) -> int:
    """Relations in the __build schemas: what a build has made and not (yet) published."""
    [(count,)] = _sql(
        postgres,
        "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace "
        "where n.nspname like '%\\_\\_build' and c.relkind in ('r', 'v')",
    )
    return count


def test_a_killed_or_failed_build_publishes_nothing(postgres_run: Path, postgres: Postgres) -> None:
    from warehouse import Warehouse

    with environment(VC_WAREHOUSE="postgres", **postgres.env):
        pg = Warehouse.current()
    watched = [
        ("marts", "fct_indicator_values"),
        ("reports", "rpt_quarterly_summary"),
        ("staging", "stg_pipeline__deliveries"),
    ]
    published = {table: table_rows(pg, *table) for table in watched}

    # killed half-way: some models are built in the __build schemas, none published
    build = _dbt_build(postgres_run, postgres)
    deadline = time.monotonic() + 120
    while _built_relations(postgres) < 10 and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert build.poll() is None, "the build ended before it could be killed: " + build.stdout.read()[-2000:]
    build.send_signal(signal.SIGKILL)
    build.wait()
    assert _built_relations(postgres) >= 10  # the half-built state is there...
    for table, rows in published.items():
        assert table_rows(pg, *table) == rows  # ...and not what readers see

    # a source row without lineage fails a dbt test at error severity: the build ends with nothing published
    _sql(postgres, "insert into raw.engagement_log (engagement_id, partner) values ('ENG-BAD', 'no lineage')")
    failed = _dbt_build(postgres_run, postgres)
    output = failed.communicate()[0]
    assert failed.returncode != 0
    assert "warehouse not published" in output
    assert {table: table_rows(pg, *table) for table in watched} == published

    # the inputs repaired, the next build publishes (and clears what the failed ones left)
    _sql(postgres, "delete from raw.engagement_log where engagement_id = 'ENG-BAD'")
    repaired = _dbt_build(postgres_run, postgres)
    output = repaired.communicate()[0]
    assert repaired.returncode == 0, output[-3000:]
    assert _built_relations(postgres) == 0
    assert {table: table_rows(pg, *table) for table in watched} == published


def test_verify_rebuilds_a_postgres_workbook_on_postgres(postgres: Postgres, postgres_run: Path) -> None:
    from orchestration.verify import verify
    from sources.lib.paths import DataDir

    with environment(VC_WAREHOUSE="postgres", VC_DATA_DIR=str(postgres_run), **postgres.env):
        result = verify(published_workbook(postgres_run), DataDir(postgres_run))
    assert result.matches, result.differences
    # the rebuild's temporary database is gone
    assert _sql(postgres, "select datname from pg_database where datname like '%\\_verify\\_%'") == []


def test_a_build_of_some_models_reads_the_others_where_they_are_published(
    postgres: Postgres, postgres_run: Path
) -> None:
    """What the landing sensor asks for: one source's models and everything downstream of them."""
    from warehouse import Warehouse

    with environment(VC_WAREHOUSE="postgres", **postgres.env):
        pg = Warehouse.current()
    watched = [("marts", "fct_indicator_values"), ("staging", "stg_funding_ledger__records")]
    published = {table: table_rows(pg, *table) for table in watched}
    [(built_before,)] = _sql(postgres, "select count(*) from pg_tables where schemaname = 'marts'")
    build = _dbt_build(postgres_run, postgres, "stg_engagement_log__engagements+")
    output = build.communicate()[0]
    assert build.returncode == 0, output[-3000:]
    assert "publishing" in output and _built_relations(postgres) == 0
    # the unselected models were read from the published schemas, not rebuilt, and nothing went missing
    assert {table: table_rows(pg, *table) for table in watched} == published
    [(built_after,)] = _sql(postgres, "select count(*) from pg_tables where schemaname = 'marts'")
    assert built_after == built_before


def _source_freshness(root: Path, env: dict[str, str]) -> dict[str, tuple[str, str]]:
    target = root / "freshness_check"
    run = subprocess.run(
        [
            str(DBT_EXECUTABLE),
            *("source", "freshness", "--profiles-dir", ".", "--target-path", str(target)),
            *("--vars", json.dumps({"as_of_date": AS_OF, "data_dir": str(root)})),
        ],
        cwd=REPO / "dbt_project",
        env={**os.environ, "VC_DATA_DIR": str(root), **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    results = json.loads((target / "sources.json").read_text(encoding="utf-8"))["results"]
    assert results, run.stdout[-3000:]
    return {r["unique_id"]: (r["status"], str(r.get("max_loaded_at"))) for r in results}


def test_source_freshness_reads_the_raw_tables_on_postgres(
    postgres: Postgres, duckdb_run: Path, postgres_run: Path
) -> None:
    """The freshness job's `dbt source freshness` gives each source the same state and newest vintage on both."""
    on_duckdb = _source_freshness(duckdb_run, {"VC_WAREHOUSE": "duckdb"})
    on_postgres = _source_freshness(postgres_run, {"VC_WAREHOUSE": "postgres", **postgres.env})
    assert on_postgres == on_duckdb
    assert any(status == "pass" for status, _ in on_postgres.values())
