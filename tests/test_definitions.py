"""The code location loads, and its graph holds every source, the dbt models and the report."""

from pathlib import Path

from dagster import AssetKey

from orchestration.definitions import defs
from orchestration.lib.quarters import last_closed_quarter, partition_key_to_quarter, quarter_to_partition_key
from sources.lib.contract import discover_contracts


def test_every_source_dbt_model_and_the_report_are_assets() -> None:
    keys = defs.resolve_asset_graph().get_all_asset_keys()
    for contract in discover_contracts():
        assert AssetKey(["raw", contract.name]) in keys
    for model in ["staging/stg_funding_ledger__records", "marts/fct_indicator_values", "reports/rpt_quarterly_summary"]:
        assert AssetKey(model.split("/")) in keys
    assert AssetKey("quarterly_report") in keys


def test_every_source_feeds_its_staging_model_in_the_lineage() -> None:
    graph = defs.resolve_asset_graph()
    for contract in discover_contracts():
        children = graph.get(AssetKey(["raw", contract.name])).child_keys
        assert any(key.path[0] == "staging" for key in children), f"raw/{contract.name} feeds no staging model"


def test_dbt_tests_and_ingest_checks_are_asset_checks() -> None:
    graph = defs.resolve_asset_graph()
    checks = {(k.asset_key.to_user_string(), k.name) for k in graph.asset_check_keys}
    contracts = discover_contracts()
    assert {("raw/" + c.name, "newest_delivery_readable") for c in contracts} <= checks
    assert any(a == "marts/fct_indicator_values" and n.startswith("unique_combination") for a, n in checks)
    # great-expectations checks what a source's source.yaml declares, once per source that declares something
    with_expectations = {c.name for c in contracts if c.expectations}
    assert "funding_ledger" in with_expectations and "cordis_projects" not in with_expectations
    assert {a.removeprefix("raw/") for a, n in checks if n == "expectations"} == with_expectations
    # no dbt test on a raw source: ingest guarantees what they checked (every row's lineage) by construction
    assert not [(a, n) for a, n in checks if a.startswith("raw/") and n.startswith("source_")]
    assert len(checks) >= 50


def test_raw_checks_block_and_every_dbt_asset_has_a_code_version() -> None:
    from orchestration.defs.quality import source_checks
    from orchestration.defs.transform import warehouse_dbt_assets

    # the expectations block; a newest delivery that cannot be read blocks only where the contract says the
    # source's absence makes the report wrong (sources/lib/state.py): elsewhere the figures show as missing instead
    blocks = {c.name: c.delivery.blocks_publishing for c in discover_contracts()}
    for spec in source_checks.check_specs:
        source = spec.asset_key.path[-1]
        assert spec.blocking == (blocks[source] if spec.name == "newest_delivery_readable" else True), spec.key
    assert any(blocks.values()) and not all(blocks.values())
    versions = warehouse_dbt_assets.code_versions_by_key
    assert versions and all(versions.values())


def test_the_job_selects_every_asset_and_new_assets_join_it() -> None:
    """The job is the whole graph (a delivery step added later is in it without editing the job)."""
    job = defs.resolve_job_def("quarterly_pipeline")
    graph = defs.resolve_asset_graph()
    in_job = set(job.asset_layer.executable_asset_keys)
    assert in_job == {k for k in graph.get_all_asset_keys() if graph.get(k).is_materializable}


def test_job_schedule_and_quarterly_partitions() -> None:
    job = defs.resolve_job_def("quarterly_pipeline")
    assert job.partitions_def is not None
    schedule = defs.resolve_schedule_def("publish_last_closed_quarter")
    assert schedule.cron_schedule == "0 6 2 1,4,7,10 *"
    assert quarter_to_partition_key("2025Q2") == "2025-04-01"
    assert partition_key_to_quarter("2025-10-01") == "2025Q4"
    assert job.partitions_def.get_partition_keys()[0] == "2019-01-01"


def test_last_closed_quarter() -> None:
    import datetime as dt

    assert last_closed_quarter(dt.date(2026, 11, 26)) == "2026Q3"
    assert last_closed_quarter(dt.date(2026, 1, 2)) == "2025Q4"
    assert last_closed_quarter(dt.date(2026, 4, 1)) == "2026Q1"


def test_schedule_requests_the_last_closed_quarter(tmp_path: Path) -> None:
    import datetime as dt

    from dagster import build_schedule_context, instance_for_test

    from orchestration.resources import PipelineSettings

    schedule = defs.resolve_schedule_def("publish_last_closed_quarter")
    with instance_for_test() as instance:
        context = build_schedule_context(
            instance=instance,
            scheduled_execution_time=dt.datetime(2026, 10, 2, 6, 0, tzinfo=dt.UTC),
            repository_def=defs.get_repository_def(),
            resources={"settings": PipelineSettings(data_dir=str(tmp_path / "var"))},
        )
        [request] = list(schedule.evaluate_tick(context).run_requests)
    assert request.partition_key == "2026-07-01"  # 2026Q3
    assert request.asset_selection is None  # the whole job


def test_every_run_holds_the_data_directory_and_ingest_steps_only_their_source() -> None:
    """The checks, dbt, the report and the delivery ask for the writer lock, so an in-process run (its resources
    initialised once, before the first step) holds it from its first step to its last. The ingest steps ask only
    for their source's lock: on Celery workers, where each step initialises its own resources, they run side by
    side while the steps that write the warehouse still take turns."""
    from orchestration.defs.quality import source_checks

    graph_assets = [a for a in defs.assets if hasattr(a, "required_resource_keys")]
    ingest = [a for a in graph_assets if all(key.path[0] == "raw" for key in a.keys)]
    assert ingest and all("writer_lock" not in a.required_resource_keys for a in ingest)
    others = [a for a in graph_assets if a not in ingest]
    assert others and all("writer_lock" in a.required_resource_keys for a in others)
    assert "writer_lock" in source_checks.required_resource_keys
