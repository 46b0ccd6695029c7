"""Print layout of a sheet: fonts, page setup, headers and footers, row heights that fit their text, and page
breaks planned so that no chart or small table is cut in half.

A sheet is written top to bottom by a `SheetLayout`: it knows the page (A4, orientation, margins, a print scale
chosen so the sheet's columns fit the paper's width and nothing prints below 8 pt) and how much of the current
page is used, and starts a new page (a manual break) before a block that would not fit. Long tables flow over
pages with their header row repeated; the breaks between their pages are set too, so every spreadsheet program
cuts the pages where this module planned them.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from reports.textwidth import (
    FONT,
    column_text_pt,
    merged_text_pt,
    row_height_pt,
    text_width_pt,
    width_for_text_pt,
    wrapped_lines,
)

BODY = 10  # points; at the smallest print scale (80 %) it prints at 8 pt
MIN_PRINTED_PT = 8.0
MIN_SCALE = 80
MAX_SCALE = 100
ROW_PT = 14.0  # one line of body text
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
SUBTLE_FILL = PatternFill("solid", fgColor="DDEBF7")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
THIN = Side(style="thin", color="808080")
FORMULA_PREFIXES = ("=", "+", "-", "@")
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"

# A4 in points, and margins in inches (openpyxl's unit): the header and footer sit inside the top and bottom margin
PAPER_PT = {"landscape": (841.89, 595.28), "portrait": (595.28, 841.89)}
MARGIN_IN = {"left": 0.4, "right": 0.4, "top": 0.8, "bottom": 0.8, "header": 0.3, "footer": 0.3}
PAGE_SAFETY = 0.97  # plan pages slightly shorter than the paper: programs round row heights differently


@functools.cache
def font(size: float = BODY, *, bold: bool = False, color: str | None = None, underline: str | None = None) -> Font:
    return Font(name=FONT, size=size, bold=bold, color=color, underline=underline)


def styled(cell: Cell, key: tuple[object, ...], make: Callable[[Cell], None]) -> None:
    """Give a cell the style `make` sets, by key: the first cell of a key is styled by `make`, every later one
    takes a copy of its style (openpyxl hashes each style object it is given: a table of thousands of cells
    spent seconds there)."""
    cache: dict[tuple[object, ...], object] = cell.parent.parent.__dict__.setdefault("_vc_styles", {})
    if key in cache:
        cell._style = copy.copy(cache[key])
    else:
        make(cell)
        cache[key] = copy.copy(cell._style)


def printable_pt(orientation: str) -> tuple[float, float]:
    """Width and height of the printable area of an A4 page, in points."""
    width, height = PAPER_PT[orientation]
    return (
        width - (MARGIN_IN["left"] + MARGIN_IN["right"]) * 72,
        height - (MARGIN_IN["top"] + MARGIN_IN["bottom"]) * 72,
    )


def column_pt(width: float) -> float:
    """The printed width of a column of `width` (Excel's units), for planning the page: the wider of the two
    readings, LibreOffice's (Arial 10's digit, 5.56 pt, a unit); Excel rounds the digit to 7 px (5.25 pt)."""
    return width * 5.56


@dataclass(frozen=True)
class Col:
    """A table column: its label key, how to get its value from a record, number format, width and alignment."""

    label: str
    value: Callable[[dict[str, object]], object]
    fmt: str | None = None
    width: float = 12
    wrap: bool = False
    bold: bool = False
    fill: Callable[[dict[str, object]], str | None] | None = None  # a colour per record (status)
    link: Callable[[dict[str, object]], str | None] | None = None  # an internal link per record
    row_fmt: str | None = None  # a record's key holding its own number format (a figure in its unit's format)
    align: str | None = None  # horizontal alignment ("center" for years, codes and periods between figures)
    span: int = 1  # sheet columns the column covers (merged), for a table laid over another table's columns

    def format_of(self, record: dict[str, object]) -> str | None:
        return str(record.get(self.row_fmt) or self.fmt or "") or None if self.row_fmt else self.fmt


def fit_widths(
    columns: Sequence[Col],
    rows: Sequence[dict[str, object]],
    labels: Callable[[str], str],
    totals: dict[str, object] | None = None,
    page: str | None = None,
) -> list[float]:
    """Column widths that hold their content: every word of a (wrapped) header, every unwrapped value on one
    line (a totals row in bold); a wrapped column keeps its width (its text wraps, its row grows). With `page`
    (its orientation), columns too wide for it at the smallest print scale take what is too much off the wrapped
    columns, in proportion, down to their longest word: never off a figure."""
    widths, floors = [], []
    for col in columns:
        words = labels(col.label).split()
        need = max((text_width_pt(w, BODY, True) for w in words), default=0.0)
        for r in [*rows, *([totals] if totals is not None else [])]:
            text = display_text(col.value(r), col.format_of(r))
            bold = col.bold or r is totals
            if not col.wrap:
                need = max(need, text_width_pt(text, BODY, bold))
            else:  # every word of a wrapped text on its line (a hash or a file name may break)
                fitting = [w for w in text.split() if len(w) < 30 and not any(ch.isdigit() for ch in w)]
                need = max([need, *(text_width_pt(w, BODY, bold) for w in fitting)])
        widths.append(max(col.width, width_for_text_pt(need)))
        floors.append(width_for_text_pt(need) if col.wrap else widths[-1])
    excess = sum(map(column_pt, widths)) - (printable_pt(page)[0] * 100 / MIN_SCALE - 1 if page else math.inf)
    room = column_pt(sum(widths) - sum(floors))
    if excess > 0 and room >= excess:  # else SheetLayout says the columns are too wide
        widths = [w - (w - floor) * excess / room for w, floor in zip(widths, floors, strict=True)]
    return widths


@dataclass
class PageHeader:
    """What every printed page of every sheet says at its top and bottom."""

    programme: str
    title: str
    revision: str
    page: str  # "Sida &P av &N"
    demo: str | None = None


def put(ws: Worksheet, row: int, column: int, value: object, number_format: str | None = None) -> Cell:
    """Write a value in the workbook's font; a string is always stored as text, whatever it starts with."""
    if isinstance(value, dt.datetime):
        value = value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value
    cell = ws.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"  # openpyxl would otherwise store "=..." as a live formula
    styled(cell, ("put", number_format if value is not None else None), lambda c: _plain(c, number_format, value))
    return cell


