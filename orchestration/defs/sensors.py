"""A sensor on the landing folders: a new or changed file runs the quarterly pipeline for the last closed quarter.

A tick lists the landing folders (name, size and modification time of each file; no DuckDB). The cursor keeps
one digest per source; when one changed, the files are hashed to see whether any is a new delivery (a file
touched or copied again with the same bytes is not), and only then is a run requested. A file modified in the
last SETTLE_SECONDS is still being written (a copy, an upload) and waits a tick.

The run is the whole job, exactly what `make run` launches: every report model reads more than the changed
source (the deliveries, the data quality of every source), so a run that publishes builds all of them.
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
from orchestration.lib.up_to_date import stale_reasons
from orchestration.resources import PipelineSettings
from sources.lib.contract import SourceContract
from sources.lib.ingest import landing_files
from sources.lib.paths import DataDir

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


def landing_run_request(changed: list[str], digests: dict[str, str], quarter: str) -> dg.RunRequest:
    """The run a change in landing asks for: the whole job for the quarter, keyed by what landing holds."""
    run_key = "landing-" + hashlib.sha256(json.dumps({n: digests[n] for n in changed}).encode()).hexdigest()[:16]
    return dg.RunRequest(
        run_key=run_key,
        partition_key=quarter_to_partition_key(quarter),
        tags={"vc/trigger": "landing", "vc/sources": ",".join(changed), "vc/quarter": quarter},
    )


@dg.sensor(
    job=quarterly_pipeline,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="New files in <data dir>/landing/<source>/ run the quarterly pipeline for the last closed quarter.",
)
def landing_files_sensor(
    context: dg.SensorEvaluationContext, settings: PipelineSettings
) -> dg.SensorResult | dg.SkipReason:
    data = settings.data
    digests, settling = landing_state(data, CONTRACTS, time.time())
    changed, cursor = changed_sources(context.cursor, digests)
    if settling:
        context.log.info(f"still being written, next tick: {settling}")
    if not changed:
        return dg.SkipReason("no new or changed files in landing")
    quarter = last_closed_quarter(dt.datetime.now(dt.UTC).date())
    new_cursor = json.dumps(cursor, sort_keys=True)
    if not stale_reasons(context.instance, context.repository_def, settings, quarter):
        return dg.SensorResult(
            skip_reason=f"files changed in {', '.join(changed)}, no new delivery: the {quarter} workbook is current",
            cursor=new_cursor,
        )
    return dg.SensorResult(run_requests=[landing_run_request(changed, digests, quarter)], cursor=new_cursor)
