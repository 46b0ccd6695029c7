"""The whole graph on the demo data in a temporary data directory, checked against figures computed here,
independently, from the demo input files themselves (not from the warehouse)."""

import bisect
import csv
import datetime as dt
import getpass
import hashlib
import io
import json
import os
import shutil
import socket
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from dagster import DagsterInstance
from openpyxl import load_workbook

from orchestration.lib.dbt_project import DBT_EXECUTABLE
from orchestration.lib.quarters import quarter_to_partition_key
from reports.publish import summary_table
from sources.demo.generate import write_demo
from tests.unit.test_delivery import Inbox, _free_port

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
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    root = tmp_path_factory.mktemp("pipeline") / "var"
    mp = pytest.MonkeyPatch()
    mp.setenv("VC_DATA_DIR", str(root))
    mp.setenv("VC_AS_OF_DATE", AS_OF)
    # a real mail server on 127.0.0.1: the workbooks go to their readers after the publish, late sources to operations
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    for name, value in {
        "VC_SMTP_HOST": "127.0.0.1", "VC_SMTP_PORT": str(port), "VC_SMTP_TLS": "none",
        "VC_MAIL_FROM": "rapport@example.org", "VC_REPORT_RECIPIENTS": "utvarderare@example.org",
        "VC_REPORT_RECIPIENTS_EN": "evaluator@example.org", "VC_OPERATIONS_RECIPIENTS": "drift@example.org",
    }.items():  # fmt: skip
        mp.setenv(name, value)
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
        after_first, servers_after_first = len(inbox.messages), _isolation_servers()
        second = job.execute_in_process(partition_key=quarter_to_partition_key(QUARTER), instance=instance)
    mp.undo()
    yield {"root": root, "first": first, "second": second, "inbox": inbox, "after_first": after_first,
           "servers_after_first": servers_after_first}  # fmt: skip
    controller.stop()


def _isolation_servers() -> list[str]:
    """This process's children that are reader or checks servers (sources.lib.isolation), by their command line."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError, ValueError):  # ended meanwhile
            continue
        if parent == os.getpid() and "sources.lib.isolation" in command:
            found.append(command)
    return found


def _workbook(root: Path, language: str = "sv") -> Path:
    [path] = list((root / "reports" / QUARTER).glob(f"*-{language}-r*.xlsx"))
    return path


def _summary(root: Path) -> dict[str, dict[str, object]]:
    """The summary's rows as the evaluator reads them, by indicator id."""
    ws = load_workbook(_workbook(root), read_only=True)["Sammanfattning"]
    with (REPO / "dbt_project/seeds/indicator_catalogue.csv").open(encoding="utf-8") as fh:
        names = {r["name_sv"]: r["indicator_id"] for r in csv.DictReader(fh)}
    return {names[r["indicator"]]: r for r in summary_table(ws, "sv")}


def _register(landing: Path) -> list[dict[str, str]]:
    text = (landing / "klimatkontrakt_register" / "klimatkontrakt_register.csv").read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_run_succeeds_and_publishes_once(run: dict[str, object]) -> None:
    assert run["first"].success and run["second"].success
    files = sorted(p.name for p in (run["root"] / "reports" / QUARTER).iterdir())
    # Swedish, and English because VC_REPORT_RECIPIENTS_EN is set
    assert files == [
        f"vc-indicators-{QUARTER}-en-r1.xlsx",
        f"vc-indicators-{QUARTER}-en-r1.xlsx.manifest.json",
        f"vc-indicators-{QUARTER}-sv-r1.xlsx",
        f"vc-indicators-{QUARTER}-sv-r1.xlsx.manifest.json",
    ]
    [mat] = run["second"].asset_materializations_for_node("quarterly_report")
    assert mat.metadata["status"].value == "unchanged"


def test_the_readers_and_checks_servers_are_gone_once_dbt_builds(run: dict[str, object]) -> None:
    """They are started for ingest and the source checks; dbt and the publish need neither, and what they hold
    (great-expectations; 400 MiB at Europe scale) is handed back before dbt starts beside this process."""
    assert run["first"].success
    assert run["servers_after_first"] == []


