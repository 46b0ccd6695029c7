"""A sensor on the landing folders: a new or changed file runs its source's ingest and everything downstream.

It only lists the landing folders (name, size and modification time of each file; no hashing, no DuckDB), so a
tick is cheap. The cursor keeps one digest per source; a source whose digest changed is requested again.
A file modified in the last SETTLE_SECONDS is still being written (a copy, an upload) and waits a tick.
The run goes to the quarterly pipeline job for the last closed quarter, so the report partition that the
new data feeds is rebuilt (publishing stays write-audit-publish: an unchanged workbook is a no-op).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time

import dagster as dg

from orchestration.defs.ingest import CONTRACTS
from orchestration.defs.reports import quarterly_pipeline
from orchestration.lib.quarters import last_closed_quarter, quarter_to_partition_key
from sources.contract import SourceContract
from sources.ingest import landing_files
from sources.paths import DataDir

SETTLE_SECONDS = 30


def landing_state(
    data: DataDir, contracts: list[SourceContract], now: float
) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Per source: a digest of its settled landing files (name, size, mtime), and the files still settling."""
    digests: dict[str, str] = {}
    settling: dict[str, list[str]] = {}
    for contract in contracts:
        entries = []
        for path in landing_files(contract, data):
            stat = path.stat()
            if now - stat.st_mtime < SETTLE_SECONDS:
                settling.setdefault(contract.name, []).append(path.name)
            entries.append(f"{path.name}\0{stat.st_size}\0{stat.st_mtime_ns}")
        if entries and contract.name not in settling:
            digests[contract.name] = hashlib.sha256("\n".join(entries).encode()).hexdigest()[:20]
    return digests, settling


def changed_sources(cursor: str | None, digests: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    previous: dict[str, str] = json.loads(cursor) if cursor else {}
    changed = sorted(name for name, digest in digests.items() if previous.get(name) != digest)
    return changed, {**previous, **digests}


@dg.sensor(
    job=quarterly_pipeline,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="New files in $VC_DATA_DIR/landing/<source>/ run that source's ingest and everything downstream "
    "of it, for the last closed quarter.",
)
def landing_files_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
    data = DataDir.current()  # read VC_DATA_DIR now, not at import
    digests, settling = landing_state(data, CONTRACTS, time.time())
    changed, cursor = changed_sources(context.cursor, digests)
    if settling:
        context.log.info(f"still being written, next tick: {settling}")
    if not changed:
        return dg.SkipReason("no new or changed files in landing")
    raw_keys = [dg.AssetKey(["raw", name]) for name in changed]
    selection = dg.AssetSelection.assets(*raw_keys).downstream()
    keys = sorted(selection.resolve(context.repository_def.asset_graph), key=lambda k: k.to_user_string())
    quarter = last_closed_quarter(dt.datetime.now(dt.UTC).date())
    run_key = "landing-" + hashlib.sha256(json.dumps({n: digests[n] for n in changed}).encode()).hexdigest()[:16]
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(
                run_key=run_key,
                asset_selection=keys,
                partition_key=quarter_to_partition_key(quarter),
                tags={"vc/trigger": "landing", "vc/sources": ",".join(changed), "vc/quarter": quarter},
            )
        ],
        cursor=json.dumps(cursor, sort_keys=True),
    )
