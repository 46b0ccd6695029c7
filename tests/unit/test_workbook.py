"""The workbook: text stays text, the bytes are stable, nothing about the machine leaks into the file, what an
evaluator reads at a glance is there (status counts, trends, the previous period of the indicator's own
frequency in its own unit, revisions flagged, comments, totals, metadata links)."""

import datetime as dt
import getpass
import hashlib
import io
import json
import socket
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from reports.data import ReportData
from reports.labels import label
from reports.publish import publish_report, render, summary_table
from tests.unit.workbook_fixture import report_data

_data = report_data  # other tests build their report data here


def _wb(language: str = "sv", **kwargs: object):  # type: ignore[no-untyped-def]
    return load_workbook(io.BytesIO(render(_data(), language, 1, dt.date(2026, 10, 3), **kwargs)))


def _texts(ws) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def test_text_from_sources_is_never_a_formula() -> None:
    content = render(_data('=HYPERLINK("http://evil","click")'), "sv", 1, dt.date(2026, 10, 3))
    wb = load_workbook(io.BytesIO(content))
    hostile = [
        c
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")
    ]
    sheets = {c.parent.title for c in hostile}
    assert {"Sammanfattning", "Källor", "Indikatorbeskrivningar", "Metod", "Indikatordata"} <= sheets
    assert all(c.data_type == "s" for c in hostile)
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        assert all(b"<f>" not in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))


def test_same_inputs_give_the_same_bytes() -> None:
    a = render(_data(), "sv", 1, dt.date(2026, 10, 3))
    b = render(_data(), "sv", 1, dt.date(2026, 10, 3))
    assert hashlib.sha256(a).hexdigest() == hashlib.sha256(b).hexdigest()
    assert render(_data(), "en", 1, dt.date(2026, 10, 3)) != a


def test_no_machine_paths_or_names_in_any_part(tmp_path: Path) -> None:
    content = render(_data(), "sv", 1, dt.date(2026, 10, 3))
    forbidden = {str(Path.home()), str(tmp_path), getpass.getuser(), socket.gethostname(), "openpyxl"}
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        for name in z.namelist():
            text = z.read(name).decode("utf-8", "replace")
            for word in forbidden:
                assert word not in text, f"{word!r} found in {name}"
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_cover_says_demo_quarter_revision_and_which_deliveries_are_late() -> None:
    wb = _wb("en")
    texts = _texts(wb["Cover"])
    assert "2025Q2" in texts and "r1" in texts
    assert any(t.startswith("DEMO DATA") for t in texts)
    assert "first publication" in texts  # the revision note, in the workbook's language
    assert any(t.startswith("Deliveries late or missing") and "Territorial emissions (SMHI)" in t for t in texts)
    assert "Missing" in texts and "On time" in texts  # the per-source delivery state
    assert wb.sheetnames == [
        "Cover",
        "Summary",
        "Direction 1",
        "Direction 2",
        "Direction 3",
        "Impact",
        "Emissions by sector",
        "Annex municipalities",
        "Annex funding",
        "Indicator metadata",
        "Data quality",
        "Sources",
        "Method",
        "Indicator data",
    ]
    assert all(ws.sheet_state == "visible" for ws in wb.worksheets)


def test_publish_is_atomic_revisioned_and_never_overwrites(tmp_path: Path) -> None:
    first = publish_report(_data(), tmp_path, "sv", dt.date(2026, 10, 3))
    assert (first.status, first.revision) == ("published", 1)
    same = publish_report(_data(), tmp_path, "sv", dt.date(2026, 10, 4))
    assert (same.status, same.revision) == ("unchanged", 1)
    changed = _data()
    changed.summary[0]["value"] = 44.0
    second = publish_report(changed, tmp_path, "sv", dt.date(2026, 10, 5))
    assert (second.status, second.revision) == ("published", 2)
    assert "kk_municipalities: 43.0" in second.revision_note
    folder = tmp_path / "2025Q2"
    assert sorted(p.name for p in folder.iterdir()) == [
        "vc-indicators-2025Q2-sv-r1.xlsx",
        "vc-indicators-2025Q2-sv-r1.xlsx.manifest.json",
        "vc-indicators-2025Q2-sv-r2.xlsx",
        "vc-indicators-2025Q2-sv-r2.xlsx.manifest.json",
    ]
    assert hashlib.sha256((folder / first.file_name).read_bytes()).hexdigest() == first.sha256
    # the second revision flags what changed since the first, and its revision note is in Swedish
    wb = load_workbook(folder / second.file_name)
    rows = {r["indicator"]: r for r in summary_table(wb["Sammanfattning"], "sv")}
    assert rows["Kommuner med Klimatkontrakt 2030"]["revised"] == "var 43 (2025Q2)"
    assert rows["Andel av Sveriges befolkning i Klimatkontraktskommuner"]["revised"] is None
    note = [t for t in _texts(wb["Försättsblad"]) if t.startswith("Reviderade värden")]
    assert note == ["Reviderade värden: Kommuner med Klimatkontrakt 2030: 43 (2025Q2) → 44 (2025Q2)"]
    # an unchanged rebuild of r2 is still recognised (the flags are reproduced from r1's manifest)
    again = publish_report(changed, tmp_path, "sv", dt.date(2026, 10, 6))
    assert (again.status, again.revision) == ("unchanged", 2)


