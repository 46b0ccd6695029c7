"""Lay out the quarterly workbook from the rpt_ rows. Pure: data in, Workbook out.

Sheets: cover, summary (status counts per goal, every indicator with its trend, change since the previous period
of its own frequency, target, status and the programme office's comment), one per direction and one for the
impact goals (native charts), emissions by sector, annexes per municipality and per funding instrument (with
totals), indicator metadata, data quality, sources, method, and the indicator data in long format. Every label
comes from reports.labels in the workbook's language; every printed page has the programme, quarter, revision,
page number and (for demo data) the demo notice in its header and footer. Text from sources is always written
as text; nothing machine-specific goes into any cell.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.worksheet import Worksheet

from reports import charts
from reports.data import ReportData, Rows
from reports.labels import (
    check_text,
    label,
    label_or,
    number_text,
    revision_note_text,
    rule_label,
    source_text,
    unit_label,
)
from reports.layout import (
    BODY,
    DATE,
    DATETIME,
    HEADER_FILL,
    ROW_PT,
    SUBTLE_FILL,
    Col,
    PageHeader,
    SheetLayout,
    fit_widths,
    font,
    link_to,
    put,
)
from reports.missing import missing_text, source_states, state_text
from reports.textwidth import column_text_pt, merged_text_pt

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
STATUSES = list(STATUS_FILLS)
FRESHNESS_FILLS = {"on_time": None, "late": "FFEB84", "missing": "F4B183"}
PERCENT = '0.0" %"'  # Swedish style: a space before the per cent sign
NUMBER_FORMATS = {
    "count": "0",
    "percent": PERCENT,
    "MSEK": "#,##0.0",
    "kt CO2e": "#,##0",
    "t CO2e per inhabitant": "0.00",
    "SEK per SEK": "0.00",
}
GOALS = ["direction_1", "direction_2", "direction_3", "impact"]
GOAL_SHEETS = [
    ("direction_1", "sheet_direction_1"),
    ("direction_2", "sheet_direction_2"),
    ("direction_3", "sheet_direction_3"),
    ("impact", "sheet_impact"),
]
SHEETS = [
    "sheet_cover",
    "sheet_summary",
    *[s for _, s in GOAL_SHEETS],
    "sheet_sectors",
    "sheet_municipalities",
    "sheet_funding",
    "sheet_metadata",
    "sheet_quality",
    "sheet_sources",
    "sheet_method",
    "sheet_data",
]
TREND_QUARTERS = 12  # quarterly charts show the last three years
CHART_CM = (15.5, 7.2)
# a chart sheet's columns: period, up to three series, a gap, the chart's (8 x 10 x 5.56 pt > 15.5 cm), and last
# the hidden numeric year the charts plot
GOAL_WIDTHS = [14, 11, 11, 11, 2, *[10] * 8, 6]
CHART_COLUMN = 6
X_COLUMN = len(GOAL_WIDTHS)
CHART_SHEET_SCALE = 88  # two charts to a page (10 pt prints at 8.8 pt)
SECTOR_CHART_CM = (22.0, 8.0)
CHART_TABLE_ROW_PT = 12.75  # a chart's table: one line of 10 pt, as spreadsheets draw a default row
SUMMARY_HEADER = "indicator"  # the label of the summary table's indicator column: how readers find the table
# the summary table's columns in order (reports.publish.summary_table reads the rows back by them)
SUMMARY_KEYS = (
    "goal", "indicator", "details", "unit", "baseline", "baseline_year", "value", "value_period", "previous",
    "previous_period", "change", "trend", "target", "target_year", "status", "revised", "comment",
)  # fmt: skip
ARROWS = {"up": "▲", "down": "▼", "flat": "►"}


def sheet_names(language: str) -> list[str]:
    return [label(k, language) for k in SHEETS]


def _fmt(unit: object) -> str:
    return NUMBER_FORMATS.get(str(unit), "#,##0.0")


def _change_fmt(unit: object, language: str) -> str:
    """Signed, in the indicator's own format; a percentage changes in percentage points."""
    if unit == "percent":
        suffix = label("pp_suffix", language)
        return f'+0.0" {suffix}";-0.0" {suffix}";0.0" {suffix}"'
    base = _fmt(unit)
    return f"+{base};-{base};{base}"


def build_workbook(
    data: ReportData,
    language: str,
    revision: int,
    published_on: dt.date,
    revision_notes: Sequence[dict[str, object]] = (),
    previous_figures: dict[str, dict[str, object]] | None = None,
) -> Workbook:
    wb = Workbook()
    default = font()
    wb._fonts = IndexedList([default])  # the Normal style's font: Arial 10 sets the width of a column's unit
    wb._named_styles["Normal"].font = default
    header = PageHeader(
        programme=label("programme", language),
        title=f"{label('report_title_short', language)} {data.quarter}",
        revision=f"{label('revision', language)} r{revision} · {label('published', language).lower()} "
        f"{published_on.isoformat()}",
        page=label("page_x_of_y", language),
        demo=label("demo_footer", language) if data.is_demo else None,
    )
    wb.active.title = label(SHEETS[0], language)
    for key in SHEETS[1:]:
        wb.create_sheet(label(key, language))
    book = _Book(wb, data, language, header)
    book.metadata()  # first: the summary links to each indicator's row on it
    book.summary(revision, previous_figures)
    for goal, sheet in GOAL_SHEETS:
        book.goal_sheet(goal, sheet)
    book.sectors()
    book.municipalities()
    book.funding()
    book.quality()
    book.sources()
    book.method(revision_notes)
    book.indicator_data()
    book.cover(revision, published_on, revision_notes)
    return wb


