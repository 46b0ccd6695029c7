"""A funder's audit: trace figures to source rows, verify a published workbook against the archive, and a late
restatement that becomes a new revision while the earlier one still verifies."""

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from dagster import DagsterInstance
from openpyxl import load_workbook

from orchestration.lib.quarters import quarter_to_partition_key
from orchestration.verify import verify
from reports.publish import summary_table
from reports.trace import load_trace
from sources.demo.generate import write_demo
from sources.paths import DataDir

pytestmark = pytest.mark.integration
AS_OF = "2026-10-15"
QUARTER = "2025Q2"


def _run_job(root: Path, mp: pytest.MonkeyPatch) -> None:
    mp.setenv("VC_DATA_DIR", str(root))
    mp.setenv("VC_AS_OF_DATE", AS_OF)
    from orchestration.definitions import defs

    job = defs.resolve_job_def("quarterly_pipeline")
    with DagsterInstance.ephemeral() as instance:
        assert job.execute_in_process(partition_key=quarter_to_partition_key(QUARTER), instance=instance).success


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("audit") / "var"
    write_demo(root / "landing")
    mp = pytest.MonkeyPatch()
    _run_job(root, mp)
    mp.undo()
    return root


def _summary_values(workbook: Path) -> dict[str, float]:
    ws = load_workbook(workbook, read_only=True)["Sammanfattning"]
    return {r["indicator"]: r["value"] for r in summary_table(ws, "sv")}


def test_traced_rows_add_up_to_the_published_figures(published: Path) -> None:
    [workbook] = sorted((published / "reports" / QUARTER).glob("*.xlsx"))
    shown = _summary_values(workbook)
    for indicator, period in [
        ("kk_municipalities", QUARTER),
        ("intl_funding_awarded_msek_cumulative", QUARTER),
        ("kk_emissions_kt", "2024"),
    ]:
        trace = load_trace(DataDir(published).warehouse, indicator, period)
        assert trace.contribution_total == pytest.approx(shown[trace.figure["name_sv"]], rel=1e-9)
        for row in trace.evidence:
            assert len(row["source_file_sha256"]) == 64 and row["source_file_name"] and row["source_row"] > 0
            assert (
                published / "archive" / row["source_name"].replace("cordis", "cordis_organizations")
                if row["source_name"] == "cordis"
                else published / "archive" / row["source_name"]
            ).is_dir()
    members = load_trace(DataDir(published).warehouse, "kk_municipalities", QUARTER)
    assert {r["source_file_name"] for r in members.evidence} == {"klimatkontrakt_register.csv"}


def test_verify_passes_untouched_and_names_an_altered_file(
    published: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    [workbook] = sorted((published / "reports" / QUARTER).glob("*.xlsx"))
    monkeypatch.setenv("VC_DATA_DIR", str(published))
    result = verify(workbook, DataDir(published))
    assert result.matches, result.differences

    copy = tmp_path / "var"
    shutil.copytree(published, copy, symlinks=True)
    [stored] = [p for p in (copy / "archive" / "klimatkontrakt_register").iterdir() if p.suffix != ".json"]
    os.chmod(stored, 0o644)
    stored.write_bytes(stored.read_bytes().replace(b"2019-06-01", b"2018-06-01", 1))
    altered = verify(copy / "reports" / QUARTER / workbook.name, DataDir(copy))
    assert not altered.matches
    assert any(
        "archived file altered: klimatkontrakt_register/klimatkontrakt_register.csv" in d for d in altered.differences
    ), altered.differences


def test_a_restatement_is_a_new_revision_and_the_old_one_still_verifies(published: Path, tmp_path: Path) -> None:
    root = tmp_path / "var"
    shutil.copytree(published, root, symlinks=True)
    [r1] = sorted((root / "reports" / QUARTER).glob("*.xlsx"))
    # SMHI restates: every 2024 value of the member municipalities 5 % lower, delivered later as a new file
    smhi = next((root / "landing" / "smhi_emissions").glob("*.xlsx"))
    wb = load_workbook(smhi)
    ws = wb.active
    year_col = [c.value for c in ws[5]].index(2024) + 1
    for row in ws.iter_rows(min_row=7):
        if isinstance(row[year_col - 1].value, float):
            row[year_col - 1].value *= 0.95
    restated = smhi.with_name("smhi_lansrapport_ggt_restated.xlsx")
    wb.save(restated)
    later = dt.datetime(2026, 10, 10, tzinfo=dt.UTC).timestamp()
    os.utime(restated, (later, later))
    mp = pytest.MonkeyPatch()
    try:
        _run_job(root, mp)
    finally:
        mp.undo()
    revisions = sorted((root / "reports" / QUARTER).glob("*.xlsx"))
    assert [p.name for p in revisions] == [r1.name, r1.name.replace("-r1.", "-r2.")]
    import json

    note = json.loads((revisions[1].with_name(revisions[1].name + ".manifest.json")).read_text())["revision_note"]
    assert "kk_emissions_kt" in note and "smhi_emissions/smhi_lansrapport_ggt_restated.xlsx" in note
    assert verify(r1, DataDir(root)).matches  # the earlier revision still rebuilds from its own inputs