def test_the_published_workbooks_are_mailed_once_and_late_sources_go_to_operations(run: dict[str, object]) -> None:
    inbox: Inbox = run["inbox"]  # type: ignore[assignment]
    assert len(inbox.messages) == run["after_first"]  # the unchanged second run sent nothing
    by_reader = {tuple(to): m for (_, to), m in zip(inbox.envelopes, inbox.messages, strict=True)}
    for reader, language in (("utvarderare@example.org", "sv"), ("evaluator@example.org", "en")):
        message = by_reader[(reader,)]
        [attachment] = list(message.iter_attachments())
        assert attachment.get_content() == _workbook(run["root"], language).read_bytes()
    # at the as-of date the demo's ECB rates (delivered 1 October, daily) are late and the European cities'
    # inventories were never delivered (no file at demo scale): operations hears of each once
    operations = sorted(
        m["Subject"] for (_, to), m in zip(inbox.envelopes, inbox.messages, strict=True) if to == ["drift@example.org"]
    )
    assert operations == [
        "Viable Cities warehouse: delivery of ecb_rates is late",
        "Viable Cities warehouse: no delivery of eu_city_emissions",
    ]
    [check] = [c for c in run["second"].get_asset_check_evaluations() if c.check_name == "mail_sent"]
    assert check.passed


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
    assert summary["kk_municipalities"]["value"] == len(members)
    assert summary["kk_population_share"]["value"] == pytest.approx(share, rel=1e-9)


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
    assert _summary(run["root"])["mission_label_cities_se"]["value"] == labelled == 7


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
    assert _summary(run["root"])["intl_funding_awarded_msek_cumulative"]["value"] == pytest.approx(
        total / 1e6, rel=1e-9
    )


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
    assert row["value_period"] == "2024"  # an annual figure says which year it refers to
    assert row["value"] == pytest.approx(expected, rel=1e-9)