class _Book:
    def __init__(self, wb: Workbook, data: ReportData, language: str, header: PageHeader) -> None:
        self.wb = wb
        self.data = data
        self.language = language
        self.header = header
        self.metadata_rows: dict[str, int] = {}  # indicator -> its row on the metadata sheet (for links)
        self.names = {str(r["indicator_id"]): r for r in data.method}
        self.municipality_names = {str(r["municipality_code"]): r["municipality_name"] for r in data.municipalities}

    # ---------- helpers

    def L(self, key: str) -> str:
        return label(key, self.language)

    def sheet(self, key: str) -> Worksheet:
        return self.wb[self.L(key)]

    def source_name(self, source: object) -> str:
        return source_text(self.data.source_texts, str(source), "title", self.language)

    def _state_text(self, v: dict[str, object]) -> str | None:
        """A source's state for this revision; a rejected newest delivery is named, with the rule it broke."""
        if not v.get("source_state"):
            return None
        text = state_text(str(v["source_state"]), self.language)
        text = text[:1].upper() + text[1:]
        if v.get("rejected_file_name"):
            broken = v.get("rejected_error_rule")
            rule = (
                f", {label_or(f'rule:file:{broken}', self.language, rule_label(str(broken), self.language))}"
                if broken
                else ""
            )
            text += f" ({v['rejected_file_name']}{rule})"
        return text

    def _comment(self, r: dict[str, object], comment: str) -> str | None:
        """The programme office's comment; for a missing figure first why it is missing (never a bare blank)."""
        states = source_states(self.data.vintages)
        reason = missing_text(r, self.language, states, prefix=False, name_of=self.source_name)
        parts = [p for p in (reason and f"{self.L('no_data')}: {reason}", r.get(comment)) if p]
        return " ".join(str(p) for p in parts) or None

    def indicator_name(self, indicator: object) -> str:
        row = self.names.get(str(indicator))
        return str(row[f"name_{self.language}"]) if row else str(indicator)

    def link_to_metadata(self, indicator: object) -> str:
        return f"'{self.L('sheet_metadata')}'!A{self.metadata_rows.get(str(indicator), 1)}"

    # ---------- cover

    def cover(self, revision: int, published_on: dt.date, notes: Sequence[dict[str, object]]) -> None:
        L = self.L
        ws = self.sheet("sheet_cover")
        freshness = {str(f["source_name"]): f for f in self.data.freshness}
        rows = [
            {**v, **{f"fresh_{k}": val for k, val in freshness.get(str(v["source_name"]), {}).items()}}
            for v in self.data.vintages
        ]
        for name in sorted(set(freshness) - {str(v["source_name"]) for v in self.data.vintages}):
            rows.append({"source_name": name, **{f"fresh_{k}": val for k, val in freshness[name].items()}})
        columns = [
            Col("source", lambda v: self.source_name(v["source_name"]), width=34, wrap=True),
            Col(
                "publisher",
                lambda v: source_text(self.data.source_texts, str(v["source_name"]), "publisher", self.language),
                width=30,
                wrap=True,
            ),
            Col("source_state", self._state_text, width=22, wrap=True),
            Col("used_file", _used_files, width=20, wrap=True),
            Col("latest_delivery", lambda v: v.get("latest_delivery_at"), DATETIME, 12, align="center"),
            Col("next_due", lambda v: v.get("fresh_next_due_on"), DATE, 10, align="center"),
            self._freshness_col("fresh_freshness_status"),
            Col("files", lambda v: v.get("files_delivered"), "0", 5),
            Col("rows_accepted_short", lambda v: v.get("rows_accepted"), "#,##0", 8),
            Col("rows_rejected_short", lambda v: v.get("rows_rejected"), "#,##0", 8),
        ]
        widths = fit_widths(columns, rows, L)
        lay = SheetLayout(ws, widths, "landscape", self.header)
        lay.text(L("programme"), size=16, bold=True)
        lay.text(L("report_title"), size=13)
        lay.gap()
        latest = max((v["latest_delivery_at"] for v in self.data.vintages if v["latest_delivery_at"]), default=None)
        this_note = next((n for n in notes if n.get("revision") == revision), None)
        lay.pairs(
            [
                (L("quarter"), self.data.quarter, None),
                (L("revision"), f"r{revision}", None),
                (L("published"), published_on, DATE),
                (L("data_as_of"), latest, DATETIME),
                (L("assessed_as_of"), self.data.as_of_date, DATE),
                (
                    L("revision_note"),
                    revision_note_text(this_note, self.language, self.names, self.data.source_texts),
                    None,
                ),
            ],
            span=len(widths) - 1,
        )
        if self.data.is_demo:
            lay.gap()
            lay.text(L("demo_notice"), bold=True, color="C00000", fill=PatternFill("solid", fgColor="FCE4D6"))
        late = [f for f in self.data.freshness if f["freshness_status"] != "on_time"]
        if late:
            lay.gap()
            names = ", ".join(
                f"{self.source_name(f['source_name'])} ({L('freshness:' + str(f['freshness_status'])).lower()})"
                for f in late
            )
            lay.text(f"{L('late_sources')}: {names}", bold=True)
        lay.gap()
        lay.heading(L("contents"))
        contents = [(key, f"cover_{key.removeprefix('sheet_')}") for key in SHEETS[1:]]
        lay.keep(len(contents) * ROW_PT)  # the contents on one page
        for key, text in contents:
            lay.keep(ROW_PT)
            cell = put(ws, lay.row, 1, L(key))
            link_to(cell, f"'{L(key)}'!A1")
            cell.font = font(color="1F4E79", underline="single")
            put(ws, lay.row, 2, L(text))
            ws.merge_cells(start_row=lay.row, start_column=2, end_row=lay.row, end_column=len(widths))
            lay.advance(ROW_PT)
        lay.gap()
        lay.heading(L("vintage_heading"))
        lay.table(columns, rows, L)
        lay.finish()

    # ---------- summary

    def summary(self, revision: int, previous_figures: dict[str, dict[str, object]] | None) -> None:
        L = self.L
        ws = self.sheet("sheet_summary")
        lang = self.language
        previous = previous_figures or {}
        comment = f"comment_{lang}"

        def revised(r: dict[str, object]) -> str | None:
            """What the previous revision of this quarter's report showed, where it differs."""
            was = previous.get(str(r["indicator_id"]))
            if not previous or was == {"value": r["value"], "period": r["value_period"]}:
                return None
            if was is None:
                return L("revised_new")
            old = was.get("value")
            old_text = number_text(old, _decimals(r["unit"]), lang) if isinstance(old, int | float) else "–"
            return f"{L('revised_was')} {old_text} ({was.get('period')})"

        columns = [
            Col("goal", lambda r: L(f"goal_short:{r['goal']}"), width=9),
            Col(SUMMARY_HEADER, lambda r: r[f"name_{lang}"], width=27, wrap=True),
            Col("details", lambda r: L("details_link"), width=5,
                link=lambda r: self.link_to_metadata(r["indicator_id"])),
            Col("unit", lambda r: unit_label(r["unit"], lang), width=8, wrap=True),
            Col("baseline_short", lambda r: r["baseline_value"], None, 8),
            Col("year_short", lambda r: r["baseline_year"], "0", 5),
            Col("value", lambda r: L("no_data") if r["value"] is None else r["value"], None, 8, bold=True),
            Col("value_period", lambda r: r["value_period"], width=6),
            Col("previous_short", lambda r: r["previous_value"], None, 8),
            Col("previous_period", lambda r: r["previous_period"], width=6),
            Col("change_short", lambda r: r["change_from_previous"], None, 8),
            Col("trend", lambda r: _arrow(r["change_from_previous"]), width=4),
            Col("target_short", lambda r: r["target_value"], None, 8),
            Col("year_short", lambda r: r["target_year"], "0", 5),
            Col("status", lambda r: L(str(r["status"])), width=11, wrap=True, bold=True,
                fill=lambda r: STATUS_FILLS.get(str(r["status"]))),
            Col("revised", revised, width=9, wrap=True),
            Col("comment", lambda r: self._comment(r, comment), width=21, wrap=True),
        ]  # fmt: skip
        # each figure in its indicator's own number format (measured as it prints)
        formats = {
            "baseline_short": lambda r: _fmt(r["unit"]),
            "value": lambda r: _fmt(r["unit"]),
            "previous_short": lambda r: _fmt(r["unit"]),
            "target_short": lambda r: _fmt(r["unit"]),
            "change_short": lambda r: _change_fmt(r["unit"], lang),
        }
        rows = [{**r, **{f"_fmt_{k}": f(r) for k, f in formats.items()}} for r in self.data.summary]
        columns = [
            Col(c.label, c.value, c.fmt, c.width, c.wrap, c.bold, c.fill, c.link, row_fmt=f"_fmt_{c.label}")
            if c.label in formats
            else c
            for c in columns
        ]
        assert len(columns) == len(SUMMARY_KEYS)
        widths = fit_widths(columns, rows, self._summary_labels(revision), page="landscape")
        lay = SheetLayout(ws, widths, "landscape", self.header)
        lay.text(f"{L('sheet_summary')} {self.data.quarter}", size=14, bold=True)
        self._status_counts(lay)
        lay.gap()
        lay.text(L("summary_legend"))
        lay.gap(4)
        header_row, _ = lay.table(columns, rows, self._summary_labels(revision), repeat_header=True, filters=True)
        for i, r in enumerate(rows, start=header_row + 1):
            for j in (8, 10):  # the periods beside the figures: centred, so a figure never runs into its period
                ws.cell(row=i, column=j).alignment = Alignment(horizontal="center", vertical="top")
            trend = ws.cell(row=i, column=12)
            trend.alignment = Alignment(horizontal="center", vertical="top")
            good = _is_favourable(r)
            if good is not None:
                trend.font = font(bold=True, color="00803C" if good else "C00000")
        lay.finish(freeze=f"C{header_row + 1}")

    def _summary_labels(self, revision: int) -> Callable[[str], str]:
        def labels(key: str) -> str:
            if key == "revised":
                return (
                    self.L("revised_since").format(revision=revision - 1) if revision > 1 else self.L("revised_first")
                )
            return self.L(key)

        return labels

    def _status_counts(self, lay: SheetLayout) -> None:
        """How many indicators have each status, per goal and in all: the summary's first glance. A status row
        each (the status word in its colour), a column per goal; over the summary's columns, merged."""
        L = self.L
        ws = lay.ws
        counts = Counter((str(r["goal"]), str(r["status"])) for r in self.data.summary)
        goals = [g for g in GOALS if any(counts[(g, s)] for s in STATUSES)]
        shown = [s for s in STATUSES if any(counts[(g, s)] for g in goals)]
        # the status word over columns A-B, each goal (and the total) over two columns
        spans = [(3 + 2 * k, 4 + 2 * k) for k in range(len(goals) + 1)]
        header = [*(L(f"goal_short:{g}") for g in goals), L("total")]
        header_height = max(lay.merged_height(h, a, b, bold=True) for h, (a, b) in zip(header, spans, strict=True))
        lay.heading(L("status_counts"))
        lay.keep(header_height + (len(shown) + 1) * (ROW_PT + 2))
        row = lay.row
        cell = put(ws, row, 1, L("status"))
        cell.font = font(bold=True, color="FFFFFF")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        for text, (a, b) in zip(header, spans, strict=True):
            c = put(ws, row, a, text)
            c.font = font(bold=True, color="FFFFFF")
            c.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
            ws.merge_cells(start_row=row, start_column=a, end_row=row, end_column=b)
        for j in range(1, spans[-1][1] + 1):
            ws.cell(row=row, column=j).fill = HEADER_FILL
        lay.advance(header_height)
        for status in [*shown, "total"]:
            row = lay.row
            is_total = status == "total"
            c = put(ws, row, 1, L(status))
            c.font = font(bold=True)
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
            if not is_total:
                c.fill = PatternFill("solid", fgColor=STATUS_FILLS[status])
            values = [sum(counts[(g, s)] for s in shown) if is_total else counts[(g, status)] for g in goals]
            values.append(sum(values))
            for value, (a, b) in zip(values, spans, strict=True):
                v = put(ws, row, a, value or None, "0")
                v.font = font(bold=is_total or b == spans[-1][1])
                v.alignment = Alignment(horizontal="center")
                ws.merge_cells(start_row=row, start_column=a, end_row=row, end_column=b)
            if is_total:
                for j in range(1, spans[-1][1] + 1):
                    ws.cell(row=row, column=j).fill = SUBTLE_FILL
            lay.advance(ROW_PT + 2)

    # ---------- direction and impact sheets

    def goal_sheet(self, goal: str, key: str) -> None:
        L = self.L
        ws = self.sheet(key)
        lay = SheetLayout(ws, GOAL_WIDTHS, "landscape", self.header, scale=CHART_SHEET_SCALE)
        lay.text(L(goal), size=14, bold=True)
        by_indicator: dict[str, list[dict[str, object]]] = {}
        for point in self.data.trends:
            if point["goal"] == goal:
                by_indicator.setdefault(str(point["indicator_id"]), []).append(point)
        if goal == "impact" and self.data.pathway:
            self._pathway_block(lay)
        for indicator, series in by_indicator.items():
            self._trend_block(lay, indicator, series)
        # the numeric year each chart plots, in a column of its own: hidden, the period beside the figures is read
        ws.column_dimensions[get_column_letter(X_COLUMN)].hidden = True
        lay.finish()

    def _trend_block(self, lay: SheetLayout, indicator: str, series: list[dict[str, object]]) -> None:
        """The indicator's values from its first measured period (the last three years of quarters), the straight
        path from the baseline to the target, and the target at the end of its target year."""
        L = self.L
        first = next((i for i, p in enumerate(series) if p["value"] is not None), None)
        if first is None:  # nothing measured yet: no empty chart, the block says so (the summary gives why)
            lay.gap()
            lay.text(self.indicator_name(indicator), size=11, bold=True, keep_with=ROW_PT)
            lay.text(L("trend_no_data"))
            return
        series = series[first:]
        quarterly = series[-1]["frequency"] == "quarterly"
        if quarterly:
            series = series[-TREND_QUARTERS:]
        meta = series[-1]
        unit = meta["unit"]
        rows = [(str(p["period"]), _x(p, quarterly), [p["value"], p["target_path_value"]]) for p in series]
        target_year, target_value = meta.get("target_year"), meta.get("target_value")
        if target_value is not None and target_year is not None:
            x_target = float(target_year) + (0.75 if quarterly else 0.0)
            if x_target > rows[-1][1]:
                period = f"{target_year}Q4" if quarterly else str(target_year)
                rows.append((f"{period} {L('target_point')}", x_target, [None, target_value]))
        has_target = any(r[2][1] is not None for r in rows)
        if not has_target:
            rows = [(a, x, v[:1]) for a, x, v in rows]
        fmt = _fmt(unit)
        self._chart_block(
            lay,
            self.indicator_name(indicator),
            [L("period"), L("value_short"), *([L("target_path")] if has_target else [])],
            rows,
            [(L("value_short"), charts.MEASURED), (L("target_path"), charts.TARGET)][: 2 if has_target else 1],
            fmt,
            y_title=unit_label(unit, self.language),
            integer=unit == "count",
            x_range=(float(int(rows[0][1])), float(int(rows[-1][1])) + (1.0 if quarterly else 0.0)),
            size_cm=CHART_CM,
        )

    def _pathway_block(self, lay: SheetLayout) -> None:
        L = self.L
        points = [p for p in self.data.pathway if p["members_index"] is not None or p["others_index"] is not None]
        if not points:
            return
        rows = [
            (
                str(p["emission_year"]),
                float(p["emission_year"]),
                [p["members_index"], p["required_pathway_index"], p["others_index"]],
            )
            for p in points
        ]
        catalogue = self.names.get("kk_emissions_change_pct", {})
        target_year = catalogue.get("target_year")
        if target_year and catalogue.get("target_value") is not None and int(target_year) > rows[-1][1]:
            required = 100 + float(catalogue["target_value"])
            rows.append((f"{target_year} {L('target_point')}", float(target_year), [None, required, None]))
        self._chart_block(
            lay,
            L("pathway_title"),
            [L("year"), L("members_short"), L("required_short"), L("others_short")],
            rows,
            [
                (L("members_index"), charts.MEASURED),
                (L("required_index"), charts.TARGET),
                (L("others_index"), charts.COMPARISON),
            ],
            "0.0",
            y_title=L("index"),
            integer=False,
            x_range=(float(int(rows[0][1])), float(int(rows[-1][1]))),
            size_cm=(CHART_CM[0], CHART_CM[1] + 1.5),
        )

    def _chart_block(
        self,
        lay: SheetLayout,
        title_text: str,
        headers: list[str],
        rows: list[tuple[str, float, list[object]]],
        styles: list[tuple[str, charts.LineStyle]],
        fmt: str,
        *,
        y_title: str,
        integer: bool,
        x_range: tuple[float, float],
        size_cm: tuple[float, float],
    ) -> None:
        """A titled table (period, then a column per series) and a line chart beside it, kept on one page. The
        chart plots each series against the numeric year in the hidden column X_COLUMN."""
        ws = lay.ws
        span = len(headers) + 1
        title_height = lay.merged_height(title_text, 1, span, bold=True, size=11)
        header_height = max(lay.fitted_height([(j, h, None, True, True, BODY)]) for j, h in enumerate(headers, 1))
        table_height = title_height + header_height + len(rows) * CHART_TABLE_ROW_PT
        chart_height = charts.height_pt(size_cm[1])
        lay.gap()
        lay.keep(max(table_height, chart_height))
        title_row = lay.row
        title_cell = put(ws, title_row, 1, title_text)
        title_cell.font = font(11, bold=True)
        title_cell.alignment = Alignment(wrap_text=True, vertical="bottom")
        ws.merge_cells(start_row=title_row, start_column=1, end_row=title_row, end_column=span)
        lay.advance(title_height)
        header_row = lay.row
        for j, text in enumerate(headers, start=1):
            c = put(ws, header_row, j, text)
            c.font = font(bold=True, color="FFFFFF")
            c.fill = HEADER_FILL
            c.alignment = Alignment(wrap_text=True, vertical="center")
        lay.advance(header_height)
        first_row = lay.row
        for text, x, values in rows:
            put(ws, lay.row, 1, text)
            put(ws, lay.row, X_COLUMN, x, "0.00")
            for j, value in enumerate(values, start=2):
                put(ws, lay.row, j, value, fmt)
            lay.advance(CHART_TABLE_ROW_PT)
        chart = charts.line_chart(
            ws,
            title_text,
            (X_COLUMN, first_row, lay.row - 1),
            [(name, j, style) for j, (name, style) in enumerate(styles, start=2)],
            y_title=y_title,
            y_format=fmt,
            integer=integer,
            x_range=x_range,
            y_values=[float(v) for _, _, values in rows for v in values if v is not None],
            size_cm=size_cm,
        )
        ws.add_chart(chart, f"{get_column_letter(CHART_COLUMN)}{title_row}")
        _reserve(lay, chart_height - table_height)  # the chart reaches below the table

    # ---------- emissions by sector

    def sectors(self) -> None:
        """Emissions per SMHI main sector, the contract municipalities against the others: the baseline year, the
        newest year and the change, as a table under a group header and as bars."""
        L = self.L
        ws = self.sheet("sheet_sectors")
        known = [r for r in self.data.sectors if r["emissions_kt"] is not None]
        newest = max((int(r["emission_year"]) for r in known), default=None)
        baseline = int(known[0]["baseline_year"]) if known else None
        by_sector: dict[str, dict[str, object]] = {}
        for r in self.data.sectors:
            if int(r["emission_year"]) != newest:
                continue
            entry = by_sector.setdefault(str(r["sector_code"]), {"name": r[f"sector_name_{self.language}"]})
            group = str(r["municipality_group"])
            entry[f"{group}_base"] = r["baseline_emissions_kt"]
            entry[f"{group}_now"] = r["emissions_kt"]
            entry[f"{group}_change"] = r["change_since_baseline_pct"]
        records = sorted(by_sector.values(), key=lambda e: -float(e.get("members_now") or 0))
        total: dict[str, object] = {"name": L("total")}
        for group in ("members", "others"):
            complete = all(e.get(f"{group}_base") is not None and e.get(f"{group}_now") is not None for e in records)
            base = sum(float(e.get(f"{group}_base") or 0) for e in records)
            now = sum(float(e.get(f"{group}_now") or 0) for e in records)
            total[f"{group}_base"] = base if complete else None  # a sector's missing figure is never summed as 0
            total[f"{group}_now"] = now if complete else None
            total[f"{group}_change"] = 100 * (now / base - 1) if complete and base else None
        columns = [
            Col("sector", lambda e: e["name"], width=30, wrap=True),
            *(
                Col(key, lambda e, g=group, k=part: e.get(f"{g}_{k}"), fmt, 9)
                for group in ("members", "others")
                for key, part, fmt in (
                    ("baseline_year_kt", "base", "#,##0"),
                    ("newest_year_kt", "now", "#,##0"),
                    ("change_pct_short", "change", PERCENT),
                )
            ),
        ]

        def labels(key: str) -> str:
            return L(key).format(baseline=baseline, newest=newest)

        # the table and its chart on one page (10 pt prints at 9 pt)
        lay = SheetLayout(ws, fit_widths(columns, [*records, total], labels), "landscape", self.header, scale=90)
        lay.text(L("sectors_title"), size=14, bold=True)
        if not records:
            lay.text(L("no_sector_data"))
            lay.finish()
            return
        lay.text(L("sectors_intro").format(baseline=baseline, newest=newest))
        lay.gap()
        group_height = max(lay.merged_height(L(k), 2, 4, bold=True) for k in ("members_index", "others_index"))
        lay.keep(group_height + (len(records) + 3) * ROW_PT * 1.5)
        for text, (a, b) in ((L("members_index"), (2, 4)), (L("others_index"), (5, 7))):
            cell = put(ws, lay.row, a, text)
            cell.font = font(bold=True, color="FFFFFF")
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            for j in range(a, b + 1):
                ws.cell(row=lay.row, column=j).fill = HEADER_FILL
            ws.merge_cells(start_row=lay.row, start_column=a, end_row=lay.row, end_column=b)
        ws.cell(row=lay.row, column=1).fill = HEADER_FILL
        lay.advance(group_height)
        header_row, last = lay.table(columns, records, labels, totals=total)
        chart_height = charts.height_pt(SECTOR_CHART_CM[1])
        lay.gap()
        lay.keep(chart_height)
        chart = charts.bar_chart(
            ws,
            L("sectors_chart").format(baseline=baseline, newest=newest),
            (1, header_row + 1, last - 1),
            [(4, L("members_index"), "1F4E79", "1F4E79"), (7, L("others_index"), "D9D9D9", "000000")],
            y_title=L("change_since").format(baseline=baseline),
            y_format="0",
            values=[
                float(v) for e in records for v in (e.get("members_change"), e.get("others_change")) if v is not None
            ],
            size_cm=SECTOR_CHART_CM,
        )
        ws.add_chart(chart, f"A{lay.row}")
        _reserve(lay, chart_height)
        lay.finish()

    # ---------- annexes

    def municipalities(self) -> None:
        L = self.L
        lang = self.language
        ws = self.sheet("sheet_municipalities")
        yn = lambda v: None if v is None else L("yes" if v else "no")  # noqa: E731
        columns = [
            Col("municipality", lambda r: r["municipality_name"], width=14, wrap=True),
            Col("code_short", lambda r: r["municipality_code"], width=5),
            Col("cohort", lambda r: r["cohort_year"], "0", 5),
            Col("population_short", lambda r: r["population"], "#,##0", 8),
            Col("year_short", lambda r: r["emission_year"], "0", 5),
            Col("emissions_kt_short", lambda r: _per_thousand(r["emissions_t"]), "#,##0.0", 8),
            Col("per_capita_short", lambda r: r["emissions_t_per_capita"], "0.00", 8),
            Col("change_pct", lambda r: r["change_since_baseline_pct"], PERCENT, 9),
            Col("achieved_rate", lambda r: r["achieved_yearly_change_pct"], PERCENT, 9),
            Col("required_rate", lambda r: r["required_yearly_change_pct"], PERCENT, 9),
            Col("on_track_flag", lambda r: yn(r["is_on_track"]), width=5),
            Col("mission_label_short", lambda r: _label_text(r), width=10),
            Col("ccc_short", lambda r: _ccc(r["ccc_status"], lang), width=8, wrap=True),
            # a sum over a source without accepted data reads "Data saknas", never blank or 0
            Col("intl_msek_short", lambda r: _or_no_data(r["international_funding_msek"], L), "#,##0.0", 9),
            Col("national_msek_short", lambda r: _or_no_data(r["national_funding_msek"], L), "#,##0.0", 9),
            Col("green_msek_short", lambda r: _or_no_data(r["green_loans_msek"], L), "#,##0.0", 8),
        ]
        # follow-up status from the municipalities' annual reports, when the annex has it
        if self.data.municipalities and "followup_status" in self.data.municipalities[0]:
            columns.append(
                Col(
                    "followup_status",
                    lambda r: L(f"followup:{r['followup_status']}") if r["followup_status"] else None,
                    width=11,
                    wrap=True,
                )
            )
        rows = self.data.municipalities
        totals = _totals(
            rows,
            {
                "municipality_name": f"{L('total')} ({len(rows)})",
                "population": "sum",
                "emissions_t": "sum",
                "international_funding_msek": "sum",
                "national_funding_msek": "sum",
                "green_loans_msek": "sum",
            },
        )
        if totals.get("emissions_t") is not None and totals.get("population"):
            totals["emissions_t_per_capita"] = float(totals["emissions_t"]) / float(totals["population"])
        lay = SheetLayout(ws, fit_widths(columns, rows, L, totals), "landscape", self.header)
        lay.text(f"{L('sheet_municipalities')} {self.data.quarter}", size=14, bold=True)
        header_row, _ = lay.table(columns, rows, L, repeat_header=True, filters=True, totals=totals)
        self._reconciliation(lay, totals)
        lay.finish(freeze=f"B{header_row + 1}")

    def _reconciliation(self, lay: SheetLayout, totals: dict[str, object]) -> None:
        """Why the annex's international funding differs from the summary's: the split by recipient."""
        L = self.L
        groups = {str(r["recipient_group"]): r for r in self.data.reconciliation}
        if not groups:
            return
        summary = next(
            (r["value"] for r in self.data.summary if r["indicator_id"] == "intl_funding_awarded_msek_cumulative"),
            None,
        )
        rows = [
            {"text": L(f"recipients:{g}"), "awards": groups[g]["awards"], "msek": groups[g]["amount_msek"]}
            for g in ("members", "other_municipalities", "no_municipality")
            if g in groups
        ]
        total = {
            "text": L("recipients:total"),
            "awards": sum(int(r["awards"]) for r in rows),
            "msek": sum(float(r["msek"]) for r in rows),
        }
        lay.gap()
        annex = totals.get("international_funding_msek")
        explanation = L("reconciliation_intro").format(
            annex=number_text(annex, 1, self.language),
            summary=number_text(summary, 1, self.language),
        )
        lay.text(explanation, span=8, keep_with=(len(rows) + 2) * ROW_PT)
        columns = [
            Col("recipient_group", lambda r: r["text"], width=0, wrap=True),
            Col("awards", lambda r: r["awards"], "0", 0),
            Col("intl_msek", lambda r: r["msek"], "#,##0.0", 0),
        ]
        # the three columns sit in A-B (merged text), D and F: the annex's columns are narrow
        self._small_table(lay, columns, rows, total)

    def _small_table(
        self,
        lay: SheetLayout,
        columns: Sequence[Col],
        rows: Rows,
        total: dict[str, object] | None,
        spans: Sequence[tuple[int, int]] | None = None,
    ) -> None:
        """A table laid over the sheet's columns: each of its columns spans sheet columns (merged), at least as many
        as its content needs (its header's words, its unwrapped values); the last one takes the rest."""
        if spans is None:
            need = fit_widths([Col(c.label, c.value, c.fmt, 0, c.wrap, c.bold) for c in columns], rows, self.L, total)
            spans, first = [], 1
            for k, width in enumerate(need):
                last = first
                if k == len(need) - 1:
                    last = len(lay.widths)
                else:
                    while merged_text_pt(lay.widths[first - 1 : last]) < column_text_pt(width) and last < len(
                        lay.widths
                    ):
                        last += 1
                spans.append((first, last))
                first = last + 1
        spanned = [
            Col(col.label, col.value, col.fmt, col.width, col.wrap, col.bold, col.fill, col.link, col.row_fmt,
                col.align, b - a + 1)
            for col, (a, b) in zip(columns, spans, strict=True)
        ]  # fmt: skip
        assert spans[0][0] == 1 and all(spans[k][1] + 1 == spans[k + 1][0] for k in range(len(spans) - 1)), spans
        lay.table(spanned, rows, self.L, totals=total)

    def funding(self) -> None:
        L = self.L
        lang = self.language
        ws = self.sheet("sheet_funding")
        columns = [
            Col("instrument_name", lambda r: r[f"instrument_name_{lang}"] or r["instrument_code"], width=30, wrap=True),
            Col("scope", lambda r: L(f"scope:{r['instrument_scope']}") if r["instrument_scope"] else None, width=13),
            Col("decision_year", lambda r: r["decision_year"], "0", 8),
            Col("municipality_code", lambda r: r["municipality_code"] or None, width=9),
            Col(
                "municipality", lambda r: self.municipality_names.get(str(r["municipality_code"])), width=12, wrap=True
            ),
            Col("awards", lambda r: r["awards"], "0", 8),
            Col("amount_eur", lambda r: r["amount_eur"], "#,##0", 14),
            Col("amount_sek", lambda r: r["amount_sek"], "#,##0", 15),
            Col("min_rate", lambda r: r["min_sek_per_eur"], "0.0000", 10),
            Col("max_rate", lambda r: r["max_sek_per_eur"], "0.0000", 10),
            Col("without_rate", lambda r: r["awards_without_rate"], "0", 9),
        ]
        totals = _totals(
            self.data.funding,
            {
                "instrument_code": L("total"),
                "instrument_name_sv": L("total"),
                "instrument_name_en": L("total"),
                "awards": "sum",
                "amount_eur": "sum_present",  # SEK records have no EUR amount: not missing
                "amount_sek": "sum",
                "awards_without_rate": "sum",
            },
        )
        totals["instrument_scope"] = None
        if not self.data.funding:  # no award to add up: the sheet says so instead of a total of nothing
            totals = None
        lay = SheetLayout(ws, fit_widths(columns, self.data.funding, L, totals), "landscape", self.header)
        lay.text(f"{L('sheet_funding')} {self.data.quarter}", size=14, bold=True)
        lay.text(L("funding_intro"))
        if not self.data.funding:
            lay.text(L("funding_none"), bold=True)
        header_row, _ = lay.table(columns, self.data.funding, L, repeat_header=True, filters=True, totals=totals)
        lay.finish(freeze=f"B{header_row + 1}")

    # ---------- indicator metadata (Open SDG style)

    def metadata(self) -> None:
        ws = self.sheet("sheet_metadata")
        lay = SheetLayout(ws, METADATA_WIDTHS, "portrait", self.header, scale=METADATA_SCALE)
        _write_metadata(self, lay)
        lay.finish()

    # ---------- data quality

    def quality(self) -> None:
        L = self.L
        ws = self.sheet("sheet_quality")
        # per source (and for the indicator computations): deliveries, freshness and the checks run on it
        checks = Counter((str(c["area"]), _outcome(c["status"])) for c in self.data.checks)
        freshness = {str(f["source_name"]): f for f in self.data.freshness}
        vintages = {str(v["source_name"]): v for v in self.data.vintages}
        sources = sorted(set(vintages) | set(freshness) | {a for a, _ in checks if a in self.data.source_texts})
        areas = [*sources, *sorted({a for a, _ in checks} - set(sources))]
        rows = []
        for area in areas:
            v, f = vintages.get(area, {}), freshness.get(area, {})
            rows.append(
                {
                    "area": area,
                    "freshness": f.get("freshness_status"),
                    "next_due": f.get("next_due_on"),
                    "files": v.get("files_delivered"),
                    "files_rejected": v.get("files_rejected"),
                    "rows_accepted": v.get("rows_accepted"),
                    "rows_rejected": v.get("rows_rejected"),
                    "state": v,
                    "checks": sum(checks[(area, o)] for o in ("pass", "warn", "fail", "no_data")) or None,
                    "untested": checks[(area, "no_data")],
                    "pass": checks[(area, "pass")],
                    "warn": checks[(area, "warn")],
                    "fail": checks[(area, "fail")],
                }
            )
        counted = (
            "files", "files_rejected", "rows_accepted", "rows_rejected", "checks", "untested", "pass", "warn", "fail"
        )  # fmt: skip
        totals: dict[str, object] = {k: sum(int(r[k] or 0) for r in rows) for k in counted}
        totals |= {"area": None, "freshness": None, "next_due": None, "state": {}}
        columns = [
            Col("source", lambda r: self._area_name(r["area"]) if r["area"] else L("total"), width=28, wrap=True),
            Col("source_state", lambda r: self._state_text(r["state"]), width=16, wrap=True),
            self._freshness_col("freshness"),
            Col("next_due_short", lambda r: r["next_due"], DATE, 9, align="center"),
            Col("files", lambda r: r["files"], "0", 5),
            Col("files_rejected_short", lambda r: r["files_rejected"], "0", 6),
            Col("rows_accepted_short", lambda r: r["rows_accepted"], "#,##0", 8),
            Col("rows_rejected_short", lambda r: r["rows_rejected"], "#,##0", 8),
            Col("checks_run", lambda r: r["checks"], "0", 8),
            Col("checks_untested", lambda r: r["untested"], "0", 8, fill=lambda r: "D9D9D9" if r["untested"] else None),
            Col("checks_passed", lambda r: r["pass"], "0", 8),
            Col("checks_warned", lambda r: r["warn"], "0", 8, fill=lambda r: "FFEB84" if r["warn"] else None),
            Col("checks_failed", lambda r: r["fail"], "0", 8, fill=lambda r: "FF7C80" if r["fail"] else None),
        ]
        lay = SheetLayout(ws, fit_widths(columns, [*rows, totals], L), "landscape", self.header)
        lay.text(L("sheet_quality"), size=14, bold=True)
        lay.text(L("quality_intro"))
        lay.gap()
        lay.heading(L("quality_per_source"))
        lay.table(columns, rows, L, totals=totals)
        if not self.data.checks:
            lay.text(L("no_checks"))
        # rejected rows and files by rule
        lay.gap()
        rejected = [r for r in self.data.data_quality if r["rule_name"] != "-"]
        lay.heading(L("rejections_heading"))
        if not rejected:
            lay.text(L("no_rejections"))
        else:
            rule_columns = [
                Col("source", lambda r: self.source_name(r["source_name"]), wrap=True),
                Col("rule", lambda r: rule_label(str(r["rule_name"]), self.language), wrap=True),
                Col("rejected_values", lambda r: r["rejected_values"], "#,##0"),
                Col("example", lambda r: _example(r, self.language), wrap=True),
            ]
            self._small_table(lay, rule_columns, rejected, None)
        # the checks by kind, and every one that did not pass
        lay.gap()
        kinds = Counter((_check_kind(c), _outcome(c["status"])) for c in self.data.checks)
        kind_rows = [
            {"kind": k, **{o: kinds[(k, o)] for o in ("pass", "warn", "fail", "no_data")}}
            for k in sorted({k for k, _ in kinds}, key=lambda k: check_text(k, self.language))
        ]
        merged_rows: dict[str, dict[str, object]] = {}
        for r in kind_rows:  # kinds that read the same (not_null and its expectation) are one row
            key = check_text(str(r["kind"]), self.language)
            entry = merged_rows.setdefault(key, {"kind": r["kind"], "pass": 0, "warn": 0, "fail": 0, "no_data": 0})
            for o in ("pass", "warn", "fail", "no_data"):
                entry[o] = int(entry[o]) + int(r[o])
        if merged_rows:
            lay.heading(L("checks_by_kind"))
            kind_columns = [
                Col("check_kind", lambda r: check_text(str(r["kind"]), self.language), wrap=True),
                Col("checks_run", lambda r: sum(int(r[o]) for o in ("pass", "warn", "fail", "no_data")), "0"),
                Col("checks_passed", lambda r: r["pass"], "0"),
                Col("checks_warned", lambda r: r["warn"], "0"),
                Col("checks_failed", lambda r: r["fail"], "0"),
            ]
            self._small_table(
                lay, kind_columns, list(merged_rows.values()), None, spans=[(1, 7), (8, 8), (9, 9), (10, 10), (11, 11)]
            )
        not_passed = [c for c in self.data.checks if _outcome(c["status"]) != "pass"]
        lay.gap()
        lay.heading(L("checks_not_passed"))
        if not not_passed:
            lay.text(L("all_checks_passed"))
        else:
            failed_columns = [
                Col("source", lambda c: self._area_name(c["area"]), wrap=True),
                Col("check", lambda c: self._check_description(c), wrap=True),
                Col("outcome", lambda c: L(_outcome_key(c["status"]))),
            ]
            self._small_table(lay, failed_columns, not_passed, None)
        lay.finish()

    def _freshness_col(self, key: str) -> Col:
        """A source's delivery state (on time, late, missing) as a word, late and missing shaded."""
        return Col(
            "freshness",
            lambda r: self.L(f"freshness:{r[key]}") if r.get(key) else None,
            width=9,
            fill=lambda r: FRESHNESS_FILLS.get(str(r.get(key))),
        )

    def _area_name(self, area: object) -> str:
        if str(area) in self.data.source_texts:
            return self.source_name(area)
        return label_or(f"area:{area}", self.language, str(area))

    def _check_description(self, check: dict[str, object]) -> str:
        text = check_text(_check_kind(check), self.language)
        column = check.get("column")
        return f"{text}: {column}" if column else text

    # ---------- sources

    def sources(self) -> None:
        L = self.L
        lang = self.language
        ws = self.sheet("sheet_sources")
        texts = self.data.source_texts
        file_columns = [
            Col("source", lambda s: self.source_name(s["source_name"]), width=26, wrap=True),
            Col("file_name", lambda s: s["file_name"], width=26, wrap=True),
            Col("sha256", lambda s: s["file_sha256"], width=36, wrap=True),
            Col("delivered_at", lambda s: s["delivered_at"], DATETIME, 12, align="center"),
            Col("delivery_status", lambda s: L(str(s["delivery_status"])), width=14, wrap=True),
            Col("rows_accepted_short", lambda s: s["rows_accepted"], "#,##0", 8),
            Col("rows_rejected_short", lambda s: s["rows_rejected"], "#,##0", 8),
        ]
        lay = SheetLayout(ws, fit_widths(file_columns, self.data.sources, L), "landscape", self.header)
        lay.text(L("sheet_sources"), size=14, bold=True)
        names = sorted({str(s["source_name"]) for s in self.data.sources} | set(texts))
        lay.heading(L("sources_per_source"))
        columns = [
            Col("source", lambda r: self.source_name(r["source_name"]), wrap=True),
            Col("publisher", lambda r: source_text(texts, str(r["source_name"]), "publisher", lang), wrap=True),
            Col("licence", lambda r: source_text(texts, str(r["source_name"]), "licence", lang), wrap=True),
            Col("cadence", lambda r: _cadence(texts, str(r["source_name"]), lang), wrap=True),
        ]
        self._small_table(lay, columns, [{"source_name": n} for n in names], None)
        lay.gap()
        lay.heading(L("sources_per_file"))
        lay.table(file_columns, self.data.sources, L, repeat_header=True, filters=True)
        lay.finish()

    # ---------- method

    def method(self, notes: Sequence[dict[str, object]]) -> None:
        L = self.L
        lang = self.language
        ws = self.sheet("sheet_method")
        rows = [{**r, "_fmt": _fmt(r["unit"])} for r in self.data.method]
        columns = [
            Col("indicator", lambda r: r[f"name_{lang}"], width=34, wrap=True),
            Col("baseline_short", lambda r: r["baseline_value"], None, 9, row_fmt="_fmt"),
            Col("year_short", lambda r: r["baseline_year"], "0", 5),
            Col("target_short", lambda r: r["target_value"], None, 9, row_fmt="_fmt"),
            Col("year_short", lambda r: r["target_year"], "0", 5),
            Col("desired_direction", lambda r: L(f"direction:{r['desired_direction']}"), width=10, wrap=True),
            Col(
                "thresholds",
                lambda r: f"{number_text(r['on_track_ratio'], 2, lang)} / {number_text(r['moderate_ratio'], 2, lang)}",
                width=11,
            ),
            Col("frequency", lambda r: L(f"frequency:{r['frequency']}"), width=10),
            Col("baseline_source", lambda r: L("baseline_computed" if r["is_baseline_computed"] else "baseline_set"),
                width=14, wrap=True),
        ]  # fmt: skip
        widths = fit_widths(columns, rows, L)
        lay = SheetLayout(ws, widths, "landscape", self.header)
        lay.text(L("sheet_method"), size=14, bold=True)
        lay.text(L("status_method"))
        lay.gap()
        lay.heading(L("status_legend"))
        legend = [{"status": s} for s in STATUSES]
        legend_columns = [
            Col("status", lambda r: L(str(r["status"])), bold=True, fill=lambda r: STATUS_FILLS[str(r["status"])]),
            Col("meaning", lambda r: L(f"status_definition:{r['status']}"), wrap=True),
        ]
        self._small_table(lay, legend_columns, legend, None)
        lay.gap()
        lay.text(L("change_method"))
        lay.gap()
        lay.heading(L("baselines_heading"))
        lay.table(columns, rows, L, repeat_header=True)
        lay.gap()
        lay.heading(L("revision_notes"))
        note_rows = [{**n, "text": revision_note_text(n, lang, self.names, self.data.source_texts)} for n in notes]
        note_columns = [
            Col("revision", lambda n: f"r{n['revision']}"),
            Col("published", lambda n: n["published_on"], DATE),
            Col("note", lambda n: n["text"], wrap=True),
        ]
        self._small_table(lay, note_columns, note_rows, None)
        lay.finish()

    # ---------- indicator data (long format, for pivot tables)

    def indicator_data(self) -> None:
        """Every value in long format. The sheet is for pivot tables, not for reading on paper: its print area is
        its first page, and the sheet says so (the whole table is in the file)."""
        L = self.L
        lang = self.language
        ws = self.sheet("sheet_data")
        rows = self.data.indicator_data
        columns = [
            Col("indicator", lambda r: r[f"name_{lang}"], width=40, wrap=True),
            Col("indicator_id", lambda r: r["indicator_id"], width=10),
            Col("period", lambda r: r["period"], width=6),
            Col("geography_type", lambda r: L(f"geography:{r['geography_type']}"), width=8),
            Col("geography_code", lambda r: r["geography_code"], width=6),
            Col("geography_name", lambda r: _geography_name(r, L), width=12, wrap=True),
            Col("value_short", lambda r: r["value"], "#,##0.00", 8),
            Col("unit", lambda r: unit_label(r["unit"], lang), width=10, wrap=True),
            Col("status", lambda r: L(str(r["status"])), width=12, wrap=True),
        ]
        lay = SheetLayout(ws, fit_widths(columns, rows, L), "landscape", self.header)
        lay.text(L("data_intro").format(rows=number_text(len(rows), 0, lang)))
        header_row, _ = lay.table(columns, rows, L, repeat_header=True, filters=True)
        lay.finish(freeze=f"A{header_row + 1}")
        first_break = min((b.id for b in ws.row_breaks.brk), default=lay.row - 1)
        ws.print_area = f"A1:{get_column_letter(len(columns))}{first_break}"


