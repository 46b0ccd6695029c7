"""The follow-up and engagement-portfolio indicators on the demo data, checked against figures computed here from
the demo input files themselves (the follow-up workbooks read cell by cell with openpyxl, the register and the
engagement log as CSV); then the template round trip: hand the 2026 templates out, fill one in with openpyxl,
re-save it through LibreOffice, deliver it, and the figures are the filled-in values."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest
from openpyxl import load_workbook

from orchestration.lib.dbt_project import DBT_EXECUTABLE
from sources.demo.generate import write_demo
from sources.klimatkontrakt_followup import handout
from sources.lib.contract import discover_contracts
from sources.lib.ingest import ingest_source
from sources.lib.paths import REPO_ROOT, DataDir
from tests.libreoffice import resave_with_libreoffice

pytestmark = pytest.mark.integration
AS_OF = "2026-10-15"  # the last closed quarter is 2026Q3: report years 2024 and 2025 are due
LEVELS = {"hyperlocal", "local", "regional", "national", "nordic", "european", "global"}


def _build(root: Path, as_of: str) -> Path:
    data = DataDir(root)
    for contract in discover_contracts():
        ingest_source(contract, data)
    subprocess.run(
        [str(DBT_EXECUTABLE), "build", "--profiles-dir", ".", "--target-path",
         str(root / "dbt_target"), "--vars", json.dumps({"as_of_date": as_of}), "--quiet"],
        cwd=REPO_ROOT / "dbt_project", env={**os.environ, "VC_DATA_DIR": str(root)}, check=True, timeout=900,
    )  # fmt: skip
    return data.warehouse


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("followups") / "var"
    write_demo(root / "landing")
    _build(root, AS_OF)
    return root


def _query(warehouse: Path, sql: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _values(warehouse: Path, indicator: str) -> dict[tuple[str, str, str], float | None]:
    rows = _query(
        warehouse,
        "select period, geography_type, geography_code, value from marts.fct_indicator_values where indicator_id = ?",
        [indicator],
    )
    return {(p, t, c): v for p, t, c, v in rows}


# ---------------------------------------------------------------------------------------------------------------
# the expected figures, from the input files


def _amount(value: object) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return float(value.replace("\u00a0", "").replace(" ", "").replace(",", "."))
    return float(value)


def _read_followup(path: Path) -> dict[str, object]:
    ws = load_workbook(path, data_only=True)["Uppföljning"]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    form = {r[0]: r[1] for r in rows[:12] if r and r[0]}
    header = next(i for i, r in enumerate(rows) if r[0] == "Nr")
    columns = [c for c in rows[header] if c]
    actions = []
    for r in rows[header + 1 :]:
        if r[0] == "Summa":
            break
        cells = dict(zip(columns, r, strict=False))
        if cells.get("Åtgärd"):
            actions.append(
                {
                    "status": cells["Status"],
                    "investment": _amount(cells["Investering (tkr)"]),
                    "external": _amount(cells.get("Varav extern finansiering (tkr)")),
                }
            )
    submitted = form["Datum för inlämning"]
    return {
        "code": str(form["Kommunkod"]).zfill(4),
        "year": int(form["Rapportår"]),
        "submitted": submitted.date() if isinstance(submitted, dt.datetime) else submitted,
        "has_external": "Varav extern finansiering (tkr)" in columns,
        "actions": actions,
    }


def _register(landing: Path) -> dict[str, tuple[int, dt.date]]:
    text = (landing / "klimatkontrakt_register" / "klimatkontrakt_register.csv").read_text(encoding="utf-8-sig")
    return {
        r["Kommunkod"]: (int(r["Våg"]), dt.date.fromisoformat(r["Anslutningsdatum"]))
        for r in csv.DictReader(io.StringIO(text), delimiter=";")
    }


def _expected(landing: Path) -> dict[str, dict[tuple[str, str, str], float | None]]:
    register = _register(landing)
    reports = [_read_followup(p) for p in sorted((landing / "klimatkontrakt_followup").glob("*.xlsx"))]
    by_key = {(r["code"], r["year"]): r for r in reports}
    out: dict[str, dict[tuple[str, str, str], float | None]] = defaultdict(dict)
    for year in (2024, 2025):
        due = dt.date(year + 1, 2, 28)
        owing = {c: wave for c, (wave, joined) in register.items() if joined <= dt.date(year, 12, 31)}
        groups: dict[tuple[str, str], list[str]] = defaultdict(list)
        for code, wave in owing.items():
            groups[("programme", "SE")].append(code)
            groups[("cohort", str(wave))].append(code)
            groups[("municipality", code)].append(code)
        for (kind, geo), codes in groups.items():
            key = (str(year), kind, geo)
            got = [by_key[(c, year)] for c in codes if (c, year) in by_key]
            if kind != "municipality":
                on_time = sum(1 for r in got if r["submitted"] <= due)
                out["kk_followup_submitted_share_pct"][key] = 100 * on_time / len(codes)
            if not got:
                for name in ("kk_actions_count", "kk_actions_completed_share_pct", "kk_investment_planned_msek"):
                    out[name][key] = None
                continue
            actions = [a for r in got for a in r["actions"]]
            live = [a for a in actions if a["status"] != "inställd"]
            out["kk_actions_count"][key] = len(actions)
            for status, name in [("planerad", "planned"), ("pågående", "ongoing"), ("genomförd", "completed"),
                                 ("inställd", "cancelled")]:  # fmt: skip
                out[f"kk_actions_{name}_count"][key] = sum(1 for a in actions if a["status"] == status)
            completed = sum(1 for a in live if a["status"] == "genomförd")
            out["kk_actions_completed_share_pct"][key] = 100 * completed / len(live) if live else None
            out["kk_investment_planned_msek"][key] = sum(a["investment"] for a in live) / 1000
            if all(r["has_external"] for r in got):
                out["kk_investment_external_msek"][key] = sum(a["external"] for a in live) / 1000
            else:
                out["kk_investment_external_msek"][key] = None
            with_column = [a for r in got if r["has_external"] for a in r["actions"] if a["status"] != "inställd"]
            out["kk_investment_external_share_pct"][key] = (
                100 * sum(a["external"] for a in with_column) / sum(a["investment"] for a in with_column)
                if with_column
                else None
            )
    return out


FOLLOWUP_INDICATORS = [
    "kk_followup_submitted_share_pct",
    "kk_actions_count",
    "kk_actions_planned_count",
    "kk_actions_ongoing_count",
    "kk_actions_completed_count",
    "kk_actions_cancelled_count",
    "kk_actions_completed_share_pct",
    "kk_investment_planned_msek",
    "kk_investment_external_msek",
    "kk_investment_external_share_pct",
]


@pytest.mark.parametrize("indicator", FOLLOWUP_INDICATORS)
def test_followup_indicator_matches_the_workbooks(built: Path, indicator: str) -> None:
    expected = _expected(built / "landing")[indicator]
    got = _values(DataDir(built).warehouse, indicator)
    assert expected, indicator
    for key, value in expected.items():
        assert key in got, (indicator, key)
        if value is None:
            assert got[key] is None, (indicator, key, got[key])
        else:
            assert got[key] == pytest.approx(value, rel=1e-9), (indicator, key)
    assert {k for k in got if k[1] != "municipality" or indicator != "kk_followup_submitted_share_pct"} >= set(expected)


def test_not_trivially_complete(built: Path) -> None:
    """Both template versions, some late and some missing follow-ups: the share is below 100 % in both years."""
    got = _values(DataDir(built).warehouse, "kk_followup_submitted_share_pct")
    assert 50 < got[("2024", "programme", "SE")] < 100 and 50 < got[("2025", "programme", "SE")] < 100
    versions = _query(
        DataDir(built).warehouse, "select distinct template_version from staging.stg_klimatkontrakt_followup__reports"
    )
    assert sorted(v for (v,) in versions) == ["2024.1", "2025.1"]
    # 2024's template has no external-funding column: that figure is missing, with its reason, never 0
    reasons = _query(
        DataDir(built).warehouse,
        "select indicator_id, value, missing_reason, missing_detail from marts.fct_indicator_values "
        "where period = '2024' and geography_type = 'programme' and indicator_id like 'kk_investment_external%'",
    )
    assert set(reasons) == {
        ("kk_investment_external_msek", None, "templates_without_external_column", str(len(_reports(built, 2024)))),
        ("kk_investment_external_share_pct", None, "no_template_with_external_column", None),
    }
    missing_code = next(c for c, (_, joined) in _register(built / "landing").items()
                        if joined.year < 2024 and (c, 2024) not in _reports(built, 2024))  # fmt: skip
    [row] = _query(
        DataDir(built).warehouse,
        "select value, missing_reason, missing_detail from marts.fct_indicator_values "
        "where indicator_id = 'kk_actions_count' and period = '2024' and geography_code = ?",
        [missing_code],
    )
    assert row == (None, "followup_not_received", "2025-02-28")  # the contract's cadence: February of N+1


def _reports(built: Path, year: int) -> dict[tuple[str, int], dict[str, object]]:
    reports = map(_read_followup, (built / "landing" / "klimatkontrakt_followup").glob("*.xlsx"))
    return {(r["code"], r["year"]): r for r in reports if r["year"] == year}


def test_late_and_missing_follow_ups_listed_in_the_annex_and_the_trace(built: Path) -> None:
    landing = built / "landing"
    register = _register(landing)
    reports = _reports(built, 2025)
    owing = [c for c, (_, joined) in register.items() if joined <= dt.date(2025, 12, 31)]
    expected = {}
    for code in owing:  # as the 2026Q2 annex sees them at 30 June 2026
        submitted = reports[(code, 2025)]["submitted"] if (code, 2025) in reports else None
        if submitted is not None and submitted <= dt.date(2026, 2, 28):
            expected[code] = "on_time"
        elif submitted is not None and submitted <= dt.date(2026, 6, 30):
            expected[code] = "late"
        else:
            expected[code] = "missing"
    rows = _query(
        DataDir(built).warehouse,
        "select municipality_code, followup_report_year, followup_status from reports.rpt_municipality_annex "
        "where report_quarter = '2026Q2'",
    )
    assert {c: s for c, _, s in rows} == expected
    assert {y for _, y, _ in rows} == {2025}
    assert {"late", "missing"} <= set(expected.values())
    # the trace: on-time reports are the numerator; every owing member is in the denominator, saying how it stood
    evidence = _query(
        DataDir(built).warehouse,
        "select part, role, item from reports.rpt_indicator_evidence "
        "where indicator_id = 'kk_followup_submitted_share_pct' and period = '2025' and geography_code = 'SE'",
    )
    # an item reads "<municipality code> <report year> (<date received>)"
    numerator = {item.split()[0] for part, _, item in evidence if part == "numerator"}
    assert numerator == {c for c, s in expected.items() if s == "on_time"}
    missing = {item.split()[0] for _, role, item in evidence if role == "followup_owed_missing"}
    assert missing == {c for c in owing if (c, 2025) not in reports}
    assert len([1 for part, _, _ in evidence if part == "denominator"]) == len(owing)


@pytest.mark.parametrize("indicator", FOLLOWUP_INDICATORS)
def test_the_evidence_adds_up(built: Path, indicator: str) -> None:
    warehouse = DataDir(built).warehouse
    rows = _query(
        warehouse,
        "select v.period, v.geography_type, v.geography_code, v.value, "
        "sum(e.contribution) filter (where e.part = 'numerator'), "
        "sum(e.contribution) filter (where e.part = 'denominator'), "
        "sum(e.contribution) filter (where e.part = 'value') "
        "from marts.fct_indicator_values v join reports.rpt_indicator_evidence e "
        "on e.indicator_id = v.indicator_id and e.period = v.period and e.geography_type = v.geography_type "
        "and e.geography_code = v.geography_code where v.indicator_id = ? and v.value is not null group by all",
        [indicator],
    )
    assert rows
    for period, kind, code, value, numerator, denominator, total in rows:
        if indicator.endswith("_pct"):
            assert 100 * (numerator or 0) / denominator == pytest.approx(value, rel=1e-9), (period, kind, code)
        else:
            assert total == pytest.approx(value, rel=1e-9), (period, kind, code)


def test_consistency_warnings_reach_the_data_quality_sheet(built: Path) -> None:
    warehouse = DataDir(built).warehouse
    warnings = _query(warehouse, "select warning_rule, message from staging.stg_klimatkontrakt_followup__warnings")
    assert {r for r, _ in warnings} == {"summa_mismatch", "number_as_text"}
    assert all(", sheet Uppföljning, cell " in m for _, m in warnings)
    quality = _query(
        warehouse,
        "select rule_name, example from reports.rpt_data_quality where source_name = 'klimatkontrakt_followup' "
        "and rule_name like 'warning:%'",
    )
    counts = {r: sum(1 for w, _ in warnings if w == r) for r in ("summa_mismatch", "number_as_text")}
    assert sorted(quality) == sorted(
        (f"warning:{rule}", f"{n} cell(s), e.g. {min(m for w, m in warnings if w == rule)}")
        for rule, n in counts.items()
    )
    results = json.loads((built / "dbt_target" / "run_results.json").read_text(encoding="utf-8"))["results"]
    [check] = [r for r in results if "assert_followup_totals_agree_with_their_actions" in r["unique_id"]]
    assert check["status"] == "warn" and check["failures"] == len(warnings)


# ---------------------------------------------------------------------------------------------------------------
# the strategy's principles, from the engagement log


def _engagements(landing: Path) -> list[dict[str, str]]:
    [path] = (landing / "engagement_log").glob("*.csv")
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))


def _active(rows: list[dict[str, str]], end: dt.date) -> list[dict[str, str]]:
    out = []
    for r in rows:
        started = dt.date.fromisoformat(r["Startdatum"])
        ended = dt.date.fromisoformat(r["Slutdatum"]) if r["Slutdatum"] else None
        if r["Typ"] == "event":
            if end - dt.timedelta(days=365) < started <= end:
                out.append(r)
        elif started <= end and (ended is None or end <= ended):
            out.append(r)
    return out


@pytest.mark.parametrize(("period", "end"), [("2024Q4", dt.date(2024, 12, 31)), ("2026Q3", dt.date(2026, 9, 30))])
def test_engagement_portfolio_indicators(built: Path, period: str, end: dt.date) -> None:
    rows = _engagements(built / "landing")
    assert {r["Nivå"] for r in rows} == LEVELS  # the demo log works at every level
    active = _active(rows, end)
    warehouse = DataDir(built).warehouse
    key = (period, "programme", "SE")
    assert _values(warehouse, "engagement_levels_covered")[key] == len({r["Nivå"] for r in active})
    for direction in ("1", "2", "3"):
        share = 100 * sum(1 for r in active if r["Inriktning"] == direction) / len(active)
        assert _values(warehouse, f"engagement_direction_{direction}_share_pct")[key] == pytest.approx(share)
    demonstrators = [r for r in active if r["Internationell systemdemonstrator"] == "ja" and r["Typ"] != "event"]
    assert _values(warehouse, "intl_system_demonstrators")[key] == len(demonstrators)
    new = [
        r for r in rows
        if r["Typ"] != "event" and dt.date(2025, 1, 1) <= dt.date.fromisoformat(r["Startdatum"]) <= end
    ]  # fmt: skip
    funded = _values(warehouse, "new_initiatives_funded_share_pct")
    if new:
        secured = sum(1 for r in new if r["Grundfinansiering säkrad"] == "ja")
        assert funded[key] == pytest.approx(100 * secured / len(new))
    else:  # before the strategy period there are no new initiatives to count: missing, with its reason
        assert funded[key] is None
        [(reason,)] = _query(
            warehouse,
            "select missing_reason from marts.fct_indicator_values where indicator_id = "
            "'new_initiatives_funded_share_pct' and period = ? and geography_type = 'programme'",
            [period],
        )
        assert reason is not None


def test_the_seeds_actors_are_in_the_log(built: Path) -> None:
    partners = " ".join(r["Partner"] for r in _engagements(built / "landing"))
    for actor in ["CitiES2030", "Klimaneutrale Stadt", "M100", "NetZeroCities", "DUT", "New European Bauhaus",
                  "klimatanpassning", "CCFLA", "CNCA", "GEF", "Resilient Cities Network", "WEF", "WRI", "MI-UTM",
                  "One Planet City Challenge", "C40", "Covenant of Mayors", "Climate-KIC", "ICLEI", "UN-Habitat",
                  "Bogotá", "Bristol", "Curitiba", "Makindye Ssabagabo", "Nordiska ministerrådet",
                  "Nordic Innovation", "NordForsk", "Nordregio", "Nordic Carbon Neutral Bauhaus",
                  "Transition Lab Forum", "European Viable Cities Day"]:  # fmt: skip
        assert actor in partners, actor


# ---------------------------------------------------------------------------------------------------------------
# the round trip: hand out, fill in, re-save through LibreOffice, deliver


def test_template_round_trip_through_libreoffice(built: Path, tmp_path: Path) -> None:
    root = tmp_path / "var"
    shutil.copytree(built, root, symlinks=True, ignore=shutil.ignore_patterns("dbt_target"))
    files = handout.write_templates(2026, DataDir(root))
    register = _register(root / "landing")
    assert sorted(p.name for p in files) == sorted(f"uppfoljning_2026_{c}.xlsx" for c in register)
    [stockholm] = [p for p in files if p.name.endswith("_0180.xlsx")]

    wb = load_workbook(stockholm)
    ws = wb["Uppföljning"]
    carried = [r for r in ws.iter_rows(min_row=14, max_row=33, values_only=True) if r[1]]
    assert carried and all(r[3] != "inställd" for r in carried)
    ws["B8"] = "Anna Lindqvist"
    # the form's date: today, as a person filling it in now writes it (a date more than a month after the file's
    # delivery is refused as implausible: sources/klimatkontrakt_followup/source.yaml)
    submitted = dt.date.today()
    ws["B9"] = submitted
    ws["D14"], ws["E14"], ws["F14"] = "genomförd", 4_321.5, 1_000.0
    new_row = 14 + len(carried)
    for col, value in zip("BCDEFG", ["Laddinfrastruktur för tunga fordon", "Transporter", "planerad", 2_500.0, 500.0,
                                     "Ny 2026"], strict=True):  # fmt: skip
        ws[f"{col}{new_row}"] = value
    for r in range(15, 14 + len(carried)):
        ws[f"F{r}"] = ws[f"F{r}"].value if ws[f"F{r}"].value is not None else 0.0
    filled = tmp_path / "filled" / stockholm.name
    filled.parent.mkdir()
    wb.save(filled)
    resaved = resave_with_libreoffice(filled, tmp_path / "libreoffice")
    shutil.copy(resaved, root / "landing" / "klimatkontrakt_followup" / stockholm.name)

    warehouse = _build(root, "2027-04-15")  # report year 2026 is due by then
    actions = [(r[3], r[4], r[5]) for r in carried]
    actions[0] = ("genomförd", 4_321.5, 1_000.0)
    actions.append(("planerad", 2_500.0, 500.0))
    actions = [(s, i, e if e is not None else 0.0) for s, i, e in actions]
    key = ("2026", "municipality", "0180")
    assert _values(warehouse, "kk_actions_count")[key] == len(actions)
    assert _values(warehouse, "kk_actions_completed_count")[key] == sum(1 for s, _, _ in actions if s == "genomförd")
    assert _values(warehouse, "kk_investment_planned_msek")[key] == pytest.approx(sum(i for _, i, _ in actions) / 1000)
    assert _values(warehouse, "kk_investment_external_msek")[key] == pytest.approx(sum(e for _, _, e in actions) / 1000)
    owing = [c for c, (_, joined) in register.items() if joined <= dt.date(2026, 12, 31)]
    share = _values(warehouse, "kk_followup_submitted_share_pct")[("2026", "programme", "SE")]
    assert share == pytest.approx(100 / len(owing))
    [(status, received, contact, delivered)] = _query(
        warehouse,
        "select a.followup_status, a.followup_received_on, r.contact_person, r.vintage_at "
        "from reports.rpt_municipality_annex a join staging.stg_klimatkontrakt_followup__reports r "
        "on r.municipality_code = a.municipality_code and r.report_year = a.followup_report_year "
        "where a.report_quarter = '2027Q1' and a.municipality_code = '0180'",
    )
    # received: the form's date, unless the file was delivered before the date it states
    assert (status, contact) == ("on_time", "Anna Lindqvist")
    assert received == min(submitted, delivered.astimezone(dt.UTC).date())