def test_a_failed_write_leaves_nothing_in_the_published_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import reports.publish as publish

    def full_disk(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(publish.os, "replace", full_disk)
    with pytest.raises(OSError):
        publish_report(_data(), tmp_path, "sv", dt.date(2026, 10, 3))
    assert list((tmp_path / "2025Q2").iterdir()) == []


def _missing(data: ReportData) -> ReportData:
    """The same quarter with the ledger never delivered, CORDIS projects whose every delivery was rejected and an
    engagement log whose newest file was rejected: the summary's figure over the ledger is missing."""
    data.summary[0].update(
        value=None,
        previous_value=None,
        change_from_previous=None,
        status="no_data",
        missing_reason="source_unavailable",
        missing_sources="funding_ledger; cordis_projects",
        missing_detail=None,
        comment_sv=None,
        comment_en=None,
    )
    data.vintages[:] = [
        {**data.vintages[0], "source_state": "no_delivery", "has_accepted_rows": False, "used_file_name": None,
         "latest_delivery_at": None, "files_delivered": 0, "rows_accepted": 0},
        {**data.vintages[0], "source_name": "cordis_projects", "source_title": "CORDIS projects",
         "source_state": "rejected", "has_accepted_rows": False, "used_file_name": None, "latest_delivery_at": None,
         "rejected_file_name": "project.csv", "rejected_error_rule": "encoding"},
        {**data.vintages[0], "source_name": "engagement_log", "source_title": "International engagement log",
         "source_state": "newest_rejected", "used_file_name": "log_2025Q1.csv",
         "rejected_file_name": "log_2025Q2.csv", "rejected_error_rule": "missing_column"},
    ]  # fmt: skip
    return data


def test_a_missing_value_is_shown_as_missing_with_its_reason_never_zero() -> None:
    for language, no_data, reason in [
        ("sv", "Data saknas", "Data saknas: Ingen godkänd data från Finansieringsliggare (ingen leverans); "
         "cordis_projects (alla leveranser avvisade)"),
        ("en", "No data", "No data: No accepted data from Funding ledger (no delivery); cordis_projects (every "
         "delivery rejected)"),
    ]:  # fmt: skip
        wb = load_workbook(io.BytesIO(render(_missing(_data()), language, 1, dt.date(2026, 10, 3))))
        row = summary_table(wb.worksheets[1], language)[0]
        assert row["value"] == no_data  # the value says so; previous, change and trend stay empty
        assert row["previous"] is None and row["change"] is None and row["trend"] is None
        assert row["status"] == no_data  # never a progress word
        assert row["comment"] == reason


def test_the_cover_lists_every_source_with_its_state() -> None:
    wb = load_workbook(io.BytesIO(render(_missing(_data()), "sv", 1, dt.date(2026, 10, 3))))
    rows = [[c for c in r if c is not None] for r in wb["Försättsblad"].iter_rows(values_only=True)]
    block = {r[0]: r for r in rows if r and r[0] in ("Finansieringsliggare", "cordis_projects", "engagement_log")}
    assert "Ingen leverans" in block["Finansieringsliggare"]  # nothing delivered
    assert "Alla leveranser avvisade (project.csv, Fel teckenkodning)" in block["cordis_projects"]
    engagement = block["engagement_log"]
    state = next(c for c in engagement if isinstance(c, str) and c.startswith("Senaste leveransen avvisad"))
    assert "log_2025Q2.csv" in state
    assert "log_2025Q1.csv" in engagement  # the accepted vintage used instead


def test_a_check_that_had_no_rows_is_not_passed() -> None:
    data = _data()
    checks = [
        {"name": "not_null_stg_funding_ledger__records_record_id", "engine": "dbt", "kind": "not_null",
         "area": "funding_ledger", "column": "record_id", "status": "no_data"}
    ]  # fmt: skip
    data = ReportData(**{**data.__dict__, "checks": checks})
    for language, shown, sheet in [
        ("sv", "ej prövad: ingen data", "Datakvalitet"),
        ("en", "not tested: no data", "Data quality"),
    ]:
        wb = load_workbook(io.BytesIO(render(data, language, 1, dt.date(2026, 10, 3))))
        texts = [c for r in wb[sheet].iter_rows(values_only=True) for c in r if isinstance(c, str)]
        assert shown in texts
        assert label("pass", language) not in texts  # and nowhere said to have passed


def test_a_rejected_cell_is_named_in_the_workbooks_language() -> None:
    """A CSV cell is "Nivå (line 56)" as ingest names it; the Swedish sheet says "rad", and the rule is in words."""
    data = _data()
    rejected = {**data.data_quality[0], "rule_name": "allowed_values", "rows_rejected": 1, "rejected_values": 1,
                "example_file_name": "logg.csv", "example_cell": "Nivå (line 56)",
                "example_value": "europe"}  # fmt: skip
    data = ReportData(**{**data.__dict__, "data_quality": [rejected]})
    for language, sheet, rule, example in [
        ("sv", "Datakvalitet", "Otillåtet värde", "logg.csv Nivå (rad 56): «europe»"),
        ("en", "Data quality", "Value not allowed", "logg.csv Nivå (line 56): «europe»"),
    ]:
        wb = load_workbook(io.BytesIO(render(data, language, 1, dt.date(2026, 10, 3))))
        rows = [r for r in wb[sheet].iter_rows(values_only=True) if example in r]
        assert len(rows) == 1 and rule in rows[0], (language, rows)


def test_funding_that_cannot_be_summed_reads_no_data_in_the_annex() -> None:
    data = _data()
    data.municipalities[0].update(international_funding_msek=None, green_loans_msek=None, national_funding_msek=0.0)
    ws = load_workbook(io.BytesIO(render(data, "sv", 1, dt.date(2026, 10, 3))))["Bilaga kommuner"]
    row = next(r for r in ws.iter_rows(values_only=True) if r[1] == data.municipalities[0]["municipality_code"])
    assert row[13:16] == ("Data saknas", 0, "Data saknas")  # zero only where the delivered sources say zero


def test_summary_compares_with_the_previous_period_of_its_own_frequency_in_its_own_unit() -> None:
    wb = _wb()
    ws = wb["Sammanfattning"]
    rows = {r["indicator"]: r for r in summary_table(ws, "sv")}
    annual = rows["Utsläppsförändring sedan 2015 i Klimatkontraktskommunerna"]
    assert (annual["value_period"], annual["previous_period"]) == ("2024", "2023")  # year on year
    assert annual["change"] == pytest.approx(-0.7)
    assert annual["trend"] == "▼"
    share = rows["Andel av Sveriges befolkning i Klimatkontraktskommuner"]
    assert share["previous_period"] == "2025Q1" and share["trend"] == "▲"
    change_cells = [c for row in ws.iter_rows() for c in row if c.value == pytest.approx(2.7)]
    assert change_cells and change_cells[0].number_format.endswith('" p.e."')  # percentage points, not per cent
    assert rows["Kommuner med Klimatkontrakt 2030"]["comment"] == "Femton kommuner anslöt i april."
    english = {r["indicator"]: r for r in summary_table(_wb("en")["Summary"], "en")}
    assert english["Kommuner med Klimatkontrakt 2030"]["comment"] == "Fifteen municipalities joined in April."


def test_summary_counts_statuses_per_goal_at_the_top() -> None:
    ws = _wb("en")["Summary"]
    rows = [[c.value for c in row] for row in ws.iter_rows(max_row=12)]
    header = next(r for r in rows if r[0] == "Status")
    assert [h for h in header if h] == ["Status", "Direction 2", "Direction 3", "Impact", "Total"]
    by_status = {r[0]: [v for v in r[2:] if v is not None] for r in rows if r[0] in ("On track", "Total", "Achieved")}
    assert by_status["On track"] == [1, 1]  # direction 2 and the total
    assert by_status["Achieved"] == [1, 1]
    assert by_status["Total"] == [2, 1, 1, 4]


def test_every_summary_row_links_to_its_metadata() -> None:
    wb = _wb()
    ws = wb["Sammanfattning"]
    links = [c.hyperlink.location for row in ws.iter_rows() for c in row if c.hyperlink is not None]
    assert len(links) == 4
    metadata = wb["Indikatorbeskrivningar"]
    for location, row in zip(links, summary_table(ws, "sv"), strict=True):
        sheet, cell = location.rsplit("!", 1)
        assert sheet == "'Indikatorbeskrivningar'"
        assert metadata[cell].value == row["indicator"]  # the block of that very indicator
    block = [
        (metadata.cell(r, 1).value, metadata.cell(r, 2).value)
        for r in range(metadata[links[0].rsplit("!", 1)[1]].row + 1, metadata.max_row + 1)
    ][:14]
    assert [k for k, _ in block] == [
        "Id", "Mål", "Definition", "Enhet", "Periodicitet", "Beräkning", "Önskad riktning", "Utgångsvärde",
        "Målvärde", "Källor", "Publiceringsfördröjning", "Begränsningar", "Ansvarig", "Kontakt",
    ]  # fmt: skip
    assert dict(block)["Utgångsvärde"] == "9 (2020)" and dict(block)["Periodicitet"] == "kvartalsvis"


def test_annexes_have_totals_and_the_funding_difference_is_explained() -> None:
    wb = _wb("en")
    ws = wb["Annex municipalities"]
    total = next(r for r in ws.iter_rows(values_only=True) if r[0] == "Total (2)")
    assert total[3] == 986_864 + 361_198  # population
    assert total[13] == pytest.approx(142.4 + 24.9)  # international funding of the two municipalities
    split = {
        r[0]: [v for v in r if isinstance(v, int | float)][-1]  # the amount, right of the number of awards
        for r in ws.iter_rows(values_only=True)
        if r[0] and str(r[0]).startswith(("Municipalities in", "Actors without", "Total, as"))
    }
    assert split["Total, as in the summary"] == pytest.approx(1543.7)  # the summary's figure
    assert sum(v for k, v in split.items() if not k.startswith("Total")) == pytest.approx(1543.7)
    funding = wb["Annex funding"]
    assert any(r[0] == "Total" and r[7] == 3_429_750.0 for r in funding.iter_rows(values_only=True))


def test_method_defines_every_status_word_and_gives_every_baseline() -> None:
    ws = _wb()["Metod"]
    texts = _texts(ws)
    for word in ("Uppnått", "Mål saknas", "Data saknas", "I fas", "Går bakåt"):
        i = texts.index(word)
        assert len(texts[i + 1]) > 40  # its definition follows it
    rows = {r[0]: r for r in ws.iter_rows(values_only=True) if r[0]}
    for indicator in _data().method:  # every indicator's baseline, also where the catalogue leaves it to the data
        row = rows[indicator["name_sv"]]
        assert row[1] == indicator["baseline_value"] and row[2] == indicator["baseline_year"]
    assert rows["Andel av Sveriges befolkning i Klimatkontraktskommuner"][8] == "eget värde i utgångsåret"


def test_manifest_counts_dbt_tests_and_expectations_apart(tmp_path: Path) -> None:
    published = publish_report(_data(), tmp_path, "sv", dt.date(2026, 10, 3))
    manifest = json.loads(published.path.with_name(published.file_name + ".manifest.json").read_text("utf-8"))
    assert manifest["checks"]["dbt_tests"] == 2 and manifest["checks"]["expectations"] == 1
    assert manifest["checks"]["warnings"] == ["assert_funding_amounts_plausible"]
    assert manifest["checks"]["failed"] == []
    assert manifest["revision_changes"] == {"first": True}


def test_a_delivery_that_becomes_late_is_a_new_revision_that_says_so(tmp_path: Path) -> None:
    publish_report(_data(), tmp_path, "sv", dt.date(2026, 10, 3))
    later = _data()
    later.freshness[0]["freshness_status"] = "late"  # the funding ledger's next delivery is now overdue
    second = publish_report(later, tmp_path, "sv", dt.date(2027, 1, 25))
    assert second.revision == 2 and "delivery state changed: funding_ledger on_time -> late" in second.revision_note
    cover = _texts(load_workbook(second.path)["Försättsblad"])
    assert "Ändrat leveransläge: Finansieringsliggare: försenad" in cover