def _plain(cell: Cell, number_format: str | None, value: object) -> None:
    if number_format and value is not None:
        cell.number_format = number_format
    cell.font = font()


def display_text(value: object, number_format: str | None) -> str:
    """Roughly how a value prints, for measuring: numbers with their decimals and thousands separators."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        section = (number_format or "General").split(";")[0]
        if section == "General":
            return f"{value:g}" if isinstance(value, float) else str(value)
        decimals = re.search(r"\.(0+)", section)
        places = len(decimals.group(1)) if decimals else 0
        digits = f"{abs(float(value)):,.{places}f}" if "," in section else f"{abs(float(value)):.{places}f}"
        suffix = "".join(re.findall(r'"([^"]*)"', section))
        sign = "-" if value < 0 else ("+" if section.startswith("+") else "")
        return sign + digits + suffix
    return str(value)


class SheetLayout:
    """Writes one sheet top to bottom and plans its pages."""

    def __init__(
        self,
        ws: Worksheet,
        widths: Sequence[float],
        orientation: str,
        header: PageHeader,
        *,
        extra_width_pt: float = 0.0,
        scale: int | None = None,
    ) -> None:
        self.ws = ws
        self.orientation = orientation
        self.header = header
        for j, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(j)].width = width
        self.widths = list(widths)
        content = sum(column_pt(w) for w in widths) + extra_width_pt
        page_width, page_height = printable_pt(orientation)
        fitting = math.floor(page_width / content * 100) if content else MAX_SCALE
        self.scale = min(MAX_SCALE, fitting) if scale is None else min(scale, fitting)
        if self.scale < MIN_SCALE:
            raise ValueError(
                f"sheet {ws.title!r}: its columns ({content:.0f} pt) need a print scale of {self.scale} % to fit "
                f"the page, below {MIN_SCALE} % (text would print under {MIN_PRINTED_PT} pt): narrow the columns"
            )
        self.page_height = page_height * PAGE_SAFETY / (self.scale / 100)
        self.row = 1
        self.used = 0.0  # points used on the current page
        self.title_rows: tuple[int, int] | None = None
        self.repeat_height = 0.0
        self._heading: tuple[str, float, float] | None = None

    # ---------- pages

    def new_page(self) -> None:
        if self.row > 1 and self.used > 0:
            self.ws.row_breaks.append(Break(id=self.row - 1))
            self.used = self.repeat_height

    def heading(self, text: str, size: float = 11) -> None:
        """A heading written with whatever comes next, on the same page (never alone at a page's foot)."""
        self._heading = (text, size, self.merged_height(text, 1, len(self.widths), bold=True, size=size))

    def keep(self, height: float) -> None:
        """Start a new page unless `height` points (and a pending heading) fit on the current one: a block is never
        cut in half."""
        heading = self._heading[2] if self._heading else 0.0
        if self.used + heading + height > self.page_height and self.used > self.repeat_height:
            self.new_page()
        if self._heading:
            text, size, height = self._heading
            self._heading = None
            cell = put(self.ws, self.row, 1, text)
            cell.font = font(size, bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="bottom")
            if len(self.widths) > 1:
                self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=len(self.widths))
            self.advance(height)

    def advance(self, height: float) -> None:
        self.ws.row_dimensions[self.row].height = height
        self.used += height
        self.row += 1

    def gap(self, height: float = 8.0) -> None:
        """An empty row; at the top of a page it is left out, so a page never starts with empty space."""
        if self.used + height > self.page_height:
            self.new_page()
            return
        if self.used > self.repeat_height:
            self.advance(height)

    # ---------- cells

    def fitted_height(self, cells: Sequence[tuple[int, object, str | None, bool, bool, float]]) -> float:
        """Row height for (column, value, format, wrap, bold, size) cells: the tallest wrapped cell, one line else."""
        lines_pt = ROW_PT
        for column, value, fmt, wrap, bold, size in cells:
            text = display_text(value, fmt)
            if wrap and text:
                lines = wrapped_lines(text, column_text_pt(self.widths[column - 1]), size, bold)
                lines_pt = max(lines_pt, row_height_pt(lines, size))
            else:
                lines_pt = max(lines_pt, row_height_pt(1, size))
        return lines_pt

    def text(
        self,
        value: str,
        *,
        size: float = BODY,
        bold: bool = False,
        color: str | None = None,
        span: int | None = None,
        fill: PatternFill | None = None,
        keep_with: float = 0.0,
    ) -> Cell:
        """Text in column A, merged over `span` columns (default: all) and wrapped to fit them."""
        span = span or len(self.widths)
        height = self.merged_height(value, 1, span, bold=bold, size=size)
        self.keep(height + keep_with)
        cell = put(self.ws, self.row, 1, value)
        cell.font = font(size, bold=bold, color=color)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if span > 1:
            self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=span)
        if fill is not None:
            for j in range(1, span + 1):
                self.ws.cell(row=self.row, column=j).fill = fill
        self.advance(height)
        return cell

    def merged_height(self, value: object, first: int, last: int, *, bold: bool = False, size: float = BODY) -> float:
        """Row height for wrapped text in the merged columns first..last, at the narrower (Excel) reading."""
        width = merged_text_pt(self.widths[first - 1 : last])
        return row_height_pt(wrapped_lines(display_text(value, None), width, size, bold), size)

    def pairs(self, rows: Sequence[tuple[str, object, str | None]], *, span: int = 1) -> None:
        """Label and value rows (a fact sheet): the label in column A, the value over `span` columns from B."""
        for label_text, value, fmt in rows:
            height = max(
                self.merged_height(label_text, 1, 1, bold=True),
                self.merged_height(display_text(value, fmt), 2, 1 + span),
            )
            self.keep(height)
            cell = put(self.ws, self.row, 1, label_text)
            cell.font = font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            value_cell = put(self.ws, self.row, 2, value, fmt)
            value_cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
            if span > 1:
                self.ws.merge_cells(start_row=self.row, start_column=2, end_row=self.row, end_column=1 + span)
            self.advance(height)

    # ---------- tables

    def table(
        self,
        columns: Sequence[Col],
        rows: Sequence[dict[str, object]],
        labels: Callable[[str], str],
        *,
        repeat_header: bool = False,
        filters: bool = False,
        totals: dict[str, object] | None = None,
        keep_with_previous: float = 0.0,
    ) -> tuple[int, int]:
        """A header row and one row per record (and a totals row); returns the header's and the last row.

        A column may span several of the sheet's columns (merged). A table that fits on one page is kept on one
        page; a longer one flows over pages with its header at the top of each: as the sheet's print titles when
        `repeat_header` (one such table per sheet, its rows filterable), else written again after the break."""
        spans = []
        first = 1
        for col in columns:
            spans.append((first, first + col.span - 1))
            first += col.span
        header_height = max(
            self.merged_height(labels(c.label), a, b, bold=True) for c, (a, b) in zip(columns, spans, strict=True)
        )
        bodies = [*rows, *([totals] if totals is not None else [])]
        heights = [self._record_height(columns, spans, r, r is totals) for r in bodies]
        total_height = header_height + sum(heights)
        if total_height + keep_with_previous <= self.page_height - self.repeat_height:
            self.keep(total_height + keep_with_previous)
        else:
            self.keep(header_height + sum(heights[:3]) + keep_with_previous)  # never a header alone at a page foot
        header_row = self.row
        self._header_row(columns, spans, labels, header_height)
        if repeat_header:
            self.title_rows = (header_row, header_row)
        for record, height in zip(bodies, heights, strict=True):
            if self.used + height > self.page_height:
                self.new_page()
                if repeat_header:
                    self.used = header_height  # the print titles take the top of the page
                else:
                    self._header_row(columns, spans, labels, header_height)
            is_total = record is totals
            for col, (a, b) in zip(columns, spans, strict=True):
                value, fmt = col.value(record), col.format_of(record)
                cell = put(self.ws, self.row, a, value)
                colour = col.fill(record) if col.fill is not None and not is_total else None
                target = col.link(record) if col.link is not None and not is_total else None
                key = ("body", fmt if value is not None else None, col.bold, col.wrap, col.align, is_total, colour,
                       bool(target))  # fmt: skip
                styled(cell, key, lambda c, f=fmt, v=value, t=is_total, k=colour, g=bool(target), col=col: _body_style(
                    c, f, v, col, t, k, g))  # fmt: skip
                if is_total:
                    for j in range(a + 1, b + 1):
                        styled(self.ws.cell(row=self.row, column=j), ("total",), _total_style)
                if target:
                    link_to(cell, target)
                if b > a:
                    self.ws.merge_cells(start_row=self.row, start_column=a, end_row=self.row, end_column=b)
            self.advance(height)
        last = self.row - 1
        if filters and rows:
            self.ws.auto_filter.ref = f"A{header_row}:{get_column_letter(spans[-1][1])}{header_row + len(rows)}"
        return header_row, last

    def _header_row(
        self, columns: Sequence[Col], spans: list[tuple[int, int]], labels: Callable[[str], str], height: float
    ) -> None:
        for col, (a, b) in zip(columns, spans, strict=True):
            cell = put(self.ws, self.row, a, labels(col.label))
            cell.font = font(bold=True, color="FFFFFF")
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            for j in range(a, b + 1):
                self.ws.cell(row=self.row, column=j).fill = HEADER_FILL
                self.ws.cell(row=self.row, column=j).border = Border(bottom=THIN)
            if b > a:
                self.ws.merge_cells(start_row=self.row, start_column=a, end_row=self.row, end_column=b)
        self.advance(height)

    def _record_height(
        self, columns: Sequence[Col], spans: list[tuple[int, int]], record: dict[str, object], is_total: bool
    ) -> float:
        height = row_height_pt(1, BODY)
        for col, (a, b) in zip(columns, spans, strict=True):
            if col.wrap:
                value = display_text(col.value(record), col.format_of(record))
                height = max(height, self.merged_height(value, a, b, bold=col.bold or is_total))
        return max(height, ROW_PT)

    # ---------- the page setup, once the sheet is written

    def finish(self, freeze: str | None = None) -> None:
        ws = self.ws
        ws.page_setup.orientation = self.orientation
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.scale = self.scale
        ws.sheet_properties.pageSetUpPr.fitToPage = False
        ws.page_margins.left = MARGIN_IN["left"]
        ws.page_margins.right = MARGIN_IN["right"]
        ws.page_margins.top = MARGIN_IN["top"]
        ws.page_margins.bottom = MARGIN_IN["bottom"]
        ws.page_margins.header = MARGIN_IN["header"]
        ws.page_margins.footer = MARGIN_IN["footer"]
        ws.print_options.gridLines = False
        if self.title_rows:
            ws.print_title_rows = f"{self.title_rows[0]}:{self.title_rows[1]}"
        if freeze:
            ws.freeze_panes = freeze
        set_header_footer(ws, self.header)


