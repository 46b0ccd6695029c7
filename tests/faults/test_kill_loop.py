"""The whole pipeline (`python -m orchestration.run`) killed with SIGKILL again and again, at chosen stages and
at random moments, then run to the end: the archive and the published workbook never change or break, and the
final result (workbook bytes, every mart and report table) equals an uninterrupted run's. Two runs at once, and
two Dagster job executions at once against one data directory. Minutes: `make test-slow`.

VC_KILL_LOOPS sets the number of random kills (default 10)."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.faults.harness import (
    QUARTER,
    REPO,
    archive_state,
    env_for,
    kill,
    orphan_manifests,
    published_state,
    run_to_end,
    start_run,
    wait_for_line,
    warehouse_digest,
    workbook_figures,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("reference") / "var"
    started = time.monotonic()
    done = run_to_end(root)
    assert done.returncode == 0, done.stdout + done.stderr
    return {
        "root": root,
        "seconds": time.monotonic() - started,
        "published": published_state(root),
        "warehouse": warehouse_digest(root),
        "archive": archive_state(root),
    }


class Invariants:
    """What must hold after every kill: archived and published files only ever added, never changed."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.archive: dict[str, str] = {}
        self.published: dict[str, str] = {}

    def check(self) -> None:
        archive, published = archive_state(self.root), published_state(self.root)
        assert {k: archive.get(k) for k in self.archive} == self.archive, "an archived file changed or vanished"
        assert {k: published.get(k) for k in self.published} == self.published, "a published workbook changed"
        self.archive, self.published = archive, published


def _final(root: Path, reference: dict[str, object]) -> None:
    """Run to the end, then compare with a clean run made now (the working tree may have moved since the
    module's reference run: other work happens in the same checkout)."""
    done = run_to_end(root)
    assert done.returncode == 0, done.stdout + done.stderr
    clean = root.parent / "clean"
    again = run_to_end(clean)
    assert again.returncode == 0, again.stdout + again.stderr
    published, expected = published_state(root), published_state(clean)
    assert list(published) == list(expected)  # one revision, r1: a rerun after the kills publishes nothing new
    # the same figures; the bytes too, except where a double sum's last bits vary (see docs/reliability.md)
    name = next(iter(published))
    got = workbook_figures(root / "reports" / QUARTER / name)
    assert got == workbook_figures(clean / "reports" / QUARTER / name)
    assert orphan_manifests(root) == []
    assert warehouse_digest(root) == warehouse_digest(clean)
    assert archive_state(root) == archive_state(clean)


@pytest.mark.parametrize("group", [False, True], ids=["main-process", "process-group"])
def test_killed_in_ingest_dbt_and_publish_then_rerun(tmp_path: Path, reference: dict[str, object], group: bool) -> None:
    """Kills at chosen stages: during ingest, during dbt (partial success: the rerun's marts equal a clean
    run's), at the moment of publishing, and after a first publication (a rerun must not publish r2)."""
    root = tmp_path / "var"
    inv = Invariants(root)
    for marker, delay in [("▸ ingest", 0.3), ("▸ dbt build", 3.0), ("▸ publish", 0.0), ("workbook published", 0)]:
        proc = start_run(root)
        wait_for_line(proc, marker)
        time.sleep(delay)
        kill(proc, group=group)
        inv.check()
    _final(root, reference)


def test_random_kills_then_rerun(tmp_path: Path, reference: dict[str, object]) -> None:
    root = tmp_path / "var"
    inv = Invariants(root)
    rng = random.Random(int(os.environ.get("VC_KILL_SEED", "2026")))
    longest = float(reference["seconds"]) * 1.1
    for i in range(int(os.environ.get("VC_KILL_LOOPS", "10"))):
        proc = start_run(root)
        time.sleep(rng.uniform(0.5, longest))
        kill(proc, group=i % 2 == 1)
        inv.check()
    _final(root, reference)


def test_two_runs_at_once(tmp_path: Path, reference: dict[str, object]) -> None:
    root = tmp_path / "var"
    first, second = start_run(root), start_run(root)
    outs = [p.communicate(timeout=600)[0] for p in (first, second)]
    codes = sorted([first.returncode, second.returncode])
    assert codes == [0, 3], outs
    assert any("refused: another pipeline run (pid" in o and "--wait" in o for o in outs)
    first, second = start_run(root, "--wait"), start_run(root, "--wait")
    outs = [p.communicate(timeout=900)[0] for p in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outs
    assert list(published_state(root)) == list(reference["published"])
    assert warehouse_digest(root)  # the warehouse opens; its marts and report tables are there


JOB = """
import sys
from dagster import DagsterInstance
from orchestration.definitions import defs
from orchestration.lib.quarters import quarter_to_partition_key

job = defs.resolve_job_def("quarterly_pipeline")
with DagsterInstance.ephemeral() as instance:
    result = job.execute_in_process(partition_key=quarter_to_partition_key(sys.argv[1]), instance=instance,
                                    raise_on_error=False)
sys.exit(0 if result.success else 1)
"""


def test_two_job_executions_at_once_outside_make_run(tmp_path: Path, reference: dict[str, object]) -> None:
    """Not through run.py, each with its own instance: the run's writer lock resource makes the second wait for
    the first, so neither fails on DuckDB's lock."""
    root = tmp_path / "var"
    subprocess.run([sys.executable, "-m", "sources.demo.generate"], cwd=REPO, env=env_for(root), check=True)
    logs = [tmp_path / f"job-{i}.log" for i in range(2)]  # files, not pipes: a full pipe would stall a run
    procs = [
        subprocess.Popen([sys.executable, "-c", JOB, QUARTER], cwd=REPO, env=env_for(root), text=True,
                         stdout=log.open("w"), stderr=subprocess.STDOUT)
        for log in logs
    ]  # fmt: skip
    for p in procs:
        p.wait(timeout=900)
    outs = [log.read_text() for log in logs]
    assert [p.returncode for p in procs] == [0, 0], [o[-3000:] for o in outs]
    assert not any("Conflicting lock" in o for o in outs)
    assert list(published_state(root)) == list(reference["published"])
    assert warehouse_digest(root)  # the warehouse opens; its marts and report tables are there
