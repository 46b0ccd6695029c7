"""Landing -> archive -> raw Parquet with lineage, rejected rows and unreadable files to quarantine.

Every step writes to a temporary name and renames, and the delivery record is written last: a run that dies
part-way leaves either nothing or a complete result, and the next run picks up where it stopped. The same bytes
delivered twice are archived once and ingested once.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import gc
import hashlib
import json
import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from sources.contract import SourceContract
from sources.errors import SourceFileError
from sources.paths import DataDir
from sources.readers import RawTable, read_csv, read_json, read_xlsx
from sources.safety import check_size, check_text, check_xlsx
from sources.validate import REJECTION_COLUMNS, empty_frame, validate

DEMO_MANIFEST = ".demo.json"  # written by sources.demo.generate beside the files it made
LINEAGE_COLUMNS = ["source_file_sha256", "source_file_name", "source_sheet", "source_row", "vintage_at"]
DELIVERY_COLUMNS = [
    "source",
    "source_title",
    "publisher",
    "licence",
    "file_sha256",
    "file_name",
    "file_bytes",
    "delivered_at",
    "status",
    "rows_accepted",
    "rows_rejected",
    "error_rule",
    "error_message",
    "is_demo",
]


@dataclass
class FileResult:
    file_name: str
    sha256: str
    status: str
    rows_accepted: int = 0
    rows_rejected: int = 0
    error: str | None = None


@dataclass
class IngestReport:
    source: str
    new_files: list[FileResult] = field(default_factory=list)
    already_ingested: int = 0

    @property
    def rows_accepted(self) -> int:
        return sum(f.rows_accepted for f in self.new_files)

    @property
    def rows_rejected(self) -> int:
        return sum(f.rows_rejected for f in self.new_files)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _copy_hashing(source: Path, target: Path) -> str:
    """Copy a file and return the SHA-256 of the bytes written, in one pass over them."""
    digest = hashlib.sha256()
    with source.open("rb") as src, target.open("wb") as dst:
        for chunk in iter(lambda: src.read(1 << 20), b""):
            digest.update(chunk)
            dst.write(chunk)
    return digest.hexdigest()


def clean_name(name: str) -> str:
    """The original file name as recorded: NFC, no control characters, no directories, bounded length."""
    name = unicodedata.normalize("NFC", os.path.basename(name))
    name = "".join(ch for ch in name if ch.isprintable())
    return name[:200] or "unnamed"


def _atomic_write_bytes(target: Path, data: bytes) -> None:
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")  # per process: two runs never share a temp file
    tmp.write_bytes(data)
    os.replace(tmp, target)


def _atomic_parquet(frame: pd.DataFrame, target: Path) -> None:
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    frame.to_parquet(tmp, index=False)
    os.replace(tmp, target)


def landing_files(contract: SourceContract, data: DataDir) -> list[Path]:
    """The delivered files in a source's landing folder, in name order: never a symlink, no dot files (they are
    temporary: connector downloads, the demo manifest)."""
    landing = data.landing(contract.name)
    if not landing.is_dir():
        return []
    return [
        p
        for p in sorted(landing.glob(contract.landing_glob))
        if not p.name.startswith(".") and not p.is_symlink() and p.is_file()
    ]


def delivered_at(path: Path) -> str:
    """The delivery time: when the file was dropped in landing (its mtime), in UTC, to the second."""
    return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).replace(microsecond=0).isoformat()


def archive_landing(contract: SourceContract, data: DataDir) -> None:
    """Copy each landing file into the content-addressed archive, once; record its name and delivery time."""
    landing = data.landing(contract.name)
    archive = data.archive(contract.name)
    archive.mkdir(parents=True, exist_ok=True)
    if not landing.is_dir():
        return
    demo_manifest = landing / DEMO_MANIFEST
    demo_hashes = (
        set(json.loads(demo_manifest.read_text(encoding="utf-8"))["files"].values())
        if demo_manifest.exists()
        else set()
    )
    for path in landing_files(contract, data):
        sha = sha256_of(path)
        meta = archive / f"{sha}.json"
        if meta.exists():
            continue
        stored = archive / sha
        if not stored.exists():
            tmp = archive / f".{sha}.tmp-{os.getpid()}"
            if _copy_hashing(path, tmp) != sha:  # still being uploaded: the archive holds only the bytes its name says
                tmp.unlink()
                continue
            os.chmod(tmp, 0o444)
            os.replace(tmp, stored)
        record = {
            "file_name": clean_name(path.name),
            "file_bytes": stored.stat().st_size,
            "delivered_at": delivered_at(path),
            "is_demo": sha in demo_hashes,
        }
        _atomic_write_bytes(meta, json.dumps(record, ensure_ascii=False, sort_keys=True).encode())


def read_file(path: Path, name: str, contract: SourceContract) -> RawTable:
    check_size(path, name, contract.max_file_mib)
    parser = contract.parser()
    suffix = Path(name).suffix.lower()
    if contract.format == "xlsx" or suffix == ".xlsx":
        check_xlsx(path, name)
    elif contract.format in ("csv", "json") or suffix in (".csv", ".txt", ".json"):
        check_text(path, name)
    if parser is not None:
        return parser.parse(path, name, contract)
    if contract.format == "csv":
        return read_csv(path, name, contract)
    if contract.format == "json":
        return read_json(path, name, contract)
    return read_xlsx(path, name, contract)


def ingest_source(contract: SourceContract, data: DataDir) -> IngestReport:
    data.ensure()
    archive_landing(contract, data)
    raw_dir = data.raw(contract.name)
    quarantine = data.quarantine(contract.name)
    raw_dir.mkdir(parents=True, exist_ok=True)
    quarantine.mkdir(parents=True, exist_ok=True)
    schema_file = raw_dir / "_schema.parquet"
    if not schema_file.exists():
        # An empty file with the contract's columns, so the warehouse can be built before the first delivery.
        _atomic_parquet(_with_lineage(empty_frame(contract), "", "", None), schema_file)
    if not (quarantine / "_schema.parquet").exists():
        _atomic_parquet(
            _rejections(pd.DataFrame(columns=REJECTION_COLUMNS), contract.name, "", ""), quarantine / "_schema.parquet"
        )

    if not (data.deliveries / "_schema.parquet").exists():
        _atomic_parquet(_delivery_record([]), data.deliveries / "_schema.parquet")

    report = IngestReport(contract.name)
    for meta_path in sorted(data.archive(contract.name).glob("*.json")):
        sha = meta_path.stem
        delivery = data.deliveries / f"{contract.name}__{sha}.parquet"
        if delivery.exists():
            report.already_ingested += 1
            continue
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        result = _ingest_file(contract, data, sha, meta)
        if result.rows_accepted + result.rows_rejected >= LARGE_FILE_ROWS:
            release_memory(collect=False)  # not after every small file: each call costs tens of ms
        report.new_files.append(result)
        record = _delivery_record(
            [
                {
                    "source": contract.name,
                    "source_title": contract.title,
                    "publisher": contract.publisher,
                    "licence": contract.licence,
                    "file_sha256": sha,
                    "file_name": meta["file_name"],
                    "file_bytes": meta["file_bytes"],
                    "delivered_at": meta["delivered_at"],
                    "status": result.status,
                    "rows_accepted": result.rows_accepted,
                    "rows_rejected": result.rows_rejected,
                    "error_rule": None if result.error is None else result.error.split("[rule: ")[-1].rstrip("]"),
                    "error_message": result.error,
                    "is_demo": bool(meta.get("is_demo", False)),
                }
            ]
        )
        _atomic_parquet(record, delivery)
    return report


LARGE_FILE_ROWS = 100_000


def _resident_mib() -> float:
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):  # not Linux: always release
        return float("inf")


def release_memory(above_mib: int = 0, collect: bool = True) -> None:
    """Give the memory of a large file's tables back to the system before the next step: Arrow's allocator and
    glibc keep freed blocks for reuse, and the rest of the pipeline (dbt, checks) runs beside this process.
    Only when this process holds more than `above_mib`: a full collection is slow in a process with Dagster, dbt
    and great-expectations loaded (docs/benchmarks.md)."""
    if above_mib and _resident_mib() <= above_mib:
        return
    if collect:  # reference cycles; a file's tables are freed by reference counting alone
        gc.collect()
    pa.default_memory_pool().release_unused()
    with contextlib.suppress(OSError, AttributeError):  # not glibc
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _delivery_record(records: list[dict[str, object]]) -> pd.DataFrame:
    frame = pd.DataFrame(records, columns=DELIVERY_COLUMNS)
    types = {c: "string" for c in DELIVERY_COLUMNS}
    types |= {"file_bytes": "int64", "rows_accepted": "int64", "rows_rejected": "int64", "is_demo": "boolean"}
    frame = frame.astype(types | {"delivered_at": "string"})
    frame["delivered_at"] = pd.to_datetime(frame["delivered_at"], utc=True).astype("datetime64[s, UTC]")
    return frame


def _repeated_text(value: str, n: int) -> pd.Series:
    """One text n times, as a categorical of that one label: an index byte a row, not a copy of the text (a file's
    hash and name repeated on millions of rows, docs/benchmarks.md); Parquet stores it dictionary-encoded either way."""
    return pd.Series(pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), categories=pd.Index([value], dtype=object)))


def _with_lineage(frame: pd.DataFrame, sha: str, name: str, delivered_at: str | None) -> pd.DataFrame:
    out = frame.copy(deep=False)
    out.insert(len(out.columns), "source_file_sha256", _repeated_text(sha, len(out)))
    out.insert(len(out.columns), "source_file_name", _repeated_text(name, len(out)))
    if "source_sheet" not in out:
        out["source_sheet"] = pd.Series([None] * len(out), dtype="string")
    if "source_row" not in out:
        out["source_row"] = pd.Series([], dtype="int64")
    if delivered_at:
        vintage = pd.Timestamp(delivered_at)
        vintage = vintage.tz_localize("UTC") if vintage.tzinfo is None else vintage.tz_convert("UTC")
        stamp = vintage.tz_localize(None).to_datetime64().astype("datetime64[s]")
        out["vintage_at"] = pd.Series(np.full(len(out), stamp)).dt.tz_localize("UTC")
    else:
        out["vintage_at"] = pd.Series([pd.NaT] * len(out), dtype="datetime64[s, UTC]")
    return out[[c for c in out.columns if c not in LINEAGE_COLUMNS] + LINEAGE_COLUMNS]


def _rejections(frame: pd.DataFrame, source: str, sha: str, name: str) -> pd.DataFrame:
    out = frame.astype(
        {
            "sheet": "string",
            "column": "string",
            "cell": "string",
            "rule": "string",
            "value": "string",
            "message": "string",
            "row": "Int64",
        }
    )
    out.insert(0, "file_name", pd.Series([name] * len(out), dtype="string"))
    out.insert(0, "file_sha256", pd.Series([sha] * len(out), dtype="string"))
    out.insert(0, "source", pd.Series([source] * len(out), dtype="string"))
    return out


def _ingest_file(contract: SourceContract, data: DataDir, sha: str, meta: dict[str, object]) -> FileResult:
    name = str(meta["file_name"])
    stored = data.archive(contract.name) / sha
    quarantine = data.quarantine(contract.name)
    try:
        table = read_file(stored, name, contract)
    except SourceFileError as exc:
        record = {"file_sha256": sha, "file_name": name, "rule": exc.rule, "message": str(exc)}
        _atomic_write_bytes(quarantine / f"{sha}.file.json", json.dumps(record, ensure_ascii=False).encode())
        return FileResult(name, sha, "rejected", error=str(exc))
    checked = validate(table, contract)
    accepted = _with_lineage(checked.accepted, sha, name, str(meta["delivered_at"]))
    if table.sheet is not None and accepted["source_sheet"].isna().all():
        accepted["source_sheet"] = _repeated_text(table.sheet, len(accepted))
    _atomic_parquet(accepted, data.raw(contract.name) / f"{sha}.parquet")
    if len(checked.rejected):
        _atomic_parquet(_rejections(checked.rejected, contract.name, sha, name), quarantine / f"{sha}.rows.parquet")
    status = "accepted_with_rejections" if len(checked.rejected) else "accepted"
    rejected_rows = checked.rejected[["sheet", "row"]].drop_duplicates().shape[0]
    return FileResult(name, sha, status, rows_accepted=len(accepted), rows_rejected=rejected_rows)


def newest_delivery(contract: SourceContract, data: DataDir) -> dict[str, object] | None:
    """The delivery record of the source's most recently delivered file, if any."""
    records = [pd.read_parquet(p) for p in sorted(data.deliveries.glob(f"{contract.name}__*.parquet"))]
    if not records:
        return None
    frame = pd.concat(records).sort_values(["delivered_at", "file_sha256"])
    return frame.iloc[-1].to_dict()
