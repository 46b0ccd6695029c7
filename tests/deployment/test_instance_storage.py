"""The shared deployment's first start: `make serve` (webserver and daemon) and `make worker`, started at the same
moment against an empty Dagster database, each prepare the instance (orchestration.lib.instance.prepare_home), and
every one of them must come up. Dagster's own table creation is check-then-create; left to race, a loser fails on
PostgreSQL's catalogue ("type ... already exists") and its process exits, as a Celery worker did in CI.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.servers import Postgres, free_port

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]
STARTS = 6  # the webserver, the daemon, two workers and two submits of the documented deployment, at once

PREPARE = """
import sys
from pathlib import Path

import dagster, dagster_postgres, sqlalchemy  # imported before the start, which is then the same for all

from orchestration.lib.instance import prepare_home
from sources.lib.paths import DataDir

print("ready", flush=True)
sys.stdin.readline()
prepare_home(DataDir(Path(sys.argv[1])))
"""


def _tables(postgres: Postgres, database: str) -> set[str]:
    import psycopg2

    con = psycopg2.connect(host=postgres.host, port=postgres.port, user=postgres.user, dbname=database)
    try:
        with con.cursor() as cur:
            cur.execute("select table_name from information_schema.tables where table_schema = 'public'")
            return {name for (name,) in cur.fetchall()}
    finally:
        con.close()


@pytest.mark.parametrize("attempt", range(3))
def test_processes_starting_together_on_an_empty_database_all_come_up(
    postgres: Postgres, tmp_path: Path, attempt: int
) -> None:
    database = f"vc_first_start_{attempt}"
    postgres.create_database(database)
    env = {
        **os.environ,
        **postgres.env,
        "VC_DAGSTER_YAML": "deploy/dagster.postgres.yaml",
        "VC_DAGSTER_PGDATABASE": database,
    }
    starts = [
        subprocess.Popen(
            [sys.executable, "-c", PREPARE, str(tmp_path / "var")],
            cwd=REPO,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(STARTS)
    ]
    for start in starts:  # every one has imported what it needs ...
        assert start.stdout.readline().strip() == "ready"
    for start in starts:  # ... then all start together
        start.stdin.write("go\n")
        start.stdin.flush()
    outputs = [start.communicate(timeout=300)[0] for start in starts]
    failed = [out[-2000:] for start, out in zip(starts, outputs, strict=True) if start.returncode != 0]
    assert not failed, failed
    # Dagster's storages are there, whole: runs, the event log and schedules (an independent look at the catalogue)
    assert {"runs", "run_tags", "event_logs", "secondary_indexes", "jobs", "instigators"} <= _tables(postgres, database)
    settings = (tmp_path / "var" / "dagster" / "dagster.yaml").read_text(encoding="utf-8")
    assert settings == (REPO / "deploy" / "dagster.postgres.yaml").read_text(encoding="utf-8")


def test_a_dagster_database_that_cannot_be_reached_is_named_without_a_traceback(tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    env = {
        **os.environ,
        "PGHOST": "127.0.0.1",
        "PGPORT": str(port),
        "PGUSER": "vc",
        "PGPASSWORD": "not-to-be-shown",
        "VC_DAGSTER_YAML": "deploy/dagster.postgres.yaml",
        "VC_DAGSTER_PGDATABASE": "vc_dagster",
    }
    done = subprocess.run(
        [sys.executable, "-c", PREPARE, str(tmp_path / "var")],
        cwd=REPO,
        env=env,
        input="go\n",
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    message = done.stderr.strip()
    assert message.startswith("the Dagster database of deploy/dagster.postgres.yaml cannot be reached at "), message
    assert f"vc@127.0.0.1:{port}/vc_dagster" in message, message
    assert "not-to-be-shown" not in message  # a password is never shown
    assert "Connection refused" in message, message
