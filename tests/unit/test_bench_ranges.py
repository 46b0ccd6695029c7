"""The bench's own plausible ranges for its synthetic data (tests.benchmarks.bench.plausible_ranges)."""

from __future__ import annotations

import csv

from tests.benchmarks.bench import CATALOGUE, plausible_ranges


def test_only_the_ledger_sums_are_widened_by_the_ledgers_size() -> None:
    with CATALOGUE.open(encoding="utf-8", newline="") as fh:
        catalogue = {
            r["indicator_id"]: (float(r["plausible_min"]), float(r["plausible_max"])) for r in csv.DictReader(fh)
        }
    assert plausible_ranges("demo") == {}  # the catalogue's ranges are the demo's
    europe = plausible_ranges("europe")
    # the sums over the funding ledger, in MSEK; shares, ratios and counts (nzc_pilot_municipalities is a count of
    # municipalities over the ledger) keep the catalogue's ranges
    assert sorted(europe) == [
        "green_loans_msek_cumulative",
        "intl_funding_awarded_msek_cumulative",
        "intl_funding_awarded_msek_quarter",
    ]
    for indicator, (low, high) in europe.items():
        assert low == catalogue[indicator][0]
        assert high == catalogue[indicator][1] * 250_000 / 160  # Europe's ledger records against the demo's
    assert plausible_ranges("sweden")["intl_funding_awarded_msek_quarter"][1] == 20_000 * 5_000 / 160