# ---------- the metadata sheet

METADATA_WIDTHS = [24, 66]
METADATA_SCALE = 85  # three indicators to a page (10 pt prints at 8.5 pt)


def _metadata_items(book: _Book, r: dict[str, object]) -> list[tuple[str, object, str | None]]:
    L = book.L
    lang = book.language
    sources = [s.strip() for s in str(r["sources"] or "").split(";") if s.strip()]
    source_lines = []
    for s in sources:
        names = [n for n in book.data.source_texts if n == s or n.startswith(f"{s}_")] or [s]
        for n in names:
            publisher = source_text(book.data.source_texts, n, "publisher", lang)
            source_lines.append(f"{book.source_name(n)} ({publisher})")
    decimals = _decimals(r["unit"])
    if r["baseline_value"] is not None:
        baseline_text = f"{number_text(r['baseline_value'], decimals, lang)} ({r['baseline_year']})"
    elif r["baseline_year"] is not None:
        baseline_text = f"{L('no_data')} ({r['baseline_year']})"
    else:
        baseline_text = "–"  # the indicator has no baseline (a flow per quarter)
    target_text = (
        f"{number_text(r['target_value'], decimals, lang)} ({r['target_year']})"
        if r["target_value"] is not None
        else L("no_target")
    )
    return [
        (L("indicator_id"), r["indicator_id"], None),
        (L("goal"), L(str(r["goal"])), None),
        (L("definition"), r[f"definition_{lang}"], None),
        (L("unit"), unit_label(r["unit"], lang), None),
        (L("frequency"), L(f"frequency:{r['frequency']}"), None),
        (L("formula"), r[f"formula_{lang}"], None),
        (L("desired_direction"), L(f"direction:{r['desired_direction']}"), None),
        (L("baseline"), baseline_text, None),
        (L("target"), target_text, None),
        (L("sources"), "\n".join(source_lines), None),
        (L("publication_lag"), r[f"publication_lag_{lang}"], None),
        (L("limitations"), r[f"limitations_{lang}"], None),
        (L("owner"), r[f"owner_{lang}"], None),
        (L("contact"), r["contact"], None),
    ]


