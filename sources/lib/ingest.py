"""Archive -> raw Parquet with lineage; rejected rows and unreadable files to quarantine; one record per file.

Each archived file (sources.lib.archive) is read and checked in a child process with limits (sources.lib.isolation): a
file that makes a reader abort, run out of memory or loop ends that child, never the run, and is quarantined
with the rule it broke like any unreadable file. Every step writes to a temporary name and renames, and the
delivery record is written last: a run that dies part-way leaves either nothing or a complete result, and the
next run picks up where it stopped; a file whose ingest was interrupted and that is no longer in landing is not
tried again (it is recorded as `ingest_interrupted`; put it back in landing to retry). The same bytes delivered
twice are archived once and ingested once.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import gc
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from sources.lib.archive import (
    DEMO_MANIFEST,
    archive_landing,
    archive_records,
    atomic_write_bytes,
    clean_name,
    landing_files,
    sha256_of,
    source_lock,
)
from sources.lib.cells import RawTable
from sources.lib.contract import SourceContract
from sources.lib.errors import SourceFileError, excerpt
from sources.lib.isolation import Crashed, Outcome, Raised, Returned, run_isolated
from sources.lib.landing import Refusal
from sources.lib.paths import DataDir
from sources.lib.readers import read_csv, read_json, read_xlsx
from sources.lib.safety import ZIP_MAGIC, check_size, check_text, check_xlsx
from sources.lib.validate import REJECTION_COLUMNS, empty_table, validate

__all__ = [
    "DELIVERY_COLUMNS",
    "DEMO_MANIFEST",
    "LINEAGE_COLUMNS",
    "IngestReport",
    "clean_name",
    "delivery_records",
    "ingest_source",
    "landing_files",
    "newest_delivery",
    "read_file",
    "release_memory",
    "sha256_of",
]

# delivery_scope: null for an increment; for a snapshot, the scope the row's file replaces ("*" the whole source,
# else e.g. "municipality_code=0180;report_year=2024"): staging keeps a scope's rows of its newest file only
LINEAGE_COLUMNS = [
    "source_file_sha256",
    "source_file_name",
    "source_sheet",
    "source_row",
    "vintage_at",
    "delivery_scope",
]
INGEST_VERSION = 2  # a delivery record of an older version is ingested again from the archive
DELIVERY_COLUMNS = [
    "source",
    "source_title",
    "publisher",
    "licence",
    "file_sha256",
    "file_name",
    "file_bytes",
    "delivered_at",  # the vintage: given at archiving, strictly increasing with arrival (sources.lib.archive)
    "status",  # accepted | accepted_with_rejections | rejected
    "rows_accepted",
    "rows_rejected",
    "error_rule",
    "error_message",
    "is_demo",
    "arrival",  # 1, 2, 3 … per source: the order deliveries are taken in
    "vintage_basis",  # file_time | archive_clock: what dated the vintage
    "published_on",  # the publisher's stated date for the content, where the source states one
    "delivery_kind",  # snapshot | increment (the contract's delivery.kind)
    "delivery_scope",  # what a snapshot replaces: "*" the whole source, or the scopes the file holds
    "blocks_publishing",  # the contract says a rejected newest delivery of this source stops publishing
    "warning_rule",  # an accepted file that still needs saying, e.g. not_read_by_indicators
    "warning_message",
    "ingest_version",
]
_TYPES = {
    "file_bytes": pa.int64(),
    "delivered_at": pa.timestamp("s", tz="UTC"),
    "rows_accepted": pa.int64(),
    "rows_rejected": pa.int64(),
    "is_demo": pa.bool_(),
    "arrival": pa.int64(),
    "published_on": pa.date32(),
    "blocks_publishing": pa.bool_(),
    "ingest_version": pa.int64(),
}
DELIVERY_SCHEMA = pa.schema([(c, _TYPES.get(c, pa.string())) for c in DELIVERY_COLUMNS])
INTERRUPTED = "ingest_interrupted"
_MESSAGE_CHARS = 500


@dataclass
class FileResult:
    file_name: str
    sha256: str
    status: str
    rows_accepted: int = 0
    rows_rejected: int = 0
    error: str | None = None
    error_rule: str | None = None
    published_on: dt.date | None = None
    delivery_scope: str | None = None
    warning_rule: str | None = None
    warning_message: str | None = None
    first_rejection: str | None = None  # the first rejected row's cell and reason, for the run's progress line


@dataclass
class IngestReport:
    source: str
    new_files: list[FileResult] = field(default_factory=list)
    already_ingested: int = 0
    refused: list[Refusal] = field(default_factory=list)  # landing entries not read (links, FIFOs, …)

    @property
    def rows_accepted(self) -> int:
        return sum(f.rows_accepted for f in self.new_files)

    @property
    def rows_rejected(self) -> int:
        return sum(f.rows_rejected for f in self.new_files)


def _atomic_parquet(frame: pd.DataFrame, target: Path) -> None:
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    frame.to_parquet(tmp, index=False)
    os.replace(tmp, target)


def _atomic_table(table: pa.Table, target: Path) -> None:
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    # min/max statistics of every column but free text: comparing names and addresses was a third of the write, and
    # no query filters a raw table on them (the lineage columns are dictionaries: they keep theirs)
    pq.write_table(table, tmp, write_statistics=[f.name for f in table.schema if not pa.types.is_string(f.type)])
    os.replace(tmp, target)


# --------------------------------------------------------------------------------------------------------------
# reading one file


def _read_file(path: Path, name: str, contract: SourceContract) -> RawTable:
    check_size(path, name, contract.max_file_mib)
    parser = contract.parser()
    suffix = Path(name).suffix.lower()
    warning = None
    if contract.format == "xlsx" or suffix == ".xlsx":
        warning = check_xlsx(path, name)
    elif contract.format in ("csv", "json") or suffix in (".csv", ".txt", ".json"):
        check_text(path, name)
    if parser is not None:
        table = parser.parse(path, name, contract)
    elif contract.format == "csv":
        table = read_csv(path, name, contract)
    elif contract.format == "json":
        table = read_json(path, name, contract)
    else:
        table = read_xlsx(path, name, contract)
    table.warning = table.warning or warning
    return table


def _is_zip(path: Path) -> bool:
    with contextlib.suppress(OSError), path.open("rb") as fh:
        return fh.read(4) == ZIP_MAGIC
    return False


def _crash_error(name: str, crash: Crashed) -> SourceFileError:
    """A reader that died on a file, as the rule it broke."""
    lines = [line for line in crash.stderr_tail.splitlines() if line.strip() and line.strip() != "..."]
    last = next((line for line in lines if "memory allocation" in line), lines[-1] if lines else "")
    said = f" (it said: {excerpt(last, 120)})" if last else ""
    if "memory allocation" in crash.stderr_tail:
        return SourceFileError(
            name,
            "reader_memory_limit",
            f"reading the file needed more memory than a reader may use{said}: a sheet with a stray cell far from "
            "its data (such as XFD1048576) makes the reader lay out the whole grid; delete the stray cells "
            "(Ctrl+End shows the last cell) and save the file again",
        )
    if crash.signal_name in ("SIGXCPU", "SIGKILL"):
        return SourceFileError(
            name, "reader_time_limit", f"reading the file took longer than a reader may run; {crash.describe()}"
        )
    return SourceFileError(name, "reader_crashed", f"the reader stopped on this file: {crash.describe()}{said}")


def read_file(path: Path, name: str, contract: SourceContract) -> RawTable:
    """Read one delivered file to raw cells (after the safety checks), or raise SourceFileError naming the file
    and the rule. A workbook (a zip container) is read in a child process with limits, so whatever it does to the
    reader ends as a SourceFileError, never as this process's end."""
    if not _is_zip(path):
        return _read_file(path, name, contract)
    outcomes: list[Outcome] = []
    run_isolated("sources.lib.ingest:_read_file", [(path, name, contract)], lambda _, o: outcomes.append(o))
    [outcome] = outcomes
    if isinstance(outcome, Returned):
        return outcome.value  # type: ignore[return-value]
    if isinstance(outcome, Raised):
        if isinstance(outcome.error, MemoryError):
            raise _crash_error(name, Crashed(0, "memory allocation failed (MemoryError)"))
        raise outcome.error
    raise _crash_error(name, outcome)


