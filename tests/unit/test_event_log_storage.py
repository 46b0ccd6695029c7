"""The data directory's event log: Dagster's SQLite storage, with kept engines and WAL's normal synchronisation."""

from __future__ import annotations

import os
import sqlite3

import dagster as dg
from dagster._core.storage.event_log.sql_event_log import SqlEventLogStorage
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

from orchestration.lib.event_log_storage import LocalSqliteEventLogStorage
from orchestration.lib.instance import prepare_home
from sources.lib.paths import DataDir


def test_the_overridden_methods_still_exist_in_dagster() -> None:
    # an upgrade that renames or reshapes them would silently bring the per-statement engine back: fail here
    for name in ("_connect", "has_table", "from_config_value"):
        assert name in vars(SqliteEventLogStorage), name
        assert name in vars(LocalSqliteEventLogStorage), name
    for name in ("has_secondary_index", "_has_asset_key_col_on_connection"):
        assert name in vars(SqlEventLogStorage), name
        assert name in vars(LocalSqliteEventLogStorage), name
    # what the overriding _connect relies on: the attributes Dagster's __init__ sets, and its helpers
    for attribute in ("_db_lock", "_initialized_dbs"):
        assert attribute in SqliteEventLogStorage.__init__.__code__.co_names, attribute
    assert callable(SqliteEventLogStorage._initdb) and callable(SqliteEventLogStorage.conn_string_for_shard)


@dg.asset
def counted() -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata={"rows": 3})


@dg.asset_check(asset=counted)
def has_rows() -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=True)


def test_the_data_directory_instance_stores_and_reads_a_run_as_dagster_does(tmp_path) -> None:
    home = prepare_home(DataDir(tmp_path))
    with dg.DagsterInstance.from_config(str(home)) as instance:
        storage = instance.event_log_storage
        assert isinstance(storage, LocalSqliteEventLogStorage)
        # where Dagster's default storage keeps the files, so `make dev` reads the same history
        assert storage._base_dir == str((home / "history" / "runs").resolve())
        result = dg.materialize([counted, has_rows], instance=instance)
        assert result.success
        records = instance.get_records_for_run(result.run_id).records
        types = [r.event_log_entry.dagster_event_type for r in records if r.event_log_entry.is_dagster_event]
        assert types[0] == dg.DagsterEventType.ASSET_MATERIALIZATION_PLANNED
        assert dg.DagsterEventType.RUN_SUCCESS in types
        latest = instance.get_latest_materialization_event(dg.AssetKey("counted"))
        assert latest is not None and latest.asset_materialization.metadata["rows"].value == 3
        check = instance.event_log_storage.get_latest_asset_check_execution_by_key(
            [dg.AssetCheckKey(dg.AssetKey("counted"), "has_rows")]
        )
        assert check[dg.AssetCheckKey(dg.AssetKey("counted"), "has_rows")].status.value == "SUCCEEDED"
        # the connections it keeps use WAL with normal synchronisation (1); the files are in WAL mode
        with storage._connect(result.run_id) as conn:
            assert conn.exec_driver_sql("pragma synchronous").scalar() == 1
        assert sqlite3.connect(home / "history" / "runs" / "index.db").execute("pragma journal_mode").fetchone() == (
            "wal",
        )


def test_a_forked_child_does_not_use_the_parents_connections(tmp_path) -> None:
    home = prepare_home(DataDir(tmp_path))
    with dg.DagsterInstance.from_config(str(home)) as instance:
        storage = instance.event_log_storage
        assert dg.materialize([counted], instance=instance).success
        assert storage._engines
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: the engines are gone, and reading opens its own connection
            os.close(read)
            ok = not storage._engines and storage.has_table("event_logs")
            os.write(write, b"1" if ok else b"0")
            os._exit(0)
        os.close(write)
        assert os.read(read, 1) == b"1"
        os.waitpid(pid, 0)
        assert storage._engines  # the parent's are untouched


def test_a_copied_data_directory_opened_without_its_own_path_says_so(tmp_path) -> None:
    import shutil

    import pytest

    original = tmp_path / "var"
    with dg.DagsterInstance.from_config(str(prepare_home(DataDir(original)))) as instance:
        assert dg.materialize([counted], instance=instance).success
    copy = tmp_path / "copy"
    shutil.copytree(original, copy)
    with pytest.raises(Exception, match="another data directory's: it was copied"):
        dg.DagsterInstance.from_config(str(copy / "dagster")).event_log_storage  # noqa: B018
    with dg.DagsterInstance.from_config(str(prepare_home(DataDir(copy)))) as instance:
        assert len(instance.get_runs()) == 1  # the copy's own history, the original's run copied with it
        assert dg.materialize([counted], instance=instance).success
    with dg.DagsterInstance.from_config(str(prepare_home(DataDir(original)))) as instance:
        assert len(instance.get_runs()) == 1  # nothing of the copy's run reached the original


def test_a_long_lived_process_keeps_the_index_and_the_newest_runs_engines(tmp_path, monkeypatch) -> None:
    from orchestration.lib import event_log_storage

    monkeypatch.setattr(event_log_storage, "KEPT_ENGINES", 3)
    home = prepare_home(DataDir(tmp_path))
    with dg.DagsterInstance.from_config(str(home)) as instance:
        runs = [dg.materialize([counted], instance=instance).run_id for _ in range(4)]
        storage = instance.event_log_storage
        assert "index" in storage._engines and len(storage._engines) <= 3
        assert runs[-1] in storage._engines and runs[0] not in storage._engines
        # a run whose engine was let go is read as before
        assert instance.get_records_for_run(runs[0]).records
