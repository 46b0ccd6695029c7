"""The load step of a PostgreSQL warehouse, run by the dbt step before it builds (warehouse.load does the work).

On DuckDB there is nothing to load: dbt reads the raw Parquet itself. On PostgreSQL the raw schema is brought up to
the data directory's Parquet first, in one transaction; the dbt build then reads it. Doing it here, in the step
that holds the warehouse (pool "duckdb", the pipeline lock), keeps one writer of the raw schema at a time.
"""

from __future__ import annotations

import json
from typing import Any

from sources.paths import DataDir
from warehouse import Warehouse
from warehouse.load import sync_raw


def load_raw(data: DataDir, log: Any) -> bool:
    """Copy new raw Parquet into PostgreSQL's raw schema; True when anything changed there."""
    warehouse = Warehouse.current(data)
    if not warehouse.is_postgres:
        return False
    report = sync_raw(data, warehouse)
    log.info(f"raw load into {warehouse.label()}: {report.summary()}")
    record = data.root / "logs" / "last-raw-load.json"  # read by `make bench`
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(
        json.dumps(
            {"files": report.files_loaded, "rows": report.rows_loaded, "seconds": round(report.seconds, 3)}, indent=1
        ),
        encoding="utf-8",
    )
    return report.changed
