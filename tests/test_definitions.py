"""The code location loads, and its graph holds every source, the dbt models and the report."""

from dagster import AssetKey

from orchestration.definitions import defs
from orchestration.lib.quarters import last_closed_quarter, partition_key_to_quarter, quarter_to_partition_key
from sources.contract import discover_contracts


def test_every_source_dbt_model_and_the_report_are_assets() -> None:
    keys = defs.resolve_asset_graph().get_all_asset_keys()
    for contract in discover_contracts():
        assert AssetKey(["raw", contract.name]) in keys
    for model in ["staging/stg_funding_ledger__records", "marts/fct_indicator_values", "reports/rpt_quarterly_summary"]:
        assert AssetKey(model.split("/")) in keys
    assert AssetKey("quarterly_report") in keys


def test_dbt_tests_and_ingest_checks_are_asset_checks() -> None:
    checks = {(k.asset_key.to_user_string(), k.name) for k in defs.resolve_asset_graph().asset_check_keys}
    assert ("raw/funding_ledger", "newest_delivery_readable") in checks
    assert any(a == "marts/fct_indicator_values" and n.startswith("unique_combination") for a, n in checks)
    # raw data is checked by great-expectations (one check per source) and its lineage by dbt source tests
    assert ("raw/funding_ledger", "expectations") in checks
    assert ("raw/funding_ledger", "source_not_null_funding_ledger_raw_source_file_sha256") in checks
    assert len(checks) >= 50


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


def test_schedule_requests_the_last_closed_quarter() -> None:
    import datetime as dt

    from dagster import build_schedule_context

    schedule = defs.resolve_schedule_def("publish_last_closed_quarter")
    context = build_schedule_context(
        scheduled_execution_time=dt.datetime(2026, 10, 2, 6, 0, tzinfo=dt.UTC), repository_def=defs.get_repository_def()
    )
    [request] = list(schedule.evaluate_tick(context).run_requests)
    assert request.partition_key == "2026-07-01"  # 2026Q3
