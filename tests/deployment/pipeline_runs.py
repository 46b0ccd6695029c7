"""The demo pipeline run in-process on DuckDB, and a second data directory holding the same inputs (the same archived
files, the same vintages), for runs of the same quarter on another warehouse or executor to be compared with it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from openpyxl import load_workbook

AS_OF = "2026-10-15"
QUARTER = "2025Q2"
# what a run adds to the data directory beyond its inputs: a copy without them is a fresh warehouse on the same inputs
RUN_OUTPUTS = {
    "warehouse.duckdb",
    "warehouse.duckdb.wal",
    "warehouse.state.json",
    "dbt_target",
    "reports",
    "dagster",
    "logs",
    "quality",
    "traces",
    ".pipeline.lock",
}


@contextmanager
def environment(**values: str) -> Iterator[None]:
    """These environment variables for the block (module-scoped fixtures cannot use the monkeypatch fixture)."""
    with pytest.MonkeyPatch.context() as patch:
        for key, value in values.items():
            patch.setenv(key, value)
        yield


def same_inputs(source: Path, target: Path) -> Path:
    """A data directory with `source`'s landing, archive, raw Parquet and quarantine, and none of its outputs."""
    target.mkdir(parents=True)
    for entry in source.iterdir():
        if entry.name not in RUN_OUTPUTS:
            (shutil.copytree if entry.is_dir() else shutil.copy2)(entry, target / entry.name)
    return target


def run_in_process(root: Path, **env: str | None) -> object:
    """quarterly_pipeline for QUARTER, in this process, on an ephemeral instance."""
    from dagster import DagsterInstance

    from orchestration.definitions import defs
    from orchestration.lib.quarters import quarter_to_partition_key

    with environment(VC_DATA_DIR=str(root), VC_AS_OF_DATE=AS_OF, **env), DagsterInstance.ephemeral() as instance:
        job = defs.resolve_job_def("quarterly_pipeline")
        return job.execute_in_process(partition_key=quarter_to_partition_key(QUARTER), instance=instance)


def published_workbook(root: Path) -> Path:
    [path] = sorted((root / "reports" / QUARTER).glob("*.xlsx"))
    return path


def workbook_cells(path: Path) -> dict[str, list[tuple[str, object, str]]]:
    """Every non-empty cell per sheet: coordinate, value and number format, as a reader of the workbook sees them."""
    workbook = load_workbook(path)
    try:
        return {
            sheet.title: [
                (cell.coordinate, cell.value, cell.number_format)
                for row in sheet.iter_rows()
                for cell in row
                if cell.value is not None
            ]
            for sheet in workbook.worksheets
        }
    finally:
        workbook.close()
