"""Read what one quarter's workbook shows from the rpt_ tables, read-only, and close the connection.

The warehouse is DuckDB or PostgreSQL (warehouse.read gives the same Python values from both); on PostgreSQL all
of it is read in one snapshot."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from warehouse import Warehouse
from warehouse.read import Reader, read_only

Rows = list[dict[str, object]]
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


@dataclass(frozen=True)
class ReportData:
    quarter: str
    summary: Rows  # rpt_quarterly_summary rows of the quarter, in catalogue order
    sources: Rows  # rpt_source_files
    vintages: Rows  # rpt_source_vintages
    trends: Rows = field(default_factory=list)  # rpt_indicator_trends up to the quarter's end
    pathway: Rows = field(default_factory=list)  # rpt_emissions_pathway
    municipalities: Rows = field(default_factory=list)  # rpt_municipality_annex
    funding: Rows = field(default_factory=list)  # rpt_funding_annex
    data_quality: Rows = field(default_factory=list)  # rpt_data_quality
    method: Rows = field(default_factory=list)  # rpt_method_indicators
    checks: Rows = field(default_factory=list)  # dbt tests run with the build: name, kind, status
    as_of_date: dt.date | None = None  # rpt_build_info: the date the warehouse was built as of
    warehouse: dict[str, object] = field(default_factory=lambda: {"engine": "duckdb"})  # which one, for the manifest

    @property
    def is_demo(self) -> bool:
        return any(v["has_demo_data"] for v in self.vintages)

    @property
    def inputs(self) -> Rows:
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


def quarter_end(quarter: str) -> dt.date:
    match = _QUARTER.match(quarter)
    if not match:
        raise ReportDataError(f"quarter must look like 2025Q2, got {quarter!r}")
    year, q = int(match[1]), int(match[2])
    return dt.date(year, 12, 31) if q == 4 else dt.date(year, 3 * q + 1, 1) - dt.timedelta(days=1)


def _rows(con: Reader, sql: str, params: list[object] | None = None) -> Rows:
    return con.rows(sql, params or [])


def load_expectations(folder: Path | None) -> Rows:
    """The great-expectations outcomes per source (sources/expectations.py): warnings show as 'warn'."""
    checks: Rows = []
    if folder is None or not folder.is_dir():
        return checks
    for path in sorted(folder.glob("*.json")):
        result = json.loads(path.read_text(encoding="utf-8"))
        if result.get("error"):
            checks.append(
                {
                    "name": f"{result['source']}: great-expectations could not run",
                    "kind": "expectation",
                    "status": "error",
                }
            )
        for o in result["outcomes"]:
            status = "pass" if o["success"] else ("warn" if o["severity"] == "warn" else "fail")
            name = f"{result['source']}: {o['expectation']}" + (f" ({o['column']})" if o["column"] else "")
            checks.append({"name": name, "kind": "expectation", "status": status})
    return checks


def load_checks(run_results: Path | None) -> Rows:
    """The dbt tests of the last build (dbt's run_results.json): name, kind and status, sorted by name."""
    if run_results is None or not run_results.exists():
        return []
    results = json.loads(run_results.read_text(encoding="utf-8")).get("results", [])
    checks = []
    for r in results:
        uid = str(r.get("unique_id", ""))
        kind = uid.split(".", 1)[0]
        if kind not in ("test", "unit_test"):
            continue
        checks.append({"name": uid.split(".")[2] if uid.count(".") >= 2 else uid, "kind": kind, "status": r["status"]})
    return sorted(checks, key=lambda c: (c["kind"], c["name"]))


def load_report_data(
    warehouse: Warehouse | Path, quarter: str, run_results: Path | None = None, expectations: Path | None = None
) -> ReportData:
    """The quarter's rows from the warehouse (a Path is a DuckDB file)."""
    end = quarter_end(quarter)
    target = Warehouse.duckdb(warehouse) if isinstance(warehouse, Path) else warehouse
    with read_only(target) as con:
        summary = _rows(
            con,
            "select * from reports.rpt_quarterly_summary where report_quarter = ? order by sort_order, indicator_id",
            [quarter],
        )
        quarters = [
            r["q"]
            for r in _rows(con, "select distinct report_quarter as q from reports.rpt_quarterly_summary order by 1")
        ]
        data = ReportData(
            quarter=quarter,
            summary=summary,
            sources=_rows(
                con, "select * from reports.rpt_source_files order by source_name, delivered_at, file_sha256"
            ),
            vintages=_rows(con, "select * from reports.rpt_source_vintages order by source_name"),
            trends=_rows(
                con,
                "select * from reports.rpt_indicator_trends where period_end_date <= ? "
                "order by sort_order, period_end_date",
                [end],
            ),
            pathway=_rows(
                con,
                "select * from reports.rpt_emissions_pathway where emission_year < ? order by emission_year",
                [end.year],
            ),
            municipalities=_rows(
                con,
                "select * from reports.rpt_municipality_annex where report_quarter = ? order by municipality_code",
                [quarter],
            ),
            funding=_rows(
                con,
                "select * from reports.rpt_funding_annex where report_quarter = ? "
                "order by instrument_code, decision_year, municipality_code",
                [quarter],
            ),
            data_quality=_rows(con, "select * from reports.rpt_data_quality order by source_name, rule_name"),
            method=_rows(con, "select * from reports.rpt_method_indicators order by sort_order, indicator_id"),
            checks=load_checks(run_results) + load_expectations(expectations),
            as_of_date=con.rows("select as_of_date from reports.rpt_build_info")[0]["as_of_date"],
            warehouse=target.describe(),
        )
    if not summary:
        raise ReportDataError(
            f"the warehouse has no indicator values for {quarter}; closed quarters available: "
            f"{quarters[0] if quarters else 'none'} to {quarters[-1] if quarters else 'none'}"
        )
    return data
