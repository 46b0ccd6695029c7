"""The whole pipeline on real public files only, as a programme office would run it before the ledger, CORDIS and
the engagement log arrive: the real SMHI Länsrapport export (CO2 only), SCB's population tables for 2023 and 2024,
the ECB reference rates, the public 112-city mission register, and a contract register of the 23 municipalities
of waves 2019 and 2021. The published workbook must be right where it can be and say "Data saknas" with the reason
where it cannot: never 0, never a progress status. Expected values come from the input files, read here."""

import csv
import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from reports.data import load_report_data
from reports.publish import render, summary_table
from sources.lib.contract import discover_contracts
from sources.lib.paths import REPO_ROOT, DataDir
from tests.real.test_real_indicators import _register

pytestmark = [pytest.mark.real_data, pytest.mark.integration]
QUARTER = "2025Q2"
QUARTER_END = dt.date(2025, 6, 30)
FUNDING = [
    "nzc_pilot_municipalities",
    "intl_funding_awarded_msek_quarter",
    "intl_funding_awarded_msek_cumulative",
    "application_success_rate_pct",
    "funding_leverage_ratio",
    "green_loans_msek_cumulative",
]
IMPACT = [
    "kk_emissions_kt",
    "kk_emissions_t_per_capita",
    "kk_emissions_change_pct",
    "kk_on_track_count",
    "kk_on_track_share_pct",
    "other_emissions_kt",
    "other_emissions_change_pct",
    "other_emissions_t_per_capita",
]


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    from tests.conftest import REAL_DATA

    if not REAL_DATA.is_dir():
        pytest.skip(f"real public data not present at {REAL_DATA}")
    root = tmp_path_factory.mktemp("real_workbook") / "var"
    landing = root / "landing"
    copies = {
        "scb_population": [REAL_DATA / "scb" / "be0101_tabhel2023.xlsx", REAL_DATA / "scb" / "be0101_tabhel2024.xlsx"],
        "smhi_emissions": [REAL_DATA / "klimatkollen" / "smhi_lansrapport_co2_2022_raw.xlsx"],
        "ecb_rates": [REAL_DATA / "ecb_fx" / "eurofxref-hist.csv"],
        "mission_cities": [REAL_DATA / "mission_cities" / "eu_mission_cities_112.csv"],
    }
    for source, files in copies.items():
        (landing / source).mkdir(parents=True)
        for path in files:
            shutil.copy(path, landing / source)
    assert _register(REAL_DATA, landing / "klimatkontrakt_register" / "register.csv") == 23
    mp = pytest.MonkeyPatch()
    mp.setenv("VC_DATA_DIR", str(root))
    mp.setenv("VC_AS_OF_DATE", "2025-07-15")
    from dagster import DagsterInstance

    from orchestration.definitions import defs
    from orchestration.lib.quarters import quarter_to_partition_key

    job = defs.resolve_job_def("quarterly_pipeline")
    try:
        with DagsterInstance.ephemeral() as instance:
            result = job.execute_in_process(partition_key=quarter_to_partition_key(QUARTER), instance=instance)
    finally:
        mp.undo()
    assert result.success
    [path] = sorted((root / "reports" / QUARTER).glob("*.xlsx"))
    return {"root": root, "workbook": path, "real": REAL_DATA}


def _summary(path: Path) -> dict[str, dict[str, object]]:
    """The summary's rows by indicator id, each as {column key: value} (found by the table's header row)."""
    ws = load_workbook(path, read_only=True).worksheets[1]
    with (REPO_ROOT / "dbt_project/seeds/indicator_catalogue.csv").open(encoding="utf-8") as fh:
        names = {r["name_sv"]: r["indicator_id"] for r in csv.DictReader(fh)}
    return {names[r["indicator"]]: r for r in summary_table(ws, "sv") if r["indicator"] in names}


def _annex(path: Path) -> list[dict[str, object]]:
    """The municipality annex's rows (the members, then the totals row) by column header."""
    rows = list(load_workbook(path, read_only=True)["Bilaga kommuner"].iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == "Kommun")
    header = rows[start]
    table = []
    for r in rows[start + 1 :]:
        if r[0] is None:
            break
        table.append(dict(zip(header, r, strict=False)))
    return table