def _write_metadata(book: _Book, lay: SheetLayout) -> None:
    """One block per indicator in the manner of Open SDG's metadata pages; its first row is where the summary
    links to."""
    lay.text(book.L("sheet_metadata"), size=14, bold=True)
    lay.text(book.L("metadata_intro"))
    for r in book.data.method:
        items = _metadata_items(book, r)
        heights = [
            lay.fitted_height([(1, a, None, True, True, BODY), (2, b, f, True, False, BODY)]) for a, b, f in items
        ]
        name = str(r[f"name_{book.language}"])
        title_height = max(ROW_PT * 1.6, lay.fitted_height([(2, name, None, True, True, 11)]))
        lay.gap()
        lay.keep(title_height + sum(heights))
        book.metadata_rows[str(r["indicator_id"])] = lay.row
        title_cell = put(lay.ws, lay.row, 1, name)
        title_cell.font = font(11, bold=True)
        title_cell.alignment = Alignment(wrap_text=True, vertical="center")
        for j in (1, 2):
            lay.ws.cell(row=lay.row, column=j).fill = SUBTLE_FILL
        lay.ws.merge_cells(start_row=lay.row, start_column=1, end_row=lay.row, end_column=2)
        lay.advance(title_height)
        lay.pairs(items)


# ---------- small helpers


