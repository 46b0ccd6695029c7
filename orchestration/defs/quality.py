"""Great-expectations suites as blocking asset checks, one per source, generated from its contract.

All suites run in one step (`great_expectations_suites`): great-expectations is imported and its context and
Data Docs built once per run rather than once per source (about 4 s of a demo run). Each source keeps its own
check, `raw/<source>:expectations`, which fails on error-severity failures (great-expectations never raises into
the run); warnings pass and are listed in the workbook's data-quality sheet. Data Docs are written to
$VC_DATA_DIR/quality/data_docs/.
"""

from collections.abc import Iterator

import dagster as dg

from orchestration.defs.ingest import CONTRACTS
from sources.expectations import SuiteResult, check_sources
from sources.paths import DataDir

CHECK_NAME = "expectations"
STEP_NAME = "great_expectations_suites"


def _evaluation(asset: dg.AssetKey, result: SuiteResult) -> dg.AssetCheckResult:
    failed = [f"{o.expectation}({o.column or ''}): {o.unexpected_count} unexpected" for o in result.blocking_failures]
    return dg.AssetCheckResult(
        asset_key=asset,
        check_name=CHECK_NAME,
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


@dg.multi_asset_check(
    name=STEP_NAME,
    specs=[
        dg.AssetCheckSpec(
            CHECK_NAME,
            asset=dg.AssetKey(["raw", c.name]),
            blocking=True,
            description=f"great-expectations suite of {c.name}: the contract's columns, key and rules, and the "
            "expectations its source.yaml adds",
        )
        for c in CONTRACTS
    ],
    can_subset=True,
)
def great_expectations_suites(context: dg.AssetCheckExecutionContext) -> Iterator[dg.AssetCheckResult]:
    selected = {key.asset_key for key in context.selected_asset_check_keys}
    contracts = [c for c in CONTRACTS if dg.AssetKey(["raw", c.name]) in selected]
    results = check_sources(contracts, DataDir.current())
    for contract in contracts:
        yield _evaluation(dg.AssetKey(["raw", contract.name]), results[contract.name])


expectation_checks = [great_expectations_suites]
