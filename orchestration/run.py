"""Run the pipeline for one quarter from the command line (what `make run` calls).

    python -m orchestration.run [--quarter 2025Q2] [--demo | --no-demo] [--wait]

Takes the data directory's writer lock, puts the demo data into the landing folders (unless --no-demo or
VC_DEMO=0), and launches the job `quarterly_pipeline` in this process against the instance in
<data dir>/dagster (so `make dev` shows the run), unless nothing changed since the quarter's workbook was
published (orchestration.lib.up_to_date): then it launches nothing and says "unchanged". Progress and the
summary come from the run's events as Dagster stores them.

Exit code: 0 when the workbook was published or is already published unchanged, 1 when a step or a blocking
check failed and nothing was published, 3 when another run holds the data directory.
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import json
import multiprocessing
import os
import sys
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext, redirect_stdout
from pathlib import Path

import dagster as dg
from filelock import Timeout

from orchestration.lib.dbt_parse import start_parse, wait_for_parse
from orchestration.lib.instance import prepare_home
from orchestration.lib.quarters import last_closed_quarter, quarter_to_partition_key
from orchestration.resources import PipelineSettings, lock_holder, settings_from_environment, writer_lock
from sources.lib.isolation import warm_up

JOB = "quarterly_pipeline"
# Dagster's console logger off the terminal: the progress lines say what happens (every event is still stored)
QUIET = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


def stage_of(step: str) -> str:
    """The stage a step belongs to, as the progress lines and `make bench` name it."""
    if step.startswith("raw__"):
        return "ingest"
    return {"source_checks": "checks", "warehouse_dbt_assets": "dbt build", "quarterly_report": "publish"}.get(
        step, step
    )


class Progress:
    """Prints one line per stage event, as Dagster stores the run's events: the instance calls `show` with each
    one right after storing it (DagsterInstance.add_event_listener), so nothing polls or reads the log back."""

    def __init__(self, instance: dg.DagsterInstance, run_id: str, started: float) -> None:
        self.started = started
        self.built = self.passed = 0
        self.out = sys.stdout  # the terminal, also while the run's own output goes to the log file
        instance.add_event_listener(run_id, self.show)

    def say(self, line: str) -> None:
        print(f"[{time.monotonic() - self.started:6.1f}s] {line}", file=self.out, flush=True)

    def show(self, entry: dg.EventLogEntry) -> None:
        event, step = entry.dagster_event, entry.step_key or ""
        stage = stage_of(step)
        if event is None:  # a message logged by a step
            if step and (entry.level >= 30 or (entry.level >= 20 and stage != "dbt build")):
                self.say(f"  {entry.user_message.strip()}")
            return
        kind = event.event_type_value
        if kind == "STEP_START":
            self.say(f"▸ {stage}: {step.replace('__', '/')}" if stage == "ingest" else f"▸ {stage}")
        elif kind == "ASSET_MATERIALIZATION" and stage == "dbt build":
            self.built += 1
        elif kind == "ASSET_CHECK_EVALUATION":
            data = event.asset_check_evaluation_data
            self.passed += data.passed
            if not data.passed and data.severity == dg.AssetCheckSeverity.WARN:
                self.say(f"  ! check {data.check_name} on {data.asset_key.to_user_string()}: warning")
            elif not data.passed:
                self.say(f"  ✗ check {data.check_name} on {data.asset_key.to_user_string()} failed")
        elif kind == "STEP_SUCCESS" and stage == "dbt build":
            self.say(f"  ✓ {self.built} models and seeds built, {self.passed} checks passed so far")
        elif kind == "STEP_FAILURE":
            error = event.step_failure_data.error
            while error is not None and error.cause is not None:  # the user-code error, not Dagster's wrapper
                error = error.cause
            self.say(f"✗ {stage} failed: {error.message.strip() if error else 'see the run in make dev'}")
        elif kind == "STEP_SKIPPED":
            self.say(f"- {stage} skipped (an upstream step or blocking check failed)")


def write_timings(instance: dg.DagsterInstance, run_id: str, path: Path, setup_s: float, started: float) -> None:
    """Seconds per step and stage of the run, from the step statistics Dagster stored (read by `make bench`);
    start and end are wall-clock times."""
    steps = {
        s.step_key: {"wall_s": s.end_time - s.start_time, "start": s.start_time, "end": s.end_time}
        for s in instance.get_run_step_stats(run_id)
        if s.start_time is not None and s.end_time is not None
    }
    stages: dict[str, dict[str, float]] = {}
    for step, t in steps.items():
        stage = stages.setdefault(stage_of(step), {"wall_s": 0.0, "start": t["start"], "end": t["end"]})
        stage["wall_s"] += t["wall_s"]
        stage["start"], stage["end"] = min(stage["start"], t["start"]), max(stage["end"], t["end"])
    record = {
        "setup_wall_s": round(setup_s, 3),  # demo data, Dagster and the definitions loaded
        "total_wall_s": round(time.monotonic() - started, 3),
        "stages": {k: {m: round(v, 3) for m, v in t.items()} for k, t in stages.items()},
        "steps": {k: {m: round(v, 3) for m, v in t.items()} for k, t in steps.items()},
    }
    path.write_text(json.dumps(record, indent=1, sort_keys=True), encoding="utf-8")


def open_instance(settings: PipelineSettings) -> dg.DagsterInstance:
    """The instance in <data dir>/dagster (the one `make dev` and `make serve` serve), with the project's
    dagster.yaml or VC_DAGSTER_YAML's (orchestration.lib.instance)."""
    return dg.DagsterInstance.from_config(str(prepare_home(settings.data)))


