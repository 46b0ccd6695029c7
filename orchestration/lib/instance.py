"""The Dagster instance of a data directory: DAGSTER_HOME is <data dir>/dagster, holding the instance settings.

The settings file is the repository's dagster.yaml (run history in SQLite files in the data directory), or the one
VC_DAGSTER_YAML names, relative to the repository: deploy/dagster.postgres.yaml keeps run, event-log and schedule
storage in PostgreSQL and queues runs (docs/deployment.md). `make run`, `make dev`, `make serve`, `make submit` and
`make worker` all prepare the instance the same way, so each sees the others' runs.

On PostgreSQL, preparing the instance also creates Dagster's tables, once, under an advisory lock: the webserver, the
daemon and the workers start at the same moment against an empty database, and Dagster's own table creation is a
check-then-create whose loser can fail on PostgreSQL's catalogue ("type ... already exists", which its retry does
not cover) and take that process down.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from sources.lib.paths import REPO_ROOT, DataDir

# pg_advisory_lock's key for creating the instance's tables: any constant, the same in every process
STORAGE_LOCK_KEY = 2030_0001


def instance_yaml() -> Path:
    """The instance settings to use: VC_DAGSTER_YAML, or the repository's dagster.yaml."""
    chosen = os.environ.get("VC_DAGSTER_YAML")
    path = Path(chosen) if chosen else REPO_ROOT / "dagster.yaml"
    path = path if path.is_absolute() else REPO_ROOT / path
    if not path.is_file():
        raise SystemExit(f"VC_DAGSTER_YAML={chosen}: no such file (e.g. deploy/dagster.postgres.yaml)")
    return path


def prepare_home(data: DataDir) -> Path:
    """DAGSTER_HOME of the data directory, holding the instance settings with its own path written for the
    `{dagster_home}` placeholder; its path."""
    home = data.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    settings = instance_yaml().read_text(encoding="utf-8").replace("{dagster_home}", str(home.resolve()))
    target = home / "dagster.yaml"
    if not target.is_file() or target.read_text(encoding="utf-8") != settings:
        # whole or not at all: another command starting at the same moment reads this file
        partial = target.with_name(f".dagster.yaml.{os.getpid()}")
        partial.write_text(settings, encoding="utf-8")
        partial.replace(target)
    postgres = ((yaml.safe_load(settings) or {}).get("storage") or {}).get("postgres")
    if postgres:
        _create_postgres_storage(home, postgres)
    return home


def _create_postgres_storage(home: Path, config: dict) -> None:
    """Dagster's tables in the instance's database, created by one process at a time (the others find them)."""
    import dagster as dg
    import sqlalchemy
    from dagster_postgres.utils import pg_url_from_config

    def resolved(value: object) -> object:  # the settings' {env: NAME} values, as Dagster reads them
        return os.environ.get(value["env"], "") if isinstance(value, dict) and "env" in value else value

    url = pg_url_from_config(
        {
            key: {name: resolved(part) for name, part in value.items()} if key == "postgres_db" else resolved(value)
            for key, value in config.items()
        }
    )
    engine = sqlalchemy.create_engine(url, poolclass=sqlalchemy.pool.NullPool)
    try:
        try:
            connection = engine.connect()
        except sqlalchemy.exc.OperationalError as exc:
            where = engine.url.render_as_string(hide_password=True)
            settings = instance_yaml()
            settings = settings.relative_to(REPO_ROOT) if settings.is_relative_to(REPO_ROOT) else settings
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise SystemExit(
                f"the Dagster database of {settings} cannot be reached at {where}: "
                f"{reason} (the PG* and VC_DAGSTER_PGDATABASE variables, docs/deployment.md)"
            ) from None
        with connection:
            connection.execute(sqlalchemy.text(f"select pg_advisory_lock({STORAGE_LOCK_KEY})"))
            try:
                dg.DagsterInstance.from_config(str(home)).dispose()
            finally:
                connection.execute(sqlalchemy.text(f"select pg_advisory_unlock({STORAGE_LOCK_KEY})"))
    finally:
        engine.dispose()
