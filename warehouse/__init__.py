"""Which warehouse a run builds and reads: the embedded DuckDB file (the default) or a PostgreSQL server.

A run's settings name the engine (orchestration/resources.py: `PipelineSettings.warehouse`, bound to
VC_WAREHOUSE); the server is reached with the standard libpq variables (PGHOST, PGPORT, PGUSER, PGPASSWORD,
PGDATABASE, PGSSLMODE), with the same defaults as the `postgres` output of dbt_project/profiles.yml. No Dagster
here: the orchestration, the report and the trace use it alike.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from sources.lib.paths import DataDir

ENGINES = ("duckdb", "postgres")
# the schemas dbt builds; on PostgreSQL each is built as <schema>__build and published whole (see publish_build.sql)
DBT_SCHEMAS = ("reference", "staging", "marts", "reports")
RAW_SCHEMA = "raw"  # PostgreSQL only: the raw Parquet, copied by warehouse.load
BUILD_SUFFIX = "__build"


class WarehouseError(RuntimeError):
    pass


@dataclass(frozen=True)
class Warehouse:
    engine: str
    path: Path | None = None  # the DuckDB file
    host: str = ""
    port: int = 0
    user: str = ""
    database: str = ""
    password: str | None = field(default=None, repr=False, compare=False)  # never written anywhere
    sslmode: str = "prefer"

    @classmethod
    def of(cls, engine: str, data: DataDir, database: str = "") -> Warehouse:
        """The `engine`'s warehouse for the data directory `data`: its DuckDB file, or the PostgreSQL database the
        libpq variables name (`database` instead of PGDATABASE when given)."""
        engine = (engine or "duckdb").strip().lower()
        if engine not in ENGINES:
            raise WarehouseError(f"warehouse {engine!r} (VC_WAREHOUSE): expected one of {', '.join(ENGINES)}")
        if engine == "duckdb":
            return cls("duckdb", path=data.warehouse)
        env = os.environ
        return cls(
            "postgres",
            host=env.get("PGHOST") or "localhost",
            port=int(env.get("PGPORT") or 5432),
            user=env.get("PGUSER") or "postgres",
            database=database or env.get("PGDATABASE") or "vc_warehouse",
            password=env.get("PGPASSWORD") or None,
            sslmode=env.get("PGSSLMODE") or "prefer",
        )

    @classmethod
    def current(cls, data: DataDir | None = None) -> Warehouse:
        """The warehouse VC_WAREHOUSE names, for the data directory `data` (for command-line tools outside a run)."""
        return cls.of(os.environ.get("VC_WAREHOUSE", "duckdb"), data or DataDir.current())

    @classmethod
    def duckdb(cls, path: Path) -> Warehouse:
        return cls("duckdb", path=path)

    @property
    def is_postgres(self) -> bool:
        return self.engine == "postgres"

    def describe(self) -> dict[str, object]:
        """What a report's manifest records: the engine and where it ran (no password, no local path)."""
        if self.engine == "duckdb":
            return {"engine": "duckdb", "file": self.path.name if self.path else None}
        return {"engine": "postgres", "host": self.host, "port": self.port, "database": self.database}

    def label(self) -> str:
        if self.engine == "duckdb":
            return f"DuckDB {self.path}"
        return f"PostgreSQL {self.user}@{self.host}:{self.port}/{self.database}"

    def connect_args(self, database: str | None = None) -> dict[str, object]:
        """psycopg2.connect() keyword arguments for this server (the password only when one is set: libpq then
        reads ~/.pgpass)."""
        args: dict[str, object] = {
            "host": self.host,
            "port": self.port,
            "user": self.user,
            "dbname": database or self.database,
            "sslmode": self.sslmode,
            "application_name": "viable-cities-warehouse",
            "connect_timeout": 10,
        }
        if self.password:
            args["password"] = self.password
        return args

    def dbt_env(self) -> dict[str, str]:
        """The environment that makes dbt (profiles.yml) build this warehouse."""
        if self.engine == "duckdb":
            return {"VC_WAREHOUSE": "duckdb"}
        env = {
            "VC_WAREHOUSE": "postgres",
            "PGHOST": self.host,
            "PGPORT": str(self.port),
            "PGUSER": self.user,
            "PGDATABASE": self.database,
            "PGSSLMODE": self.sslmode,
        }
        if self.password:
            env["PGPASSWORD"] = self.password
        return env

    def with_database(self, database: str) -> Warehouse:
        """The same server, another database (make verify rebuilds in a temporary one)."""
        return Warehouse("postgres", None, self.host, self.port, self.user, database, self.password, self.sslmode)
