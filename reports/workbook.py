"""Lay out the quarterly workbook from the rpt_ rows: cover, summary, sources. Pure: data in, Workbook out.

Text from sources is always written as text (a name starting with "=" never becomes a formula), the workbook is
built fresh every time, and nothing machine-specific (paths, user names) goes into any cell.
"""

from __future__ import annotations

import datetime as dt

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from reports.data import ReportData
from reports.labels import label

FORMULA_PREFIXES = ("=", "+", "-", "@")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
DEMO_FILL = PatternFill("solid", fgColor="FCE4D6")
THIN = Side(style="thin", color="BFBFBF")
STATUS_FILLS = {
    "achieved": "00B050",
    "on_track": "92D050",
    "moderate_progress": "FFEB84",
    "limited_progress": "F4B183",
    "regressing": "FF7C80",
    "not_assessed": "D9D9D9",
    "no_target": "F2F2F2",
    "no_data": "F2F2F2",
}
NUMBER_FORMATS = {"count": "0", "percent": "0.0", "MSEK": "#,##0.0", "kt CO2e": "#,##0"}
SUMMARY_SHEET_ROWS_BEFORE_TABLE = 2


def put(ws: Worksheet, row: int, column: int, value: object, number_format: str | None = None):
    """Write a value; a string is always stored as text, whatever it starts with."""
    cell = ws.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"  # openpyxl would otherwise store "=..." as a live formula
    if number_format:
        cell.number_format = number_format
    return cell


def _header(ws: Worksheet, row: int, labels: list[str]) -> None:
    for j, text in enumerate(labels, start=1):
        cell = put(ws, row, j, text)
        cell.fill = HEADER_FILL
        cell.font = HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = Border(bottom=THIN)


def _widths(ws: Worksheet, widths: list[int]) -> None:
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width


def _print_setup(ws: Worksheet, header_row: int) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"


def build_workbook(data: ReportData, language: str, revision: int, published_on: dt.date) -> Workbook:
    wb = Workbook()
    cover = wb.active
    cover.title = label("sheet_cover", language)
    _cover(cover, data, language, revision, published_on)
    _summary(wb.create_sheet(label("sheet_summary", language)), data, language)
    _sources(wb.create_sheet(label("sheet_sources", language)), data, language)
    return wb


def _cover(ws: Worksheet, data: ReportData, language: str, revision: int, published_on: dt.date) -> None:
    L = lambda key: label(key, language)  # noqa: E731
    put(ws, 1, 1, L("programme")).font = Font(bold=True, size=16)
    put(ws, 2, 1, L("report_title")).font = Font(size=13)
    rows = [
        (L("quarter"), data.quarter),
        (L("revision"), f"r{revision}"),
        (L("published"), published_on),
        (
            L("data_as_of"),
            max((v["latest_delivery_at"] for v in data.vintages if v["latest_delivery_at"]), default=None),
        ),
    ]
    for i, (key, value) in enumerate(rows, start=4):
        put(ws, i, 1, key).font = Font(bold=True)
        if isinstance(value, dt.datetime):
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        put(ws, i, 2, value, "yyyy-mm-dd" if isinstance(value, dt.date) else None)
    row = 9
    if data.is_demo:
        cell = put(ws, row, 1, L("demo_notice"))
        cell.font = Font(bold=True, color="C00000")
        cell.fill = DEMO_FILL
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
        row += 2
    put(ws, row, 1, L("contents")).font = Font(bold=True)
    for key, text in [("sheet_summary", "cover_summary"), ("sheet_sources", "cover_sources")]:
        row += 1
        put(ws, row, 1, L(key))
        put(ws, row, 2, L(text))
    row += 2
    put(ws, row, 1, L("vintage_heading")).font = Font(bold=True)
    row += 1
    _header(
        ws, row, [L("source"), L("publisher"), L("latest_delivery"), L("files"), L("rows_accepted"), L("rows_rejected")]
    )
    for v in data.vintages:
        row += 1
        latest = v["latest_delivery_at"]
        put(ws, row, 1, v["source_title"])
        put(ws, row, 2, v["publisher"])
        put(ws, row, 3, latest.astimezone(dt.UTC).replace(tzinfo=None) if latest else None, "yyyy-mm-dd hh:mm")
        put(ws, row, 4, v["files_delivered"], "0")
        put(ws, row, 5, v["rows_accepted"], "#,##0")
        put(ws, row, 6, v["rows_rejected"], "#,##0")
    row += 2
    put(ws, row, 1, L("status_method")).alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
    ws.row_dimensions[row].height = 60
    _widths(ws, [48, 40, 20, 10, 16, 16])
    _print_setup(ws, 1)


