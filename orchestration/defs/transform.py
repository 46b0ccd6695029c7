"""The dbt project as Dagster assets; dbt tests become asset checks.

Raw data reaches dbt checked: each source's blocking checks (orchestration.defs.quality) run in a step before
this one, and Dagster does not start the dbt step when one of them failed. The dbt sources carry no tests of
their own: what ingest guarantees (every row's file lineage) it guarantees by construction.

Each dbt asset's code version is its SQL and configuration with the project's shared code (macros, tests,
dbt_project.yml); Dagster records it, with the data versions of the asset's inputs, on every materialization.
That is how a run that would change nothing is recognised before it is launched (orchestration.lib.up_to_date).

On PostgreSQL the step first copies the raw Parquet into the warehouse's raw schema (orchestration.lib.warehouse_load),
where dbt's sources read it on that engine; on DuckDB dbt reads the files themselves.
"""

import os
from collections.abc import Iterator
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration.lib.dbt_cli import WarehouseDbtCli
from orchestration.lib.dbt_parse import record_parse, wait_for_parse
from orchestration.lib.dbt_project import DBT_BUILD, DBT_EXECUTABLE, DBT_MANIFEST, DBT_PROJECT_DIR, code_version
from orchestration.lib.up_to_date import build_metadata
from orchestration.lib.warehouse_load import load_raw
from orchestration.resources import PipelineSettings, WriterLock
from sources.lib.ingest import release_memory
from sources.lib.isolation import stop_servers

if not DBT_MANIFEST.exists():
    raise RuntimeError(
        f"{DBT_MANIFEST} is missing: run `make setup` (it runs `dbt parse`) before loading the definitions"
    )


class WarehouseTranslator(DagsterDbtTranslator):
    def get_group_name(self, dbt_resource_props: dict[str, Any]) -> str | None:
        # staging / marts / reports, as the folders under models/ say
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if dbt_resource_props["resource_type"] == "model" and len(fqn) > 2 else "reference"

    def get_code_version(self, dbt_resource_props: dict[str, Any]) -> str | None:
        return code_version(dbt_resource_props)


translator = WarehouseTranslator(
    settings=DagsterDbtTranslatorSettings(enable_asset_checks=True, enable_source_tests_as_checks=True)
)


@dbt_assets(manifest=DBT_MANIFEST, dagster_dbt_translator=translator)
def warehouse_dbt_assets(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, settings: PipelineSettings, writer_lock: WriterLock
) -> Iterator[Any]:
    load_raw(settings.data, settings.warehouse_target(), context.log)  # PostgreSQL: the raw schema first
    args = [*DBT_BUILD, "--vars", settings.dbt_vars_json()]
    target = settings.dbt_target
    wait_for_parse(target)  # the parse `make run` started ahead (orchestration.lib.dbt_parse), if any
    # dbt runs beside this process: the readers' and checks' servers are not needed while it does, and what ingest
    # and the checks freed goes back to the system
    stop_servers()
    release_memory(above_mib=700)
    built = build_metadata(settings)
    for event in dbt.cli(args, context=context, target_path=target).stream():
        if isinstance(event, dg.Output):
            event = event.with_metadata({**event.metadata, **built})
        yield event
    record_parse(target, settings.dbt_vars_json())  # the next run's build parses only what changed: no parse ahead


dbt_resource = WarehouseDbtCli(
    project_dir=os.fspath(DBT_PROJECT_DIR),
    profiles_dir=os.fspath(DBT_PROJECT_DIR),
    dbt_executable=os.fspath(DBT_EXECUTABLE),
)
