"""Run the whole pipeline for one quarter from the command line (what `make run` calls).

    python -m orchestration.run [--quarter 2025Q2] [--demo | --no-demo] [--wait]

Puts the demo data into the landing folders (unless --no-demo or VC_DEMO=0), then runs the job
`quarterly_pipeline` in this process against the instance in $VC_DATA_DIR/dagster (so `make dev` shows the
run), printing progress by stage, and says where the workbook was published. Exit code 0 only when the
workbook was published or an identical one already was.
"""

import argparse
import ctypes
import datetime as dt
import fcntl
import gc
import importlib
import json
import logging
import os
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager, redirect_stdout, suppress
from pathlib import Path
from typing import TextIO

import dagster as dg

from orchestration.lib.locking import RUNNER, RUNNER_TAG, mark_held, release_dead_runs
from orchestration.lib.quarters import last_closed_quarter, quarter_to_partition_key
from orchestration.lib.settings import instance_yaml
from sources.demo.landing import demo_is_current
from sources.ingest import landing_looks_new
from sources.paths import DataDir

QUALITY_STEP = "source_checks"  # orchestration.defs.quality: every source's checks in one step
STAGES = {"warehouse_dbt_assets": "dbt build", "quarterly_report": "publish", QUALITY_STEP: "checks"}


class RunLocked(RuntimeError):
    pass


@contextmanager
def writer_lock(data: DataDir, wait: bool):
    """One pipeline run at a time per data directory: DuckDB allows a single writer."""
    path = data.root / ".pipeline.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            raise RunLocked(
                f"another pipeline run ({holder}) is writing {data.root}; wait for it to finish or rerun with --wait"
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()} since {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M:%S} UTC")
        fh.flush()
        mark_held(data.root, True)  # the assets' own step lock (orchestration.lib.locking) sees it is held here
        try:
            yield
        finally:
            mark_held(data.root, False)
            fh.seek(0)
            fh.truncate()
            fcntl.flock(fh, fcntl.LOCK_UN)


def prepare_instance(data: DataDir) -> Path:
    """DAGSTER_HOME inside the data directory, holding the project's dagster.yaml (or VC_DAGSTER_YAML's)."""
    home = data.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(instance_yaml(), home / "dagster.yaml")
    os.environ["DAGSTER_HOME"] = str(home)
    return home


class StepTimings:
    """Wall and CPU seconds per step (this process and its children, e.g. dbt) by stage, for `make bench`."""

    def __init__(self) -> None:
        self.started: dict[str, tuple[float, float]] = {}
        self.steps: dict[str, dict[str, float]] = {}

    @staticmethod
    def _cpu() -> float:
        own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    def event(self, step: str, kind: str) -> None:
        if kind == "STEP_START":
            self.started[step] = (time.monotonic(), self._cpu())
        elif kind in ("STEP_SUCCESS", "STEP_FAILURE") and step in self.started:
            wall, cpu = self.started.pop(step)
            now = time.monotonic()
            # start/end on the system's monotonic clock: `make bench` matches them to its memory samples
            self.steps[step] = {"wall_s": now - wall, "cpu_s": self._cpu() - cpu, "start": wall, "end": now}

    def stage_of(self, step: str) -> str:
        if step == QUALITY_STEP:
            return "checks"
        if step.startswith("raw__"):
            return "ingest"
        return {"warehouse_dbt_assets": "dbt build", "quarterly_report": "workbook"}.get(step, step)

    def by_stage(self) -> dict[str, dict[str, float]]:
        stages: dict[str, dict[str, float]] = {}
        for step, t in self.steps.items():
            stage = stages.setdefault(self.stage_of(step), {"wall_s": 0.0, "cpu_s": 0.0})
            stage["wall_s"] += t["wall_s"]
            stage["cpu_s"] += t["cpu_s"]
            stage["start"] = min(stage.get("start", t["start"]), t["start"])
            stage["end"] = max(stage.get("end", t["end"]), t["end"])
        return stages


