"""dbt's parse ahead of the build: one per run and target folder, done before the build reads its result."""

from __future__ import annotations

import json

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
