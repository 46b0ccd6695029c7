"""The workbook as it prints, read back from the file: a header and footer on every page of every sheet, A4 at a
scale where nothing prints below 8 pt, landscape where the sheet is wide, pages that never cut a chart or a
table in half and are never nearly empty, repeated header rows, rows tall enough for their wrapped text, no text
wider than its column (measured with the real font), charts with titles and lines that differ in black and
white, and a Swedish workbook with no English in it."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from reports.labels import LABELS
from reports.publish import render
from tests.layout_facts import (
    HEADER_FILL,
    charts_of,
    column_text_pt,
    covered_cells,
    font_available,
    lines_needed,
    load,
    merged_widths,
    sheet_prints,
    shown_text,
    width_pt,
    words,
)
from tests.unit.workbook_fixture import report_data

REPO = Path(__file__).resolve().parents[2]
needs_font = pytest.mark.skipif(not font_available(), reason="Liberation Sans (fonts-liberation2) is not installed")


@pytest.fixture(scope="module")
def books() -> dict[str, bytes]:
    return {lang: render(report_data(), lang, 2, dt.date(2026, 10, 3)) for lang in ("sv", "en")}


def check_headers_and_footers(content: bytes, language: str, quarter: str, revision: int, demo: bool) -> None:
    page = "Sida &P av &N" if language == "sv" else "Page &P of &N"
    for sheet in sheet_prints(load(content)):
        where = f"sheet {sheet.name}"
        assert sheet.header["left"] == LABELS["programme"][language], where
        assert quarter in sheet.header["center"], where
        assert f"r{revision}" in sheet.header["right"], where
        assert sheet.footer["center"] == page, where
        assert sheet.footer["right"] == "&A", where  # the sheet's name
        if demo:
            assert sheet.footer["left"] == LABELS["demo_footer"][language], where
        else:
            assert not sheet.footer["left"], where
        # headers and footers do not shrink with the sheet: 9 pt on paper
        assert not sheet.scale_with_doc and min(sheet.header_sizes) >= 8, where


def check_page_setup(content: bytes) -> None:
    wb = load(content)
    for sheet, ws in zip(sheet_prints(wb), wb.worksheets, strict=True):
        where = f"sheet {sheet.name}"
        assert ws.page_setup.paperSize in (9, "9"), where  # A4
        assert not ws.sheet_properties.pageSetUpPr.fitToPage, where  # an explicit scale, known to print >= 8 pt
        assert 80 <= sheet.scale <= 100, where
        # the columns fit the paper's width at the scale (LibreOffice's wider reading of column widths)
        assert sheet.content_width_pt * sheet.scale / 100 <= sheet.printable_pt[0] + 1, where
        portrait_width = 595.28 - (ws.page_margins.left + ws.page_margins.right) * 72
        if sheet.content_width_pt * sheet.scale / 100 > portrait_width:
            assert sheet.orientation == "landscape", f"{where} is wider than a portrait page"
        # nothing printed below 8 pt: every cell's font at the sheet's scale
        sizes = {c.font.sz for row in ws.iter_rows() for c in row if c.value is not None and c.font and c.font.sz}
        assert min(sizes) * sheet.scale / 100 >= 8 - 1e-9, f"{where}: {min(sizes)} pt at {sheet.scale} %"
    for chart in charts_of(content):
        scale = next(s.scale for s in sheet_prints(wb) if s.name == chart.sheet)
        assert chart.text_sizes and min(chart.text_sizes) * scale / 100 >= 8 - 1e-9, f"chart {chart.title}"


def check_pages(content: bytes) -> None:
    """No chart and no table that fits a page is cut by a page break; a longer table starts each page with its
    header (repeated, or written again); no page but a sheet's last is less than a third full."""
    wb = load(content)
    prints = {s.name: s for s in sheet_prints(wb)}
    page_of = {}
    for sheet in prints.values():
        for n, page in enumerate(sheet.pages):
            for row in range(page.first_row, page.last_row + 1):
                page_of[(sheet.name, row)] = n
    for chart in charts_of(content):
        ws = wb[chart.sheet]
        height, row = 0.0, chart.anchor_row
        while height < chart.height_pt - 1:
            height += ws.row_dimensions[row].height or 12.75
            row += 1
        pages = {page_of.get((chart.sheet, r)) for r in range(chart.anchor_row, row)}
        assert len(pages) == 1, f"chart {chart.title!r} on {chart.sheet} is cut by a page break"
    for ws in wb.worksheets:
        sheet = prints[ws.title]
        page_height = sheet.printable_pt[1] / (sheet.scale / 100)
        for first, last in _tables(ws):
            height = sum(ws.row_dimensions[r].height or 12.75 for r in range(first, last + 1))
            pages = sorted({page_of[(ws.title, r)] for r in range(first, last + 1) if (ws.title, r) in page_of})
            if height <= page_height * 0.9:
                assert len(pages) == 1, f"{ws.title}: the table at row {first} is cut by a page break"
            for n in pages[1:]:
                top = sheet.pages[n].first_row
                repeated = sheet.title_rows is not None and sheet.title_rows[0] == first
                assert repeated or _is_header(ws, top), f"{ws.title}: page {n + 1} of a table starts without its header"
        for page in sheet.pages[:-1]:
            assert page.used_pt >= page_height / 3, f"{ws.title}: a page from row {page.first_row} is nearly empty"


