"""`make verify REPORT=<published .xlsx>`: rebuild that revision with the pipeline's own job and compare bytes.

    python -m orchestration.verify [REPORT] [--warehouse duckdb|postgres]   # REPORT from the environment

The job runs in a temporary data directory (reports.verify.stage_rebuild: the manifest's archived inputs and the
revisions before it) with its own temporary Dagster instance, configured through the run's resource settings:
that directory, the manifest's as-of date, language and publication date, and the warehouse. A revision is
rebuilt on the engine its manifest names: one published from PostgreSQL in a temporary database on the server the
libpq variables name (it needs the CREATEDB privilege; dropped afterwards), one from DuckDB in a temporary DuckDB
file. `--warehouse duckdb` rebuilds a PostgreSQL revision on DuckDB instead (the same inputs give the same bytes
on both). Exit code 0 when the rebuild is byte-identical, 1 when it is not (the differences are listed), 2 when
REPORT does not exist or its warehouse cannot be reached.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext, redirect_stdout
from pathlib import Path

import dagster as dg

from orchestration.lib.quarters import quarter_to_partition_key
from orchestration.resources import settings_from_environment
from orchestration.run import JOB, QUIET
from reports.verify import VerifyResult, before_rebuild, compare, rebuild_engine, stage_rebuild
from sources.lib.paths import DataDir
from warehouse import Warehouse, WarehouseError
from warehouse.scratch import temporary_database


def rebuild_config(manifest: dict[str, object], root: Path, warehouse: Warehouse | None = None) -> dict[str, object]:
    """The run configuration that rebuilds the revision in `root` (and, on PostgreSQL, in `warehouse`'s database)."""
    settings = {
        "data_dir": str(root),
        "report_language": str(manifest["language"]),
        "as_of_date": str(manifest.get("as_of_date") or ""),
        "published_on": str(manifest["published_on"]),
        "warehouse": warehouse.engine if warehouse else "duckdb",
        "warehouse_database": warehouse.database if warehouse and warehouse.is_postgres else "",
    }
    return {"resources": {"settings": {"config": settings}}, **QUIET}


def _scratch_warehouse(manifest: dict[str, object], data: DataDir, engine: str | None):
    """A context giving the warehouse to rebuild in: None for a DuckDB file in the rebuilt directory, or a
    temporary database on the PostgreSQL server the environment names."""
    if rebuild_engine(manifest, engine) == "duckdb":
        return nullcontext(None)
    if settings_from_environment().warehouse != "postgres":
        raise WarehouseError(
            "the workbook was built on PostgreSQL: set VC_WAREHOUSE=postgres and the PG* variables of a server to "
            "rebuild on (a temporary database is made there), or rebuild on DuckDB with --warehouse duckdb"
        )
    return temporary_database(Warehouse.of("postgres", data))


@contextmanager
def rebuilt_revision(
    report_path: Path, manifest: dict[str, object], data: DataDir, engine: str | None = None
) -> Iterator[tuple[Warehouse, Path | None]]:
    """Run the job on a staged copy of the revision's inputs: the rebuilt warehouse and the workbook the rebuild
    published (None when the run failed or published nothing new), both gone when the block ends. What the run
    prints (dbt's output) goes to <data dir>/logs/last-rebuild.log."""
    from orchestration.definitions import defs

    with tempfile.TemporaryDirectory(prefix="vc-rebuild-") as tmp, _scratch_warehouse(manifest, data, engine) as pg:
        rebuilt = stage_rebuild(report_path, manifest, data, Path(tmp) / "var")
        warehouse = pg or Warehouse.of("duckdb", rebuilt)
        log = data.root / "logs" / "last-rebuild.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with dg.DagsterInstance.ephemeral() as instance, log.open("w") as out, redirect_stdout(out):
            result = defs.resolve_job_def(JOB).execute_in_process(
                partition_key=quarter_to_partition_key(str(manifest["quarter"])),
                instance=instance,
                run_config=rebuild_config(manifest, rebuilt.root, warehouse),
                raise_on_error=False,
                tags={"vc/trigger": "rebuild", "vc/rebuild_of": report_path.name},
            )
        published = None
        if result.success:
            for m in result.asset_materializations_for_node("quarterly_report"):
                if m.metadata["status"].value == "published":
                    published = Path(str(m.metadata["path"].value))
        yield warehouse, published


def verify(report_path: Path, data: DataDir, engine: str | None = None) -> VerifyResult:
    manifest, result = before_rebuild(report_path, data)
    if manifest is None or any(d.startswith("archived file") for d in result.differences):
        return result
    with rebuilt_revision(report_path, manifest, data, engine) as (_, rebuilt):
        return compare(result, manifest, report_path.read_bytes(), rebuilt)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("report", nargs="?", type=Path, default=os.environ.get("REPORT") or None)
    parser.add_argument(
        "--warehouse", choices=["duckdb", "postgres"], help="the engine to rebuild on (default: the manifest's)"
    )
    args = parser.parse_args()
    if args.report is None or not args.report.exists():
        print(
            f"verify: REPORT={args.report or ''} does not exist (give the path of a published .xlsx)", file=sys.stderr
        )
        sys.exit(2)
    data = settings_from_environment().data
    try:
        result = verify(args.report, data, args.warehouse)
    except WarehouseError as exc:
        print(f"verify: {exc}", file=sys.stderr)
        sys.exit(2)
    if result.matches:
        print(f"verified: {result.report} rebuilds byte for byte from the archive (sha256 {result.rebuilt_sha256})")
        return
    print(f"NOT verified: {result.report}", file=sys.stderr)
    for line in result.differences:
        print(f"  - {line}", file=sys.stderr)
    sys.exit(1)


if __name__ == "__main__":
    main()
