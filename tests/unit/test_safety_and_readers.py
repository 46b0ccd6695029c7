"""Files that must be refused before any parser opens them, and readers that say exactly where input is bad."""

import dataclasses
import io
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from sources.funding_ledger.demo import ledger_header
from sources.lib.contract import load_contract
from sources.lib.errors import SourceFileError
from sources.lib.paths import SOURCES_DIR
from sources.lib.readers import read_csv, read_xlsx
from sources.lib.safety import check_size, check_text, check_xlsx
from sources.lib.validate import validate

REGISTER = load_contract(SOURCES_DIR / "klimatkontrakt_register")
LEDGER = load_contract(SOURCES_DIR / "funding_ledger")


def _xlsx_bytes(rows: list[list[object]], title: str = "Finansiering") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _rewrite_member(data: bytes, member: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, content if info.filename == member else src.read(info.filename))
    return out.getvalue()


def _rule(fn, *args) -> str:
    with pytest.raises(SourceFileError) as exc:
        fn(*args)
    return exc.value.rule


LEDGER_HEADER = ledger_header()


def test_zip_bomb_is_refused_from_the_directory(tmp_path: Path) -> None:
    good = _xlsx_bytes([["Referens"]])
    bomb = _rewrite_member(
        good, "xl/worksheets/sheet1.xml", b"<worksheet>" + b" " * (60 * 1024 * 1024) + b"</worksheet>"
    )
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(bomb)
    assert path.stat().st_size < 1024 * 1024
    assert _rule(check_xlsx, path, "bomb.xlsx") == "zip_bomb"


def test_xml_entities_are_refused(tmp_path: Path) -> None:
    evil = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet>&a;</worksheet>'
    path = tmp_path / "entities.xlsx"
    path.write_bytes(_rewrite_member(_xlsx_bytes([["x"]]), "xl/worksheets/sheet1.xml", evil))
    assert _rule(check_xlsx, path, "entities.xlsx") == "xml_entities"


def test_spoofed_dimension_is_refused(tmp_path: Path) -> None:
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<dimension ref="A1:XFD1048576"/><sheetData/></worksheet>'
    )
    path = tmp_path / "dimension.xlsx"
    path.write_bytes(_rewrite_member(_xlsx_bytes([["x"]]), "xl/worksheets/sheet1.xml", sheet))
    assert _rule(check_xlsx, path, "dimension.xlsx") == "sheet_dimension"


@pytest.mark.parametrize(
    ("content", "rule"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "wrong_container"),  # .xls or encrypted workbook
        (b"Referens;Instrument\nVC-1;DUT\n", "wrong_container"),  # a CSV renamed .xlsx
        (b"PK\x03\x04truncated", "corrupt_zip"),
    ],
)
def test_wrong_containers(tmp_path: Path, content: bytes, rule: str) -> None:
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(content)
    assert _rule(check_xlsx, path, "ledger.xlsx") == rule


