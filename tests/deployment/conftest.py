"""Real servers for the deployment tests: a throw-away PostgreSQL cluster and redis-server (tests/servers.py),
one each for the whole session, on 127.0.0.1 and free ports. Skipped, with the reason, only where the Debian
packages are not installed (.ci/run installs them)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TypeVar

import pytest

from tests.deployment.pipeline_runs import run_in_process
from tests.servers import Postgres, Redis, ServerUnavailable, postgres_server, redis_server

T = TypeVar("T")


def _started(server: AbstractContextManager[T]) -> Iterator[T]:
    try:
        started = server.__enter__()
    except ServerUnavailable as exc:
        pytest.skip(str(exc))
    try:
        yield started
    finally:
        server.__exit__(None, None, None)


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    yield from _started(postgres_server())


@pytest.fixture(scope="session")
def redis() -> Iterator[Redis]:
    yield from _started(redis_server())


@pytest.fixture(scope="session")
def duckdb_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo pipeline in-process on DuckDB: the reference the other shapes of the deployment must equal."""
    from sources.demo.generate import write_demo

    root = tmp_path_factory.mktemp("duckdb") / "var"
    write_demo(root / "landing")
    result = run_in_process(root, VC_WAREHOUSE="duckdb")
    assert result.success
    return root
