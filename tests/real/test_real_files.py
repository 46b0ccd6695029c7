"""The real public files in ../shared/data/real parse to the figures their PROVENANCE notes publish."""

import datetime as dt
from collections import defaultdict
from pathlib import Path

import pytest

from sources.lib.cells import RawTable
from sources.lib.contract import load_contract
from sources.lib.paths import SOURCES_DIR
from sources.lib.validate import validate

pytestmark = pytest.mark.real_data


def _parse(source: str, path: Path) -> tuple[RawTable, object]:
    contract = load_contract(SOURCES_DIR / source)
    table = contract.parser().parse(path, path.name, contract)
    return table, validate(table, contract)


def test_smhi_lansrapport_national_total_and_sectors(real_data: Path) -> None:
    _, checked = _parse("smhi_emissions", real_data / "klimatkollen" / "smhi_lansrapport_co2_2022_raw.xlsx")
    assert checked.rejected.empty
    rows = checked.accepted
    assert set(rows["substance"]) == {"Koldioxid (CO2)"}
    national = rows[(rows.main_sector == "Alla") & (rows.county_name == "Alla") & (rows.municipality_name == "Alla")]
    by_year = dict(zip(national["year"], national["emissions_t"], strict=True))
    assert by_year[1990] == pytest.approx(57_880_523, abs=1)  # PROVENANCE: national total 57,880,523 t in 1990
    main = rows[(rows.main_sector != "Alla") & (rows.sub_sector == "Alla") & (rows.municipality_name != "Alla")]
    assert main["main_sector"].nunique() == 9
    assert main["municipality_name"].nunique() == 290
    # the first data row is Excel row 7, below four report-header rows, the year row and the header row
    assert int(rows["source_row"].min()) == 7


def test_scb_population_2024(real_data: Path) -> None:
    _, checked = _parse("scb_population", real_data / "scb" / "be0101_tabhel2024.xlsx")
    assert checked.rejected.empty
    rows = checked.accepted
    population = dict(zip(rows["region_code"], rows["population"], strict=True))
    assert set(rows["year"]) == {2024}
    assert population["00"] == 10_587_710
    assert (rows["region_level"] == "municipality").sum() == 290
    assert (population["0180"], population["1480"], population["1280"], population["0380"]) == (
        995_574,
        608_993,
        365_644,
        248_016,
    )


def test_scb_population_2023(real_data: Path) -> None:
    _, checked = _parse("scb_population", real_data / "scb" / "be0101_tabhel2023.xlsx")
    rows = checked.accepted
    assert dict(zip(rows["region_code"], rows["population"], strict=True))["00"] == 10_551_707
    assert (rows["region_level"] == "municipality").sum() == 290


def test_ecb_eur_sek_annual_averages(real_data: Path) -> None:
    _, checked = _parse("ecb_rates", real_data / "ecb_fx" / "eurofxref-hist.csv")
    assert checked.rejected.empty
    sek = checked.accepted[checked.accepted["currency"] == "SEK"]
    by_year: dict[int, list[float]] = defaultdict(list)
    for day, rate in zip(sek["rate_date"], sek["units_per_eur"], strict=True):
        by_year[day.year].append(rate)
    published = {2019: 10.5891, 2020: 10.4848, 2021: 10.1465, 2022: 10.6296, 2023: 11.4788, 2024: 11.4325}
    for year, average in published.items():
        assert round(sum(by_year[year]) / len(by_year[year]), 4) == average
    assert max(sek["rate_date"]) == dt.date(2025, 5, 9)
