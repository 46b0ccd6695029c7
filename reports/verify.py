"""Rebuild a published workbook from the archive as it stood at its vintage and compare it byte for byte.

    python -m reports.verify <path to a published .xlsx>

Only the input files its manifest lists are used (files delivered later are left out); each archived file is
first checked against its SHA-256. The rebuild runs ingest and `dbt build` in a temporary data directory with
the manifest's as-of date, renders the same revision with the same publication date and revision notes, and
compares. When the bytes differ, it says what differs: archived files, figures, sheets, or the code version.

The rebuild uses the engine the manifest names: a workbook published from PostgreSQL is rebuilt in a temporary
database on the server VC_WAREHOUSE=postgres and the libpq variables point at (it needs CREATEDB), one from DuckDB
in a temporary DuckDB file. `--warehouse duckdb` rebuilds a PostgreSQL workbook on DuckDB instead: both engines
give the same bytes for the same inputs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from orchestration.lib.settings import DBT_BUILD
from reports.data import ReportData, load_report_data
from reports.publish import code_version, render, revision_notes_of
from sources.contract import discover_contracts
from sources.expectations import check_sources, results_dir
from sources.ingest import ingest_source, sha256_of
from sources.paths import REPO_ROOT, DataDir
from warehouse import Warehouse, WarehouseError
from warehouse.load import sync_raw
from warehouse.scratch import temporary_database


@dataclass
class VerifyResult:
    report: str
    matches: bool
    differences: list[str] = field(default_factory=list)
    rebuilt_sha256: str | None = None


def _manifests(folder: Path, quarter: str, language: str, up_to: int) -> list[dict[str, object]]:
    found = []
    for path in folder.glob(f"vc-indicators-{quarter}-{language}-r*.xlsx.manifest.json"):
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if int(manifest["revision"]) <= up_to:
            found.append(manifest)
    return sorted(found, key=lambda m: int(m["revision"]))


def check_archive(manifest: dict[str, object], data: DataDir) -> list[str]:
    """Every input the manifest lists is in the archive with the bytes its name promises."""
    problems = []
    for item in manifest["inputs"]:
        stored = data.archive(str(item["source"])) / str(item["sha256"])
        label = f"{item['source']}/{item['file_name']} (sha256 {str(item['sha256'])[:12]}…)"
        if not stored.exists():
            problems.append(f"archived file missing: {label}")
        elif sha256_of(stored) != item["sha256"]:
            problems.append(f"archived file altered: {label} now hashes to {sha256_of(stored)[:12]}…")
    return problems


def rebuild(
    manifest: dict[str, object],
    history: list[dict[str, object]],
    data: DataDir,
    workdir: Path,
    warehouse: Warehouse | None = None,
) -> tuple[ReportData, bytes]:
    """Ingest the manifest's inputs from the archive into `workdir`, build the warehouse (`warehouse`, default a
    DuckDB file in `workdir`; it must be empty) and render the same revision."""
    rebuilt = DataDir(workdir).ensure()
    warehouse = warehouse or Warehouse.duckdb(rebuilt.warehouse)
    for item in manifest["inputs"]:
        source, sha = str(item["source"]), str(item["sha256"])
        target = rebuilt.archive(source)
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(data.archive(source) / sha, target / sha)
        shutil.copyfile(data.archive(source) / f"{sha}.json", target / f"{sha}.json")
    contracts = discover_contracts()
    for contract in contracts:
        ingest_source(contract, rebuilt)
    check_sources(contracts, rebuilt)
    if warehouse.is_postgres:
        sync_raw(rebuilt, warehouse)
    target_path = workdir / "dbt_target"
    args = [
        str(Path(sys.executable).with_name("dbt")),
        *DBT_BUILD,  # what the pipeline's build runs
        "--profiles-dir",
        ".",
        "--target-path",
        str(target_path),
        "--quiet",
    ]
    if manifest.get("as_of_date"):
        args += ["--vars", json.dumps({"as_of_date": manifest["as_of_date"]})]
    env = {**os.environ, "VC_DATA_DIR": str(workdir), **warehouse.dbt_env()}
    done = subprocess.run(args, cwd=REPO_ROOT / "dbt_project", env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"dbt build failed during the rebuild:\n{done.stdout[-2000:]}")
    report = load_report_data(
        warehouse,
        str(manifest["quarter"]),
        target_path / "run_results.json",
        results_dir(rebuilt),
    )
    return report, render(
        report,
        str(manifest["language"]),
        int(manifest["revision"]),
        dt.date.fromisoformat(str(manifest["published_on"])),
        revision_notes_of(history),
    )


def _sheet_differences(published: bytes, rebuilt: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(published)) as a, zipfile.ZipFile(io.BytesIO(rebuilt)) as b:
        names = sorted(set(a.namelist()) | set(b.namelist()))
        return [n for n in names if n not in a.namelist() or n not in b.namelist() or a.read(n) != b.read(n)]


def rebuild_engine(manifest: dict[str, object], requested: str | None) -> str:
    """The engine to rebuild on: the one asked for, else the one the manifest names (DuckDB before it had one)."""
    if requested:
        return requested
    recorded = manifest.get("warehouse")
    return str(recorded.get("engine", "duckdb")) if isinstance(recorded, dict) else "duckdb"


def verify(report_path: Path, data: DataDir | None = None, engine: str | None = None) -> VerifyResult:
    data = data or DataDir.current()
    manifest_path = report_path.with_name(report_path.name + ".manifest.json")
    if not manifest_path.exists():
        return VerifyResult(report_path.name, False, [f"no manifest beside the workbook ({manifest_path.name})"])
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    history = _manifests(
        report_path.parent, str(manifest["quarter"]), str(manifest["language"]), int(manifest["revision"])
    )
    result = VerifyResult(report_path.name, False)
    published = report_path.read_bytes()
    if hashlib.sha256(published).hexdigest() != manifest["workbook_sha256"]:
        result.differences.append("the published workbook's bytes no longer match the SHA-256 in its manifest")
    problems = check_archive(manifest, data)
    if problems:
        result.differences += problems
        return result
    engine = rebuild_engine(manifest, engine)
    if engine == "postgres":
        server = Warehouse.current(data)
        if not server.is_postgres:
            result.differences.append(
                "the workbook was built on PostgreSQL: set VC_WAREHOUSE=postgres and the PG* variables of a server "
                "to rebuild on (a temporary database is made there), or rebuild on DuckDB with --warehouse duckdb"
            )
            return result
        scratch = temporary_database(server)
    else:
        scratch = nullcontext(None)
    with tempfile.TemporaryDirectory(prefix="vc-verify-") as tmp, scratch as target:
        report, rebuilt = rebuild(manifest, history, data, Path(tmp) / "var", target)
    result.rebuilt_sha256 = hashlib.sha256(rebuilt).hexdigest()
    if result.rebuilt_sha256 == manifest["workbook_sha256"] and not result.differences:
        result.matches = True
        return result
    current = code_version()
    if current != manifest.get("code_version"):
        result.differences.append(f"code version differs: published with {manifest.get('code_version')}, now {current}")
    figures = {str(r["indicator_id"]): {"value": r["value"], "period": r["value_period"]} for r in report.summary}
    for key, was in manifest.get("figures", {}).items():
        if figures.get(key) != was:
            result.differences.append(f"figure {key}: published {was}, rebuilt {figures.get(key)}")
    result.differences += [f"workbook part differs: {n}" for n in _sheet_differences(published, rebuilt)]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("report", type=Path)
    parser.add_argument(
        "--warehouse",
        choices=["duckdb", "postgres"],
        help="the engine to rebuild on (default: the one the workbook's manifest names)",
    )
    args = parser.parse_args()
    if not args.report.exists():
        print(f"verify: {args.report} does not exist", file=sys.stderr)
        sys.exit(2)
    try:
        result = verify(args.report, engine=args.warehouse)
    except WarehouseError as exc:
        print(f"verify: {exc}", file=sys.stderr)
        sys.exit(2)
    if result.matches:
        print(f"verified: {result.report} rebuilds byte for byte from the archive (sha256 {result.rebuilt_sha256})")
        return
    print(f"NOT verified: {result.report}", file=sys.stderr)
    for line in result.differences:
        print(f"  - {line}", file=sys.stderr)
    sys.exit(1)


if __name__ == "__main__":
    main()