def _reserve(lay: SheetLayout, height: float) -> None:
    """Rows under a chart that reaches below its table, so the page planning counts the chart's height."""
    while height > 0:
        lay.advance(min(ROW_PT, height))
        height -= ROW_PT


def _arrow(change: object) -> str | None:
    if change is None:
        return None
    value = float(change)
    return ARROWS["up"] if value > 1e-12 else ARROWS["down"] if value < -1e-12 else ARROWS["flat"]


def _is_favourable(r: dict[str, object]) -> bool | None:
    change = r.get("change_from_previous")
    if change is None or abs(float(change)) <= 1e-12:
        return None
    return (float(change) > 0) == (r.get("desired_direction") == "increase")


def _x(point: dict[str, object], quarterly: bool) -> float:
    """The point's place on the year axis: a year at its label, a quarter at its start (2026Q3 = 2026.5)."""
    period = str(point["period"])
    if quarterly and "Q" in period:
        year, q = period.split("Q")
        return int(year) + (int(q) - 1) / 4
    return float(int(period[:4]))


def _per_thousand(value: object) -> float | None:
    return None if value is None else float(value) / 1000


def _label_text(r: dict[str, object]) -> str | None:
    if not r.get("label_date"):
        return None
    return f"{r['label_round'] or ''} {r['label_date'].isoformat()}".strip()


