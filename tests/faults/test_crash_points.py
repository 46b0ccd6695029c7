"""Ingest and publishing killed (SIGKILL) around their renames: nothing published or archived changes, nothing
half-written looks finished, and the next run ends where an uninterrupted one would. Seconds, not minutes: these
run ingest and the publisher alone; the whole pipeline killed at random points is in test_kill_loop.py (slow)."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reports.publish import publish_report
from sources.demo.generate import write_demo
from sources.lib.contract import discover_contracts
from sources.lib.ingest import ingest_source
from sources.lib.paths import DataDir
from tests.faults.harness import REPO, archive_state
from tests.unit.test_workbook import _data

DRIVER = REPO / "tests" / "faults" / "crash_driver.py"
SOURCES = ["klimatkontrakt_register", "funding_ledger", "engagement_log", "mission_cities"]


def _drive(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(DRIVER), *map(str, args)], cwd=REPO, capture_output=True, text=True, timeout=120
    )


def _state(root: Path) -> dict[str, str]:
    """Every visible file the ingest keeps (archive, raw, quarantine, deliveries) and its hash."""
    out = {}
    for part in ("archive", "raw", "quarantine"):
        for path in sorted((root / part).rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                out[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    demo = tmp_path_factory.mktemp("demo") / "landing"
    write_demo(demo)
    landing = tmp_path_factory.mktemp("landing") / "landing"
    for source in SOURCES:
        shutil.copytree(demo / source, landing / source)
    bad = landing / "funding_ledger" / "trasig.xlsx"  # a truncated upload: quarantined whole
    bad.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    shutil.copystat(landing / "funding_ledger", bad)
    return landing


def _ingest_all(root: Path) -> None:
    for contract in discover_contracts():
        ingest_source(contract, DataDir(root))


def test_ingest_killed_again_and_again_ends_as_a_clean_ingest(tmp_path: Path, landing: Path) -> None:
    clean = tmp_path / "clean"
    shutil.copytree(landing, clean / "landing")
    _ingest_all(clean)

    root = tmp_path / "killed"
    shutil.copytree(landing, root / "landing")
    rng = random.Random(7)
    kills = 0
    archived: dict[str, str] = {}
    for _ in range(12):
        done = _drive("ingest", root, rng.randint(1, 15), rng.choice(["before", "after"]))
        now = archive_state(root)  # each stored file is named by its own hash and read-only
        assert {k: v for k, v in now.items() if k in archived} == archived, "an archived file changed"
        archived = now
        if "completed" in done.stdout:
            break
        assert done.returncode == -9, done.stderr[-2000:]
        kills += 1
    assert kills >= 3
    _ingest_all(root)
    assert _state(root) == _state(clean)


def test_publish_killed_around_each_rename_publishes_whole_or_nothing(tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    publish_report(_data(), clean, "sv", dt.date(2026, 10, 2))
    changed = _data()
    changed.summary[0]["value"] = 44.0
    publish_report(changed, clean, "sv", dt.date(2026, 10, 3))

    root = tmp_path / "reports"
    first = publish_report(_data(), root, "sv", dt.date(2026, 10, 2))
    folder = root / "2025Q2"
    r1 = first.path.read_bytes()
    for k, when in [(1, "before"), (1, "after"), (2, "before")]:  # manifest rename; workbook rename
        done = _drive("publish", root, k, when, 44.0)
        assert done.returncode == -9, done.stderr[-2000:]
        assert first.path.read_bytes() == r1
        workbooks = sorted(p.name for p in folder.glob("*.xlsx"))
        assert workbooks == [first.file_name], "a killed publisher left a workbook that looks published"
    second = publish_report(changed, root, "sv", dt.date(2026, 10, 3))
    assert (second.status, second.revision) == ("published", 2)
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in (clean / "2025Q2").iterdir())
    for path in folder.iterdir():
        assert path.read_bytes() == (clean / "2025Q2" / path.name).read_bytes()


def test_publish_killed_after_the_workbook_rename_is_published(tmp_path: Path) -> None:
    done = _drive("publish", tmp_path, 2, "after", 44.0)
    assert done.returncode == -9
    [workbook] = list((tmp_path / "2025Q2").glob("*.xlsx"))
    manifest = workbook.with_name(workbook.name + ".manifest.json")
    assert manifest.exists() and hashlib.sha256(workbook.read_bytes()).hexdigest() in manifest.read_text()
    again = publish_report(_data(), tmp_path, "sv", dt.date(2026, 10, 3))
    assert again.revision == 1 if again.status == "unchanged" else again.revision == 2
