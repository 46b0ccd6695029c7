"""dbt's parse of the project for a run, started ahead of the dbt step.

dbt parses the whole project again whenever the vars or the profile differ from those of the last parse in the
target folder, and the data directory's path is in both: the first run in a data directory always parses it
whole, on the run's critical path. `make run` (orchestration.run) starts that parse, with the run's own vars,
target folder and environment, as soon as it knows a run is needed; it runs on the other core while Dagster
creates the run and ingest and the source checks run. The dbt step waits for it, and `dbt build` then finds a
partial-parse file made with its own settings and parses nothing.

`make setup` parses once for the data directory its environment names (`python -m orchestration.lib.dbt_parse`):
that parse is the manifest the definitions are built from and the partial-parse file of that directory's first
run, so the README's first `make run` parses nothing whole.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from orchestration.lib.dbt_project import DBT_EXECUTABLE, DBT_MANIFEST, DBT_PROJECT_DIR
from sources.lib.archive import atomic_write_bytes

_started: dict[Path, subprocess.Popen[bytes]] = {}


def dbt_environment(target: Path) -> dict[str, str]:
    """The environment dagster-dbt gives `dbt build` (DbtCliResource.cli), as far as dbt's parse depends on it."""
    return {
        **os.environ,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_TARGET_PATH": os.fspath(target),
        "DBT_LOG_PATH": os.fspath(target),
        "DBT_PROFILES_DIR": os.fspath(DBT_PROJECT_DIR),
        "DBT_PROJECT_DIR": os.fspath(DBT_PROJECT_DIR),
    }


def _parse_command(dbt_vars_json: str) -> list[str]:
    return [os.fspath(DBT_EXECUTABLE), "parse", "--quiet", "--vars", dbt_vars_json]


def start_parse(target: Path, dbt_vars_json: str) -> None:
    """Start `dbt parse` into `target` with these vars, unless this process started one there already (running or
    done, until `wait_for_parse`)."""
    if target in _started:
        return
    target.mkdir(parents=True, exist_ok=True)
    _started[target] = subprocess.Popen(
        _parse_command(dbt_vars_json),
        cwd=DBT_PROJECT_DIR,
        env=dbt_environment(target),
        stdout=subprocess.DEVNULL,  # its log is dbt.log in the target folder; a failed parse fails the build again
        stderr=subprocess.DEVNULL,
    )


def wait_for_parse(target: Path) -> None:
    """Wait for a parse started into `target`; the build that follows reports any error the parse had."""
    process = _started.pop(target, None)
    if process is not None:
        process.wait()


def parse_for_setup(manifest: Path = DBT_MANIFEST) -> int:
    """`make setup`: parse the project as the environment's run will (its vars, its data directory's target
    folder) and put the manifest where the definitions read it. With the data directory's writer lock only: while
    a run holds it (or the directory cannot be written), the parse goes to the manifest's own folder and leaves the
    data directory alone. dbt's exit code."""
    from filelock import Timeout

    from orchestration.resources import settings_from_environment, writer_lock

    settings = settings_from_environment()
    target, held = manifest.parent, False
    try:
        lock = writer_lock(settings.data.root)
        lock.acquire(timeout=0)
    except (Timeout, OSError):  # a run holds it, or the data directory cannot be written (yet): as before
        pass
    else:
        target, held = settings.dbt_target, True
    try:
        target.mkdir(parents=True, exist_ok=True)
        command = _parse_command(settings.dbt_vars_json())
        code = subprocess.call(command, cwd=DBT_PROJECT_DIR, env=dbt_environment(target))
        if code == 0 and target != manifest.parent:
            manifest.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(manifest, (target / "manifest.json").read_bytes())  # never half a manifest
        return code
    finally:
        if held:
            lock.release()


if __name__ == "__main__":
    raise SystemExit(parse_for_setup())
