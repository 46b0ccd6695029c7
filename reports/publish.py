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
from reports.workbook import GOAL_SHEETS, SUMMARY_HEADER, SUMMARY_KEYS, build_workbook, sheet_names
from sources.lib.paths import REPO_ROOT

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


FIRST = {"first": True}


def render(
    data: ReportData,
    language: str,
    revision: int,
    published_on: dt.date,
    revision_notes: list[dict[str, object]] | None = None,
    previous_figures: dict[str, dict[str, object]] | None = None,
) -> bytes:
    """The workbook's bytes; `previous_figures` are the figures of the revision before (flagged where changed)."""
    notes = (
        revision_notes
        if revision_notes is not None
        else [{"revision": revision, "published_on": published_on, "note": "first publication", "changes": FIRST}]
    )
    wb = build_workbook(data, language, revision, published_on, notes, previous_figures)
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
        rows = summary_table(wb[expected[1]], language)
        if len(rows) != len(data.summary):
            raise PublishCheckError(f"summary has {len(rows)} indicator rows, expected {len(data.summary)}")
        for got, want in zip(rows, data.summary, strict=True):
            # Excel keeps 15-17 significant digits: compare as a spreadsheet reader would see it
            # a missing value reads "Data saknas" / "No data" (reports.workbook), never blank or 0
            shown = None if want["value"] is None and got["value"] == label("no_data", language) else got["value"]
            if not _same_number(shown, want["value"]):
                raise PublishCheckError(
                    f"summary value of {want['indicator_id']} is {got['value']!r}, expected {want['value']!r}"
                )
    finally:
        wb.close()


def summary_table(ws: object, language: str) -> list[dict[str, object]]:
    """The summary sheet's indicator rows as {column key: value} (reports.workbook.SUMMARY_KEYS), found by the
    table's header row (its indicator column's label), read up to the first empty row."""
    rows = list(ws.iter_rows(values_only=True))
    wanted = label(SUMMARY_HEADER, language)
    start = next((i for i, r in enumerate(rows) if len(r) > 1 and r[1] == wanted), None)
    if start is None:
        raise PublishCheckError(f"the summary sheet has no table headed {wanted!r}")
    table = []
    for r in rows[start + 1 :]:
        if len(r) < 2 or r[1] is None:
            break
        table.append(dict(zip(SUMMARY_KEYS, r, strict=False)))
    return table


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


def _revision_changes(previous: dict[str, object] | None, data: ReportData) -> dict[str, object]:
    """What changed against the previous revision, structured: the workbook writes it in its own language."""
    if previous is None:
        return FIRST
    before = previous.get("figures", {})
    figures = [
        {
            "id": key,
            "was": was["value"] if was else None,
            "was_period": was["period"] if was else None,
            "now": now["value"],
            "now_period": now["period"],
        }
        for key, now in _figures(data).items()
        if (was := before.get(key)) != now
    ]
    old_inputs = {i["sha256"] for i in previous.get("inputs", [])}
    new_files = [f"{i['source']}/{i['file_name']}" for i in data.inputs if i["sha256"] not in old_inputs]
    # a delivery that became late (or arrived) changes the cover: the note says so, not "figures unchanged"
    states_before = previous.get("delivery_states", {})
    deliveries = [
        {"source": source, "was": states_before.get(source), "now": now}
        for source, now in _delivery_states(data).items()
        if states_before.get(source) != now and source in states_before
    ]
    return {"figures": figures, "new_files": new_files, "deliveries": deliveries}


def _delivery_states(data: ReportData) -> dict[str, str]:
    return {str(f["source_name"]): str(f["freshness_status"]) for f in data.freshness}


def _revision_note(changes: dict[str, object]) -> str:
    """The English note of the manifest (and of the run's log)."""
    if changes.get("first"):
        return "first publication"
    parts = []
    if changes["figures"]:
        parts.append(
            "revised figures: "
            + "; ".join(
                f"{f['id']}: {f['was']} ({f['was_period'] or '-'}) -> {f['now']} ({f['now_period']})"
                for f in changes["figures"]
            )
        )
    if changes["new_files"]:
        parts.append("new input files: " + ", ".join(changes["new_files"]))
    if changes.get("deliveries"):
        parts.append(
            "delivery state changed: "
            + ", ".join(f"{d['source']} {d['was']} -> {d['now']}" for d in changes["deliveries"])
        )
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
            "changes": m.get("revision_changes"),
        }
        for m in manifests
    ]


def previous_figures_of(manifests: list[dict[str, object]], revision: int) -> dict[str, dict[str, object]] | None:
    """The figures of the revision before `revision` (what its summary flags as revised), if there was one."""
    before = [m for m in manifests if int(m["revision"]) == revision - 1]
    return before[0].get("figures") if before else None


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
        again = render(
            data,
            language,
            latest,
            published_on,
            revision_notes_of(history) if history else None,
            previous_figures_of(history, latest),
        )
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
    changes = _revision_changes(previous_manifest, data)
    note = _revision_note(changes)
    notes = [
        *revision_notes_of(history),
        {"revision": revision, "published_on": today, "note": note, "changes": changes},
    ]
    content = render(
        data, language, revision, today, notes, previous_manifest.get("figures") if previous_manifest else None
    )
    audit(content, data, language)
    name = report_name(data.quarter, language, revision)
    sha = hashlib.sha256(content).hexdigest()
    manifest = {
        "report": "quarterly indicator workbook",
        "quarter": data.quarter,
        "language": language,
        "revision": revision,
        "revision_note": note,
        "revision_changes": changes,
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
            "dbt_tests": sum(c.get("engine") == "dbt" for c in data.checks),
            "expectations": sum(c.get("engine") == "expectation" for c in data.checks),
            "failed": sorted(
                str(c["name"]) for c in data.checks if c["status"] not in ("pass", "success", "warn", "no_data")
            ),
            "warnings": sorted(str(c["name"]) for c in data.checks if c["status"] == "warn"),
            # passed over tables without a row: they tested nothing (reports.data.load_checks)
            "no_data": sorted(str(c["name"]) for c in data.checks if c["status"] == "no_data"),
        },
        "row_counts": {
            "summary": len(data.summary),
            "trends": len(data.trends),
            "municipalities": len(data.municipalities),
            "funding": len(data.funding),
            "data_quality": len(data.data_quality),
            "sources": len(data.sources),
            "indicator_data": len(data.indicator_data),
            "sectors": len(data.sectors),
        },
        "figures": _figures(data),
        "delivery_states": _delivery_states(data),
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
