"""The code location: every asset, check, job and schedule of the warehouse."""

from __future__ import annotations

import dagster as dg

from orchestration.defs.executors import pipeline_executor
from orchestration.defs.ingest import ingest_assets
from orchestration.defs.quality import source_checks
from orchestration.defs.reports import publish_last_closed_quarter, quarterly_pipeline, quarterly_report
from orchestration.defs.sensors import landing_files_sensor
from orchestration.defs.transform import dbt_resource, warehouse_dbt_assets

defs = dg.Definitions(
    assets=[*ingest_assets, warehouse_dbt_assets, quarterly_report],
    asset_checks=[source_checks],
    jobs=[quarterly_pipeline],
    schedules=[publish_last_closed_quarter],
    sensors=[landing_files_sensor],
    resources={"dbt": dbt_resource},
    # in the run's process, or on Celery workers with VC_EXECUTOR=celery (orchestration.defs.executors)
    executor=pipeline_executor(),
)
