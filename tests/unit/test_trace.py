"""The trace of one figure: its rows recompute it by the indicator's formula kind, and its CSV and sheet are safe
against formula injection, in the workbook's language."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from reports.trace import Trace, csv_safe, to_csv, to_workbook

T = dt.datetime(2026, 10, 2, 9, 0, tzinfo=dt.UTC)
HOSTILE = ['=HYPERLINK("http://evil.example";"klicka")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1"]


def _row(part: str, contribution: float | None, item: str, **extra: object) -> dict[str, object]:
    row = {
        "part": part,
        "role": "member_population" if part == "numerator" else "population_of_sweden",
        "contribution": contribution,
        "source_name": "scb_population",
        "item": item,
        "source_file_sha256": "ab" * 32,
        "source_file_name": "be0101_tabhel2024.xlsx",
        "source_sheet": "Totalt",
        "source_row": 7,
        "vintage_at": T,
        "original_amount": None,
        "original_unit": None,
        "original_currency": None,
        "fx_sek_per_eur": None,
        "fx_rate_date": None,
    }
    return {**row, **extra}


def _share(value: float | None = 38.8614346256) -> Trace:
    figure = {
        "indicator_id": "kk_population_share",
        "period": "2024Q4",
        "geography_type": "programme",
        "geography_code": "SE",
        "value": value,
        "unit": "percent",
        "name_sv": "Andel av Sveriges befolkning",
        "name_en": "Share of Sweden's population",
        "definition_sv": "d",
        "definition_en": "d",
        "formula": "100 * members / Sweden",
        "formula_kind": "share",
        "missing_reason": None if value is not None else "source_unavailable",
        "missing_sources": None if value is not None else "scb_population",
        "missing_detail": None,
    }
    # PROVENANCE (scb): the 23 municipalities of waves 2019 and 2021 had 4,114,536 inhabitants of 10,587,710
    evidence = [
        _row("numerator", 4_000_000.0, HOSTILE[0]),
        _row("numerator", 114_536.0, HOSTILE[1]),
        _row("denominator", 10_587_710.0, HOSTILE[2]),
        _row("supporting", -5.0, HOSTILE[3]),
        _row("supporting", None, HOSTILE[4]),
    ]
    return Trace("kk_population_share", "2024Q4", "SE", figure, evidence if value is not None else [], {})


def test_a_share_keeps_numerator_and_denominator_apart() -> None:
    trace = _share()
    assert trace.totals == {"numerator": 4_114_536.0, "denominator": 10_587_710.0}
    assert trace.recomputed == pytest.approx(100 * 4_114_536 / 10_587_710, rel=1e-12)
    assert trace.agrees


def test_csv_neutralises_formulas_the_owasp_way_and_says_so() -> None:
    for value in HOSTILE:
        assert csv_safe(value) == "'" + value
    assert csv_safe("Stockholm") == "Stockholm" and csv_safe(-5.0) == -5.0
    text = to_csv(_share(), "sv")
    rows = list(csv.reader(io.StringIO(text)))
    assert any("OWASP" in r[0] and "apostrof" in r[0] for r in rows if r[0].startswith("#"))
    header = next(r for r in rows if not r[0].startswith("#"))
    assert header[:5] == ["Indikator", "Period", "Geografi", "Publicerat värde", "Enhet"]
    body = rows[rows.index(header) + 1 :]
    items = [r[header.index("Post")] for r in body]
    assert items == ["'" + h for h in HOSTILE]
    # no cell a spreadsheet would run: every text starting with a formula character is behind an apostrophe
    for r in body:
        for cell in r:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")) and not (cell.startswith("-") and cell != "-5.0")
    assert [r[header.index("Del")] for r in body] == [
        "täljare",
        "täljare",
        "nämnare",
        *["underlag (ingår inte i beräkningen)"] * 2,
    ]


def test_the_trace_is_in_the_workbooks_language() -> None:
    english = list(csv.reader(io.StringIO(to_csv(_share(), "en"))))
    header = next(r for r in english if not r[0].startswith("#"))
    assert header[:5] == ["Indicator", "Period", "Geography", "Published value", "Unit"]
    assert any(r[0].startswith("# Recomputed from the rows: 38.86") for r in english)
    wb = load_workbook(io.BytesIO(to_workbook(_share(), "en")))
    assert wb.sheetnames == ["Evidence"]


def test_the_sheet_keeps_hostile_text_as_text() -> None:
    ws = load_workbook(io.BytesIO(to_workbook(_share(), "sv")))["Underlag"]
    cells = {c.value: c for row in ws.iter_rows() for c in row if c.value in HOSTILE}
    assert set(cells) == set(HOSTILE)
    assert all(c.data_type == "s" for c in cells.values())  # stored as text, unchanged, never a formula


def test_a_missing_figure_traces_to_its_reason() -> None:
    trace = _share(value=None)
    assert trace.agrees is None
    text = to_csv(trace, "sv")
    assert "# Publicerat värde: Data saknas: ingen godkänd data från scb_population" in text


def test_a_trace_without_a_geography_is_refused_when_the_headline_geography_lacks_the_period(tmp_path) -> None:
    from openpyxl import Workbook

    from reports.labels import label
    from reports.trace import CATALOGUE, TraceError, check_published

    with CATALOGUE.open(encoding="utf-8", newline="") as fh:
        headline = {r["indicator_id"]: r["headline_geography"] for r in csv.DictReader(fh)}
    programme = next(i for i, h in headline.items() if h == "programme")  # traced for SE
    comparison = next(i for i, h in headline.items() if h == "comparison")  # traced for non_members
    book = Workbook()
    sheet = book.active
    sheet.title = label("sheet_data", "en")
    sheet.append(["Indicator data"])  # the sheet's title row above its header, as published
    sheet.append([label(k, "en") for k in ("indicator_id", "period", "geography_code")])
    sheet.append([programme, "2024", "0180"])  # a municipality's figure, not the programme's
    sheet.append([programme, "2025", "SE"])
    sheet.append([comparison, "2024", "SE"])
    report = tmp_path / "vc-indicators-2025Q4-en-r1.xlsx"
    book.save(report)
    check_published(report, programme, "2025", None)
    with pytest.raises(TraceError, match=rf"no figure for {programme} 2024 SE; it has 0180: 2024 to 2024; SE: 20"):
        check_published(report, programme, "2024", None)
    with pytest.raises(TraceError, match=rf"no figure for {comparison} 2024 non_members; it has SE: 2024"):
        check_published(report, comparison, "2024", None)
