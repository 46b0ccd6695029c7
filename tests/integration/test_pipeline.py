"""The whole graph on the demo data in a temporary data directory, checked against figures computed here,
independently, from the demo input files themselves (not from the warehouse)."""

import bisect
import csv
import datetime as dt
import getpass
import hashlib
import io
import json
import socket
import zipfile
from pathlib import Path

import pytest
from dagster import DagsterInstance
from openpyxl import load_workbook

from orchestration.lib.quarters import quarter_to_partition_key
from sources.demo.generate import write_demo

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]
AS_OF = "2026-10-15"  # the last closed quarter is then 2026Q3
QUARTER = "2025Q2"
QUARTER_END = dt.date(2025, 6, 30)
NATIONAL = {"ENERGIMYNDIGHETEN", "VINNOVA", "FORMAS", "VIABLE_CITIES", "KOMMUNINVEST"}
HOSTILE = '=HYPERLINK("http:evil.example";"klicka")'
MONTHLY_RATE = {"ERDF", "EUI"}  # ref_funding_instruments.fx_method = monthly_average
SCALE = {"kr": 1, "tkr": 1_000, "MSEK": 1_000_000, "EUR": 1, "tEUR": 1_000, "MEUR": 1_000_000}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("pipeline") / "var"
    mp = pytest.MonkeyPatch()
    mp.setenv("VC_DATA_DIR", str(root))
    mp.setenv("VC_AS_OF_DATE", AS_OF)
    write_demo(root / "landing")
    # A delivery whose file name and text look like a spreadsheet formula: both must arrive as text.
    engagement = next((root / "landing" / "engagement_log").glob("*.csv"))
    hostile = engagement.with_name(HOSTILE + ".csv")
    row = io.StringIO()
    csv.writer(row, delimiter=";", lineterminator="\n").writerow(
        ["ENG-999", HOSTILE, "event", "global", "1", "2025-05-20", "", "", "", "nej", "x"]
    )
    hostile.write_bytes(engagement.read_bytes() + row.getvalue().encode())
    from orchestration.definitions import defs

    job = defs.resolve_job_def("quarterly_pipeline")
    with DagsterInstance.ephemeral() as instance:
        first = job.execute_in_process(partition_key=quarter_to_partition_key(QUARTER), instance=instance)
        second = job.execute_in_process(partition_key=quarter_to_partition_key(QUARTER), instance=instance)
    mp.undo()
    return {"root": root, "first": first, "second": second}


def _summary(root: Path) -> dict[str, tuple[object, ...]]:
    [path] = list((root / "reports" / QUARTER).glob("*.xlsx"))
    ws = load_workbook(path, read_only=True)["Sammanfattning"]
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    with (REPO / "dbt_project/seeds/indicator_catalogue.csv").open(encoding="utf-8") as fh:
        names = {r["name_sv"]: r["indicator_id"] for r in csv.DictReader(fh)}
    return {names[r[1]]: r for r in rows if r[1]}


def _register(landing: Path) -> list[dict[str, str]]:
    text = (landing / "klimatkontrakt_register" / "klimatkontrakt_register.csv").read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_run_succeeds_and_publishes_once(run: dict[str, object]) -> None:
    assert run["first"].success and run["second"].success
    files = sorted(p.name for p in (run["root"] / "reports" / QUARTER).iterdir())
    assert files == [f"vc-indicators-{QUARTER}-sv-r1.xlsx", f"vc-indicators-{QUARTER}-sv-r1.xlsx.manifest.json"]
    [mat] = run["second"].asset_materializations_for_node("quarterly_report")
    assert mat.metadata["status"].value == "unchanged"


def test_municipalities_and_population_share(run: dict[str, object]) -> None:
    landing = run["root"] / "landing"
    members = [r for r in _register(landing) if dt.date.fromisoformat(r["Anslutningsdatum"]) <= QUARTER_END]
    # SCB's 31 December 2024 is the newest population on or before 30 June 2025
    ws = load_workbook(landing / "scb_population" / "be0101_tabhel2024.xlsx", read_only=True)["Totalt"]
    population = {}
    for row in ws.iter_rows(values_only=True):
        if row[0] is None and row[1] and str(row[1]).strip() == "Riket":
            population["riket"] = row[2]
        elif row[0] and len(str(row[0])) == 4:
            population[str(row[0])] = row[2]
    share = 100 * sum(population[m["Kommunkod"]] for m in members) / population["riket"]
    summary = _summary(run["root"])
    assert summary["kk_municipalities"][5] == len(members)
    assert summary["kk_population_share"][5] == pytest.approx(share, rel=1e-9)


