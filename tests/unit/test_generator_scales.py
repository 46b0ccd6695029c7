"""The demo generator's scales: deterministic, and the advertised row counts (checked at a small scale)."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

import pytest

from sources.demo import generate, world
from sources.funding_ledger import demo as funding_demo
from sources.lib.contract import load_contract
from sources.lib.ingest import read_file
from sources.lib.paths import REPO_ROOT
from sources.lib.validate import validate

# `europe` with its sizes divided down: the same code paths (the large-sheet writer, the European cities' source,
# synthetic CORDIS projects, the ledger over 40 quarters), in seconds.
SMALL_EUROPE = dataclasses.replace(
    world.SCALES["europe"],
    name="small-europe",
    emission_years=tuple(range(1990, 1996)),
    funding_records=150,
    eu_cities=40,
    cordis_extra_projects=30,
)


def _digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_advertised_scales() -> None:
    europe, sweden = world.SCALES["europe"], world.SCALES["sweden"]
    assert len(europe.emission_years) == 35 and europe.eu_sectors == 9 and europe.eu_cities == 12_000
    assert generate.expected_rows(europe)["eu_city_emissions"] == 3_780_000
    rows = generate.expected_rows(europe)
    assert rows["funding_ledger"] + rows["cordis_organizations"] >= 500_000  # ledger records + CORDIS participations
    assert (dt_first := europe.funding_from).year == 2016 and dt_first.month == 10  # 2016Q4..2026Q3: 40 quarters
    assert len(sweden.emission_years) == 35 and len(world.load_municipalities()) == 290
    assert generate.expected_rows(world.SCALES["demo"])["eu_city_emissions"] == 0


def test_a_scale_is_deterministic_and_yields_its_row_counts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(funding_demo, "BIG_SHEET_ROWS", 100)  # the ledger goes through the large-sheet writer
    first, second = tmp_path / "a", tmp_path / "b"
    generate.write_demo(first, SMALL_EUROPE)
    generate.write_demo(second, SMALL_EUROPE)
    assert _digests(first) == _digests(second)

    expected = generate.expected_rows(SMALL_EUROPE)
    for source, rows in expected.items():
        contract = load_contract(REPO_ROOT / "sources" / source)
        files = sorted((first / source).glob(contract.landing_glob))
        assert len(files) == 1, source
        checked = validate(read_file(files[0], files[0].name, contract), contract)
        assert checked.rejected.empty, (source, checked.rejected.head().to_dict("records"))
        assert len(checked.accepted) == rows, source


def test_make_demo_writes_the_demo_files(tmp_path: Path) -> None:
    """`make demo` runs the module: it writes what write_demo writes (it once wrote nothing at all)."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "sources.demo.generate", "--landing", str(tmp_path / "landing")],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    expected = generate.write_demo(tmp_path / "direct")
    written = sorted(p.relative_to(tmp_path / "landing") for p in (tmp_path / "landing").glob("*/*") if p.is_file())
    assert written == sorted(
        p.relative_to(tmp_path / "direct") for p in (tmp_path / "direct").glob("*/*") if p.is_file()
    )
    assert f"wrote {len(expected)} demo files under {tmp_path / 'landing'}" in done.stdout