def _population(real: Path) -> dict[str, int]:
    ws = load_workbook(real / "scb" / "be0101_tabhel2024.xlsx", read_only=True)["Totalt"]
    population = {}
    for row in ws.iter_rows(values_only=True):
        if row[0] is None and row[1] and str(row[1]).strip() == "Riket":
            population["riket"] = row[2]
        elif row[0] and len(str(row[0]).strip()) == 4:
            population[str(row[0]).strip()] = row[2]
    return population


def _members(real: Path) -> list[dict[str, str]]:
    with (real / "mission_cities" / "klimatkontrakt_municipalities_known.csv").open(encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh) if r["wave"] in ("1", "2")]


def test_population_share_is_scbs(published: dict[str, object]) -> None:
    population = _population(published["real"])
    members = _members(published["real"])
    share = 100 * sum(population[m["kommunkod"]] for m in members) / population["riket"]
    summary = _summary(published["workbook"])
    assert summary["kk_municipalities"]["value"] == len(members) == 23
    assert summary["kk_population_share"]["value"] == pytest.approx(share, rel=1e-12)
    assert round(summary["kk_population_share"]["value"], 1) == 38.9  # SCB, 31 December 2024


def test_labelled_swedish_mission_cities_match_the_register(published: dict[str, object]) -> None:
    with (published["real"] / "mission_cities" / "eu_mission_cities_112.csv").open(encoding="utf-8") as fh:
        cities = [r for r in csv.DictReader(fh) if r["country_iso2"] == "SE"]

    def day(text: str) -> dt.date:  # the register gives some rounds by month only: the first of the month
        return dt.date.fromisoformat(text if len(text) == 10 else text + "-01")

    labelled = [c for c in cities if c["mission_label_date"] and day(c["mission_label_date"]) <= QUARTER_END]
    summary = _summary(published["workbook"])
    assert summary["swedish_mission_cities"]["value"] == len(cities) == 7
    assert summary["mission_label_cities_se"]["value"] == len(labelled)
    # the annex: each member's label date as the register of known contract municipalities gives it
    expected = {
        m["kommunkod"]: day(m["mission_label_date"])
        for m in _members(published["real"])
        if m["mission_label_date"] and day(m["mission_label_date"]) <= QUARTER_END
    }
    shown = {
        r["Kod"]: dt.date.fromisoformat(r["Mission Label"].split()[-1])  # "<round> <date>"
        for r in _annex(published["workbook"])
        if r["Mission Label"]
    }
    assert shown == expected and len(shown) == len(labelled)


def test_funding_and_engagement_figures_say_no_data_and_why(published: dict[str, object]) -> None:
    summary = _summary(published["workbook"])
    titles = {c.name: c.text("title", "sv") for c in discover_contracts()}
    for indicator in FUNDING:
        row = summary[indicator]
        assert row["value"] == "Data saknas" and row["status"] == "Data saknas", (indicator, row)  # no 0, no progress
        assert f"{titles['funding_ledger']} (ingen leverans)" in row["comment"], row["comment"]
    for indicator in ("active_collaborations", "international_events_quarter"):
        assert summary[indicator]["value"] == "Data saknas"
        assert summary[indicator]["comment"] == (
            f"Data saknas: Ingen godkänd data från {titles['engagement_log']} (ingen leverans)"
        )
    annex = _annex(published["workbook"])
    money = ["Interna-\ntionell\nfinansie-\nring\n(MSEK)", "Nationell\nfinansie-\nring\n(MSEK)", "Gröna\nlån\n(MSEK)"]
    assert len(annex) == 24  # the 23 members and the totals row: no funding figure is 0, none is a partial sum
    assert all([r[k] for k in money] == ["Data saknas"] * 3 for r in annex), annex[-1]


def test_impact_figures_are_there_or_say_why(published: dict[str, object]) -> None:
    """The real SMHI export holds CO2 only: the greenhouse-gas indicators are not silently dropped."""
    summary = _summary(published["workbook"])
    for indicator in IMPACT:
        row = summary[indicator]
        if isinstance(row["value"], float):
            assert row["comment"] is None or not row["comment"].startswith("Data saknas")
        else:
            assert row["value"] == "Data saknas" and row["status"] == "Data saknas"
            title = next(c.text("title", "sv") for c in discover_contracts() if c.name == "smhi_emissions")
            assert row["comment"] and title in row["comment"], (indicator, row["comment"])


