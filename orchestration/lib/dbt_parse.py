"""dbt's parse of the project for a run, started ahead of the dbt step.

dbt parses the whole project again whenever the vars or the profile differ from those of the last parse in the
target folder, and the data directory's path is in both: the first run in a data directory always parses it
whole, on the run's critical path. `make run` (orchestration.run) starts that parse, with the run's own vars,
target folder and environment, as soon as it knows a run is needed; it runs on the other core while Dagster
creates the run and ingest and the source checks run. The dbt step waits for it, and `dbt build` then finds a
partial-parse file made with its own settings and parses nothing.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from orchestration.lib.dbt_project import DBT_EXECUTABLE, DBT_PROJECT_DIR

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


def start_parse(target: Path, dbt_vars_json: str) -> None:
    """Start `dbt parse` into `target` with these vars, unless this process started one there already (running or
    done, until `wait_for_parse`)."""
    if target in _started:
        return
    target.mkdir(parents=True, exist_ok=True)
    _started[target] = subprocess.Popen(
        [os.fspath(DBT_EXECUTABLE), "parse", "--quiet", "--vars", dbt_vars_json],
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