# --------------------------------------------------------------------------------------------------------------
# one file through the contract, in the child


def _published_on(table: RawTable, accepted: pa.Table, name: str, contract: SourceContract) -> dt.date | None:
    delivery = contract.delivery
    if table.published_on is not None:
        return table.published_on
    if delivery.published_on_column_max and accepted.num_rows:
        newest = pc.max(accepted[delivery.published_on_column_max]).as_py()
        return newest.date() if isinstance(newest, dt.datetime) else newest
    if delivery.published_on_file_name and (m := re.search(delivery.published_on_file_name, name)):
        with contextlib.suppress(ValueError, IndexError):
            return dt.date.fromisoformat(m.group(1))
    return None


def _scopes(accepted: pa.Table, contract: SourceContract) -> pa.Array | None:
    """Each row's delivery_scope (see LINEAGE_COLUMNS), dictionary-encoded; None for an increment."""
    delivery = contract.delivery
    if delivery.kind != "snapshot":
        return None
    if not delivery.scope:
        return _repeated_text("*", accepted.num_rows)
    parts = [
        pc.binary_join_element_wise(f"{column}=", pc.fill_null(pc.cast(accepted[column], pa.string()), ""), "")
        for column in delivery.scope
    ]
    return pc.dictionary_encode(pc.binary_join_element_wise(*parts, ";")).combine_chunks()


