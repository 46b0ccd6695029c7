"""The demo reads like Sweden: populations, emissions and EUR/SEK drawn around the committed public reference
figures (sources/demo/reference, derived from SCB, SMHI via Klimatkollen and the ECB), checked on the files the
generator writes. The reference table itself is checked against the real public files when they are present."""

from __future__ import annotations

import csv
import io
import statistics
from collections import defaultdict
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sources.demo import generate, world
from sources.demo.reference import derive
from sources.ecb_rates import demo as ecb_demo

REFERENCE = world.REFERENCE_DIR


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("realism") / "landing"
    generate.write_demo(root)
    return root


def _population(landing: Path, year: int) -> dict[str, int]:
    ws = load_workbook(landing / "scb_population" / f"be0101_tabhel{year}.xlsx", read_only=True)["Totalt"]
    return {str(r[0]): r[2] for r in ws.iter_rows(values_only=True) if r[0] and len(str(r[0])) == 4}


def _emissions(landing: Path) -> dict[str, dict[int, float]]:
    names = {(m.name, m.county_name): m.code for m in world.load_municipalities()}
    ws = load_workbook(landing / "smhi_emissions" / "smhi_lansrapport_ggt_2026-06-12.xlsx", read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    years = list(rows[4][4:])
    out: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for sector, _, county, municipality, *values in rows[6:]:
        if sector != "Alla" and municipality != "Alla":
            for year, value in zip(years, values, strict=True):
                out[names[(municipality, county)]][year] += value
    return out


def test_places_look_their_size(landing: Path) -> None:
    population = _population(landing, 2024)
    assert 5_000 <= population["0560"] <= 6_000  # Boxholm (SCB 2024: 5,517)
    assert 21_000 <= population["2584"] <= 23_500  # Kiruna (22,426)
    assert 980_000 <= population["0180"] <= 1_010_000  # Stockholm (995,574)
    emissions = _emissions(landing)
    assert 1.8e6 <= emissions["0180"][2015] <= 2.1e6  # Stockholm, SMHI 2015: 1,965,627 t
    assert 0.9e6 <= emissions["0180"][2024] <= 1.15e6  # 2024: 1,021,234 t
    per_capita = emissions["0180"][2024] / population["0180"]
    assert 0.9 <= per_capita <= 1.2  # about 1 t per inhabitant, not 12


def test_contract_municipalities_are_not_worse_per_capita(landing: Path) -> None:
    text = (landing / "klimatkontrakt_register" / "klimatkontrakt_register.csv").read_text(encoding="utf-8-sig")
    members = {r["Kommunkod"] for r in csv.DictReader(io.StringIO(text), delimiter=";")}
    population, emissions = _population(landing, 2024), _emissions(landing)
    wave_1_2 = {m.code for m, wave, _ in world.build_world().register if wave < 2025}

    def per_capita(codes: set[str]) -> float:
        return sum(emissions[c][2024] for c in codes) / sum(population[c] for c in codes)

    others = set(population) - members
    assert per_capita(members) < per_capita(others)
    assert per_capita(wave_1_2) < 0.7 * per_capita(others)  # the real 23: 2.6 t against about 5 t elsewhere


def test_eur_sek_in_its_real_range(landing: Path) -> None:
    lines = (landing / "ecb_rates" / "eurofxref-hist.csv").read_text().splitlines()
    sek = lines[0].split(",").index("SEK")
    by_year: dict[int, list[float]] = defaultdict(list)
    for line in lines[1:]:
        fields = line.split(",")
        by_year[int(fields[0][:4])].append(float(fields[sek]))
    reference = ecb_demo.eur_sek_reference()
    for year, rates in by_year.items():
        if year >= 2019:  # the real range: 9.90 (2021) to 11.99 (2023)
            assert min(rates) >= 9.85 and max(rates) <= 12, year
        if year in reference:
            mean, low, high = reference[year]
            assert low <= min(rates) and max(rates) <= high, year
            assert statistics.mean(rates) == pytest.approx(mean, rel=0.025), year


def test_the_reference_table_is_what_the_public_files_say(real_data: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(derive, "HERE", tmp_path)
    derive.derive(real_data)
    for name in ("municipalities.csv", "eur_sek.csv"):
        assert (tmp_path / name).read_text(encoding="utf-8") == (REFERENCE / name).read_text(encoding="utf-8"), name
    assert "Licences" in (REFERENCE / "PROVENANCE.md").read_text(encoding="utf-8")
