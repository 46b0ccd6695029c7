"""The dbt project the warehouse is built from: where it is, the build the pipeline runs, its code version."""

from __future__ import annotations

import hashlib
import json
import sys
from functools import cache
from pathlib import Path
from typing import Any

from sources.lib.paths import REPO_ROOT

DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
# the dbt of this interpreter's environment, also when the venv is not on PATH
DBT_EXECUTABLE = Path(sys.executable).with_name("dbt")
DBT_MANIFEST = DBT_PROJECT_DIR / "target" / "manifest.json"
# A production build of the warehouse (the pipeline's, so also a rebuild by `make verify`). Unit tests check the
# SQL's logic on fixed inputs: they run in `make test` (tests/integration/test_pipeline.py), not in every build,
# as dbt's documentation advises. The build's log file (dbt.log in the target folder) is at info level, as its
# output is: at debug level dbt also writes every statement and cache operation there, which costs a tenth of the
# build's time; the statements run are in the target folder's run/ anyway.
DBT_BUILD = ["build", "--exclude-resource-type", "unit_test", "--log-level-file", "info"]


@cache
def project_digest() -> str:
    """What every model's result depends on besides its own SQL: the project's macros, data tests (their outcomes
    are in the workbook) and project configuration, as the manifest `make setup` parsed holds them."""
    manifest = json.loads(DBT_MANIFEST.read_text(encoding="utf-8"))
    project = manifest["metadata"].get("project_name") or "viable_cities"
    digest = hashlib.sha256()
    for uid, macro in sorted(manifest["macros"].items()):
        if macro.get("package_name") == project:
            digest.update(f"{uid}\0{macro['macro_sql']}\0".encode())
    for uid, node in sorted(manifest["nodes"].items()):
        if node["resource_type"] == "test":
            digest.update(f"{uid}\0{node['checksum']['checksum']}\0{_config(node)}\0".encode())
    for name in ("dbt_project.yml", "profiles.yml"):
        digest.update((DBT_PROJECT_DIR / name).read_bytes())
    return digest.hexdigest()


def _config(node: dict[str, Any]) -> str:
    return json.dumps(node.get("config", {}), sort_keys=True, default=str)


def code_version(node: dict[str, Any]) -> str:
    """A model's or seed's code version: its own SQL or file (dbt's checksum) and configuration, and the project's
    shared code. Dagster records it with each materialization; a rerun compares (orchestration.lib.up_to_date)."""
    own = f"{node.get('checksum', {}).get('checksum', '')}\0{_config(node)}\0{project_digest()}"
    return hashlib.sha256(own.encode()).hexdigest()[:24]