def _not_read(accepted: pa.Table, contract: SourceContract) -> tuple[str | None, str | None]:
    """The warning for an accepted file none of whose rows the indicators read (SMHI's CO2-only export)."""
    for column, values in contract.delivery.indicators_read.items():
        if not accepted.num_rows:
            continue
        found = pc.cast(accepted[column], pa.string())
        if not pc.any(pc.is_in(found, pa.array(list(values), pa.string()))).as_py():
            delivered = sorted(str(v) for v in pc.unique(found.drop_null()).to_pylist())[:5]
            return (
                "not_read_by_indicators",
                f"{column} is {', '.join(excerpt(v) for v in delivered)} in this file; the indicators read "
                f"{column} {', '.join(repr(v) for v in values)} only, so this delivery feeds no indicator",
            )
    return None, None


def _ingest_in_child(contract: SourceContract, data: DataDir, meta: dict[str, object]) -> FileResult:
    """Read, check and write one archived file (raw Parquet, rejected rows, or the whole file to quarantine).

    Runs in a child process (run_isolated). An error of the file is its rejection; an error of the machine (a
    full disk, an unreadable archive: OSError) is raised, so the file is tried again by the next run."""
    sha, name = str(meta["sha256"]), str(meta["file_name"])
    stored = data.archive(contract.name) / sha
    quarantine = data.quarantine(contract.name)
    raw_file = data.raw(contract.name) / f"{sha}.parquet"
    vintage = pd.Timestamp(str(meta["delivered_at"])).tz_convert("UTC")
    try:
        try:
            table = _read_file(stored, name, contract)
            checked = validate(table, contract, vintage.date())
            accepted = _with_lineage(checked.table, sha, name, vintage, _scopes(checked.table, contract))
            published = _published_on(table, checked.table, name, contract)
            warning = _not_read(checked.table, contract)
            if warning == (None, None) and table.warning is not None:
                warning = table.warning
            _atomic_table(accepted, raw_file)
            rows_file = quarantine / f"{sha}.rows.parquet"
            if len(checked.rejected):
                _atomic_parquet(_rejections(checked.rejected, contract.name, sha, name), rows_file)
        except (SourceFileError, OSError):
            raise
        except MemoryError:
            raise _crash_error(name, Crashed(0, "memory allocation failed (MemoryError)")) from None
        except Exception as exc:  # a reader or converter failing on this file: the file's error, named
            raise SourceFileError(
                name, "reader_error", f"the file could not be read: {type(exc).__name__}: {excerpt(str(exc), 160)}"
            ) from exc
    except SourceFileError as exc:
        raw_file.unlink(missing_ok=True)  # an earlier ingest of these bytes (another code version) is withdrawn
        _write_file_rejection(quarantine, sha, name, exc)
        return FileResult(name, sha, "rejected", error=str(exc), error_rule=exc.rule)
    (quarantine / f"{sha}.file.json").unlink(missing_ok=True)
    status = "accepted_with_rejections" if len(checked.rejected) else "accepted"
    rejected_rows = checked.rejected[["sheet", "row"]].drop_duplicates().shape[0]
    first = checked.rejected.loc[checked.rejected["row"].idxmin()] if rejected_rows else None  # its first on a tie
    scope = None
    if contract.delivery.kind == "snapshot" and accepted.num_rows:
        scope = " | ".join(sorted(str(s) for s in pc.unique(accepted["delivery_scope"]).to_pylist()))[:_MESSAGE_CHARS]
    return FileResult(
        name,
        sha,
        status,
        rows_accepted=accepted.num_rows,
        rows_rejected=rejected_rows,
        published_on=published,
        delivery_scope=scope,
        warning_rule=warning[0],
        warning_message=warning[1],
        first_rejection=None if first is None else f"{first['cell']}: {first['message']}"[:200],  # quotes escaped
    )


