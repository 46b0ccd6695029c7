"""One way to run: the landing sensor's run and `make run` publish the same bytes for the same inputs, both
revisions verify, and an unchanged rerun records nothing in the asset catalog.

The as-of date is not pinned here: the sensor asks for the last closed quarter of today, as it does in
`make dev`, and `make run` defaults to the same quarter.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest

from orchestration.lib.instance import prepare_home
from sources.demo.generate import write_demo
from sources.lib.paths import REPO_ROOT, DataDir

pytestmark = pytest.mark.integration


def _env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VC_", "DAGSTER_"))}
    settings = {"VC_DATA_DIR": str(root), "VC_REPORT_LANGUAGE": "sv", "VC_AS_OF_DATE": "", "VC_WAREHOUSE": "duckdb"}
    return env | settings | {"PYTHONUNBUFFERED": "1"}


def _make_run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`make run`'s path: the command the Makefile runs, in its own process."""
    return subprocess.run(
        [sys.executable, "-m", "orchestration.run", *args],
        cwd=REPO_ROOT,
        env=_env(root),
        capture_output=True,
        text=True,
        timeout=600,
    )


def _instance(root: Path) -> dg.DagsterInstance:
    # as every make command opens it: a copied data directory gets its own history's path
    return dg.DagsterInstance.from_config(str(prepare_home(DataDir(root))))


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory whose demo data `make run` has published (r1)."""
    root = tmp_path_factory.mktemp("base") / "var"
    done = _make_run(root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "workbook published" in done.stdout
    return root


def _new_delivery(root: Path) -> Path:
    """A second engagement log: the demo's with one more event, delivered an hour ago (settled for the sensor)."""
    demo = next((root / "landing" / "engagement_log").glob("*.csv"))
    new = demo.with_name("engagemang_tillagg.csv")
    new.write_bytes(demo.read_bytes() + b"ENG-9001;Eurocities;event;2025-05-21;;;Annual conference\n")
    stamp = time.time() - 3600
    os.utime(new, (stamp, stamp))
    return new


def _dbt_events(instance: dg.DagsterInstance) -> int:
    """Materializations and check evaluations of dbt assets in the instance's whole event log."""
    from orchestration.defs.transform import warehouse_dbt_assets

    keys = set(warehouse_dbt_assets.keys)
    count = 0
    for run in instance.get_runs():
        for entry in instance.all_logs(run.run_id):
            event = entry.dagster_event
            if event is None:
                continue
            if (event.is_step_materialization and event.asset_key in keys) or (
                event.event_type_value == "ASSET_CHECK_EVALUATION"
                and event.asset_check_evaluation_data.asset_key in keys
            ):
                count += 1
    return count


def test_the_first_runs_dbt_build_finds_the_project_parsed(published: Path) -> None:
    """make run parses the project for a new data directory ahead of the dbt step (orchestration.lib.dbt_parse),
    with the build's own vars, profile and environment: the build itself parses nothing."""
    invocations: dict[str, list[str]] = {}
    for line in (published / "dbt_target" / "dbt.log").read_text(encoding="utf-8").splitlines():
        if line.startswith("{"):
            info = json.loads(line)["info"]
            invocations.setdefault(info["invocation_id"], []).append(info["name"])
    build = list(invocations.values())[-1]
    assert "LogModelResult" in build  # the build's own log, at info level (orchestration.lib.dbt_project)
    assert "UnableToPartialParse" not in build  # dbt's "Unable to do partial parsing because ...": a full parse


