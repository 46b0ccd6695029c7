"""Write-audit-publish for the quarterly workbook.

The workbook is rendered in memory, re-opened and checked, written to a temporary file in the quarter's folder
and renamed into place: a reader never sees half a file. A published revision is never overwritten: a rebuild
whose bytes equal the latest revision publishes nothing; a changed one becomes the next revision, with a note of
what changed. Each revision has `<name>.manifest.json` beside it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import math
import os
import re
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

from reports.data import ReportData
from reports.labels import label
from reports.stable_xlsx import stable_xlsx_bytes
from reports.workbook import GOAL_SHEETS, SUMMARY_SHEET_ROWS_BEFORE_TABLE, build_workbook, sheet_names
from sources.paths import REPO_ROOT

_REVISION = re.compile(r"-r(\d+)\.xlsx$")


class PublishCheckError(RuntimeError):
    """The rendered workbook failed its audit; nothing was published."""


@dataclass(frozen=True)
class PublishResult:
    status: str  # published | unchanged
    file_name: str
    path: Path
    revision: int
    sha256: str
    revision_note: str


def code_version() -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10, check=True
        )
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def report_name(quarter: str, language: str, revision: int) -> str:
    return f"vc-indicators-{quarter}-{language}-r{revision}.xlsx"


def render(
    data: ReportData,
    language: str,
    revision: int,
    published_on: dt.date,
    revision_notes: list[dict[str, object]] | None = None,
) -> bytes:
    notes = (
        revision_notes
        if revision_notes is not None
        else [{"revision": revision, "published_on": published_on, "note": "first publication"}]
    )
    wb = build_workbook(data, language, revision, published_on, notes)
    stamp = dt.datetime.combine(published_on, dt.time(0, 0), tzinfo=dt.UTC)
    return stable_xlsx_bytes(
        wb,
        stamp,
        title=f"{label('report_title', language)} {data.quarter}",
        creator="Viable Cities indicator warehouse",
    )


def audit(content: bytes, data: ReportData, language: str) -> None:
    """Re-open the rendered file and check its sheets, charts and key figures are there."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
        charts = [n for n in names if n.startswith("xl/charts/chart")]
        if any(n.startswith("xl/externalLinks/") for n in names):
            raise PublishCheckError("the workbook links to external files")
    goals_with_values = {str(r["goal"]) for r in data.trends}
    expected_charts = sum(1 for goal, _ in GOAL_SHEETS if goal in goals_with_values)
    if len(charts) < expected_charts:
        raise PublishCheckError(f"{len(charts)} charts, expected at least {expected_charts}")
    wb = load_workbook(io.BytesIO(content), read_only=True)
    try:
        expected = sheet_names(language)
        if wb.sheetnames != expected:
            raise PublishCheckError(f"sheets are {wb.sheetnames}, expected {expected}")
        hidden = [ws.title for ws in wb.worksheets if ws.sheet_state != "visible"]
        if hidden:
            raise PublishCheckError(f"hidden sheets: {hidden}")
        rows = list(wb[expected[1]].iter_rows(min_row=SUMMARY_SHEET_ROWS_BEFORE_TABLE + 2, values_only=True))
        rows = [r for r in rows if any(v is not None for v in r)]
        if len(rows) != len(data.summary):
            raise PublishCheckError(f"summary has {len(rows)} indicator rows, expected {len(data.summary)}")
        for got, want in zip(rows, data.summary, strict=True):
            # Excel keeps 15-17 significant digits: compare as a spreadsheet reader would see it
            if not _same_number(got[5], want["value"]):
                raise PublishCheckError(
                    f"summary value of {want['indicator_id']} is {got[5]!r}, expected {want['value']!r}"
                )
    finally:
        wb.close()


def _same_number(a: object, b: object) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-12)


def _existing_revisions(folder: Path, quarter: str, language: str) -> dict[int, Path]:
    found = {}
    for path in folder.glob(f"vc-indicators-{quarter}-{language}-r*.xlsx"):
        if m := _REVISION.search(path.name):
            found[int(m.group(1))] = path
    return found


def _figures(data: ReportData) -> dict[str, object]:
    return {str(r["indicator_id"]): {"value": r["value"], "period": r["value_period"]} for r in data.summary}


def _revision_note(previous: dict[str, object] | None, data: ReportData) -> str:
    if previous is None:
        return "first publication"
    changes = []
    before = previous.get("figures", {})
    for key, now in _figures(data).items():
        was = before.get(key)
        if was != now:
            changes.append(
                f"{key}: {was['value'] if was else None} ({was['period'] if was else '-'}) -> "
                f"{now['value']} ({now['period']})"
            )
    old_inputs = {i["sha256"] for i in previous.get("inputs", [])}
    new_files = [f"{i['source']}/{i['file_name']}" for i in data.inputs if i["sha256"] not in old_inputs]
    parts = []
    if changes:
        parts.append("revised figures: " + "; ".join(changes))
    if new_files:
        parts.append("new input files: " + ", ".join(new_files))
    return ". ".join(parts) or "layout or code changed; figures unchanged"


