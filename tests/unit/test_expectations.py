"""Great-expectations suites from contracts: generated expectations, severities, and a run that never raises."""

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from sources.contract import load_contract
from sources.expectations import expectations_for, run_suite
from sources.paths import SOURCES_DIR

REGISTER = load_contract(SOURCES_DIR / "klimatkontrakt_register")
ECB = load_contract(SOURCES_DIR / "ecb_rates")


def test_suite_follows_the_contract() -> None:
    specs = {(s.expectation, s.kwargs.get("column")) for s in expectations_for(REGISTER)}
    assert ("expect_column_values_to_not_be_null", "municipality_code") in specs
    assert ("expect_column_values_to_be_in_set", "wave") in specs
    assert ("expect_column_values_to_be_between", "latest_contract_version") in specs
    assert ("expect_column_values_to_be_unique", "municipality_code") in specs
    assert ("expect_table_row_count_to_be_between", None) in specs  # from source.yaml


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


def test_an_unchanged_source_is_not_checked_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sources.expectations as expectations
    from sources.ingest import ingest_source
    from sources.paths import DataDir

    data = DataDir(tmp_path / "var")
    folder = data.landing("ecb_rates")
    folder.mkdir(parents=True)
    (folder / "eurofxref-hist.csv").write_text("Date,USD,SEK,\n2024-03-01,1.08,11.20,\n2024-02-29,1.08,11.25,\n")
    ingest_source(ECB, data)
    first = expectations.check_source(ECB, data)
    assert first.passed and first.rows == 4

    calls = []
    monkeypatch.setattr(expectations, "run_suites", lambda jobs, *a, **k: calls.append(jobs) or [first for _ in jobs])
    again = expectations.check_source(ECB, data)
    assert calls in ([], [[]]) and again.passed and len(again.outcomes) == len(first.outcomes)

    (folder / "eurofxref-hist-2.csv").write_text("Date,USD,SEK,\n2024-03-04,1.08,11.30,\n")
    ingest_source(ECB, data)
    expectations.check_source(ECB, data)
    assert [len(jobs) for jobs in calls if jobs] == [1]  # a new delivery is checked
