"""A funder's audit: trace figures to source rows, verify a published workbook against the archive, and a late
restatement that becomes a new revision while the earlier one still verifies."""

import csv
import datetime as dt
import os
import shutil
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance
from openpyxl import load_workbook

from orchestration.lib.quarters import quarter_to_partition_key
from orchestration.verify import verify
from reports.publish import summary_table
from reports.trace import TraceError, check_published, load_trace
from sources.demo.generate import write_demo
from sources.lib.paths import REPO_ROOT, DataDir

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
            assert (published / "archive" / row["source_name"]).is_dir()
    members = load_trace(DataDir(published).warehouse, "kk_municipalities", QUARTER)
    assert {r["source_file_name"] for r in members.evidence} == {"klimatkontrakt_register.csv"}


def _catalogue() -> list[dict[str, str]]:
    with (REPO_ROOT / "dbt_project" / "seeds" / "indicator_catalogue.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_every_catalogue_indicator_traces_in_every_geography(published: Path) -> None:
    """Each indicator of the catalogue (a new one without evidence fails here), in each geography it is published
    for, at its largest published value: evidence rows from archived files that recompute the figure."""
    warehouse = DataDir(published).warehouse
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        figures = con.execute(
            "select indicator_id, geography_type, geography_code, period from marts.fct_indicator_values "
            "where value is not null "
            "qualify row_number() over (partition by indicator_id, geography_type, geography_code "
            "order by abs(value) desc, period desc) = 1 order by all"
        ).fetchall()
    finally:
        con.close()
    published_for: dict[str, list[tuple[str, str, str]]] = {}
    for indicator, geography_type, code, period in figures:
        published_for.setdefault(indicator, []).append((geography_type, code, period))
    for entry in _catalogue():
        indicator = entry["indicator_id"]
        assert indicator in published_for, f"{indicator} has no published value in the demo data"
        by_type: dict[str, list[tuple[str, str]]] = {}
        for geography_type, code, period in published_for[indicator]:
            by_type.setdefault(geography_type, []).append((code, period))
        for geography_type, figures_of_type in by_type.items():
            # every programme and comparison figure; two of the cohorts and municipalities (the first and last)
            for code, period in sorted({figures_of_type[0], figures_of_type[-1]}):
                trace = load_trace(warehouse, indicator, period, code)
                assert trace.agrees, (indicator, period, code, trace.figure["value"], trace.recomputed, trace.totals)
                needed = {
                    "count": {"value"},
                    "sum": {"value"},
                    "share": {"numerator", "denominator"},
                    "ratio": {"numerator", "denominator"},
                    "change": {"current", "baseline"},
                }[entry["formula_kind"]]
                if trace.figure["value"] == 0:
                    # nothing counted (no member on track yet, no planned action left): a count of nothing has
                    # no rows to show, a share of nothing still shows what it is a share of
                    needed -= {"value", "numerator"}
                assert trace.evidence or not needed, f"{indicator} {period} {geography_type} {code} has no evidence"
                assert {r["part"] for r in trace.evidence} >= needed, (indicator, period, code)
                for row in trace.evidence:
                    assert len(row["source_file_sha256"]) == 64 and row["source_row"] > 0
                    assert (published / "archive" / row["source_name"] / row["source_file_sha256"]).is_file()


def test_funding_rows_carry_the_amount_as_entered_and_the_ecb_rate_row(published: Path) -> None:
    """An award in EUR is traced with its amount as entered, unit and currency, and the ECB file's rate row(s) it
    was converted at (one day's rate, or every rate of the month for monthly-average instruments), which are
    read back here from the ECB file itself."""
    trace = load_trace(DataDir(published).warehouse, "intl_funding_awarded_msek_cumulative", QUARTER)
    euro = [r for r in trace.evidence if r["part"] == "value" and r["original_currency"] == "EUR"]
    rate_rows: dict[str, list[dict[str, object]]] = {}
    for r in trace.evidence:
        if r["role"] == "exchange_rate":
            rate_rows.setdefault(str(r["item"]).split(": ")[0], []).append(r)
    assert euro and len(rate_rows) == len(euro)
    lines = (published / "landing" / "ecb_rates" / "eurofxref-hist.csv").read_text().splitlines()
    sek = lines[0].split(",").index("SEK")
    scale = {"EUR": 1, "tEUR": 1_000, "MEUR": 1_000_000}
    monthly = 0
    for award in euro:
        used = [lines[r["source_row"] - 1].split(",") for r in rate_rows[str(award["item"])]]  # the file's lines
        rates = [float(fields[sek]) for fields in used]
        if len(used) == 1:
            assert used[0][0] == award["fx_rate_date"].isoformat()
        else:
            monthly += 1
            assert {fields[0][:7] for fields in used} == {award["fx_rate_date"].isoformat()[:7]}
        assert sum(rates) / len(rates) == pytest.approx(award["fx_sek_per_eur"], rel=1e-9)
        expected = award["original_amount"] * scale[award["original_unit"]] * award["fx_sek_per_eur"] / 1e6
        assert award["contribution"] == pytest.approx(expected, rel=1e-12)
    assert 0 < monthly < len(euro)  # both conversion methods are traced


def test_a_trace_of_a_figure_the_workbook_lacks_is_refused_before_any_rebuild(published: Path, tmp_path: Path) -> None:
    """`make trace REPORT=…` rebuilds the revision (a minute); a mistyped indicator, a period or a geography the
    workbook does not hold is refused first, from the workbook's own data sheet, naming what it does hold. The
    expected sets come from the warehouse the workbook was published from."""
    [workbook] = sorted((published / "reports" / QUARTER).glob("*.xlsx"))
    con = duckdb.connect(str(DataDir(published).warehouse), read_only=True)
    try:
        ids = {r[0] for r in con.execute("select distinct indicator_id from marts.fct_indicator_values").fetchall()}
        first, last = con.execute(
            "select min(period), max(period) from marts.fct_indicator_values "
            "where indicator_id = 'kk_municipalities' and geography_code = 'SE' and period <= ?",
            [QUARTER],  # the workbook holds the periods up to its quarter
        ).fetchone()
    finally:
        con.close()
    check_published(workbook, "kk_municipalities", QUARTER, "SE")  # published: no error
    check_published(workbook, "other_emissions_kt", "2023", None)  # the headline geography is the trace's choice
    with pytest.raises(TraceError) as unknown:
        check_published(workbook, "kk_municipalites", QUARTER, "SE")
    said = str(unknown.value)
    assert said.startswith(f"'kk_municipalites' is not in {workbook.name}; its indicators: ")
    assert set(said.split("its indicators: ")[1].split(", ")) == ids
    with pytest.raises(TraceError, match=rf"has no figure for kk_municipalities 1990Q1 SE; it has .*\bSE: {first} to "
                       rf"{last}(;|$)"):  # fmt: skip
        check_published(workbook, "kk_municipalities", "1990Q1", "SE")
    with pytest.raises(TraceError, match="has no figure for other_emissions_kt 2023 SE; it has non_members: "):
        check_published(workbook, "other_emissions_kt", "2023", "SE")
    not_a_workbook = tmp_path / "report.xlsx"
    not_a_workbook.write_text("quarter;value\n", encoding="utf-8")
    with pytest.raises(TraceError, match=r"^report.xlsx cannot be read as a workbook \(\w+\): not a published one$"):
        check_published(not_a_workbook, "kk_municipalities", QUARTER, "SE")


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
