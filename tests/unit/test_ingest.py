"""Landing -> archive -> raw: content-addressed, idempotent, lineage on every row, nothing lost."""

import json
import os
from pathlib import Path

import pandas as pd

from sources.lib.contract import load_contract
from sources.lib.ingest import LINEAGE_COLUMNS, ingest_source, newest_delivery
from sources.lib.paths import SOURCES_DIR, DataDir

REGISTER = load_contract(SOURCES_DIR / "klimatkontrakt_register")
HEADER = "Kommunkod;Kommun;Våg;Anslutningsdatum;Utträdesdatum;Senaste kontraktsversion;Myndigheter\n"


def _drop(data: DataDir, name: str, text: str, mtime: float | None = None) -> Path:
    folder = data.landing("klimatkontrakt_register")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def test_same_bytes_twice_change_nothing_and_new_bytes_are_a_new_vintage(data_dir: Path) -> None:
    data = DataDir(data_dir)
    _drop(data, "register.csv", HEADER + "0180;Stockholm;2019;2019-06-01;;2025;x\n", mtime=1_700_000_000)
    first = ingest_source(REGISTER, data)
    assert [(f.status, f.rows_accepted) for f in first.new_files] == [("accepted", 1)]

    _drop(data, "register-copy.csv", HEADER + "0180;Stockholm;2019;2019-06-01;;2025;x\n")  # same bytes, new name
    again = ingest_source(REGISTER, data)
    assert again.new_files == [] and again.already_ingested == 1
    assert len(list(data.archive("klimatkontrakt_register").glob("*.json"))) == 1

    _drop(
        data, "register.csv", HEADER + "0180;Stockholm;2019;2019-06-01;;2025;x\n1480;Göteborg;2019;2019-06-01;;2025;x\n"
    )
    newer = ingest_source(REGISTER, data)
    assert [f.rows_accepted for f in newer.new_files] == [2]
    raw = pd.concat(pd.read_parquet(p) for p in data.raw("klimatkontrakt_register").glob("*.parquet"))
    assert len(raw) == 3  # both vintages kept; staging picks the newest per key
    assert list(raw.columns[-len(LINEAGE_COLUMNS) :]) == LINEAGE_COLUMNS
    assert raw["vintage_at"].nunique() == 2


def test_archive_is_immutable_and_content_addressed(data_dir: Path) -> None:
    data = DataDir(data_dir)
    path = _drop(data, "register.csv", HEADER + "0180;Stockholm;2019;2019-06-01;;2025;x\n")
    ingest_source(REGISTER, data)
    [stored] = [p for p in data.archive("klimatkontrakt_register").iterdir() if p.suffix != ".json"]
    assert stored.read_bytes() == path.read_bytes()
    assert stored.stat().st_mode & 0o222 == 0  # read-only
    meta = json.loads(stored.with_name(stored.name + ".json").read_text())
    assert meta["file_name"] == "register.csv"


def test_rejected_rows_go_to_quarantine_with_their_reason(data_dir: Path) -> None:
    data = DataDir(data_dir)
    _drop(
        data, "register.csv", HEADER + "0180;Stockholm;2019;2019-06-01;;2025;x\n9999;Nowhere;2019;2019-06-01;;2025;x\n"
    )
    report = ingest_source(REGISTER, data)
    assert (report.rows_accepted, report.rows_rejected) == (1, 1)
    [rows] = list(data.quarantine("klimatkontrakt_register").glob("*.rows.parquet"))
    quarantined = pd.read_parquet(rows)
    assert quarantined[["row", "column", "rule", "value"]].values.tolist() == [
        [3, "municipality_code", "municipality_code", "9999"]
    ]
    assert quarantined["file_name"].tolist() == ["register.csv"]


def test_the_run_is_told_the_first_rejected_row_by_its_place_in_the_file(data_dir: Path) -> None:
    """The progress line quotes the first rejected row of the file (by line, whichever column broke), so a data
    engineer sees what to correct without opening the quarantine."""
    data = DataDir(data_dir)
    _drop(
        data, "register.csv", HEADER + "0180;Stockholm;2019;2019-13-01;;2025;x\n9999;Nowhere;2019;2019-06-01;;2025;x\n"
    )
    [result] = ingest_source(REGISTER, data).new_files
    assert (result.status, result.rows_rejected) == ("accepted_with_rejections", 2)
    assert result.first_rejection == "Anslutningsdatum (line 2): '2019-13-01' is not a calendar date"


def test_unreadable_file_is_quarantined_whole_and_blocks_until_corrected(data_dir: Path) -> None:
    data = DataDir(data_dir)
    _drop(data, "register.csv", "Kommunkod,Kommun\n0180,Stockholm\n", mtime=1_700_000_000)
    report = ingest_source(REGISTER, data)
    assert report.new_files[0].status == "rejected"
    assert "wrong_separator" in report.new_files[0].error
    [record] = list(data.quarantine("klimatkontrakt_register").glob("*.file.json"))
    assert json.loads(record.read_text())["rule"] == "wrong_separator"
    assert newest_delivery(REGISTER, data)["status"] == "rejected"

    _drop(data, "register-fixed.csv", HEADER + "0180;Stockholm;2019;2019-06-01;;2025;x\n", mtime=1_700_000_100)
    ingest_source(REGISTER, data)
    assert newest_delivery(REGISTER, data)["status"] == "accepted"


def test_nothing_in_landing_still_gives_dbt_an_empty_table(data_dir: Path) -> None:
    data = DataDir(data_dir)
    ingest_source(REGISTER, data)
    empty = pd.read_parquet(data.raw("klimatkontrakt_register") / "_schema.parquet")
    assert empty.empty and "municipality_code" in empty.columns and "vintage_at" in empty.columns