def _ccc(value: object, language: str) -> str | None:
    return None if value is None else label_or(f"ccc:{value}", language, str(value))


def _totals(rows: Rows, spec: dict[str, object]) -> dict[str, object]:
    """A totals record: 'sum' columns summed (missing if any row lacks the value: never a partial sum shown as
    whole), text columns as given, every other column empty."""
    keys = set(rows[0]) if rows else set(spec)
    total: dict[str, object] = {k: None for k in keys}
    for key, how in spec.items():
        values = [r.get(key) for r in rows]
        if how == "sum":
            total[key] = sum(float(v) for v in values) if values and all(v is not None for v in values) else None
        elif how == "sum_present":
            total[key] = sum(float(v) for v in values if v is not None)
        else:
            total[key] = how
    return total


def _outcome(status: object) -> str:
    s = str(status)
    if s == "no_data":  # passed over tables without a row: it tested nothing
        return "no_data"
    return "pass" if s in ("pass", "success") else "warn" if s == "warn" else "fail"


def _outcome_key(status: object) -> str:
    """The label of a check's outcome: a check over tables without a row is 'not tested: no data'."""
    outcome = _outcome(status)
    return "no_data_checked" if outcome == "no_data" else outcome


def _check_kind(check: dict[str, object]) -> str:
    return str(check.get("kind") or check.get("name"))


