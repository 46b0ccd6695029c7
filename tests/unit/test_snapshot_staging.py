"""Delivery semantics through ingest and dbt's staging layer (issue 12): generated deliveries are ingested, the
staging models built with dbt, and what they keep compared with what the files say, counted here.

* the register is a snapshot: 48 municipalities, then a file of 47: 47, without the one removed;
* the ledger is a snapshot: a record missing from the newest workbook no longer counts;
* SMHI exports are snapshots of one substance: a CO2 export leaves total greenhouse gases as they were;
* reference checks warn: six formula-like "Swedish" mission cities that are no municipality, an SMHI "Alla" row
  that is not the sum of its sectors.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import subprocess
from pathlib import Path

import duckdb
import pytest

from orchestration.lib.dbt_project import DBT_EXECUTABLE
from sources.lib.contract import discover_contracts
from sources.lib.ingest import ingest_source
from sources.lib.paths import REPO_ROOT, DataDir
from tests.fixtures.make_bad_inputs import ledger, ledger_row, register_csv, smhi_workbook

MUNICIPALITIES = REPO_ROOT / "dbt_project" / "seeds" / "ref_municipalities.csv"
SWEDISH_MISSION_CITIES = ["Gothenburg", "Gävle", "Helsingborg", "Lund", "Malmö", "Stockholm", "Umeå"]
FORMULA_NAMES = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "=1+1", "=A1"]
SECTORS = {"Transporter": [100.0, 90.0], "Jordbruk": [50.0, 49.0]}


def _drop(data: DataDir, source: str, name: str, content: bytes, when: dt.datetime) -> Path:
    path = data.landing(source) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    os.utime(path, (when.timestamp(), when.timestamp()))
    return path


def _mission_register(cities: list[str]) -> bytes:
    lines = ["city,country,country_iso2,eu_member"]
    lines += ['"{}",Sweden,SE,true'.format(c.replace('"', '""')) for c in cities]
    lines += ["Paris,France,FR,true"]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    data = DataDir(tmp_path_factory.mktemp("snapshots") / "var")
    with MUNICIPALITIES.open(encoding="utf-8") as fh:
        municipalities = [(r["municipality_code"], r["municipality_name"]) for r in csv.DictReader(fh)][:48]
    september, october = dt.datetime(2026, 9, 30, 12, tzinfo=dt.UTC), dt.datetime(2026, 10, 30, 12, tzinfo=dt.UTC)
    removed = municipalities[17]
    newest_register = register_csv([m for m in municipalities if m != removed])
    _drop(data, "klimatkontrakt_register", "register-sep.csv", register_csv(municipalities), september)
    _drop(data, "klimatkontrakt_register", "register-oct.csv", newest_register, october)
    _drop(data, "funding_ledger", "q2.xlsx", ledger([ledger_row("VC-1"), ledger_row("VC-2")]), september)
    _drop(data, "funding_ledger", "q3.xlsx", ledger([ledger_row("VC-1", Belopp=120)]), october)
    _drop(data, "mission_cities", "cities.csv", _mission_register(SWEDISH_MISSION_CITIES + FORMULA_NAMES), october)
    years = [2022, 2023]
    ggt = [(s, "Alla", "Skåne län", "Malmö", v) for s, v in SECTORS.items()]
    stated = [sum(v[i] for v in SECTORS.values()) for i in range(len(years))]
    stated[1] += 25.0  # the file's own 2023 total is 25 t off the sum of its sectors
    ggt.append(("Alla", "Alla", "Skåne län", "Malmö", stated))
    _drop(data, "smhi_emissions", "ggt.xlsx", smhi_workbook("Totala växthusgaser", ggt, years), september)
    co2 = [
        ("Transporter", "Alla", "Skåne län", "Malmö", [80.0, 70.0]),
        ("Transporter", "Vägtrafik", "Skåne län", "Malmö", [50.0, 40.0]),
        ("Transporter", "Järnväg", "Skåne län", "Malmö", [30.0, 20.0]),  # 2023: 40 + 20 is not the 70 stated
        ("Alla", "Alla", "Skåne län", "Malmö", [80.0, 70.0]),
    ]
    _drop(data, "smhi_emissions", "co2.xlsx", smhi_workbook("Koldioxid (CO2)", co2, years), october)
    for contract in discover_contracts():
        ingest_source(contract, data)
    target = data.root / "dbt_target"
    env = {**os.environ, "VC_DATA_DIR": str(data.root)}
    dbt = str(DBT_EXECUTABLE)
    common = ["--profiles-dir", ".", "--target-path", str(target), "--quiet"]
    models = [
        "stg_klimatkontrakt_register__municipalities",
        "stg_funding_ledger__records",
        "stg_mission_cities__cities",
        "stg_smhi_emissions__municipality_sectors",
        "stg_pipeline__deliveries",
        "stg_pipeline__source_states",
    ]
    steps = [
        ["seed"],
        ["run", "--select", *models],
        ["test", "--select", *models, "source:smhi_emissions", "--exclude-resource-type", "unit_test"],
    ]
    for args in steps:
        done = subprocess.run(
            [dbt, *args, *common], cwd=REPO_ROOT / "dbt_project", env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    return {
        "data": data,
        "removed": removed,
        "municipalities": municipalities,
        "newest_register_sha": hashlib.sha256(newest_register).hexdigest(),
        "tests": {r["unique_id"].split(".")[2]: r for r in results},
    }


def _query(built: dict[str, object], sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(built["data"].warehouse), read_only=True)  # type: ignore[attr-defined]
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_a_municipality_removed_from_the_register_snapshot_is_gone(built: dict[str, object]) -> None:
    rows = _query(
        built, "select municipality_code, source_file_sha256 from staging.stg_klimatkontrakt_register__municipalities"
    )
    codes = {r[0] for r in rows}
    assert len(built["municipalities"]) == 48  # type: ignore[arg-type]
    assert len(rows) == 47 and built["removed"][0] not in codes  # type: ignore[index]
    assert {r[1] for r in rows} == {built["newest_register_sha"]}


def test_a_record_missing_from_the_newest_ledger_no_longer_counts(built: dict[str, object]) -> None:
    rows = _query(
        built, "select record_id, amount_in_currency, source_file_name from staging.stg_funding_ledger__records"
    )
    assert rows == [("VC-1", 120 * 1000.0, "q3.xlsx")]  # 120 tkr


def test_a_co2_export_leaves_total_greenhouse_gases_as_they_were(built: dict[str, object]) -> None:
    rows = _query(
        built,
        "select substance, sum(emissions_t) from staging.stg_smhi_emissions__municipality_sectors "
        "group by substance order by substance",
    )
    ggt_total = sum(sum(v) for v in SECTORS.values())
    assert rows == [("Koldioxid (CO2)", 150.0), ("Totala växthusgaser", ggt_total)]
    [warning] = _query(built, "select warning_rule from staging.stg_pipeline__deliveries where file_name = 'co2.xlsx'")
    assert warning == ("not_read_by_indicators",)


def test_reference_checks_warn_about_what_the_files_do_not_add_up_to(built: dict[str, object]) -> None:
    tests = built["tests"]
    cities = tests["swedish_mission_city_is_an_scb_municipality"]  # type: ignore[index]
    assert (cities["status"], cities["failures"]) == ("warn", len(FORMULA_NAMES))
    totals = tests["smhi_alla_rows_match_their_parts"]  # type: ignore[index]
    # the greenhouse gases' 2023 total against its sectors, and CO2's 2023 transport against its sub-sectors
    assert (totals["status"], totals["failures"]) == ("warn", 2)


def test_every_source_has_its_state_in_the_warehouse(built: dict[str, object]) -> None:
    rows = dict(_query(built, "select source_name, source_state from staging.stg_pipeline__source_states"))
    assert rows == {c.name: ("no_delivery" if c.name not in {
        "klimatkontrakt_register", "funding_ledger", "mission_cities", "smhi_emissions"} else "delivered")
        for c in discover_contracts()}  # fmt: skip


def test_the_source_checks_see_a_snapshot_as_staging_keeps_it(built: dict[str, object]) -> None:
    # great-expectations validates each source's current data: a municipality or record the newest snapshot lacks
    # must not be validated (nor warned about) after its correction, as it no longer counts anywhere else
    from sources.lib.expectations import current_data

    contracts = {c.name: c for c in discover_contracts()}
    data = built["data"]
    register = current_data(contracts["klimatkontrakt_register"], data)  # type: ignore[arg-type]
    expected = {code for code, _ in built["municipalities"]} - {built["removed"][0]}  # type: ignore[index, union-attr]
    assert sorted(register["municipality_code"].astype(str)) == sorted(expected)
    assert set(register["source_file_sha256"].astype(str)) == {built["newest_register_sha"]}
    ledger_rows = current_data(contracts["funding_ledger"], data)  # type: ignore[arg-type]
    assert ledger_rows[["record_id", "amount"]].astype({"record_id": str}).values.tolist() == [["VC-1", 120]]
