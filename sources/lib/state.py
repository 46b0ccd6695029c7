"""Each source's state for a run, from its delivery records: what the report may use, and whether it may publish.

    no_delivery       nothing has been delivered
    delivered         the newest delivery was accepted: it is the vintage used
    newest_rejected   the newest delivery was rejected (unreadable, or no row of it accepted): the source stays
                      on its last accepted delivery, named here, and the report says so
    nothing_accepted  every delivery was rejected: the source has no data

A contract with `delivery.blocks_publishing: true` (the contract register: every municipality figure hangs on
who is a member) stops publishing while its newest delivery is rejected (`publishing_blocked`).

`source_states` is what the run's checks and the workbook's cover read (no Dagster here); ingest also writes each
source's state to `raw/_sources/_<source>.parquet`, which the warehouse reads as `stg_pipeline__source_states`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass

import pyarrow as pa
import pyarrow.parquet as pq

from sources.lib.contract import SourceContract
from sources.lib.landing import Refusal
from sources.lib.paths import DataDir

STATES = ("no_delivery", "delivered", "newest_rejected", "nothing_accepted")


@dataclass(frozen=True)
class SourceState:
    source: str
    source_title: str
    state: str  # one of STATES
    publishing_blocked: bool  # the run must not publish (newest rejected and the contract blocks publishing)
    blocks_publishing: bool  # the contract's delivery.blocks_publishing
    delivery_kind: str  # snapshot | increment
    # the delivery in use: the newest accepted one with at least one row (None when there is none)
    file_name: str | None = None
    file_sha256: str | None = None
    delivered_at: dt.datetime | None = None
    arrival: int | None = None
    published_on: dt.date | None = None
    warning_rule: str | None = None
    warning_message: str | None = None
    # the newest delivery, when it is not the one in use
    newest_file_name: str | None = None
    newest_file_sha256: str | None = None
    newest_delivered_at: dt.datetime | None = None
    newest_arrival: int | None = None
    newest_status: str | None = None
    newest_error_rule: str | None = None
    newest_error_message: str | None = None
    landing_refused: str | None = None  # landing entries not read at the last ingest (links, FIFOs, …)
    message: str = ""


COLUMNS = list(SourceState.__dataclass_fields__)


def _usable(record: dict[str, object]) -> bool:
    return record["status"] != "rejected" and int(record["rows_accepted"]) > 0  # type: ignore[call-overload]


def _why(record: dict[str, object]) -> tuple[str, str]:
    """Why a delivery is not used: its rule and message."""
    if record["status"] == "rejected":
        return str(record.get("error_rule") or "rejected"), str(record.get("error_message") or "")
    if int(record["rows_rejected"]) > 0:  # type: ignore[call-overload]
        return "no_row_accepted", f"none of its {record['rows_rejected']} rows was accepted (see the rejected rows)"
    return "no_rows", "the file holds no rows"


def _clean(value: object) -> object:
    """A record's value; NaN (a record read through pandas) as None."""
    return None if value is None or (isinstance(value, float) and value != value) else value


def state_of(contract: SourceContract, records: list[dict[str, object]], refused: str | None = None) -> SourceState:
    """The state from a source's delivery records in arrival order (sources.lib.ingest.delivery_records)."""
    base = {
        "source": contract.name,
        "source_title": contract.title,
        "blocks_publishing": contract.delivery.blocks_publishing,
        "delivery_kind": contract.delivery.kind,
        "landing_refused": refused,
    }
    if not records:
        return SourceState(state="no_delivery", publishing_blocked=False, message="no delivery", **base)
    newest = records[-1]
    in_use = next((r for r in reversed(records) if _usable(r)), None)
    used = {}
    if in_use is not None:
        used = {
            "file_name": in_use["file_name"],
            "file_sha256": in_use["file_sha256"],
            "delivered_at": in_use["delivered_at"],
            "arrival": _clean(in_use.get("arrival")),
            "published_on": _clean(in_use.get("published_on")),
            "warning_rule": _clean(in_use.get("warning_rule")),
            "warning_message": _clean(in_use.get("warning_message")),
        }
    if in_use is newest:
        message = f"delivered: {newest['file_name']} (vintage {newest['delivered_at']}, arrival {used['arrival']})"
        return SourceState(state="delivered", publishing_blocked=False, message=message, **used, **base)
    rule, why = _why(newest)
    state = "newest_rejected" if in_use is not None else "nothing_accepted"
    blocked = contract.delivery.blocks_publishing
    using = (
        f"; the source stays on {in_use['file_name']} (vintage {in_use['delivered_at']})"
        if in_use is not None
        else "; no delivery of it was accepted"
    )
    message = f"newest delivery {newest['file_name']} not used ({rule}){using}"
    if blocked:
        message += "; this source blocks publishing until a corrected file is delivered"
    newest_fields = {
        "newest_file_name": newest["file_name"],
        "newest_file_sha256": newest["file_sha256"],
        "newest_delivered_at": newest["delivered_at"],
        "newest_arrival": _clean(newest.get("arrival")),
        "newest_status": newest["status"],
        "newest_error_rule": rule,
        "newest_error_message": why,
    }
    return SourceState(state=state, publishing_blocked=blocked, message=message, **used, **newest_fields, **base)


def _refusals_text(refused: Iterable[Refusal]) -> str | None:
    text = "; ".join(str(r) for r in refused)
    return text[:500] or None


def _stored_refusals(contract: SourceContract, data: DataDir) -> str | None:
    path = data.source_states / f"_{contract.name}.parquet"
    with contextlib.suppress(OSError, pa.ArrowException, KeyError, IndexError):
        return pq.read_table(path, columns=["landing_refused"]).column(0)[0].as_py()
    return None


def source_state(contract: SourceContract, data: DataDir) -> SourceState:
    from sources.lib.ingest import delivery_records

    return state_of(contract, delivery_records(contract, data), _stored_refusals(contract, data))


def source_states(contracts: Iterable[SourceContract], data: DataDir) -> list[SourceState]:
    """Every source's state for the run, in the order given."""
    return [source_state(c, data) for c in contracts]


_TYPES = {
    "publishing_blocked": pa.bool_(),
    "blocks_publishing": pa.bool_(),
    "arrival": pa.int64(),
    "newest_arrival": pa.int64(),
    "published_on": pa.date32(),
    "delivered_at": pa.timestamp("s", tz="UTC"),
    "newest_delivered_at": pa.timestamp("s", tz="UTC"),
}
SCHEMA = pa.schema([(c, _TYPES.get(c, pa.string())) for c in COLUMNS])


def _table(state: SourceState) -> pa.Table:
    return pa.Table.from_pylist([asdict(state)], schema=SCHEMA)


def write_source_state(
    contract: SourceContract,
    data: DataDir,
    refused: Iterable[Refusal] = (),
    records: list[dict[str, object]] | None = None,
) -> SourceState:
    """Write the source's state for the warehouse (from `records`, the source's delivery records in arrival
    order, when the caller has them); the file is replaced only when its content changes (the dbt build is
    skipped when no raw file changed)."""
    from sources.lib.ingest import delivery_records

    records = delivery_records(contract, data) if records is None else records
    state = state_of(contract, records, _refusals_text(refused))
    folder = data.source_states
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"_{contract.name}.parquet"  # "_": not a source's own raw file
    buffer = pa.BufferOutputStream()
    pq.write_table(_table(state), buffer)
    content = buffer.getvalue().to_pybytes()
    if not (target.exists() and target.read_bytes() == content):
        tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
        tmp.write_bytes(content)
        os.replace(tmp, target)
    return state
