"""Each source's dataset-level expectations, run by great-expectations on the data as the warehouse sees it.

A source declares them under `expectations:` in its source.yaml, each with a severity (error blocks the report;
warn is shown in the workbook's data-quality sheet): what only the whole table can show, such as its size, a
plausible range of a column in a subset of rows, a distribution. The contract's row rules (required, allowed
values, ranges, the key) are checked once, at ingest, which quarantines a breaking row with its reason.
Great-expectations is imported only where a suite runs (it costs seconds to import): a run's checks run in a child
of the checks' server (sources/lib/isolation.py), which imports it once, beside the pipeline rather than in it. A
run never raises: an internal error, or a child that dies, is a failed result with its message.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sources.lib.contract import SourceContract
from sources.lib.paths import DataDir


@dataclass(frozen=True)
class ExpectationSpec:
    expectation: str  # snake_case name, e.g. expect_column_values_to_not_be_null
    kwargs: dict[str, Any]
    severity: str  # error | warn
    origin: str  # where it comes from, for people reading the results


@dataclass
class ExpectationOutcome:
    expectation: str
    column: str | None
    severity: str
    success: bool
    unexpected_count: int | None
    observed: str | None
    origin: str


@dataclass
class SuiteResult:
    source: str
    rows: int
    outcomes: list[ExpectationOutcome] = field(default_factory=list)
    error: str | None = None  # great-expectations itself failed

    @property
    def blocking_failures(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success and o.severity == "error"]

    @property
    def warnings(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if not o.success and o.severity == "warn"]

    @property
    def passed(self) -> bool:
        return self.error is None and not self.blocking_failures


LINEAGE = ["source_file_sha256", "source_file_name", "vintage_at"]  # what ingest adds to every accepted row
_DELIVERY_ORDER = ["source_row", "delivery_scope"]  # what staging's newest-row rule reads besides


def expectations_for(contract: SourceContract) -> list[ExpectationSpec]:
    """The source's dataset-level expectations, as its source.yaml declares them under `expectations:`. The row
    rules of the contract (required, allowed, min/max, key) are not repeated here: ingest enforces them on every
    row and quarantines a row that breaks one."""
    return [
        ExpectationSpec(
            extra["expectation"],
            dict(extra["kwargs"]),
            extra["severity"],
            f"source.yaml: {extra['description'] or extra['expectation']}",
        )
        for extra in contract.expectations
    ]


def current_data(contract: SourceContract, data: DataDir) -> pd.DataFrame:
    """The rows the warehouse's staging keeps (dbt_project/macros/latest_vintage.sql): a snapshot's scope holds the
    rows of its newest delivery only, and per primary key the row of the newest delivery wins."""
    files = sorted(p for p in data.raw(contract.name).glob("*.parquet") if not p.name.startswith("_"))
    if not files:
        return pd.DataFrame(columns=[*contract.column_names, *LINEAGE])
    columns = [*contract.column_names, *LINEAGE, *_DELIVERY_ORDER]
    frame = pa.concat_tables([_read_compact(p, columns) for p in files], promote_options="default").to_pandas(
        ignore_metadata=True  # keep text as categoricals (the stored pandas types would decode them again)
    )
    if len(files) == 1:
        return frame  # one delivery: its own scope's newest, and it holds each key once (ingest rejects repeats)
    keep = pd.Series(True, index=frame.index)
    if "delivery_scope" in frame:  # files of ingest version 1 have none: increments
        newest = frame.groupby("delivery_scope", observed=True)["vintage_at"].transform("max")
        keep = frame["delivery_scope"].isna() | (frame["vintage_at"] == newest)
    if contract.primary_key:
        by = [c for c in ("vintage_at", "source_file_sha256", "source_row") if c in frame]
        order = frame.assign(source_file_sha256=frame["source_file_sha256"].astype(str)).sort_values(
            by, ascending=False, kind="stable"
        )
        keep &= ~order.duplicated(list(contract.primary_key), keep="first").reindex(frame.index)
    return frame[keep].reset_index(drop=True)


def _read_compact(path: Path, columns: list[str]) -> pa.Table:
    """The columns of one raw Parquet file, text dictionary-encoded: a file's name and hash repeated on millions
    of rows (and a city's name on each of its values) take a few bytes a row instead of a string each. Every
    text column comes out as the same dictionary type, whether the file stored it as text or as a dictionary
    (files ingested by earlier versions), so the files of a source concatenate."""
    schema = pq.read_schema(path)
    present = [c for c in columns if c in schema.names]
    table = pq.read_table(path, columns=present, read_dictionary=[c for c in present if _is_text(schema.field(c).type)])
    text = pa.dictionary(pa.int32(), pa.string())
    return table.cast(pa.schema([pa.field(f.name, text) if _is_text(f.type) else f for f in table.schema]))


def _is_text(kind: pa.DataType) -> bool:
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    return pa.types.is_string(kind) or pa.types.is_large_string(kind)


def _class_name(snake: str) -> str:
    return "".join(part.capitalize() for part in snake.split("_"))


def _observed(result: dict[str, Any]) -> str | None:
    for key in ("observed_value", "partial_unexpected_list"):
        value = result.get(key)
        if value not in (None, []):
            return json.dumps(value, default=str)[:200]
    return None


def _import_great_expectations() -> None:
    """The checks' server's warm-up: what a suite imports, once, before its children are forked."""
    import great_expectations
    import great_expectations.expectations  # noqa: F401
    from great_expectations.data_context.types.base import DataContextConfig  # noqa: F401


def _context(quality_root: Path | None) -> Any:
    """One great-expectations context for every suite of a run.

    With `quality_root`, suites and validation results are stores on disk (quality/gx/) and the Data Docs site is
    quality/data_docs/: its index lists every source's current result, not only the last one validated.
    """
    import great_expectations as gx
    from great_expectations.data_context.types.base import DataContextConfig, InMemoryStoreBackendDefaults

    defaults = InMemoryStoreBackendDefaults()
    if quality_root is not None:
        for store, folder in (
            (defaults.expectations_store_name, "expectations"),
            (defaults.validation_results_store_name, "validations"),
        ):
            defaults.stores[store]["store_backend"] = {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(quality_root / "gx" / folder),
            }
        defaults.data_docs_sites = {
            "local": {
                "class_name": "SiteBuilder",
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(quality_root / "data_docs"),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            }
        }
    config = DataContextConfig(store_backend_defaults=defaults, analytics_enabled=False)
    context = gx.get_context(mode="ephemeral", project_config=config)
    context.variables.progress_bars = {"globally": False}
    return context


def _forget_previous(quality_root: Path, source: str) -> None:
    """A source's older validation results leave the store and the site: the Data Docs show the current data."""
    for folder in (quality_root / "gx" / "validations" / source, quality_root / "data_docs" / "validations" / source):
        shutil.rmtree(folder, ignore_errors=True)


def _validate(context: Any, contract: SourceContract, frame: pd.DataFrame) -> SuiteResult:
    import great_expectations as gx
    import great_expectations.expectations as gxe

    result = SuiteResult(contract.name, len(frame))
    specs = expectations_for(contract)
    try:
        batch = context.data_sources.add_pandas(name=f"vc_{contract.name}").add_dataframe_asset(name=contract.name)
        definition = batch.add_batch_definition_whole_dataframe("current")
        suite = context.suites.add_or_update(
            gx.ExpectationSuite(
                name=contract.name,
                expectations=[getattr(gxe, _class_name(s.expectation))(**s.kwargs) for s in specs],
            )
        )
        # results come back grouped by what they compute, not in suite order: match them by expectation id
        spec_by_id = {e.id: spec for e, spec in zip(suite.expectations, specs, strict=True)}
        validation = context.validation_definitions.add_or_update(
            gx.ValidationDefinition(name=contract.name, data=definition, suite=suite)
        )
        # Arrow-backed dates are compared as plain dates; GX's pandas engine works on object or numpy columns.
        checked = frame.astype({c: "object" for c in frame.columns if str(frame[c].dtype).startswith("date32")})
        try:
            run = validation.run(batch_parameters={"dataframe": checked})
        finally:
            # the data source's engine caches the frame it validated (and the context outlives this call, as
            # great-expectations' current project): let both go, or every source's table stays in memory
            context.validation_definitions.delete(contract.name)
            context.data_sources.delete(f"vc_{contract.name}")
        outcomes = {}
        for outcome in run.results:
            spec = spec_by_id[outcome.expectation_config.id]
            details = outcome.result or {}
            outcomes[id(spec)] = ExpectationOutcome(
                expectation=spec.expectation,
                column=spec.kwargs.get("column") or ",".join(spec.kwargs.get("column_list", [])) or None,
                severity=spec.severity,
                success=bool(outcome.success),
                unexpected_count=details.get("unexpected_count"),
                observed=_observed(details),
                origin=spec.origin,
            )
        result.outcomes = [outcomes[id(spec)] for spec in specs]  # in suite order, for a stable report
    except Exception as exc:  # a check must report, not crash the run: the message is the result
        result.error = f"{type(exc).__name__}: {exc}"[:500]
    return result


def run_suites(
    jobs: Iterable[tuple[SourceContract, Callable[[], pd.DataFrame]]],
    quality_root: Path | None = None,
) -> list[SuiteResult]:
    """Validate each source's frame (loaded only when its turn comes, so one table is in memory at a time)
    against its source's expectations, in one great-expectations
    context; with `quality_root` the results are stored and the Data Docs built once at the end. Never raises:
    an error is the failed result's message."""
    jobs = list(jobs)
    if not jobs:  # nothing to validate: not even the import (seconds) is paid
        return []
    try:
        context = _context(quality_root)
    except Exception as exc:  # great-expectations cannot even start: every suite says why
        error = f"{type(exc).__name__}: {exc}"[:500]
        return [SuiteResult(contract.name, 0, error=error) for contract, _ in jobs]
    results = []
    for contract, load in jobs:
        if quality_root is not None:
            _forget_previous(quality_root, contract.name)
        results.append(_validate(context, contract, load()))
    if quality_root is not None and results:
        try:
            context.build_data_docs()
        except Exception as exc:  # the outcomes stand; the missing pages are said where the results are read
            for result in results:
                result.error = result.error or f"Data Docs not built: {type(exc).__name__}: {exc}"[:500]
    return results


def run_suite(contract: SourceContract, frame: pd.DataFrame, quality_root: Path | None = None) -> SuiteResult:
    """Validate one frame against the contract's suite; never raises."""
    return run_suites([(contract, lambda: frame)], quality_root)[0]


def results_dir(data: DataDir) -> Path:
    """Where each source's stored outcome lies (read by the workbook's data-quality sheet)."""
    return data.root / "quality" / "expectations"


def results_path(data: DataDir, source: str) -> Path:
    return results_dir(data) / f"{source}.json"


def check_sources(contracts: Iterable[SourceContract], data: DataDir) -> dict[str, SuiteResult]:
    """Run each source's expectations on its current data, in a child of the checks' server; write the results
    for the workbook and the Data Docs. A child that raises or dies fails every suite with what happened."""
    from sources.lib.isolation import Crashed, Raised, Returned, run_isolated

    contracts = list(contracts)
    if not contracts:  # nothing to validate: no server, no import
        return {}
    outcomes: list[Any] = []
    job = [(contracts, data)]
    run_isolated("sources.lib.expectations:_validate_sources", job, lambda _, o: outcomes.append(o), kind="checks")
    (outcome,) = outcomes
    if isinstance(outcome, Returned):
        return outcome.value  # type: ignore[return-value]
    if isinstance(outcome, Crashed):
        said = outcome.stderr_tail.strip()[-300:]
        error = outcome.describe("the checks' process") + (f": {said}" if said else "")
    else:
        assert isinstance(outcome, Raised)
        error = f"{type(outcome.error).__name__}: {outcome.error}"
    return _store_results(data, [SuiteResult(c.name, 0, error=error[:500]) for c in contracts])


def _validate_sources(contracts: list[SourceContract], data: DataDir) -> dict[str, SuiteResult]:
    """In the checks' child: every source's suite in one great-expectations context, its results stored."""
    jobs = [(contract, partial(current_data, contract, data)) for contract in contracts]
    return _store_results(data, run_suites(jobs, data.root / "quality"))


def _store_results(data: DataDir, results: list[SuiteResult]) -> dict[str, SuiteResult]:
    for result in results:
        path = results_path(data, result.source)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        record = asdict(result) | {"passed": result.passed}
        tmp.write_text(json.dumps(record, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)
    return {result.source: result for result in results}
