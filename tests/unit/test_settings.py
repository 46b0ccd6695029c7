"""The pipeline's settings as the command-line entry points resolve them (orchestration.resources)."""

from __future__ import annotations

import pytest

from orchestration.resources import SETTING_VARIABLES, SETTINGS, settings_from_environment


def _environment(monkeypatch: pytest.MonkeyPatch, **values: str) -> None:
    for name in SETTING_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in values.items():
        monkeypatch.setenv(name, value)


def test_the_settings_are_what_dagster_resolves_from_the_environment(monkeypatch, tmp_path) -> None:
    # the quick path (no init context, no ephemeral instance) gives what Dagster's own initialisation gives: an
    # upgrade that changes either fails here
    values = {"VC_REPORT_LANGUAGE": "en", "VC_AS_OF_DATE": "2026-06-30", "VC_WAREHOUSE": "duckdb"}
    _environment(monkeypatch, VC_DATA_DIR=str(tmp_path), **values)
    settings = settings_from_environment()
    assert settings == SETTINGS.process_config_and_initialize()
    assert (settings.data_dir, settings.report_language, settings.as_of_date) == (str(tmp_path), "en", "2026-06-30")


def test_a_missing_setting_is_named(monkeypatch, tmp_path) -> None:
    _environment(monkeypatch, VC_DATA_DIR=str(tmp_path), VC_REPORT_LANGUAGE="sv", VC_WAREHOUSE="duckdb")
    with pytest.raises(SystemExit, match="VC_AS_OF_DATE not set in the environment"):
        settings_from_environment()


def test_an_unknown_warehouse_is_refused(monkeypatch, tmp_path) -> None:
    _environment(
        monkeypatch, VC_DATA_DIR=str(tmp_path), VC_REPORT_LANGUAGE="sv", VC_AS_OF_DATE="", VC_WAREHOUSE="oracle"
    )
    with pytest.raises(SystemExit, match="VC_WAREHOUSE='oracle': expected one of duckdb, postgres"):
        settings_from_environment()
