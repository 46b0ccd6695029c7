"""Real servers for the deployment tests: a throw-away PostgreSQL cluster and redis-server (tests/servers.py),
one each for the whole session, on 127.0.0.1 and free ports. Skipped, with the reason, only where the Debian
packages are not installed (.ci/run installs them)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.servers import Postgres, Redis, ServerUnavailable, postgres_server, redis_server


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    try:
        server = postgres_server()
        started = server.__enter__()
    except ServerUnavailable as exc:
        pytest.skip(str(exc))
    try:
        yield started
    finally:
        server.__exit__(None, None, None)


@pytest.fixture(scope="session")
def redis() -> Iterator[Redis]:
    try:
        server = redis_server()
        started = server.__enter__()
    except ServerUnavailable as exc:
        pytest.skip(str(exc))
    try:
        yield started
    finally:
        server.__exit__(None, None, None)
