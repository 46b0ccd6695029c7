"""A throw-away PostgreSQL database on the warehouse's server, for `make verify`'s rebuild.

Created with the warehouse's own collation settings (the check in warehouse.load holds for it too) and dropped
afterwards, whatever happened. Needs the CREATEDB privilege; without it the error says so.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from warehouse import Warehouse, WarehouseError


def _admin(warehouse: Warehouse, statement: str) -> None:
    import psycopg2

    con = psycopg2.connect(**warehouse.connect_args())
    try:
        con.autocommit = True  # create/drop database cannot run in a transaction
        with con.cursor() as cursor:
            cursor.execute(statement)
    except psycopg2.Error as exc:
        raise WarehouseError(f"{statement.split(' with ')[0]} on {warehouse.label()}: {str(exc).strip()}") from exc
    finally:
        con.close()


@contextmanager
def temporary_database(warehouse: Warehouse, purpose: str = "verify") -> Iterator[Warehouse]:
    name = f"{warehouse.database}_{purpose}_{uuid.uuid4().hex[:10]}"
    _admin(
        warehouse,
        f"create database \"{name}\" with template template0 encoding UTF8 lc_collate 'C' lc_ctype 'C.UTF-8'",
    )
    try:
        yield warehouse.with_database(name)
    finally:
        _admin(warehouse, f'drop database if exists "{name}" with (force)')
