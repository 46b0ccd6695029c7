"""Dagster's SQLite event log, with one engine per database file and WAL's normal synchronisation.

A run of the quarterly pipeline stores some 800 events: one per dbt model and test, the checks' plans and results,
the materialisations. Dagster 1.13's `SqliteEventLogStorage` builds a new SQLAlchemy engine for every statement
(about five per event: the run's file, the cross-run index, the asset and check tables) and closes its connection
after it; closing a database's last connection checkpoints the write-ahead log into the file, and with SQLite's
default `synchronous=FULL` every commit waits for the disk besides. That made storing the events the largest cost
of a `make run` on the demo data (docs/benchmarks.md). This storage keeps one engine, holding one open connection,
per database file for the life of the process (a forked child drops them: SQLAlchemy's advice for pools and
fork), and sets `synchronous=NORMAL`, which SQLite documents as safe from corruption in WAL mode (Dagster creates
the files in WAL mode): a power cut can lose the last events written, never damage the history. What the files'
schema holds (tables, columns, completed data migrations), which Dagster inspects before storing each event, is
remembered once seen.

It is configured in dagster.yaml; the shared deployment keeps its events in PostgreSQL (deploy/dagster.postgres.yaml)
and does not use it. The methods it overrides are a pinned Dagster's: tests/unit/test_event_log_storage.py fails
when an upgrade renames them, rather than letting the storage silently fall back to the slow path.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from dagster._core.errors import DagsterInvariantViolationError
from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    INDEX_SHARD_NAME,
    SQLITE_BUSY_TIMEOUT_SECONDS,
    SqliteEventLogStorage,
)
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool

KEPT_ENGINES = 16


def _normal_synchronisation(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")


class LocalSqliteEventLogStorage(SqliteEventLogStorage):
    """`SqliteEventLogStorage` (config: `base_dir`, the folder of the run and index databases) without an engine
    per statement and a disk flush per commit."""

    def __init__(self, base_dir: str, inst_data: Any = None) -> None:
        self._engines: dict[str, Engine] = {}
        # what the files' schema holds, once seen: (kind, name) of tables, columns and completed data migrations
        self._seen: set[tuple[str, str]] = set()
        alive = weakref.ref(self)
        os.register_at_fork(after_in_child=lambda: (storage := alive()) and storage._forget_engines())
        super().__init__(base_dir, inst_data=inst_data)

    def _forget_engines(self) -> None:
        # the parent's open connections are not the child's to use or close
        for engine in self._engines.values():
            engine.dispose(close=False)
        self._engines = {}

    @classmethod
    def from_config_value(cls, inst_data: Any, config_value: Any) -> LocalSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str) -> Engine:
        engine = self._engines.get(shard)
        if engine is None:
            if len(self._engines) >= KEPT_ENGINES:  # a long-lived webserver reads many runs' files: the oldest run's
                oldest = next(name for name in self._engines if name != INDEX_SHARD_NAME)
                self._engines.pop(oldest).dispose()
            engine = create_engine(
                self.conn_string_for_shard(shard),
                # one connection per file is enough: _connect holds the storage's lock while it is in use
                poolclass=QueuePool,
                pool_size=1,
                connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS},
            )
            event.listen(engine, "connect", _normal_synchronisation)
            self._engines[shard] = engine
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Any]:
        # as SqliteEventLogStorage._connect (dagster 1.13), with the shard's engine kept
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def register_instance(self, instance: Any) -> None:
        # The path is written into the data directory's dagster.yaml (orchestration.lib.instance.prepare_home): a
        # copied data directory opened without it would otherwise write into the original's history.
        super().register_instance(instance)
        own = os.path.abspath(os.path.join(instance.root_directory, "history", "runs"))
        if own != self._base_dir:
            raise DagsterInvariantViolationError(
                f"{instance.root_directory}/dagster.yaml keeps its run history in {self._base_dir}, another data "
                "directory's: it was copied. Open it through orchestration.lib.instance.prepare_home (every make "
                "command does), which writes this directory's own path there."
            )

    def _once_yes(self, kind: str, name: str, ask: Callable[[], bool]) -> bool:
        # Dagster asks these before storing each event; a table, a column or a completed data migration, once
        # there, stays (migrations only add), so a yes is kept and a no is asked again
        if (kind, name) not in self._seen and ask():
            self._seen.add((kind, name))
        return (kind, name) in self._seen

    def has_table(self, table_name: str) -> bool:
        # (the index's engine without the lock: it is also asked inside _connect, from _store_asset_event_tags)
        def ask() -> bool:
            engine = self._engine(INDEX_SHARD_NAME)
            with engine.connect() as conn:
                return bool(engine.dialect.has_table(conn, table_name))

        return self._once_yes("table", table_name, ask)

    def _has_asset_key_col_on_connection(self, conn: Any, column_name: str) -> bool:
        return self._once_yes(
            "column", column_name, partial(super()._has_asset_key_col_on_connection, conn, column_name)
        )

    def has_secondary_index(self, name: str) -> bool:
        return self._once_yes("data migration", name, partial(super().has_secondary_index, name))

    def dispose(self) -> None:
        for engine in self._engines.values():
            engine.dispose()
        self._engines.clear()
        super().dispose()
