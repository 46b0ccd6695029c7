"""The evidence behind one published figure, for a funder: its value and formula, and every source row that
contributes, with the file's SHA-256, original name, sheet, row and vintage. Written as CSV and as a workbook.

    python -m reports.trace --indicator kk_municipalities --period 2025Q2 [--geo SE]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import sys
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from reports.stable_xlsx import stable_xlsx_bytes
from reports.workbook import put
from sources.paths import DataDir
from warehouse import Warehouse, WarehouseError
from warehouse.read import read_only

EVIDENCE_COLUMNS = [
    "role",
    "contribution",
    "source_name",
    "item",
    "source_file_sha256",
    "source_file_name",
    "source_sheet",
    "source_row",
    "vintage_at",
]


class TraceError(RuntimeError):
    pass


@dataclass(frozen=True)
class Trace:
    indicator_id: str
    period: str
    geography_code: str
    figure: dict[str, object]
    evidence: list[dict[str, object]]

    @property
    def contribution_total(self) -> float:
        return sum(float(r["contribution"] or 0) for r in self.evidence)


def load_trace(warehouse: Warehouse | Path, indicator_id: str, period: str, geography_code: str = "SE") -> Trace:
    """The figure and its evidence from the warehouse (a Path is a DuckDB file)."""
    target = Warehouse.duckdb(warehouse) if isinstance(warehouse, Path) else warehouse
    try:
        with read_only(target) as con:
            figure = con.one(
                "select v.*, c.name_sv, c.name_en, c.definition_en, c.formula from marts.fct_indicator_values v "
                "join reference.indicator_catalogue c using (indicator_id) "
                "where v.indicator_id = ? and v.period = ? and v.geography_code = ?",
                [indicator_id, period, geography_code],
            )
            if figure is None:
                raise TraceError(f"no published value for {indicator_id} {period} {geography_code}")
            evidence = con.rows(
                f"select {', '.join(EVIDENCE_COLUMNS)} from reports.rpt_indicator_evidence "
                "where indicator_id = ? and period = ? and geography_code = ? "
                "order by role, source_name, item, source_file_sha256, source_row",
                [indicator_id, period, geography_code],
            )
    except WarehouseError as exc:
        raise TraceError(str(exc)) from exc
    if not evidence:
        raise TraceError(f"{indicator_id} has no row-level evidence model yet; see rpt_indicator_evidence")
    return Trace(indicator_id, period, geography_code, figure, evidence)


def _text(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return value


def to_csv(trace: Trace) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["indicator_id", "period", "geography_code", "published_value", "unit", *EVIDENCE_COLUMNS])
    for r in trace.evidence:
        writer.writerow(
            [
                trace.indicator_id,
                trace.period,
                trace.geography_code,
                trace.figure["value"],
                trace.figure["unit"],
                *[_text(r[c]) for c in EVIDENCE_COLUMNS],
            ]
        )
    return out.getvalue()


def to_workbook(trace: Trace) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Evidence"
    facts = [
        ("Indicator", f"{trace.indicator_id}: {trace.figure['name_en']}"),
        ("Period", trace.period),
        ("Geography", f"{trace.figure['geography_type']} {trace.geography_code}"),
        ("Published value", trace.figure["value"]),
        ("Unit", trace.figure["unit"]),
        ("Definition", trace.figure["definition_en"]),
        ("Formula", trace.figure["formula"]),
        ("Sum of contributions", trace.contribution_total),
        ("Rows", len(trace.evidence)),
    ]
    for i, (key, value) in enumerate(facts, start=1):
        put(ws, i, 1, key).font = Font(bold=True)
        put(ws, i, 2, value)
    top = len(facts) + 2
    for j, name in enumerate(EVIDENCE_COLUMNS, start=1):
        put(ws, top, j, name).font = Font(bold=True)
    for i, r in enumerate(trace.evidence, start=top + 1):
        for j, name in enumerate(EVIDENCE_COLUMNS, start=1):
            put(ws, i, j, _text(r[name]))
    ws.freeze_panes = ws.cell(row=top + 1, column=1)
    for letter, width in zip("ABCDEFGHI", [40, 14, 22, 24, 66, 36, 18, 10, 24], strict=True):
        ws.column_dimensions[letter].width = width
    stamp = max((r["vintage_at"] for r in trace.evidence if r["vintage_at"]), default=dt.datetime(2000, 1, 1))
    return stable_xlsx_bytes(wb, stamp, title=f"Evidence {trace.indicator_id} {trace.period}")


def write_trace(trace: Trace, folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{trace.indicator_id}-{trace.period}-{trace.geography_code}"
    csv_path, xlsx_path = folder / f"{stem}.csv", folder / f"{stem}.xlsx"
    csv_path.write_text(to_csv(trace), encoding="utf-8")
    xlsx_path.write_bytes(to_workbook(trace))
    return csv_path, xlsx_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--indicator", required=True)
    parser.add_argument("--period", required=True, help="2025Q2 for quarterly indicators, 2024 for annual ones")
    parser.add_argument("--geo", default="SE", help="SE (programme, default), a cohort year or a municipality code")
    args = parser.parse_args()
    data = DataDir.current()
    try:
        trace = load_trace(Warehouse.current(data), args.indicator, args.period, args.geo)
    except TraceError as exc:
        print(f"trace: {exc}", file=sys.stderr)
        sys.exit(1)
    csv_path, xlsx_path = write_trace(trace, data.root / "traces")
    print(
        f"{args.indicator} {args.period} {args.geo}: value {trace.figure['value']} {trace.figure['unit']}, "
        f"{len(trace.evidence)} contributing rows summing to {trace.contribution_total:.6g}"
    )
    print(f"evidence: {csv_path}\n          {xlsx_path}")


if __name__ == "__main__":
    main()
