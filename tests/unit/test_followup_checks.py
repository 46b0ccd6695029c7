"""A follow-up template's own arithmetic: a Summa row that disagrees with its actions and amounts typed as text are
warnings naming file, sheet and cell (the file is accepted, its amounts read as typed). The real case: a
LibreOffice re-save recalculated a Summa to 20,283.6 while the actions added up to 50,020.6."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from reports.stable_xlsx import stable_xlsx_bytes
from sources.klimatkontrakt_followup import template
from sources.klimatkontrakt_followup.demo import FOLLOWUP_SHEET_PART, with_cached_values
from sources.lib.ingest import read_file
from sources.lib.validate import validate
from tests.libreoffice import resave_with_libreoffice

CONTRACT = template.CONTRACT
NAME = "uppfoljning_2025_1281.xlsx"
FORM = template.Form("Lund", "1281", 2025, 2019, "Karin Ek", dt.date(2026, 2, 10))
# 12,000 + 19,054 + 8,283.6 + 10,683 = 50,020.6; without the two typed as text, SUM gives 20,283.6
REAL_CASE = [
    template.Action(1, "Elbussar i stadstrafiken", "Transporter", "pågående", 12_000.0, 2_000.0),
    template.Action(2, "Fjärrvärme från spillvärme", "Energi", "planerad", "19 054", 0.0),
    template.Action(3, "Energirenovering av skolor", "Bygg och fastigheter", "genomförd", 8_283.6, 0.0),
    template.Action(4, "Återbrukscentral", "Avfall", "planerad", "10\u00a0683", 500.0),
]


def _saved(tmp_path: Path, actions: list[template.Action], summa_override: dict[str, float] | None = None) -> Path:
    """The template as Excel saves it: the Summa formulas with the results SUM gives (text left out)."""
    wb, cached = template.followup_workbook("2025.1", FORM, actions)
    data = stable_xlsx_bytes(wb, dt.datetime(2026, 2, 10))
    path = tmp_path / NAME
    path.write_bytes(with_cached_values(data, FOLLOWUP_SHEET_PART, cached | (summa_override or {})))
    return path


def _warnings(path: Path) -> list[tuple[str, str, str]]:
    checked = validate(read_file(path, path.name, CONTRACT), CONTRACT)
    assert checked.rejected.empty, checked.rejected.to_dict("records")
    rows = checked.accepted[checked.accepted.record_type == "warning"]
    assert set(rows["source_sheet"]) <= {"Uppföljning"}
    return list(zip(rows["check_rule"], rows["check_cell"], rows["check_message"], strict=True))


def test_the_real_case_summa_without_the_numbers_typed_as_text(tmp_path: Path) -> None:
    path = _saved(tmp_path, REAL_CASE)
    assert _warnings(path) == [
        (
            "number_as_text",
            "E15",
            'uppfoljning_2025_1281.xlsx, sheet Uppföljning, cell E15: Investering (tkr) "19 054" is a number typed '
            "as text, which a spreadsheet's SUM leaves out; read as 19,054.0 tkr",
        ),
        (
            "number_as_text",
            "E17",
            'uppfoljning_2025_1281.xlsx, sheet Uppföljning, cell E17: Investering (tkr) "10\u00a0683" is a number '
            "typed as text, which a spreadsheet's SUM leaves out; read as 10,683.0 tkr",
        ),
        (
            "summa_mismatch",
            "E34",
            "uppfoljning_2025_1281.xlsx, sheet Uppföljning, cell E34: the Summa row states 20,283.6 tkr of "
            "Investering (tkr) but the actions add up to 50,020.6 tkr; the difference is what a spreadsheet's SUM "
            "leaves out: E15, E17 typed as text (29,737.0 tkr)",
        ),
    ]
    # the figures use the amounts as typed, all four
    rows = validate(read_file(path, path.name, CONTRACT), CONTRACT).accepted
    assert rows[rows.record_type == "action"]["investment_tkr"].sum() == pytest.approx(50_020.6)


def test_a_summa_typed_over_by_hand(tmp_path: Path) -> None:
    actions = [a for a in REAL_CASE if not isinstance(a.investment_tkr, str)]
    path = _saved(tmp_path, actions, {"E34": 21_000.0, "F34": 3_000.0})
    assert _warnings(path) == [
        (
            "summa_mismatch",
            "E34",
            "uppfoljning_2025_1281.xlsx, sheet Uppföljning, cell E34: the Summa row states 21,000.0 tkr of "
            "Investering (tkr) but the actions add up to 20,283.6 tkr",
        ),
        (
            "summa_mismatch",
            "F34",
            "uppfoljning_2025_1281.xlsx, sheet Uppföljning, cell F34: the Summa row states 3,000.0 tkr of "
            "Varav extern finansiering (tkr) but the actions add up to 2,000.0 tkr",
        ),
    ]


def test_agreeing_totals_and_a_blank_summa_give_no_warning(tmp_path: Path) -> None:
    actions = [a for a in REAL_CASE if not isinstance(a.investment_tkr, str)]
    assert _warnings(_saved(tmp_path, actions)) == []
    wb, cached = template.followup_workbook("2025.1", FORM, actions, summa="blank")
    assert cached == {}
    path = tmp_path / "blank.xlsx"
    path.write_bytes(stable_xlsx_bytes(wb, dt.datetime(2026, 2, 10)))
    assert _warnings(path) == []


def test_a_libreoffice_recalculation_reproduces_the_real_case(tmp_path: Path) -> None:
    """Saved without results (as openpyxl or a script saves), then opened and re-saved by LibreOffice, which
    recalculates SUM over numbers only: the Summa becomes 20,283.6 and the warning says why."""
    wb, _ = template.followup_workbook("2025.1", FORM, REAL_CASE)
    source = tmp_path / "in" / NAME
    source.parent.mkdir()
    wb.save(source)
    resaved = resave_with_libreoffice(source, tmp_path / "out")
    assert load_workbook(resaved, data_only=True)["Uppföljning"]["E34"].value == pytest.approx(20_283.6)
    [*_, (rule, cell, message)] = _warnings(resaved)
    assert (rule, cell) == ("summa_mismatch", "E34")
    assert "states 20,283.6 tkr of Investering (tkr) but the actions add up to 50,020.6 tkr" in message
