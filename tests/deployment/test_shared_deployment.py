"""The shared deployment with real servers: Dagster's storage and the warehouse in PostgreSQL, `make serve` (webserver
and daemon), two Celery workers on a Redis broker, and runs submitted from two terminals at once.

What it shows:
* the two runs queue (the second starts after the first ended) instead of colliding;
* ingest steps of different sources ran on different workers (the event log's worker names and step pids);
* the Celery run publishes the same workbook, byte for byte, as the in-process run of the same inputs on DuckDB;
* serve stops cleanly (nothing it started is left), and the runs' history is there after a restart, from a new
  process and from the restarted webserver's GraphQL API.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.deployment.pipeline_runs import AS_OF, QUARTER, published_workbook, same_inputs
from tests.servers import Postgres, Redis, free_port

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
WORKERS = ("vc-test-worker-1", "vc-test-worker-2")
RUN_TIMEOUT = 600


def _wait(condition, timeout: float, what: str, poll: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := condition():
            return found
        time.sleep(poll)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def _http(url: str, body: dict | None = None) -> dict | None:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode() if body else None, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read())
    except OSError:
        return None


def _processes_with(env_entry: bytes, excluding_sessions: set[int]) -> list[int]:
    """Processes whose environment holds `env_entry`, outside the given sessions (the workers')."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            environ = (proc / "environ").read_bytes().split(b"\0")
            session = os.getsid(int(proc.name))
        except (OSError, ProcessLookupError):
            continue
        if env_entry in environ and session not in excluding_sessions:
            found.append(int(proc.name))
    return found


class Deployment:
    def __init__(self, root: Path, env: dict[str, str], logs: Path) -> None:
        self.root, self.env, self.logs = root, env, logs
        self.port = free_port()
        self.workers: list[subprocess.Popen[bytes]] = []
        self.server: subprocess.Popen[bytes] | None = None

    def start_workers(self) -> None:
        # what `make worker` runs: the instance prepared (its tables created once, whoever starts first), then
        # dagster-celery's worker in place of the command
        for name in WORKERS:
            self.workers.append(
                subprocess.Popen(
                    [sys.executable, "-m", "orchestration.deploy", "worker", "--name", name],
                    cwd=REPO,
                    env=self.env,
                    start_new_session=True,
                    stdout=(self.logs / f"{name}.log").open("wb"),
                    stderr=subprocess.STDOUT,
                )
            )

    def serve(self) -> None:  # what `make serve` runs
        self.server = subprocess.Popen(
            [sys.executable, "-m", "orchestration.deploy", "serve", "--port", str(self.port)],
            cwd=REPO,
            env=self.env,
            start_new_session=True,
            stdout=(self.logs / f"serve-{time.monotonic_ns()}.log").open("wb"),
            stderr=subprocess.STDOUT,
        )
        _wait(lambda: _http(f"http://127.0.0.1:{self.port}/server_info"), 180, "the webserver")

    def stop_serving(self) -> int:
        assert self.server is not None
        self.server.send_signal(signal.SIGTERM)
        code = self.server.wait(timeout=90)
        self.server = None
        return code

    def graphql(self, query: str) -> dict:
        answer = _http(f"http://127.0.0.1:{self.port}/graphql", {"query": query})
        assert answer is not None and "errors" not in answer, answer
        return answer["data"]

    def check_workers(self) -> None:
        for name, worker in zip(WORKERS, self.workers, strict=True):
            if worker.poll() is not None:
                log = (self.logs / f"{name}.log").read_text(errors="replace")
                raise AssertionError(f"worker {name} exited with {worker.returncode}:\n{log[-3000:]}")

    def stop_workers(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
        for worker in self.workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()

    def instance_query(self, code: str) -> object:
        """Run `code` (which prints JSON) in a new process against the deployment's instance."""
        done = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=self.env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def deployment(
    postgres: Postgres, redis: Redis, duckdb_run: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    base = tmp_path_factory.mktemp("served")
    root = same_inputs(duckdb_run, base / "var")
    # the inputs are archived already; without files in landing the sensor has nothing to start a run for
    for path in sorted((root / "landing").rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    postgres.create_database("vc_served")
    postgres.create_database("vc_dagster")
    env = {
        **os.environ,
        **postgres.env,
        "PGDATABASE": "vc_served",
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "VC_DATA_DIR": str(root),
        "VC_AS_OF_DATE": AS_OF,
        "VC_WAREHOUSE": "postgres",
        "VC_DAGSTER_YAML": "deploy/dagster.postgres.yaml",
        "VC_DAGSTER_PGDATABASE": "vc_dagster",
        "VC_EXECUTOR": "celery",
        "VC_CELERY_BROKER": redis.url,
        "VC_CELERY_BACKEND": redis.url.removesuffix("/0") + "/1",
        "DAGSTER_HOME": str(root / "dagster"),
    }
    logs = base / "logs"
    logs.mkdir()
    served = Deployment(root, env, logs)
    try:
        served.start_workers()
        served.serve()
        yield served
    finally:
        if served.server is not None:
            served.stop_serving()
        served.stop_workers()


@pytest.fixture(scope="module")
def two_terminals(deployment: Deployment) -> list[dict[str, object]]:
    """Two `make submit` at the same moment, then both runs followed to their end."""
    submits = [
        subprocess.Popen(
            [sys.executable, "-m", "orchestration.deploy", "submit", "--quarter", QUARTER],
            cwd=REPO,
            env=deployment.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [s.communicate(timeout=180)[0] for s in submits]
    assert [s.returncode for s in submits] == [0, 0], outputs
    run_ids = [line.split()[2] for out in outputs for line in out.splitlines() if line.startswith("submitted: run ")]
    assert len(run_ids) == 2

    code = f"""
import json, dagster as dg
with dg.DagsterInstance.get() as instance:
    runs = []
    for run_id in {run_ids!r}:
        record = instance.get_run_record_by_id(run_id)
        runs.append({{"run_id": run_id, "status": record.dagster_run.status.value,
                     "start": record.start_time, "end": record.end_time}})
    print(json.dumps(runs))
"""

    def finished() -> list[dict[str, object]] | None:
        deployment.check_workers()
        runs = deployment.instance_query(code)
        return runs if all(r["status"] in ("SUCCESS", "FAILURE", "CANCELED") for r in runs) else None

    return sorted(_wait(finished, RUN_TIMEOUT, "both runs to finish", poll=3), key=lambda r: r["start"])


def test_runs_from_two_terminals_queue_and_both_succeed(two_terminals: list[dict[str, object]]) -> None:
    first, second = two_terminals
    assert first["status"] == second["status"] == "SUCCESS", two_terminals
    assert second["start"] >= first["end"], "the second run started while the first was still running"


def test_ingest_steps_ran_on_different_workers(deployment: Deployment, two_terminals: list[dict[str, object]]) -> None:
    code = f"""
import json, dagster as dg
with dg.DagsterInstance.get() as instance:
    workers, pids = {{}}, {{}}
    for entry in instance.all_logs({two_terminals[0]["run_id"]!r}):
        event = entry.dagster_event
        if event is None or not entry.step_key:
            continue
        if event.event_type == dg.DagsterEventType.ENGINE_EVENT and "in celery worker" in entry.message:
            workers[entry.step_key] = event.engine_event_data.metadata["Celery worker"].value
        if event.event_type == dg.DagsterEventType.STEP_START:
            pids[entry.step_key] = event.pid
    print(json.dumps({{"workers": workers, "pids": pids}}))
"""
    found = deployment.instance_query(code)
    ingest = {step: worker for step, worker in found["workers"].items() if step.startswith("raw__")}
    assert len(ingest) >= 10, found  # every source's ingest went through a worker
    assert {worker.split("@")[0] for worker in ingest.values()} == set(WORKERS)
    ingest_pids = {found["pids"][step] for step in ingest}
    assert len(ingest_pids) >= 2  # different worker processes
    assert set(found["workers"]) >= {"source_checks", "warehouse_dbt_assets", "quarterly_report"}


def test_the_celery_run_publishes_the_in_process_workbook(
    deployment: Deployment, two_terminals: list[dict[str, object]], duckdb_run: Path
) -> None:
    served = published_workbook(deployment.root)
    assert served.name.endswith("-r1.xlsx")  # the second run found it unchanged
    assert served.read_bytes() == published_workbook(duckdb_run).read_bytes()
    manifest = json.loads(served.with_suffix(".xlsx.manifest.json").read_text(encoding="utf-8"))
    assert manifest["warehouse"]["engine"] == "postgres"


def test_serve_stops_cleanly_and_the_history_outlives_it(
    deployment: Deployment, two_terminals: list[dict[str, object]]
) -> None:
    assert deployment.stop_serving() == 0
    mine = f"DAGSTER_HOME={deployment.env['DAGSTER_HOME']}".encode()
    worker_sessions = {w.pid for w in deployment.workers}
    _wait(lambda: not _processes_with(mine, worker_sessions), 60, "every process serve started to end")
    assert _http(f"http://127.0.0.1:{deployment.port}/server_info") is None

    # a new process reads the runs and their events from PostgreSQL
    code = """
import json, dagster as dg
with dg.DagsterInstance.get() as instance:
    runs = instance.get_runs()
    print(json.dumps([[r.run_id, r.status.value, len(instance.all_logs(r.run_id))] for r in runs]))
"""
    history = {run_id: (status, events) for run_id, status, events in deployment.instance_query(code)}
    for run in two_terminals:
        status, events = history[str(run["run_id"])]
        assert status == "SUCCESS" and events > 50

    # and the restarted webserver shows them
    deployment.serve()
    data = deployment.graphql("{ runsOrError { ... on Runs { results { runId status } } } }")
    shown = {r["runId"]: r["status"] for r in data["runsOrError"]["results"]}
    assert {str(r["run_id"]): "SUCCESS" for r in two_terminals}.items() <= shown.items()
    assert deployment.stop_serving() == 0
