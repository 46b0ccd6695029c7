"""Read what one quarter's workbook shows from the rpt_ tables, read-only, and close the connection."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb


@dataclass(frozen=True)
class ReportData:
    quarter: str
    summary: list[dict[str, object]]  # rpt_quarterly_summary rows of the quarter, in catalogue order
    sources: list[dict[str, object]]  # rpt_source_files
    vintages: list[dict[str, object]]  # rpt_source_vintages

    @property
    def is_demo(self) -> bool:
        return any(v["has_demo_data"] for v in self.vintages)

    @property
    def inputs(self) -> list[dict[str, object]]:
        """Every input file as the manifest records it (no local paths)."""
        return [
            {
                "source": s["source_name"],
                "file_name": s["file_name"],
                "sha256": s["file_sha256"],
                "delivered_at": s["delivered_at"].isoformat() if s["delivered_at"] is not None else None,
                "status": s["delivery_status"],
                "rows_accepted": s["rows_accepted"],
                "rows_rejected": s["rows_rejected"],
            }
            for s in self.sources
        ]


class ReportDataError(RuntimeError):
    pass


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> list[dict[str, object]]:
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def load_report_data(warehouse: Path, quarter: str) -> ReportData:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        summary = _rows(
            con,
            "select * from reports.rpt_quarterly_summary where report_quarter = ? order by sort_order, indicator_id",
            [quarter],
        )
        sources = _rows(con, "select * from reports.rpt_source_files order by source_name, delivered_at, file_sha256")
        vintages = _rows(con, "select * from reports.rpt_source_vintages order by source_name")
        quarters = [
            r["report_quarter"]
            for r in _rows(con, "select distinct report_quarter from reports.rpt_quarterly_summary order by 1")
        ]
    finally:
        con.close()
    if not summary:
        latest = quarters[-1] if quarters else "none"
        raise ReportDataError(
            f"the warehouse has no indicator values for {quarter}; closed quarters available: "
            f"{quarters[0] if quarters else 'none'} to {latest}"
        )
    return ReportData(quarter=quarter, summary=summary, sources=sources, vintages=vintages)
