"""Whether a published workbook rebuilds byte for byte from the archive: the pure parts of `make verify`.

The rebuild itself runs the pipeline's own job (orchestration/verify.py): in a temporary data directory that
holds only the input files the revision's manifest lists (files delivered later are left out, each archived file
first checked against its SHA-256) and the revisions published before it, with the manifest's as-of date,
language and publication date. This module stages that directory and compares the result: when the bytes
differ it says what differs (archived files, figures, workbook parts, the code version).
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from reports.publish import code_version
from sources.lib.ingest import sha256_of
from sources.lib.paths import DataDir


@dataclass
class VerifyResult:
    report: str
    matches: bool
    differences: list[str] = field(default_factory=list)
    rebuilt_sha256: str | None = None


def manifest_of(report_path: Path) -> dict[str, object] | None:
    path = report_path.with_name(report_path.name + ".manifest.json")
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


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


def stage_rebuild(report_path: Path, manifest: dict[str, object], data: DataDir, workdir: Path) -> DataDir:
    """A data directory in `workdir` with the manifest's archived inputs and the revisions published before this
    one (so the rebuild gets the same revision number and revision notes)."""
    rebuilt = DataDir(workdir).ensure()
    for item in manifest["inputs"]:
        source, sha = str(item["source"]), str(item["sha256"])
        target = rebuilt.archive(source)
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(data.archive(source) / sha, target / sha)
        shutil.copyfile(data.archive(source) / f"{sha}.json", target / f"{sha}.json")
    quarter, language = str(manifest["quarter"]), str(manifest["language"])
    folder = rebuilt.reports / quarter
    folder.mkdir(parents=True, exist_ok=True)
    for earlier in _manifests(report_path.parent, quarter, language, int(manifest["revision"]) - 1):
        name = str(earlier["workbook_file"])
        for part in (name, f"{name}.manifest.json"):
            shutil.copyfile(report_path.parent / part, folder / part)
    return rebuilt


def _sheet_differences(published: bytes, rebuilt: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(published)) as a, zipfile.ZipFile(io.BytesIO(rebuilt)) as b:
        names = sorted(set(a.namelist()) | set(b.namelist()))
        return [n for n in names if n not in a.namelist() or n not in b.namelist() or a.read(n) != b.read(n)]


def before_rebuild(report_path: Path, data: DataDir) -> tuple[dict[str, object] | None, VerifyResult]:
    """The revision's manifest and what is wrong before any rebuild: no manifest, altered bytes, the archive."""
    result = VerifyResult(report_path.name, False)
    manifest = manifest_of(report_path)
    if manifest is None:
        result.differences.append(f"no manifest beside the workbook ({report_path.name}.manifest.json)")
        return None, result
    if hashlib.sha256(report_path.read_bytes()).hexdigest() != manifest["workbook_sha256"]:
        result.differences.append("the published workbook's bytes no longer match the SHA-256 in its manifest")
    result.differences += check_archive(manifest, data)
    return manifest, result


def compare(result: VerifyResult, manifest: dict[str, object], published: bytes, rebuilt: Path | None) -> VerifyResult:
    """The rebuilt workbook (None: the rebuild published nothing) against the published one."""
    if rebuilt is None:
        result.differences.append("the rebuild published no workbook")
        return result
    content = rebuilt.read_bytes()
    result.rebuilt_sha256 = hashlib.sha256(content).hexdigest()
    if result.rebuilt_sha256 == manifest["workbook_sha256"] and not result.differences:
        result.matches = True
        return result
    current = code_version()
    if current != manifest.get("code_version"):
        result.differences.append(f"code version differs: published with {manifest.get('code_version')}, now {current}")
    figures = (manifest_of(rebuilt) or {}).get("figures", {})
    for key, was in manifest.get("figures", {}).items():
        if figures.get(key) != was:
            result.differences.append(f"figure {key}: published {was}, rebuilt {figures.get(key)}")
    result.differences += [f"workbook part differs: {n}" for n in _sheet_differences(published, content)]
    return result


def rebuild_engine(manifest: dict[str, object], requested: str | None = None) -> str:
    """The warehouse engine to rebuild on: the one asked for, else the one the manifest names (DuckDB for a
    manifest from before it named one). Both engines give the same bytes for the same inputs."""
    if requested:
        return requested
    recorded = manifest.get("warehouse")
    return str(recorded.get("engine", "duckdb")) if isinstance(recorded, dict) else "duckdb"