def test_cover_states_quarter_and_demo(run: dict[str, object]) -> None:
    path = _workbook(run["root"])
    cover = load_workbook(path, read_only=True)["Försättsblad"]
    texts = [v for row in cover.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert QUARTER in texts
    assert any(t.startswith("DEMODATA") for t in texts)


def test_text_that_looks_like_a_formula_arrives_as_text(run: dict[str, object]) -> None:
    path = _workbook(run["root"])
    wb = load_workbook(path)
    cells = [c for row in wb["Källor"].iter_rows() for c in row if c.value == HOSTILE + ".csv"]
    assert len(cells) == 1 and cells[0].data_type == "s"
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(sheets) == 14
        for name in sheets:  # (charts refer to their cells with <f>, which is what charts do)
            assert b"<f>" not in archive.read(name), f"a formula in {name}"


def test_published_file_holds_no_machine_paths_or_names(run: dict[str, object]) -> None:
    path = _workbook(run["root"])
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
    assert manifest["checks"]["warnings"] == ["assert_followup_totals_agree_with_their_actions"]


def test_every_sheet_and_chart_is_there(run: dict[str, object]) -> None:
    path = _workbook(run["root"])
    wb = load_workbook(path, read_only=True)
    assert wb.sheetnames == [
        "Försättsblad",
        "Sammanfattning",
        "Inriktning 1",
        "Inriktning 2",
        "Inriktning 3",
        "Effektmål",
        "Utsläpp per sektor",
        "Bilaga kommuner",
        "Bilaga finansiering",
        "Indikatorbeskrivningar",
        "Datakvalitet",
        "Källor",
        "Metod",
        "Indikatordata",
    ]
    summary = _summary(run["root"])
    with zipfile.ZipFile(path) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        drawings = {n for n in archive.namelist() if n.startswith("xl/worksheets/_rels/")}
    # one chart per programme-level indicator with a measured value by the quarter's end, the emissions pathway
    # and the sectors' bars; an indicator with a trend but no value yet says "no data" where its chart would be
    import duckdb

    con = duckdb.connect(str(run["root"] / "warehouse.duckdb"), read_only=True)
    [(trended, measured)] = con.execute(
        "select count(distinct indicator_id), count(distinct indicator_id) filter (where value is not null) "
        "from reports.rpt_indicator_trends where period_end_date <= ?",
        [QUARTER_END],
    ).fetchall()
    con.close()
    assert len(charts) == measured + 2 and trended >= len(summary)
    goal_texts = [c for name in wb.sheetnames[2:6] for r in wb[name].iter_rows(values_only=True) for c in r]
    assert goal_texts.count("Data saknas för alla perioder hittills; skälet står i sammanfattningen.") == (
        trended - measured
    )
    assert len(drawings) == 5  # the three direction sheets, the impact sheet and the sector sheet
    rows = list(wb["Bilaga kommuner"].iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "Kommun")
    municipalities = [r for r in rows[header + 1 :] if r[1] and len(str(r[1])) == 4]
    members = [
        r for r in _register(run["root"] / "landing") if dt.date.fromisoformat(r["Anslutningsdatum"]) <= QUARTER_END
    ]
    assert sorted(r[1] for r in municipalities) == sorted(m["Kommunkod"] for m in members)
    # the checks that did not pass: none failed (that would have stopped publishing); the demo's follow-ups hold a
    # Summa row that disagrees with its actions on purpose (a warning), and its GCoM source is never delivered
    quality = list(wb["Datakvalitet"].iter_rows(values_only=True))
    start = next(i for i, r in enumerate(quality) if r[0] == "Kontroller som inte godkändes")
    header = quality[start + 1]  # the small table's columns span as many sheet columns as their texts need
    check, outcome = header.index("Kontroll"), header.index("Utfall")
    outcomes = {(r[check], r[outcome]) for r in quality[start + 2 :] if r[0] and r[0] != "Källa" and r[outcome]}
    assert ("Uppföljningens summarad stämmer med åtgärderna", "varning") in outcomes
    assert {outcome for _, outcome in outcomes} == {"varning", "ej prövad: ingen data"}
    # the rules those warnings broke, in words (tests/unit/test_rule_labels.py: every rule has them)
    start = quality.index(next(r for r in quality if r[0] == "Avvisade rader och filer per regel"))
    end = quality.index(next(r for r in quality[start:] if r[0] == "Kontroller per slag"))
    rule = quality[start + 1].index("Regel")
    assert {r[rule] for r in quality[start + 2 : end] if r[rule]} == {
        "Varning: tal inskrivet som text",
        "Varning: summaraden stämmer inte med åtgärderna",
    }


def test_dbt_unit_tests_pass(run: dict[str, object], tmp_path: Path) -> None:
    """The dbt unit tests (hand-computed cases) run here, not in the pipeline's builds: against the warehouse the
    pipeline built, which has every relation they read."""
    import os
    import subprocess

    env = {**os.environ, "VC_DATA_DIR": str(run["root"]), "VC_AS_OF_DATE": AS_OF}
    result = subprocess.run(
        [DBT_EXECUTABLE, "test", "--select", "test_type:unit", "--profiles-dir", ".",
         "--target-path", str(tmp_path / "target")],
        cwd=REPO / "dbt_project", env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:]
    results = json.loads((tmp_path / "target" / "run_results.json").read_text(encoding="utf-8"))["results"]
    unit = [r for r in results if r["unique_id"].startswith("unit_test.")]
    assert len(unit) >= 4 and all(r["status"] == "pass" for r in unit)


def test_the_published_workbooks_read_and_print_as_laid_out(run: dict[str, object]) -> None:
    """The layout facts of tests/unit/test_workbook_layout.py, on the workbooks built from the demo data."""
    from tests.layout_facts import font_available
    from tests.unit import test_workbook_layout as layout

    for language in ("sv", "en"):
        content = _workbook(run["root"], language).read_bytes()
        layout.check_headers_and_footers(content, language, QUARTER, 1, demo=True)
        layout.check_page_setup(content)
        layout.check_pages(content)
        layout.check_charts(content)
        if font_available():
            layout.check_text_fits(content)
    assert layout.english_in(_workbook(run["root"], "sv").read_bytes()) == []


def test_deliveries_due_follow_each_contract_cadence(run: dict[str, object]) -> None:
    """The cover's delivery state at the as-of date, computed here from the contracts and the demo's delivery
    times: late when the as-of date is past the newest delivery plus the cadence's days."""
    from sources.lib.cadence import due_after_days
    from sources.lib.contract import discover_contracts

    as_of = dt.date.fromisoformat(AS_OF)
    delivered: dict[str, dt.date] = {}
    for path in (run["root"] / "landing").glob("*/*"):
        if path.is_file() and not path.name.startswith("."):
            day = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).date()
            delivered[path.parent.name] = max(day, delivered.get(path.parent.name, day))
    expected = {}
    for contract in discover_contracts():
        if contract.name not in delivered:
            expected[contract.name] = "Saknas"
        else:
            due = delivered[contract.name] + dt.timedelta(days=due_after_days(contract.cadence))
            expected[contract.name] = "Försenad" if as_of > due else "I tid"
    cover = load_workbook(_workbook(run["root"]), read_only=True)["Försättsblad"]
    rows = list(cover.iter_rows(values_only=True))
    top = next(i for i, r in enumerate(rows) if r[0] == "Källa")
    column = rows[top].index("Leveransläge")
    states = [r for r in rows[top + 1 :] if r[column] in ("I tid", "Försenad", "Saknas")]
    titles = {c.name: c.text("title", "sv") for c in discover_contracts()}
    assert {r[0]: r[column] for r in states} == {titles[k]: v for k, v in expected.items()}
    assert expected["ecb_rates"] == "Försenad" and expected["eu_city_emissions"] == "Saknas"


