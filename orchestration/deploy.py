"""The shared deployment's commands (docs/deployment.md): what `make serve`, `make submit` and `make worker` run.

    python -m orchestration.deploy serve        # PORT (3000) and VC_SERVE_HOST (127.0.0.1) from the environment
    python -m orchestration.deploy submit       # QUARTER (the last closed one) and WAIT from the environment
    python -m orchestration.deploy worker       # WORKER_NAME from the environment

`serve` starts `dagster-webserver` and `dagster-daemon` (schedule, sensor, run queue, run monitoring) on the
instance of the data directory (orchestration.lib.instance), and stops both, with the code servers and runs they
started, when it is stopped (Ctrl-C or SIGTERM) or when either of them exits. A run in progress is interrupted: it
ends failed, and publishes nothing (write-audit-publish); the queue keeps the runs that had not started.

`submit` puts one run of `quarterly_pipeline` into the instance's run queue (`dagster job launch`), as the UI, the
schedule or the sensor would, unless nothing changed since the quarter's workbook was published (the same rule as
`make run`: orchestration.lib.up_to_date); the daemon starts queued runs one at a time. With WAIT=1 it follows the
run to its end and exits 0 only when it succeeded.

`worker` starts one dagster-celery worker the way Celery users do (`dagster-celery worker start -A
dagster_celery.app -y deploy/worker.yaml`), on the same instance.

The instance's settings come from VC_DAGSTER_YAML (the shared deployment: deploy/dagster.postgres.yaml). Every
command passes the environment on to what it starts; nothing is written into this process's environment.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from orchestration.lib.instance import prepare_home
from orchestration.lib.quarters import last_closed_quarter, quarter_to_partition_key
from orchestration.resources import settings_from_environment
from sources.lib.paths import REPO_ROOT

CODE_LOCATION = ["-m", "orchestration.definitions"]
STOP_SECONDS = 30  # after SIGTERM, how long the webserver and the daemon get before they are killed


JOB = "quarterly_pipeline"
WORKER_YAML = REPO_ROOT / "deploy" / "worker.yaml"


def _environment() -> dict[str, str]:
    """The environment of what a command starts: this one, with DAGSTER_HOME at the data directory's instance."""
    settings = settings_from_environment()
    home = prepare_home(settings.data.ensure())
    return {**os.environ, "DAGSTER_HOME": str(home), "VC_DATA_DIR": str(settings.data.root)}


def _bin(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def serve(host: str, port: int) -> int:
    env = _environment()
    commands = {
        "dagster-daemon": [_bin("dagster-daemon"), "run", *CODE_LOCATION],
        "dagster-webserver": [_bin("dagster-webserver"), *CODE_LOCATION, "-h", host, "-p", str(port)],
    }
    # each in a process group of its own, with the code servers and run processes it starts: stopping the group
    # stops all of them (a code server would otherwise linger until its heartbeat times out)
    children = {name: subprocess.Popen(cmd, env=env, start_new_session=True) for name, cmd in commands.items()}
    stopping = False

    def _stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    print(f"serving: webserver on http://{host}:{port}, daemon running (DAGSTER_HOME={env['DAGSTER_HOME']})")
    exited = None
    while not stopping and exited is None:
        exited = next((name for name, child in children.items() if child.poll() is not None), None)
        time.sleep(0.5)
    if exited:
        print(f"{exited} exited with code {children[exited].returncode}: stopping the other", file=sys.stderr)
    for child in children.values():
        if _group_alive(child.pid):
            os.killpg(child.pid, signal.SIGTERM)  # a run in progress is interrupted and ends failed
    deadline = time.monotonic() + STOP_SECONDS
    for name, child in children.items():
        while _group_alive(child.pid) and time.monotonic() < deadline:
            child.poll()  # reap the group's leader
            time.sleep(0.2)
        if _group_alive(child.pid):
            print(f"{name} did not stop within {STOP_SECONDS} s: killed", file=sys.stderr)
            os.killpg(child.pid, signal.SIGKILL)
        child.wait()
    print("stopped: webserver and daemon")
    return 1 if exited else 0


def submit(quarter: str, wait: bool) -> int:
    env = _environment()
    import dagster as dg

    from orchestration.definitions import defs
    from orchestration.lib.up_to_date import latest_report_path, stale_reasons

    settings = settings_from_environment()
    with dg.DagsterInstance.from_config(env["DAGSTER_HOME"]) as instance:
        reasons = stale_reasons(instance, defs.get_repository_def(), settings, quarter)
        if not reasons:
            path = latest_report_path(instance, quarter, settings.report_language)
            print(f"unchanged: nothing new since {path} was published; no run queued")
            return 0
    tags = {"dagster/partition": quarter_to_partition_key(quarter), "vc/trigger": "make submit", "vc/why": reasons[0]}
    run_id = str(uuid.uuid4())
    launched = subprocess.run(
        [_bin("dagster"), "job", "launch", *CODE_LOCATION, "-j", JOB, "--tags", json.dumps(tags), "--run-id", run_id],
        env=env,
        capture_output=True,
        text=True,
    )
    if launched.returncode != 0:
        print(launched.stdout + launched.stderr, file=sys.stderr)
        return 1
    with dg.DagsterInstance.from_config(env["DAGSTER_HOME"]) as instance:
        run = instance.get_run_by_id(run_id)
        print(f"submitted: run {run_id} of {JOB} for {quarter} ({reasons[0]}), {run.status.value.lower()}")
        if not wait:
            return 0
        while not (run := instance.get_run_by_id(run.run_id)).is_finished:
            time.sleep(2)
    print(f"run {run.run_id}: {run.status.value}")
    return 0 if run.status == dg.DagsterRunStatus.SUCCESS else 1


def worker(name: str | None) -> None:
    """Replace this process with one dagster-celery worker on the data directory's instance."""
    env = _environment()
    command = [_bin("dagster-celery"), "worker", "start", "-A", "dagster_celery.app", "-y", str(WORKER_YAML)]
    if name:
        command += ["-n", name]
    os.chdir(REPO_ROOT)  # the workers import the code location's modules from the repository
    os.execve(command[0], command, {**env, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    env = os.environ.get
    serve_args = commands.add_parser("serve", help="the webserver and the daemon, until stopped")
    serve_args.add_argument("--host", default=env("VC_SERVE_HOST") or "127.0.0.1")
    serve_args.add_argument("--port", type=int, default=int(env("PORT") or 3000))
    submit_args = commands.add_parser("submit", help="queue a run of the quarterly pipeline")
    submit_args.add_argument("--quarter", default=env("QUARTER") or None, help="e.g. 2025Q2 (default: last closed)")
    submit_args.add_argument(
        "--wait", action="store_true", default=(env("WAIT") or "0") not in ("0", ""), help="follow it to its end"
    )
    worker_args = commands.add_parser("worker", help="one dagster-celery worker (deploy/worker.yaml)")
    worker_args.add_argument("--name", default=env("WORKER_NAME") or None, help="the worker's Celery node name")
    args = parser.parse_args()
    if args.command == "serve":
        sys.exit(serve(args.host, args.port))
    if args.command == "worker":
        worker(args.name)
    quarter = args.quarter or last_closed_quarter(dt.datetime.now(dt.UTC).date())
    sys.exit(submit(quarter, args.wait))


if __name__ == "__main__":
    main()