@pytest.mark.parametrize(
    ("content", "rule", "message"),
    [
        (b"", None, None),  # empty: the reader says so
        (b"a;b\n1;2\n", None, None),
        (b"PK\x03\x04" + b"\x00" * 64, "wrong_container", "zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "wrong_container", "legacy Office"),
        # a NUL far past the first 64 KiB, on line 5,001: found where it is
        (b"a;b\n" + b"1;2\n" * 4_999 + b"x" * 70_000 + b"\x00\n", "binary_content", "byte 90,000 (line 5,001)"),
    ],
)
def test_a_csv_must_be_text_to_its_last_byte(tmp_path: Path, content: bytes, rule: str | None, message: str) -> None:
    path = tmp_path / "register.csv"
    path.write_bytes(content)
    if rule is None:
        check_text(path, "register.csv")
        return
    with pytest.raises(SourceFileError) as exc:
        check_text(path, "register.csv")
    assert exc.value.rule == rule and message in str(exc.value)


def test_macro_workbook_is_refused(tmp_path: Path) -> None:
    data = _xlsx_bytes([["x"]])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
        dst.writestr("xl/vbaProject.bin", b"\x00" * 64)
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(out.getvalue())
    assert _rule(check_xlsx, path, "ledger.xlsx") == "macros"


def test_empty_and_binary_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert _rule(check_size, empty, "empty.csv", 1) == "empty_file"
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes("Kommunkod;Kommun\n".encode("utf-16"))
    assert _rule(check_text, utf16, "utf16.csv") == "binary_content"


def _register_csv(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "register.csv"
    path.write_bytes(text.encode(encoding))
    return path


HEADER = "Kommunkod;Kommun;Våg;Anslutningsdatum;Utträdesdatum;Senaste kontraktsversion;Myndigheter\n"


def test_register_csv_with_bom_semicolons_and_lost_zero(tmp_path: Path) -> None:
    path = _register_csv(tmp_path, "\ufeff" + HEADER + "180;Stockholm;2019;2019-06-01;;2025;Vinnova\r\n")
    checked = validate(read_csv(path, "register.csv", REGISTER), REGISTER)
    assert checked.rejected.empty
    assert checked.accepted["municipality_code"].tolist() == ["0180"]
    assert checked.accepted["source_row"].tolist() == [2]


def test_register_rejections_name_column_line_and_rule(tmp_path: Path) -> None:
    body = (
        "0180;Stockholm;2019;2019-06-01;;2025;x\n1480;Göteborg;2020;2019-06-01;;2025;x\n1280;Malmö;2019;n/a;;2025;x\n"
    )
    checked = validate(read_csv(_register_csv(tmp_path, HEADER + body), "register.csv", REGISTER), REGISTER)
    got = checked.rejected[["row", "column", "cell", "rule"]].to_dict("records")
    assert got == [
        {"row": 3, "column": "wave", "cell": "Våg (line 3)", "rule": "allowed_values"},
        {"row": 4, "column": "joined_date", "cell": "Anslutningsdatum (line 4)", "rule": "invalid_date"},
    ]
    assert checked.accepted["municipality_code"].tolist() == ["0180"]


def test_duplicate_keys_keep_the_first_and_reject_the_rest(tmp_path: Path) -> None:
    body = "0180;Stockholm;2019;2019-06-01;;2025;x\n0180;Stockholm;2019;2019-07-01;;2025;x\n"
    checked = validate(read_csv(_register_csv(tmp_path, HEADER + body), "register.csv", REGISTER), REGISTER)
    assert checked.rejected["rule"].tolist() == ["duplicate_key"]
    assert "already on row 2" in checked.rejected["message"].iloc[0]


def test_wrong_separator_and_missing_column(tmp_path: Path) -> None:
    path = _register_csv(tmp_path, HEADER.replace(";", ",") + "0180,Stockholm,2019,2019-06-01,,2025,x\n")
    assert _rule(read_csv, path, "register.csv", REGISTER) == "wrong_separator"
    path = _register_csv(tmp_path, "Kommunkod;Kommun\n0180;Stockholm\n")
    with pytest.raises(SourceFileError) as exc:
        read_csv(path, "register.csv", REGISTER)
    assert exc.value.rule == "missing_column" and "Anslutningsdatum" in str(exc.value)


def test_duplicate_header_names_the_column(tmp_path: Path) -> None:
    path = _register_csv(tmp_path, HEADER.replace("Myndigheter", "Kommun") + "0180;Stockholm;2019;2019-06-01;;2025;x\n")
    with pytest.raises(SourceFileError) as exc:
        read_csv(path, "register.csv", REGISTER)
    assert exc.value.rule == "duplicate_header" and exc.value.column == "Kommun"


def test_cp1252_bytes_under_a_utf8_contract_are_refused_not_garbled(tmp_path: Path) -> None:
    path = _register_csv(tmp_path, HEADER + "1280;Malmö;2019;2019-06-01;;2025;x\n", encoding="cp1252")
    with pytest.raises(SourceFileError) as exc:
        read_csv(path, "register.csv", REGISTER)
    # "Våg" in the header is the first non-UTF-8 byte sequence
    assert exc.value.rule == "encoding" and exc.value.row == 1


def test_ledger_header_found_by_its_label_and_errors_name_the_cell(tmp_path: Path) -> None:
    rows = [
        ["Finansieringsliggare"],
        ["en rad till"],
        [],
        LEDGER_HEADER,
        ["VC-1", "DUT", "DUT Call 2023", "Lunds kommun", 1281, "awarded", "1 234,5", "EUR", "EUR", None, "2024-03-02"],
        [
            "VC-2",
            "DUT",
            "DUT Call 2023",  # (a formula here is refused whole: see test_formula_without_saved_value)
            "Lunds kommun",
            1281,
            "awarded",
            "n/a",
            "EUR",
            "EUR",
            None,
            "2024-03-02",
        ],
        ["VC-3", "BITCOIN", "x", "Lunds kommun", "1281", "won", 5, "SEK", "kr", None, "2024-03-02"],
    ]
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(_xlsx_bytes(rows))
    table = read_xlsx(path, "ledger.xlsx", LEDGER)
    checked = validate(table, LEDGER)
    assert checked.accepted["record_id"].tolist() == ["VC-1"]
    assert checked.accepted["amount"].tolist() == [1234.5]
    assert checked.accepted["source_row"].tolist() == [5]
    assert checked.rejected[["cell", "rule"]].values.tolist() == [
        ["B7", "allowed_values"],
        ["F7", "allowed_values"],
        ["G6", "not_a_number"],
    ]
    assert set(checked.rejected["sheet"]) == {"Finansiering"}


def _with_external_link(data: bytes, formula_cell: bytes | None) -> bytes:
    """The workbook with a link to another file (as Excel writes it: an externalLink part), used by a named
    range only, or also by a cell formula on the sheet when `formula_cell` is given."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "xl/workbook.xml":
                content = content.replace(
                    b"</workbook>", b"<definedNames><definedName name=\"Status\">[1]Feuil1!$F$2:$F$6</definedName>"
                    b"</definedNames></workbook>"
                )  # fmt: skip
            if info.filename == "xl/worksheets/sheet1.xml" and formula_cell is not None:
                content = content.replace(b"</row></sheetData>", formula_cell + b"</row></sheetData>", 1)
            dst.writestr(info.filename, content)
        dst.writestr("xl/externalLinks/externalLink1.xml", b"<externalLink/>")
    return out.getvalue()


def test_links_used_by_named_ranges_only_are_accepted_and_said(tmp_path: Path) -> None:
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(_with_external_link(_xlsx_bytes([LEDGER_HEADER]), None))
    warning = check_xlsx(path, "ledger.xlsx")
    assert warning is not None and warning[0] == "external_links_in_names"
    assert "1 other file(s)" in warning[1] and "kept unchanged in the archive" in warning[1]
    plain = tmp_path / "plain.xlsx"
    plain.write_bytes(_xlsx_bytes([LEDGER_HEADER]))
    assert check_xlsx(plain, "plain.xlsx") is None


def test_a_cell_formula_reading_another_file_is_refused_naming_the_cell(tmp_path: Path) -> None:
    path = tmp_path / "ledger.xlsx"
    cell = b'<c r="L1"><f>SUM([1]Feuil1!A1:A3)</f><v>6</v></c>'
    path.write_bytes(_with_external_link(_xlsx_bytes([LEDGER_HEADER]), cell))
    with pytest.raises(SourceFileError) as exc:
        check_xlsx(path, "ledger.xlsx")
    assert (exc.value.rule, exc.value.row, exc.value.column) == ("external_links", 1, "L")
    assert "L1" in str(exc.value) and "reads another workbook" in str(exc.value)


@pytest.mark.parametrize(
    ("body", "records", "lines"),
    [
        ("1;a\n2;b\n", [["1", "a"], ["2", "b"]], [2, 3]),
        ("1;a\r\n2;b", [["1", "a"], ["2", "b"]], [2, 3]),  # CRLF, no line break at the end
        ('1;"two\nlines"\n2;b\n', [["1", "two\nlines"], ["2", "b"]], [2, 4]),  # a record's row is where it starts
        ('1;"a ""quoted"" word"\n\n\n2;b\n', [["1", 'a "quoted" word'], ["2", "b"]], [2, 5]),  # blank lines
        ('1;"para\n\npara"\n2;b\n', [["1", "para\n\npara"], ["2", "b"]], [2, 5]),  # a blank line inside quotes
        ("1;a\n;\n  \n2;b\n", [["1", "a"], ["2", "b"]], [2, 5]),  # records of only blanks are none
        ('1;a\n2;"two\nlines"', [["1", "a"], ["2", "two\nlines"]], [2, 3]),  # ends inside quotes, no last break
    ],
)
def test_csv_records_and_the_line_each_starts_on(tmp_path: Path, body: str, records: list, lines: list) -> None:
    contract = dataclasses.replace(
        REGISTER, reader={"separator": ";", "encoding": "utf-8"},
        columns=(dataclasses.replace(REGISTER.columns[0], name="n", header="n"),
                 dataclasses.replace(REGISTER.columns[1], name="t", header="t")),
    )  # fmt: skip
    path = tmp_path / "f.csv"
    path.write_bytes(("\ufeffn;t\n" + body).encode())
    table = read_csv(path, "f.csv", contract)
    assert [list(r) for r in zip(table.raw("n"), table.raw("t"), strict=True)] == records
    assert table.rows.tolist() == lines


@pytest.mark.parametrize(
    ("body", "rule", "line"),
    [
        ("1;a\n2;b;c\n", "wrong_field_count", 3),
        ('1;"a\n2;b\n', "csv_syntax", 2),  # a quote never closed would swallow the rest of the file
        ("1;a\n3\n", "wrong_field_count", 3),
        ('1;a\n2;"b"x\n', "csv_syntax", 3),  # text after a closing quote
        ('1;5" screen\n', "csv_syntax", 2),  # a quote in an unquoted field
    ],
)
def test_csv_records_that_cannot_be_placed_refuse_the_file(tmp_path: Path, body: str, rule: str, line: int) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(("n;t\n" + body).encode())
    contract = dataclasses.replace(
        REGISTER, reader={"separator": ";", "encoding": "utf-8"},
        columns=(dataclasses.replace(REGISTER.columns[0], name="n", header="n"),
                 dataclasses.replace(REGISTER.columns[1], name="t", header="t")),
    )  # fmt: skip
    with pytest.raises(SourceFileError) as exc:
        read_csv(path, "f.csv", contract)
    assert (exc.value.rule, exc.value.row) == (rule, line), str(exc.value)
