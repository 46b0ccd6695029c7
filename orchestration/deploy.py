"""The shared deployment's commands (docs/deployment.md): what `make serve` and `make submit` run.

    python -m orchestration.deploy serve [--host 127.0.0.1] [--port 3000]
    python -m orchestration.deploy submit [--quarter 2025Q2] [--wait]

`serve` starts `dagster-webserver` and `dagster-daemon` (schedule, sensor, run queue, run monitoring) on the
instance in $VC_DATA_DIR/dagster, and stops both, with the code servers and runs they started, when it is stopped
(Ctrl-C or SIGTERM) or when either of them exits. A run in progress is interrupted: it ends failed, and publishes
nothing (write-audit-publish); the queue keeps the runs that had not started.

`submit` puts one run of `quarterly_pipeline` into the instance's run queue (`dagster job launch`), as a second
terminal, the UI or the schedule would: the daemon starts queued runs one at a time. With --wait it follows the
run to its end and exits 0 only when it succeeded.

The instance's settings come from VC_DAGSTER_YAML (default: the repository's dagster.yaml; the shared deployment
uses deploy/dagster.postgres.yaml), copied into DAGSTER_HOME.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from orchestration.lib.quarters import last_closed_quarter, quarter_to_partition_key
from orchestration.lib.settings import instance_yaml
from sources.paths import DataDir

CODE_LOCATION = ["-m", "orchestration.definitions"]
STOP_SECONDS = 30  # after SIGTERM, how long the webserver and the daemon get before they are killed


def prepare_home(data: DataDir) -> Path:
    """DAGSTER_HOME in the data directory, holding the deployment's dagster.yaml; set in this environment."""
    home = data.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(instance_yaml(), home / "dagster.yaml")
    os.environ["DAGSTER_HOME"] = str(home)
    os.environ["VC_DATA_DIR"] = str(data.root)
    return home


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
    prepare_home(DataDir.current().ensure())
    commands = {
        "dagster-daemon": [_bin("dagster-daemon"), "run", *CODE_LOCATION],
        "dagster-webserver": [_bin("dagster-webserver"), *CODE_LOCATION, "-h", host, "-p", str(port)],
    }
    # each in a process group of its own, with the code servers and run processes it starts: stopping the group
    # stops all of them (a code server would otherwise linger until its heartbeat times out)
    children = {name: subprocess.Popen(cmd, start_new_session=True) for name, cmd in commands.items()}
    stopping = False

    def _stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    print(f"serving: webserver on http://{host}:{port}, daemon running (DAGSTER_HOME={os.environ['DAGSTER_HOME']})")
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
    prepare_home(DataDir.current().ensure())
    tags = {"dagster/partition": quarter_to_partition_key(quarter), "vc/runner": "orchestration.deploy submit"}
    run_id = str(uuid.uuid4())
    launched = subprocess.run(
        [
            _bin("dagster"),
            "job",
            "launch",
            *CODE_LOCATION,
            "-j",
            "quarterly_pipeline",
            "--tags",
            json.dumps(tags),
            "--run-id",
            run_id,
        ],
        capture_output=True,
        text=True,
    )
    if launched.returncode != 0:
        print(launched.stdout + launched.stderr, file=sys.stderr)
        return 1
    import dagster as dg

    with dg.DagsterInstance.get() as instance:
        run = instance.get_run_by_id(run_id)
        print(f"submitted: run {run_id} of quarterly_pipeline for {quarter}, {run.status.value.lower()}")
        if not wait:
            return 0
        while not (run := instance.get_run_by_id(run.run_id)).is_finished:
            time.sleep(2)
    print(f"run {run.run_id}: {run.status.value}")
    return 0 if run.status == dg.DagsterRunStatus.SUCCESS else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    serve_args = commands.add_parser("serve", help="the webserver and the daemon, until stopped")
    serve_args.add_argument("--host", default=os.environ.get("VC_SERVE_HOST", "127.0.0.1"))
    serve_args.add_argument("--port", type=int, default=int(os.environ.get("VC_SERVE_PORT", "3000")))
    submit_args = commands.add_parser("submit", help="queue a run of the quarterly pipeline")
    submit_args.add_argument("--quarter", help="e.g. 2025Q2 (default: the last closed quarter)")
    submit_args.add_argument("--wait", action="store_true", help="follow the run to its end")
    args = parser.parse_args()
    if args.command == "serve":
        sys.exit(serve(args.host, args.port))
    quarter = args.quarter or last_closed_quarter(dt.datetime.now(dt.UTC).date())
    sys.exit(submit(quarter, args.wait))


if __name__ == "__main__":
    main()
