"""The load step of a PostgreSQL warehouse, run by the dbt step before it builds (warehouse.load does the work).

On DuckDB there is nothing to load: dbt reads the raw Parquet itself. On PostgreSQL the raw schema is brought up to
the data directory's Parquet first, in one transaction; the dbt build then reads it. Doing it in the step that
holds the writer lock (orchestration/resources.py) keeps one writer of the raw schema at a time; the loader's own
advisory lock keeps two loads apart even when two data directories share one warehouse.
"""

from __future__ import annotations

from typing import Any

from sources.lib.paths import DataDir
from warehouse import Warehouse
from warehouse.load import LoadReport, sync_raw


def load_raw(data: DataDir, warehouse: Warehouse, log: Any) -> LoadReport | None:
    """Copy new raw Parquet into PostgreSQL's raw schema (None on DuckDB, which reads the files)."""
    if not warehouse.is_postgres:
        return None
    report = sync_raw(data, warehouse)
    log.info(f"raw load into {warehouse.label()}: {report.summary()}")
    return report
