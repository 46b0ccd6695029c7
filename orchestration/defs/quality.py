"""The blocking checks of the raw data, two per source, evaluated in one step (`source_checks`):

* `raw/<source>:newest_delivery_readable`: the newest delivery could be read (an unreadable one is quarantined);
* `raw/<source>:expectations`: the great-expectations suite generated from the source's contract (columns, key,
  rules, the lineage) plus the expectations its source.yaml adds. It fails on error-severity failures
  (great-expectations never raises into the run); warnings pass and are listed in the workbook's data-quality
  sheet. Data Docs are written to $VC_DATA_DIR/quality/data_docs/.

One step rather than one per check: great-expectations is imported, its context and Data Docs built once per run
(about 4 s of a demo run), and Dagster's own cost per step (about 35 ms) is paid once, not 22 times.
"""

from collections.abc import Iterator

import dagster as dg

from orchestration.defs.ingest import CONTRACTS
from sources.contract import SourceContract
from sources.expectations import SuiteResult, check_sources
from sources.ingest import newest_delivery
from sources.paths import DataDir

READABLE, EXPECTATIONS = "newest_delivery_readable", "expectations"
STEP_NAME = "source_checks"
READABLE_DESCRIPTION = (
    "The newest delivery could be read (an unreadable one is quarantined whole; deliver a corrected file to clear this)"
)


def _readable(contract: SourceContract, data: DataDir) -> dg.AssetCheckResult:
    """Blocking: while a source's newest delivery is unreadable, no report is published from that source."""
    newest = newest_delivery(contract, data)
    return dg.AssetCheckResult(
        asset_key=dg.AssetKey(["raw", contract.name]),
        check_name=READABLE,
        passed=newest is None or newest["status"] != "rejected",
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={}
        if newest is None
        else {
            "file": str(newest["file_name"]),
            "status": str(newest["status"]),
            "error": str(newest["error_message"] or ""),
        },
        description=READABLE_DESCRIPTION,
    )


def _evaluation(asset: dg.AssetKey, result: SuiteResult) -> dg.AssetCheckResult:
    failed = [f"{o.expectation}({o.column or ''}): {o.unexpected_count} unexpected" for o in result.blocking_failures]
    return dg.AssetCheckResult(
        asset_key=asset,
        check_name=EXPECTATIONS,
        passed=result.passed,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata={
            "rows": result.rows,
            "expectations": len(result.outcomes),
            "failed": "; ".join(failed) or "none",
            "warnings": "; ".join(f"{o.expectation}({o.column or ''})" for o in result.warnings) or "none",
            "error": result.error or "none",
        },
    )


def _specs(contract_name: str) -> list[dg.AssetCheckSpec]:
    asset = dg.AssetKey(["raw", contract_name])
    return [
        dg.AssetCheckSpec(READABLE, asset=asset, blocking=True, description=READABLE_DESCRIPTION),
        dg.AssetCheckSpec(
            EXPECTATIONS,
            asset=asset,
            blocking=True,
            description=f"great-expectations suite of {contract_name}: the contract's columns, key and rules, the "
            "lineage, and the expectations its source.yaml adds",
        ),
    ]


@dg.multi_asset_check(name=STEP_NAME, specs=[spec for c in CONTRACTS for spec in _specs(c.name)], can_subset=True)
def source_checks(context: dg.AssetCheckExecutionContext) -> Iterator[dg.AssetCheckResult]:
    data = DataDir.current()
    selected = context.selected_asset_check_keys
    for contract in CONTRACTS:
        if dg.AssetCheckKey(dg.AssetKey(["raw", contract.name]), READABLE) in selected:
            yield _readable(contract, data)
    suites = [c for c in CONTRACTS if dg.AssetCheckKey(dg.AssetKey(["raw", c.name]), EXPECTATIONS) in selected]
    results = check_sources(suites, data)
    for contract in suites:
        yield _evaluation(dg.AssetKey(["raw", contract.name]), results[contract.name])