def _or_no_data(value: object, L: Callable[[str], str]) -> object:
    return L("no_data") if value is None else value


def _used_files(v: dict[str, object]) -> str | None:
    """The delivery the figures use, and how many older accepted files there are besides it (SCB's years, say)."""
    name = v.get("used_file_name")
    others = int(v.get("files_delivered") or 0) - int(v.get("files_rejected") or 0) - 1
    return f"{name} (+{others})" if name and others > 0 else name


# A text file's cell as ingest names it (sources.lib.cells.RawTable.cell): "Kommunkod (line 3)", "code (record 2)"
_TEXT_CELL = re.compile(r" \((line|record) (\d+)\)$")


def _example(r: dict[str, object], language: str) -> str | None:
    cell = _TEXT_CELL.sub(lambda m: f" ({label(f'cell_{m[1]}', language)} {m[2]})", str(r.get("example_cell") or ""))
    parts = [str(r["example_file_name"])] if r.get("example_file_name") else []
    parts += [cell] if cell else []
    value = r.get("example_value")
    text = " ".join(parts)
    return f"{text}: «{value}»" if value not in (None, "") else text or None


def _cadence(texts: dict[str, dict[str, object]], source: str, language: str) -> str | None:
    from sources.lib.cadence import CadenceError, rhythm

    cadence = texts.get(source, {}).get("cadence")
    if not cadence:
        return None
    try:
        return label(f"cadence:{rhythm(str(cadence))}", language)
    except CadenceError:
        return None


def _geography_name(r: dict[str, object], L: Callable[[str], str]) -> str | None:
    kind = str(r["geography_type"])
    if kind == "municipality":
        return r.get("municipality_name")
    if kind == "cohort":
        return f"{L('cohort')} {r['geography_code']}"
    return L(f"geography_name:{kind}")


def _decimals(unit: object) -> int:
    fmt = _fmt(unit)
    return len(fmt.split(".")[1]) if "." in fmt else 0
