"""Lay out the quarterly workbook from the rpt_ rows. Pure: data in, Workbook out.

Sheets: cover, summary, one per direction and one for the impact goals (with native line charts), annexes per
municipality and per funding instrument, data quality, sources, method. Text from sources is always written as
text (a name starting with "=" never becomes a formula); the workbook is built fresh every time; nothing
machine-specific (paths, user names) goes into any cell.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from reports.data import ReportData
from reports.labels import label, unit_label
from reports.missing import missing_text, source_states, state_text

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
PERCENT = '0.0" %"'  # Swedish style: a space before the per cent sign
NUMBER_FORMATS = {
    "count": "0",
    "percent": PERCENT,
    "MSEK": "#,##0.0",
    "kt CO2e": "#,##0",
    "t CO2e per inhabitant": "0.00",
    "SEK per SEK": "0.00",
}
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"
SUMMARY_SHEET_ROWS_BEFORE_TABLE = 2
GOAL_SHEETS = [
    ("direction_1", "sheet_direction_1"),
    ("direction_2", "sheet_direction_2"),
    ("direction_3", "sheet_direction_3"),
    ("impact", "sheet_impact"),
]
TREND_QUARTERS = 12  # quarterly charts show the last three years
CHART_ROWS = 16


@dataclass(frozen=True)
class Col:
    label: str  # key in reports.labels
    value: Callable[[dict[str, object]], object]
    fmt: str | None = None
    width: int = 14


def put(ws: Worksheet, row: int, column: int, value: object, number_format: str | None = None) -> Cell:
    """Write a value; a string is always stored as text, whatever it starts with."""
    if isinstance(value, dt.datetime):
        value = value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value
    cell = ws.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"  # openpyxl would otherwise store "=..." as a live formula
    if number_format and value is not None:
        cell.number_format = number_format
    return cell


def _header(ws: Worksheet, row: int, labels: Sequence[str], first_column: int = 1) -> None:
    ws.row_dimensions[row].height = 30  # two lines of wrapped header text
    for j, text in enumerate(labels, start=first_column):
        cell = put(ws, row, j, text)
        cell.fill = HEADER_FILL
        cell.font = HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = Border(bottom=THIN)


def _table(
    ws: Worksheet,
    top: int,
    columns: Sequence[Col],
    rows: Sequence[dict[str, object]],
    language: str,
    *,
    filters: bool = False,
) -> int:
    """A header row and one row per record; returns the last row written."""
    _header(ws, top, [label(c.label, language) for c in columns])
    for i, record in enumerate(rows, start=top + 1):
        for j, col in enumerate(columns, start=1):
            put(ws, i, j, col.value(record), col.fmt)
    last = top + len(rows)
    if filters:
        ws.auto_filter.ref = f"A{top}:{get_column_letter(len(columns))}{max(last, top + 1)}"
    for j, col in enumerate(columns, start=1):
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 0, col.width)
    return last


def _print_setup(ws: Worksheet, header_row: int | None) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if header_row:
        ws.print_title_rows = f"{header_row}:{header_row}"


def _yes_no(value: object, language: str) -> str | None:
    return None if value is None else label("yes" if value else "no", language)


def _fmt(unit: object) -> str:
    return NUMBER_FORMATS.get(str(unit), "#,##0.0")


def build_workbook(
    data: ReportData,
    language: str,
    revision: int,
    published_on: dt.date,
    revision_notes: Sequence[dict[str, object]] = (),
) -> Workbook:
    wb = Workbook()
    cover = wb.active
    cover.title = label("sheet_cover", language)
    _summary(wb.create_sheet(label("sheet_summary", language)), data, language)
    for goal, sheet in GOAL_SHEETS:
        _goal_sheet(wb.create_sheet(label(sheet, language)), data, goal, language)
    _municipalities(wb.create_sheet(label("sheet_municipalities", language)), data, language)
    _funding(wb.create_sheet(label("sheet_funding", language)), data, language)
    _quality(wb.create_sheet(label("sheet_quality", language)), data, language)
    _sources(wb.create_sheet(label("sheet_sources", language)), data, language)
    _method(wb.create_sheet(label("sheet_method", language)), data, language, revision_notes)
    _cover(cover, data, language, revision, published_on)
    return wb


def sheet_names(language: str) -> list[str]:
    keys = [
        "sheet_cover",
        "sheet_summary",
        *[s for _, s in GOAL_SHEETS],
        "sheet_municipalities",
        "sheet_funding",
        "sheet_quality",
        "sheet_sources",
        "sheet_method",
    ]
    return [label(k, language) for k in keys]


def _cover(ws: Worksheet, data: ReportData, language: str, revision: int, published_on: dt.date) -> None:
    L = lambda key: label(key, language)  # noqa: E731
    put(ws, 1, 1, L("programme")).font = Font(bold=True, size=16)
    put(ws, 2, 1, L("report_title")).font = Font(size=13)
    latest = max((v["latest_delivery_at"] for v in data.vintages if v["latest_delivery_at"]), default=None)
    facts = [
        (L("quarter"), data.quarter, None),
        (L("revision"), f"r{revision}", None),
        (L("published"), published_on, DATE),
        (L("data_as_of"), latest, DATETIME),
    ]
    for i, (key, value, fmt) in enumerate(facts, start=4):
        put(ws, i, 1, key).font = Font(bold=True)
        put(ws, i, 2, value, fmt)
    row = 9
    if data.is_demo:
        cell = put(ws, row, 1, L("demo_notice"))
        cell.font = Font(bold=True, color="C00000")
        cell.fill = DEMO_FILL
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
        row += 2
    put(ws, row, 1, L("contents")).font = Font(bold=True)
    contents = [
        ("sheet_summary", "cover_summary"),
        ("sheet_direction_1", "cover_direction_1"),
        ("sheet_direction_2", "cover_direction_2"),
        ("sheet_direction_3", "cover_direction_3"),
        ("sheet_impact", "cover_impact"),
        ("sheet_municipalities", "cover_municipalities"),
        ("sheet_funding", "cover_funding"),
        ("sheet_quality", "cover_quality"),
        ("sheet_sources", "cover_sources"),
        ("sheet_method", "cover_method"),
    ]
    for key, text in contents:
        row += 1
        put(ws, row, 1, L(key))
        put(ws, row, 2, L(text))
    row += 2
    put(ws, row, 1, L("vintage_heading")).font = Font(bold=True)
    columns = [
        Col("source", lambda v: v["source_title"] or v["source_name"], width=48),
        Col("publisher", lambda v: v["publisher"], width=40),
        Col("source_state", lambda v: _state_cell(v, language), width=36),
        Col("used_file", _used_files, width=30),
        Col("latest_delivery", lambda v: v["latest_delivery_at"], DATETIME, 20),
        Col("files", lambda v: v["files_delivered"], "0", 10),
        Col("rows_accepted", lambda v: v["rows_accepted"], "#,##0", 16),
        Col("rows_rejected", lambda v: v["rows_rejected"], "#,##0", 16),
    ]
    _table(ws, row + 1, columns, data.vintages, language)
    _print_setup(ws, None)


def _used_files(v: dict[str, object]) -> str | None:
    """The newest accepted file, and how many older accepted files there are besides it (SCB's years, say)."""
    name = v.get("used_file_name")
    others = int(v.get("files_delivered") or 0) - int(v.get("files_rejected") or 0) - 1
    return f"{name} (+{others})" if name and others > 0 else name


def _state_cell(v: dict[str, object], language: str) -> str | None:
    """A source's state on the cover; a rejected newest delivery is named, with the rule it broke."""
    if not v.get("source_state"):
        return None
    text = _capital(state_text(str(v["source_state"]), language))
    if v.get("rejected_file_name"):
        rule = f", {v['rejected_error_rule']}" if v.get("rejected_error_rule") else ""
        text += f" ({v['rejected_file_name']}{rule})"
    return text


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _summary(ws: Worksheet, data: ReportData, language: str) -> None:
    L = lambda key: label(key, language)  # noqa: E731
    states = source_states(data.vintages)
    put(ws, 1, 1, f"{L('sheet_summary')} {data.quarter}").font = Font(bold=True, size=13)
    header_row = SUMMARY_SHEET_ROWS_BEFORE_TABLE + 1
    name = f"name_{language}"
    columns = [
        Col("goal", lambda r: L(str(r["goal"])), width=34),
        Col("indicator", lambda r: r[name], width=52),
        Col("unit", lambda r: unit_label(r["unit"], language), width=12),
        Col("baseline", lambda r: r["baseline_value"], width=12),
        Col("baseline_year", lambda r: r["baseline_year"], "0", 10),
        Col("value", lambda r: L("no_data") if r["value"] is None else r["value"], width=14),
        Col("value_period", lambda r: r["value_period"], width=12),
        Col("previous", lambda r: r["previous_value"], width=14),
        Col("change", lambda r: r["change_from_previous"], width=12),
        Col("target", lambda r: r["target_value"], width=12),
        Col("target_year", lambda r: r["target_year"], "0", 10),
        Col("status", lambda r: L(str(r["status"])), width=22),
        Col("missing_reason", lambda r: missing_text(r, language, states, prefix=False) or None, width=60),
    ]
    last = _table(ws, header_row, columns, data.summary, language, filters=True)
    for i, r in enumerate(data.summary, start=header_row + 1):
        for j in (4, 6, 8, 9, 10):  # the figures take the indicator's own number format
            ws.cell(row=i, column=j).number_format = _fmt(r["unit"])
        status = ws.cell(row=i, column=12)
        status.fill = PatternFill("solid", fgColor=STATUS_FILLS.get(str(r["status"]), "FFFFFF"))
        status.font = Font(bold=True)
        reason = ws.cell(row=i, column=13)
        if reason.value:
            reason.alignment = Alignment(wrap_text=True, vertical="top")
            # LibreOffice keeps the default height of a wrapped row: give it the lines the reason needs
            ws.row_dimensions[i].height = 13 * math.ceil(len(str(reason.value)) / (columns[12].width * 1.1))
    ws.freeze_panes = ws.cell(row=header_row + 1, column=3)
    _print_setup(ws, header_row)
    assert last == header_row + len(data.summary)


def _trend_block(ws: Worksheet, top: int, title: str, unit: str, series: list[dict[str, object]], language: str) -> int:
    """A small table (period, value, target path) and a line chart beside it; returns the next free row."""
    put(ws, top, 1, title).font = Font(bold=True)
    header = top + 1
    _header(ws, header, [label("period", language), label("value_short", language), label("target_path", language)])
    fmt = _fmt(unit)
    for i, point in enumerate(series, start=header + 1):
        put(ws, i, 1, point["period"])
        put(ws, i, 2, point["value"], fmt)
        put(ws, i, 3, point["target_path_value"], fmt)
    last = header + len(series)
    if series:
        has_target = any(p["target_path_value"] is not None for p in series)
        chart = _line_chart(ws, header, last, 2, 3 if has_target else 2, unit_label(unit, language))
        ws.add_chart(chart, f"E{top + 1}")
    return top + max(len(series) + 3, CHART_ROWS + 2)


def _line_chart(ws: Worksheet, header: int, last: int, first_col: int, last_col: int, y_title: str) -> LineChart:
    """A native line chart of the columns first_col..last_col against the categories in column A."""
    chart = LineChart()
    chart.y_axis.title = y_title
    chart.height, chart.width = 7.0, 16.0
    chart.legend.position = "b"
    chart.add_data(
        Reference(ws, min_col=first_col, max_col=last_col, min_row=header, max_row=last), titles_from_data=True
    )
    chart.set_categories(Reference(ws, min_col=1, min_row=header + 1, max_row=last))
    for series in chart.series:
        series.smooth = False  # a trend drawn as measured, not interpolated
    chart.x_axis.delete = False  # newer Excel hides the axes unless told
    chart.y_axis.delete = False
    return chart


def _goal_sheet(ws: Worksheet, data: ReportData, goal: str, language: str) -> None:
    put(ws, 1, 1, label(goal, language)).font = Font(bold=True, size=13)
    row = 3
    if goal == "impact" and data.pathway:
        row = _pathway_block(ws, row, data, language)
    names = {r["indicator_id"]: (r[f"name_{language}"], r["unit"]) for r in data.method}
    by_indicator: dict[str, list[dict[str, object]]] = {}
    for point in data.trends:
        if point["goal"] == goal:
            by_indicator.setdefault(str(point["indicator_id"]), []).append(point)
    for i, (indicator, series) in enumerate(by_indicator.items()):
        if series and series[-1]["frequency"] == "quarterly":
            series = series[-TREND_QUARTERS:]
        title, unit = names.get(indicator, (indicator, ""))
        if i % 2 == 0 and row > 3:
            ws.row_breaks.append(Break(id=row - 1))  # two charts to a printed page, none cut in half
        row = _trend_block(ws, row, str(title), str(unit), series, language)
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 14
    ws.column_dimensions["C"].width = 14
    _print_setup(ws, None)


def _pathway_block(ws: Worksheet, top: int, data: ReportData, language: str) -> int:
    L = lambda key: label(key, language)  # noqa: E731
    put(ws, top, 1, L("pathway_title")).font = Font(bold=True)
    header = top + 1
    _header(ws, header, [L("year"), L("members_index"), L("required_index"), L("others_index")])
    for i, p in enumerate(data.pathway, start=header + 1):
        put(ws, i, 1, str(p["emission_year"]))
        put(ws, i, 2, p["members_index"], "0.0")
        put(ws, i, 3, p["required_pathway_index"], "0.0")
        put(ws, i, 4, p["others_index"], "0.0")
    last = header + len(data.pathway)
    chart = _line_chart(ws, header, last, 2, 4, L("pathway_title"))
    chart.height, chart.width = 8.0, 18.0
    ws.add_chart(chart, f"F{top + 1}")
    ws.column_dimensions["D"].width = 16
    return top + max(len(data.pathway) + 3, CHART_ROWS + 4)


def _municipalities(ws: Worksheet, data: ReportData, language: str) -> None:
    yn = lambda v: _yes_no(v, language)  # noqa: E731
    columns = [
        Col("municipality_code", lambda r: r["municipality_code"], width=12),
        Col("municipality", lambda r: r["municipality_name"], width=18),
        Col("county", lambda r: r["county_name"], width=20),
        Col("cohort", lambda r: r["cohort_year"], "0", 9),
        Col("joined", lambda r: r["joined_date"], DATE, 12),
        Col("population", lambda r: r["population"], "#,##0", 12),
        Col("population_year", lambda r: r["population_year"], "0", 10),
        Col("emission_year", lambda r: r["emission_year"], "0", 10),
        Col("emissions_t", lambda r: r["emissions_t"], "#,##0", 14),
        Col("per_capita", lambda r: r["emissions_t_per_capita"], "0.00", 12),
        Col("change_pct", lambda r: r["change_since_baseline_pct"], "0.0", 14),
        Col("achieved_rate", lambda r: r["achieved_yearly_change_pct"], "0.0", 14),
        Col("required_rate", lambda r: r["required_yearly_change_pct"], "0.0", 14),
        Col("on_track_flag", lambda r: yn(r["is_on_track"]), width=9),
        Col("mission_city", lambda r: yn(r["is_mission_city"]), width=11),
        Col("label_round", lambda r: r["label_round"], width=10),
        Col("label_date", lambda r: r["label_date"], DATE, 12),
        Col("ccc_status", lambda r: r["ccc_status"], width=16),
        Col("intl_msek", lambda r: _or_no_data(r["international_funding_msek"], language), "#,##0.0", 16),
        Col("national_msek", lambda r: _or_no_data(r["national_funding_msek"], language), "#,##0.0", 16),
        Col("green_msek", lambda r: _or_no_data(r["green_loans_msek"], language), "#,##0.0", 14),
    ]
    _table(ws, 1, columns, data.municipalities, language, filters=True)
    ws.freeze_panes = "C2"
    _print_setup(ws, 1)


def _or_no_data(value: object, language: str) -> object:
    """A figure that could not be computed (a source without accepted data) reads "Data saknas", never blank or 0."""
    return label("no_data", language) if value is None else value


def _funding(ws: Worksheet, data: ReportData, language: str) -> None:
    columns = [
        Col("instrument", lambda r: r["instrument_code"], width=18),
        Col("instrument_name", lambda r: r["instrument_name_en"], width=34),
        Col("scope", lambda r: r["instrument_scope"], width=13),
        Col("decision_year", lambda r: r["decision_year"], "0", 10),
        Col("municipality_code", lambda r: r["municipality_code"] or None, width=12),
        Col("awards", lambda r: r["awards"], "0", 9),
        Col("amount_eur", lambda r: r["amount_eur"], "#,##0", 14),
        Col("amount_sek", lambda r: r["amount_sek"], "#,##0", 16),
        Col("min_rate", lambda r: r["min_sek_per_eur"], "0.0000", 12),
        Col("max_rate", lambda r: r["max_sek_per_eur"], "0.0000", 12),
        Col("without_rate", lambda r: r["awards_without_rate"], "0", 10),
    ]
    _table(ws, 1, columns, data.funding, language, filters=True)
    ws.freeze_panes = "A2"
    _print_setup(ws, 1)


def _quality(ws: Worksheet, data: ReportData, language: str) -> None:
    L = lambda key: label(key, language)  # noqa: E731
    columns = [
        Col("source", lambda r: r["source_name"], width=26),
        Col("source_state", lambda r: _state_cell(r, language), width=24),
        Col("rule", lambda r: r["rule_name"], width=24),
        Col("files_delivered", lambda r: r["files_delivered"], "0", 12),
        Col("files_rejected", lambda r: r["files_rejected"], "0", 12),
        Col("rows_accepted", lambda r: r["rows_accepted"], "#,##0", 14),
        Col("rows_rejected", lambda r: r["rows_rejected"], "#,##0", 14),
        Col("rejected_values", lambda r: r["rejected_values"], "#,##0", 14),
        Col("example", lambda r: r["example"], width=60),
    ]
    last = _table(ws, 1, columns, data.data_quality, language, filters=True)
    ws.freeze_panes = "A2"
    row = last + 3
    put(ws, row, 1, L("checks_heading")).font = Font(bold=True)
    if not data.checks:
        put(ws, row + 1, 1, L("no_checks"))
    else:
        checks = [
            Col("check", lambda c: c["name"], width=26),
            Col("kind", lambda c: L(str(c["kind"])), width=24),
            Col(
                "outcome",
                lambda c: (
                    L(str(c["status"]))
                    if str(c["status"]) in ("pass", "fail", "warn", "error", "skipped")
                    else L("no_data_checked")
                    if c["status"] == "no_data"
                    else c["status"]
                ),
                width=12,
            ),
        ]
        _table(ws, row + 1, checks, data.checks, language)
    _print_setup(ws, 1)


def _sources(ws: Worksheet, data: ReportData, language: str) -> None:
    L = lambda key: label(key, language)  # noqa: E731
    columns = [
        Col("source", lambda s: s["source_title"], width=40),
        Col("file_name", lambda s: s["file_name"], width=36),
        Col("sha256", lambda s: s["file_sha256"], width=66),
        Col("delivered_at", lambda s: s["delivered_at"], DATETIME, 18),
        Col("delivery_status", lambda s: L(str(s["delivery_status"])), width=22),
        Col("rows_accepted", lambda s: s["rows_accepted"], "#,##0", 14),
        Col("rows_rejected", lambda s: s["rows_rejected"], "#,##0", 14),
        Col("publisher", lambda s: s["publisher"], width=40),
        Col("licence", lambda s: s["licence"], width=36),
    ]
    _table(ws, 1, columns, data.sources, language, filters=True)
    ws.freeze_panes = "A2"
    _print_setup(ws, 1)


def _method(ws: Worksheet, data: ReportData, language: str, revision_notes: Sequence[dict[str, object]]) -> None:
    L = lambda key: label(key, language)  # noqa: E731
    put(ws, 1, 1, L("status_method")).alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=8)
    ws.row_dimensions[1].height = 75
    columns = [
        Col("indicator_id", lambda r: r["indicator_id"], width=30),
        Col("indicator", lambda r: r[f"name_{language}"], width=40),
        Col("goal", lambda r: L(str(r["goal"])), width=28),
        Col("definition", lambda r: r[f"definition_{language}"], width=60),
        Col("formula", lambda r: r["formula"], width=50),
        Col("unit", lambda r: r["unit"], width=12),
        Col("baseline", lambda r: r["baseline_value"], "#,##0.0", 11),
        Col("baseline_year", lambda r: r["baseline_year"], "0", 10),
        Col("target", lambda r: r["target_value"], "#,##0.0", 11),
        Col("target_year", lambda r: r["target_year"], "0", 10),
        Col("thresholds", lambda r: f"{r['on_track_ratio']} / {r['moderate_ratio']}", width=14),
        Col("sources", lambda r: r["sources"], width=30),
        Col("owner", lambda r: r["owner"], width=18),
    ]
    last = _table(ws, 3, columns, data.method, language, filters=True)
    for row in ws.iter_rows(min_row=4, max_row=last, min_col=4, max_col=5):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    row = last + 3
    put(ws, row, 1, L("revision_notes")).font = Font(bold=True)
    notes = [
        Col("revision", lambda n: f"r{n['revision']}", width=30),
        Col("published", lambda n: n["published_on"], DATE, 40),
        Col("note", lambda n: n["note"], width=28),
    ]
    _table(ws, row + 1, notes, list(revision_notes), language)
    ws.freeze_panes = "B4"
    _print_setup(ws, 3)
