"""The template the programme office hands out: pre-filled, current version, drop-down lists, locked labels,
Swedish instructions, no formulas, and read back without a complaint. (The round trip through LibreOffice and the
warehouse is in tests/integration/test_followup_indicators.py.)"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sources.klimatkontrakt_followup import handout, template
from sources.lib.ingest import read_file
from sources.lib.validate import validate

CARRIED = [
    template.Action(1, "Elbussar i stadstrafiken", "Transporter", "pågående", 12_500.0, 5_000.0),
    template.Action(2, "Solceller på kommunala tak", "Energi", "planerad", 800.5, None),
]
LUND = handout.Recipient("1281", "Lund", 2019, CARRIED)


@pytest.fixture
def handed_out(tmp_path: Path) -> Path:
    path = tmp_path / "uppfoljning_2026_1281.xlsx"
    path.write_bytes(handout.handout_bytes(LUND, 2026))
    return path


def test_current_version_prefilled_and_carried_forward(handed_out: Path) -> None:
    ws = load_workbook(handed_out)["Uppföljning"]
    form = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(4, 11)}
    assert form == {
        "Mallversion": "2025.1",
        "Kommun": "Lund",
        "Kommunkod": "1281",
        "Rapportår": 2026,
        "Kontaktperson": None,
        "Datum för inlämning": None,
        "Våg": 2019,
    }
    assert template.CURRENT_VERSION == "2025.1"
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=14, max_row=15, max_col=6)]
    assert rows == [
        [1, "Elbussar i stadstrafiken", "Transporter", "pågående", 12_500.0, 5_000.0],
        [2, "Solceller på kommunala tak", "Energi", "planerad", 800.5, None],
    ]
    # room for new actions: the carried ones plus SPARE_ROWS numbered rows, at least MIN_TABLE_ROWS
    assert ws.cell(14 + template.MIN_TABLE_ROWS - 1, 1).value == template.MIN_TABLE_ROWS
    assert ws.cell(14 + template.MIN_TABLE_ROWS, 1).value == "Summa"


def test_drop_down_lists_for_status_and_sector(handed_out: Path) -> None:
    wb = load_workbook(handed_out)
    ws = wb["Uppföljning"]
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists == {"D14:D33": "=Listor!$A$2:$A$5", "C14:C33": "=Listor!$B$2:$B$9"}
    assert all(dv.type == "list" and dv.showErrorMessage for dv in ws.data_validations.dataValidation)
    listor = wb["Listor"]
    assert listor.sheet_state == "hidden"
    assert [c.value for c in listor["A"][1:5]] == list(template.CONTRACT.column("action_status").allowed)
    assert [c.value for c in listor["B"][1:9]] == list(template.CONTRACT.column("sector").allowed)


def test_labels_locked_inputs_open_no_password(handed_out: Path) -> None:
    ws = load_workbook(handed_out)["Uppföljning"]
    assert ws.protection.sheet and not ws.protection.password
    for label in ["A4", "A5", "A6", "A13", "B13", "E13", "A34", "A36", "B4", "B5", "B6", "B7", "B10"]:
        assert ws[label].protection.locked, label  # labels and the office's prefilled values
    for field in ["B8", "B9", "B14", "D14", "E15", "G33", "A37"]:
        assert not ws[field].protection.locked, field  # what the municipality fills in


def test_no_formulas_and_swedish_instructions(handed_out: Path) -> None:
    with zipfile.ZipFile(io.BytesIO(handed_out.read_bytes())) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name), name
    wb = load_workbook(handed_out)
    assert wb.sheetnames == ["Instruktioner", "Uppföljning", "Listor"]
    text = " ".join(str(c.value) for c in wb["Instruktioner"]["A"])
    for phrase in ["rapportår 2026", "Mallversion 2025.1", "senast 2027-02-28", "skyddat utan lösenord", "tkr"]:
        assert phrase in text


def test_the_reader_accepts_it_as_handed_out(handed_out: Path) -> None:
    checked = validate(read_file(handed_out, handed_out.name, template.CONTRACT), template.CONTRACT)
    assert checked.rejected.empty, checked.rejected.to_dict("records")
    rows = checked.accepted
    assert rows[rows.record_type == "action"]["action_name"].tolist() == [a.name for a in CARRIED]
    assert set(rows["wave"]) == {2019} and set(rows["report_year"]) == {2026}
    assert (rows.record_type == "warning").sum() == 0


def test_the_year_comes_from_the_environment_and_is_checked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("VC_DATA_DIR", str(tmp_path))
    monkeypatch.setenv(handout.YEAR_VARIABLE, "2026; touch x")
    with pytest.raises(SystemExit) as exc:
        handout.main([])
    assert exc.value.code == 2
    monkeypatch.setenv(handout.YEAR_VARIABLE, "2026")
    assert handout.main([]) == 1  # no warehouse yet: a clear message, no traceback
