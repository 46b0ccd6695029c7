"""dbt's parse ahead of the build: one per run and target folder, done before the build reads its result."""

from __future__ import annotations

import json
import subprocess
import sys

from orchestration.lib import dbt_parse
from orchestration.lib.dbt_project import DBT_EXECUTABLE, DBT_PROJECT_DIR
from orchestration.resources import PipelineSettings


def test_a_parse_started_twice_runs_once_and_leaves_its_partial_parse_file(tmp_path) -> None:
    settings = PipelineSettings(data_dir=str(tmp_path), as_of_date="", warehouse="duckdb")
    target = settings.dbt_target
    dbt_parse.start_parse(target, settings.dbt_vars_json())
    first, _ = dbt_parse._started[target]
    dbt_parse.start_parse(target, settings.dbt_vars_json())  # make run asks again once it knows a run is needed
    assert dbt_parse._started[target][0] is first
    dbt_parse.wait_for_parse(target)
    assert first.returncode == 0
    assert dbt_parse.parsed_with(target, settings.dbt_vars_json())
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
    # the run's settings are the parse's: the run starts no parse of its own
    dbt_parse.start_parse(target, settings.dbt_vars_json())
    assert target not in dbt_parse._started
    # and its build, with the vars and environment the parse had, parses nothing again (dagster-dbt's command)
    build = subprocess.run(
        [str(DBT_EXECUTABLE), "ls", "--quiet", "--vars", settings.dbt_vars_json(), "--select", "fct_indicator_values"],
        cwd=DBT_PROJECT_DIR, env=dbt_parse.dbt_environment(target), capture_output=True, text=True,
    )  # fmt: skip
    assert build.returncode == 0, build.stdout + build.stderr
    setup_parse, build_parse = _invocations((target / "dbt.log").read_text(encoding="utf-8"))
    assert "Starting full parse" in setup_parse
    assert "Starting full parse" not in build_parse
    assert "Nothing changed, skipping partial parsing" in build_parse


def test_other_settings_than_the_last_parses_are_parsed_ahead(tmp_path, monkeypatch) -> None:
    settings = _setup_environment(monkeypatch, tmp_path / "data")
    assert dbt_parse.parse_for_setup(tmp_path / "manifest" / "manifest.json") == 0
    target, dbt_vars = settings.dbt_target, settings.dbt_vars_json()
    assert dbt_parse.parsed_with(target, dbt_vars)
    # another as-of date is another vars hash for dbt: a whole parse
    other_day = PipelineSettings(data_dir=settings.data_dir, as_of_date="2026-06-30", warehouse="duckdb")
    assert not dbt_parse.parsed_with(target, other_day.dbt_vars_json())
    # so is another value of a variable profiles.yml reads
    monkeypatch.setenv("PGHOST", "elsewhere.example")
    assert not dbt_parse.parsed_with(target, dbt_vars)
    monkeypatch.delenv("PGHOST")
    assert dbt_parse.parsed_with(target, dbt_vars)
    # without dbt's own partial-parse file the record means nothing
    (target / "partial_parse.msgpack").unlink()
    assert not dbt_parse.parsed_with(target, dbt_vars)


def test_a_failed_parse_is_not_recorded(tmp_path) -> None:
    settings = PipelineSettings(data_dir=str(tmp_path), as_of_date="", warehouse="duckdb")
    target = settings.dbt_target
    broken = json.dumps({**settings.dbt_vars(), "warehouse": "no_such_target"}, sort_keys=True)
    dbt_parse.start_parse(target, broken)
    process, _ = dbt_parse._started[target]
    dbt_parse.wait_for_parse(target)
    assert process.returncode != 0
    assert not (target / dbt_parse.PARSED_WITH).exists()
    assert not dbt_parse.parsed_with(target, broken)


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
