"""Landing -> archive: each delivered file stored once, content-addressed, with its place in the arrival order.

`archive/<source>/<sha256>` holds the bytes (read-only) and `<sha256>.json` what the pipeline recorded when it
first archived them:

    file_name      the original name (NFC, no directories or control characters, at most 200 characters)
    file_bytes     the size
    arrival        1 for the source's first archived file, 2 for the next, …: the order deliveries are taken in
    delivered_at   the vintage (UTC, to the second), strictly increasing with `arrival`
    vintage_basis  file_time: the vintage is the file's own modification time, which was plausible (not before
                   the previous delivery's, not in the future); archive_clock: it was not (a copy that kept an
                   old time with `cp -p`, a time in 2099), so the vintage is the time the pipeline archived it
    file_time      the modification time the file had in landing (kept, never used to order)
    is_demo        the bytes are exactly a file the demo generator wrote

A file's own time never orders deliveries: a file archived later always comes after every file archived before
it. Files that arrive together (found by the same ingest) are taken in the order of their times, then names.
The vintage is reproducible: the same landing files give the same records in any data directory, so rebuilds
and kill-and-rerun runs compare byte for byte (only an implausible file time brings in the clock).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from filelock import FileLock

from sources.lib.contract import SourceContract
from sources.lib.landing import (
    LandingFile,
    Refusal,
    landing_sha256,
    open_file,
    read_small,
    scan,
    stream_sha256,
)
from sources.lib.paths import DataDir

DEMO_MANIFEST = ".demo.json"  # written by sources.demo.generate beside the files it made
_SECOND = dt.timedelta(seconds=1)


@dataclass
class LandingScan:
    """What this ingest saw in landing: the hashes of the files there, and the entries refused."""

    hashes: set[str] = field(default_factory=set)
    refused: list[Refusal] = field(default_factory=list)


def clean_name(name: str) -> str:
    """The original file name as recorded: NFC, no control characters, no directories, bounded length."""
    name = unicodedata.normalize("NFC", os.path.basename(name))
    name = "".join(ch for ch in name if ch.isprintable())
    return name[:200] or "unnamed"


def sha256_of(path: Path) -> str:
    with path.open("rb") as fh:
        return stream_sha256(fh)


def atomic_write_bytes(target: Path, data: bytes) -> None:
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")  # per process: two runs never share a temp file
    tmp.write_bytes(data)
    os.replace(tmp, target)


def source_lock(contract: SourceContract, data: DataDir) -> FileLock:
    """One ingest of a source at a time: arrival numbers are handed out under it. Beside the run's writer lock
    (orchestration.resources) because steps on several workers ingest different sources at once; the operating
    system lets go of it when the process dies."""
    folder = data.root / ".locks"  # not in the archive's folders, which hold only archived files and records
    folder.mkdir(parents=True, exist_ok=True)
    return FileLock(folder / f"ingest-{contract.name}.lock", is_singleton=True)


def _parse_time(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(str(text))
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).replace(microsecond=0).isoformat()


def archive_records(contract: SourceContract, data: DataDir) -> list[dict[str, object]]:
    """Every archived file's record, in arrival order (each with its `sha256`). Records written before arrival
    numbers existed get them now, in the order of their vintage (then hash), and are rewritten once."""
    folder = data.archive(contract.name)
    records = []
    for meta in folder.glob("*.json"):
        with contextlib.suppress(OSError, ValueError):
            records.append({**json.loads(meta.read_text(encoding="utf-8")), "sha256": meta.stem})
    numbered = sorted((r for r in records if "arrival" in r), key=lambda r: int(r["arrival"]))
    legacy = sorted((r for r in records if "arrival" not in r), key=lambda r: (str(r["delivered_at"]), r["sha256"]))
    last = _parse_time(str(numbered[-1]["delivered_at"])) if numbered else None
    for record in legacy:
        vintage = _parse_time(str(record["delivered_at"]))
        vintage = max(vintage, last + _SECOND) if last else vintage
        record |= {
            "arrival": len(numbered) + 1,
            "delivered_at": _iso(vintage),
            "file_time": record.get("file_time", record["delivered_at"]),
            "vintage_basis": "file_time",
        }
        _write_record(folder, record)
        numbered.append(record)
        last = vintage
    return numbered


def _write_record(folder: Path, record: dict[str, object]) -> None:
    body = {k: v for k, v in record.items() if k != "sha256"}
    atomic_write_bytes(
        folder / f"{record['sha256']}.json", json.dumps(body, ensure_ascii=False, sort_keys=True).encode()
    )


def _copy_hashing(source: LandingFile, target: Path) -> str:
    """Copy a landing file and return the SHA-256 of the bytes written, in one pass over them."""
    digest = hashlib.sha256()
    with open_file(source) as src, target.open("wb") as dst:
        for chunk in iter(lambda: src.read(1 << 20), b""):
            digest.update(chunk)
            dst.write(chunk)
    return digest.hexdigest()


def _demo_hashes(contract: SourceContract, data: DataDir) -> set[str]:
    raw = read_small(contract, data, DEMO_MANIFEST)
    try:
        return set(json.loads(raw or b"{}").get("files", {}).values())
    except (ValueError, AttributeError):
        return set()


def archive_landing(contract: SourceContract, data: DataDir, now: dt.datetime | None = None) -> LandingScan:
    """Copy each new landing file into the content-addressed archive, once, and give it the next arrival number
    and its vintage. Call under source_lock."""
    archive = data.archive(contract.name)
    archive.mkdir(parents=True, exist_ok=True)
    files, refused = scan(contract, data)
    seen = LandingScan(refused=refused)
    if not files:
        return seen
    now = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    new: dict[str, tuple[LandingFile, dt.datetime]] = {}
    for file in files:
        try:
            sha = landing_sha256(file)
        except OSError as exc:  # gone, swapped for a link, or unreadable since the listing
            seen.refused.append(Refusal(file.name, "changed_while_read", f"not read: {exc.strerror or exc}"))
            continue
        seen.hashes.add(sha)
        if (archive / f"{sha}.json").exists():
            continue
        stored = archive / sha
        if not stored.exists():
            tmp = archive / f".{sha}.tmp-{os.getpid()}"
            if _copy_hashing(file, tmp) != sha:  # still being uploaded: the archive holds only the bytes its name says
                tmp.unlink()
                continue
            os.chmod(tmp, 0o444)
            os.replace(tmp, stored)
        claimed = dt.datetime.fromtimestamp(file.mtime, dt.UTC).replace(microsecond=0)
        key = (min(claimed, now), clean_name(file.name), sha)
        if sha not in new or key < (min(new[sha][1], now), clean_name(new[sha][0].name), sha):
            new[sha] = (file, claimed)
    if not new:
        return seen
    records = archive_records(contract, data)
    demo = _demo_hashes(contract, data)
    last = records[-1] if records else None
    for sha, (file, claimed) in sorted(
        new.items(), key=lambda kv: (min(kv[1][1], now), clean_name(kv[1][0].name), kv[0])
    ):
        record = _next_record(last, claimed, now) | {
            "sha256": sha,
            "file_name": clean_name(file.name),
            "file_bytes": (archive / sha).stat().st_size,
            "file_time": _iso(claimed),
            "is_demo": sha in demo,
        }
        _write_record(archive, record)
        last = record
    return seen


def _next_record(last: dict[str, object] | None, claimed: dt.datetime, now: dt.datetime) -> dict[str, object]:
    """Arrival number and vintage of the file archived after `last`.

    The file's own time is the vintage when it is plausible: not in the future and not before the time the
    previous delivery was dated by (so files arriving together keep the order and times they were written in,
    and a rerun after a crash dates the rest of a batch as an uninterrupted run would). Otherwise the archiving
    clock dates it. Either way it is at least a second after the previous vintage.
    """
    if last is None:
        basis_ok, previous = claimed <= now, None
    else:
        previous = _parse_time(str(last["delivered_at"]))
        dated_by = _parse_time(str(last["file_time"])) if last.get("vintage_basis") == "file_time" else previous
        basis_ok = dated_by <= claimed <= now
    vintage, basis = (claimed, "file_time") if basis_ok else (now, "archive_clock")
    if previous is not None and vintage <= previous:
        vintage = previous + _SECOND
    return {
        "arrival": int(last["arrival"]) + 1 if last else 1,
        "delivered_at": _iso(vintage),
        "vintage_basis": basis,
    }


def landing_files(contract: SourceContract, data: DataDir) -> list[Path]:
    """The delivered files in a source's landing folder, in name order: regular files only (no links, FIFOs,
    devices or hard links to files elsewhere), no dot files."""
    return [f.path for f in scan(contract, data)[0]]
