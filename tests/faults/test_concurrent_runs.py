"""A second run while one holds the data directory: refused with exit code 3 and a clear message, or waits with
--wait; a run that a kill left "started" in Dagster's instance never blocks the next one; steps of a job executed
outside `make run` take the same lock, so DuckDB never sees two writers."""

from __future__ import annotations

import fcntl
import subprocess
import sys
import threading
import time
from pathlib import Path

import dagster as dg

from orchestration.lib.locking import RUNNER, RUNNER_TAG, mark_held, release_dead_runs, step_lock
from tests.faults.harness import REPO, start_run


def _hold(root: Path):  # type: ignore[no-untyped-def]
    root.mkdir(parents=True, exist_ok=True)
    fh = (root / ".pipeline.lock").open("a+")
    fcntl.flock(fh, fcntl.LOCK_EX)
    fh.write("pid 4242 since 2026-10-15 06:00:00 UTC")
    fh.flush()
    return fh


def test_a_second_run_is_refused_with_exit_3_and_touches_nothing(tmp_path: Path) -> None:
    root = tmp_path / "var"
    lock = _hold(root)
    try:
        started = time.monotonic()
        proc = start_run(root)
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode == 3
        assert "refused: another pipeline run (pid 4242 since 2026-10-15 06:00:00 UTC)" in out
        assert "--wait" in out
        assert time.monotonic() - started < 60
        assert not any((root / "landing").iterdir())  # the demo data is written only under the lock
    finally:
        lock.close()


def test_with_wait_a_second_run_waits_for_the_first(tmp_path: Path) -> None:
    root = tmp_path / "var"
    lock = _hold(root)
    proc = start_run(root, "--wait")
    try:
        time.sleep(6)
        assert proc.poll() is None, proc.communicate()[0]
        assert not any((root / "landing").iterdir())
    finally:
        proc.kill()
        proc.communicate(timeout=60)
        lock.close()


def test_a_killed_runs_pool_slot_and_status_are_released(tmp_path: Path) -> None:
    """The regression: a `make run` killed during dbt kept its "duckdb" pool slot in the instance, and every
    later run waited for it for ever (spinning in Dagster's step loop)."""
    home = tmp_path / "dagster"
    home.mkdir()
    (home / "dagster.yaml").write_text((REPO / "dagster.yaml").read_text())
    with dg.instance_for_test(
        temp_dir=str(home), overrides={"concurrency": {"pools": {"default_limit": 1}}}
    ) as instance:
        dead = instance.create_run_for_job(
            dg.Definitions(jobs=[_job]).resolve_job_def("one_step"),
            tags={RUNNER_TAG: RUNNER},
            status=dg.DagsterRunStatus.STARTED,
        )
        other = instance.create_run_for_job(
            dg.Definitions(jobs=[_job]).resolve_job_def("one_step"), status=dg.DagsterRunStatus.STARTED
        )  # not ours (e.g. a run of `make dev`): left alone
        storage = instance.event_log_storage
        storage.initialize_concurrency_limit_to_default("duckdb")
        claim = storage.claim_concurrency_slot("duckdb", dead.run_id, "warehouse_dbt_assets")
        assert claim.is_claimed
        assert not storage.claim_concurrency_slot("duckdb", "next-run", "warehouse_dbt_assets").is_claimed
        released = release_dead_runs(instance)
        assert dead.run_id in released and other.run_id not in released
        assert instance.get_run_by_id(dead.run_id).status == dg.DagsterRunStatus.FAILURE
        assert instance.get_run_by_id(other.run_id).status == dg.DagsterRunStatus.STARTED
        assert storage.claim_concurrency_slot("duckdb", "next-run", "warehouse_dbt_assets").is_claimed


@dg.op
def _noop() -> None:
    pass


@dg.job(name="one_step")
def _job() -> None:
    _noop()


def test_step_lock_waits_for_another_process_and_is_reentrant(tmp_path: Path) -> None:
    root = tmp_path / "var"
    root.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import fcntl,sys,time; f=open(sys.argv[1],'a+'); fcntl.flock(f, fcntl.LOCK_EX); "
         "print('held', flush=True); time.sleep(2)", str(root / ".pipeline.lock")],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    messages: list[str] = []

    class Log:
        def info(self, message: str) -> None:
            messages.append(message)

    started = time.monotonic()
    with step_lock(root, Log()):
        waited = time.monotonic() - started
        with step_lock(root):  # the same process again: no deadlock
            pass
    holder.wait(timeout=30)
    assert waited > 1.0 and messages and "waiting for the pipeline lock" in messages[0]
    mark_held(root, True)  # make run holds it for the whole run: the steps do not take it again
    try:
        result: list[float] = []
        t = threading.Thread(target=lambda: result.append(_timed(root)))
        t.start()
        t.join(timeout=10)
        assert result and result[0] < 1.0
    finally:
        mark_held(root, False)


def _timed(root: Path) -> float:
    started = time.monotonic()
    with step_lock(root):
        return time.monotonic() - started
