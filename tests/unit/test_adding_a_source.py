"""Adding a source is one folder: a new folder in a temporary sources directory is discovered, gets its ingest
asset and check from the factory, and its file is ingested to raw Parquet with lineage, with no change to
orchestration/. The worked example in docs/adding-a-source.md is the real contract."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd

from sources.lib.paths import REPO_ROOT, SOURCES_DIR

DOC = REPO_ROOT / "docs" / "adding-a-source.md"


def _doc_contract() -> str:
    [block, *_] = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    return block


def test_the_worked_example_is_the_real_contract() -> None:
    assert _doc_contract() == (SOURCES_DIR / "engagement_log" / "source.yaml").read_text(encoding="utf-8")


def test_the_worked_examples_demo_writer_and_lineage_test_are_the_real_ones() -> None:
    demo, lineage = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    assert demo == (SOURCES_DIR / "engagement_log" / "demo.py").read_text(encoding="utf-8")
    assert lineage in (REPO_ROOT / "tests" / "test_definitions.py").read_text(encoding="utf-8")


SCRIPT = """
import json
import dagster as dg
from orchestration.defs.ingest import CONTRACTS, ingest_assets
from orchestration.defs.quality import source_checks
from orchestration.resources import SETTINGS, writer_lock_resource

resources = {"settings": SETTINGS, "writer_lock": writer_lock_resource}
result = dg.materialize([*ingest_assets, source_checks], resources=resources, raise_on_error=False)
checks = [
    (e.asset_check_evaluation_data.asset_key.to_user_string(), e.asset_check_evaluation_data.check_name,
     e.asset_check_evaluation_data.passed)
    for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"
]
[mat] = result.asset_materializations_for_node(ingest_assets[0].op.name)
print(json.dumps({
    "contracts": [c.name for c in CONTRACTS],
    "assets": [k.to_user_string() for a in ingest_assets for k in a.keys],
    "success": result.success,
    "checks": checks,
    "rows_accepted": mat.metadata["rows_accepted"].value,
    "rows_rejected": mat.metadata["rows_rejected"].value,
}))
"""


def test_a_new_source_folder_is_ingested_without_touching_orchestration(tmp_path: Path) -> None:
    sources, data = tmp_path / "sources", tmp_path / "var"
    folder = sources / "partner_log"
    folder.mkdir(parents=True)
    # the worked example, as a new source under another name
    (folder / "source.yaml").write_text(
        _doc_contract().replace("name: engagement_log ", "name: partner_log "), encoding="utf-8"
    )
    (folder / "README.md").write_text("# partner_log\n", encoding="utf-8")
    landing = data / "landing" / "partner_log"
    landing.mkdir(parents=True)
    (landing / "log.csv").write_bytes(
        "\ufeffId;Partner;Typ;Nivå;Inriktning;Startdatum;Slutdatum;Kommunkod;Beskrivning\r\n"
        "ENG-1;C40 Cities;network;global;1;2019-05-01;;0180;Nätverk\r\n"
        "ENG-2;UN-Habitat;agreement;global;2;2024-05-31;2022-06-01;;slutar före start\r\n"
        "ENG-3;ICLEI;network;global;1;2019-09-01;;;\r\n".encode()
    )
    env = {**os.environ, "VC_SOURCES_DIR": str(sources), "VC_DATA_DIR": str(data)}
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr[-3000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    assert out["contracts"] == ["partner_log"] and out["assets"] == ["raw/partner_log"]
    # its source.yaml declares no dataset-level expectations: the readability check only
    assert out["success"] and sorted(out["checks"]) == [["raw/partner_log", "newest_delivery_readable", True]]
    assert (out["rows_accepted"], out["rows_rejected"]) == (2, 1)

    [parquet] = [p for p in (data / "raw" / "partner_log").glob("*.parquet") if p.stem != "_schema"]
    raw = pd.read_parquet(parquet)
    assert raw["engagement_id"].tolist() == ["ENG-1", "ENG-3"]
    assert raw["municipality_code"].iloc[0] == "0180" and raw["municipality_code"].isna().iloc[1]  # missing, not 0
    assert raw["source_row"].tolist() == [2, 4]
    assert set(raw["source_file_name"]) == {"log.csv"}
    assert raw["source_file_sha256"].iloc[0] == parquet.stem
    assert raw["vintage_at"].notna().all()
    [rows] = list((data / "quarantine" / "partner_log").glob("*.rows.parquet"))
    assert pd.read_parquet(rows)[["row", "cell", "rule"]].values.tolist() == [
        [3, "Slutdatum (line 3)", "ended_after_started"]
    ]


def test_every_source_folder_is_complete() -> None:
    """Contract, README and a dbt source whose asset key is the ingest asset's, for every folder."""
    import yaml

    from sources.lib.contract import discover_contracts

    keys = set()
    for path in (REPO_ROOT / "dbt_project" / "models" / "staging").glob("*/_*__sources.yml"):
        for source in yaml.safe_load(path.read_text(encoding="utf-8"))["sources"]:
            for table in source.get("tables", []):
                key = table.get("config", {}).get("meta", {}).get("dagster", {}).get("asset_key")
                if key:
                    keys.add(tuple(key))
    for contract in discover_contracts(SOURCES_DIR):
        assert (contract.folder / "README.md").is_file(), contract.name
        assert ("raw", contract.name) in keys, f"no dbt source table with asset_key [raw, {contract.name}]"