def run(quarter: str, demo: bool, wait: bool) -> int:
    from sources.lib.safety import require_defusedxml

    require_defusedxml()  # before any delivered file is opened
    started = time.monotonic()
    settings = settings_from_environment()
    data = settings.data.ensure()
    lock = writer_lock(data.root)
    try:
        lock.acquire(timeout=-1 if wait else 0)
    except Timeout:
        print(
            f"refused: another pipeline run ({lock_holder(data.root)}) is writing {data.root}; wait for it to "
            "finish or rerun with --wait",
            file=sys.stderr,
        )
        return 3
    try:
        return _run_locked(settings, quarter, demo, started)
    finally:
        wait_for_parse(settings.dbt_target)  # no parse outlives the run that started it (nor its lock)
        lock.release()


def _run_locked(settings: PipelineSettings, quarter: str, demo: bool, started: float) -> int:
    data = settings.data
    if not (settings.dbt_target / "partial_parse.msgpack").exists():
        # a first run in this data directory: dbt parses the whole project, so that parse starts first
        start_parse(settings.dbt_target, settings.dbt_vars_json())
    # the demo data are written in a child process while this one loads the definitions (seconds each)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) if demo else nullcontext() as pool:
        written = pool.submit(_write_demo, data.root / "landing") if pool else None
        from orchestration.definitions import defs
        from orchestration.lib.up_to_date import latest_report_path, stale_reasons

        if written is not None:
            count = written.result()
            print(f"[{time.monotonic() - started:6.1f}s] demo data: {count} files in {data.root / 'landing'}")

    with open_instance(settings) as instance:
        reasons = stale_reasons(instance, defs.get_repository_def(), settings, quarter)
        if not reasons:
            path = latest_report_path(instance, quarter, settings.report_language)
            print(f"[{time.monotonic() - started:6.1f}s] unchanged: nothing new since {path} was published; no run")
            return 0
        # on the other core while Dagster creates the run: the readers' and the checks' servers, which import the
        # readers and great-expectations (sources.lib.isolation), and, when the build would parse the whole project,
        # dbt's parse of it for this data directory (orchestration.lib.dbt_parse)
        warm_up("readers")
        warm_up("checks")
        start_parse(settings.dbt_target, settings.dbt_vars_json())
        setup_s = time.monotonic() - started
        print(f"[{setup_s:6.1f}s] running {JOB} for {quarter} ({reasons[0]}; data directory {data.root})")
        run_id = str(uuid.uuid4())  # chosen here, so the progress lines follow the run from its first event
        Progress(instance, run_id, started)
        log_path = data.root / "logs" / "last-run.log"
        log_path.parent.mkdir(exist_ok=True)
        # anything printed during the run goes to the log file; the terminal gets one line per stage
        with log_path.open("w") as log, redirect_stdout(log):
            result = defs.resolve_job_def(JOB).execute_in_process(
                partition_key=quarter_to_partition_key(quarter),
                instance=instance,
                run_id=run_id,
                raise_on_error=False,
                run_config=QUIET,
                tags={"vc/trigger": "make run"},
            )
        write_timings(instance, run_id, data.root / "logs" / "last-run-timings.json", setup_s, started)
    report = result.asset_materializations_for_node("quarterly_report") if result.success else []
    if not report:
        print(
            f"✗ no workbook was published for {quarter}: see the failures above, dbt's log in {log_path} "
            f"and run {result.run_id} in `make dev`",
            file=sys.stderr,
        )
        _tell_operations(data.root, result)
        return 1
    meta = report[-1].metadata
    verb = "published" if meta["status"].value == "published" else "unchanged, already published"
    print(f"[{time.monotonic() - started:6.1f}s] workbook {verb}: {meta['path'].value}")
    return 0


def _write_demo(landing: Path) -> int:
    from sources.demo.generate import write_demo

    return len(write_demo(landing))


def _tell_operations(root: Path, result: dg.ExecuteInProcessResult) -> None:
    """The failed run to VC_OPERATIONS_RECIPIENTS, as the daemon's run-failure sensor mails a scheduled one."""
    from reports.delivery import mail_run_failure

    failures = [e for e in result.all_events if e.is_step_failure]
    error = "\n".join(f"{e.step_key}: {e.message}" for e in failures) or "the run failed before its steps"
    pending = mail_run_failure(root, result.run_id, JOB, error)
    if pending is not None:
        told = "operations were told by mail" if not pending else "the mail to operations is pending (next run)"
        print(f"  {told}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--quarter",
        default=os.environ.get("QUARTER") or None,
        help="e.g. 2025Q2 (default: QUARTER from the environment, else the last closed quarter)",
    )
    parser.add_argument(
        "--demo",
        action=argparse.BooleanOptionalAction,
        default=os.environ.get("VC_DEMO", "1") != "0",
        help="put the demo data into landing first (default on; VC_DEMO=0 turns it off)",
    )
    parser.add_argument("--wait", action="store_true", help="wait for a running pipeline instead of refusing")
    args = parser.parse_args()
    quarter = args.quarter or last_closed_quarter(dt.datetime.now(dt.UTC).date())
    code = run(quarter, args.demo, args.wait)
    # The interpreter's own teardown of Dagster's, dbt's and great-expectations' modules takes seconds and does
    # nothing a finished run needs: run the exit handlers (they stop the readers' process, close the log files),
    # flush, and end the process.
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
