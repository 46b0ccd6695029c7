"""Freshness of deliveries: a check `delivery_on_time` on each source's raw asset, evaluated by `dbt source
freshness`, in a job of its own that a schedule runs every morning.

Why dbt source freshness and not Dagster's FreshnessPolicy: a FreshnessPolicy measures when an asset was last
materialized, and the ingest asset materializes at every run, new file or not, so it would call a source fresh
because the pipeline ran. What matters is when the publisher last delivered: the newest `vintage_at` of the raw
rows, which is dbt's `loaded_at_field`. Each dbt source's `freshness.warn_after` is the contract's cadence plus its
grace (sources/lib/cadence.py; tests/unit/test_freshness.py keeps the two equal), and the workbook's cover and
data-quality sheet show the same rule at the build's as-of date (rpt_source_freshness reads the same config).

A late source is a warning, never a reason to stop publishing: the report says which vintage it uses.
"""

import json

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.lib.dbt_project import DBT_MANIFEST
from orchestration.resources import PipelineSettings, WriterLock

CHECK_NAME = "delivery_on_time"
FRESHNESS_TARGET = "dbt_freshness_target"  # in the data directory: never the build's own target (run_results.json)


def _sources_with_freshness() -> dict[str, dict[str, object]]:
    """dbt source unique id -> its raw asset's source name and its warn_after, from the dbt manifest."""
    manifest = json.loads(DBT_MANIFEST.read_text(encoding="utf-8"))
    found = {}
    for uid, node in manifest.get("sources", {}).items():
        config = node.get("config", {})
        warn_after = (config.get("freshness") or {}).get("warn_after") or {}
        asset_key = config.get("meta", {}).get("dagster", {}).get("asset_key")
        if warn_after.get("count") and asset_key:
            selector = f"source:{node['source_name']}.{node['name']}"
            found[uid] = {"source": asset_key[-1], "warn_after": warn_after, "selector": selector}
    return dict(sorted(found.items()))


SOURCES = _sources_with_freshness()


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec(
            CHECK_NAME,
            asset=dg.AssetKey(["raw", str(s["source"])]),
            description=f"The next delivery is due {s['warn_after']['count']} {s['warn_after']['period']}s after "  # type: ignore[index]
            "the newest accepted one (the contract's cadence and grace; dbt source freshness on vintage_at).",
        )
        for s in SOURCES.values()
    ],
    can_subset=True,
    # not the job's name: with a non-default executor (Celery) Dagster checks that op and job names differ
    name="dbt_source_freshness",
)
def source_freshness(
    context: dg.AssetCheckExecutionContext, dbt: DbtCliResource, settings: PipelineSettings, writer_lock: WriterLock
):
    data = settings.data
    selected = {key.asset_key.path[-1] for key in context.selected_asset_check_keys}
    chosen = [s for s in SOURCES.values() if s["source"] in selected]
    target = data.root / FRESHNESS_TARGET
    (target / "sources.json").unlink(missing_ok=True)  # never the result of an earlier invocation
    # one --select of space-separated selectors: dbt's union of them; the data directory and as-of date as vars
    args = ["source", "freshness", "--select", " ".join(str(s["selector"]) for s in chosen)]
    args += ["--vars", settings.dbt_vars_json()]
    invocation = dbt.cli(args, target_path=target, raise_on_error=False).wait()
    if not (target / "sources.json").exists():  # dbt could not run at all (a late source still writes its result)
        raise dg.Failure(
            description=f"dbt source freshness wrote no results: {invocation.get_error() or 'see the dbt log'}"
        )
    results = {r["unique_id"]: r for r in json.loads((target / "sources.json").read_text(encoding="utf-8"))["results"]}
    for uid, source in SOURCES.items():
        if source["source"] not in selected:
            continue
        result = results.get(uid, {})
        status = str(result.get("status", "runtime error"))
        latest = str(result.get("max_loaded_at") or "")
        never = not latest or latest.startswith("0001-")  # an empty raw table: no delivery yet
        yield dg.AssetCheckResult(
            asset_key=dg.AssetKey(["raw", str(source["source"])]),
            check_name=CHECK_NAME,
            passed=status == "pass",
            severity=dg.AssetCheckSeverity.WARN,
            metadata={
                "status": "missing" if never else status,
                "latest_delivery": "none" if never else latest,
                "due_after": f"{source['warn_after']['count']} {source['warn_after']['period']}",  # type: ignore[index]
                "checked_at": str(result.get("snapshotted_at", "")),
            },
        )


source_freshness_job = dg.define_asset_job(
    "source_freshness",
    selection=dg.AssetSelection.checks(source_freshness),
    description="dbt source freshness of every delivery (the checks delivery_on_time); changes no data.",
)


@dg.schedule(job=source_freshness_job, cron_schedule="0 7 * * *", execution_timezone="Europe/Stockholm")
def check_deliveries_every_morning(_context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """Every morning at 07:00: is a delivery late? (The check turns yellow in the UI; the workbook says it too.)"""
    return dg.RunRequest()
