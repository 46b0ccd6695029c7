"""The disk filling up while a workbook (or an ingested file) is written: nothing partial appears, and once there
is room again the next run completes. On a real, tiny tmpfs where the machine allows mounting one (root), and by
making the write fail everywhere else."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

import reports.publish as publish
from reports.publish import publish_report
from sources.lib.contract import load_contract
from sources.lib.ingest import ingest_source
from sources.lib.paths import SOURCES_DIR, DataDir
from tests.unit.test_workbook import _data


@contextlib.contextmanager
def tiny_disk(tmp_path: Path, size: str = "1m") -> Iterator[Path]:
    mount = tmp_path / f"disk-{uuid.uuid4().hex[:6]}"
    mount.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(disk: Path, leave: int) -> Path:
    """Fill the disk until about `leave` bytes are free."""
    filler = disk / "filler"
    free = shutil.disk_usage(disk).free
    with filler.open("wb") as fh, contextlib.suppress(OSError):
        fh.write(b"\0" * max(free - leave, 0))
    return filler


def _visible(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_full_disk_while_publishing_leaves_the_published_folder_as_it_was(tmp_path: Path) -> None:
    with tiny_disk(tmp_path) as disk:
        first = publish_report(_data(), disk, "sv", dt.date(2026, 10, 2))
        folder = disk / "2025Q2"
        before = {p.name: p.read_bytes() for p in folder.iterdir()}
        filler = _fill(disk, leave=4096)
        changed = _data()
        changed.summary[0]["value"] = 44.0
        with pytest.raises(OSError) as exc:
            publish_report(changed, disk, "sv", dt.date(2026, 10, 3))
        assert exc.value.errno == errno.ENOSPC
        assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # no temp file, no r2, r1 intact
        filler.unlink()
        second = publish_report(changed, disk, "sv", dt.date(2026, 10, 3))
        assert (second.status, second.revision) == ("published", 2)
        assert first.path.read_bytes() == before[first.file_name]


@pytest.mark.parametrize("fails", ["workbook", "manifest"])
def test_a_write_failing_with_enospc_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fails: str
) -> None:
    publish_report(_data(), tmp_path, "sv", dt.date(2026, 10, 2))
    folder = tmp_path / "2025Q2"
    before = _visible(folder)
    real = publish._write_tmp

    def write_tmp(target: Path, content: bytes) -> Path:
        if target.name.endswith(".manifest.json") == (fails == "manifest"):
            (target.with_name(f".{target.name}.tmp-{os.getpid()}")).unlink(missing_ok=True)
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(target, content)

    monkeypatch.setattr(publish, "_write_tmp", write_tmp)
    changed = _data()
    changed.summary[0]["value"] = 44.0
    with pytest.raises(OSError):
        publish_report(changed, tmp_path, "sv", dt.date(2026, 10, 3))
    assert _visible(folder) == before  # also no hidden temporary file


def test_full_disk_while_ingesting_then_room_again(tmp_path: Path) -> None:
    register = load_contract(SOURCES_DIR / "klimatkontrakt_register")
    header = "Kommunkod;Kommun;Våg;Anslutningsdatum;Utträdesdatum;Senaste kontraktsversion;Myndigheter\n"
    body = "".join(f"0180;Stockholm {i};2019;2019-06-01;;2025;{'x' * 200}\n" for i in range(400))
    with tiny_disk(tmp_path, size="2m") as disk:
        data = DataDir(disk / "var")
        landing = data.landing(register.name)
        landing.mkdir(parents=True)
        (landing / "register.csv").write_text(header + body, encoding="utf-8")
        ingest_source(register, data)  # schema files and the archive before the disk fills
        (landing / "register-2.csv").write_text(header + body.replace("Stockholm", "Sthlm"), encoding="utf-8")
        filler = _fill(disk, leave=8192)
        with pytest.raises(OSError):
            ingest_source(register, data)
        filler.unlink()
        report = ingest_source(register, data)
        records = sorted(p.name for p in data.deliveries.glob(f"{register.name}__*.parquet"))
        assert len(records) == 2 and report.already_ingested + len(report.new_files) == 2
        for path in data.archive(register.name).glob("*"):
            if "." not in path.name:
                assert hashlib.sha256(path.read_bytes()).hexdigest() == path.name
