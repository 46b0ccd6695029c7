"""Great-expectations suites generated from each source's contract, run on the data as the warehouse sees it.

The suite has, per contract column, `required` -> not null, `allowed` -> in set, `min`/`max` -> between, the
primary key -> unique, plus the dataset-level expectations the source adds under `expectations:` in its
source.yaml, each with a severity (error blocks the report; warn is shown in the workbook's data-quality sheet).
Great-expectations is imported only when a suite runs (it costs seconds to import), and a run never raises:
an internal error is a failed result with its message.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sources.contract import SourceContract
from sources.paths import DataDir


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


def expectations_for(contract: SourceContract) -> list[ExpectationSpec]:
    specs: list[ExpectationSpec] = []
    for col in contract.columns:
        if col.required:
            specs.append(
                ExpectationSpec(
                    "expect_column_values_to_not_be_null",
                    {"column": col.name},
                    "error",
                    f"contract: {col.name} is required",
                )
            )
        if col.allowed is not None:
            values = [int(v) for v in col.allowed] if col.type == "integer" else list(col.allowed)
            specs.append(
                ExpectationSpec(
                    "expect_column_values_to_be_in_set",
                    {"column": col.name, "value_set": values},
                    "error",
                    f"contract: allowed values of {col.name}",
                )
            )
        if col.minimum is not None or col.maximum is not None:
            specs.append(
                ExpectationSpec(
                    "expect_column_values_to_be_between",
                    {"column": col.name, "min_value": col.minimum, "max_value": col.maximum},
                    "error",
                    f"contract: range of {col.name}",
                )
            )
    if len(contract.primary_key) > 1:
        specs.append(
            ExpectationSpec(
                "expect_compound_columns_to_be_unique",
                {"column_list": list(contract.primary_key)},
                "error",
                "contract: primary key",
            )
        )
    elif contract.primary_key:
        specs.append(
            ExpectationSpec(
                "expect_column_values_to_be_unique",
                {"column": contract.primary_key[0]},
                "error",
                "contract: primary key",
            )
        )
    for extra in contract.expectations:
        specs.append(
            ExpectationSpec(
                extra["expectation"],
                dict(extra["kwargs"]),
                extra["severity"],
                f"source.yaml: {extra['description'] or extra['expectation']}",
            )
        )
    return specs


def current_data(contract: SourceContract, data: DataDir) -> pd.DataFrame:
    """Every accepted row, the newest delivery per primary key: the rows the warehouse's staging keeps."""
    files = sorted(p for p in data.raw(contract.name).glob("*.parquet") if not p.name.startswith("_"))
    if not files:
        return pd.DataFrame(columns=contract.column_names)
    frame = pd.concat([pd.read_parquet(p) for p in files], ignore_index=True)
    if contract.primary_key:
        frame = frame.sort_values(["vintage_at", "source_file_sha256"], ascending=False, kind="stable")
        frame = frame.drop_duplicates(list(contract.primary_key), keep="first")
    return frame.reset_index(drop=True)


def _class_name(snake: str) -> str:
    return "".join(part.capitalize() for part in snake.split("_"))


def _observed(result: dict[str, Any]) -> str | None:
    for key in ("observed_value", "partial_unexpected_list"):
        value = result.get(key)
        if value not in (None, []):
            return json.dumps(value, default=str)[:200]
    return None


def run_suite(contract: SourceContract, frame: pd.DataFrame, docs_dir: Path | None = None) -> SuiteResult:
    """Validate `frame` against the contract's suite; never raises."""
    result = SuiteResult(contract.name, len(frame))
    specs = expectations_for(contract)
    try:
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
        import great_expectations as gx
        import great_expectations.expectations as gxe

        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = {"globally": False}
        if docs_dir is not None:
            context.add_data_docs_site(
                site_name="local",
                site_config={
                    "class_name": "SiteBuilder",
                    "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
                    "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                },
            )
        batch = context.data_sources.add_pandas(name=f"vc_{contract.name}").add_dataframe_asset(name=contract.name)
        definition = batch.add_batch_definition_whole_dataframe("current")
        suite = context.suites.add(
            gx.ExpectationSuite(
                name=contract.name,
                expectations=[getattr(gxe, _class_name(s.expectation))(**s.kwargs) for s in specs],
            )
        )
        # results come back grouped by what they compute, not in suite order: match them by expectation id
        spec_by_id = {e.id: spec for e, spec in zip(suite.expectations, specs, strict=True)}
        validation = context.validation_definitions.add(
            gx.ValidationDefinition(name=contract.name, data=definition, suite=suite)
        )
        # Arrow-backed dates are compared as plain dates; GX's pandas engine works on object or numpy columns.
        checked = frame.astype({c: "object" for c in frame.columns if str(frame[c].dtype).startswith("date32")})
        run = validation.run(batch_parameters={"dataframe": checked})
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
        if docs_dir is not None:
            context.build_data_docs()
    except Exception as exc:  # a check must report, not crash the run: the message is the result
        result.error = f"{type(exc).__name__}: {exc}"[:500]
    return result


def results_dir(data: DataDir) -> Path:
    """Where each source's stored outcome lies (read by the workbook's data-quality sheet)."""
    return data.root / "quality" / "expectations"


def results_path(data: DataDir, source: str) -> Path:
    return results_dir(data) / f"{source}.json"


def fingerprint(contract: SourceContract, data: DataDir) -> str:
    """What a suite's outcome depends on: the accepted files (named by content), the contract and this code."""
    digest = hashlib.sha256()
    for name in sorted(p.name for p in data.raw(contract.name).glob("*.parquet")):
        digest.update(name.encode())
    digest.update((contract.folder / "source.yaml").read_bytes())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()


def _stored(path: Path, print_: str) -> SuiteResult | None:
    """The stored result when it was computed from the same data, contract and code (a rerun re-checks nothing)."""
    if not path.exists():
        return None
    stored = json.loads(path.read_text(encoding="utf-8"))
    if stored.get("fingerprint") != print_ or stored.get("error"):
        return None
    outcomes = [ExpectationOutcome(**o) for o in stored["outcomes"]]
    return SuiteResult(stored["source"], stored["rows"], outcomes, stored["error"])


def check_source(contract: SourceContract, data: DataDir) -> SuiteResult:
    """Run the source's suite on its current data, write the result for the workbook and the Data Docs.

    Great-expectations costs seconds to import and a full read of the source: when neither the accepted files nor
    the contract nor this code changed since the stored result, that result stands.
    """
    path = results_path(data, contract.name)
    print_ = fingerprint(contract, data)
    if (stored := _stored(path, print_)) is not None:
        return stored
    result = run_suite(contract, current_data(contract, data), data.root / "quality" / "data_docs")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    record = asdict(result) | {"passed": result.passed, "fingerprint": print_}
    tmp.write_text(json.dumps(record, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)
    return result
