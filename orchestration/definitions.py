"""The code location: every asset, check, job, schedule and sensor of the warehouse, and the resources they use."""

from __future__ import annotations

import dagster as dg

from orchestration.defs.delivery import operations_on_run_failure, quarterly_delivery
from orchestration.defs.executors import pipeline_executor
from orchestration.defs.freshness import check_deliveries_every_morning, source_freshness, source_freshness_job
from orchestration.defs.ingest import ingest_assets
from orchestration.defs.quality import source_checks
from orchestration.defs.reports import publish_last_closed_quarter, quarterly_pipeline, quarterly_report
from orchestration.defs.sensors import landing_files_sensor
from orchestration.defs.transform import dbt_resource, warehouse_dbt_assets
from orchestration.resources import SETTINGS, writer_lock_resource

defs = dg.Definitions(
    assets=[*ingest_assets, warehouse_dbt_assets, quarterly_report, quarterly_delivery],
    asset_checks=[source_checks, source_freshness],
    jobs=[quarterly_pipeline, source_freshness_job],
    schedules=[publish_last_closed_quarter, check_deliveries_every_morning],
    sensors=[landing_files_sensor, operations_on_run_failure],
    resources={"dbt": dbt_resource, "settings": SETTINGS, "writer_lock": writer_lock_resource},
    # in the run's process, or on Celery workers with VC_EXECUTOR=celery (orchestration.defs.executors)
    executor=pipeline_executor(),
)
