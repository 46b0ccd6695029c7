"""Delivery: after the workbook is published, mail it to its readers; tell operations of late deliveries and of
failed runs. The messages, the outbox and the retry are in reports.delivery (no Dagster there); this module only
says when they run.

- `quarterly_delivery`, an asset downstream of quarterly_report in the same job: it publishes the workbook in
  every language that has readers (the English one when VC_REPORT_RECIPIENTS_EN is set; write-audit-publish, as
  the Swedish one), queues each published revision for its readers and each late or missing delivery for
  operations, and sends what is pending, including what an earlier run could not send. A send that fails is a
  warning (its check `mail_sent`), never a failure of the run: the workbook stays published.
- `operations_on_run_failure`, a run-failure sensor (evaluated by the daemon, `make dev`): a failed run of the
  pipeline is mailed to operations.
"""

import dagster as dg

from orchestration.defs.reports import quarterly_pipeline, quarterly_report
from orchestration.lib.quarters import partition_key_to_quarter, quarterly_partitions
from orchestration.resources import SETTINGS, PipelineSettings, WriterLock
from reports.data import load_report_data
from reports.delivery import (
    MailSettings,
    Outbox,
    latest_published,
    mail_run_failure,
    operations_recipients,
    queue_late_sources,
    queue_report,
    report_languages,
    report_recipients,
)
from reports.publish import publish_report
from sources.lib.expectations import results_dir


@dg.asset(
    key="quarterly_delivery",
    group_name="publish",
    partitions_def=quarterly_partitions,
    deps=[quarterly_report],
    kinds={"email"},
    check_specs=[
        dg.AssetCheckSpec(
            "mail_sent",
            asset="quarterly_delivery",
            description="Every queued message (the workbooks to their readers, late deliveries and failed runs to "
            "operations) was sent; a pending one is tried again by the next run.",
        )
    ],
    description="Mails the published workbook (attached, with its revision note) to VC_REPORT_RECIPIENTS and, in "
    "English, VC_REPORT_RECIPIENTS_EN; late or missing deliveries to VC_OPERATIONS_RECIPIENTS.",
)
def quarterly_delivery(
    context: dg.AssetExecutionContext, settings: PipelineSettings, writer_lock: WriterLock
) -> dg.MaterializeResult:
    quarter = partition_key_to_quarter(context.partition_key)
    data = settings.data
    mail = MailSettings.from_env()  # a bad setting fails here, before anything is queued
    outbox = Outbox(data.root)
    primary = settings.report_language
    published = {}
    languages = report_languages(primary)
    # the report step published the primary language: the warehouse is read again only for another language, or
    # for the messages' texts
    if mail is not None or languages != [primary]:
        report = load_report_data(
            settings.warehouse_target(), quarter, settings.dbt_target / "run_results.json", results_dir(data)
        )
    for language in languages:
        if language != primary:
            result = publish_report(report, data.reports, language, settings.publication_date())
            context.log.info(f"report {quarter} ({language}): {result.status} {result.file_name}")
        found = latest_published(data.reports, quarter, language)
        if found is not None:
            published[language] = found
    queued = 0
    if mail is not None:
        indicators = {str(r["indicator_id"]): r for r in report.method}
        for language, (workbook, manifest) in published.items():
            if readers := report_recipients(language):
                queued += queue_report(outbox, workbook, manifest, readers, indicators, report.source_texts)
        if operations := operations_recipients():
            queued += queue_late_sources(outbox, report.freshness, report.source_texts, operations)
        sent = outbox.flush(mail)
        for line in sent.failed:
            context.log.warning(f"not sent, will be tried again by the next run: {line}")
    else:
        context.log.info("mail is not configured (VC_SMTP_HOST is not set): nothing sent")
    pending = outbox.pending()
    return dg.MaterializeResult(
        metadata={
            "published_languages": ", ".join(sorted(published)),
            "queued": queued,
            "pending": len(pending),
            "configured": mail is not None,
        },
        check_results=[
            dg.AssetCheckResult(
                check_name="mail_sent",
                passed=not pending,
                severity=dg.AssetCheckSeverity.WARN,
                metadata={"pending": [f"{r['subject']}: {r['last_error']}" for r in pending][:20]},
            )
        ],
    )


@dg.run_failure_sensor(
    monitored_jobs=[quarterly_pipeline],
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="A failed run of the pipeline is mailed to VC_OPERATIONS_RECIPIENTS.",
)
def operations_on_run_failure(context: dg.RunFailureSensorContext) -> None:
    # the settings the environment gives now: a sensor has no run configuration of its own
    root = SETTINGS.process_config_and_initialize().data.root
    error = context.failure_event.message or "(no message)"
    pending = mail_run_failure(root, context.dagster_run.run_id, context.dagster_run.job_name, error)
    for line in pending or []:
        context.log.warning(f"not sent, will be tried again: {line}")
