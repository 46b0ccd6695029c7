"""Real public files through the new and hardened paths: the 112 mission cities in the NetZeroCities register's
public shape, and the ECB history fetched by the connector from a local HTTPS server (no other network)."""

from __future__ import annotations

import collections
import datetime as dt
import io
import shutil
import ssl
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from sources.lib.connectors import fetch
from sources.lib.contract import load_contract
from sources.lib.ingest import ingest_source, read_file
from sources.lib.paths import SOURCES_DIR, DataDir
from sources.lib.validate import validate
from tests.unit.test_connectors import _Handler, _serve, make_cert

pytestmark = pytest.mark.real_data
MISSION = load_contract(SOURCES_DIR / "mission_cities")


def test_the_112_mission_cities_load_with_their_label_rounds(real_data: Path, data_dir: Path) -> None:
    source = real_data / "mission_cities" / "eu_mission_cities_112.csv"
    data = DataDir(data_dir)
    data.landing("mission_cities").mkdir(parents=True)
    shutil.copyfile(source, data.landing("mission_cities") / source.name)
    report = ingest_source(MISSION, data)
    assert (report.rows_accepted, report.rows_rejected) == (112, 0)
    [parquet] = [p for p in data.raw("mission_cities").glob("*.parquet") if p.stem != "_schema"]
    rows = pd.read_parquet(parquet)
    # PROVENANCE.md: R1 10, R2 23, R3 20, R4 39, R5 10 (11 awarded, one unnamed), R6 3, blank 7
    rounds = collections.Counter(rows["mission_label_round"].fillna(""))
    assert rounds == {"R1": 10, "R2": 23, "R3": 20, "R4": 39, "R5": 10, "R6": 3, "": 7}
    assert (rows["eu_member"].sum(), (~rows["eu_member"]).sum()) == (100, 12)
    swedish = rows[rows["country_iso2"] == "SE"]
    assert sorted(swedish["city"]) == ["Gothenburg", "Gävle", "Helsingborg", "Lund", "Malmö", "Stockholm", "Umeå"]
    assert swedish["swedish_klimatkontrakt_city"].all()
    # R4 was published by month only: stored as the first of the month
    r4 = set(rows.loc[rows["mission_label_round"] == "R4", "mission_label_date"])
    assert r4 == {dt.date(2025, 5, 1)}
    assert rows["ccc_status"].isna().all()  # that column is not in the public register
    assert rows["source_row"].min() == 2 and rows["source_row"].max() == 113


def test_ecb_history_fetched_over_https_gives_the_published_annual_averages(
    real_data: Path, data_dir: Path, tmp_path: Path
) -> None:
    cert = make_cert(tmp_path)
    csv_bytes = (real_data / "ecb_fx" / "eurofxref-hist.csv").read_bytes()
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("eurofxref-hist.csv", csv_bytes)  # the ECB ships the history zipped
    _Handler.routes = {"/stats/eurofxref/eurofxref-hist.zip": (200, {}, archive.getvalue())}
    server, _ = _serve(cert)
    try:
        import dataclasses

        ecb = load_contract(SOURCES_DIR / "ecb_rates")
        url = f"https://127.0.0.1:{server.server_address[1]}/stats/eurofxref/eurofxref-hist.zip"
        contract = dataclasses.replace(ecb, connector=dataclasses.replace(ecb.connector, url=url))
        result = fetch(
            contract,
            DataDir(data_dir),
            today=dt.date(2025, 5, 9),
            env={},
            ssl_context=ssl.create_default_context(cafile=str(cert[0])),
            use_env_proxy=False,
        )
    finally:
        server.shutdown()
    assert result.status == "fetched" and result.path.read_bytes() == csv_bytes
    checked = validate(read_file(result.path, result.path.name, ecb), ecb)
    assert checked.rejected.empty
    sek = checked.accepted[checked.accepted["currency"] == "SEK"]
    by_year: dict[int, list[float]] = collections.defaultdict(list)
    for day, rate in zip(sek["rate_date"], sek["units_per_eur"], strict=True):
        by_year[day.year].append(rate)
    published = {2019: 10.5891, 2020: 10.4848, 2021: 10.1465, 2022: 10.6296, 2023: 11.4788, 2024: 11.4325}
    assert {y: round(sum(by_year[y]) / len(by_year[y]), 4) for y in published} == published


def test_the_real_smhi_co2_export_is_accepted_and_says_it_feeds_no_greenhouse_gas_indicator(
    real_data: Path, data_dir: Path
) -> None:
    """Klimatkollen's copy of SMHI's Länsrapport for CO2 (2024-04-18): every value is accepted, and the delivery
    record says plainly that its substance is not the one the indicators read (total greenhouse gases)."""
    from openpyxl import load_workbook

    from sources.lib.state import source_state

    source = real_data / "klimatkollen" / "smhi_lansrapport_co2_2022_raw.xlsx"
    smhi = load_contract(SOURCES_DIR / "smhi_emissions")
    wb = load_workbook(source, read_only=True)  # counted with openpyxl, not the pipeline's reader
    rows = list(wb.active.iter_rows(values_only=True))
    wb.close()
    header = next(i for i, r in enumerate(rows) if r[0] == "Huvudsektor")
    years = [v for v in rows[header - 1][4:] if v is not None]
    values = sum(1 for r in rows[header + 1 :] if any(v is not None for v in r)) * len(years)
    data = DataDir(data_dir)
    data.landing(smhi.name).mkdir(parents=True)
    shutil.copyfile(source, data.landing(smhi.name) / source.name)
    [result] = ingest_source(smhi, data).new_files
    assert (result.status, result.rows_accepted, result.rows_rejected) == ("accepted", values, 0)
    assert values == 232_128  # the figure: 19,344 rows x 12 years
    assert result.published_on == dt.date(2024, 4, 18)  # "Rapportnamn: Länsrapport, 2024-04-18"
    assert result.delivery_scope == "substance=Koldioxid (CO2)"
    assert result.warning_rule == "not_read_by_indicators"
    assert "'Koldioxid (CO2)'" in result.warning_message and "'Totala växthusgaser'" in result.warning_message
    state = source_state(smhi, data)
    assert (state.state, state.warning_rule) == ("delivered", "not_read_by_indicators")
