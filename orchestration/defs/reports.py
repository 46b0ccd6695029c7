"""The quarterly workbook: a partitioned asset, the job that builds everything for a quarter, its schedule."""

import datetime as dt

import dagster as dg

from orchestration.lib.gates import failed_blocking_checks
from orchestration.lib.locking import step_lock
from orchestration.lib.quarters import (
    last_closed_quarter,
    partition_key_to_quarter,
    quarter_to_partition_key,
    quarterly_partitions,
)
from orchestration.lib.settings import dbt_target_dir, report_language
from reports.data import load_report_data
from reports.publish import publish_report
from sources.expectations import results_dir
from sources.paths import DataDir
from warehouse import Warehouse

RPT_MODELS = [
    "rpt_build_info",
    "rpt_quarterly_summary",
    "rpt_source_files",
    "rpt_source_vintages",
    "rpt_indicator_trends",
    "rpt_emissions_pathway",
    "rpt_municipality_annex",
    "rpt_funding_annex",
    "rpt_data_quality",
    "rpt_method_indicators",
]


@dg.asset(
    key="quarterly_report",
    group_name="publish",
    partitions_def=quarterly_partitions,
    deps=[dg.AssetKey(["reports", m]) for m in RPT_MODELS],
    pool="duckdb",
    kinds={"excel"},
    description="The quarterly indicator workbook, published write-audit-publish to $VC_DATA_DIR/reports/<YYYY>Q<n>/.",
)
def quarterly_report(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    # reads the warehouse: not while another process's run rebuilds it (DuckDB would refuse the connection)
    with step_lock(DataDir.current().root, context.log):
        return _publish_quarter(context)


def _publish_quarter(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    failed = failed_blocking_checks(context)
    if failed:
        # dbt's own tests are evaluated by the dbt step, after its models are built: the publisher is the last gate
        raise dg.Failure(
            description="not published: checks at error severity failed in this run: " + "; ".join(failed),
            allow_retries=False,
        )
    quarter = partition_key_to_quarter(context.partition_key)
    data_dir = DataDir.current()
    run_results = dbt_target_dir(data_dir.root) / "run_results.json"
    report = load_report_data(Warehouse.current(data_dir), quarter, run_results, results_dir(data_dir))
    result = publish_report(report, data_dir.reports, report_language(), dt.datetime.now(dt.UTC).date())
    context.log.info(f"report {quarter}: {result.status} {result.file_name} (sha256 {result.sha256[:12]})")
    return dg.MaterializeResult(
        metadata={
            "status": result.status,
            "file": result.file_name,
            "path": dg.MetadataValue.path(str(result.path)),
            "revision": result.revision,
            "sha256": result.sha256,
            "revision_note": result.revision_note,
            "demo_data": report.is_demo,
        }
    )


quarterly_pipeline = dg.define_asset_job(
    "quarterly_pipeline",
    selection=dg.AssetSelection.all(),
    description="Ingest every source, build and test the warehouse, publish the quarter's workbook.",
)


@dg.schedule(job=quarterly_pipeline, cron_schedule="0 6 2 1,4,7,10 *", execution_timezone="Europe/Stockholm")
def publish_last_closed_quarter(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """On the 2nd of each quarter's first month at 06:00, publish the quarter that just closed."""
    today = (context.scheduled_execution_time or dt.datetime.now(dt.UTC)).date()
    quarter = last_closed_quarter(today)
    return dg.RunRequest(run_key=f"publish-{quarter}", partition_key=quarter_to_partition_key(quarter))