class ProgressHandler(logging.Handler):
    """Prints one line per stage event instead of Dagster's full debug log."""

    def __init__(self, started: float, out: TextIO) -> None:
        super().__init__(logging.DEBUG)  # Dagster's step events are logged at DEBUG
        self.started = started
        self.out = out
        self.counts: dict[str, Counter[str]] = {}
        self.timings = StepTimings()
        self.prefetch: threading.Thread | None = None  # an import the first step waits for

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", {}) or {}
        event = meta.get("dagster_event")
        step = meta.get("step_key") or ""
        stage = STAGES.get(step, "ingest" if step.startswith("raw__") else step)
        line = None
        counts = self.counts.setdefault(step, Counter())
        if event is not None and event.event_type_value == "STEP_START" and self.prefetch is not None:
            self.prefetch.join()  # the step starts on a quiet interpreter, not beside the import
            self.prefetch = None
            gc.freeze()  # the imported modules too: no collection scans them again
        if event is not None:
            self.timings.event(step, event.event_type_value)
        if event is None:
            message = str(meta.get("orig_message", record.getMessage())).strip()
            if message.startswith("warehouse up to date"):
                counts["skipped"] += 1
                line = f"  {message}"
            elif record.levelno >= logging.WARNING or (
                record.levelno >= logging.INFO and step and stage != "dbt build"
            ):
                line = f"  {message}"
        elif event.event_type_value == "ASSET_MATERIALIZATION":
            counts["assets"] += 1
        elif event.event_type_value == "STEP_SUCCESS" and stage == "dbt build" and counts["skipped"]:
            line = f"  ✓ nothing to build; {counts['checks passed']} test results of that build stand"
        elif event.event_type_value == "STEP_SUCCESS" and stage == "dbt build":
            line = f"  ✓ {counts['assets']} models and seeds built, {counts['checks passed']} tests passed"
        elif event.event_type_value == "STEP_START":
            line = f"▸ {stage}: {step.replace('__', '/')}" if stage == "ingest" else f"▸ {stage}"
            if step == QUALITY_STEP:
                line = "▸ checks: readable deliveries, great-expectations suites"
        elif event.event_type_value == "STEP_FAILURE":
            error = event.step_failure_data.error
            while error.cause is not None:  # the user-code error, not Dagster's wrapper
                error = error.cause
            line = f"✗ {stage} failed: {error.message.strip()}"
        elif event.event_type_value == "ASSET_CHECK_EVALUATION":
            data = event.event_specific_data
            counts["checks passed" if data.passed else "checks failed"] += 1
            if not data.passed:
                line = f"  ✗ check {data.check_name} on {data.asset_key.to_user_string()} failed"
        elif event.event_type_value == "STEP_SKIPPED":
            line = f"- {stage} skipped (an upstream step or blocking check failed)"
        if line:
            print(f"[{time.monotonic() - self.started:6.1f}s] {line}", file=self.out, flush=True)


def _die_with_parent() -> None:
    """In a child: be killed when the parent dies (Linux's PR_SET_PDEATHSIG; elsewhere nothing)."""
    with suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)


def _import_in_background(module: str) -> threading.Thread:
    """Import a slow module while Dagster creates the run (about 1.7 s of great-expectations hidden at demo
    scale). The steps wait for it (ProgressHandler): an import beside an ingest step would halve its speed."""

    def _import() -> None:
        # on failure the step that needs the module imports it again and reports the error there
        with suppress(Exception):
            importlib.import_module(module)

    thread = threading.Thread(target=_import, name=f"import {module}", daemon=True)
    thread.start()
    return thread


def _write_timings(path: Path, setup_s: float, started: float, timings: StepTimings) -> None:
    """Seconds per stage of the last run (read by `make bench`)."""
    record = {
        "setup_wall_s": round(setup_s, 3),  # demo data, Dagster and the definitions imported
        "total_wall_s": round(time.monotonic() - started, 3),
        "stages": {k: {m: round(v, 3) for m, v in t.items()} for k, t in timings.by_stage().items()},
        "steps": {k: {m: round(v, 3) for m, v in t.items()} for k, t in timings.steps.items()},
    }
    path.write_text(json.dumps(record, indent=1, sort_keys=True), encoding="utf-8")