def test_source_freshness_checks_in_dagster_are_dbt_source_freshness(run: dict[str, object]) -> None:
    """The job `source_freshness` runs `dbt source freshness` and reports a check per raw asset; against the
    real clock (dbt's), a source is late when now is past its newest vintage plus its window."""
    from dagster import DagsterInstance

    from orchestration.definitions import defs
    from sources.lib.cadence import due_after_days
    from sources.lib.contract import discover_contracts

    mp = pytest.MonkeyPatch()
    mp.setenv("VC_DATA_DIR", str(run["root"]))
    try:
        with DagsterInstance.ephemeral() as instance:
            result = defs.resolve_job_def("source_freshness").execute_in_process(instance=instance)
    finally:
        mp.undo()
    assert result.success
    checks = {c.asset_key.path[-1]: c for c in result.get_asset_check_evaluations()}
    assert {c.name for c in discover_contracts()} == set(checks)
    now = dt.datetime.now(dt.UTC)
    for contract in discover_contracts():
        check = checks[contract.name]
        latest = check.metadata["latest_delivery"].value
        if latest == "none":
            assert not check.passed and check.metadata["status"].value == "missing"
            continue
        due = dt.datetime.fromisoformat(latest) + dt.timedelta(days=due_after_days(contract.cadence))
        assert check.passed == (now <= due), contract.name


@pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")),
    reason="LibreOffice (soffice) and poppler-utils (pdftotext) are needed to render the workbook",
)
def test_rendered_through_libreoffice_every_page_has_its_header_footer_and_planned_place(
    run: dict[str, object], tmp_path: Path
) -> None:
    """What an evaluator prints: both languages rendered to PDF by LibreOffice. Every page carries the programme,
    the quarter, the revision, "Sida x av y" / "Page x of y", the demo notice and its sheet; each sheet has as many
    pages as the layout planned (no page break fell anywhere else)."""
    from tests.layout_facts import load, sheet_prints

    for language in ("sv", "en"):
        workbook = _workbook(run["root"], language)
        done = subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless", "--convert-to", "pdf",
             "--outdir", str(tmp_path), str(workbook)],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        pdf = tmp_path / workbook.with_suffix(".pdf").name
        assert done.returncode == 0 and pdf.exists(), done.stderr
        # in the PDF's content order (-raw): the header and the footer are each one line of text, whatever a chart
        # near them draws (LibreOffice also emits a chart's clipped texts on the page above the one it prints on)
        text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True).stdout
        pages = text.split("\f")[:-1]
        total = len(pages)
        sheets = {s.name: len(s.pages) for s in sheet_prints(load(workbook.read_bytes()))}
        assert total == sum(sheets.values())
        page_word, of_word = ("Sida", "av") if language == "sv" else ("Page", "of")
        demo = "DEMODATA – inte officiell statistik" if language == "sv" else "DEMO DATA – not official statistics"
        programme = "Klimatneutrala städer 2030" if language == "sv" else "Climate-neutral cities 2030"
        seen: dict[str, int] = {}
        for n, page in enumerate(pages, start=1):
            lines = [line for line in page.splitlines() if line.strip()]
            head = lines[0]  # a chart's texts may come after the footer in the PDF's text order
            foot = next((line for line in lines if f"{page_word} {n} {of_word} {total}" in line), "")
            assert programme in head and QUARTER in head and "r1" in head, f"page {n}: {head!r}"
            assert foot, f"page {n} has no footer with its number: {lines[-3:]!r}"
            assert demo in foot, f"page {n} has no demo notice in its footer: {foot!r}"
            sheet = next(name for name in sheets if foot.rstrip().endswith(name))
            seen[sheet] = seen.get(sheet, 0) + 1
        assert seen == sheets


def test_a_target_on_the_wrong_side_of_its_baseline_fails_the_catalogue_test(run: dict[str, object]) -> None:
    """dbt's compiled test assert_target_on_desired_side_of_baseline passes on the catalogue and finds a target
    set below its baseline for an indicator that should increase (the leverage's old target of 3 against a
    baseline of 18), run against the pipeline's warehouse with that one target changed."""
    import re

    import duckdb

    compiled = next((run["root"] / "dbt_target" / "compiled").rglob("assert_target_on_desired_side_of_baseline.sql"))
    sql = compiled.read_text(encoding="utf-8")
    con = duckdb.connect(str(run["root"] / "warehouse.duckdb"), read_only=True)
    try:
        assert con.execute(sql).fetchall() == []
        con.execute(
            "create temp table wrong_targets as select * replace (case when indicator_id = 'funding_leverage_ratio' "
            "then 3.0 else target_value end as target_value) from marts.fct_indicator_values"
        )
        changed = re.sub(r'"[^"]+"\."marts"\."fct_indicator_values"', "wrong_targets", sql)
        assert changed != sql
        rows = con.execute(changed).fetchall()
    finally:
        con.close()
    assert [r[0] for r in rows] == ["funding_leverage_ratio"]
