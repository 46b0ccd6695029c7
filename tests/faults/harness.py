"""Helpers for the fault tests: run the pipeline as a separate process, kill it, and fingerprint what it left."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[2]
AS_OF = "2026-10-15"
QUARTER = "2025Q2"


def env_for(root: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VC_", "DAGSTER_"))}
    settings = {"VC_DATA_DIR": str(root), "VC_REPORT_LANGUAGE": "sv", "VC_AS_OF_DATE": AS_OF, "VC_WAREHOUSE": "duckdb"}
    return env | settings | {"PYTHONUNBUFFERED": "1"} | extra


def start_run(root: Path, *args: str, **extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "orchestration.run", "--quarter", QUARTER, *args],
        cwd=REPO,
        env=env_for(root, **extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: a kill of the group reaches dbt too
    )


def run_to_end(root: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "orchestration.run", "--quarter", QUARTER, *args],
        cwd=REPO,
        env=env_for(root),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def kill(proc: subprocess.Popen[str], group: bool = False) -> str:
    """SIGKILL the run (only its main process, as the OOM killer would, or its whole group); its output so far."""
    if proc.poll() is None:
        if group:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    out, _ = proc.communicate(timeout=60)
    return out or ""


def wait_for_line(proc: subprocess.Popen[str], marker: str, timeout: float = 300) -> list[str]:
    """Read the run's output until a line holding `marker` (the line is consumed); the lines read."""
    lines = []
    deadline = time.monotonic() + timeout
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        if marker in line:
            return lines
    raise AssertionError(f"{marker!r} never appeared: {''.join(lines)[-2000:]}")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def archive_state(root: Path) -> dict[str, str]:
    """Every archived file and its hash; each stored file must be named by its own SHA-256."""
    state = {}
    for path in sorted((root / "archive").glob("*/*")):
        if path.name.startswith("."):
            continue
        digest = sha256(path)
        if "." not in path.name:
            assert digest == path.name, f"archive file {path} does not hold the bytes its name says"
            assert path.stat().st_mode & 0o222 == 0, f"archive file {path} is writable"
        state[str(path.relative_to(root))] = digest
    return state


def published_state(root: Path) -> dict[str, str]:
    """Published workbooks (name -> sha256), after checking each is whole: its manifest names its hash and the
    file opens as a zip with every part readable. Hidden temporary files are allowed (a killed publisher's), a
    visible file that is not a whole publication is not."""
    state = {}
    folder = root / "reports" / QUARTER
    if not folder.exists():
        return state
    visible = [p for p in folder.iterdir() if not p.name.startswith(".")]
    for path in visible:
        if path.suffix == ".xlsx":
            manifest = path.with_name(path.name + ".manifest.json")
            assert manifest.exists(), f"{path.name} has no manifest"
            digest = sha256(path)
            assert json.loads(manifest.read_text(encoding="utf-8"))["workbook_sha256"] == digest
            with zipfile.ZipFile(path) as z:
                assert z.testzip() is None
            state[path.name] = digest
        else:
            assert path.name.endswith(".xlsx.manifest.json"), f"unexpected file {path.name} in the published folder"
    return state


def orphan_manifests(root: Path) -> list[str]:
    folder = root / "reports" / QUARTER
    return sorted(
        p.name
        for p in folder.glob("*.manifest.json")
        if not p.with_name(p.name.removesuffix(".manifest.json")).exists()
    )


def _stable(value: object) -> object:
    # doubles to 12 significant digits: DuckDB's parallel double sums vary in the last bits with thread order
    return float(f"{value:.12g}") if isinstance(value, float) else value


def workbook_figures(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every sheet's cell values, numbers to 12 significant digits."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        return {ws.title: [tuple(map(_stable, r)) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    finally:
        wb.close()


def warehouse_digest(root: Path) -> dict[str, str]:
    """Each mart and report table's contents, hashed in a fixed order (`select * ... order by all`)."""
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in ('marts', 'reports') and table_type = 'BASE TABLE' order by all"
        ).fetchall()
        out = {}
        for schema, table in tables:
            rows = [
                tuple(map(_stable, r))
                for r in con.execute(f'select * from "{schema}"."{table}" order by all').fetchall()
            ]
            out[f"{schema}.{table}"] = hashlib.sha256(repr(rows).encode()).hexdigest()
    assert out, "no mart or report tables in the warehouse"
    return out
