"""Shared fixtures: the dbt manifest exists before the definitions are imported; real data is optional."""

import os
import subprocess
from pathlib import Path

import pytest

from orchestration.lib.dbt_project import DBT_EXECUTABLE

REPO = Path(__file__).resolve().parents[1]
MANIFEST = REPO / "dbt_project" / "target" / "manifest.json"
REAL_DATA = Path(os.environ.get("VC_REAL_DATA_DIR") or REPO.parent / "shared" / "data" / "real")


def _manifest_is_stale() -> bool:
    if not MANIFEST.exists():
        return True
    built = MANIFEST.stat().st_mtime
    project = REPO / "dbt_project"
    files = [
        project / "dbt_project.yml",
        *(p for d in ("models", "seeds", "macros", "tests") for p in (project / d).rglob("*")),
    ]
    return any(p.is_file() and p.stat().st_mtime > built for p in files)


def pytest_configure(config: pytest.Config) -> None:
    # The settings the definitions read when a run starts (the Makefile exports them; a test may set its own)
    os.environ.setdefault("VC_REPORT_LANGUAGE", "sv")
    os.environ.setdefault("VC_AS_OF_DATE", "")
    os.environ.setdefault("VC_DATA_DIR", str(REPO / "var"))
    os.environ.setdefault("VC_WAREHOUSE", "duckdb")
    # dagster-dbt reads the manifest when orchestration.defs.transform is imported (STACK.md pitfall 1)
    if _manifest_is_stale():
        subprocess.run(
            [str(DBT_EXECUTABLE), "parse", "--profiles-dir", ".", "--quiet"], cwd=REPO / "dbt_project", check=True
        )


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty data directory for one test."""
    root = tmp_path / "var"
    monkeypatch.setenv("VC_DATA_DIR", str(root))
    return root


@pytest.fixture
def real_data() -> Path:
    if not REAL_DATA.is_dir():
        pytest.skip(f"real public data not present at {REAL_DATA} (../shared/data/real beside the repository)")
    return REAL_DATA
