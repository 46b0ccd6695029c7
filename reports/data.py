"""Read what one quarter's workbook shows from the rpt_ tables, read-only, and close the connection.

The warehouse is DuckDB or PostgreSQL (warehouse.read gives the same Python values from both); on PostgreSQL all
of it is read in one snapshot of the published build."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from sources.lib.contract import TRANSLATED, SourceContract, discover_contracts
from warehouse import BUILD_SUFFIX, Warehouse
from warehouse.read import Reader, read_only

Rows = list[dict[str, object]]
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


@dataclass(frozen=True)
class ReportData:
    quarter: str
    summary: Rows  # rpt_quarterly_summary rows of the quarter, in catalogue order
    sources: Rows  # rpt_source_files
    vintages: Rows  # rpt_source_vintages
    trends: Rows = field(default_factory=list)  # rpt_indicator_trends up to the quarter's end
    pathway: Rows = field(default_factory=list)  # rpt_emissions_pathway
    municipalities: Rows = field(default_factory=list)  # rpt_municipality_annex
    funding: Rows = field(default_factory=list)  # rpt_funding_annex
    data_quality: Rows = field(default_factory=list)  # rpt_data_quality
    method: Rows = field(default_factory=list)  # rpt_method_indicators
    checks: Rows = field(default_factory=list)  # dbt tests and expectations of the build (no_data: no rows tested)
    as_of_date: dt.date | None = None  # rpt_build_info: the date the warehouse was built as of
    freshness: Rows = field(default_factory=list)  # rpt_source_freshness
    sectors: Rows = field(default_factory=list)  # rpt_emissions_by_sector up to the quarter's end
    indicator_data: Rows = field(default_factory=list)  # rpt_indicator_data up to the quarter's end
    reconciliation: Rows = field(default_factory=list)  # rpt_funding_reconciliation of the quarter
    # per source (contract name): its texts in each language and its cadence, from sources/<name>/source.yaml
    source_texts: dict[str, dict[str, object]] = field(default_factory=dict)
    warehouse: dict[str, object] = field(default_factory=lambda: {"engine": "duckdb"})  # which one, for the manifest

    @property
    def is_demo(self) -> bool:
        return any(v["has_demo_data"] for v in self.vintages)

    @property
    def inputs(self) -> Rows:
        """Every input file as the manifest records it (no local paths)."""
        return [
            {
                "source": s["source_name"],
                "file_name": s["file_name"],
                "sha256": s["file_sha256"],
                "delivered_at": s["delivered_at"].isoformat() if s["delivered_at"] is not None else None,
                "status": s["delivery_status"],
                "rows_accepted": s["rows_accepted"],
                "rows_rejected": s["rows_rejected"],
            }
            for s in self.sources
        ]


class ReportDataError(RuntimeError):
    pass


def quarter_end(quarter: str) -> dt.date:
    match = _QUARTER.match(quarter)
    if not match:
        raise ReportDataError(f"quarter must look like 2025Q2, got {quarter!r}")
    year, q = int(match[1]), int(match[2])
    return dt.date(year, 12, 31) if q == 4 else dt.date(year, 3 * q + 1, 1) - dt.timedelta(days=1)


def _rows(con: Reader, sql: str, params: list[object] | None = None) -> Rows:
    return con.rows(sql, params or [])


def load_expectations(folder: Path | None) -> Rows:
    """The great-expectations outcomes per source (sources/lib/expectations.py): warnings show as 'warn'."""
    checks: Rows = []
    if folder is None or not folder.is_dir():
        return checks
    for path in sorted(folder.glob("*.json")):
        result = json.loads(path.read_text(encoding="utf-8"))
        if result.get("error"):
            checks.append(
                {
                    "name": f"{result['source']}: great-expectations could not run",
                    "engine": "expectation",
                    "kind": "suite_error",
                    "area": result["source"],
                    "column": None,
                    "status": "error",
                }
            )
        for o in result["outcomes"]:
            status = "pass" if o["success"] else ("warn" if o["severity"] == "warn" else "fail")
            if status == "pass" and result.get("rows") == 0:
                status = "no_data"
            name = f"{result['source']}: {o['expectation']}" + (f" ({o['column']})" if o["column"] else "")
            checks.append(
                {
                    "name": name,
                    "engine": "expectation",
                    "kind": o["expectation"],
                    "area": result["source"],
                    "column": o["column"],
                    "status": status,
                }
            )
    return checks


def _test_area(node: dict[str, object], manifest: dict[str, object]) -> str:
    """The source a dbt test is about (the contract whose raw data or staging model it tests), else the layer:
    indicators (intermediate and marts), report_sheets (rpt_), catalogue (seeds)."""
    sources = manifest.get("sources", {})
    nodes = manifest.get("nodes", {})

    def raw_sources(uid: str) -> set[str]:
        if uid in sources:
            key = sources[uid].get("config", {}).get("meta", {}).get("dagster", {}).get("asset_key")
            return {key[-1]} if key else {str(sources[uid].get("source_name"))}
        parent = nodes.get(uid, {})
        if parent.get("resource_type") == "model" and "staging" in parent.get("fqn", []):
            return {s for dep in parent.get("depends_on", {}).get("nodes", []) for s in raw_sources(dep)}
        return set()

    depends = list(node.get("depends_on", {}).get("nodes", []))
    found = {s for uid in depends for s in raw_sources(uid)}
    if len(found) == 1:
        return found.pop()
    layers = {
        "seed" if uid.startswith("seed.") else next((p for p in nodes.get(uid, {}).get("fqn", []) if p in _LAYERS), "")
        for uid in depends
    }
    for layer in ("reports", "marts", "intermediate", "seed"):
        if layer in layers:
            return _LAYERS[layer]
    return "indicators"


_LAYERS = {"reports": "report_sheets", "marts": "indicators", "intermediate": "indicators", "seed": "catalogue"}


def load_checks(
    run_results: Path | None,
    con: Reader | None = None,
    sources_with_rows: frozenset[str] | None = None,
) -> Rows:
    """The dbt tests of the last build (dbt's run_results.json, and the manifest beside it for what each test is):
    name, kind (not_null, unique, ..., or the singular test's name), column, area and status, sorted by name. A test
    that passed over tables without a row tested nothing: its status is 'no_data' (when the warehouse connection and
    the sources with accepted rows are given)."""
    if run_results is None or not run_results.exists():
        return []
    results = json.loads(run_results.read_text(encoding="utf-8")).get("results", [])
    manifest_path = run_results.with_name("manifest.json")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    emptiness: dict[str, bool] = {}
    checks = []
    for r in results:
        uid = str(r.get("unique_id", ""))
        if uid.split(".", 1)[0] != "test":  # unit tests run in `make test`, not in the build
            continue
        node = manifest.get("nodes", {}).get(uid, {})
        name = uid.split(".")[2] if uid.count(".") >= 2 else uid
        metadata = node.get("test_metadata") or {}
        status = r["status"]
        if (
            status == "pass"
            and manifest
            and con is not None
            and _tested_nothing(uid, manifest, con, sources_with_rows or frozenset(), emptiness)
        ):
            status = "no_data"
        checks.append(
            {
                "name": name,
                "engine": "dbt",
                "kind": metadata.get("name") or name,
                "area": _test_area(node, manifest) if node else "indicators",
                "column": node.get("column_name") or (metadata.get("kwargs") or {}).get("column_name"),
                "status": status,
            }
        )
    return sorted(checks, key=lambda c: c["name"])


def _tested_nothing(
    uid: str,
    manifest: dict[str, object],
    con: Reader,
    sources_with_rows: frozenset[str],
    cache: dict[str, bool],
) -> bool:
    """Whether every table a dbt test reads is empty: the table a generic test is attached to, or every model and
    source a singular test (or a source's test) refers to. A dbt source is empty when its ingest source has no
    accepted rows."""
    node = manifest["nodes"].get(uid, {})
    attached = node.get("attached_node")
    parents = node.get("depends_on", {}).get("nodes", [])
    tested = [attached] if attached else [n for n in parents if n.startswith(("model.", "source."))]
    if not tested:
        return False
    for parent in tested:
        if parent not in cache:
            cache[parent] = _is_empty(parent, manifest, con, sources_with_rows)
        if not cache[parent]:
            return False
    return True


def _is_empty(unique_id: str, manifest: dict[str, object], con: Reader, with_rows: frozenset[str]) -> bool:
    if unique_id.startswith("source."):
        meta = manifest["sources"].get(unique_id, {}).get("meta", {})
        key = meta.get("dagster", {}).get("asset_key") or []
        return len(key) == 2 and key[0] == "raw" and key[1] not in with_rows
    node = manifest["nodes"].get(unique_id)
    if node is None or node.get("config", {}).get("materialized") == "ephemeral":
        return False
    # on PostgreSQL dbt built it in <schema>__build and published it in <schema> (macros/publish_build.sql)
    schema, name = str(node["schema"]).removesuffix(BUILD_SUFFIX), str(node.get("alias") or node["name"])
    exists = con.one(
        "select count(*) as n from information_schema.tables where table_schema = ? and table_name = ?", [schema, name]
    )
    if not exists or not exists["n"]:  # not in this warehouse (a relation dbt did not build): claim nothing
        return False
    found = con.one(f'select count(*) as n from (select 1 from "{schema}"."{name}" limit 1) as probe')
    return found is not None and found["n"] == 0


def source_texts(contracts: list[SourceContract]) -> dict[str, dict[str, object]]:
    """Per source its title, publisher and licence in each language, and its cadence, for the cover and sheets."""
    return {
        c.name: {
            **{f"{field}_{lang}": c.text(field, lang) for field in TRANSLATED for lang in ("sv", "en")},
            "cadence": c.cadence,
        }
        for c in contracts
    }


def load_report_data(
    warehouse: Warehouse | Path,
    quarter: str,
    run_results: Path | None = None,
    expectations: Path | None = None,
    contracts: list[SourceContract] | None = None,
) -> ReportData:
    """The quarter's rows from the warehouse (a Path is a DuckDB file)."""
    end = quarter_end(quarter)
    target = Warehouse.duckdb(warehouse) if isinstance(warehouse, Path) else warehouse
    with read_only(target) as con:
        vintages = _rows(con, "select * from reports.rpt_source_vintages order by source_name")
        with_rows = frozenset(str(v["source_name"]) for v in vintages if v["has_accepted_rows"])
        summary = _rows(
            con,
            "select * from reports.rpt_quarterly_summary where report_quarter = ? order by sort_order, indicator_id",
            [quarter],
        )
        quarters = [
            r["q"]
            for r in _rows(con, "select distinct report_quarter as q from reports.rpt_quarterly_summary order by 1")
        ]
        data = ReportData(
            quarter=quarter,
            summary=summary,
            sources=_rows(
                con, "select * from reports.rpt_source_files order by source_name, delivered_at, file_sha256"
            ),
            vintages=vintages,
            trends=_rows(
                con,
                "select * from reports.rpt_indicator_trends where period_end_date <= ? "
                "order by sort_order, period_end_date",
                [end],
            ),
            pathway=_rows(
                con,
                "select * from reports.rpt_emissions_pathway where emission_year < ? order by emission_year",
                [end.year],
            ),
            municipalities=_rows(
                con,
                "select * from reports.rpt_municipality_annex where report_quarter = ? order by municipality_code",
                [quarter],
            ),
            funding=_rows(
                con,
                "select * from reports.rpt_funding_annex where report_quarter = ? "
                "order by instrument_code, decision_year, municipality_code",
                [quarter],
            ),
            data_quality=_rows(con, "select * from reports.rpt_data_quality order by source_name, rule_name"),
            method=_rows(con, "select * from reports.rpt_method_indicators order by sort_order, indicator_id"),
            checks=load_checks(run_results, con, with_rows) + load_expectations(expectations),
            as_of_date=con.rows("select as_of_date from reports.rpt_build_info")[0]["as_of_date"],
            freshness=_rows(con, "select * from reports.rpt_source_freshness order by source_name"),
            sectors=_rows(
                con,
                "select * from reports.rpt_emissions_by_sector where emission_year < ? "
                "order by emission_year, sector_code, municipality_group",
                [end.year],
            ),
            indicator_data=_rows(
                con,
                "select * from reports.rpt_indicator_data where period_end_date <= ? "
                "order by sort_order, indicator_id, geography_type, geography_code, period_end_date",
                [end],
            ),
            reconciliation=_rows(
                con,
                "select * from reports.rpt_funding_reconciliation where report_quarter = ? order by recipient_group",
                [quarter],
            ),
            source_texts=source_texts(discover_contracts() if contracts is None else contracts),
            warehouse=target.describe(),
        )
    if not summary:
        raise ReportDataError(
            f"the warehouse has no indicator values for {quarter}; closed quarters available: "
            f"{quarters[0] if quarters else 'none'} to {quarters[-1] if quarters else 'none'}"
        )
    return data
