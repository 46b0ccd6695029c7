"""A second run while one holds the data directory: refused with exit code 3 and a clear message, or waits with
--wait. Every run, however launched, holds the data directory's one writer lock for its whole length (the
`writer_lock` resource), so DuckDB never sees two writers; a killed holder lets go of it with its process."""

from __future__ import annotations

import fcntl
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg

from orchestration.resources import PipelineSettings, WriterLock, writer_lock, writer_lock_resource
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


def _hold_in_child(root: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process holding the writer lock as a run does: through the run's own resources."""
    code = (
        "import sys, time, dagster as dg\n"
        "from orchestration.resources import PipelineSettings, writer_lock_resource\n"
        "with dg.build_resources({'settings': PipelineSettings(data_dir=sys.argv[1]),"
        " 'writer_lock': writer_lock_resource}):\n"
        "    print('held', flush=True)\n"
        "    time.sleep(float(sys.argv[2]))\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(root), str(seconds)], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


@dg.asset
def _writes(settings: PipelineSettings, writer_lock: WriterLock) -> None:
    pass


def test_a_run_waits_for_the_writer_lock_of_another_process(tmp_path: Path) -> None:
    """A job executed outside `make run` (a test, `dagster job execute`, the daemon) waits for the run that holds
    the data directory, and its log says so."""
    root = tmp_path / "var"
    holder = _hold_in_child(root, 8)
    started = time.monotonic()
    with dg.instance_for_test() as instance:
        result = dg.materialize(
            [_writes],
            instance=instance,
            resources={"settings": PipelineSettings(data_dir=str(root)), "writer_lock": writer_lock_resource},
        )
        waited = time.monotonic() - started
        messages = [e.user_message for e in instance.all_logs(result.run_id) if e.dagster_event is None]
    holder.wait(timeout=30)
    assert result.success and waited > 5.0
    assert any(m.startswith(f"waiting for the writer lock of {root.resolve()} (pid {holder.pid}") for m in messages)


def test_a_killed_holder_blocks_nothing(tmp_path: Path) -> None:
    """SIGKILL (the OOM killer, a machine reset) cannot release anything: the lock goes with the process."""
    root = tmp_path / "var"
    holder = _hold_in_child(root, 600)
    holder.kill()
    holder.wait(timeout=30)
    started = time.monotonic()
    with writer_lock(root).acquire(timeout=5):
        assert time.monotonic() - started < 1.0
