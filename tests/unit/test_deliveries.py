"""Deliveries over time (issue 12): the vintage is arrival order, a rejected newest delivery leaves its source on
the last accepted one, no file can take a run down or poison the next, and landing gives up only plain files."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from sources.lib.contract import load_contract
from sources.lib.ingest import ingest_source, newest_delivery
from sources.lib.paths import SOURCES_DIR, DataDir
from sources.lib.state import source_state
from tests.fixtures.make_bad_inputs import (
    LEDGER_HEADER,
    ledger,
    ledger_row,
    poison_workbooks,
    register_csv,
    smhi_workbook,
)

REPO = Path(__file__).resolve().parents[2]
REGISTER = load_contract(SOURCES_DIR / "klimatkontrakt_register")
LEDGER = load_contract(SOURCES_DIR / "funding_ledger")
SMHI = load_contract(SOURCES_DIR / "smhi_emissions")
ECB = load_contract(SOURCES_DIR / "ecb_rates")
MALMO_LUND = [("1280", "Malmö"), ("1281", "Lund")]


def _drop(data: DataDir, source: str, name: str, content: bytes, mtime: dt.datetime | None = None) -> Path:
    folder = data.landing(source)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content)
    if mtime is not None:
        os.utime(path, (mtime.timestamp(), mtime.timestamp()))
    return path


def _meta(data: DataDir, source: str) -> list[dict[str, object]]:
    records = [
        json.loads(p.read_text(encoding="utf-8")) | {"sha256": p.stem} for p in data.archive(source).glob("*.json")
    ]
    return sorted(records, key=lambda r: int(r["arrival"]))


def _utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


# ---------------------------------------------------------------------------------------------------------------
# The vintage is arrival order


def test_a_correction_copied_with_an_old_mtime_is_the_newest_delivery(tmp_path: Path) -> None:
    data = DataDir(tmp_path / "var")
    _drop(data, REGISTER.name, "register.csv", register_csv(MALMO_LUND), _utc(2026, 9, 30, 12))
    ingest_source(REGISTER, data)
    # the correction arrives later, but `cp -p` kept the time it had on the sender's machine, a year earlier
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    _drop(data, REGISTER.name, "register-rattelse.csv", register_csv(MALMO_LUND[:1]), _utc(2025, 9, 1))
    ingest_source(REGISTER, data)
    first, second = _meta(data, REGISTER.name)
    assert (first["arrival"], second["arrival"]) == (1, 2)
    assert first["delivered_at"] == "2026-09-30T12:00:00+00:00" and first["vintage_basis"] == "file_time"
    # the file's time is before the previous delivery's: the archiving clock dates it
    assert second["vintage_basis"] == "archive_clock" and second["file_time"] == "2025-09-01T00:00:00+00:00"
    assert dt.datetime.fromisoformat(str(second["delivered_at"])) >= before
    assert newest_delivery(REGISTER, data)["file_name"] == "register-rattelse.csv"
    raw = pd.concat(pd.read_parquet(p) for p in data.raw(REGISTER.name).glob("[!_]*.parquet"))
    newest = raw[raw["vintage_at"] == raw["vintage_at"].max()]
    assert newest["municipality_code"].tolist() == ["1280"]


def test_an_mtime_in_2099_does_not_make_a_file_newest_for_ever(tmp_path: Path) -> None:
    data = DataDir(tmp_path / "var")
    _drop(data, REGISTER.name, "register.csv", register_csv(MALMO_LUND), _utc(2099, 1, 1))
    ingest_source(REGISTER, data)
    [future] = _meta(data, REGISTER.name)
    assert future["vintage_basis"] == "archive_clock"
    assert dt.datetime.fromisoformat(str(future["delivered_at"])) <= dt.datetime.now(dt.UTC)
    _drop(data, REGISTER.name, "register-2.csv", register_csv(MALMO_LUND[1:]))  # a later correction, mtime now
    ingest_source(REGISTER, data)
    first, second = _meta(data, REGISTER.name)
    assert second["arrival"] == 2 and str(second["delivered_at"]) > str(first["delivered_at"])
    assert newest_delivery(REGISTER, data)["file_name"] == "register-2.csv"


def test_files_arriving_together_are_ordered_by_their_times_and_vintages_strictly_increase(tmp_path: Path) -> None:
    data = DataDir(tmp_path / "var")
    same = _utc(2026, 2, 10, 9)
    _drop(data, REGISTER.name, "b.csv", register_csv([("1280", "Malmö")]), same)
    _drop(data, REGISTER.name, "a.csv", register_csv([("1281", "Lund")]), same)
    _drop(data, REGISTER.name, "c.csv", register_csv([("0180", "Stockholm")]), _utc(2026, 2, 1))
    ingest_source(REGISTER, data)
    got = [(m["file_name"], m["arrival"], m["delivered_at"]) for m in _meta(data, REGISTER.name)]
    assert got == [
        ("c.csv", 1, "2026-02-01T00:00:00+00:00"),
        ("a.csv", 2, "2026-02-10T09:00:00+00:00"),
        ("b.csv", 3, "2026-02-10T09:00:01+00:00"),  # the same second: one second after the one before
    ]
    records = pd.concat(pd.read_parquet(p) for p in data.deliveries.glob(f"{REGISTER.name}__*.parquet"))
    assert sorted(records["arrival"].tolist()) == [1, 2, 3]


def test_the_same_landing_gives_the_same_records_in_any_data_directory(tmp_path: Path) -> None:
    one, two = DataDir(tmp_path / "one"), DataDir(tmp_path / "two")
    _drop(one, REGISTER.name, "register.csv", register_csv(MALMO_LUND), _utc(2026, 9, 30, 12))
    _drop(one, REGISTER.name, "register-2.csv", register_csv(MALMO_LUND[:1]), _utc(2026, 10, 30, 12))
    _drop(one, LEDGER.name, "ledger.xlsx", ledger([ledger_row("VC-1")]), _utc(2026, 10, 5, 8, 30))
    shutil.copytree(one.root / "landing", two.root / "landing")  # copy2: the same file times
    for data in (one, two):
        ingest_source(REGISTER, data)
        ingest_source(LEDGER, data)
    for part in ("archive", "raw", "quarantine"):
        files = sorted(p.relative_to(one.root) for p in (one.root / part).rglob("*") if p.is_file())
        files = [f for f in files if not f.name.startswith(".")]
        assert files and files == sorted(
            f for f in (p.relative_to(two.root) for p in (two.root / part).rglob("*") if p.is_file())
            if not f.name.startswith(".")
        )  # fmt: skip
        for f in files:
            assert (one.root / f).read_bytes() == (two.root / f).read_bytes(), f


def test_the_publishers_date_is_kept_beside_the_vintage(tmp_path: Path) -> None:
    data = DataDir(tmp_path / "var")
    rows = [("Transporter", "Alla", "Skåne län", "Malmö", [1.0, 2.0])]
    _drop(data, SMHI.name, "smhi.xlsx", smhi_workbook("Totala växthusgaser", rows, [2022, 2023], "2024-04-18"))
    ecb = "Date,USD,SEK,\n2025-05-09,1.12,10.91,\n2025-05-08,1.13,10.95,\n"
    _drop(data, ECB.name, "eurofxref-hist.csv", ecb.encode(), _utc(2025, 5, 9, 16))
    ingest_source(SMHI, data)
    ingest_source(ECB, data)
    assert newest_delivery(SMHI, data)["published_on"] == dt.date(2024, 4, 18)  # "Länsrapport, 2024-04-18"
    assert newest_delivery(ECB, data)["published_on"] == dt.date(2025, 5, 9)  # its newest rate
    assert newest_delivery(ECB, data)["delivered_at"] == pd.Timestamp("2025-05-09 16:00", tz="UTC")


# ---------------------------------------------------------------------------------------------------------------
# Delivery semantics reach the rows


def test_each_row_carries_what_its_file_replaces(tmp_path: Path) -> None:
    data = DataDir(tmp_path / "var")
    _drop(data, REGISTER.name, "register.csv", register_csv(MALMO_LUND))
    rows = [("Transporter", "Alla", "Skåne län", "Malmö", [1.0])]
    _drop(data, SMHI.name, "co2.xlsx", smhi_workbook("Koldioxid (CO2)", rows, [2022]))
    cordis = load_contract(SOURCES_DIR / "cordis_projects")
    _drop(data, cordis.name, "project.csv", b'"id";"acronym";"status";"title"\n"1";"A";"SIGNED";"T"\n')
    for contract in (REGISTER, SMHI, cordis):
        ingest_source(contract, data)

    def scopes(source: str) -> set[object]:
        [path] = data.raw(source).glob("[!_]*.parquet")
        return set(pd.read_parquet(path)["delivery_scope"].astype(object).where(lambda s: s.notna(), None))

    assert scopes(REGISTER.name) == {"*"}  # a snapshot of the whole register
    assert scopes(SMHI.name) == {"substance=Koldioxid (CO2)"}  # a snapshot of one substance
    assert scopes(cordis.name) == {None}  # an increment
    assert newest_delivery(SMHI, data)["delivery_scope"] == "substance=Koldioxid (CO2)"
    assert newest_delivery(cordis, data)["delivery_kind"] == "increment"


def test_a_co2_only_export_says_it_feeds_no_indicator(tmp_path: Path) -> None:
    data = DataDir(tmp_path / "var")
    rows = [("Transporter", "Alla", "Skåne län", "Malmö", [1.0])]
    _drop(data, SMHI.name, "co2.xlsx", smhi_workbook("Koldioxid (CO2)", rows, [2022]))
    ingest_source(SMHI, data)
    record = newest_delivery(SMHI, data)
    assert (record["status"], record["warning_rule"]) == ("accepted", "not_read_by_indicators")
    assert "Koldioxid (CO2)" in record["warning_message"] and "Totala växthusgaser" in record["warning_message"]
    assert source_state(SMHI, data).warning_rule == "not_read_by_indicators"


# ---------------------------------------------------------------------------------------------------------------
# Isolation: a rejected newest delivery


def test_a_rejected_newest_ledger_leaves_it_on_the_last_accepted_one(tmp_path: Path) -> None:
    data = DataDir(tmp_path / "var")
    _drop(data, LEDGER.name, "ledger-q2.xlsx", ledger([ledger_row("VC-1")]), _utc(2026, 7, 5))
    ingest_source(LEDGER, data)
    truncated = ledger([ledger_row("VC-1"), ledger_row("VC-2")])
    _drop(data, LEDGER.name, "ledger-q3.xlsx", truncated[: len(truncated) // 2], _utc(2026, 10, 5))
    ingest_source(LEDGER, data)
    state = source_state(LEDGER, data)
    assert (state.state, state.publishing_blocked) == ("newest_rejected", False)
    assert (state.file_name, state.newest_file_name, state.newest_error_rule) == (
        "ledger-q2.xlsx", "ledger-q3.xlsx", "corrupt_zip"
    )  # fmt: skip
    assert [p.name for p in data.raw(LEDGER.name).glob("[!_]*.parquet")] == [f"{state.file_sha256}.parquet"]
    stored_file = data.source_states / f"_{LEDGER.name}.parquet"
    stored = pd.read_parquet(stored_file).iloc[0]
    assert (stored["state"], stored["file_name"], stored["message"]) == (
        "newest_rejected",
        "ledger-q2.xlsx",
        state.message,
    )
    written = stored_file.stat().st_mtime_ns
    ingest_source(LEDGER, data)  # nothing new: the state file is left as it is (the warehouse is not rebuilt)
    assert stored_file.stat().st_mtime_ns == written


def test_a_rejected_newest_register_blocks_publishing(tmp_path: Path) -> None:
    data = DataDir(tmp_path / "var")
    _drop(data, REGISTER.name, "register.csv", register_csv(MALMO_LUND), _utc(2026, 9, 30))
    ingest_source(REGISTER, data)
    _drop(data, REGISTER.name, "register-2.csv", register_csv(MALMO_LUND).replace(b";", b","), _utc(2026, 10, 30))
    ingest_source(REGISTER, data)
    state = source_state(REGISTER, data)
    assert (state.state, state.publishing_blocked, state.newest_error_rule) == (
        "newest_rejected", True, "wrong_separator"
    )  # fmt: skip
    assert "blocks publishing" in state.message
    _drop(data, REGISTER.name, "register-3.csv", register_csv(MALMO_LUND[:1]), _utc(2026, 11, 2))
    ingest_source(REGISTER, data)
    assert (source_state(REGISTER, data).state, source_state(REGISTER, data).publishing_blocked) == ("delivered", False)


def test_states_without_a_usable_delivery(tmp_path: Path) -> None:
    data = DataDir(tmp_path / "var")
    ingest_source(LEDGER, data)
    assert source_state(LEDGER, data).state == "no_delivery"
    assert pd.read_parquet(data.source_states / f"_{LEDGER.name}.parquet")["state"].tolist() == ["no_delivery"]
    _drop(data, LEDGER.name, "empty.xlsx", b"")
    ingest_source(LEDGER, data)
    assert (source_state(LEDGER, data).state, source_state(LEDGER, data).newest_error_rule) == (
        "nothing_accepted", "empty_file"
    )  # fmt: skip
    # a workbook whose every row is rejected does not replace the ledger before it
    _drop(data, LEDGER.name, "good.xlsx", ledger([ledger_row("VC-1")]))
    ingest_source(LEDGER, data)
    _drop(data, LEDGER.name, "all-bad.xlsx", ledger([ledger_row("VC-1", Belopp="n/a")]))
    ingest_source(LEDGER, data)
    state = source_state(LEDGER, data)
    assert (state.state, state.file_name, state.newest_error_rule) == (
        "newest_rejected",
        "good.xlsx",
        "no_row_accepted",
    )


# ---------------------------------------------------------------------------------------------------------------
# No file can crash a run or poison later ones


def test_poison_workbooks_are_quarantined_and_later_runs_pass(tmp_path: Path) -> None:
    data = DataDir(tmp_path / "var")
    cases = poison_workbooks()
    for case, content in cases:
        _drop(data, LEDGER.name, case.file, content)
    _drop(data, LEDGER.name, "zz-good.xlsx", ledger([ledger_row("VC-1")]))
    started = time.monotonic()
    report = ingest_source(LEDGER, data)  # this process survives the one that made calamine abort
    assert time.monotonic() - started < 30
    results = {f.file_name: f for f in report.new_files}
    for case, _ in cases:
        assert (results[case.file].status, results[case.file].error_rule) == ("rejected", case.rule), case.name
        record = json.loads((data.quarantine(LEDGER.name) / f"{results[case.file].sha256}.file.json").read_text())
        assert record["file_name"] == case.file and record["rule"] == case.rule
        assert f"file {case.file}" in record["message"] and f"[rule: {case.rule}]" in record["message"]
    assert results["zz-good.xlsx"].status == "accepted"
    again = ingest_source(LEDGER, data)
    assert again.new_files == [] and again.already_ingested == len(cases) + 1
    for case, _ in cases:
        (data.landing(LEDGER.name) / case.file).unlink()
    assert ingest_source(LEDGER, data).already_ingested == len(cases) + 1


def test_a_file_whose_ingest_was_killed_is_not_retried_once_it_left_landing(tmp_path: Path) -> None:
    """A real interruption: the ingest process is killed (SIGKILL) while its reader works on a large file."""
    data = DataDir(tmp_path / "var")
    rows = [(f"{c:04d}", "x") for c in (114, 115, 117, 120, 123, 125, 126, 127, 128, 136, 138, 139, 140, 160, 162)]
    big = register_csv(rows) + b"".join(b"0114;x;2019;2019-06-01;;2025;" + b"y" * 80 + b"\n" for _ in range(300_000))
    path = _drop(data, REGISTER.name, "register.csv", big)
    script = (
        "import sys; sys.path.insert(0, '.');"
        "from sources.lib.contract import load_contract; from sources.lib.ingest import ingest_source;"
        "from pathlib import Path; from sources.lib.paths import SOURCES_DIR, DataDir;"
        f"ingest_source(load_contract(SOURCES_DIR / 'klimatkontrakt_register'), DataDir(Path({str(data.root)!r})))"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=REPO)
    deadline = time.monotonic() + 60
    while not list(data.quarantine(REGISTER.name).glob(".*.ingesting")):  # the reader has the file
        assert time.monotonic() < deadline and proc.poll() is None, "the ingest ended before it could be killed"
        time.sleep(0.01)
    proc.kill()
    proc.wait()
    assert not list(data.deliveries.glob(f"{REGISTER.name}__*.parquet"))  # archived, no delivery record
    path.unlink()
    report = ingest_source(REGISTER, data)  # not read again: it is no longer in landing
    [result] = report.new_files
    assert (result.status, result.error_rule) == ("rejected", "ingest_interrupted")
    assert not list(data.raw(REGISTER.name).glob("[!_]*.parquet"))
    assert ingest_source(REGISTER, data).new_files == []  # and not on any later run
    path.write_bytes(big)  # back in landing: ingested
    [again] = ingest_source(REGISTER, data).new_files
    assert again.status == "accepted_with_rejections" and again.rows_accepted == len(rows)


# ---------------------------------------------------------------------------------------------------------------
# Landing hygiene


def test_a_landing_folder_that_is_a_link_is_not_read(tmp_path: Path) -> None:
    data = DataDir(tmp_path / "var")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "register.csv").write_bytes(register_csv(MALMO_LUND))
    (data.root / "landing").mkdir(parents=True)
    os.symlink(elsewhere, data.landing(REGISTER.name))
    report = ingest_source(REGISTER, data)
    assert report.new_files == [] and [r.rule for r in report.refused] == ["landing_folder_is_a_link"]
    assert not [p for p in data.archive(REGISTER.name).iterdir() if not p.name.startswith(".")]
    # the same for the landing folder above the sources'
    other = DataDir(tmp_path / "other")
    other.root.mkdir()
    os.symlink(tmp_path / "var" / "landing", other.root / "landing")
    assert [r.rule for r in ingest_source(REGISTER, other).refused] == ["landing_folder_is_a_link"]


def test_hard_links_fifos_and_symlinks_in_landing_are_refused_without_opening(tmp_path: Path) -> None:
    data = DataDir(tmp_path / "var")
    folder = data.landing(REGISTER.name)
    folder.mkdir(parents=True)
    secret = tmp_path / "secret.csv"
    secret.write_bytes(register_csv([("0180", "Hemlig")]))
    os.link(secret, folder / "linked.csv")  # a second name for a file outside landing
    os.mkfifo(folder / "pipe.csv")  # opening it for reading would block until someone writes
    os.symlink(secret, folder / "symlink.csv")
    (folder / "ok.csv").write_bytes(register_csv(MALMO_LUND))
    done: list[object] = []
    worker = threading.Thread(target=lambda: done.append(ingest_source(REGISTER, data)), daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert done, "ingest blocked on the FIFO"
    report = done[0]
    assert {r.name: r.rule for r in report.refused} == {
        "linked.csv": "hard_link", "pipe.csv": "not_a_regular_file", "symlink.csv": "symlink"
    }  # fmt: skip
    assert [f.file_name for f in report.new_files] == ["ok.csv"]
    archived = [p for p in data.archive(REGISTER.name).iterdir() if p.suffix != ".json"]
    assert [p.read_bytes() for p in archived] == [register_csv(MALMO_LUND)]
    assert "hard_link" in (source_state(REGISTER, data).landing_refused or "")


def test_a_rejection_quotes_only_a_short_escaped_excerpt(tmp_path: Path) -> None:
    data = DataDir(tmp_path / "var")
    secret = "root:x:0:0:root:/root:/bin/bash\x1b[31m" + "A" * 5000
    _drop(data, REGISTER.name, "text.csv", (secret + "\n" + secret + "\n").encode())
    binary = bytes(range(1, 256)) * 40 + b"\x00" + bytes(range(255, 0, -1)) * 40
    _drop(data, REGISTER.name, "binary.csv", binary)
    report = ingest_source(REGISTER, data)
    errors = {f.file_name: f.error or "" for f in report.new_files}
    assert "\x1b" not in errors["text.csv"] and "\\x1b" in errors["text.csv"]  # escaped, never the raw byte
    assert len(errors["text.csv"]) <= 500 and "A" * 100 not in errors["text.csv"]
    assert "[rule: missing_column]" in errors["text.csv"]
    # nothing of a binary file: no run of its bytes appears in the message
    assert "[rule: binary_content]" in errors["binary.csv"]
    message = errors["binary.csv"].encode("utf-8", "replace")
    assert not any(binary[i : i + 4] in message for i in range(len(binary) - 4))
    records = pd.concat(pd.read_parquet(p) for p in data.deliveries.glob(f"{REGISTER.name}__*.parquet"))
    assert records["error_message"].str.len().max() <= 500


# ---------------------------------------------------------------------------------------------------------------
# Plausibility at ingest


def test_an_impossible_amount_is_rejected_naming_file_sheet_row_cell_and_rule(tmp_path: Path) -> None:
    data = DataDir(tmp_path / "var")
    rows = [
        ledger_row("VC-1"),
        ledger_row("VC-2", Belopp=9e8, Valuta="EUR", Enhet="MEUR"),  # 9e14 euro: no award is that large
        ledger_row("VC-3", Belopp=1e308),
        ledger_row("VC-4", Belopp=5_000, Valuta="EUR", Enhet="MEUR"),  # 5 billion euro: large, not impossible
    ]
    _drop(data, LEDGER.name, "ledger.xlsx", ledger(rows), _utc(2026, 10, 5))
    report = ingest_source(LEDGER, data)
    [result] = report.new_files
    assert (result.rows_accepted, result.rows_rejected) == (2, 2)
    [rows_file] = data.quarantine(LEDGER.name).glob("*.rows.parquet")
    got = sorted(pd.read_parquet(rows_file)[["file_name", "sheet", "row", "column", "cell", "rule"]].values.tolist())
    amount = "G"  # Belopp's column in the ledger
    assert LEDGER_HEADER.index("Belopp") == ord(amount) - ord("A")
    assert got == [
        ["ledger.xlsx", "Finansiering", 3, "amount", f"{amount}3", "maximum"],
        ["ledger.xlsx", "Finansiering", 4, "amount", f"{amount}4", "out_of_range"],
    ]


def test_a_decision_date_is_bounded_by_the_files_delivery(tmp_path: Path) -> None:
    data = DataDir(tmp_path / "var")
    delivered = _utc(2026, 10, 5, 8, 30)
    limit = delivered.date() + dt.timedelta(days=366)  # the contract's max_days_after_delivery
    rows = [
        ledger_row("VC-1", Beslutsdatum=limit.isoformat()),
        ledger_row("VC-2", Beslutsdatum=(limit + dt.timedelta(days=1)).isoformat()),
        ledger_row("VC-3", Beslutsdatum="2061-03-02"),
    ]
    _drop(data, LEDGER.name, "ledger.xlsx", ledger(rows), delivered)
    ingest_source(LEDGER, data)
    [rows_file] = data.quarantine(LEDGER.name).glob("*.rows.parquet")
    rejected = pd.read_parquet(rows_file)
    assert rejected[["row", "cell", "rule"]].values.tolist() == [
        [3, "K3", "date_after_delivery"],
        [4, "K4", "date_after_delivery"],
    ]
    assert delivered.date().isoformat() in rejected["message"].iloc[0]


@pytest.mark.parametrize("text", ["١٢٣", "１２３", "1_000", "12_5"])
def test_digits_of_other_scripts_and_underscores_are_not_numbers(text: str) -> None:
    from sources.lib.types import CellError, parse_value

    for column_type in ("decimal", "integer"):
        with pytest.raises(CellError) as exc:
            parse_value(text, column_type)
        assert exc.value.rule == "not_a_number"
