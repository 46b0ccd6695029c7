"""The new sources read in their real formats: the follow-up template (by its labels), CORDIS, the engagement
log and the mission-city register in both its shapes. Expected values come from the generator's plan or are
written out here, never from the parsers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from reports.stable_xlsx import stable_xlsx_bytes
from sources.cordis_projects import demo as cordis_demo
from sources.demo import generate, world
from sources.engagement_log import demo as engagement_demo
from sources.klimatkontrakt_followup import demo as followup_demo
from sources.klimatkontrakt_followup import template
from sources.lib.contract import load_contract
from sources.lib.errors import SourceFileError
from sources.lib.ingest import ingest_source, read_file
from sources.lib.paths import SOURCES_DIR, DataDir
from sources.lib.readers import read_csv
from sources.lib.validate import validate
from sources.mission_cities import demo as mission_demo

FOLLOWUP = load_contract(SOURCES_DIR / "klimatkontrakt_followup")
PROJECTS = load_contract(SOURCES_DIR / "cordis_projects")
ORGANISATIONS = load_contract(SOURCES_DIR / "cordis_organizations")
ENGAGEMENT = load_contract(SOURCES_DIR / "engagement_log")
MISSION = load_contract(SOURCES_DIR / "mission_cities")


@pytest.fixture(scope="module")
def landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo") / "landing"
    generate.write_demo(root)
    return root


# ---------------------------------------------------------------------------------------------------------------
# Klimatkontrakt follow-up


def test_demo_templates_read_to_the_generators_plan(landing: Path) -> None:
    shared = world.build_world()
    rng = world.source_rng(world.SEED, "klimatkontrakt_followup")
    reports, missing = followup_demo.followup_plan(shared.register, rng)
    files = sorted((landing / "klimatkontrakt_followup").glob("*.xlsx"))
    assert len(files) == len(reports) and missing  # some owed follow-ups never arrive
    assert {r.version for r in reports} == {"2024.1", "2025.1"}
    by_key = {(r.municipality.code, r.year): r for r in reports}
    for path in files:
        checked = validate(read_file(path, path.name, FOLLOWUP), FOLLOWUP)
        assert checked.rejected.empty, (path.name, checked.rejected.to_dict("records"))
        rows = checked.accepted
        [report] = rows[rows.record_type == "report"].to_dict("records")
        plan = by_key[(report["municipality_code"], report["report_year"])]
        assert path.name == f"uppfoljning_{report['report_year']}_{report['municipality_code']}.xlsx"
        assert (report["template_version"], report["submitted_on"]) == (plan.version, plan.submitted_on)
        got = rows[rows.record_type == "action"]
        assert got["action_no"].tolist() == [a.no for a in plan.actions]
        assert got["action_status"].tolist() == [a.status for a in plan.actions]
        assert got["investment_tkr"].tolist() == pytest.approx([a.investment_tkr for a in plan.actions])
        # the Summa is what a spreadsheet's SUM made of it: amounts typed as text are left out, and say so
        warnings = rows[rows.record_type == "warning"]
        as_text = warnings[warnings.check_rule == "number_as_text"]
        left_out = sum(got.set_index("source_row").loc[as_text["source_row"], "investment_tkr"])
        total = sum(a.investment_tkr for a in plan.actions)
        assert report["investment_total_tkr"] == pytest.approx(round(total - left_out, 1))
        assert (warnings.check_rule == "summa_mismatch").sum() == (1 if len(as_text) else 0)
        if plan.version == "2024.1":
            assert got["external_funding_tkr"].isna().all()
        else:
            assert got["external_funding_tkr"].tolist() == pytest.approx([a.external_tkr for a in plan.actions])
        assert set(rows["source_sheet"]) == {"Uppföljning"}


ACTIONS = [
    template.Action(1, "Elbussar i stadstrafiken", "Transporter", "pågående", 12_500.0, 5_000.0, "Del av CCC"),
    template.Action(2, "Solceller på kommunala tak", "Energi", "genomförd", 800.5, 0.0, ""),
]
LUND = template.Form("Lund", "1281", 2025, None, "Karin Ek", dt.date(2026, 2, 10))


def _template(
    tmp_path: Path,
    mutate: Callable[[Workbook], None],
    version: str = "2025.1",
    row_shift: int = 0,
    actions: list[template.Action] = ACTIONS,
    cached_override: dict[str, float] | None = None,
) -> Path:
    wb, cached = template.followup_workbook(version, LUND, actions, key_updates="Klimatinvesteringsplanen antogs.")
    mutate(wb)
    cached = {f"{ref[0]}{int(ref[1:]) + row_shift}": v for ref, v in cached.items()} | (cached_override or {})
    data = stable_xlsx_bytes(wb, dt.datetime(2026, 2, 10))
    path = tmp_path / "uppfoljning.xlsx"
    path.write_bytes(followup_demo.with_cached_values(data, followup_demo.FOLLOWUP_SHEET_PART, cached))
    return path


def _set(cell: str, value: object) -> Callable[[Workbook], None]:
    def mutate(wb: Workbook) -> None:
        wb["Uppföljning"][cell] = value

    return mutate


def _unmerge_then_set(merged: str, cell: str, value: object) -> Callable[[Workbook], None]:
    def mutate(wb: Workbook) -> None:
        wb["Uppföljning"].unmerge_cells(merged)
        wb["Uppföljning"][cell] = value

    return mutate


def _hide(wb: Workbook) -> None:
    wb["Uppföljning"].sheet_state = "hidden"


def _merge_in_table(wb: Workbook) -> None:
    wb["Uppföljning"].merge_cells("C14:C15")


def _move_everything_down(wb: Workbook) -> None:
    """Four rows more above the form (a logo, a note): labels move, the reader follows them."""
    from openpyxl.worksheet.cell_range import CellRange

    ws = wb["Uppföljning"]
    merges = [CellRange(str(r)) for r in ws.merged_cells.ranges]
    for r in merges:
        ws.unmerge_cells(str(r))
    ws.insert_rows(3, amount=4)  # openpyxl moves the cells, not the merges: move those by hand
    for r in merges:
        if r.min_row >= 3:
            r.shift(row_shift=4)
        ws.merge_cells(str(r))


def test_a_good_template_reads_by_its_labels_wherever_they_are(tmp_path: Path) -> None:
    for mutate, shift in ((lambda wb: None, 0), (_move_everything_down, 4), (_set("B6", 1281), 0)):
        checked = validate(read_file(_template(tmp_path, mutate, row_shift=shift), "u.xlsx", FOLLOWUP), FOLLOWUP)
        assert checked.rejected.empty
        rows = checked.accepted
        assert set(rows["municipality_code"]) == {"1281"} and set(rows["report_year"]) == {2025}
        assert rows[rows.record_type == "action"]["investment_tkr"].tolist() == [12_500.0, 800.5]
        report = rows[rows.record_type == "report"].iloc[0]
        assert report["investment_total_tkr"] == 13_300.5
        assert report["key_updates"]


@pytest.mark.parametrize(
    ("mutate", "rule", "row", "column"),
    [
        (_set("A6", "Kommun-kod"), "template_drift", None, None),  # a label renamed
        (_set("B4", "2026.1"), "template_version", 4, "B"),  # a template the office never handed out
        (_set("E13", "Investering (kr)"), "template_drift", 13, None),  # a renamed column
        (_set("H13", "Extra"), "template_drift", 13, None),  # an added column
        (_set("A34", "Total"), "template_drift", None, None),  # no Summa row
        (_set("A42", "Kommunkod"), "template_drift", None, None),  # a label twice
        (_set("B6", "12345"), "municipality_code", 6, "B"),
        (_set("B6", "1299"), "unknown_municipality_code", 6, "B"),
        (_set("B6", None), "required", 6, "B"),
        (_set("B7", "tjugofemton"), "not_a_number", 7, "B"),
        (_merge_in_table, "merged_cells", 14, "C14:C15"),
        (_hide, "hidden_sheet", None, None),
        (_set("E20", "=E14*2"), "formula_without_value", 20, "E"),
    ],
)
def test_template_drift_is_refused_naming_the_cell(
    tmp_path: Path, mutate: Callable[[Workbook], None], rule: str, row: int | None, column: str | None
) -> None:
    with pytest.raises(SourceFileError) as exc:
        read_file(_template(tmp_path, mutate), "uppfoljning.xlsx", FOLLOWUP)
    assert (exc.value.rule, exc.value.sheet, exc.value.row, exc.value.column) == (rule, "Uppföljning", row, column)


def test_the_2024_template_version_has_no_external_funding_column(tmp_path: Path) -> None:
    path = _template(tmp_path, lambda wb: None, version="2024.1")
    rows = validate(read_file(path, "u.xlsx", FOLLOWUP), FOLLOWUP).accepted
    assert set(rows["template_version"]) == {"2024.1"} and rows["external_funding_tkr"].isna().all()
    # a 2025.1 column in a file that says 2024.1 is drift
    with pytest.raises(SourceFileError) as exc:
        read_file(_template(tmp_path, _set("B4", "2024.1")), "u.xlsx", FOLLOWUP)
    assert exc.value.rule == "template_drift" and "Varav extern finansiering (tkr)" in str(exc.value)


@pytest.mark.parametrize(
    ("mutate", "cell", "rule"),
    [
        (_set("D14", "klar"), "D14", "allowed_values"),
        (_set("C15", "Transport"), "C15", "allowed_values"),
        (_set("E14", "ca 500"), "E14", "not_a_number"),
        (_set("E14", -5), "E14", "minimum"),
        (_set("F15", 900), "F15", "external_within_investment"),
        (_set("A14", None), "A14", "action_needs_number_and_name"),  # an action without its number
        (_set("B15", None), "B15", "action_needs_number_and_name"),  # or its name
    ],
)
def test_bad_action_rows_go_to_quarantine_naming_the_cell(
    tmp_path: Path, mutate: Callable[[Workbook], None], cell: str, rule: str
) -> None:
    checked = validate(read_file(_template(tmp_path, mutate), "u.xlsx", FOLLOWUP), FOLLOWUP)
    assert checked.rejected[["cell", "rule"]].values.tolist() == [[cell, rule]]
    assert set(checked.rejected["sheet"]) == {"Uppföljning"}
    assert (checked.accepted["record_type"] == "action").sum() == 1  # the other action and the report stay


def test_unused_numbered_rows_are_skipped_not_rejected(tmp_path: Path) -> None:
    rows = validate(read_file(_template(tmp_path, lambda wb: None), "u.xlsx", FOLLOWUP), FOLLOWUP).accepted
    assert (rows.record_type == "action").sum() == len(ACTIONS)  # 20 numbered rows, 2 filled in


# ---------------------------------------------------------------------------------------------------------------
# CORDIS


def test_cordis_demo_files_load_and_contributions_add_up(landing: Path) -> None:
    projects = validate(read_csv(landing / "cordis_projects" / "project.csv", "project.csv", PROJECTS), PROJECTS)
    organisations = validate(
        read_csv(landing / "cordis_organizations" / "organization.csv", "organization.csv", ORGANISATIONS),
        ORGANISATIONS,
    )
    assert projects.rejected.empty and organisations.rejected.empty
    expected = {p[0]: p[7] for p in cordis_demo.CORDIS_PROJECTS}
    got = dict(zip(projects.accepted["project_id"], projects.accepted["ec_max_contribution_eur"], strict=True))
    assert got == pytest.approx(expected)
    sums = organisations.accepted.groupby("project_id")["ec_contribution_eur"].sum().to_dict()
    assert sums == pytest.approx(expected)
    nzc = organisations.accepted[organisations.accepted["project_id"] == "101036519"]
    assert nzc[nzc.role == "coordinator"]["organisation_name"].tolist() == ["CLIMATE KIC HOLDING BV"]
    mission = projects.accepted[projects.accepted["topics"].str.match(r"^HORIZON-MISS-\d{4}-CIT-")]
    assert len(mission) == 9
    # every project has a Swedish participant with country SE
    swedish = organisations.accepted[organisations.accepted["country_code"] == "SE"]
    assert set(swedish["project_id"]) == set(expected)


@pytest.mark.parametrize(
    ("written", "value", "rule"),
    [
        ("9850000", 9_850_000.0, None),
        ("2998437.5", 2_998_437.5, None),
        ("2998437,5", 2_998_437.5, None),  # the older exports' decimal comma
        ("2 998 437,50", 2_998_437.5, None),
        ("-5", None, "minimum"),
        ("n/a", None, "not_a_number"),
    ],
)
def test_cordis_amounts_with_decimal_point_or_comma(tmp_path: Path, written: str, value: float, rule: str) -> None:
    header = ";".join(f'"{c}"' for c in cordis_demo.CORDIS_ORGANIZATION_HEADER)
    fields = ["101036519", "NetZeroCities", "999977172", "", "KUNGLIGA TEKNISKA HOEGSKOLAN", "KTH", "false", "HES"]
    fields += ["", "100 44", "STOCKHOLM", "SE", "SE110", "59.35,18.07", "", "", "2026-09-10 08:14:32", "1", "2"]
    fields += ["participant", written, written, "", "false", "true"]
    path = tmp_path / "organization.csv"
    path.write_text(header + "\n" + ";".join(f'"{f}"' for f in fields) + "\n", encoding="utf-8")
    checked = validate(read_csv(path, "organization.csv", ORGANISATIONS), ORGANISATIONS)
    if rule is None:
        assert checked.accepted["ec_contribution_eur"].tolist() == [value]
        assert checked.accepted["content_update_date"].tolist() == [dt.date(2026, 9, 10)]
    else:
        assert checked.rejected[["column", "rule"]].drop_duplicates().values.tolist() == [
            ["ec_contribution_eur", rule],
            ["net_ec_contribution_eur", rule],
        ]


# ---------------------------------------------------------------------------------------------------------------
# Engagement log and the mission-city register

ENGAGEMENT_HEADER = ";".join(engagement_demo.ENGAGEMENT_HEADER) + "\n"


@pytest.mark.parametrize(
    ("line", "cell", "rule"),
    [
        ("ENG-1;C40 Cities;network;global;1;2019-05-01;;0180;;nej;x", None, None),
        ("ENG-1;M100;agreement;european;1;2025-03-01;;;ja;nej;x", None, None),
        ("ENG-1;C40 Cities;conference;global;1;2019-05-01;;;;nej;x", "Typ (line 2)", "allowed_values"),
        ("ENG-1;UN;agreement;global;2;2024-05-31;2022-06-01;;;nej;x", "Slutdatum (line 2)", "ended_after_started"),
        ("ENG-1;ICLEI;network;global;1;2019-09-01;;1299;;nej;x", "Kommunkod (line 2)", "unknown_municipality_code"),
        ("ENG-1;;event;global;1;2019-09-01;;;;nej;x", "Partner (line 2)", "required"),
        ("ENG-1;ICLEI;network;planetary;1;2019-09-01;;;;nej;x", "Nivå (line 2)", "allowed_values"),
        ("ENG-1;ICLEI;network;global;;2019-09-01;;;;nej;x", "Inriktning (line 2)", "required"),
        ("ENG-1;ICLEI;network;global;4;2019-09-01;;;;nej;x", "Inriktning (line 2)", "maximum"),
        ("ENG-1;GEF;agreement;global;3;2025-09-01;;;?;nej;x", "Grundfinansiering säkrad (line 2)", "not_a_boolean"),
    ],
)
def test_engagement_log_rows(tmp_path: Path, line: str, cell: str | None, rule: str | None) -> None:
    path = tmp_path / "log.csv"
    path.write_text(ENGAGEMENT_HEADER + line + "\n", encoding="utf-8")
    checked = validate(read_csv(path, "log.csv", ENGAGEMENT), ENGAGEMENT)
    assert checked.rejected[["cell", "rule"]].values.tolist() == ([[cell, rule]] if rule else [])


def test_demo_engagement_log_and_mission_register_load(landing: Path) -> None:
    [log] = (landing / "engagement_log").glob("*.csv")
    checked = validate(read_csv(log, log.name, ENGAGEMENT), ENGAGEMENT)
    assert checked.rejected.empty and len(checked.accepted) == len(engagement_demo.ENGAGEMENTS)
    [register] = (landing / "mission_cities").glob("*.csv")
    cities = validate(read_csv(register, register.name, MISSION), MISSION)
    assert cities.rejected.empty and len(cities.accepted) == len(mission_demo.MISSION_CITIES)
    assert cities.accepted["ccc_status"].notna().all()  # the export's shape has the status
    assert cities.accepted["label_event"].isna().all()  # and not the public register's extra columns


def test_new_demo_sources_ingest_with_lineage(landing: Path, data_dir: Path) -> None:
    import shutil

    data = DataDir(data_dir)
    for name in ["cordis_projects", "cordis_organizations", "engagement_log", "klimatkontrakt_followup"]:
        shutil.copytree(landing / name, data.landing(name))
        report = ingest_source(load_contract(SOURCES_DIR / name), data)
        assert report.rows_rejected == 0 and all(f.status == "accepted" for f in report.new_files)
    raw = pd.concat(
        pd.read_parquet(p) for p in data.raw("klimatkontrakt_followup").glob("*.parquet") if p.stem != "_schema"
    )
    files = len(list((landing / "klimatkontrakt_followup").glob("*.xlsx")))
    assert raw["source_file_sha256"].nunique() == files
    assert (raw["record_type"] == "report").sum() == files
    assert raw[["source_file_name", "source_sheet", "source_row", "vintage_at"]].notna().all().all()
