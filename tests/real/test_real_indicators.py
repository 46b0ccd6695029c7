"""The warehouse's emission and population indicators on real public data match the published figures.

Real SCB population tables (BE0101, 2023 and 2024) go into landing as they are; the real per-municipality and
per-sector emissions (SMHI via Klimatkollen, t CO2e) are written into the Länsrapport layout SMHI exports, and
the 23 municipalities of waves 2019 and 2021 into the register's format. Then ingest and `dbt build` run as in
production, and the figures are compared with klimatkollen/PROVENANCE.md and scb/PROVENANCE.md.
"""

import csv
import json
import os
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest

from orchestration.lib.dbt_project import DBT_EXECUTABLE
from sources.lib.contract import discover_contracts
from sources.lib.ingest import ingest_source
from sources.lib.paths import REPO_ROOT, DataDir
from sources.smhi_emissions.demo import lansrapport_workbook

pytestmark = [pytest.mark.real_data, pytest.mark.integration]
YEARS = [1990, 2000, 2005, 2010, 2015, 2020, 2021, 2022, 2023, 2024]


def _lansrapport(real: Path, target: Path) -> None:
    counties = {}
    with (REPO_ROOT / "dbt_project/seeds/ref_municipalities.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            counties[r["municipality_name"]] = r["county_name"]
    values: dict[tuple[str, str], dict[int, float]] = defaultdict(dict)
    with (real / "klimatkollen" / "sector_ghg_by_municipality_long.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            values[(r["municipality"], r["sector"])][int(r["year"])] = float(r["emissions_t_co2e"])
    wb, ws = lansrapport_workbook("Länsrapport", YEARS)
    for (municipality, sector), by_year in sorted(values.items()):
        ws.append([sector, "Alla", counties[municipality], municipality, *[by_year.get(y) for y in YEARS]])
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)


def _register(real: Path, target: Path) -> int:
    rows = []
    with (real / "mission_cities" / "klimatkontrakt_municipalities_known.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["wave"] in ("1", "2"):
                joined = "2019-06-01" if r["wave"] == "1" else "2021-10-01"
                rows.append([r["kommunkod"], r["kommun"], r["joined_year"], joined, "", "2025", ""])
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(
            [
                "Kommunkod",
                "Kommun",
                "Våg",
                "Anslutningsdatum",
                "Utträdesdatum",
                "Senaste kontraktsversion",
                "Myndigheter",
            ]
        )
        writer.writerows(rows)
    return len(rows)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import REAL_DATA

    if not REAL_DATA.is_dir():
        pytest.skip(f"real public data not present at {REAL_DATA}")
    root = tmp_path_factory.mktemp("real") / "var"
    landing = root / "landing"
    for year in (2023, 2024):
        (landing / "scb_population").mkdir(parents=True, exist_ok=True)
        shutil.copy(REAL_DATA / "scb" / f"be0101_tabhel{year}.xlsx", landing / "scb_population")
    _lansrapport(REAL_DATA, landing / "smhi_emissions" / "lansrapport_ggt.xlsx")
    assert _register(REAL_DATA, landing / "klimatkontrakt_register" / "register.csv") == 23
    data = DataDir(root)
    for contract in discover_contracts():
        ingest_source(contract, data)
    env = {**os.environ, "VC_DATA_DIR": str(root)}
    subprocess.run(
        [
            str(DBT_EXECUTABLE),
            "build",
            "--profiles-dir",
            ".",
            "--target-path",
            str(root / "dbt_target"),
            "--vars",
            json.dumps({"as_of_date": "2025-01-15"}),
            "--quiet",
        ],
        cwd=REPO_ROOT / "dbt_project",
        env=env,
        check=True,
    )
    return data.warehouse


def _value(
    warehouse: Path, indicator: str, period: str, geography: str = "programme", code: str | None = None
) -> float:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        row = con.execute(
            "select value from marts.fct_indicator_values where indicator_id = ? and period = ? "
            "and geography_type = ? and (? is null or geography_code = ?)",
            [indicator, period, geography, code, code],
        ).fetchone()
    finally:
        con.close()
    assert row is not None, f"no {indicator} for {period}"
    return row[0]


def test_emissions_of_the_23_match_klimatkollen(warehouse: Path) -> None:
    # PROVENANCE: "Sum over the 23 Klimatkontrakt municipalities (waves 1-2): 2015 12,552,720; 2020 9,990,288;
    # 2024 10,538,412" (t CO2e); sector sums equal the totals to within 0.025 t per municipality.
    assert _value(warehouse, "kk_emissions_kt", "2015") * 1000 == pytest.approx(12_552_720, abs=1)
    assert _value(warehouse, "kk_emissions_kt", "2020") * 1000 == pytest.approx(9_990_288, abs=1)
    assert _value(warehouse, "kk_emissions_kt", "2024") * 1000 == pytest.approx(10_538_412, abs=1)
    assert _value(warehouse, "kk_emissions_change_pct", "2024") == pytest.approx(
        100 * (10_538_412 / 12_552_720 - 1), abs=1e-4
    )


def test_population_share_of_the_23_matches_scb(warehouse: Path) -> None:
    # PROVENANCE: the 23 = 4,114,536 inhabitants = 38.9 % of Sweden (10,587,710) on 31 Dec 2024
    assert _value(warehouse, "kk_municipalities", "2024Q4") == 23
    assert _value(warehouse, "kk_population_share", "2024Q4") == pytest.approx(100 * 4_114_536 / 10_587_710, rel=1e-12)
    assert round(_value(warehouse, "kk_population_share", "2024Q4"), 1) == 38.9


def test_stockholm(warehouse: Path) -> None:
    # PROVENANCE: Stockholm 2015 1,965,627; 2024 1,021,234 (about 1.03 t per inhabitant with 995,574 inhabitants)
    assert _value(warehouse, "kk_emissions_kt", "2024", "municipality", "0180") * 1000 == pytest.approx(
        1_021_234, abs=1
    )
    assert _value(warehouse, "kk_emissions_kt", "2015", "municipality", "0180") * 1000 == pytest.approx(
        1_965_627, abs=1
    )
    per_capita = _value(warehouse, "kk_emissions_t_per_capita", "2024", "municipality", "0180")
    assert per_capita == pytest.approx(1_021_234 / 995_574, rel=1e-6)


def test_per_capita_emissions_of_the_23(warehouse: Path) -> None:
    assert _value(warehouse, "kk_emissions_t_per_capita", "2024") == pytest.approx(10_538_412 / 4_114_536, rel=1e-6)
