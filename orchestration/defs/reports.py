"""The quarterly workbook: a partitioned asset, the job that builds everything for a quarter, its schedule."""

import datetime as dt
import hashlib

import dagster as dg

from orchestration.defs.freshness import source_freshness
from orchestration.lib.quarters import (
    last_closed_quarter,
    partition_key_to_quarter,
    quarter_to_partition_key,
    quarterly_partitions,
)
from orchestration.lib.up_to_date import build_metadata, stale_reasons
from orchestration.resources import PipelineSettings, WriterLock
from reports.data import load_report_data
from reports.publish import publish_report
from sources.lib.contract import discover_contracts
from sources.lib.expectations import results_dir
from sources.lib.paths import REPO_ROOT

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
    "rpt_source_freshness",
    "rpt_emissions_by_sector",
    "rpt_indicator_data",
    "rpt_funding_reconciliation",
]
JOB_NAME = "quarterly_pipeline"


def _report_code_version() -> str:
    """What shapes the workbook besides the warehouse: the reports package (but the audit tools beside it), how it
    reads either warehouse (warehouse/read.py, and the engine its manifest names), and the contracts whose checks its
    data-quality sheet lists."""
    package = [p for p in sorted((REPO_ROOT / "reports").glob("*.py")) if p.name not in ("verify.py", "trace.py")]
    reading = [REPO_ROOT / "warehouse" / "__init__.py", REPO_ROOT / "warehouse" / "read.py"]
    files = package + reading + [c.folder / "source.yaml" for c in discover_contracts()]
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:24]


@dg.asset(
    key="quarterly_report",
    group_name="publish",
    partitions_def=quarterly_partitions,
    deps=[dg.AssetKey(["reports", m]) for m in RPT_MODELS],
    code_version=_report_code_version(),
    kinds={"excel"},
    description="The quarterly indicator workbook, published write-audit-publish to <data dir>/reports/<YYYY>Q<n>/. "
    "Its data version is the workbook's SHA-256: a rebuild identical to the published revision publishes nothing.",
)
def quarterly_report(
    context: dg.AssetExecutionContext, settings: PipelineSettings, writer_lock: WriterLock
) -> dg.MaterializeResult:
    quarter = partition_key_to_quarter(context.partition_key)
    data = settings.data
    report = load_report_data(
        settings.warehouse_target(), quarter, settings.dbt_target / "run_results.json", results_dir(data)
    )
    result = publish_report(report, data.reports, settings.report_language, settings.publication_date())
    context.log.info(f"report {quarter}: {result.status} {result.file_name} (sha256 {result.sha256[:12]})")
    return dg.MaterializeResult(
        data_version=dg.DataVersion(result.sha256),
        metadata={
            "status": result.status,
            "file": result.file_name,
            "path": dg.MetadataValue.path(str(result.path)),
            "revision": result.revision,
            "sha256": result.sha256,
            "revision_note": result.revision_note,
            "language": settings.report_language,
            **build_metadata(settings),
            "demo_data": report.is_demo,
        },
    )


quarterly_pipeline = dg.define_asset_job(
    JOB_NAME,
    # the freshness of deliveries is checked on its own schedule (orchestration.defs.freshness), not at each run
    selection=dg.AssetSelection.all() - dg.AssetSelection.checks(source_freshness),
    description="Ingest every source, check it, build and test the warehouse, publish the quarter's workbook. "
    "Every run builds the whole graph: a run is launched only when something changed (see the schedule and sensor).",
)


@dg.schedule(job=quarterly_pipeline, cron_schedule="0 6 2 1,4,7,10 *", execution_timezone="Europe/Stockholm")
def publish_last_closed_quarter(
    context: dg.ScheduleEvaluationContext, settings: PipelineSettings
) -> dg.RunRequest | dg.SkipReason:
    """On the 2nd of each quarter's first month at 06:00, publish the quarter that just closed (unless that
    workbook is already published from the current data and code)."""
    today = (context.scheduled_execution_time or dt.datetime.now(dt.UTC)).date()
    quarter = last_closed_quarter(today)
    reasons = stale_reasons(context.instance, context.repository_def, settings, quarter)
    if not reasons:
        return dg.SkipReason(f"unchanged: the {quarter} workbook is published from the current data and code")
    return dg.RunRequest(
        run_key=f"publish-{quarter}", partition_key=quarter_to_partition_key(quarter), tags={"vc/why": reasons[0]}
    )