def test_mission_label_cities(run: dict[str, object]) -> None:
    path = run["root"] / "landing" / "mission_cities" / "nzc_mission_cities_2026-10-02.csv"
    labelled = 0
    for r in csv.DictReader(path.open(encoding="utf-8")):
        date = r["mission_label_date"]
        if (
            r["country_iso2"] == "SE"
            and date
            and dt.date.fromisoformat(date if len(date) == 10 else date + "-01") <= QUARTER_END
        ):
            labelled += 1
    assert _summary(run["root"])["mission_label_cities_se"][5] == labelled == 7


def _cordis(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))


def test_international_funding_in_sek_at_the_dated_rate(run: dict[str, object]) -> None:
    landing = run["root"] / "landing"
    rates = {}
    lines = (landing / "ecb_rates" / "eurofxref-hist.csv").read_text().splitlines()
    sek = lines[0].split(",").index("SEK")
    for line in lines[1:]:
        fields = line.split(",")
        rates[dt.date.fromisoformat(fields[0])] = float(fields[sek])
    days = sorted(rates)

    def to_sek(eur: float, day: dt.date, monthly: bool = False) -> float:
        if monthly:  # the mean of the month's reference rates, for instruments whose agreements say so
            month = [rate for d, rate in rates.items() if (d.year, d.month) == (day.year, day.month)]
            return eur * sum(month) / len(month)
        return eur * rates[days[bisect.bisect_right(days, day) - 1]]  # the last rate on or before the day

    ws = load_workbook(landing / "funding_ledger" / "finansiering_2026Q3.xlsx", read_only=True)["Finansiering"]
    header = None
    total = 0.0
    for row in ws.iter_rows(values_only=True):
        if row and row[0] == "Referens":
            header = list(row)
            continue
        if header is None or row[0] is None:
            continue
        r = dict(zip(header, row, strict=False))
        decided = r["Beslutsdatum"]
        if r["Status"] != "awarded" or r["Instrument"] in NATIONAL or decided.date() > QUARTER_END:
            continue
        value = r["Belopp"] * SCALE[r["Enhet"]]
        monthly = r["Instrument"] in MONTHLY_RATE
        total += to_sek(value, decided.date(), monthly) if r["Valuta"] == "EUR" else value
    # Swedish participations in Cities Mission calls and in the Mission Platform (NetZeroCities) from CORDIS
    projects = {p["id"]: p for p in _cordis(landing / "cordis_projects" / "project.csv")}
    for org in _cordis(landing / "cordis_organizations" / "organization.csv"):
        project = projects[org["projectID"]]
        topic = project["topics"]
        mission = (topic.startswith("HORIZON-MISS-") and "-CIT-" in topic) or project["id"] == "101036519"
        signed = dt.date.fromisoformat(project["ecSignatureDate"])
        if org["country"] != "SE" or not mission or not org["ecContribution"] or signed > QUARTER_END:
            continue
        total += to_sek(float(org["ecContribution"].replace(",", ".")), signed)
    assert _summary(run["root"])["intl_funding_awarded_msek_cumulative"][5] == pytest.approx(total / 1e6, rel=1e-9)


