"""Quality gates block publishing: a run over data that fails an error-severity expectation publishes nothing,
and a green-looking run with the report skipped does not count as success."""

from pathlib import Path

import pytest
from dagster import DagsterInstance, ExecuteInProcessResult

from orchestration.lib.dbt_project import DBT_EXECUTABLE
from orchestration.lib.quarters import quarter_to_partition_key
from sources.demo.generate import write_demo
from sources.lib.paths import REPO_ROOT

pytestmark = pytest.mark.integration


def _run_that_publishes_nothing(root: Path, monkeypatch: pytest.MonkeyPatch) -> ExecuteInProcessResult:
    """The quarterly job over root's landing: it fails, and the report step materialises nothing."""
    monkeypatch.setenv("VC_DATA_DIR", str(root))
    monkeypatch.setenv("VC_AS_OF_DATE", "2026-10-15")
    from orchestration.definitions import defs

    job = defs.resolve_job_def("quarterly_pipeline")
    with DagsterInstance.ephemeral() as instance:
        result = job.execute_in_process(
            partition_key=quarter_to_partition_key("2025Q2"), instance=instance, raise_on_error=False
        )
    assert not result.success
    assert result.asset_materializations_for_node("quarterly_report") == []
    return result


def test_a_run_over_bad_data_does_not_publish(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "var"
    write_demo(root / "landing")
    # The ECB file with the SEK column off by a factor of ten: every row passes the contract's row rules (a
    # positive rate), but not the source's plausibility expectation (5-20 SEK per EUR).
    path = root / "landing" / "ecb_rates" / "eurofxref-hist.csv"
    lines = path.read_text().splitlines()
    sek = lines[0].split(",").index("SEK")
    shifted = [lines[0]]
    for line in lines[1:]:
        fields = line.split(",")
        fields[sek] = f"{float(fields[sek]) / 10:.4f}"
        shifted.append(",".join(fields))
    path.write_text("\n".join(shifted) + "\n")
    result = _run_that_publishes_nothing(root, monkeypatch)
    failed = [
        e.asset_check_evaluation_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION" and not e.asset_check_evaluation_data.passed
    ]
    assert [(f.asset_key.to_user_string(), f.check_name) for f in failed] == [("raw/ecb_rates", "expectations")]
    assert "expect_column_values_to_be_between(units_per_eur)" in failed[0].metadata["failed"].value
    # The blocking check fails its step, and Dagster itself stops the run there: the warehouse is not built over
    # the bad rates (dbt never starts), and the report is not rendered
    failures = {e.step_key: e.step_failure_data.error.message for e in result.all_events if e.is_step_failure}
    assert list(failures) == ["source_checks"]
    assert "blocking asset check failed" in failures["source_checks"]
    assert "raw/ecb_rates: expectations" in failures["source_checks"]
    started = {e.step_key for e in result.all_events if e.event_type_value == "STEP_START"}
    assert "warehouse_dbt_assets" not in started and "quarterly_report" not in started
    assert not (root / "warehouse.duckdb").exists()
    assert not (root / "reports" / "2025Q2").exists() or not any((root / "reports" / "2025Q2").iterdir())
    # The Data Docs list the current validation of every source that declares expectations, the failed one too
    from sources.lib.contract import discover_contracts

    index = (root / "quality" / "data_docs" / "index.html").read_text(encoding="utf-8")
    sources = {c.name for c in discover_contracts() if c.expectations}
    assert "ecb_rates" in sources and all(f"validations/{name}/" in index for name in sources)


def test_an_amount_a_thousand_times_too_large_is_a_warning(tmp_path: Path) -> None:
    """A ledger row entered in kr where the unit says tkr passes the contract but is flagged, without blocking."""
    import json
    import os
    import subprocess

    from openpyxl import load_workbook

    from sources.lib.contract import discover_contracts
    from sources.lib.ingest import ingest_source
    from sources.lib.paths import DataDir

    root = tmp_path / "var"
    write_demo(root / "landing")
    ledger = next((root / "landing" / "funding_ledger").glob("*.xlsx"))
    wb = load_workbook(ledger)
    ws = wb["Finansiering"]
    header = [c.value for c in ws[4]]
    # a national grant: ten thousand of it is suspect for its instrument yet leaves every indicator within its
    # plausible range (an international award that large makes the quarter's funding implausible, and blocks)
    template = next(
        r
        for r in ws.iter_rows(min_row=5, values_only=True)
        if r[header.index("Status")] == "awarded" and r[header.index("Instrument")] == "VINNOVA"
    )
    row = list(template)
    row[header.index("Referens")] = "VC-2026-9999"
    # 10,000 times an ordinary award: above 1000 times the instrument's median even when that award was a small
    # one (the awards of one instrument vary about 7-fold in the demo)
    row[header.index("Belopp")] = template[header.index("Belopp")] * 10_000
    ws.append(row)
    wb.save(ledger.with_name("finansiering_rattelse.xlsx"))
    data = DataDir(root)
    for contract in discover_contracts():
        ingest_source(contract, data)
    done = subprocess.run(
        [
            str(DBT_EXECUTABLE),
            "build",
            "--profiles-dir",
            ".",
            "--target-path",
            str(root / "dbt_target"),
            "--vars",
            '{"as_of_date": "2026-10-15"}',
            "--quiet",
        ],
        cwd=REPO_ROOT / "dbt_project",
        env={**os.environ, "VC_DATA_DIR": str(root)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout[-2000:]  # a warning does not fail the build
    results = json.loads((root / "dbt_target" / "run_results.json").read_text())["results"]
    [check] = [r for r in results if r["unique_id"].startswith("test.viable_cities.assert_funding_amounts_plausible")]
    assert check["status"] == "warn" and check["failures"] == 1


def test_an_implausible_indicator_value_stops_publishing_and_names_its_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """1,001 alliances in the engagement log: every row is valid, but more than the catalogue's plausible maximum
    of active collaborations (1,000). The run publishes nothing; the failing check's rows name the figure, its
    range and the log's rows that make it, read back from the warehouse's audit table."""
    import csv
    import io

    import duckdb

    root = tmp_path / "var"
    write_demo(root / "landing")
    log = next((root / "landing" / "engagement_log").glob("*.csv"))
    rows = io.StringIO()
    writer = csv.writer(rows, delimiter=";", lineterminator="\n")
    header = log.read_bytes().splitlines(keepends=True)[0]
    columns = header.decode("utf-8-sig").strip().split(";")
    for i in range(1001):
        row = dict.fromkeys(columns, "")
        row |= {"Id": f"ENG-9{i:04d}", "Partner": f"Alliance {i}", "Typ": "alliance", "Nivå": "european",
                "Inriktning": "1", "Startdatum": "2025-01-15", "Beskrivning": "bulk import error"}  # fmt: skip
        writer.writerow(row.values())
    log.with_name("engagemang_tillagg.csv").write_bytes(header + rows.getvalue().encode("utf-8"))
    with (REPO_ROOT / "dbt_project" / "seeds" / "indicator_catalogue.csv").open(encoding="utf-8") as fh:
        [entry] = [r for r in csv.DictReader(fh) if r["indicator_id"] == "active_collaborations"]
    assert float(entry["plausible_max"]) < 1001  # the bound the test relies on, from the catalogue itself
    result = _run_that_publishes_nothing(root, monkeypatch)
    assert not (root / "reports" / "2025Q2").exists() or not any((root / "reports" / "2025Q2").iterdir())
    failed = {
        (e.asset_check_evaluation_data.asset_key.to_user_string(), e.asset_check_evaluation_data.check_name)
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION" and not e.asset_check_evaluation_data.passed
    }
    assert ("marts/fct_indicator_values", "assert_indicator_values_plausible") in failed
    con = duckdb.connect(str(root / "warehouse.duckdb"), read_only=True)
    try:
        cursor = con.execute("select * from dbt_test__audit.assert_indicator_values_plausible")
        names = [d[0] for d in cursor.description]
        failing = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    finally:
        con.close()
    assert failing and {r["indicator_id"] for r in failing} == {"active_collaborations"}
    first = failing[0]
    assert first["value"] > first["plausible_max"] == float(entry["plausible_max"])
    # each failing row is one source row of the figure: the appended file, its line
    appended = [r for r in failing if r["source_file_name"] == "engagemang_tillagg.csv"]
    assert appended and all(2 <= r["source_row"] <= 1002 and len(r["source_file_sha256"]) == 64 for r in appended)
