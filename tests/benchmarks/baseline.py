"""The bare baseline of `make bench`: the same indicators without Dagster, dbt or great-expectations.

    python -m tests.benchmarks.baseline --data DIR --manifest PIPELINE_TARGET/manifest.json --pipeline-data DIR

1. ingest: the project's own readers, contract checks and Parquet writing (`sources.lib.ingest`, plain Python; the
   pipeline runs the same code inside its Dagster assets), landing -> raw Parquet;
2. SQL: every model's SQL as dbt compiled it in the pipeline's run (the manifest's `compiled_code`), run by
   DuckDB in dependency order as one plain script (seeds loaded with `read_csv`), no dbt, no tests;
3. workbook: the same builder (`reports`) from the rpt_ tables.

It writes seconds per stage to DIR/baseline-timings.json and the SQL script it ran to DIR/baseline.sql.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import sys
import time
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb
import yaml

from sources.lib.contract import discover_contracts
from sources.lib.ingest import ingest_source
from sources.lib.paths import REPO_ROOT, DataDir

SEEDS_YML = REPO_ROOT / "dbt_project" / "seeds" / "_seeds.yml"


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def sql_script(manifest: dict, pipeline_root: Path, data_root: Path) -> str:
    """The models as one DuckDB script, in dependency order, reading this data directory's raw files."""
    nodes = {k: v for k, v in manifest["nodes"].items() if v["resource_type"] in ("model", "seed")}
    order = TopologicalSorter(
        {k: {d for d in v["depends_on"].get("nodes", []) if d in nodes} for k, v in nodes.items()}
    ).static_order()
    seed_types = {
        s["name"]: (s.get("config") or {}).get("column_types", {})
        for s in yaml.safe_load(SEEDS_YML.read_text(encoding="utf-8")).get("seeds", [])
    }
    schemas = sorted({v["schema"] for v in nodes.values()})
    lines = [f"create schema if not exists {s};" for s in schemas]
    for key in order:
        node = nodes[key]
        relation = f'"{node["schema"]}"."{node["alias"]}"'
        if node["resource_type"] == "seed":
            path = REPO_ROOT / "dbt_project" / node["original_file_path"]
            types = seed_types.get(node["name"], {})
            typed = f", types={json.dumps(types)}" if types else ""
            lines.append(f"create or replace table {relation} as select * from read_csv('{path}', header=true{typed});")
            continue
        materialized = node["config"]["materialized"]
        if materialized == "ephemeral":
            continue
        code = node.get("compiled_code")
        if code is None:
            raise SystemExit(f"{key} has no compiled SQL in the manifest: run the pipeline first")
        code = code.replace(str(pipeline_root), str(data_root)).rstrip().rstrip(";")
        kind = "view" if materialized == "view" else "table"
        lines.append(f"create or replace {kind} {relation} as (\n{code}\n);")
    return "\n\n".join(lines) + "\n"


def run(data_root: Path, manifest_path: Path, pipeline_root: Path, quarter: str) -> dict:
    timings: dict[str, dict[str, float]] = {}
    data = DataDir(data_root).ensure()

    def stage(name: str, started: tuple[float, float]) -> None:
        timings[name] = {"wall_s": round(time.monotonic() - started[0], 3), "cpu_s": round(_cpu() - started[1], 3)}

    t = (time.monotonic(), _cpu())
    rows = 0
    for contract in discover_contracts():
        rows += ingest_source(contract, data).rows_accepted
    stage("ingest", t)

    t = (time.monotonic(), _cpu())
    script = sql_script(json.loads(manifest_path.read_text(encoding="utf-8")), pipeline_root, data_root)
    (data_root / "baseline.sql").write_text(script, encoding="utf-8")
    # DuckDB with the settings dbt's profile gives it (profiles.yml, e.g. its memory limit): the same engine
    profile = yaml.safe_load((REPO_ROOT / "dbt_project" / "profiles.yml").read_text(encoding="utf-8"))
    con = duckdb.connect(str(data.warehouse), config=profile["viable_cities"]["outputs"]["duckdb"].get("settings", {}))
    try:
        con.execute(script)
    finally:
        con.close()
    stage("sql", t)

    t = (time.monotonic(), _cpu())
    from reports.data import load_report_data
    from reports.publish import publish_report

    report = load_report_data(data.warehouse, quarter, None)
    result = publish_report(report, data.reports, "sv", dt.datetime.now(dt.UTC).date())
    stage("publish", t)
    out = {"stages": timings, "rows": rows, "workbook": str(result.path), "workbook_status": result.status}
    (data_root / "baseline-timings.json").write_text(json.dumps(out, indent=1), encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="the baseline's own data directory")
    parser.add_argument("--manifest", type=Path, required=True, help="manifest.json of the pipeline's dbt run")
    parser.add_argument("--pipeline-data", type=Path, required=True, help="the pipeline's data directory")
    parser.add_argument("--quarter", required=True)
    args = parser.parse_args()
    out = run(args.data, args.manifest, args.pipeline_data, args.quarter)
    forbidden = sorted(m for m in sys.modules if m.split(".")[0] in ("dagster", "dbt", "great_expectations"))
    if forbidden:
        raise SystemExit(f"the baseline imported {forbidden[:5]}")
    print(json.dumps(out["stages"]))


if __name__ == "__main__":
    main()