def _summary(ws: Worksheet, data: ReportData, language: str) -> None:
    L = lambda key: label(key, language)  # noqa: E731
    put(ws, 1, 1, f"{L('sheet_summary')} {data.quarter}").font = Font(bold=True, size=13)
    header_row = SUMMARY_SHEET_ROWS_BEFORE_TABLE + 1
    columns = [
        "goal",
        "indicator",
        "unit",
        "baseline",
        "baseline_year",
        "value",
        "value_period",
        "previous",
        "change",
        "target",
        "target_year",
        "status",
    ]
    _header(ws, header_row, [L(c) for c in columns])
    name_key = f"name_{language}"
    for i, r in enumerate(data.summary, start=header_row + 1):
        fmt = NUMBER_FORMATS.get(str(r["unit"]), "#,##0.0")
        put(ws, i, 1, L(str(r["goal"])))
        put(ws, i, 2, r[name_key])
        put(ws, i, 3, r["unit"])
        put(ws, i, 4, r["baseline_value"], fmt)
        put(ws, i, 5, r["baseline_year"], "0")
        put(ws, i, 6, r["value"], fmt)
        put(ws, i, 7, r["value_period"])
        put(ws, i, 8, r["previous_value"], fmt)
        put(ws, i, 9, r["change_from_previous"], fmt)
        put(ws, i, 10, r["target_value"], fmt)
        put(ws, i, 11, r["target_year"], "0")
        status = put(ws, i, 12, L(str(r["status"])))
        status.fill = PatternFill("solid", fgColor=STATUS_FILLS.get(str(r["status"]), "FFFFFF"))
        status.font = Font(bold=True)
    last = header_row + len(data.summary)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=3)
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(columns))}{last}"
    _widths(ws, [34, 52, 10, 12, 10, 14, 12, 14, 12, 12, 10, 22])
    _print_setup(ws, header_row)


def _sources(ws: Worksheet, data: ReportData, language: str) -> None:
    L = lambda key: label(key, language)  # noqa: E731
    columns = [
        "source",
        "file_name",
        "sha256",
        "delivered_at",
        "delivery_status",
        "rows_accepted",
        "rows_rejected",
        "publisher",
        "licence",
    ]
    _header(ws, 1, [L(c) for c in columns])
    for i, s in enumerate(data.sources, start=2):
        delivered = s["delivered_at"]
        put(ws, i, 1, s["source_title"])
        put(ws, i, 2, s["file_name"])
        put(ws, i, 3, s["file_sha256"])
        put(ws, i, 4, delivered.astimezone(dt.UTC).replace(tzinfo=None) if delivered else None, "yyyy-mm-dd hh:mm")
        put(ws, i, 5, L(str(s["delivery_status"])))
        put(ws, i, 6, s["rows_accepted"], "#,##0")
        put(ws, i, 7, s["rows_rejected"], "#,##0")
        put(ws, i, 8, s["publisher"])
        put(ws, i, 9, s["licence"])
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1 + len(data.sources), 2)}"
    _widths(ws, [40, 36, 66, 18, 22, 14, 14, 40, 36])
    _print_setup(ws, 1)
