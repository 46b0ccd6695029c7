"""The JRC's Covenant of Mayors signatories workbook as a new source through its contract alone (no parse.py):
"-" and "null" mean missing, the data sheet is named 1, and the named ranges' links to other files are accepted
and said in the delivery record, the file archived as delivered."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from sources.lib.contract import load_contract
from sources.lib.ingest import delivery_records, ingest_source
from sources.lib.paths import REPO_ROOT, DataDir

pytestmark = pytest.mark.real_data

WORKBOOK = REPO_ROOT.parent / "shared" / "data" / "real" / "gcom" / "df1_Signatories_2024.xlsx"
CONTRACT = REPO_ROOT / "tests" / "fixtures" / "contracts" / "gcom_signatories"


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    if not WORKBOOK.exists():
        pytest.skip(f"real public data not present at {WORKBOOK}")
    import pandas as pd

    contract = load_contract(CONTRACT)
    assert contract.parser() is None and not (CONTRACT / "parse.py").exists()
    data = DataDir(tmp_path_factory.mktemp("gcom") / "var")
    landing = data.landing(contract.name)
    landing.mkdir(parents=True)
    shutil.copyfile(WORKBOOK, landing / WORKBOOK.name)
    report = ingest_source(contract, data)
    [result] = report.new_files
    raw = pd.concat(pd.read_parquet(p) for p in data.raw(contract.name).glob("*.parquet"))
    return contract, data, result, raw


def test_every_signatory_is_read_through_the_contract(ingested) -> None:  # type: ignore[no-untyped-def]
    _, _, result, raw = ingested
    assert result.status == "accepted", result
    # the PROVENANCE.md of the data set: sheet 1 holds 11,973 signatories, 69 of them Swedish
    assert len(raw) == 11_973
    assert (raw["country_code"] == "se").sum() == 69
    stockholm = raw[raw["organisation_id"] == "11886"].iloc[0]
    assert stockholm["organisation_name"].startswith("Stockholm")
    assert (stockholm["population_adhesion"], str(stockholm["date_of_adhesion"])) == (960_031, "2008-12-10")
    assert bool(stockholm["commitment_CoM2030_flag"]) is True


def test_a_dash_is_missing_not_a_value(ingested) -> None:  # type: ignore[no-untyped-def]
    _, _, _, raw = ingested
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(WORKBOOK)).get_sheet_by_name("1").to_python()[1:]
    dashes = sum(1 for r in rows if r[6] == "-")
    assert dashes > 0
    assert raw["population_adhesion"].isna().sum() == dashes  # each "-" is missing, no other value lost
    assert not (raw[["coordinator_name", "mayor", "group_name"]] == "-").any().any()
    # coordinates given as text with a decimal comma ("10,219287") are numbers
    assert raw["organisation_latitude"].notna().sum() == sum(1 for r in rows if r[7] not in ("-", "null"))


def test_the_links_of_named_ranges_are_said_and_the_file_kept_as_delivered(ingested) -> None:  # type: ignore[no-untyped-def]
    contract, data, _, _ = ingested
    [record] = delivery_records(contract, data)
    assert record["warning_rule"] == "external_links_in_names"
    assert "15 other file(s)" in str(record["warning_message"])
    digest = hashlib.sha256(WORKBOOK.read_bytes()).hexdigest()
    assert (data.archive(contract.name) / digest).read_bytes() == WORKBOOK.read_bytes()