def _is_header(ws, row: int) -> bool:  # type: ignore[no-untyped-def]
    fill = ws.cell(row=row, column=1).fill
    return fill is not None and str(fill.fgColor.rgb).endswith(HEADER_FILL)


def _tables(ws) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    """Each table: a header row (the dark fill) and the rows under it up to the first empty one, the next header,
    or a line of text across the sheet (a heading: merged from column A over the whole width)."""
    across = {rng.min_row for rng in ws.merged_cells.ranges if rng.min_col == 1 and rng.max_col >= ws.max_column - 1}

    def in_table(row: int) -> bool:
        return any(c.value is not None for c in ws[row]) and not _is_header(ws, row) and row not in across

    tables = []
    row = 1
    while row <= ws.max_row:
        if _is_header(ws, row) and ws.cell(row=row, column=1).value is not None:
            last = row
            while last + 1 <= ws.max_row and in_table(last + 1):
                last += 1
            tables.append((row, last))
            row = last + 1
        else:
            row += 1
    return tables


def check_text_fits(content: bytes) -> None:
    """Every unwrapped text fits its column (or merged range) in the real font at the narrower (Excel) width; every
    wrapped text's lines fit its row's height."""
    wb = load(content)
    for ws in wb.worksheets:
        merged = merged_widths(ws)
        covered = covered_cells(ws)
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None or cell.coordinate in covered:
                    continue
                if ws.column_dimensions[cell.column_letter].hidden:
                    continue
                font = cell.font
                size, bold = float(font.sz or 10), bool(font.b)
                text = shown_text(cell.value, cell.number_format)
                width, rows = merged.get(
                    cell.coordinate, (column_text_pt(ws.column_dimensions[cell.column_letter].width or 8.43), 1)
                )
                where = f"{ws.title}!{cell.coordinate} {text[:40]!r}"
                if cell.alignment.wrap_text:
                    lines = lines_needed(text, width, size, bold)
                    height = sum(ws.row_dimensions[r].height or 12.75 for r in range(cell.row, cell.row + rows))
                    assert lines * size * 1.15 <= height + 0.5, f"{where}: {lines} lines in {height} pt"
                    for word in text.split():
                        if not any(ch.isdigit() for ch in word) and len(word) < 30:  # hashes, file names break
                            assert width_pt(word, size, bold) <= width + 0.5, f"{where}: the word {word!r} is cut"
                else:
                    assert width_pt(text, size, bold) <= width + 0.5, f"{where} is wider than its column"


def check_charts(content: bytes) -> None:
    for chart in charts_of(content):
        where = f"chart on {chart.sheet}"
        assert chart.title, f"{where} has no title"
        if chart.kind == "scatter":
            assert chart.x_axis_kinds[:1] == ["valAx"], f"{where}: the years are categories"
            assert chart.x_label_position == "low", f"{where}: axis labels would cross the lines"
            styles = [(s["dash"], s["marker"]) for s in chart.series]
            assert styles[0] == ("solid", "circle"), where  # measured: solid with markers
            for dash, marker in styles[1:]:
                assert (dash, marker) != styles[0] and dash != "solid", f"{where}: the same line in black and white"
        if chart.kind == "bar":  # bars differ by their fill: dark against light
            assert len({s["fill"] for s in chart.series}) == len(chart.series), where
        else:
            assert len({(s["dash"], s["marker"]) for s in chart.series}) == len(chart.series), where