def _warm_reader() -> None:
    """Read, check and write a small CSV and a small workbook once, in the isolation server: what a first read
    sets up (Arrow's compute functions, SCB's list, compiled patterns, calamine) is then there in every child
    forked from it, instead of being done again in each (about 90 ms a child)."""
    import tempfile

    from openpyxl import Workbook

    from sources.lib.contract import discover_contracts

    contracts = {c.name: c for c in discover_contracts()}
    register, ledger = contracts.get("klimatkontrakt_register"), contracts.get("funding_ledger")
    with tempfile.TemporaryDirectory(prefix="vc-warm-") as tmp:
        folder = Path(tmp)
        jobs: list[tuple[SourceContract, Path]] = []
        if register is not None:
            header = ";".join(c.header for c in register.columns)
            (folder / "r.csv").write_text(f"{header}\n0180;Stockholm;2019;2019-06-01;;2025;x\n", encoding="utf-8")
            jobs.append((register, folder / "r.csv"))
        if ledger is not None:
            wb = Workbook()
            ws = wb.active
            ws.title = str(ledger.reader.get("sheet", "Sheet"))
            ws.append([c.header for c in ledger.columns])
            ws.append(["VC-1", "VINNOVA", "x", "y", "0180", "awarded", 1.5, "SEK", "tkr", "2024-01-02", "2024-02-03"])
            wb.save(folder / "l.xlsx")
            jobs.append((ledger, folder / "l.xlsx"))
        for contract, path in jobs:
            checked = validate(_read_file(path, path.name, contract), contract, dt.date(2026, 1, 1))
            frame = _with_lineage(checked.table, "0" * 64, path.name, pd.Timestamp("2026-01-01", tz="UTC"), None)
            _atomic_table(frame, folder / f"{path.stem}.parquet")


def _write_file_rejection(quarantine: Path, sha: str, name: str, exc: SourceFileError) -> None:
    record = {"file_sha256": sha, "file_name": name, "rule": exc.rule, "message": _bounded(str(exc))}
    atomic_write_bytes(quarantine / f"{sha}.file.json", json.dumps(record, ensure_ascii=False).encode())


def _bounded(message: str | None) -> str | None:
    if message is None:
        return None
    message = "".join(ch if ch.isprintable() else " " for ch in message)
    return message if len(message) <= _MESSAGE_CHARS else message[: _MESSAGE_CHARS - 1] + "…"


# --------------------------------------------------------------------------------------------------------------
# a source's files, in the parent


def _ensure_schema(names: list[str], make: Callable[[], pd.DataFrame | pa.Table], target: Path) -> None:
    """An empty file with a table's columns (`names`, made by `make` when needed), so the warehouse builds before
    the first delivery; rewritten when the columns change (after an upgrade)."""
    if target.exists():
        with contextlib.suppress(OSError, pa.ArrowException):
            if pq.read_schema(target).names == names:
                return
    frame = make()
    if isinstance(frame, pa.Table):
        _atomic_table(frame, target)
    else:
        _atomic_parquet(frame, target)


