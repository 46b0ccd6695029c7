"""One writer per data directory, also for runs that do not come through `make run`.

`python -m orchestration.run` holds `$VC_DATA_DIR/.pipeline.lock` for a whole run. A job executed some other way
(`dagster job execute`, a test, a second code location with its own instance) bypasses both that lock and the
instance's run queue, and DuckDB never waits for a lock: a second writer fails at once. So each step that touches
the warehouse takes the same lock, waiting for it, unless this process already holds it.

A run killed with SIGKILL cannot release what Dagster keeps in its instance: the run stays "started" and its
slot in the "duckdb" pool stays taken, and every later run would wait for that slot for ever. `release_dead_runs`
clears them; `make run` calls it while it holds the lock, when no run of its own can be alive.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

LOCK_NAME = ".pipeline.lock"
RUNNER_TAG = "vc/runner"  # on runs started by orchestration.run
RUNNER = "orchestration.run"
_held: set[Path] = set()  # data directories whose lock this process holds


def mark_held(root: Path, held: bool) -> None:
    (_held.add if held else _held.discard)(root.resolve())


@contextmanager
def step_lock(root: Path, log: Any = None) -> Iterator[None]:
    """Hold the data directory's pipeline lock for one step, waiting for another process's run to finish."""
    root = root.resolve()
    if root in _held:
        yield
        return
    path = root / LOCK_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            if log is not None:
                log.info(f"waiting for the pipeline lock of {root.name}/ ({holder})")
            fcntl.flock(fh, fcntl.LOCK_EX)
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()} since {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M:%S} UTC (one step)")
        fh.flush()
        _held.add(root)
        try:
            yield
        finally:
            _held.discard(root)
            fh.seek(0)
            fh.truncate()
            fcntl.flock(fh, fcntl.LOCK_UN)


def release_dead_runs(instance: Any) -> list[str]:
    """Mark runs of `make run` that never finished as failed and free their concurrency slots.

    Call only while holding the pipeline lock: every run started by orchestration.run held it for its whole
    life, so one that is still "started" now was killed.
    """
    import dagster as dg

    unfinished = [dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.NOT_STARTED]
    dead = {
        run.run_id: run
        for run in instance.get_runs(filters=dg.RunsFilter(statuses=unfinished, tags={RUNNER_TAG: RUNNER}))
    }
    storage = instance.event_log_storage
    holding = set(storage.get_concurrency_run_ids()) if storage.supports_global_concurrency_limits else set()
    for run_id in holding:
        run = instance.get_run_by_id(run_id)
        if run is None or run.is_finished:
            dead.setdefault(run_id, None)
    for run_id, run in dead.items():
        if run is not None:
            instance.report_run_failed(run, message="the process running it was killed; marked failed by make run")
        if run_id in holding:
            storage.free_concurrency_slots_for_run(run_id)
    return sorted(dead)
