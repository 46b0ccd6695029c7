"""Great-expectations suites as blocking asset checks, one per source, generated from its contract.

The check reads the suite's outcome and fails itself on error-severity failures (great-expectations never raises
into the run); warnings pass and are listed in the workbook's data-quality sheet. Data Docs are written to
$VC_DATA_DIR/quality/data_docs/.
"""

import dagster as dg

from orchestration.defs.ingest import CONTRACTS
from sources.contract import SourceContract
from sources.expectations import check_source
from sources.paths import DataDir


def expectations_check(contract: SourceContract) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey(["raw", contract.name]),
        name="expectations",
        blocking=True,
        description=f"great-expectations suite of {contract.name}: the contract's columns, key and rules, and "
        "the expectations its source.yaml adds",
    )
    def _check() -> dg.AssetCheckResult:
        result = check_source(contract, DataDir.current())
        failed = [
            f"{o.expectation}({o.column or ''}): {o.unexpected_count} unexpected" for o in result.blocking_failures
        ]
        return dg.AssetCheckResult(
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

    return _check


expectation_checks = [expectations_check(c) for c in CONTRACTS]