def delivery_records(contract: SourceContract, data: DataDir) -> list[dict[str, object]]:
    """Every delivery record of a source (raw/_deliveries), in arrival order, as plain Python values."""
    tables = []
    for path in data.deliveries.glob(f"{contract.name}__*.parquet"):
        with contextlib.suppress(OSError, pa.ArrowException):
            tables.append(pq.read_table(path))  # Arrow, not pandas: a few hundred microseconds a file
    if not tables:
        return []
    records = pa.concat_tables(tables, promote_options="permissive").to_pylist()  # older records: new columns null
    return sorted(records, key=lambda r: (_arrival(r), str(r["delivered_at"]), str(r["file_sha256"])))


def _arrival(record: dict[str, object]) -> int:
    value = record.get("arrival")
    return 0 if value is None else int(value)  # type: ignore[call-overload]


def _is_current(record: dict[str, object]) -> bool:
    version = record.get("ingest_version")
    return version is not None and int(version) >= INGEST_VERSION  # type: ignore[call-overload]


def ingest_source(contract: SourceContract, data: DataDir) -> IngestReport:
    """Archive the source's new landing files and ingest every archived file that has no current record."""
    from sources.lib.state import write_source_state  # the state reads the records written here

    data.ensure()
    raw_dir, quarantine = data.raw(contract.name), data.quarantine(contract.name)
    raw_dir.mkdir(parents=True, exist_ok=True)
    quarantine.mkdir(parents=True, exist_ok=True)
    with source_lock(contract, data):
        seen = archive_landing(contract, data)
        _ensure_schema(
            [*contract.column_names, *LINEAGE_COLUMNS],
            lambda: _with_lineage(empty_table(contract), "", "", None, None),
            raw_dir / "_schema.parquet",
        )
        _ensure_schema(
            ["source", "file_sha256", "file_name", *REJECTION_COLUMNS],
            lambda: _rejections(pd.DataFrame(columns=REJECTION_COLUMNS), contract.name, "", ""),
            quarantine / "_schema.parquet",
        )
        _ensure_schema(DELIVERY_COLUMNS, lambda: _delivery_record([]), data.deliveries / "_schema.parquet")
        report = IngestReport(contract.name, refused=seen.refused)
        existing = {str(r["file_sha256"]): r for r in delivery_records(contract, data)}
        pending: list[dict[str, object]] = []
        for meta in archive_records(contract, data):
            sha = str(meta["sha256"])
            record, marker = existing.get(sha), quarantine / f".{sha}.ingesting"
            retry = record is not None and record.get("error_rule") == INTERRUPTED and sha in seen.hashes
            if record is not None and _is_current(record) and not retry:
                report.already_ingested += 1
                marker.unlink(missing_ok=True)
            elif record is None and marker.exists() and sha not in seen.hashes:
                error = SourceFileError(
                    str(meta["file_name"]),
                    INTERRUPTED,
                    "the ingest of this file was interrupted and the file is no longer in landing, so it is not tried "
                    "again; put it back in landing to ingest it",
                )
                _write_file_rejection(quarantine, sha, error.file, error)
                (raw_dir / f"{sha}.parquet").unlink(missing_ok=True)  # whatever the killed run's reader left
                result = FileResult(error.file, sha, "rejected", error=str(error), error_rule=error.rule)
                existing[sha] = _finish(contract, data, meta, result, report)
            else:
                pending.append(meta)
        for meta in pending:  # a run that dies from here on leaves these marked: see INTERRUPTED
            (quarantine / f".{meta['sha256']}.ingesting").touch()

        def handle(index: int, outcome: Outcome) -> None:
            meta = pending[index]
            if isinstance(outcome, Raised):
                raise outcome.error  # the machine's error (a full disk): the file is tried again next time
            if isinstance(outcome, Returned):
                result: FileResult = outcome.value  # type: ignore[assignment]
            else:
                error = _crash_error(str(meta["file_name"]), outcome)
                _write_file_rejection(quarantine, str(meta["sha256"]), error.file, error)
                result = FileResult(
                    error.file, str(meta["sha256"]), "rejected", error=str(error), error_rule=error.rule
                )
            existing[str(meta["sha256"])] = _finish(contract, data, meta, result, report)

        if pending:
            run_isolated("sources.lib.ingest:_ingest_in_child", [(contract, data, m) for m in pending], handle)
            arrival = {str(m["sha256"]): int(m["arrival"]) for m in pending}  # type: ignore[call-overload]
            report.new_files.sort(key=lambda f: arrival.get(f.sha256, 0))  # read side by side: in arrival order
        records = sorted(existing.values(), key=lambda r: (_arrival(r), str(r["delivered_at"]), str(r["file_sha256"])))
        write_source_state(contract, data, seen.refused, records)
    return report


