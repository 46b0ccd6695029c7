"""Settings from the environment, read when an asset runs (never at import) so tests can point elsewhere."""

from __future__ import annotations

import os
from pathlib import Path

from sources.paths import REPO_ROOT

DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
DBT_MANIFEST = DBT_PROJECT_DIR / "target" / "manifest.json"
# A production build of the warehouse (the pipeline's, and `make verify`'s rebuild of it). Unit tests check the
# SQL's logic on fixed inputs: they run in `make test` (tests/integration/test_pipeline.py), not in every build
# (dbt's own advice; about 0.5 s of each run).
DBT_BUILD = ["build", "--exclude-resource-type", "unit_test"]


def report_language() -> str:
    return os.environ.get("VC_REPORT_LANGUAGE", "sv")


def as_of_date() -> str:
    """The date the warehouse is built as of (YYYY-MM-DD); empty means today."""
    return os.environ.get("VC_AS_OF_DATE", "")


def dbt_target_dir(data_root: Path) -> Path:
    # One fixed folder per data directory: no folder per run piling up, and partial parsing carries over.
    return data_root / "dbt_target"


def instance_yaml() -> Path:
    """The Dagster instance settings copied into DAGSTER_HOME: VC_DAGSTER_YAML (relative to the repository), or
    the repository's dagster.yaml. The shared deployment uses deploy/dagster.postgres.yaml (docs/deployment.md)."""
    chosen = os.environ.get("VC_DAGSTER_YAML")
    path = Path(chosen) if chosen else REPO_ROOT / "dagster.yaml"
    path = path if path.is_absolute() else REPO_ROOT / path
    if not path.is_file():
        raise FileNotFoundError(f"VC_DAGSTER_YAML={chosen}: no such file")
    return path
