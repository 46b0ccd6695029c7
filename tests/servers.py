"""Throw-away PostgreSQL and Redis servers on 127.0.0.1 and a free port, for the deployment tests and `make bench`.

PostgreSQL is Debian's `postgresql` package (the binaries in /usr/lib/postgresql/<major>/bin, or PG_BINDIR):
a fresh cluster made with `initdb` in a temporary folder. `initdb` refuses to run as root, so under root the
cluster belongs to the `postgres` system user the package creates (`runuser -u postgres -- ...`). Durability is
switched off (fsync, full-page writes): the cluster lives for one test session. The database is created with
byte-order collation (LC_COLLATE C) and a UTF-8 character type, as docs/deployment.md asks of a warehouse
database, so that text sorts as it does in DuckDB.

Redis is Debian's `redis-server`, in the foreground, without persistence.

Each helper raises `ServerUnavailable` only when the binaries are absent; any other failure is an error.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DATABASE = "vc_warehouse"


class ServerUnavailable(RuntimeError):
    """The server's binaries are not installed here (the tests skip with this reason)."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postgres_bindir() -> Path:
    installed = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True)
    candidates = [os.environ.get("PG_BINDIR", ""), *installed]
    for folder in candidates:
        if folder and (Path(folder) / "initdb").exists():
            return Path(folder)
    if found := shutil.which("initdb"):
        return Path(found).parent
    raise ServerUnavailable(
        "PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin or on PATH): "
        "apt-get install postgresql (.ci/run does)"
    )


@dataclass(frozen=True)
class Postgres:
    host: str
    port: int
    user: str
    database: str
    folder: Path

    @property
    def env(self) -> dict[str, str]:
        """The libpq variables a client (dbt-postgres, psycopg2, dagster-postgres) reads."""
        return {
            "PGHOST": self.host,
            "PGPORT": str(self.port),
            "PGUSER": self.user,
            "PGPASSWORD": "",
            "PGDATABASE": self.database,
        }

    def create_database(self, name: str) -> None:
        """Another database on this server, with the warehouse's collation (see docs/deployment.md)."""
        import psycopg2

        con = psycopg2.connect(host=self.host, port=self.port, user=self.user, dbname="postgres")
        con.autocommit = True
        try:
            with con.cursor() as cur:
                cur.execute(
                    f"create database \"{name}\" template template0 encoding UTF8 lc_collate 'C' lc_ctype 'C.UTF-8'"
                )
        finally:
            con.close()


def _as_cluster_owner(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@contextlib.contextmanager
def postgres_server() -> Iterator[Postgres]:
    bindir = postgres_bindir()
    folder = Path(tempfile.mkdtemp(prefix="vc-pg-"))
    user = "postgres" if os.geteuid() == 0 else os.environ.get("USER", "postgres")
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    data, port = folder / "data", free_port()
    options = (
        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 "
        "-c fsync=off -c full_page_writes=off -c synchronous_commit=off -c max_connections=200"
    )
    pg_ctl = str(bindir / "pg_ctl")
    started = False
    try:
        subprocess.run(
            _as_cluster_owner(
                [str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", user, "-E", "UTF8", "--locale=C.UTF-8"]
            ),
            check=True,
            capture_output=True,
        )
        subprocess.run(
            _as_cluster_owner(
                [pg_ctl, "-D", str(data), "-o", options, "-l", str(folder / "server.log"), "-w", "start"]
            ),
            check=True,
            capture_output=True,
        )
        started = True
        server = Postgres("127.0.0.1", port, user, DATABASE, folder)
        server.create_database(DATABASE)
        yield server
    except subprocess.CalledProcessError as exc:
        log = folder / "server.log"
        raise RuntimeError(
            f"{exc.cmd} failed: {exc.stderr.decode(errors='replace')}\n"
            f"{log.read_text(errors='replace')[-2000:] if log.exists() else ''}"
        ) from exc
    finally:
        if started:
            subprocess.run(
                _as_cluster_owner([pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"]), capture_output=True
            )
        shutil.rmtree(folder, ignore_errors=True)


@dataclass(frozen=True)
class Redis:
    port: int

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


@contextlib.contextmanager
def redis_server() -> Iterator[Redis]:
    binary = shutil.which("redis-server") or (
        "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None
    )
    if binary is None:
        raise ServerUnavailable("redis-server is not installed: apt-get install redis-server (.ci/run does)")
    folder = Path(tempfile.mkdtemp(prefix="vc-redis-"))
    port = free_port()
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start on port {port} (exit {proc.poll()})")
            time.sleep(0.1)
        yield Redis(port)
    finally:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)
        if proc.poll() is None:
            proc.kill()
        shutil.rmtree(folder, ignore_errors=True)
