"""Each contract's cadence gives when its next delivery is due, and the dbt source freshness of its raw table says
the same; every contract gives the Swedish workbook its title, publisher and licence."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sources.lib.cadence import CadenceError, due_after_days, rhythm
from sources.lib.contract import TRANSLATED, discover_contracts

REPO = Path(__file__).resolve().parents[2]


def _dbt_source_tables() -> dict[str, tuple[Path, dict[str, object]]]:
    """The raw asset's source name -> (its sources YAML, the table's config), for every dbt source table that is
    an ingest asset."""
    found = {}
    for path in sorted((REPO / "dbt_project/models/staging").glob("*/_*__sources.yml")):
        for source in yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]:
            for table in source.get("tables", []):
                config = table.get("config") or {}
                key = (config.get("meta") or {}).get("dagster", {}).get("asset_key")
                if key and key[0] == "raw":
                    found[key[1]] = (path, config)
    return found


def test_cadences_name_their_rhythm() -> None:
    assert rhythm("yearly (published about 1.5 years after the year it covers)") == "yearly"
    assert rhythm("on change (at least yearly, after the December signing)") == "yearly"
    assert rhythm("daily (published around 16:00 CET)") == "daily"
    assert due_after_days("quarterly") == 92 + 15
    assert due_after_days("monthly (CORDIS refreshes the export about monthly)") == 31 + 7
    with pytest.raises(CadenceError, match="names no delivery rhythm"):
        rhythm("whenever")


def test_every_source_has_a_freshness_window_equal_to_its_contract_cadence() -> None:
    tables = _dbt_source_tables()
    for contract in discover_contracts():
        assert contract.name in tables, f"no dbt source table for {contract.name} (meta.dagster.asset_key)"
        path, config = tables[contract.name]
        days = due_after_days(contract.cadence)
        expected = {"warn_after": {"count": days, "period": "day"}}
        assert config.get("loaded_at_field") == "vintage_at", f"{path}: loaded_at_field: vintage_at"
        assert config.get("freshness") == expected, (
            f"{path}: the contract's cadence {contract.cadence!r} makes the next delivery due {days} days after "
            f"the newest; write freshness: {{warn_after: {{count: {days}, period: day}}}}"
        )


def test_every_source_is_translated_for_the_swedish_workbook() -> None:
    for contract in discover_contracts():
        for field in TRANSLATED:
            text = contract.text(field, "sv")
            assert text, f"sources/{contract.name}/source.yaml: translations.sv.{field} is missing"
            assert text != contract.text(field, "en") or field == "publisher", f"{contract.name}: {field} untranslated"
