"""Facts about a workbook as it prints, read back from the file itself (its XML and openpyxl's reading of it) and
measured with the real font (Liberation Sans, Arial's metric twin, through fontTools): how the pages fall, what
each page's header and footer say, how wide each text is against its column, how charts are drawn. Shared by the
layout unit tests and the pipeline's integration test, so both judge a workbook the same way.

Independent of reports.layout on purpose: the paper size and margins come from the file's page setup, the page
breaks from its row breaks, text widths from the font file, not from the layout code's own estimates.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from lxml import etree
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

FONT_DIR = Path("/usr/share/fonts/truetype/liberation2")
NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
}
A4_PT = (595.28, 841.89)
EMU_PT = 12700
HEADER_FILL = "1F4E79"


@cache
def _font(bold: bool):  # type: ignore[no-untyped-def]
    from fontTools.ttLib import TTFont

    path = FONT_DIR / ("LiberationSans-Bold.ttf" if bold else "LiberationSans-Regular.ttf")
    font = TTFont(str(path))
    return font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm


def font_available() -> bool:
    return (FONT_DIR / "LiberationSans-Regular.ttf").exists()


def width_pt(text: str, size: float, bold: bool = False) -> float:
    cmap, hmtx, upm = _font(bold)
    total = 0
    for ch in text:
        glyph = cmap.get(ord(ch)) or cmap.get(ord("M"))
        total += hmtx[glyph][0]
    return total * size / upm


def lines_needed(text: str, width: float, size: float, bold: bool) -> int:
    """Greedy word wrap as spreadsheets do it; an over-long word breaks inside."""
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0.0
        for word in paragraph.split(" "):
            w = width_pt(word, size, bold)
            space = width_pt(" ", size, bold)
            if used and used + space + w > width:
                lines += 1
                used = 0.0
            if w > width:
                lines += math.ceil(w / width) - 1
                w = w % width
            used += (space if used else 0) + w
    return lines


def column_text_pt(width: float) -> float:
    """The text area of a column in Excel, the narrower of the two programs: 7 px a unit of Arial 10, less 5 px."""
    return (math.floor(width * 7) - 5) * 0.75


def column_print_pt(width: float) -> float:
    """The printed width of a column in LibreOffice, the wider of the two: Arial 10's digit (5.56 pt) a unit."""
    return width * 556 / 1000 * 10


@dataclass
class ChartFacts:
    sheet: str
    title: str | None
    kind: str  # scatter, bar, line
    series: list[dict[str, object]] = field(default_factory=list)
    x_axis_kinds: list[str] = field(default_factory=list)  # valAx for a numeric axis, catAx for categories
    x_max: float | None = None
    x_label_position: str | None = None
    y_major_unit: float | None = None
    text_sizes: list[float] = field(default_factory=list)  # every explicit text size in the chart (pt)
    anchor_row: int = 0  # 1-based
    height_pt: float = 0.0


