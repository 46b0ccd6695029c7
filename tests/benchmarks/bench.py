"""`make bench SCALE=demo|sweden|europe`: time the whole pipeline against a bare baseline on the same input.

    python -m tests.benchmarks.bench --scale europe [--keep] [--quarter 2026Q3] [--warehouse postgres]

On a fresh data directory (under $VC_BENCH_WORK, default the system's temp folder) it writes the scale's seeded
input into landing and, as `make setup` does, has dbt parse the project for that data directory (both timed, not
part of the pipeline), then

1. runs the pipeline the way `make run` does (`python -m orchestration.run --no-demo`, one process, the Dagster
   job in-process) and reads its seconds per stage (ingest, checks, dbt build, workbook);
2. runs the bare baseline (tests/benchmarks/baseline.py: the same ingest code, dbt's compiled SQL run by DuckDB
   as a plain script, the same workbook builder; no Dagster, dbt or great-expectations) on a copy of the input;
3. runs the pipeline a second time with no new input.

Each run is a child process: wall time, CPU time (the process and everything it waited for, e.g. dbt), and the
peak resident memory of the whole process tree (sampled every 0.1 s from /proc). The result goes to
$VC_DATA_DIR/bench/<scale>-<timestamp>.json. `ratio_dbt_marginal` needs a `demo` result of the same machine: the
newest demo-*.json in that folder, or a demo bench run first.

`--warehouse postgres` (or VC_WAREHOUSE=postgres) runs the pipeline on a PostgreSQL warehouse: a fresh database
on the server the PG* variables name, or, without PGHOST, on a throw-away server started for the bench
(tests/servers.py). The dbt stage then includes the raw load (its seconds are reported apart); the baseline stays
DuckDB, from a DuckDB compile of the same project, and its report tables are compared with PostgreSQL's.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

from orchestration.lib.dbt_project import DBT_EXECUTABLE
from orchestration.resources import PipelineSettings
from sources.demo.generate import write_demo
from sources.demo.world import SCALES
from sources.lib.paths import REPO_ROOT, DataDir
from warehouse import Warehouse

PAGE = os.sysconf("SC_PAGE_SIZE")
CATALOGUE = REPO_ROOT / "dbt_project" / "seeds" / "indicator_catalogue.csv"
RPT_TABLES = [
    "rpt_quarterly_summary",
    "rpt_indicator_trends",
    "rpt_emissions_pathway",
    "rpt_municipality_annex",
    "rpt_funding_annex",
    "rpt_method_indicators",
]


def _tree_rss(root: int) -> int:
    """Resident bytes of a process and all its descendants, now."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
            with open(f"/proc/{entry.name}/statm", "rb") as fh:
                rss[int(entry.name)] = int(fh.read().split()[1]) * PAGE
        except OSError:
            continue
        ppid = int(stat[stat.rfind(b")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


def measure(
    cmd: list[str], env: dict[str, str], log: Path, samples: list[tuple[float, int]] | None = None
) -> dict[str, float]:
    """Run a child process; its wall and CPU seconds and the peak memory of its process tree (the samples, with
    wall-clock times as Dagster's step statistics have them, go to `samples`)."""
    samples = [] if samples is None else samples
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=REPO_ROOT)
        peak = [0]

        def sample() -> None:
            while proc.poll() is None:
                now, rss = time.time(), _tree_rss(proc.pid)
                peak[0] = max(peak[0], rss)
                samples.append((now, rss))
                time.sleep(0.1)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = proc.wait()
        sampler.join()
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if code != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({code}); see {log}")
    return {"wall_s": round(wall, 3), "cpu_s": round(cpu, 3), "peak_rss_mib": round(peak[0] / 2**20, 1)}


def input_rows(data: DataDir) -> dict[str, int]:
    con = duckdb.connect()
    try:
        rows = con.execute(
            f"select source, sum(rows_accepted)::bigint from read_parquet('{data.deliveries}/*.parquet') group by 1"
        ).fetchall()
    finally:
        con.close()
    return {s: int(n) for s, n in rows}


def same_content(pipeline: Path, baseline: Path) -> dict[str, bool]:
    """Each report table of the baseline equals the pipeline's, row for row."""
    con = duckdb.connect()
    out = {}
    try:
        con.execute(f"attach '{pipeline}' as p (read_only)")
        con.execute(f"attach '{baseline}' as b (read_only)")
        for t in RPT_TABLES:
            diff = con.execute(
                f"select count(*) from ((select * from p.reports.{t} except all select * from b.reports.{t}) "
                f"union all (select * from b.reports.{t} except all select * from p.reports.{t}))"
            ).fetchone()[0]
            out[t] = diff == 0
    finally:
        con.close()
    return out


def same_content_postgres(pg: Warehouse, baseline: Path) -> dict[str, bool]:
    """Each report table of the baseline (DuckDB) equals the PostgreSQL pipeline's, value for value."""
    from tests.deployment.compare import table_rows

    duck = Warehouse.duckdb(baseline)
    return {t: table_rows(pg, "reports", t) == table_rows(duck, "reports", t) for t in RPT_TABLES}


def raw_load_of_last_run(pipeline: Path) -> dict[str, object] | None:
    """What the last run's load step copied into PostgreSQL's raw schema, as its dbt step logged it."""
    import dagster as dg

    with dg.DagsterInstance.from_config(str(pipeline / "dagster")) as instance:
        [run] = instance.get_runs(limit=1)
        for entry in instance.all_logs(run.run_id):
            if entry.dagster_event is None and entry.user_message.startswith("raw load into"):
                return {"message": entry.user_message}
    return None


_SERVER_PID: list[int] = []  # the throw-away PostgreSQL server's postmaster, when the bench started one


def server_cpu_s() -> float | None:
    """CPU seconds of the bench's own PostgreSQL server so far: the postmaster and the backends it has reaped
    (a run's queries execute there, outside the measured process tree). None without such a server."""
    if not _SERVER_PID:
        return None
    fields = Path(f"/proc/{_SERVER_PID[0]}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


@contextlib.contextmanager
def bench_warehouse(engine: str) -> Iterator[tuple[str, dict[str, str], Warehouse | None]]:
    """The warehouse's label, the environment the runs get (VC_WAREHOUSE and, for PostgreSQL, the PG* variables of
    an empty database on PGHOST's server or on a throw-away one) and, for PostgreSQL, the warehouse."""
    if engine != "postgres":
        yield "duckdb", {"VC_WAREHOUSE": "duckdb"}, None
        return
    from tests.servers import Postgres, postgres_server

    database = f"vc_bench_{dt.datetime.now(dt.UTC):%Y%m%d%H%M%S}"
    with contextlib.ExitStack() as stack:
        if os.environ.get("PGHOST"):
            env = os.environ
            server = Postgres(
                env["PGHOST"], int(env.get("PGPORT") or 5432), env.get("PGUSER") or "postgres", "", Path()
            )
        else:
            server = stack.enter_context(postgres_server())
            _SERVER_PID.append(int((server.folder / "data" / "postmaster.pid").read_text().split()[0]))
        server.create_database(database)
        pg = Warehouse("postgres", host=server.host, port=server.port, user=server.user, database=database)
        env = {**server.env, "VC_WAREHOUSE": "postgres", "PGDATABASE": database}
        yield f"postgres {server.host}:{server.port}/{database}", env, pg


def plausible_ranges(scale: str) -> dict[str, list[float]]:
    """The bench's own plausible ranges for its synthetic data (VC_BENCH_PLAUSIBLE_RANGES, read by dbt's test
    assert_indicator_values_plausible): the catalogue's ranges fit the demo's ledger, and a bigger scale's ledger of
    N times as many records adds up to sums N times as large. Only the catalogue's sums over the funding ledger are
    widened, by that N; shares, ratios and counts keep their ranges. Empty at demo scale."""
    factor = SCALES[scale].funding_records / SCALES["demo"].funding_records
    if factor <= 1:
        return {}
    with CATALOGUE.open(encoding="utf-8", newline="") as fh:
        return {
            row["indicator_id"]: [float(row["plausible_min"]), float(row["plausible_max"]) * factor]
            for row in csv.DictReader(fh)
            if row["formula_kind"] == "sum" and "funding_ledger" in row["sources"].split("; ")
        }


def newest_demo(folder: Path, engine: str = "duckdb") -> dict | None:
    """The newest demo result of the same engine (results before the warehouse was recorded were DuckDB's)."""
    for path in sorted(folder.glob("demo-*.json"), reverse=True):
        found = json.loads(path.read_text(encoding="utf-8"))
        if str(found.get("warehouse", "duckdb")).split()[0] == engine:
            return found
    return None


def bench(
    scale: str,
    quarter: str | None,
    keep: bool,
    out_dir: Path,
    warehouse: tuple[str, dict[str, str], Warehouse | None] = ("duckdb", {"VC_WAREHOUSE": "duckdb"}, None),
) -> Path:
    label, warehouse_env, pg = warehouse
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    if within := os.environ.get("VC_BENCH_WORK"):  # a folder named for the bench: made, not a traceback
        Path(within).mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"vc-bench-{scale}-", dir=within or None))
    pipeline, base = work / "pipeline", work / "baseline"
    load_before = os.getloadavg()
    print(f"bench {scale}: work folder {work}", flush=True)

    t = time.monotonic()
    write_demo(pipeline / "landing", scale)
    shutil.copytree(pipeline / "landing", base / "landing", copy_function=shutil.copy2)
    generate_s = time.monotonic() - t
    print(f"  input written in {generate_s:.1f} s", flush=True)

    ranges = plausible_ranges(scale)
    env = {**os.environ, **warehouse_env, "VC_DATA_DIR": str(pipeline), "VC_DEMO": "0"}
    env["VC_BENCH_PLAUSIBLE_RANGES"] = json.dumps(ranges, sort_keys=True)
    env.setdefault("VC_REPORT_LANGUAGE", "sv")
    env.setdefault("VC_AS_OF_DATE", "")
    # What `make setup` does before `make run` (orchestration.lib.dbt_parse.parse_for_setup): dbt parses the project
    # with the variables and environment of this data directory's runs, into its target folder, and records them
    # there, so the run starts no parse of its own and its build parses only what changed. The manifest for the
    # definitions goes to the work folder: the repository's stays the one `make setup` made.
    t = time.monotonic()
    setup_manifest = work / "setup-manifest" / "manifest.json"
    subprocess.run(
        [sys.executable, "-m", "orchestration.lib.dbt_parse", "--manifest", str(setup_manifest)],
        cwd=REPO_ROOT, env=env, check=True,
    )  # fmt: skip
    setup_parse_s = time.monotonic() - t
    cmd = [sys.executable, "-m", "orchestration.run", "--no-demo"] + (["--quarter", quarter] if quarter else [])
    samples: list[tuple[float, int]] = []
    server_before = server_cpu_s()
    first = measure(cmd, env, work / "pipeline-run1.log", samples)
    server_first = server_cpu_s()
    timings = json.loads((pipeline / "logs" / "last-run-timings.json").read_text(encoding="utf-8"))
    for t in timings["stages"].values():  # the process tree's peak while the stage ran
        during = [rss for at, rss in samples if t["start"] <= at <= t["end"]]
        t["peak_rss_mib"] = round(max(during, default=0) / 2**20, 1)
    print(f"  pipeline: {first['wall_s']:.1f} s, peak {first['peak_rss_mib']:.0f} MiB", flush=True)
    rows = input_rows(DataDir(pipeline))
    published = sorted((pipeline / "reports").glob("*/*.xlsx"))[-1]
    quarter = quarter or published.parent.name
    on_postgres = pg is not None
    raw_load_record = raw_load_of_last_run(pipeline) if on_postgres else None
    manifest = pipeline / "dbt_target" / "manifest.json"
    if on_postgres:  # the baseline runs DuckDB SQL: the same project compiled for DuckDB (not timed)
        duckdb_vars = PipelineSettings(data_dir=str(pipeline), as_of_date=env["VC_AS_OF_DATE"]).dbt_vars_json()
        manifest = pipeline / "dbt_target_duckdb" / "manifest.json"
        subprocess.run(
            [DBT_EXECUTABLE, "compile", "--quiet", "--profiles-dir", ".", "--target-path",
             str(manifest.parent), "--vars", duckdb_vars],
            cwd=REPO_ROOT / "dbt_project", env=env, check=True,
        )  # fmt: skip

    base_cmd = [
        sys.executable, "-m", "tests.benchmarks.baseline", "--data", str(base), "--manifest",
        str(manifest), "--pipeline-data", str(pipeline), "--quarter", quarter,
    ]  # fmt: skip
    baseline = measure(
        base_cmd, {**os.environ, "VC_DATA_DIR": str(base), "VC_WAREHOUSE": "duckdb"}, work / "baseline.log"
    )
    base_stages = json.loads((base / "baseline-timings.json").read_text(encoding="utf-8"))["stages"]
    print(f"  baseline: {baseline['wall_s']:.1f} s, peak {baseline['peak_rss_mib']:.0f} MiB", flush=True)

    server_rerun = server_cpu_s()
    rerun = measure(cmd, env, work / "pipeline-run2.log")
    server_after = server_cpu_s()
    # an unchanged rerun launches no run (orchestration.lib.up_to_date): it has no stages
    rerun_launched = "unchanged: nothing new since" not in (work / "pipeline-run2.log").read_text(encoding="utf-8")
    rerun_timings = (
        json.loads((pipeline / "logs" / "last-run-timings.json").read_text(encoding="utf-8"))
        if rerun_launched
        else {"stages": {}}
    )
    print(f"  rerun: {rerun['wall_s']:.1f} s{'' if rerun_launched else ' (unchanged: no run launched)'}", flush=True)

    stages = timings["stages"]
    total_rows = sum(rows.values())
    ingest = stages.get("ingest", {"wall_s": 0.0})
    ingest["rows_per_s"] = round(total_rows / ingest["wall_s"]) if ingest["wall_s"] else None
    per_source = {}
    for step, t in timings["steps"].items():
        name = step.removeprefix("raw__")
        if step.startswith("raw__") and name in rows:
            per_source[name] = {
                "rows": rows[name],
                "wall_s": t["wall_s"],
                "rows_per_s": round(rows[name] / t["wall_s"]) if t["wall_s"] else None,
            }
    stages["setup"] = {"wall_s": timings["setup_wall_s"]}
    # dbt's own execution of models and tests (its run_results), without its process start and parse
    run_results = json.loads((pipeline / "dbt_target" / "run_results.json").read_text(encoding="utf-8"))
    stages.get("dbt build", {})["dbt_elapsed_s"] = round(run_results["elapsed_time"], 3)
    dbt_wall = stages.get("dbt build", {}).get("wall_s")
    result = {
        "scale": scale,
        "warehouse": label,
        "raw_load": raw_load_record,
        # the PostgreSQL server's CPU during the run and the rerun (not in total_cpu_s: another process tree)
        "server_cpu_s": None
        if server_before is None
        else {"run": round(server_first - server_before, 2), "rerun": round(server_after - server_rerun, 2)},
        "timestamp": stamp,
        "machine": {
            "cores": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "note": "shared 2-core machine, other agents' test suites running: absolute times are noisy, "
            "compare ratios measured side by side",
        },
        "plausible_ranges": ranges,  # what the synthetic data's sums were checked against (plausible_ranges)
        "input_rows": total_rows,
        "input_rows_by_source": rows,
        "generate_s": round(generate_s, 3),
        "setup_parse_s": round(setup_parse_s, 3),
        "total_wall_s": first["wall_s"],
        "total_cpu_s": first["cpu_s"],
        "peak_rss_mib": first["peak_rss_mib"],
        "stages": stages,
        "ingest_by_source": per_source,
        "dbt_wall_s": dbt_wall,
        "baseline_wall_s": baseline["wall_s"],
        "baseline_cpu_s": baseline["cpu_s"],
        "baseline_peak_rss_mib": baseline["peak_rss_mib"],
        "baseline_stages": base_stages,
        "baseline_same_content": same_content_postgres(pg, base / "warehouse.duckdb")
        if pg is not None
        else same_content(pipeline / "warehouse.duckdb", base / "warehouse.duckdb"),
        "ratio_total": round(first["wall_s"] / baseline["wall_s"], 2),
        "rerun_wall_s": rerun["wall_s"],
        "rerun_cpu_s": rerun["cpu_s"],
        "rerun_peak_rss_mib": rerun["peak_rss_mib"],
        "rerun_launched": rerun_launched,
        "rerun_stages": rerun_timings["stages"],
        "workbook_bytes": published.stat().st_size,
    }
    demo = result if scale == "demo" else newest_demo(out_dir, result["warehouse"].split()[0])
    if demo is not None and scale != "demo":
        dbt_extra = dbt_wall - demo["dbt_wall_s"]
        sql_extra = base_stages["sql"]["wall_s"] - demo["baseline_stages"]["sql"]["wall_s"]
        result["ratio_dbt_marginal"] = round(dbt_extra / sql_extra, 2) if sql_extra > 0 else None
        dbt_node_extra = stages["dbt build"]["dbt_elapsed_s"] - demo["stages"]["dbt build"].get("dbt_elapsed_s", 0)
        result["ratio_dbt_marginal_nodes"] = round(dbt_node_extra / sql_extra, 2) if sql_extra > 0 else None
        result["ratio_dbt_marginal_inputs"] = {
            "dbt_elapsed_extra_s": round(dbt_node_extra, 3),
            "dbt_extra_s": round(dbt_extra, 3),
            "baseline_sql_extra_s": round(sql_extra, 3),
            "demo_result": demo["timestamp"],
        }
    else:
        result["ratio_dbt_marginal"] = None  # demo is the reference
        result["ratio_dbt_marginal_nodes"] = None
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{scale}-{stamp}.json"
    target.write_text(json.dumps(result, indent=1, sort_keys=True), encoding="utf-8")
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
    parser.add_argument("--quarter", help="the quarter to publish (default: the last closed one)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (data directories, logs)")
    parser.add_argument(
        "--warehouse", choices=["duckdb", "postgres"], default=os.environ.get("VC_WAREHOUSE") or "duckdb"
    )
    args = parser.parse_args()
    out_dir = DataDir.current().root / "bench"
    with bench_warehouse(args.warehouse) as warehouse:
        target = bench(args.scale, args.quarter, args.keep, out_dir, warehouse)
    result = json.loads(target.read_text(encoding="utf-8"))
    keys = ["warehouse", "input_rows", "total_wall_s", "total_cpu_s", "server_cpu_s", "baseline_wall_s"]
    keys += ["ratio_total", "dbt_wall_s", "raw_load", "ratio_dbt_marginal", "ratio_dbt_marginal_nodes"]
    keys += ["peak_rss_mib", "rerun_wall_s", "rerun_launched"]
    for k in keys:
        print(f"  {k:20s} {result[k]}")
    for stage, t in result["stages"].items():
        print(f"  stage {stage:14s} {json.dumps(t)}")
    print(f"  same content as the pipeline: {result['baseline_same_content']}")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