def test_the_next_run_starts_no_parse_ahead(published: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build recorded the settings it parsed with: a next run with the same settings leaves the parsing to its
    build, which finds nothing to parse again or only the files that changed (orchestration.lib.dbt_parse)."""
    from orchestration.lib import dbt_parse
    from orchestration.resources import settings_from_environment

    for name, value in _env(published).items():
        monkeypatch.setenv(name, value)
    settings = settings_from_environment()
    assert dbt_parse.parsed_with(settings.dbt_target, settings.dbt_vars_json())
    dbt_parse.start_parse(settings.dbt_target, settings.dbt_vars_json())
    assert settings.dbt_target not in dbt_parse._started


def test_the_sensor_and_make_run_publish_the_same_bytes_and_both_verify(
    published: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from orchestration.definitions import defs
    from orchestration.defs.sensors import landing_files_sensor
    from orchestration.resources import PipelineSettings
    from orchestration.verify import verify

    by_sensor, by_make_run = tmp_path / "sensor" / "var", tmp_path / "make-run" / "var"
    for root in (by_sensor, by_make_run):
        shutil.copytree(published, root, symlinks=True)

    # The sensor's path: its own tick over the landing folders, and the run request it returns, executed as the
    # daemon would (the request's job, partition, tags and run configuration) on the data directory's instance
    new = _new_delivery(by_sensor)
    monkeypatch.setenv("VC_DATA_DIR", str(by_sensor))
    monkeypatch.setenv("VC_AS_OF_DATE", "")
    monkeypatch.setenv("VC_REPORT_LANGUAGE", "sv")
    with _instance(by_sensor) as instance:
        context = dg.build_sensor_context(
            instance=instance,
            definitions=defs,
            resources={"settings": PipelineSettings(data_dir=str(by_sensor))},
        )
        result = landing_files_sensor(context)
        [request] = result.run_requests
        assert request.asset_selection is None  # the whole job, as make run launches it
        run = defs.resolve_job_def(landing_files_sensor.job_name).execute_in_process(
            partition_key=request.partition_key,
            tags=request.tags,
            run_config=request.run_config,
            instance=instance,
        )
        assert run.success
    [mat] = run.asset_materializations_for_node("quarterly_report")
    assert mat.metadata["status"].value == "published" and mat.metadata["revision"].value == 2
    sensor_workbook = Path(str(mat.metadata["path"].value))

    # make run's path on the other copy, with the same delivery. Its archived record is copied over, so both
    # ingest one and the same delivery (whatever gives a delivery its vintage when it is archived)
    archive = by_sensor / "archive" / "engagement_log"
    for path in archive.iterdir():
        target = by_make_run / "archive" / "engagement_log" / path.name
        if not target.exists():
            shutil.copy2(path, target)
    shutil.copy2(new, by_make_run / "landing" / "engagement_log" / new.name)
    done = _make_run(by_make_run, "--no-demo")
    assert done.returncode == 0, done.stdout + done.stderr
    make_run_workbook = by_make_run / sensor_workbook.relative_to(by_sensor)
    assert f"workbook published: {make_run_workbook}" in done.stdout

    assert sensor_workbook.read_bytes() == make_run_workbook.read_bytes()
    for root, workbook in ((by_sensor, sensor_workbook), (by_make_run, make_run_workbook)):
        checked = verify(workbook, DataDir(root))
        assert checked.matches, checked.differences


def test_an_unchanged_rerun_launches_nothing_and_records_nothing(published: Path, tmp_path: Path) -> None:
    from orchestration.definitions import defs
    from orchestration.defs.sensors import landing_files_sensor
    from orchestration.resources import PipelineSettings

    root = tmp_path / "var"
    shutil.copytree(published, root, symlinks=True)
    with _instance(root) as instance:
        runs, events = len(instance.get_runs()), _dbt_events(instance)
    assert events > 100  # the first run built and tested the warehouse

    # make run again: the demo data is written again (the same bytes, new modification times)
    done = _make_run(root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "unchanged: nothing new since" in done.stdout and "no run" in done.stdout
    with _instance(root) as instance:
        assert len(instance.get_runs()) == runs
        assert _dbt_events(instance) == events
        # and the sensor, seeing the rewritten files, finds no new delivery either
        write_demo(root / "landing")
        for path in (root / "landing").rglob("*"):
            stamp = time.time() - 3600
            os.utime(path, (stamp, stamp))
        context = dg.build_sensor_context(
            instance=instance, definitions=defs, resources={"settings": PipelineSettings(data_dir=str(root))}
        )
        result = landing_files_sensor(context)
        assert not result.run_requests and "no new delivery" in result.skip_reason.skip_message


def test_trace_of_a_published_revision_is_that_revisions_evidence(published: Path, tmp_path: Path) -> None:
    """`make trace REPORT=<r1>` after a later delivery changed the figure: the evidence of r1's figure, from r1's
    inputs rebuilt as `make verify` rebuilds them, not the current warehouse's."""
    import csv

    root = tmp_path / "var"
    shutil.copytree(published, root, symlinks=True)
    [r1] = sorted((root / "reports").glob("*/*-r1.xlsx"))
    quarter = r1.parent.name
    register = root / "landing" / "klimatkontrakt_register" / "klimatkontrakt_register.csv"
    text = register.read_text(encoding="utf-8-sig")
    members = {row["Kommunkod"] for row in csv.DictReader(text.splitlines(), delimiter=";")}
    with (REPO_ROOT / "dbt_project" / "seeds" / "ref_municipalities.csv").open(encoding="utf-8") as fh:
        joining = next(r for r in csv.DictReader(fh) if r["municipality_code"] not in members)
    later = register.with_name("klimatkontrakt_register_2.csv")
    row = f"{joining['municipality_code']};{joining['municipality_name']};2025;2025-01-15;;2025;Vinnova\n"
    later.write_text("\ufeff" + text + row, encoding="utf-8")
    stamp = time.time() - 3600
    os.utime(later, (stamp, stamp))
    done = _make_run(root, "--no-demo")
    assert done.returncode == 0 and "-r2.xlsx" in done.stdout, done.stdout + done.stderr

    def trace(
        *report: str, indicator: str = "kk_municipalities", period: str = quarter
    ) -> subprocess.CompletedProcess[str]:
        extra = {"INDICATOR": indicator, "PERIOD": period} | ({"REPORT": report[0]} if report else {})
        return subprocess.run(
            [sys.executable, "-m", "orchestration.trace"],
            cwd=REPO_ROOT,
            env=_env(root) | extra,
            capture_output=True,
            text=True,
            timeout=600,
        )

    now, then = trace(), trace(str(r1))
    assert now.returncode == 0 and then.returncode == 0, now.stderr + then.stderr
    n = len(members)
    assert f"{n + 1} contributing rows summing to {n + 1}; recomputed {n + 1} (agrees)\n" in now.stdout
    assert "(the current warehouse)" in now.stdout
    assert f"{n} contributing rows summing to {n}; recomputed {n} (agrees)\n" in then.stdout
    assert f"({r1.name} rebuilt from its manifest)" in then.stdout
    evidence = (root / "traces" / f"kk_municipalities-{quarter}-SE-sv.csv").read_text(encoding="utf-8")
    assert "klimatkontrakt_register_2.csv" not in evidence  # the later delivery is not r1's
    # without GEO, the indicator's headline geography: the comparison group's for the other municipalities
    other = trace(indicator="other_emissions_kt", period="2023")
    assert other.returncode == 0, other.stdout + other.stderr
    assert other.stdout.startswith("other_emissions_kt 2023 non_members (the current warehouse): value ")
    # a mistyped indicator is refused from r1's data sheet, before the rebuild
    typo = trace(str(r1), indicator="kk_municipalites")
    assert typo.returncode == 1, typo.stdout + typo.stderr
    assert f"trace: 'kk_municipalites' is not in {r1.name}; its indicators: " in typo.stderr


def test_a_failed_make_run_tells_operations_by_mail(tmp_path: Path) -> None:
    """`make run` that publishes nothing mails operations itself (the daemon's run-failure sensor does it for
    scheduled runs): a corrected contract register that is not UTF-8 blocks publishing (the register's contract
    says so), the command exits with 1, and one mail names the run and the failed check."""
    from aiosmtpd.controller import Controller

    from tests.unit.test_delivery import Inbox, _free_port

    root = tmp_path / "var"
    assert _make_run(root).returncode == 0
    register = next((root / "landing" / "klimatkontrakt_register").glob("*.csv"))
    register.with_name("klimatkontrakt_register_rättad.csv").write_bytes(register.read_bytes() + b"\xff\xfe\n")
    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        mail = {"VC_SMTP_HOST": "127.0.0.1", "VC_SMTP_PORT": str(port), "VC_SMTP_TLS": "none",
                "VC_MAIL_FROM": "rapport@example.org", "VC_OPERATIONS_RECIPIENTS": "drift@example.org"}  # fmt: skip
        done = subprocess.run(
            [sys.executable, "-m", "orchestration.run", "--no-demo"], cwd=REPO_ROOT, env=_env(root) | mail,
            capture_output=True, text=True, timeout=600,
        )  # fmt: skip
    finally:
        controller.stop()
    assert done.returncode == 1, done.stdout + done.stderr
    assert "operations were told by mail" in done.stderr
    failures = [m for (_, to), m in zip(inbox.envelopes, inbox.messages, strict=True) if to == ["drift@example.org"]]
    [message] = [m for m in failures if "failed" in m["Subject"]]
    assert message["Subject"].startswith("Viable Cities warehouse: run ") and "quarterly_pipeline" in message["Subject"]
    assert "source_checks" in message.get_body(preferencelist=("plain",)).get_content()
