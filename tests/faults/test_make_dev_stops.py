"""`make dev` (the UI, the daemon and their code servers) stops on SIGTERM and on Ctrl-C, children included, also
when started from a script in the background, where the shell leaves SIGINT ignored."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.faults.harness import REPO, env_for


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _group(pgid: int) -> list[int]:
    """The processes of a process group still alive (zombies not counted)."""
    alive = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry.name}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            alive.append(int(entry.name))
    return alive


def _serving(port: int) -> bool:
    """The UI is up and has loaded the project's code location (a code server still importing the definitions
    finishes that before it can stop: on a loaded machine that alone can take longer than the stop allows)."""
    graphql = "{ locationStatusesOrError { ... on WorkspaceLocationStatusEntries { entries { loadStatus } } } }"
    query = json.dumps({"query": graphql}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql", data=query, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            entries = json.load(response)["data"]["locationStatusesOrError"]["entries"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return bool(entries) and all(e["loadStatus"] == "LOADED" for e in entries)


def _as_a_background_job() -> None:
    """The signals of `make dev &` started from a script: SIGINT ignored, SIGTERM as by default. An ignored
    disposition and a blocked signal are inherited by the child, and in the whole suite (not alone) make was
    left with SIGTERM not delivered by something earlier in this pytest process: both are set here."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


@pytest.mark.parametrize(("how", "sig"), [("SIGTERM to make", signal.SIGTERM), ("Ctrl-C to the group", signal.SIGINT)])
def test_make_dev_stops_within_15_s_leaving_no_process(tmp_path: Path, how: str, sig: signal.Signals) -> None:
    port = _free_port()
    said = tmp_path / "make-dev.out"
    # `make dev &` from a script: SIGINT ignored in the child, as a non-interactive shell sets it for a background job
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "dev", f"PORT={port}"],
        cwd=REPO,
        env=env_for(tmp_path / "var"),
        stdout=said.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group
        preexec_fn=_as_a_background_job,
    )
    try:
        deadline = time.monotonic() + 180
        while not _serving(port):
            assert proc.poll() is None, "make dev ended before the UI was up"
            assert time.monotonic() < deadline, "the UI did not come up in 180 s"
            time.sleep(1)
        assert len(_group(proc.pid)) >= 3  # make, dg dev, the webserver, the daemon, code servers
        if sig == signal.SIGTERM:
            proc.send_signal(sig)  # to make alone, as a service manager stopping it would
        else:
            os.killpg(proc.pid, sig)  # what the terminal sends on Ctrl-C
        stopped = time.monotonic() + 15
        while _group(proc.pid) and time.monotonic() < stopped:
            time.sleep(0.5)
        assert _group(proc.pid) == [], f"{how}: processes left after 15 s"
        proc.wait(timeout=5)
        # `dg dev`, started from the instance's folder (orchestration/dev.py): no warning that `dagster dev` is
        # superseded, nor that the repository's dagster.yaml is not used
        output = said.read_text(errors="replace")
        assert "will not be used to configure Dagster" not in output and "superseded" not in output, output[-2000:]
    finally:
        if _group(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
