"""Quarterly partitions: Dagster has no quarter class, so a cron on the first day of each quarter."""

from __future__ import annotations

import datetime as dt
import re

import dagster as dg

QUARTER_CRON = "0 0 1 1,4,7,10 *"
PARTITION_FORMAT = "%Y-%m-%d"
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")

quarterly_partitions = dg.TimeWindowPartitionsDefinition(
    cron_schedule=QUARTER_CRON, start="2019-01-01", fmt=PARTITION_FORMAT, timezone="UTC"
)


def quarter_to_partition_key(quarter: str) -> str:
    """'2025Q2' -> '2025-04-01', the partition key of that quarter."""
    match = _QUARTER.match(quarter)
    if not match:
        raise ValueError(f"quarter must look like 2025Q2, got {quarter!r}")
    return dt.date(int(match[1]), 3 * int(match[2]) - 2, 1).strftime(PARTITION_FORMAT)


def partition_key_to_quarter(key: str) -> str:
    start = dt.datetime.strptime(key, PARTITION_FORMAT).date()
    return f"{start.year}Q{(start.month - 1) // 3 + 1}"


def last_closed_quarter(today: dt.date) -> str:
    quarter = (today.month - 1) // 3 + 1
    return f"{today.year - 1}Q4" if quarter == 1 else f"{today.year}Q{quarter - 1}"
