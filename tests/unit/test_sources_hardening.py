"""The shared readers, hardened once: a table of good and bad inputs per reader with the exact rule and place."""

from __future__ import annotations

import dataclasses
import io
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from reports.stable_xlsx import stable_xlsx_bytes
from sources.klimatkontrakt_followup.demo import with_cached_values
from sources.lib.contract import ContractError, load_contract
from sources.lib.errors import SourceFileError
from sources.lib.paths import SOURCES_DIR
from sources.lib.readers import read_csv, read_json, read_xlsx
from sources.lib.validate import validate

LEDGER = load_contract(SOURCES_DIR / "funding_ledger")
REGISTER = load_contract(SOURCES_DIR / "klimatkontrakt_register")
HEADER = ["Referens", "Instrument", "Utlysning", "Mottagare", "Kommunkod", "Status", "Belopp", "Valuta", "Enhet"]
HEADER += ["Ansökningsdatum", "Beslutsdatum"]


def _row(ref: str, amount: object = 100, currency: str = "SEK", unit: str = "tkr", code: object = "1281") -> list:
    return [ref, "VINNOVA", "Utlysning", "Lunds kommun", code, "awarded", amount, currency, unit, None, "2024-03-02"]


def _ledger(build: Callable[[Workbook], None]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Finansiering"
    ws.append(["Finansieringsliggare"])
    ws.append([])
    ws.append(HEADER)
    ws.append(_row("VC-1"))
    ws.append(_row("VC-2"))
    ws.append(_row("VC-3"))
    build(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _formula(wb: Workbook) -> None:
    wb["Finansiering"]["G5"] = "=100*2"  # written by a program that does not calculate: no saved result


def _merged(wb: Workbook) -> None:
    wb["Finansiering"].merge_cells("G4:G5")  # one amount for two rows


def _merged_elsewhere(wb: Workbook) -> None:
    ws = wb["Finansiering"]
    ws["A1"] = "Finansieringsliggare"
    ws.merge_cells("A1:K1")  # a merged title above the header is fine
    ws["M4"] = "anteckning"
    ws.merge_cells("M4:N6")  # and so is a merge beside the table, in columns the contract does not read


def _hidden(wb: Workbook) -> None:
    wb["Finansiering"].sheet_state = "hidden"
    wb.create_sheet("Sammanställning")


def _very_hidden(wb: Workbook) -> None:
    wb["Finansiering"].sheet_state = "veryHidden"
    wb.create_sheet("Sammanställning")


def _duplicate_header(wb: Workbook) -> None:
    wb["Finansiering"]["L3"] = "Belopp"


def _renamed_column(wb: Workbook) -> None:
    wb["Finansiering"]["G3"] = "Belopp (kr)"


def _unchanged(wb: Workbook) -> None:
    pass


@pytest.mark.parametrize(
    ("build", "rule", "row", "column"),
    [
        (_formula, "formula_without_value", 5, "G"),
        (_merged, "merged_cells", 4, "G4:G5"),
        (_hidden, "hidden_sheet", None, None),
        (_very_hidden, "hidden_sheet", None, None),
        (_duplicate_header, "duplicate_header", 3, "L"),
        (_renamed_column, "missing_column", 3, None),
    ],
)
def test_xlsx_refusals_name_rule_sheet_row_and_column(
    tmp_path: Path, build: Callable[[Workbook], None], rule: str, row: int | None, column: str | None
) -> None:
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(_ledger(build))
    with pytest.raises(SourceFileError) as exc:
        read_xlsx(path, "ledger.xlsx", LEDGER)
    err = exc.value
    assert (err.rule, err.sheet, err.row, err.column) == (rule, "Finansiering", row, column)
    assert str(err).startswith("file ledger.xlsx, sheet 'Finansiering'")


@pytest.mark.parametrize("build", [_unchanged, _merged_elsewhere])
def test_xlsx_good_layouts_are_read(tmp_path: Path, build: Callable[[Workbook], None]) -> None:
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(_ledger(build))
    checked = validate(read_xlsx(path, "ledger.xlsx", LEDGER), LEDGER)
    assert checked.rejected.empty
    assert checked.accepted["record_id"].tolist() == ["VC-1", "VC-2", "VC-3"]


def test_a_formula_with_its_saved_result_is_read(tmp_path: Path) -> None:
    import datetime as dt

    wb = Workbook()
    ws = wb.active
    ws.title = "Finansiering"
    ws.append(HEADER)
    ws.append(_row("VC-1", amount="=100*2"))
    data = with_cached_values(stable_xlsx_bytes(wb, dt.datetime(2026, 1, 1)), "xl/worksheets/sheet1.xml", {"G2": 200})
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(data)
    checked = validate(read_xlsx(path, "ledger.xlsx", LEDGER), LEDGER)
    assert checked.accepted["amount"].tolist() == [200.0]


def test_hidden_sheet_is_never_picked_when_no_sheet_is_named(tmp_path: Path) -> None:
    wb = Workbook()
    hidden = wb.active
    hidden.title = "Gammal"
    hidden.append(HEADER)
    hidden.append(_row("OLD-1"))
    hidden.sheet_state = "hidden"
    visible = wb.create_sheet("Finansiering")
    visible.append(HEADER)
    visible.append(_row("VC-1"))
    path = tmp_path / "ledger.xlsx"
    wb.save(path)
    contract = dataclasses.replace(LEDGER, reader={"header_anchor": "Referens"})  # no sheet named
    table = read_xlsx(path, "ledger.xlsx", contract)
    assert table.sheet == "Finansiering" and table.raw("record_id") == ["VC-1"]


@pytest.mark.parametrize(
    ("amount_unit", "currency", "rule"),
    [
        ("tkr", "SEK", None),
        ("MEUR", "EUR", None),
        ("tkr", "EUR", "unit_matches_currency"),
        ("EUR", "SEK", "unit_matches_currency"),
        ("kSEK", "SEK", "allowed_values"),  # an unknown unit
        ("kr", "NOK", "allowed_values"),  # an unknown currency
    ],
)
def test_ledger_unit_must_agree_with_currency(
    tmp_path: Path, amount_unit: str, currency: str, rule: str | None
) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Finansiering"
    ws.append(HEADER)
    ws.append(_row("VC-1", currency=currency, unit=amount_unit))
    path = tmp_path / "ledger.xlsx"
    wb.save(path)
    checked = validate(read_xlsx(path, "ledger.xlsx", LEDGER), LEDGER)
    if rule is None:
        assert checked.rejected.empty and len(checked.accepted) == 1
        return
    assert checked.rejected["rule"].tolist() == [rule]
    assert checked.accepted.empty
    if rule == "unit_matches_currency":
        assert checked.rejected[["cell", "column"]].values.tolist() == [["H2", "currency"]]
        assert f"amount_unit={amount_unit}, currency={currency}" in checked.rejected["message"].iloc[0]


def test_decision_before_application_is_rejected(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Finansiering"
    ws.append(HEADER)
    row = _row("VC-1")
    row[9], row[10] = "2024-05-01", "2024-03-02"
    ws.append(row)
    path = tmp_path / "ledger.xlsx"
    wb.save(path)
    checked = validate(read_xlsx(path, "ledger.xlsx", LEDGER), LEDGER)
    assert checked.rejected[["cell", "rule"]].values.tolist() == [["K2", "decision_after_application"]]


@pytest.mark.parametrize(
    ("code", "rule"),
    [("1281", None), (180, None), ("0180", None), ("1299", "unknown_municipality_code"), ("9999", "municipality_code")],
)
def test_municipality_codes_are_checked_against_scbs_list(tmp_path: Path, code: object, rule: str | None) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Finansiering"
    ws.append(HEADER)
    ws.append(_row("VC-1", code=code))
    path = tmp_path / "ledger.xlsx"
    wb.save(path)
    checked = validate(read_xlsx(path, "ledger.xlsx", LEDGER), LEDGER)
    assert checked.rejected["rule"].tolist() == ([rule] if rule else [])
    if rule:
        assert checked.rejected["cell"].tolist() == ["E2"]


# ---------------------------------------------------------------------------------------------------------------
# CSV: encodings and mojibake

REGISTER_HEADER = "Kommunkod;Kommun;Våg;Anslutningsdatum;Utträdesdatum;Senaste kontraktsversion;Myndigheter\n"
MALMO = "1280;Malmö;2019;2019-06-01;;2025;Vinnova\n"


@pytest.mark.parametrize(
    ("data", "contract_encoding", "rule", "row"),
    [
        ((REGISTER_HEADER + MALMO).encode("utf-8"), "utf-8", None, None),
        (b"\xef\xbb\xbf" + (REGISTER_HEADER + MALMO).encode("utf-8"), "utf-8", None, None),  # BOM
        ((REGISTER_HEADER + MALMO).encode("cp1252"), "cp1252", None, None),  # declared cp1252
        ((REGISTER_HEADER + MALMO).encode("cp1252"), "utf-8", "encoding", 1),  # undeclared cp1252
        ((REGISTER_HEADER + MALMO).encode("utf-8"), "cp1252", "mojibake", 1),  # UTF-8 under a cp1252 contract
        # read as cp1252 once and saved again as UTF-8: valid UTF-8, garbled text
        ((REGISTER_HEADER + MALMO.replace("Malmö", "MalmÃ¶")).encode("utf-8"), "utf-8", "mojibake", 2),
        ((REGISTER_HEADER + MALMO.replace("Malmö", "Ã…mål")).encode("utf-8"), "utf-8", "mojibake", 2),
    ],
)
def test_csv_encodings(tmp_path: Path, data: bytes, contract_encoding: str, rule: str | None, row: int | None) -> None:
    contract = dataclasses.replace(REGISTER, reader={**REGISTER.reader, "encoding": contract_encoding})
    path = tmp_path / "register.csv"
    path.write_bytes(data)
    if rule is None:
        checked = validate(read_csv(path, "register.csv", contract), contract)
        assert checked.accepted["municipality_name"].tolist() == ["Malmö"]
        return
    with pytest.raises(SourceFileError) as exc:
        read_csv(path, "register.csv", contract)
    assert (exc.value.rule, exc.value.row) == (rule, row)


def test_a_refused_row_that_is_not_utf8_is_an_encoding_error_and_prints_nothing(tmp_path: Path, monkeypatch) -> None:
    # Arrow decodes a row with the wrong field count as UTF-8 before its invalid-row handler sees it; with a byte
    # that is not UTF-8 that decoding fails inside Arrow, which handed the error to sys.unraisablehook: an
    # "Exception ignored" traceback in the run's output beside the file's clear refusal
    unraised: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", unraised.append)
    path = tmp_path / "register.csv"
    path.write_bytes((REGISTER_HEADER + MALMO).encode("utf-8") + b"1281;Lund;2019;2019-06-01;;2025;Vinnova;\xff\n")
    with pytest.raises(SourceFileError) as exc:
        read_csv(path, "register.csv", REGISTER)
    assert (exc.value.rule, exc.value.row) == ("encoding", 3)
    assert unraised == []
    assert sys.unraisablehook == unraised.append  # the process's own hook is back


def test_contract_refuses_an_encoding_it_does_not_know(tmp_path: Path) -> None:
    folder = tmp_path / "demo_source"
    folder.mkdir()
    text = (SOURCES_DIR / "klimatkontrakt_register" / "source.yaml").read_text(encoding="utf-8")
    (folder / "source.yaml").write_text(
        text.replace("name: klimatkontrakt_register", "name: demo_source").replace(
            "encoding: utf-8", "encoding: latin-9"
        )
    )
    with pytest.raises(ContractError, match=r"reader\.encoding"):
        load_contract(folder)


def test_csv_rows_are_numbered_where_they_start(tmp_path: Path) -> None:
    projects = load_contract(SOURCES_DIR / "cordis_projects")
    header = ";".join(f'"{c.header}"' for c in projects.columns)
    row1 = ";".join(['"1"', '"A"', '"SIGNED"', '"T"'] + ['""'] * 12 + ['"line one\nline two\nline three"'] + ['""'] * 3)
    row2 = ";".join(['"2"', '"B"', '"WON"', '"T"'] + ['""'] * 16)
    path = tmp_path / "project.csv"
    path.write_text(f"{header}\n{row1}\n{row2}\n", encoding="utf-8")
    checked = validate(read_csv(path, "project.csv", projects), projects)
    assert checked.accepted["source_row"].tolist() == [2]
    assert checked.rejected[["row", "cell", "rule"]].values.tolist() == [[5, "status (line 5)", "allowed_values"]]


# ---------------------------------------------------------------------------------------------------------------
# JSON

JSON_CONTRACT = textwrap.dedent(
    """
    name: json_register
    title: t
    family: f
    publisher: p
    licence: l
    owner: o
    cadence: c
    format: json
    reader: {records: cities}
    primary_key: [city]
    columns:
      - {name: city, type: string, required: true}
      - {name: population, type: integer, min: 0}
      - {name: eu_member, type: boolean}
    """
)


@pytest.fixture
def json_contract(tmp_path: Path):  # type: ignore[no-untyped-def]
    folder = tmp_path / "json_register"
    folder.mkdir()
    (folder / "source.yaml").write_text(JSON_CONTRACT, encoding="utf-8")
    return load_contract(folder)


@pytest.mark.parametrize(
    ("text", "rule", "row", "column"),
    [
        ('{"cities": [{"city": "Lund", "city": "Malmö"}]}', "duplicate_key", 1, "city"),
        ('{"cities": [{"city": "Lund"}, {"city": "Umeå", "population": 1, "population": 2}]}', "duplicate_key", 2,
         "population"),
        ('{"cities": [{"city": "Lund", "population": NaN}]}', "not_a_number", 1, None),
        ('{"cities": [\n{"city": "Lund"},\n{"city": "Umeå", "population": -Infinity}]}', "not_a_number", 3, None),
        ('{"cities": [{"city": "Lund", "population": {"2024": 1}}]}', "nested_value", 1, "population"),
        ('{"cities": {"city": "Lund"}}', "json_shape", None, None),
        ('{"cities": [{"city": "Lund",}]}', "json_syntax", 1, None),
        ('[{"city": "Lund"}]', "json_shape", None, None),  # the records are expected under "cities"
    ],
)  # fmt: skip
def test_json_refusals(
    tmp_path: Path, json_contract, text: str, rule: str, row: int | None, column: str | None
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "cities.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceFileError) as exc:
        read_json(path, "cities.json", json_contract)
    assert (exc.value.rule, exc.value.row, exc.value.column) == (rule, row, column)


def test_json_good_records_and_cell_references(tmp_path: Path, json_contract) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "cities.json"
    text = '{"cities": [{"city": "Lund", "population": 130000, "eu_member": true}, {"city": "Oslo", "population": -1}]}'
    path.write_text(text, encoding="utf-8")
    checked = validate(read_json(path, "cities.json", json_contract), json_contract)
    assert checked.accepted[["city", "population", "eu_member"]].values.tolist() == [["Lund", 130000, True]]
    assert checked.rejected[["row", "cell", "rule"]].values.tolist() == [[2, "population (record 2)", "minimum"]]


def test_a_formula_tag_is_found_wherever_the_scan_splits_the_sheet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sheet XML is searched a chunk at a time: a formula's tag cut at any byte, also just after its "f",
    is still found."""
    from sources.lib import readers

    path = tmp_path / "ledger.xlsx"
    path.write_bytes(_ledger(_formula))
    for size in range(2, 64):
        monkeypatch.setattr(readers, "_SCAN_CHUNK", size)
        assert readers.formulas_without_values(path, "Finansiering") == ["G5"], size
