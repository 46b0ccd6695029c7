"""The landing sensor: a new file requests the whole quarterly job for the last closed quarter (what `make run`
launches); the same files again request nothing; a file still being written waits. (Files touched again with
bytes already archived request nothing once the workbook is current: tests/integration/test_one_way_to_run.py.)"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import dagster as dg

from orchestration.definitions import defs
from orchestration.defs.sensors import SETTLE_SECONDS, landing_files_sensor
from orchestration.resources import PipelineSettings


def _drop(root: Path, source: str, name: str, text: str, age_s: float = 3600) -> Path:
    path = root / "landing" / source / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    stamp = time.time() - age_s
    os.utime(path, (stamp, stamp))
    return path


def _tick(cursor: str | None = None, root: Path | None = None) -> dg.SensorResult | dg.SkipReason:
    settings = PipelineSettings(data_dir=str(root or Path(os.environ["VC_DATA_DIR"])))
    with dg.instance_for_test() as instance:
        context = dg.build_sensor_context(
            instance=instance, cursor=cursor, definitions=defs, resources={"settings": settings}
        )
        return landing_files_sensor(context)


def _last_closed_quarter_start(today: dt.date) -> str:
    # computed here from the calendar, not with the code under test
    start_month = 3 * ((today.month - 1) // 3) + 1  # first month of the current quarter
    year, month = (today.year, start_month - 3) if start_month > 1 else (today.year - 1, 10)
    return f"{year}-{month:02d}-01"


def test_nothing_in_landing_skips(data_dir: Path) -> None:
    assert isinstance(_tick(), dg.SkipReason)


def test_new_file_requests_the_whole_job_for_the_last_closed_quarter(data_dir: Path) -> None:
    _drop(data_dir, "engagement_log", "log.csv", "Id;Partner\n")
    result = _tick()
    assert isinstance(result, dg.SensorResult)
    [request] = result.run_requests
    # the whole job, as make run launches it: the report models read every source, not only the changed one
    assert request.asset_selection is None and request.asset_check_keys is None
    assert request.partition_key == _last_closed_quarter_start(dt.datetime.now(dt.UTC).date())
    assert request.tags["vc/sources"] == "engagement_log"
    assert not (data_dir / "warehouse.duckdb").exists()  # listing only: the sensor never opens the warehouse

    # the same files again: nothing to do
    assert isinstance(_tick(result.cursor), dg.SkipReason)


def test_a_changed_source_requests_a_new_run(data_dir: Path) -> None:
    _drop(data_dir, "engagement_log", "log.csv", "Id;Partner\n")
    first = _tick()
    _drop(data_dir, "ecb_rates", "eurofxref-hist.csv", "Date,SEK,\n2025-05-09,10.9115,\n")
    second = _tick(first.cursor)
    [request] = second.run_requests
    assert request.tags["vc/sources"] == "ecb_rates"
    assert request.run_key != first.run_requests[0].run_key


def test_a_file_still_being_written_waits_for_the_next_tick(data_dir: Path) -> None:
    path = _drop(data_dir, "engagement_log", "log.csv", "Id;Partner\n", age_s=SETTLE_SECONDS / 3)
    assert isinstance(_tick(), dg.SkipReason)
    stamp = time.time() - 2 * SETTLE_SECONDS
    os.utime(path, (stamp, stamp))
    assert isinstance(_tick(), dg.SensorResult)


def test_dot_files_are_ignored_and_the_data_dir_comes_from_the_settings(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    _drop(first, "engagement_log", ".fetch-partial", "x")
    _drop(second, "engagement_log", "log.csv", "Id;Partner\n")
    assert isinstance(_tick(root=first), dg.SkipReason)
    assert isinstance(_tick(root=second), dg.SensorResult)


def test_the_sensor_is_registered() -> None:
    sensor = defs.resolve_sensor_def("landing_files_sensor")
    assert sensor.job_name == "quarterly_pipeline"
