"""Great-expectations suites of the dataset-level expectations a source.yaml declares: severities, and a run that
never raises."""

import datetime as dt
from pathlib import Path

import pandas as pd

from sources.lib.contract import load_contract
from sources.lib.expectations import expectations_for, run_suite
from sources.lib.paths import SOURCES_DIR

REGISTER = load_contract(SOURCES_DIR / "klimatkontrakt_register")
ECB = load_contract(SOURCES_DIR / "ecb_rates")


def test_the_suite_is_what_source_yaml_declares_not_the_row_rules() -> None:
    import yaml

    declared = yaml.safe_load((SOURCES_DIR / "klimatkontrakt_register" / "source.yaml").read_text(encoding="utf-8"))
    specs = [(s.expectation, s.kwargs) for s in expectations_for(REGISTER)]
    assert specs == [(e["expectation"], e["kwargs"]) for e in declared["expectations"]]
    # the contract's row rules (required, allowed, ranges, key) are ingest's, not repeated here
    assert REGISTER.primary_key and not any(name.endswith(("_unique", "_not_be_null", "_in_set")) for name, _ in specs)


def _rates(sek: float) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rate_date": [dt.date(2024, 3, 1), dt.date(2024, 3, 1)],
            "currency": ["SEK", "USD"],
            "units_per_eur": [sek, 1.08],
        }
    )


def test_plausible_rates_pass_and_a_shifted_column_fails() -> None:
    assert run_suite(ECB, _rates(11.2)).passed
    bad = run_suite(ECB, _rates(1.12))
    assert not bad.passed and bad.error is None
    [failure] = bad.blocking_failures
    assert (failure.expectation, failure.column, failure.unexpected_count) == (
        "expect_column_values_to_be_between",
        "units_per_eur",
        1,
    )


def test_a_warning_does_not_block(tmp_path: Path) -> None:
    ledger = load_contract(SOURCES_DIR / "funding_ledger")
    frame = pd.DataFrame(
        {c: [None] for c in ledger.column_names}
        | {
            "record_id": ["VC-1"],
            "instrument_code": ["DUT"],
            "beneficiary": ["Lund"],
            "status": ["awarded"],
            "amount": [5e10],
            "currency": ["SEK"],
            "amount_unit": ["kr"],
        }
    )
    result = run_suite(ledger, frame)
    assert result.passed and [w.column for w in result.warnings] == ["amount"]


def test_great_expectations_errors_are_results_not_exceptions() -> None:
    broken = load_contract(SOURCES_DIR / "ecb_rates")
    result = run_suite(broken, pd.DataFrame({"something_else": [1]}))
    assert not result.passed
    assert result.error is not None or result.blocking_failures


def test_a_runs_checks_run_beside_the_pipeline_process_which_never_imports_great_expectations(tmp_path) -> None:
    import json
    import subprocess
    import sys

    # in a fresh interpreter: the test session itself has great-expectations imported
    script = (
        "import sys, json\n"
        "from pathlib import Path\n"
        "from sources.lib.contract import load_contract\n"
        "from sources.lib.expectations import check_sources\n"
        "from sources.lib.paths import SOURCES_DIR, DataDir\n"
        "ecb = load_contract(SOURCES_DIR / 'ecb_rates')\n"
        f"result = check_sources([ecb], DataDir(Path({str(tmp_path)!r})))['ecb_rates']\n"
        "print(json.dumps([result.rows, result.error, 'great_expectations' in sys.modules]))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=Path.cwd())
    rows, error, imported_here = json.loads(done.stdout.splitlines()[-1])
    assert imported_here is False
    # no ECB delivery in this data directory: the suite ran, in the checks' child, on an empty table
    assert rows == 0 and error is None


def test_checks_whose_process_dies_fail_every_suite_with_the_reason(tmp_path, monkeypatch) -> None:
    import json

    from sources.lib.expectations import check_sources, results_path
    from sources.lib.paths import DataDir

    monkeypatch.setenv("VC_READER_CPU_S", "0")  # the checks' child is stopped at once (its CPU and wall limits)
    data = DataDir(tmp_path)
    results = check_sources([ECB, REGISTER], data)
    for source in ("ecb_rates", "klimatkontrakt_register"):
        assert not results[source].passed
        assert results[source].error.startswith("the checks' process was killed by SIG")
        stored = json.loads(results_path(data, source).read_text(encoding="utf-8"))
        assert stored["passed"] is False and stored["error"] == results[source].error  # what the workbook shows


def test_the_checks_server_takes_only_the_cpu_the_readers_leave() -> None:
    import os
    import time

    from sources.lib import isolation

    isolation.warm_up("checks")
    isolation.warm_up("readers")
    checks, readers = (isolation._servers[kind].process.pid for kind in ("checks", "readers"))
    deadline = time.monotonic() + 10
    while os.getpriority(os.PRIO_PROCESS, checks) != 19 and time.monotonic() < deadline:
        time.sleep(0.05)  # it lowers its priority as it starts, before its import
    assert os.getpriority(os.PRIO_PROCESS, checks) == 19
    assert os.getpriority(os.PRIO_PROCESS, readers) == os.getpriority(os.PRIO_PROCESS, 0)


def test_stopped_servers_are_gone_and_the_next_check_starts_a_new_one(tmp_path) -> None:
    import os

    from sources.lib import isolation
    from sources.lib.expectations import check_sources
    from sources.lib.paths import DataDir

    isolation.warm_up("checks")
    isolation.warm_up("readers")
    processes = [server.process for server in isolation._servers.values()]
    isolation.stop_servers()
    assert [p.poll() is not None for p in processes] == [True, True]  # ended and reaped, not orphaned
    assert not any(os.path.exists(f"/proc/{p.pid}") for p in processes)
    assert check_sources([ECB], DataDir(tmp_path))["ecb_rates"].error is None  # a new checks server
    assert isolation._servers["checks"].process.pid not in {p.pid for p in processes}
