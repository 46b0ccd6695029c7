"""Each source's state for a revision, as the cover and the data-quality sheet show it: built by dbt from delivery
records written here (the records ingest keeps in raw/_deliveries) and the state sources/lib/state.py writes for every
contract, delivered or not (raw/_sources/_<source>.parquet)."""

import json
import os
import subprocess
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from orchestration.lib.dbt_project import DBT_EXECUTABLE
from sources.lib.ingest import DELIVERY_COLUMNS
from sources.lib.paths import REPO_ROOT, DataDir
from sources.lib.state import write_source_state

pytestmark = pytest.mark.integration

# source: its deliveries, oldest first (file name, status, rows accepted)
DELIVERIES = {
    "src_corrected": [("v1.csv", "accepted", 10), ("v2.csv", "rejected", 0)],
    "src_rejected": [("only.csv", "rejected", 0)],
    "src_delivered": [("old.csv", "accepted", 5), ("new.csv", "accepted_with_rejections", 7)],
    "src_empty": [("header_only.csv", "accepted", 0)],
    "src_never": [],
}
EXPECTED = {
    # state, file used (the newest accepted), rejected newest file
    "src_corrected": ("newest_rejected", "v1.csv", "v2.csv"),
    "src_rejected": ("rejected", None, "only.csv"),
    "src_delivered": ("delivered", "new.csv", None),
    "src_empty": ("no_rows", "header_only.csv", None),
    "src_never": ("no_delivery", None, None),
}


def test_every_contract_source_has_its_state(tmp_path: Path) -> None:
    root = tmp_path / "var"
    (root / "raw" / "_deliveries").mkdir(parents=True)
    for i, (source, files) in enumerate(DELIVERIES.items()):
        (root / "raw" / source).mkdir()
        pq.write_table(
            pa.table({"source_file_sha256": pa.array([], pa.string())}), root / "raw" / source / "_schema.parquet"
        )
        records = []
        for j, (name, status, rows) in enumerate(files):
            record = {
                "source": source, "source_title": f"Title of {source}", "publisher": "P", "licence": "L",
                "file_sha256": f"{i}{j}".ljust(64, "0"), "file_name": name, "file_bytes": 100,
                "delivered_at": pd.Timestamp(2025, 1, 1 + j, tz="UTC"), "status": status, "rows_accepted": rows,
                "rows_rejected": 0, "error_rule": "encoding" if status == "rejected" else None,
                "error_message": f"{name}: not UTF-8 [rule: encoding]" if status == "rejected" else None,
                "is_demo": False, "arrival": j + 1,
            }  # fmt: skip
            frame = pd.DataFrame([record], columns=DELIVERY_COLUMNS)
            frame.to_parquet(root / "raw" / "_deliveries" / f"{source}__{record['file_sha256']}.parquet")
            records.append(frame.iloc[0].to_dict())
        # the state ingest writes beside the records (a contract as the state needs it: name, title, delivery)
        contract = SimpleNamespace(
            name=source, title=f"Title of {source}", delivery=SimpleNamespace(blocks_publishing=False, kind="snapshot")
        )
        write_source_state(contract, DataDir(root), records=records)
    done = subprocess.run(
        [str(DBT_EXECUTABLE), "build", "--profiles-dir", ".", "--target-path",
         str(root / "dbt_target"), "--select", "stg_pipeline__source_states", "stg_pipeline__deliveries",
         "int_source_states", "rpt_source_vintages", "--vars", json.dumps({"as_of_date": "2025-07-15"}), "--quiet"],
        cwd=REPO_ROOT / "dbt_project", env={**os.environ, "VC_DATA_DIR": str(root)}, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:]
    con = duckdb.connect(str(root / "warehouse.duckdb"), read_only=True)
    try:
        rows = con.execute(
            "select source_name, source_state, used_file_name, rejected_file_name, rejected_error_rule, "
            "has_accepted_rows, files_delivered, files_rejected, rows_accepted from reports.rpt_source_vintages"
        ).fetchall()
    finally:
        con.close()
    got = {r[0]: r[1:] for r in rows}
    assert set(got) == set(DELIVERIES)  # the source never delivered is listed too
    for source, (state, used, rejected) in EXPECTED.items():
        files = DELIVERIES[source]
        accepted_rows = sum(n for _, status, n in files if status != "rejected")
        assert got[source] == (
            state,
            used,
            rejected,
            "encoding" if rejected else None,
            accepted_rows > 0,
            len(files),
            sum(1 for _, status, _ in files if status == "rejected"),
            accepted_rows,
        ), source