def run(quarter: str, demo: bool, wait: bool) -> int:
    from sources.safety import require_defusedxml

    require_defusedxml()  # before any delivered file is opened
    data = DataDir.current().ensure()
    os.environ["VC_DATA_DIR"] = str(data.root)
    started = time.monotonic()
    try:
        with writer_lock(data, wait):
            landing, writer = data.root / "landing", None
            if demo and demo_is_current(landing):
                print(f"[{time.monotonic() - started:6.1f}s] demo data: unchanged in {landing}")
            elif demo:
                # written by a child process while this one loads Dagster, dbt and the definitions (about 1 s hidden)
                writer = subprocess.Popen(
                    [sys.executable, "-m", "sources.demo.landing", str(landing)],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                    preexec_fn=_die_with_parent,  # never a writer left in landing after this process and its lock
                )
            prepare_instance(data)
            from orchestration.definitions import defs
            from orchestration.defs.ingest import CONTRACTS

            if writer is not None:
                out, err = writer.communicate()
                if writer.returncode != 0:
                    raise RuntimeError(f"the demo data could not be written:\n{err[-3000:]}")
                print(f"[{time.monotonic() - started:6.1f}s] demo data: {out.strip()}")

            # Dagster, dbt and the definitions are loaded for good: no garbage collection needs to scan them again
            # (a full collection over them took 0.2 s, each time a large file's memory was handed back)
            gc.freeze()

            handler = ProgressHandler(started, sys.stdout)

            @dg.logger
            def progress_logger(_init_context: dg.InitLoggerContext) -> logging.Logger:
                logger = logging.getLogger("vc.progress")
                logger.setLevel(logging.DEBUG)
                logger.handlers = [handler]
                logger.propagate = False
                return logger

            job = dg.Definitions.merge(defs, dg.Definitions(loggers={"progress": progress_logger})).resolve_job_def(
                "quarterly_pipeline"
            )
            setup_s = time.monotonic() - started
            print(f"[{setup_s:6.1f}s] running quarterly_pipeline for {quarter} (data directory {data.root})")
            log_path = data.root / "logs" / "last-run.log"
            log_path.parent.mkdir(exist_ok=True)
            # dbt's own node-by-node output goes to the log file; the terminal gets one line per stage
            with dg.DagsterInstance.get() as instance, log_path.open("w") as log, redirect_stdout(log):
                if any(landing_looks_new(c, data) for c in CONTRACTS):  # else nothing to validate
                    handler.prefetch = _import_in_background("great_expectations")
                if dead := release_dead_runs(instance):  # a killed run's pool slot would block this one for ever
                    print(f"[{time.monotonic() - started:6.1f}s] released {len(dead)} killed run(s)", file=sys.stderr)
                result = job.execute_in_process(
                    partition_key=quarter_to_partition_key(quarter),
                    instance=instance,
                    raise_on_error=False,
                    run_config={"loggers": {"progress": {}}},
                    tags={RUNNER_TAG: RUNNER},
                )
            _write_timings(data.root / "logs" / "last-run-timings.json", setup_s, started, handler.timings)
    except RunLocked as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 3
    report = [m for m in result.asset_materializations_for_node("quarterly_report")] if result.success else []
    if not report:
        print(
            f"✗ no workbook was published for {quarter}: see the failures above, dbt's log in {log_path} "
            f"and run {result.run_id} in `make dev`",
            file=sys.stderr,
        )
        return 1
    meta = report[-1].metadata
    path = meta["path"].value
    verb = "published" if meta["status"].value == "published" else "unchanged, already published"
    print(f"[{time.monotonic() - started:6.1f}s] workbook {verb}: {path}")
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quarter", help="e.g. 2025Q2 (default: the last closed quarter)")
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
    # Everything is written, closed and flushed: skip the interpreter's teardown of the ~4,500 modules Dagster,
    # dbt and great-expectations loaded (about 1.5 s of every run; measured with an atexit timestamp).
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
