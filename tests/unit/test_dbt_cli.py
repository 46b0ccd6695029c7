"""The dbt CLI resource skips `dbt --version` and the in-process adapter: still the right version, still dbt."""

import re
import subprocess

from dagster_dbt import DbtCliResource

from orchestration.lib.dbt_cli import WarehouseDbtCli
from orchestration.lib.dbt_project import DBT_EXECUTABLE, DBT_PROJECT_DIR


def test_the_overridden_methods_still_exist_in_dagster_dbt() -> None:
    # an upgrade that renames them would silently bring the start-up cost back: fail here instead
    for name in ("_cli_version", "_initialize_dbt_core_adapter"):
        assert name in vars(DbtCliResource), name
        assert name in vars(WarehouseDbtCli), name


def test_version_is_the_one_dbt_itself_reports() -> None:
    printed = subprocess.run([DBT_EXECUTABLE, "--version"], capture_output=True, text=True, check=True).stdout
    expected = re.search(r"installed:\s*(\d+\.\d+\.\d+)", printed).group(1)
    resource = WarehouseDbtCli(project_dir=str(DBT_PROJECT_DIR), dbt_executable=str(DBT_EXECUTABLE))
    assert str(resource._cli_version) == expected
    assert resource._initialize_dbt_core_adapter(["build"]) is None
