"""dagster-dbt's CLI resource without the two start-up costs this project never uses.

Before every `dbt build`, `DbtCliResource.cli` (dagster-dbt 0.29) runs `dbt --version` in a subprocess to learn
which engine it drives, and builds a dbt-core adapter in this process (it loads the profile and parses all 515
macros) that serves only `fetch_column_metadata()` and `fetch_row_counts()`; what the two cost is measured in
docs/benchmarks.md. This project's dbt is dbt-core from this very environment and the assets fetch neither, so
the version comes from the package metadata and the adapter is not built.

Both are private methods of a pinned dagster-dbt: `tests/unit/test_dbt_cli.py` fails when an upgrade renames
them, rather than letting the saving silently disappear.
"""

from collections.abc import Sequence
from functools import cached_property
from importlib.metadata import version as installed_version

from dagster_dbt import DbtCliResource
from packaging import version


class WarehouseDbtCli(DbtCliResource):
    @cached_property
    def _cli_version(self) -> version.Version:
        # dbt_executable is the `dbt` of this interpreter's environment (see orchestration.defs.transform)
        return version.parse(installed_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:  # type: ignore[override]
        # dagster-dbt passes the adapter on to the invocation, which needs it only to fetch column metadata or
        # row counts; without it the build streams its events exactly the same.
        return None