def _sheet_files(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its XML part."""
    workbook = etree.fromstring(z.read("xl/workbook.xml"))
    rels = etree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.findall("rel:Relationship", NS)}
    out = {}
    for sheet in workbook.findall("m:sheets/m:sheet", NS):
        target = targets[sheet.get(f"{{{NS['r']}}}id")]
        out[sheet.get("name")] = "xl/" + target.lstrip("/").removeprefix("xl/")
    return out


def _rels(z: zipfile.ZipFile, part: str) -> dict[str, str]:
    folder, name = part.rsplit("/", 1)
    path = f"{folder}/_rels/{name}.rels"
    if path not in z.namelist():
        return {}
    rels = etree.fromstring(z.read(path))
    resolved = {}
    for r in rels.findall("rel:Relationship", NS):
        target = r.get("Target")
        if target.startswith("/"):
            resolved[r.get("Id")] = target.lstrip("/")
        else:
            parts = folder.split("/")
            for piece in target.split("/"):
                if piece == "..":
                    parts.pop()
                else:
                    parts.append(piece)
            resolved[r.get("Id")] = "/".join(parts)
    return resolved


def charts_of(content: bytes) -> list[ChartFacts]:
    found = []
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        for sheet, part in _sheet_files(z).items():
            xml = etree.fromstring(z.read(part))
            drawing = xml.find("m:drawing", NS)
            if drawing is None:
                continue
            drawing_part = _rels(z, part)[drawing.get(f"{{{NS['r']}}}id")]
            drawing_xml = etree.fromstring(z.read(drawing_part))
            chart_rels = _rels(z, drawing_part)
            for anchor in drawing_xml:
                chart_ref = anchor.find(".//c:chart", NS)
                if chart_ref is None:
                    continue
                chart_xml = etree.fromstring(z.read(chart_rels[chart_ref.get(f"{{{NS['r']}}}id")]))
                facts = _chart_facts(sheet, chart_xml)
                facts.anchor_row = int(anchor.find("xdr:from/xdr:row", NS).text) + 1
                ext = anchor.find("xdr:ext", NS)
                facts.height_pt = int(ext.get("cy")) / EMU_PT
                found.append(facts)
    return found


def _chart_facts(sheet: str, xml: etree._Element) -> ChartFacts:
    title = xml.find("c:chart/c:title", NS)
    title_text = "".join(t.text or "" for t in title.iterfind(".//a:t", NS)) if title is not None else None
    plot = xml.find("c:chart/c:plotArea", NS)
    kind = next((k for k in ("scatterChart", "barChart", "lineChart") if plot.find(f"c:{k}", NS) is not None), "other")
    facts = ChartFacts(sheet, title_text or None, kind.removesuffix("Chart"))
    for ser in plot.iterfind(f"c:{kind}/c:ser", NS):
        dash = ser.find("c:spPr/a:ln/a:prstDash", NS)
        symbol = ser.find("c:marker/c:symbol", NS)
        fill = ser.find("c:spPr/a:solidFill/a:srgbClr", NS)
        name = "".join(t.text or "" for t in ser.iterfind("c:tx//c:v", NS))
        facts.series.append(
            {
                "name": name,
                "dash": dash.get("val") if dash is not None else "solid",
                "marker": symbol.get("val") if symbol is not None else None,
                "fill": fill.get("val") if fill is not None else None,
            }
        )
    axes = [a for a in plot if etree.QName(a).localname in ("valAx", "catAx", "dateAx")]
    if axes:
        x = axes[0]
        facts.x_axis_kinds = [etree.QName(a).localname for a in axes]
        maximum = x.find("c:scaling/c:max", NS)
        facts.x_max = float(maximum.get("val")) if maximum is not None else None
        position = x.find("c:tickLblPos", NS)
        facts.x_label_position = position.get("val") if position is not None else None
        if len(axes) > 1:
            unit = axes[1].find("c:majorUnit", NS)
            facts.y_major_unit = float(unit.get("val")) if unit is not None else None
    facts.text_sizes = [
        int(e.get("sz")) / 100
        for e in xml.iter()
        if isinstance(e.tag, str) and etree.QName(e).localname in ("rPr", "defRPr", "endParaRPr") and e.get("sz")
    ]
    return facts


@dataclass
class Page:
    sheet: str
    first_row: int
    last_row: int
    used_pt: float


@dataclass
class SheetPrint:
    name: str
    orientation: str
    scale: int
    printable_pt: tuple[float, float]  # width, height at 100 %
    content_width_pt: float
    pages: list[Page]
    title_rows: tuple[int, int] | None
    header: dict[str, str]
    footer: dict[str, str]
    header_sizes: list[float]
    scale_with_doc: bool


def sheet_prints(wb: Workbook) -> list[SheetPrint]:
    """How each sheet falls on paper: its page setup, its header and footer, and its pages (manual breaks, and an
    automatic break wherever a page would overflow, as a spreadsheet program inserts one)."""
    prints = []
    for ws in wb.worksheets:
        setup = ws.page_setup
        orientation = setup.orientation or "portrait"
        paper_w, paper_h = A4_PT if orientation == "portrait" else (A4_PT[1], A4_PT[0])
        m = ws.page_margins
        printable = (paper_w - (m.left + m.right) * 72, paper_h - (m.top + m.bottom) * 72)
        scale = int(setup.scale or 100)
        if ws.print_area:
            last_col = re.findall(r"\$?([A-Z]+)\$?\d+", str(ws.print_area))[-1]
            from openpyxl.utils import column_index_from_string

            columns = range(1, column_index_from_string(last_col) + 1)
        else:
            columns = range(1, ws.max_column + 1)
        from openpyxl.utils import get_column_letter

        content = sum(
            column_print_pt(ws.column_dimensions[get_column_letter(c)].width or 8.43)
            for c in columns
            if not ws.column_dimensions[get_column_letter(c)].hidden
        )
        page_height = printable[1] / (scale / 100)
        breaks = {b.id for b in ws.row_breaks.brk}
        titles = None
        if ws.print_title_rows:
            a, b = (int(x) for x in re.findall(r"\d+", str(ws.print_title_rows))[:2])
            titles = (a, b)
        title_height = (
            sum(ws.row_dimensions[r].height or 12.75 for r in range(titles[0], titles[1] + 1)) if titles else 0
        )
        # rows reserved under a chart have a height and no value: they print with the chart
        last_row = max([ws.max_row, *(r for r, d in ws.row_dimensions.items() if d.height)])
        if ws.print_area:
            last_row = int(re.findall(r"\d+", str(ws.print_area))[-1])
        pages: list[Page] = []
        start, used = 1, 0.0
        for row in range(1, last_row + 1):
            height = ws.row_dimensions[row].height or 12.75
            if used + height > page_height and used > 0:
                pages.append(Page(ws.title, start, row - 1, used))
                start, used = row, (title_height if titles and row > titles[1] else 0.0)
            used += height
            if row in breaks:
                pages.append(Page(ws.title, start, row, used))
                start, used = row + 1, (title_height if titles and row >= titles[1] else 0.0)
        if start <= last_row:
            pages.append(Page(ws.title, start, last_row, used))
        hf = ws.HeaderFooter
        header = {k: getattr(ws.oddHeader, k).text or "" for k in ("left", "center", "right")}
        footer = {k: getattr(ws.oddFooter, k).text or "" for k in ("left", "center", "right")}
        sizes = [
            float(part.size)
            for h in (ws.oddHeader, ws.oddFooter)
            for part in (h.left, h.center, h.right)
            if part.text and part.size
        ]
        prints.append(
            SheetPrint(ws.title, orientation, scale, printable, content, pages, titles, header, footer, sizes,
                       bool(hf.scaleWithDoc) if hf.scaleWithDoc is not None else True)
        )  # fmt: skip
    return prints


def load(content: bytes) -> Workbook:
    return load_workbook(io.BytesIO(content))


def merged_widths(ws) -> dict[str, tuple[float, int]]:  # type: ignore[no-untyped-def]
    """The top-left cell of each merged range -> (the range's Excel text width, its number of rows)."""
    from openpyxl.utils import get_column_letter

    out = {}
    for rng in ws.merged_cells.ranges:
        cols = range(rng.min_col, rng.max_col + 1)
        width = sum(math.floor((ws.column_dimensions[get_column_letter(c)].width or 8.43) * 7) for c in cols)
        out[f"{get_column_letter(rng.min_col)}{rng.min_row}"] = ((width - 5) * 0.75, rng.max_row - rng.min_row + 1)
    return out


def covered_cells(ws) -> set[str]:  # type: ignore[no-untyped-def]
    """Cells inside a merged range other than its top-left one."""
    from openpyxl.utils import get_column_letter

    out = set()
    for rng in ws.merged_cells.ranges:
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    out.add(f"{get_column_letter(c)}{r}")
    return out


def shown_text(value: object, number_format: str) -> str:
    """A cell's value roughly as printed (numbers with their format's decimals, thousands and suffix)."""
    import datetime as dt

    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() != dt.time() else value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bool) or value is None:
        return str(value or "")
    if isinstance(value, int | float):
        section = (number_format or "General").split(";")[0]
        if section == "General":
            return f"{value:g}" if isinstance(value, float) else str(value)
        places = len(m.group(1)) if (m := re.search(r"\.(0+)", section)) else 0
        digits = f"{abs(value):,.{places}f}" if "," in section else f"{abs(value):.{places}f}"
        suffix = "".join(re.findall(r'"([^"]*)"', section))
        return ("-" if value < 0 else "+" if section.startswith("+") else "") + digits + suffix
    return str(value)


WORD = re.compile(r"[A-Za-zÅÄÖåäöÉéÜü]+(?:[-'’][A-Za-zÅÄÖåäöÉéÜü]+)*")


# ids, addresses, paths, file names, hashes and codes (anything with a digit): not words of a language
IDENTIFIER = re.compile(r"\S*[_@/\\0-9]\S*|\S+\.(?:csv|xlsx|json)\b")


def words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(IDENTIFIER.sub(" ", text or ""))}