def _write_tmp(target: Path, content: bytes) -> Path:
    """The content in full, synced to disk and read-only, under a hidden name beside the target."""
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        with tmp.open("wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o444)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def _atomic_write(target: Path, content: bytes) -> None:
    tmp = _write_tmp(target, content)
    try:
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _clear_unpublished(folder: Path) -> None:
    """What a publisher killed part-way left: hidden temporary files, and a manifest whose workbook never arrived
    (the manifest is renamed into place just before the workbook). One publisher at a time runs (the pipeline lock)."""
    for tmp in folder.glob(".vc-indicators-*.tmp-*"):
        tmp.unlink(missing_ok=True)
    for manifest in folder.glob("vc-indicators-*.xlsx.manifest.json"):
        if not manifest.with_name(manifest.name.removesuffix(".manifest.json")).exists():
            manifest.unlink(missing_ok=True)


def _manifest(workbook: Path) -> dict[str, object] | None:
    path = workbook.with_name(workbook.name + ".manifest.json")
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def revision_notes_of(manifests: list[dict[str, object]]) -> list[dict[str, object]]:
    return [
        {
            "revision": m["revision"],
            "published_on": dt.date.fromisoformat(str(m["published_on"])),
            "note": m["revision_note"],
        }
        for m in manifests
    ]


def publish_report(data: ReportData, reports_root: Path, language: str, today: dt.date) -> PublishResult:
    folder = reports_root / data.quarter
    folder.mkdir(parents=True, exist_ok=True)
    _clear_unpublished(folder)
    revisions = _existing_revisions(folder, data.quarter, language)
    history = [m for m in (_manifest(revisions[r]) for r in sorted(revisions)) if m is not None]
    previous_manifest = history[-1] if history else None
    if revisions:
        latest = max(revisions)
        published_on = dt.date.fromisoformat(str(previous_manifest["published_on"])) if previous_manifest else today
        again = render(data, language, latest, published_on, revision_notes_of(history) if history else None)
        if again == revisions[latest].read_bytes():
            return PublishResult(
                "unchanged",
                revisions[latest].name,
                revisions[latest],
                latest,
                hashlib.sha256(again).hexdigest(),
                "rebuild identical to the published revision",
            )
        revision = latest + 1
    else:
        revision = 1
    note = _revision_note(previous_manifest, data)
    notes = [*revision_notes_of(history), {"revision": revision, "published_on": today, "note": note}]
    content = render(data, language, revision, today, notes)
    audit(content, data, language)
    name = report_name(data.quarter, language, revision)
    sha = hashlib.sha256(content).hexdigest()
    manifest = {
        "report": "quarterly indicator workbook",
        "quarter": data.quarter,
        "language": language,
        "revision": revision,
        "revision_note": note,
        "published_on": today.isoformat(),
        "workbook_file": name,
        "workbook_sha256": sha,
        "code_version": code_version(),
        "as_of_date": data.as_of_date.isoformat() if data.as_of_date else None,
        "warehouse": data.warehouse,  # the engine the figures were built on (DuckDB or PostgreSQL)
        "is_demo_data": data.is_demo,
        "data_vintage": max((i["delivered_at"] for i in data.inputs if i["delivered_at"]), default=None),
        "inputs": data.inputs,
        "checks": {
            "dbt_tests": len(data.checks),
            "failed": sorted(str(c["name"]) for c in data.checks if c["status"] not in ("pass", "success")),
        },
        "row_counts": {
            "summary": len(data.summary),
            "trends": len(data.trends),
            "municipalities": len(data.municipalities),
            "funding": len(data.funding),
            "data_quality": len(data.data_quality),
            "sources": len(data.sources),
        },
        "figures": _figures(data),
    }
    target = folder / name
    manifest_path = target.with_name(name + ".manifest.json")
    # The workbook is written in full before anything is renamed: a full disk fails here, leaving nothing in the
    # folder. Then the manifest goes into place, and the workbook's rename is the moment of publication.
    staged = _write_tmp(target, content)
    try:
        _atomic_write(manifest_path, json.dumps(manifest, ensure_ascii=False, indent=2, default=str).encode())
        try:
            os.replace(staged, target)
        except BaseException:
            manifest_path.unlink(missing_ok=True)
            raise
    finally:
        staged.unlink(missing_ok=True)
    return PublishResult("published", name, target, revision, sha, note)
