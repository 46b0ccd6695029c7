"""The dbt project as Dagster assets; dbt tests become asset checks.

Raw data is checked before dbt by each source's great-expectations suite (orchestration.defs.quality, blocking):
the contract's columns, key and rules; the dbt step builds nothing when one failed (orchestration.lib.gates). The
dbt sources test only what ingest adds, the file lineage of every row (source_file_sha256 not null).
"""

import datetime as dt
import hashlib
import json
import os
import shutil
import sys
from collections.abc import Iterator
from graphlib import TopologicalSorter
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration.lib.dbt_cli import WarehouseDbtCli
from orchestration.lib.gates import failed_blocking_checks
from orchestration.lib.locking import step_lock
from orchestration.lib.settings import DBT_BUILD, DBT_MANIFEST, DBT_PROJECT_DIR, as_of_date, dbt_target_dir
from orchestration.lib.warehouse_load import load_raw
from sources.ingest import release_memory
from sources.paths import DataDir
from warehouse import Warehouse
from warehouse.read import is_published

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


BUILD_STATE = "warehouse.state.json"  # in the data directory: what the warehouse was last fully built from
_CODE_PARTS = ["models", "seeds", "macros", "tests", "dbt_project.yml", "profiles.yml"]


def _digest_files(paths: list[Path], root: Path, content: bool) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        stat = path.stat()
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes() if content else f"{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def build_fingerprint(data: DataDir) -> dict[str, str]:
    """What a dbt build reads: the project's code, every raw and quarantine Parquet (name, size, time; ingest
    writes each once, by content hash), the as-of date and the warehouse's place."""
    code = [
        p
        for part in _CODE_PARTS
        for p in (
            [DBT_PROJECT_DIR / part] if (DBT_PROJECT_DIR / part).is_file() else (DBT_PROJECT_DIR / part).rglob("*")
        )
        if p.is_file()
    ]
    inputs = [*data.root.glob("raw/*/*.parquet"), *data.root.glob("quarantine/*/*.parquet")]
    return {
        "code": _digest_files(code, DBT_PROJECT_DIR, content=True),
        "inputs": _digest_files(inputs, data.root, content=False),
        "as_of_date": as_of_date() or dt.datetime.now(dt.UTC).date().isoformat(),
        "data_dir": str(data.root),
        "warehouse": json.dumps(Warehouse.current(data).describe(), sort_keys=True),
    }


def warehouse_is_current(data: DataDir, fingerprint: dict[str, str]) -> bool:
    state = data.root / BUILD_STATE
    if not (state.exists() and (dbt_target_dir(data.root) / "run_results.json").exists()):
        return False
    if not is_published(Warehouse.current(data)):
        return False
    try:
        return json.loads(state.read_text(encoding="utf-8")) == fingerprint
    except (OSError, ValueError):
        return False


def _seed_partial_parse(target: Path) -> None:
    """A fresh data directory starts from the manifest `make setup` parsed: dbt parses only what differs."""
    source = DBT_MANIFEST.with_name("partial_parse.msgpack")
    if source.exists() and not (target / source.name).exists():
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target / source.name)


def _previous_check_results(context: dg.AssetExecutionContext, run_results: Path) -> Iterator[dg.AssetCheckResult]:
    """The dbt tests' outcomes of the build that made this very warehouse, so blocking checks still gate."""
    results = json.loads(run_results.read_text(encoding="utf-8")).get("results", [])
    status = {r["unique_id"].split(".")[2]: r["status"] for r in results if r["unique_id"].split(".")[0] == "test"}
    for key in context.selected_asset_check_keys:
        if key.name in status:
            yield dg.AssetCheckResult(
                asset_key=key.asset_key,
                check_name=key.name,
                passed=status[key.name] == "pass",
                severity=dg.AssetCheckSeverity.WARN if status[key.name] == "warn" else dg.AssetCheckSeverity.ERROR,
                metadata={"result": f"{status[key.name]} (the build of the unchanged warehouse)"},
            )


@dbt_assets(manifest=DBT_MANIFEST, dagster_dbt_translator=translator, pool="duckdb")
def warehouse_dbt_assets(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
    # A run of this data directory in another process (not through `make run`): wait, or dbt fails on DuckDB's lock
    with step_lock(DataDir.current().root, context.log):
        yield from _build_warehouse(context, dbt)


def _build_warehouse(context: dg.AssetExecutionContext, dbt: DbtCliResource) -> Iterator[Any]:
    if failed := failed_blocking_checks(context):  # see orchestration.lib.gates: Dagster would not stop this step
        raise dg.Failure(
            description="warehouse not built: checks at error severity failed in this run: " + "; ".join(failed),
            allow_retries=False,
        )
    data = DataDir.current()
    os.environ["VC_DATA_DIR"] = str(data.root)  # profiles.yml and the sources read it
    raw_changed = load_raw(data, context.log)  # PostgreSQL: the raw schema first (orchestration.lib.warehouse_load)
    fingerprint = build_fingerprint(data)
    state = data.root / BUILD_STATE
    if not raw_changed and warehouse_is_current(data, fingerprint):
        # No new delivery and no code change since the last full, successful build: the warehouse, its tests'
        # results (run_results.json) and the published figures would come out the same.
        context.log.info("warehouse up to date (same deliveries, code and as-of date): dbt build skipped")
        deps = context.assets_def.asset_deps
        order = TopologicalSorter({k: deps.get(k, set()) & context.selected_asset_keys for k in deps}).static_order()
        for key in [k for k in order if k in context.selected_asset_keys]:  # Dagster wants upstream first
            yield dg.MaterializeResult(asset_key=key, metadata={"dbt": "skipped: unchanged inputs and code"})
        yield from _previous_check_results(context, dbt_target_dir(data.root) / "run_results.json")
        return
    state.unlink(missing_ok=True)  # a build that stops half-way leaves no claim that the warehouse is current
    full = context.selected_asset_keys == context.assets_def.keys
    args = list(DBT_BUILD)
    if as_of_date():
        args += ["--vars", json.dumps({"as_of_date": as_of_date()})]
    target = dbt_target_dir(data.root)
    _seed_partial_parse(target)
    release_memory(above_mib=700)  # dbt runs beside this process: hand back what ingest and the checks freed
    yield from dbt.cli(args, context=context, target_path=target).stream()
    if full:
        tmp = state.with_name(f".{state.name}.tmp")
        tmp.write_text(json.dumps(fingerprint, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, state)


dbt_resource = WarehouseDbtCli(
    project_dir=os.fspath(DBT_PROJECT_DIR),
    profiles_dir=os.fspath(DBT_PROJECT_DIR),
    # the dbt of this interpreter's environment, also when the venv is not on PATH
    dbt_executable=os.fspath(Path(sys.executable).with_name("dbt")),
)
