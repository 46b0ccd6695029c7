"""Whether a run would change anything, decided before it is launched, from what Dagster recorded.

A run of the pipeline always builds the whole graph. It is not launched at all when every part is current:

* landing holds no file the archive lacks, and every archived file has been ingested;
* each source's raw data (the set of its ingested deliveries) is the data version its last ingest recorded;
* the warehouse holds a published build (on PostgreSQL: the build's tables, not only a file);
* every dbt model and seed was materialized with its present code version, as-of date and warehouse, from inputs
  whose data versions are still the current ones (Dagster records the code version and the inputs' data versions
  with each materialization: `dg.DataProvenance`);
* the quarter's workbook in this language was published from the current report models, with the present
  report code, and is still there.

An asset added downstream of the report (the delivery step) runs with every launched run; a message it could not
send stays in the outbox, and a pending message is itself a reason to launch (the next run sends it).

So an unchanged rerun records nothing in the asset catalog (no materialization, no check evaluation) and says
"unchanged". A run that is launched does all of its work: its checks and dbt tests come from this very build.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

import dagster as dg

from orchestration.lib.ingest_factory import raw_data_version
from orchestration.lib.quarters import quarter_to_partition_key
from orchestration.resources import PipelineSettings
from reports.delivery import Outbox
from sources.lib.contract import SourceContract
from sources.lib.ingest import landing_files, sha256_of
from sources.lib.paths import DataDir
from warehouse.read import is_published

REPORT_KEY = dg.AssetKey("quarterly_report")
DATA_VERSION_TAG = "dagster/data_version"
# on every dbt and report materialization: the date the warehouse was built as of, and which warehouse it is
AS_OF_METADATA = "as_of_date"
WAREHOUSE_METADATA = "warehouse"


def build_metadata(settings: PipelineSettings) -> dict[str, dg.MetadataValue]:
    """What a dbt or report materialization records of the build besides its code: a rerun with another as-of date
    or against another warehouse (VC_WAREHOUSE, another server or database) is not the same build."""
    return {
        AS_OF_METADATA: dg.MetadataValue.text(settings.as_of()),
        WAREHOUSE_METADATA: dg.MetadataValue.text(json.dumps(settings.warehouse_target().describe(), sort_keys=True)),
    }


def pending_deliveries(contracts: Iterable[SourceContract], data: DataDir) -> list[str]:
    """Files in landing that are not archived yet, and archived files not ingested yet (a run died between)."""
    pending = []
    for contract in contracts:
        archive = data.archive(contract.name)
        for path in landing_files(contract, data):
            if not (archive / f"{sha256_of(path)}.json").exists():
                pending.append(f"{contract.name}/{path.name}")
        for meta in archive.glob("*.json"):
            if not (data.deliveries / f"{contract.name}__{meta.stem}.parquet").exists():
                pending.append(f"{contract.name}/{meta.stem[:12]}… (archived, not ingested)")
    return pending


def _data_version(entry: dg.EventLogEntry | None) -> str | None:
    if entry is None or entry.asset_materialization is None:
        return None
    return (entry.asset_materialization.tags or {}).get(DATA_VERSION_TAG)


def _provenance_reason(
    key: dg.AssetKey,
    entry: dg.EventLogEntry,
    code_version: str | None,
    build: Mapping[str, dg.MetadataValue],
    current: Mapping[dg.AssetKey, str | None],
) -> str | None:
    materialization = entry.asset_materialization
    assert materialization is not None
    provenance = dg.DataProvenance.from_tags(materialization.tags or {})
    name = key.to_user_string()
    if provenance is None or provenance.code_version != code_version:
        return f"{name}: its code changed"
    for label, wanted in build.items():
        recorded = materialization.metadata.get(label)
        if recorded is None or recorded.value != wanted.value:
            was = recorded.value if recorded else "?"
            return f"{name}: built with {label} {was}, now {wanted.value}"
    for parent, version in provenance.input_data_versions.items():
        if parent in current and current[parent] is not None and current[parent] != version.value:
            return f"{name}: {parent.to_user_string()} changed since it was built"
    return None


def stale_reasons(
    instance: dg.DagsterInstance,
    repository: dg.RepositoryDefinition,
    settings: PipelineSettings,
    quarter: str,
    contracts: list[SourceContract] | None = None,
) -> list[str]:
    """Why a run for `quarter` would change something; empty when it would not. Stops at the first part found
    out of date (what is downstream of it is then out of date too)."""
    from orchestration.defs.ingest import CONTRACTS
    from orchestration.defs.transform import warehouse_dbt_assets

    contracts = CONTRACTS if contracts is None else contracts
    data = settings.data
    if pending := pending_deliveries(contracts, data):
        return [f"new delivery: {name}" for name in pending]
    if unsent := Outbox(data.root).pending():
        return [f"mail not sent yet: {record['subject']}" for record in unsent]
    if not is_published(settings.warehouse_target()):
        return [f"the warehouse ({settings.warehouse_target().label()}) holds no published build"]
    graph = repository.asset_graph
    keys = [k for k in graph.get_all_asset_keys() if graph.get(k).is_materializable and k != REPORT_KEY]
    latest = instance.get_latest_materialization_events(keys)
    current = {k: _data_version(latest.get(k)) for k in keys}
    for contract in contracts:
        key = dg.AssetKey(["raw", contract.name])
        if current.get(key) != raw_data_version(contract, data).value:
            return [f"{key.to_user_string()}: its deliveries are not all built into the warehouse"]
    build = build_metadata(settings)
    for key in sorted(warehouse_dbt_assets.keys, key=lambda k: k.to_user_string()):
        entry = latest.get(key)
        if entry is None:
            return [f"{key.to_user_string()}: never built"]
        if reason := _provenance_reason(key, entry, graph.get(key).code_version, build, current):
            return [reason]
    published = latest_report(instance, quarter, settings.report_language)
    if published is None:
        return [f"the {quarter} workbook ({settings.report_language}) is not published yet"]
    path = published.asset_materialization.metadata.get("path")
    if path is None or not Path(str(path.value)).is_file():
        return [f"the published {quarter} workbook is missing"]
    reason = _provenance_reason(REPORT_KEY, published, graph.get(REPORT_KEY).code_version, build, current)
    return [reason] if reason else []


def latest_report(instance: dg.DagsterInstance, quarter: str, language: str) -> dg.EventLogEntry | None:
    """The quarter's last report materialization in this language (it published a revision or found it unchanged)."""
    records = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=REPORT_KEY, asset_partitions=[quarter_to_partition_key(quarter)]),
        limit=50,
        ascending=False,
    ).records
    for record in records:
        m = record.event_log_entry.asset_materialization
        if m is not None and (lang := m.metadata.get("language")) is not None and lang.value == language:
            return record.event_log_entry
    return None


def latest_report_path(instance: dg.DagsterInstance, quarter: str, language: str) -> str:
    """Where the quarter's last report in this language was published ('?' when none is on record)."""
    entry = latest_report(instance, quarter, language)
    return str(entry.asset_materialization.metadata["path"].value) if entry else "?"
