"""dbt's parse ahead of the build: one per run and target folder, done before the build reads its result."""

from __future__ import annotations

import json
import subprocess
import sys

from orchestration.lib import dbt_parse
from orchestration.resources import PipelineSettings


def test_a_parse_started_twice_runs_once_and_leaves_its_partial_parse_file(tmp_path) -> None:
    settings = PipelineSettings(data_dir=str(tmp_path), as_of_date="", warehouse="duckdb")
    target = settings.dbt_target
    dbt_parse.start_parse(target, settings.dbt_vars_json())
    first = dbt_parse._started[target]
    dbt_parse.start_parse(target, settings.dbt_vars_json())  # make run asks again once it knows a run is needed
    assert dbt_parse._started[target] is first
    dbt_parse.wait_for_parse(target)
    assert first.returncode == 0
    assert target not in dbt_parse._started
    assert (target / "partial_parse.msgpack").is_file()
    # parsed with the run's own vars: the raw sources read this data directory's Parquet
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    assert str(tmp_path / "raw" / "commentary" / "*.parquet") in json.dumps(manifest["sources"])


def test_waiting_without_a_parse_returns_at_once(tmp_path) -> None:
    dbt_parse.wait_for_parse(tmp_path / "dbt_target")


def _setup_environment(monkeypatch, data_dir) -> PipelineSettings:
    for name, value in {"VC_DATA_DIR": str(data_dir), "VC_AS_OF_DATE": "", "VC_WAREHOUSE": "duckdb",
                        "VC_REPORT_LANGUAGE": "sv"}.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    return PipelineSettings(data_dir=str(data_dir), as_of_date="", warehouse="duckdb")


def _invocations(log: str) -> list[str]:
    """dbt.log's sections, one per dbt command, oldest first."""
    return [part for part in log.split("=" * 30) if "Running with dbt" in part]


def test_make_setups_parse_is_the_first_runs_parse(tmp_path, monkeypatch) -> None:
    settings = _setup_environment(monkeypatch, tmp_path / "data")
    manifest = tmp_path / "manifest" / "manifest.json"
    assert dbt_parse.parse_for_setup(manifest) == 0
    target = settings.dbt_target
    assert manifest.read_bytes() == (target / "manifest.json").read_bytes()
    # the run's own parse, with the vars and environment the build gets, finds nothing to parse again
    dbt_parse.start_parse(target, settings.dbt_vars_json())
    dbt_parse.wait_for_parse(target)
    setup_parse, run_parse = _invocations((target / "dbt.log").read_text(encoding="utf-8"))
    assert "Starting full parse" in setup_parse
    assert "Starting full parse" not in run_parse
    assert "Nothing changed, skipping partial parsing" in run_parse


def test_make_setup_leaves_a_running_pipelines_target_alone(tmp_path, monkeypatch) -> None:
    settings = _setup_environment(monkeypatch, tmp_path / "data")
    manifest = tmp_path / "manifest" / "manifest.json"
    hold = (  # a run in another process holds the data directory's writer lock
        "import sys; from pathlib import Path; from orchestration.resources import writer_lock; "
        f"lock = writer_lock(Path({str(settings.data.root)!r})); lock.acquire(); print('held', flush=True); "
        "sys.stdin.read()"
    )
    holder = subprocess.Popen([sys.executable, "-c", hold], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert dbt_parse.parse_for_setup(manifest) == 0
    finally:
        holder.communicate("")
    assert manifest.is_file()
    assert not settings.dbt_target.exists()
