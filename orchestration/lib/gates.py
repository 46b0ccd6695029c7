"""Whether checks at error severity failed earlier in this run: the gate before the warehouse and the workbook.

Dagster skips the steps downstream of a failed blocking check, except a step that itself evaluates checks on the
checked asset: the dbt step evaluates the dbt source tests of every raw asset, so it would build over data that
failed its great-expectations suite. The dbt step and the publisher therefore look for themselves.
"""

import dagster as dg


def failed_blocking_checks(context: dg.AssetExecutionContext) -> list[str]:
    """Asset checks of this run that failed at error severity (ingest readability, expectations, dbt tests)."""
    records = context.instance.all_logs(context.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION)
    failed = []
    for record in records:
        evaluation = record.dagster_event.asset_check_evaluation_data
        if not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR:
            failed.append(f"{evaluation.asset_key.to_user_string()}:{evaluation.check_name}")
    return sorted(set(failed))
