"""The dbt project as Dagster assets; dbt tests (source tests too) become asset checks."""

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration.lib.settings import DBT_MANIFEST, DBT_PROJECT_DIR, as_of_date, dbt_target_dir
from sources.paths import DataDir

if not DBT_MANIFEST.exists():
    raise RuntimeError(
        f"{DBT_MANIFEST} is missing: run `make setup` (it runs `dbt parse`) before loading the definitions"
    )


class WarehouseTranslator(DagsterDbtTranslator):
    def get_group_name(self, dbt_resource_props: dict[str, Any]) -> str | None:
        # staging / marts / reports, as the folders under models/ say
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if dbt_resource_props["resource_type"] == "model" and len(fqn) > 2 else "reference"


translator = WarehouseTranslator(
    settings=DagsterDbtTranslatorSettings(enable_asset_checks=True, enable_source_tests_as_checks=True)
)


@dbt_assets(manifest=DBT_MANIFEST, dagster_dbt_translator=translator, pool="duckdb")
def warehouse_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
    data = DataDir.current()
    os.environ["VC_DATA_DIR"] = str(data.root)  # profiles.yml and the sources read it
    args = ["build"]
    if as_of_date():
        args += ["--vars", json.dumps({"as_of_date": as_of_date()})]
    yield from dbt.cli(args, context=context, target_path=dbt_target_dir(data.root)).stream()


dbt_resource = DbtCliResource(
    project_dir=os.fspath(DBT_PROJECT_DIR),
    profiles_dir=os.fspath(DBT_PROJECT_DIR),
    # the dbt of this interpreter's environment, also when the venv is not on PATH
    dbt_executable=os.fspath(Path(sys.executable).with_name("dbt")),
)