def _body_style(
    cell: Cell, fmt: str | None, value: object, col: Col, is_total: bool, colour: str | None, is_link: bool
) -> None:
    if fmt and value is not None:
        cell.number_format = fmt
    cell.font = font(
        bold=col.bold or is_total, color="1F4E79" if is_link else None, underline="single" if is_link else None
    )
    cell.alignment = Alignment(wrap_text=col.wrap, vertical="top", horizontal=col.align)
    if is_total:
        _total_style(cell)
    elif colour:
        cell.fill = PatternFill("solid", fgColor=colour)


def _total_style(cell: Cell) -> None:
    cell.fill = TOTAL_FILL
    cell.border = Border(top=THIN)


def link_to(cell: Cell, location: str) -> None:
    """An internal link ("'Sheet'!A12"): a location in the workbook, no relationship to anything outside it."""
    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=location)


def _escape(text: str) -> str:
    return text.replace("&", "&&")


def set_header_footer(ws: Worksheet, header: PageHeader) -> None:
    """Programme, report and revision at the top of every page; the demo notice, page x of y and the sheet at the
    bottom. Not scaled with the sheet, so they print at 9 pt whatever the sheet's scale."""
    hf = ws.HeaderFooter
    hf.scaleWithDoc = False
    hf.alignWithMargins = True
    for part, text in (
        (ws.oddHeader.left, _escape(header.programme)),
        (ws.oddHeader.center, _escape(header.title)),
        (ws.oddHeader.right, _escape(header.revision)),
        (ws.oddFooter.center, header.page),
        (ws.oddFooter.right, "&A"),
    ):
        part.text = text
        part.size = 9
        part.font = f"{FONT},Regular"
    if header.demo:
        ws.oddFooter.left.text = _escape(header.demo)
        ws.oddFooter.left.size = 9
        ws.oddFooter.left.font = f"{FONT},Bold"
        ws.oddFooter.left.color = "C00000"


def text_fits(text: str, width: float, size: float = BODY, bold: bool = False) -> bool:
    return text_width_pt(text, size, bold) <= column_text_pt(width)
