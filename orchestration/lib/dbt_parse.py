"""dbt's parse of the project for a run, started ahead of the dbt step.

dbt parses the whole project again whenever the vars or the profile differ from those of the last parse in the
target folder, and the data directory's path is in both: the first run in a data directory always parses it
whole, on the run's critical path. `make run` (orchestration.run) starts that parse, with the run's own vars,
target folder and environment, as soon as it knows a run is needed; it runs on the other core while Dagster
creates the run and ingest and the source checks run. The dbt step waits for it, and `dbt build` then finds a
partial-parse file made with its own settings and parses nothing.

`make setup` parses once for the data directory its environment names (`python -m orchestration.lib.dbt_parse`):
that parse is the manifest the definitions are built from and the partial-parse file of that directory's first
run, so the README's first `make run` parses nothing whole.

A parse ahead is only worth its seconds of CPU (they are taken from ingest, on a small machine) when the build
would parse the whole project: each parse and build records what dbt's whole-parse decision depends on (the vars,
the environment the profile and project read, the dbt packages' versions, profiles.yml and dbt_project.yml) in
the target folder, and a run whose settings match that record starts none. Changed models need no parse ahead:
the build's partial parse reads just those files.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as installed_version
from pathlib import Path

from orchestration.lib.dbt_project import DBT_EXECUTABLE, DBT_MANIFEST, DBT_PROJECT_DIR
from sources.lib.archive import atomic_write_bytes

_started: dict[Path, tuple[subprocess.Popen[bytes], str]] = {}
PARSED_WITH = "vc_parsed_with.json"  # in the target folder, beside dbt's partial_parse.msgpack
_ENV_VAR = re.compile(r"env_var\(\s*['\"](\w+)['\"]")
_CONFIG_FILES = ("profiles.yml", "dbt_project.yml")
_PACKAGES = ("dbt-core", "dbt-duckdb", "dbt-postgres")


def dbt_environment(target: Path) -> dict[str, str]:
    """The environment dagster-dbt gives `dbt build` (DbtCliResource.cli), as far as dbt's parse depends on it."""
    return {
        **os.environ,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_TARGET_PATH": os.fspath(target),
        "DBT_LOG_PATH": os.fspath(target),
        "DBT_PROFILES_DIR": os.fspath(DBT_PROJECT_DIR),
        "DBT_PROJECT_DIR": os.fspath(DBT_PROJECT_DIR),
    }


def _parse_command(dbt_vars_json: str) -> list[str]:
    return [os.fspath(DBT_EXECUTABLE), "parse", "--quiet", "--vars", dbt_vars_json]


def parse_settings(dbt_vars_json: str) -> str:
    """What decides whether dbt parses the whole project rather than only the files that changed."""
    texts = {name: (DBT_PROJECT_DIR / name).read_text(encoding="utf-8") for name in _CONFIG_FILES}
    names = sorted({v for text in texts.values() for v in _ENV_VAR.findall(text)})
    return json.dumps(
        {
            "vars": json.loads(dbt_vars_json),
            "environment": {name: os.environ.get(name) for name in names},
            "packages": {name: _version(name) for name in _PACKAGES},
            "files": {name: hashlib.sha256(text.encode()).hexdigest() for name, text in texts.items()},
        },
        sort_keys=True,
    )


def _version(package: str) -> str | None:
    try:
        return installed_version(package)
    except PackageNotFoundError:
        return None


def parsed_with(target: Path, dbt_vars_json: str) -> bool:
    """Whether dbt's last parse into `target` (a parse or a build) had these settings: a build then parses only
    what changed."""
    record = target / PARSED_WITH
    try:
        return (target / "partial_parse.msgpack").exists() and record.read_text() == parse_settings(dbt_vars_json)
    except OSError:
        return False


def record_parse(target: Path, dbt_vars_json: str) -> None:
    """Note that dbt just parsed into `target` with these settings (after a parse or build that succeeded)."""
    atomic_write_bytes(target / PARSED_WITH, parse_settings(dbt_vars_json).encode())


def start_parse(target: Path, dbt_vars_json: str) -> None:
    """Start `dbt parse` into `target` with these vars, unless this process started one there already (running or
    done, until `wait_for_parse`) or dbt's last parse there had the same settings."""
    if target in _started or parsed_with(target, dbt_vars_json):
        return
    target.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        _parse_command(dbt_vars_json),
        cwd=DBT_PROJECT_DIR,
        env=dbt_environment(target),
        stdout=subprocess.DEVNULL,  # its log is dbt.log in the target folder; a failed parse fails the build again
        stderr=subprocess.DEVNULL,
    )
    _started[target] = (process, dbt_vars_json)


def wait_for_parse(target: Path) -> None:
    """Wait for a parse started into `target`; the build that follows reports any error the parse had."""
    started = _started.pop(target, None)
    if started is not None and started[0].wait() == 0:
        record_parse(target, started[1])


def parse_for_setup(manifest: Path = DBT_MANIFEST) -> int:
    """`make setup`: parse the project as the environment's run will (its vars, its data directory's target
    folder) and put the manifest where the definitions read it. With the data directory's writer lock only: while
    a run holds it (or the directory cannot be written), the parse goes to the manifest's own folder and leaves the
    data directory alone. dbt's exit code."""
    from filelock import Timeout

    from orchestration.resources import settings_from_environment, writer_lock

    settings = settings_from_environment()
    target, held = manifest.parent, False
    try:
        lock = writer_lock(settings.data.root)
        lock.acquire(timeout=0)
    except (Timeout, OSError):  # a run holds it, or the data directory cannot be written (yet): as before
        pass
    else:
        target, held = settings.dbt_target, True
    try:
        target.mkdir(parents=True, exist_ok=True)
        command = _parse_command(settings.dbt_vars_json())
        code = subprocess.call(command, cwd=DBT_PROJECT_DIR, env=dbt_environment(target))
        if code == 0:
            record_parse(target, settings.dbt_vars_json())
        if code == 0 and target != manifest.parent:
            manifest.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(manifest, (target / "manifest.json").read_bytes())  # never half a manifest
        return code
    finally:
        if held:
            lock.release()


if __name__ == "__main__":
    import argparse

    cli = argparse.ArgumentParser(description="make setup's dbt parse (parse_for_setup)")
    cli.add_argument("--manifest", type=Path, default=DBT_MANIFEST, help="where the definitions' manifest goes")
    raise SystemExit(parse_for_setup(cli.parse_args().manifest))