def english_words() -> set[str]:
    """Words of the English texts the workbook draws on (labels, catalogue, contracts, seeds) that no Swedish text
    of them uses."""
    english, swedish = set(), set()
    for texts in LABELS.values():
        english |= words(texts["en"])
        swedish |= words(texts["sv"])
    with (REPO / "dbt_project/seeds/indicator_catalogue.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for column, value in row.items():
                if column.endswith("_en") or column in ("formula", "owner"):
                    english |= words(value)
                elif column.endswith("_sv"):
                    swedish |= words(value)
    for name in ("ref_funding_instruments", "ref_smhi_sectors"):
        with (REPO / f"dbt_project/seeds/{name}.csv").open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                english |= words(" ".join(v for k, v in row.items() if k.endswith("_en")))
                swedish |= words(" ".join(v for k, v in row.items() if k.endswith("_sv") or k == "smhi_sector_name"))
    for contract in (REPO / "sources").glob("*/source.yaml"):
        raw = yaml.safe_load(contract.read_text(encoding="utf-8"))
        english |= words(" ".join(str(raw[k]) for k in ("title", "publisher", "licence")))
        swedish |= words(" ".join((raw.get("translations") or {}).get("sv", {}).values()))
    return english - swedish


def english_in(content: bytes) -> list[str]:
    """Texts of a (Swedish) workbook holding an English word: cells, headers and footers, chart titles and series."""
    english = english_words()
    wb = load(content)
    found = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and (hit := words(cell.value) & english):
                    found.append(f"{ws.title}!{cell.coordinate}: {sorted(hit)} in {cell.value[:60]!r}")
        for part in (ws.oddHeader.left, ws.oddHeader.center, ws.oddHeader.right, ws.oddFooter.left):
            if hit := words(part.text or "") & english:
                found.append(f"{ws.title} header/footer: {sorted(hit)}")
    for chart in charts_of(content):
        for text in [chart.title or "", *(str(s["name"]) for s in chart.series)]:
            if hit := words(text) & english:
                found.append(f"chart on {chart.sheet}: {sorted(hit)} in {text!r}")
    return found


def test_every_page_of_every_sheet_has_its_header_and_footer(books: dict[str, bytes]) -> None:
    for language, content in books.items():
        check_headers_and_footers(content, language, "2025Q2", 2, demo=True)
    data = report_data()
    data.vintages[0]["has_demo_data"] = False
    check_headers_and_footers(render(data, "sv", 1, dt.date(2026, 10, 3)), "sv", "2025Q2", 1, demo=False)


def test_page_setup_prints_nothing_below_8_pt(books: dict[str, bytes]) -> None:
    for content in books.values():
        check_page_setup(content)


def test_page_breaks_never_cut_a_chart_or_a_table(books: dict[str, bytes]) -> None:
    for content in books.values():
        check_pages(content)


@needs_font
def test_no_text_is_wider_than_its_column_and_rows_fit_their_text(books: dict[str, bytes]) -> None:
    for content in books.values():
        check_text_fits(content)


def test_charts_have_titles_numeric_year_axes_and_lines_apart_in_black_and_white(books: dict[str, bytes]) -> None:
    charts = charts_of(books["sv"])
    assert len(charts) == 5  # three indicators with trends, the emissions pathway, the sectors
    for content in books.values():
        check_charts(content)
    by_title = {c.title: c for c in charts}
    share = by_title["Andel av Sveriges befolkning i Klimatkontraktskommuner"]
    assert [s["name"] for s in share.series] == ["Värde", "Målbana"]
    assert share.x_max >= 2028  # the target year 2027 (its fourth quarter) is on the axis
    emissions = by_title["Utsläppsförändring sedan 2015 i Klimatkontraktskommunerna"]
    assert emissions.x_max >= 2030
    count = by_title["Kommuner med Klimatkontrakt 2030"]
    assert count.y_major_unit is not None and count.y_major_unit == int(count.y_major_unit)  # whole steps for counts


def test_the_swedish_workbook_has_no_english_word(books: dict[str, bytes]) -> None:
    assert english_in(books["sv"]) == []
    # and the check finds English where there is some: an English comment in the Swedish workbook
    data = report_data()
    data.summary[0]["comment_sv"] = "Fifteen municipalities joined in April."
    assert any("joined" in hit for hit in english_in(render(data, "sv", 1, dt.date(2026, 10, 3))))


def test_every_label_has_both_languages_and_headers_come_from_the_table(books: dict[str, bytes]) -> None:
    assert all(set(texts) == {"sv", "en"} and all(texts.values()) for texts in LABELS.values())
    # a label with a placeholder ({baseline}) matches any value in its place
    swedish = [re.compile(re.sub(r"\\\{\w+\\\}", r"\\S+", re.escape(t["sv"])) + "$") for t in LABELS.values()]
    wb = load(books["sv"])
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                fill = cell.fill.fgColor.rgb if cell.fill is not None else None
                if isinstance(cell.value, str) and str(fill).endswith(HEADER_FILL):
                    assert any(p.match(cell.value) for p in swedish), f"{ws.title}!{cell.coordinate} {cell.value!r}"
