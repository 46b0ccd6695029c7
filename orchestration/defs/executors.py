"""The job's executor: every step in the run's own process (the default), or each step on a Celery worker.

`VC_EXECUTOR=celery` in the environment of the process that loads the definitions (the daemon, the webserver,
`make submit`) runs the steps of the runs it launches on dagster-celery workers, through the broker that
deploy/worker.yaml names: ingest steps of different sources then run in parallel on separate workers. The
executor's config is that file's `execution.config` block, the one `dagster-celery worker start -y` reads, so the
runs and the workers always agree on the broker. It needs Dagster's storage on PostgreSQL
(deploy/dagster.postgres.yaml) and the data directory on a filesystem every worker shares (docs/deployment.md).

`make run` and tests that call `execute_in_process` run in their own process whatever this says.
"""

from __future__ import annotations

import os

import dagster as dg
import yaml

from sources.lib.paths import REPO_ROOT

WORKER_YAML = REPO_ROOT / "deploy" / "worker.yaml"
EXECUTORS = ("in_process", "celery")


def executor_kind() -> str:
    kind = os.environ.get("VC_EXECUTOR", "in_process").strip().lower() or "in_process"
    if kind not in EXECUTORS:
        raise ValueError(f"VC_EXECUTOR={kind!r}: expected one of {', '.join(EXECUTORS)}")
    return kind


def celery_config() -> dict[str, object]:
    """The worker's config block (broker, backend, Celery settings), with the environment references kept."""
    return yaml.safe_load(WORKER_YAML.read_text(encoding="utf-8"))["execution"]["config"]


def pipeline_executor() -> dg.ExecutorDefinition:
    if executor_kind() == "celery":
        from dagster_celery import celery_executor

        return celery_executor.configured(celery_config(), name="celery")
    # One process: the steps are a short chain, and the multiprocess executor re-imports per step (STACK.md).
    return dg.in_process_executor