def test_the_cover_lists_every_source_with_its_state(published: dict[str, object]) -> None:
    cover = load_workbook(published["workbook"], read_only=True)["Försättsblad"]
    rows = [r for r in cover.iter_rows(values_only=True) if r[0]]
    top = next(i for i, r in enumerate(rows) if r[0] == "Källa")
    block = {r[0]: r for r in rows[top + 1 :]}
    titles = {c.name: c.text("title", "sv") for c in discover_contracts()}
    delivered = {"scb_population", "smhi_emissions", "ecb_rates", "mission_cities", "klimatkontrakt_register"}
    assert len(block) == len(titles)
    for name, title in titles.items():
        row = block[title]  # delivered or not, by its title in the report's language
        assert row[2] == ("Levererad" if name in delivered else "Ingen leverans"), (name, row)
    assert block[titles["smhi_emissions"]][3] == "smhi_lansrapport_co2_2022_raw.xlsx"
    # two SCB years, delivered together: the newest delivery named, the other counted
    assert block[titles["scb_population"]][3] in ("be0101_tabhel2024.xlsx (+1)", "be0101_tabhel2023.xlsx (+1)")


def test_checks_on_empty_sources_are_not_passed(published: dict[str, object]) -> None:
    """The data-quality sheet lists every check that did not pass: those over a source never delivered as 'not
    tested: no data', never as passed; the delivered sources' checks ran."""
    ws = load_workbook(published["workbook"], read_only=True)["Datakvalitet"]
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == "Kontroller som inte godkändes")
    header = rows[start + 1]  # the small table's columns span as many sheet columns as their texts need
    check, outcome = header.index("Kontroll"), header.index("Utfall")
    listed = [(r[0], r[check], r[outcome]) for r in rows[start + 2 :] if r[0] and r[0] != "Källa" and r[outcome]]
    titles = {c.name: c.text("title", "sv") for c in discover_contracts()}
    on_ledger = [outcome for source, _, outcome in listed if source == titles["funding_ledger"]]
    assert on_ledger and set(on_ledger) == {"ej prövad: ingen data"}
    untested_sources = {source for source, _, outcome in listed if outcome == "ej prövad: ingen data"}
    assert not untested_sources & {titles[n] for n in ("scb_population", "klimatkontrakt_register", "ecb_rates")}


def _pdf_text(pdf: Path, *options: str) -> str:
    done = subprocess.run(["pdftotext", *options, str(pdf), "-"], check=True, capture_output=True, text=True)
    return done.stdout


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None, reason="no LibreOffice")
def test_what_an_evaluator_reads_in_both_languages(published: dict[str, object], tmp_path: Path) -> None:
    """Through LibreOffice to PDF, as an evaluator prints it: the cover and summary say what is missing."""
    root = published["root"]
    data = load_report_data(
        DataDir(root).warehouse, QUARTER, root / "dbt_target" / "run_results.json", root / "quality" / "expectations"
    )
    titles = {lang: next(c.text("title", lang) for c in discover_contracts() if c.name == "funding_ledger")
              for lang in ("sv", "en")}  # fmt: skip
    expected = {
        "sv": ["Ingen leverans", "Data saknas", f"Ingen godkänd data från {titles['sv']} (ingen leverans)", "38.9 %"],
        "en": ["No delivery", "No data", f"No accepted data from {titles['en']} (no delivery)", "38.9 %"],
    }
    for language, phrases in expected.items():
        path = tmp_path / f"report-{language}.xlsx"
        path.write_bytes(render(data, language, 1, dt.date(2025, 7, 20)))
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless", "--convert-to", "pdf",
             "--outdir", str(tmp_path), str(path)],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip

        # in reading order, a cell's wrapped lines follow each other: the phrases as one line of words
        words = " ".join(_pdf_text(path.with_suffix(".pdf")).split())
        for phrase in phrases:
            assert phrase in words, (language, phrase)
        text = _pdf_text(path.with_suffix(".pdf"), "-layout")
        # the green-loans line of the summary: missing, never 0 MSEK with a progress word
        name = "Gröna lån till" if language == "sv" else "Green loans to"  # the name wraps after these words
        line = next(line for line in text.splitlines() if name in line)  # the summary comes first
        assert phrases[1] in line and "framsteg" not in line and "progress" not in line, line
