"""The Dagster instance of a data directory: DAGSTER_HOME is <data dir>/dagster, holding the instance settings.

The settings file is the repository's dagster.yaml (run history in SQLite files in the data directory), or the one
VC_DAGSTER_YAML names, relative to the repository: deploy/dagster.postgres.yaml keeps run, event-log and schedule
storage in PostgreSQL and queues runs (docs/deployment.md). `make run`, `make dev`, `make serve`, `make submit` and
`make worker` all prepare the instance the same way, so each sees the others' runs.
"""

from __future__ import annotations

import os
from pathlib import Path

from sources.lib.paths import REPO_ROOT, DataDir


def instance_yaml() -> Path:
    """The instance settings to use: VC_DAGSTER_YAML, or the repository's dagster.yaml."""
    chosen = os.environ.get("VC_DAGSTER_YAML")
    path = Path(chosen) if chosen else REPO_ROOT / "dagster.yaml"
    path = path if path.is_absolute() else REPO_ROOT / path
    if not path.is_file():
        raise SystemExit(f"VC_DAGSTER_YAML={chosen}: no such file (e.g. deploy/dagster.postgres.yaml)")
    return path


def prepare_home(data: DataDir) -> Path:
    """DAGSTER_HOME of the data directory, holding the instance settings with its own path written for the
    `{dagster_home}` placeholder; its path."""
    home = data.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    settings = instance_yaml().read_text(encoding="utf-8").replace("{dagster_home}", str(home.resolve()))
    (home / "dagster.yaml").write_text(settings, encoding="utf-8")
    return home
