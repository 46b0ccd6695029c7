"""Every bad-input case of issue 7 (tests/fixtures/make_bad_inputs.py) delivered as a file: refused or quarantined
within seconds, the rejection naming file, sheet, row, column (cell) and rule; and odd file names in landing."""

from __future__ import annotations

import json
import os
import time
import unicodedata
from pathlib import Path

import pytest

from sources.lib.contract import load_contract
from sources.lib.errors import SourceFileError
from sources.lib.ingest import clean_name, ingest_source, read_file
from sources.lib.paths import SOURCES_DIR, DataDir
from sources.lib.validate import validate
from tests.fixtures.make_bad_inputs import REGISTER_HEADER, Case, write_cases


@pytest.fixture(scope="module")
def cases_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bad_inputs")
    write_cases(folder)
    return folder


def _cases() -> list[Case]:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        return write_cases(Path(tmp))


def _contract(case: Case, folder: Path):  # type: ignore[no-untyped-def]
    if case.source == "json_register":
        return load_contract(folder / "_contracts" / "json_register")
    return load_contract(SOURCES_DIR / case.source)


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c.name)
def test_each_bad_input_is_rejected_naming_where_and_why(cases_dir: Path, case: Case) -> None:
    contract = _contract(case, cases_dir)
    path = cases_dir / case.source / case.file
    started = time.monotonic()
    try:
        table = read_file(path, case.file, contract)
        checked = validate(table, contract)
    except SourceFileError as err:
        assert time.monotonic() - started < 5
        assert case.rule is not None, f"refused but should be accepted: {err}"
        assert (err.rule, err.file, err.sheet, err.row, err.column) == (
            case.rule, case.file, case.sheet, case.row, case.column
        ), str(err)  # fmt: skip
        assert str(err).startswith(f"file {case.file}") and f"[rule: {case.rule}]" in str(err)
        return
    assert time.monotonic() - started < 5
    if case.rule is None:
        assert checked.rejected.empty, checked.rejected.to_dict("records")
        value = checked.accepted[case.field].iloc[0]
        assert str(value) == case.value
        return
    assert not checked.rejected.empty, f"{case.name}: accepted silently"
    first = checked.rejected.iloc[0]
    assert (first["rule"], first["sheet"], first["row"], first["cell"]) == (
        case.rule, case.sheet, case.row, case.column
    ), checked.rejected.to_dict("records")  # fmt: skip
    assert first["column"] and first["message"]


def test_rejections_reach_quarantine_with_file_sheet_row_cell_and_rule(cases_dir: Path, tmp_path: Path) -> None:
    """Through ingest: every bad ledger file is either quarantined whole (with rule and message) or its bad rows
    are (with file, sheet, row, cell, rule); none is silently accepted."""
    data = DataDir(tmp_path / "var")
    landing = data.landing("funding_ledger")
    landing.mkdir(parents=True)
    cases = [c for c in json.loads((cases_dir / "cases.json").read_text()) if c["source"] == "funding_ledger"]
    for c in cases:
        (landing / c["file"]).write_bytes((cases_dir / "funding_ledger" / c["file"]).read_bytes())
    started = time.monotonic()
    report = ingest_source(load_contract(SOURCES_DIR / "funding_ledger"), data)
    assert time.monotonic() - started < 30
    results = {f.file_name: f for f in report.new_files}
    for c in cases:
        got = results.get(c["file"])
        if got is None:  # the same bytes as another case (e.g. two empty files) are archived once
            continue
        if c["rule"] is None:
            assert got.status == "accepted", (c["name"], got)
        elif c["row"] is None or (c["sheet"] is not None and got.status == "rejected"):
            assert got.status == "rejected" and f"[rule: {c['rule']}]" in (got.error or ""), (c["name"], got)
        else:
            assert got.status == "accepted_with_rejections", (c["name"], got)


# ---------------------------------------------------------------------------------------------------------------
# Odd file names in landing


def _drop(data: DataDir, name: str, text: str) -> Path:
    folder = data.landing("klimatkontrakt_register")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "recorded"),
    [
        ("../../etc/passwd", "passwd"),
        ("/etc/shadow.csv", "shadow.csv"),
        ("reg\x00ister\x1b[31m.csv", "register[31m.csv"),
        ("x" * 300 + ".csv", "x" * 200),
        (unicodedata.normalize("NFD", "Malmö.csv"), "Malmö.csv"),
    ],
)
def test_recorded_file_names_are_plain_bounded_and_nfc(name: str, recorded: str) -> None:
    assert clean_name(name) == recorded


def test_nfd_and_nfc_names_and_very_long_names_in_landing(tmp_path: Path) -> None:
    data = DataDir(tmp_path / "var")
    text = REGISTER_HEADER + "1280;Malmö;2019;2019-06-01;;2025;x\n"
    _drop(data, unicodedata.normalize("NFD", "Malmö.csv"), text)
    _drop(data, unicodedata.normalize("NFC", "Malmö.csv"), text)  # a second file on Linux, the same bytes
    _drop(data, "å" * 120 + ".csv", text + "0180;Stockholm;2019;2019-06-01;;2025;x\n")  # 245 bytes, 124 characters
    report = ingest_source(load_contract(SOURCES_DIR / "klimatkontrakt_register"), data)
    names = sorted(f.file_name for f in report.new_files)
    assert names == sorted(["Malmö.csv", "å" * 120 + ".csv"])
    assert all(unicodedata.is_normalized("NFC", n) for n in names)


def test_symlinks_in_landing_are_never_followed(tmp_path: Path) -> None:
    data = DataDir(tmp_path / "var")
    secret = tmp_path / "secret.csv"
    secret.write_text(REGISTER_HEADER + "0180;Hemlig;2019;2019-06-01;;2025;x\n", encoding="utf-8")
    folder = data.landing("klimatkontrakt_register")
    folder.mkdir(parents=True)
    os.symlink(secret, folder / "register.csv")
    os.symlink("/etc/passwd", folder / "passwd.csv")
    report = ingest_source(load_contract(SOURCES_DIR / "klimatkontrakt_register"), data)
    assert report.new_files == []
    assert not [p for p in data.archive("klimatkontrakt_register").iterdir() if not p.name.startswith(".")]
