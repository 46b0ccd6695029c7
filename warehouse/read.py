"""Read the published warehouse, read-only, with the same Python values from either engine.

On PostgreSQL the whole read is one read-only REPEATABLE READ transaction that first takes ACCESS SHARE locks
on every published table and only then its snapshot (PostgreSQL freezes the snapshot at the first query, not at
LOCK): a build that publishes meanwhile (macros/publish_build.sql) waits for the read to end, and a read never
sees a relation published after its snapshot, so it gets all old or all new tables, never a mix. On DuckDB the
file is opened read-only (DuckDB refuses it while a run writes).

Queries use `?` placeholders on both engines. Timestamps come back in UTC with `datetime.UTC`, whichever the
engine or the session's time zone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from warehouse import DBT_SCHEMAS, Warehouse, WarehouseError

Rows = list[dict[str, object]]


def _utc(value: object) -> object:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC)
    return value


class Reader:
    def __init__(self, cursor: object, engine: str) -> None:
        self._cursor = cursor
        self.engine = engine

    def _execute(self, sql: str, params: Sequence[object]) -> object:
        if self.engine == "postgres":
            # psycopg2's paramstyle: `%s`, and a literal % doubled
            sql = sql.replace("%", "%%").replace("?", "%s")
        self._cursor.execute(sql, list(params))
        return self._cursor

    def rows(self, sql: str, params: Sequence[object] = ()) -> Rows:
        cursor = self._execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, (_utc(v) for v in row), strict=True)) for row in cursor.fetchall()]

    def one(self, sql: str, params: Sequence[object] = ()) -> dict[str, object] | None:
        found = self.rows(sql, params)
        return found[0] if found else None


def _lock_published(con: object, cursor: object, attempts: int = 5) -> None:
    """Lock every published table, then let the first query take the snapshot (see the module's docstring)."""
    import psycopg2

    for attempt in range(attempts):
        cursor.execute(
            "select format('%%I.%%I', schemaname, tablename) from pg_tables where schemaname = any(%s) order by 1",
            [list(DBT_SCHEMAS)],
        )
        published = [row[0] for row in cursor.fetchall()]
        con.rollback()  # the listing's snapshot is not the read's
        cursor.execute("set time zone 'UTC'")
        if not published:
            return
        try:
            cursor.execute(f"lock table {', '.join(published)} in access share mode")
            return
        except psycopg2.errors.UndefinedTable:
            con.rollback()  # a build published between the listing and the lock: list again
            if attempt == attempts - 1:
                raise


@contextmanager
def read_only(target: Warehouse | Path) -> Iterator[Reader]:
    """A read-only reader of the warehouse (a Path is a DuckDB file)."""
    warehouse = Warehouse.duckdb(target) if isinstance(target, Path) else target
    if warehouse.is_postgres:
        import psycopg2

        try:
            con = psycopg2.connect(**warehouse.connect_args())
        except psycopg2.OperationalError as exc:
            raise WarehouseError(f"cannot connect to the warehouse ({warehouse.label()}): {exc}".strip()) from exc
        try:
            con.set_session(isolation_level="REPEATABLE READ", readonly=True)
            with con.cursor() as cursor:
                _lock_published(con, cursor)
                yield Reader(cursor, "postgres")
        finally:
            con.rollback()
            con.close()
        return
    import duckdb

    try:
        con = duckdb.connect(str(warehouse.path), read_only=True)
    except duckdb.IOException as exc:
        raise WarehouseError(
            f"the warehouse {warehouse.path} cannot be opened read-only (is a pipeline run writing it?): {exc}"
        ) from exc
    try:
        yield Reader(con, "duckdb")
    finally:
        con.close()


def is_published(target: Warehouse) -> bool:
    """Whether the warehouse holds a published build (its rpt_build_info table)."""
    if not target.is_postgres:
        return target.path is not None and target.path.exists()
    try:
        with read_only(target) as reader:
            found = reader.one("select to_regclass('reports.rpt_build_info') is not null as built")
    except WarehouseError:
        return False
    return bool(found and found["built"])
