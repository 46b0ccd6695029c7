"""The run's configuration and its hold on the data directory, as Dagster resources.

`PipelineSettings` is where every asset learns the data directory, the workbook's language, the date the
warehouse is built as of and which warehouse that is (DuckDB or PostgreSQL). The definitions bind its fields to
`VC_DATA_DIR`, `VC_REPORT_LANGUAGE`, `VC_AS_OF_DATE` and `VC_WAREHOUSE` (the Makefile exports all four, with
their defaults), read when a run starts; a run's own configuration may override them, as `make verify` does for
the temporary directory (and, on PostgreSQL, the temporary database) it rebuilds a revision in. The PostgreSQL
server itself is named by the standard libpq variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE), which
libpq, dbt's profile and `warehouse.Warehouse` read as they are.

`WriterLock` is the one rule that a data directory has one writer at a time (DuckDB never waits for a lock): every
step that reads the raw data as a whole or writes the warehouse or the reports (the checks, dbt, the report, the
delivery) asks for `$VC_DATA_DIR/.pipeline.lock`. Dagster's in-process executor initialises a run's resources once,
before its first step, so a run of `make run`, the daemon, the UI or a test holds it from its first step to the
end of its last. On Celery workers each step is a process of its own that takes it for itself: the ingest steps,
which ask only for their source's own lock (sources/lib/archive.py), then run side by side on separate workers, and
the steps that write the warehouse still take turns (docs/reliability.md). The operating system lets go of it
when the process dies, however it dies, so nothing has to clean up after a killed run.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
from filelock import FileLock, Timeout
from pydantic import Field

from sources.lib.paths import DataDir
from warehouse import ENGINES, Warehouse

LOCK_NAME = ".pipeline.lock"


class PipelineSettings(dg.ConfigurableResource):
    """Where the pipeline's state lives and how the workbook is built."""

    data_dir: str = Field(description="The data directory: landing, archive, raw, warehouse, reports")
    report_language: str = Field(default="sv", description="The workbook's language: sv or en")
    as_of_date: str = Field(default="", description="The date the warehouse is built as of (YYYY-MM-DD); empty: today")
    published_on: str = Field(
        default="",
        description="The publication date written into a new revision (YYYY-MM-DD); empty: today. Set by a rebuild "
        "of a published revision (make verify), which must carry the date it was first published on",
    )

    warehouse: str = Field(
        default="duckdb",
        description="The warehouse dbt builds and the report reads: duckdb (the data directory's file) or postgres "
        "(the server the libpq variables PGHOST, PGPORT, PGUSER, PGPASSWORD name; docs/deployment.md)",
    )
    warehouse_database: str = Field(
        default="",
        description="PostgreSQL only: the database (empty: PGDATABASE, else vc_warehouse). Set by a rebuild of a "
        "published revision (make verify), which builds in a temporary database of its own",
    )

    @property
    def data(self) -> DataDir:
        return DataDir(Path(self.data_dir).resolve())

    def as_of(self) -> str:
        """The as-of date the warehouse is built for, today when none is set."""
        return self.as_of_date or dt.datetime.now(dt.UTC).date().isoformat()

    def publication_date(self) -> dt.date:
        return dt.date.fromisoformat(self.published_on) if self.published_on else dt.datetime.now(dt.UTC).date()

    def warehouse_target(self) -> Warehouse:
        """The warehouse of this run: the data directory's DuckDB file, or the PostgreSQL database."""
        return Warehouse.of(self.warehouse, self.data, self.warehouse_database)

    def dbt_vars(self) -> dict[str, str]:
        """What dbt reads of these settings: the data directory (profiles.yml and the raw sources), the as-of
        date (empty: dbt's own current_date), and the warehouse (profiles.yml's target and database)."""
        return {
            "data_dir": str(self.data.root),
            "as_of_date": self.as_of_date,
            "warehouse": self.warehouse_target().engine,
            "pg_database": self.warehouse_database,
        }

    def dbt_vars_json(self) -> str:
        return json.dumps(self.dbt_vars(), sort_keys=True)

    @property
    def dbt_target(self) -> Path:
        # one fixed folder per data directory: no folder per run piling up, and dbt's partial parsing carries over
        return self.data.root / "dbt_target"


def writer_lock(root: Path) -> FileLock:
    """The data directory's writer lock. One object per path in a process (filelock's singletons), so `make run`,
    which takes it before writing the demo data, and the run it then executes hold it once, not twice."""
    root.mkdir(parents=True, exist_ok=True)
    return FileLock(root / LOCK_NAME, is_singleton=True, preserve_lock_file=True, on_acquired=_write_holder)


def _write_holder(fd: int) -> None:
    """Who holds the lock, for the message another run gets."""
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"pid {os.getpid()} since {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M:%S} UTC".encode(), 0)


def lock_holder(root: Path) -> str:
    try:
        return (root / LOCK_NAME).read_text(encoding="utf-8").strip() or "another process"
    except OSError:
        return "another process"


@dg.resource(
    required_resource_keys={"settings"},
    description="Held for the whole run: a second run of the same data directory waits until this one has finished",
)
def writer_lock_resource(context: dg.InitResourceContext) -> Iterator[None]:
    # the settings resource as this run configured it (a rebuild's temporary directory, not the environment's)
    root = context.resources.settings.data.root
    lock = writer_lock(root)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if context.log is not None:
            context.log.info(f"waiting for the writer lock of {root} ({lock_holder(root)})")
        lock.acquire()
    try:
        yield None
    finally:
        lock.release()


# What a step asks for to run inside the run's hold on the data directory (the resource yields nothing else)
WriterLock = dg.ResourceParam[None]

# The settings every run starts from: the environment when the run starts (the Makefile exports all four).
SETTINGS = PipelineSettings(
    data_dir=dg.EnvVar("VC_DATA_DIR"),
    report_language=dg.EnvVar("VC_REPORT_LANGUAGE"),
    as_of_date=dg.EnvVar("VC_AS_OF_DATE"),
    warehouse=dg.EnvVar("VC_WAREHOUSE"),
)
SETTING_VARIABLES = ("VC_DATA_DIR", "VC_REPORT_LANGUAGE", "VC_AS_OF_DATE", "VC_WAREHOUSE")


def settings_from_environment() -> PipelineSettings:
    """SETTINGS as a run would resolve them now, for the command-line entry points (run, verify, trace, dev)."""
    # Dagster's own config processing resolves the EnvVars and checks the fields; the resource is then built from
    # the values, as `process_config_and_initialize` would, without the init context it makes for it (an
    # ephemeral instance: half a second of SQLite schema set-up before `make run` even takes its lock)
    from dagster._config.post_process import post_process_config

    try:
        processed = post_process_config(SETTINGS._config_schema.config_type, SETTINGS._convert_to_config_dictionary())
        if not processed.success:
            raise dg.DagsterInvalidConfigError("the pipeline's settings", processed.errors, processed)
        settings = PipelineSettings(**processed.value)
    except Exception as exc:  # Dagster's error names the variable; say what to do about it
        names = ", ".join(v for v in SETTING_VARIABLES if v not in os.environ)
        raise SystemExit(
            f"the pipeline's settings are incomplete: {names or exc} not set in the environment. The Makefile sets "
            "all four (VC_AS_OF_DATE may be empty: today; VC_WAREHOUSE is duckdb unless you choose postgres); "
            "outside make, set them yourself."
        ) from None
    if settings.warehouse not in ENGINES:
        raise SystemExit(f"VC_WAREHOUSE={settings.warehouse!r}: expected one of {', '.join(ENGINES)}")
    return settings
