"""The blocking checks of the raw data, evaluated together in one step (`source_checks`), before dbt:

* `raw/<source>:newest_delivery_readable`: the source's newest delivery was accepted (sources/lib/state.py). A rejected
  one is quarantined and the source stays on its last accepted vintage, which the workbook names: the check then
  fails as a warning. It blocks (error severity, `blocking=True`) only for a source whose contract says
  `delivery.blocks_publishing` (the register: every municipality's figures hang on who is a member);
* `raw/<source>:expectations`, for a source whose source.yaml declares dataset-level expectations: the
  great-expectations suite of those (sources/lib/expectations.py). It fails on error-severity failures
  (great-expectations never raises into the run); warnings pass and are listed in the workbook's data-quality
  sheet. Data Docs are written to <data dir>/quality/data_docs/.

A blocking check that fails makes Dagster fail this step: the dbt step and the report do not start.
One step rather than one per check: great-expectations is imported, and its context and Data Docs built, once.
"""

from collections.abc import Iterator

import dagster as dg

from orchestration.defs.ingest import CONTRACTS
from orchestration.resources import PipelineSettings, WriterLock
from sources.lib.contract import SourceContract
from sources.lib.expectations import SuiteResult, check_sources, results_path
from sources.lib.paths import DataDir
from sources.lib.state import source_state

READABLE, EXPECTATIONS = "newest_delivery_readable", "expectations"
STEP_NAME = "source_checks"
READABLE_DESCRIPTION = (
    "The newest delivery was accepted. A rejected one is quarantined (deliver a corrected file to clear this) and "
    "the report uses the source's last accepted delivery, saying so on its cover"
)


def _readable(contract: SourceContract, data: DataDir) -> dg.AssetCheckResult:
    state = source_state(contract, data)
    rejected = state.state in ("newest_rejected", "nothing_accepted")
    return dg.AssetCheckResult(
        asset_key=dg.AssetKey(["raw", contract.name]),
        check_name=READABLE,
        passed=not rejected,
        # a warning unless the contract blocks publishing on it: isolation, not a stop
        severity=dg.AssetCheckSeverity.ERROR if state.publishing_blocked else dg.AssetCheckSeverity.WARN,
        metadata={
            "state": state.state,
            "in_use": state.file_name or "none",
            "newest": state.newest_file_name or state.file_name or "none",
            "error": state.newest_error_message or "",
            "blocks_publishing": state.blocks_publishing,
        },
        description=state.message or READABLE_DESCRIPTION,
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


def _specs(contract: SourceContract) -> list[dg.AssetCheckSpec]:
    asset = dg.AssetKey(["raw", contract.name])
    specs = [
        dg.AssetCheckSpec(
            READABLE, asset=asset, blocking=contract.delivery.blocks_publishing, description=READABLE_DESCRIPTION
        )
    ]
    if contract.expectations:
        described = "; ".join(e["description"] or e["expectation"] for e in contract.expectations)
        specs.append(
            dg.AssetCheckSpec(
                EXPECTATIONS,
                asset=asset,
                blocking=True,
                description=f"great-expectations: the dataset-level expectations of {contract.name}'s source.yaml "
                f"({described})",
            )
        )
    return specs


@dg.multi_asset_check(
    name=STEP_NAME,
    specs=[spec for c in CONTRACTS for spec in _specs(c)],
    can_subset=True,
)
def source_checks(
    context: dg.AssetCheckExecutionContext, settings: PipelineSettings, writer_lock: WriterLock
) -> Iterator[dg.AssetCheckResult]:
    data = settings.data
    selected = context.selected_asset_check_keys
    for contract in CONTRACTS:
        if dg.AssetCheckKey(dg.AssetKey(["raw", contract.name]), READABLE) in selected:
            yield _readable(contract, data)
    suites = [c for c in CONTRACTS if dg.AssetCheckKey(dg.AssetKey(["raw", c.name]), EXPECTATIONS) in selected]
    results = check_sources(suites, data)
    for contract in CONTRACTS:
        if not contract.expectations:  # a result from when its contract still declared some: not the current data's
            results_path(data, contract.name).unlink(missing_ok=True)
    for contract in suites:
        yield _evaluation(dg.AssetKey(["raw", contract.name]), results[contract.name])