def test_emissions_change_of_the_contract_municipalities(run: dict[str, object]) -> None:
    landing = run["root"] / "landing"
    names = {}
    with (REPO / "dbt_project/seeds/ref_municipalities.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            names[(r["municipality_name"], r["county_name"])] = r["municipality_code"]
    members = {r["Kommunkod"] for r in _register(landing)}  # all 48 have joined by the as-of date
    ws = load_workbook(landing / "smhi_emissions" / "smhi_lansrapport_ggt_2026-06-12.xlsx", read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    years = list(rows[4][4:])
    totals = {2015: 0.0, 2024: 0.0}
    for row in rows[6:]:
        sector, sub, county, municipality = row[:4]
        if sector == "Alla" or sub != "Alla" or municipality == "Alla":
            continue
        if names[(municipality, county)] in members:
            for year in totals:
                totals[year] += row[4 + years.index(year)]
    expected = 100 * (totals[2024] / totals[2015] - 1)
    row = _summary(run["root"])["kk_emissions_change_pct"]
    assert row[6] == "2024"  # an annual figure says which year it refers to
    assert row[5] == pytest.approx(expected, rel=1e-9)


def test_cover_states_quarter_and_demo(run: dict[str, object]) -> None:
    [path] = list((run["root"] / "reports" / QUARTER).glob("*.xlsx"))
    cover = load_workbook(path, read_only=True)["Försättsblad"]
    texts = [v for row in cover.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert QUARTER in texts
    assert any(t.startswith("DEMODATA") for t in texts)


def test_text_that_looks_like_a_formula_arrives_as_text(run: dict[str, object]) -> None:
    [path] = list((run["root"] / "reports" / QUARTER).glob("*.xlsx"))
    wb = load_workbook(path)
    cells = [c for row in wb["Källor"].iter_rows() for c in row if c.value == HOSTILE + ".csv"]
    assert len(cells) == 1 and cells[0].data_type == "s"
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(sheets) == 11
        for name in sheets:  # (charts refer to their cells with <f>, which is what charts do)
            assert b"<f>" not in archive.read(name), f"a formula in {name}"


def test_published_file_holds_no_machine_paths_or_names(run: dict[str, object]) -> None:
    [path] = list((run["root"] / "reports" / QUARTER).glob("*.xlsx"))
    forbidden = [str(run["root"]), str(Path.home()), getpass.getuser(), socket.gethostname(), "/tmp/", "Traceback"]
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            text = archive.read(name).decode("utf-8", "replace")
            for word in forbidden:
                assert word not in text, f"{word!r} in {name}"
    manifest = json.loads(path.with_name(path.name + ".manifest.json").read_text(encoding="utf-8"))
    assert str(run["root"]) not in json.dumps(manifest)
    assert manifest["workbook_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert {i["sha256"] for i in manifest["inputs"]} >= {
        hashlib.sha256(p.read_bytes()).hexdigest() for p in (run["root"] / "landing").glob("*/*.csv")
    }
    assert manifest["is_demo_data"] is True and manifest["checks"]["failed"] == []
    # the demo templates with amounts typed as text warn, as such files do
    assert manifest["checks"]["warned"] == ["assert_followup_totals_agree_with_their_actions"]


def test_every_sheet_and_chart_is_there(run: dict[str, object]) -> None:
    [path] = list((run["root"] / "reports" / QUARTER).glob("*.xlsx"))
    wb = load_workbook(path, read_only=True)
    assert wb.sheetnames == [
        "Försättsblad",
        "Sammanfattning",
        "Inriktning 1",
        "Inriktning 2",
        "Inriktning 3",
        "Effektmål",
        "Bilaga kommuner",
        "Bilaga finansiering",
        "Datakvalitet",
        "Källor",
        "Metod",
    ]
    summary = _summary(run["root"])
    with zipfile.ZipFile(path) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        drawings = {n for n in archive.namelist() if n.startswith("xl/worksheets/_rels/")}
    # one chart per programme-level indicator with a trend by the quarter's end (one whose only value so far is
    # missing still has its chart), and the emissions pathway
    import duckdb

    con = duckdb.connect(str(run["root"] / "warehouse.duckdb"), read_only=True)
    [(trended,)] = con.execute(
        "select count(distinct indicator_id) from reports.rpt_indicator_trends where period_end_date <= ?",
        [QUARTER_END],
    ).fetchall()
    con.close()
    assert len(charts) == trended + 1 and trended >= len(summary)
    assert len(drawings) == 4  # the three direction sheets and the impact sheet carry the charts
    municipalities = list(wb["Bilaga kommuner"].iter_rows(min_row=2, values_only=True))
    members = [
        r for r in _register(run["root"] / "landing") if dt.date.fromisoformat(r["Anslutningsdatum"]) <= QUARTER_END
    ]
    assert sorted(r[0] for r in municipalities) == sorted(m["Kommunkod"] for m in members)
    quality = [r for r in wb["Datakvalitet"].iter_rows(values_only=True) if r and r[2] in ("godkänd", "underkänd")]
    assert quality and all(r[2] == "godkänd" for r in quality)


def test_dbt_unit_tests_pass(run: dict[str, object], tmp_path: Path) -> None:
    """The dbt unit tests (hand-computed cases) run here, not in the pipeline's builds: against the warehouse the
    pipeline built, which has every relation they read."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "VC_DATA_DIR": str(run["root"]), "VC_AS_OF_DATE": AS_OF}
    result = subprocess.run(
        [Path(sys.executable).with_name("dbt"), "test", "--select", "test_type:unit", "--profiles-dir", ".",
         "--target-path", str(tmp_path / "target")],
        cwd=REPO / "dbt_project", env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:]
    results = json.loads((tmp_path / "target" / "run_results.json").read_text(encoding="utf-8"))["results"]
    unit = [r for r in results if r["unique_id"].startswith("unit_test.")]
    assert len(unit) >= 4 and all(r["status"] == "pass" for r in unit)