def _finish(
    contract: SourceContract, data: DataDir, meta: dict[str, object], result: FileResult, report: IngestReport
) -> dict[str, object]:
    """Write the file's delivery record (last: it marks the file as done) and drop its in-progress mark; the
    record as delivery_records reads it."""
    sha = str(meta["sha256"])
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
                "error_rule": result.error_rule,
                "error_message": _bounded(result.error),
                "is_demo": bool(meta.get("is_demo", False)),
                "arrival": meta["arrival"],
                "vintage_basis": meta.get("vintage_basis"),
                "published_on": result.published_on,
                "delivery_kind": contract.delivery.kind,
                "delivery_scope": result.delivery_scope,
                "blocks_publishing": contract.delivery.blocks_publishing,
                "warning_rule": result.warning_rule,
                "warning_message": _bounded(result.warning_message),
                "ingest_version": INGEST_VERSION,
            }
        ]
    )
    _atomic_table(record, data.deliveries / f"{contract.name}__{sha}.parquet")
    (data.quarantine(contract.name) / f".{sha}.ingesting").unlink(missing_ok=True)
    report.new_files.append(result)
    return record.to_pylist()[0]


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


def _delivery_record(records: list[dict[str, object]]) -> pa.Table:
    """Delivery records as a table of DELIVERY_SCHEMA (built by Arrow: pandas took 18 ms a record)."""
    rows = [dict(r) for r in records]
    for row in rows:
        if isinstance(row["delivered_at"], str):
            row["delivered_at"] = dt.datetime.fromisoformat(row["delivered_at"])
    return pa.Table.from_pylist(rows, schema=DELIVERY_SCHEMA)


def _repeated_text(value: str, n: int) -> pa.DictionaryArray:
    """One text n times, dictionary-encoded: an index byte a row, not a copy of the text (a file's hash and name
    repeated on millions of rows, docs/benchmarks.md)."""
    return pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, dtype=np.int8)), pa.array([value], pa.string()))


def _with_lineage(
    accepted: pa.Table, sha: str, name: str, vintage: pd.Timestamp | None, scopes: pa.Array | None
) -> pa.Table:
    """The accepted rows with the LINEAGE_COLUMNS last (validate gives source_sheet and source_row)."""
    n = accepted.num_rows
    stamp = None if vintage is None else vintage.tz_localize(None).to_datetime64().astype("datetime64[s]")
    lineage = {
        "source_file_sha256": _repeated_text(sha, n),
        "source_file_name": _repeated_text(name, n),
        "source_sheet": accepted["source_sheet"],
        "source_row": accepted["source_row"],
        "vintage_at": pa.array(np.full(n, stamp) if stamp is not None else [None] * n, pa.timestamp("s", tz="UTC")),
        "delivery_scope": scopes if scopes is not None else pa.nulls(n, pa.string()),
    }
    columns = {c: accepted[c] for c in accepted.column_names if c not in LINEAGE_COLUMNS}
    return pa.table({**columns, **lineage})


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


def newest_delivery(contract: SourceContract, data: DataDir) -> dict[str, object] | None:
    """The delivery record of the source's most recently arrived file, if any."""
    records = delivery_records(contract, data)
    return records[-1] if records else None
