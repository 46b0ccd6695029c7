"""The workbook: text stays text, the bytes are stable, nothing about the machine leaks into the file."""

import datetime as dt
import getpass
import hashlib
import io
import socket
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from reports.data import ReportData
from reports.publish import publish_report, render

T = dt.datetime(2026, 10, 2, 9, 0, tzinfo=dt.UTC)


def _data(call_text: str = "Klimatkontrakt 2030") -> ReportData:
    summary = [
        {
            "report_quarter": "2025Q2",
            "indicator_id": "kk_municipalities",
            "sort_order": 10,
            "goal": "direction_2",
            "goal_type": "result",
            "name_sv": call_text,
            "name_en": call_text,
            "unit": "count",
            "baseline_value": 9.0,
            "baseline_year": 2020,
            "value": 43.0,
            "value_period": "2025Q2",
            "previous_value": 28.0,
            "previous_period": "2025Q1",
            "change_from_previous": 15.0,
            "target_value": 60.0,
            "target_year": 2027,
            "progress_ratio": 1.04,
            "status": "on_track",
        },
    ]
    sources = [
        {
            "source_name": "funding_ledger",
            "file_sha256": "ab" * 32,
            "source_title": "Funding ledger",
            "publisher": "Viable Cities",
            "licence": "internal",
            "file_name": '=HYPERLINK("http://evil")',
            "file_bytes": 10,
            "delivered_at": T,
            "delivery_status": "accepted",
            "rows_accepted": 1,
            "rows_rejected": 0,
            "error_rule": None,
            "is_demo": True,
        },
    ]
    vintages = [
        {
            "source_name": "funding_ledger",
            "source_title": "Funding ledger",
            "publisher": "Viable Cities",
            "source_state": "delivered",
            "has_accepted_rows": True,
            "used_file_name": '=HYPERLINK("http://evil")',
            "latest_delivery_at": T,
            "rejected_file_name": None,
            "rejected_error_rule": None,
            "files_delivered": 1,
            "files_rejected": 0,
            "rows_accepted": 1,
            "rows_rejected": 0,
            "has_demo_data": True,
        },
    ]
    trends = [
        {
            "indicator_id": "kk_municipalities",
            "period": p,
            "goal": "direction_2",
            "sort_order": 10,
            "frequency": "quarterly",
            "period_end_date": d,
            "value": v,
            "target_value": 60.0,
            "target_path_value": t,
        }
        for p, d, v, t in [("2025Q1", dt.date(2025, 3, 31), 28.0, 39.4), ("2025Q2", dt.date(2025, 6, 30), 43.0, 41.6)]
    ]
    method = [
        {
            "indicator_id": "kk_municipalities",
            "sort_order": 10,
            "goal": "direction_2",
            "goal_type": "result",
            "name_sv": call_text,
            "name_en": call_text,
            "definition_sv": "d",
            "definition_en": "d",
            "unit": "count",
            "formula": "count",
            "desired_direction": "increase",
            "baseline_value": 9.0,
            "baseline_year": 2020,
            "target_value": 60.0,
            "target_year": 2027,
            "target_scope": "programme",
            "on_track_ratio": 0.95,
            "moderate_ratio": 0.5,
            "frequency": "quarterly",
            "sources": "klimatkontrakt_register",
            "owner": "office",
        },
    ]
    return ReportData(
        quarter="2025Q2", summary=summary, sources=sources, vintages=vintages, trends=trends, method=method
    )


def test_text_from_sources_is_never_a_formula() -> None:
    content = render(_data('=HYPERLINK("http://evil","click")'), "sv", 1, dt.date(2026, 10, 3))
    wb = load_workbook(io.BytesIO(content))
    summary = wb["Sammanfattning"]
    assert summary["B4"].value == '=HYPERLINK("http://evil","click")'
    assert summary["B4"].data_type == "s"
    assert wb["Källor"]["B2"].data_type == "s"
    assert wb["Metod"]["B4"].value.startswith("=HYPERLINK") and wb["Metod"]["B4"].data_type == "s"
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


def test_cover_says_demo_and_quarter() -> None:
    wb = load_workbook(io.BytesIO(render(_data(), "en", 2, dt.date(2026, 10, 3))))
    cover = wb["Cover"]
    texts = [c.value for row in cover.iter_rows() for c in row if isinstance(c.value, str)]
    assert "2025Q2" in texts and "r2" in texts
    assert any(t.startswith("DEMO DATA") for t in texts)
    assert wb.sheetnames == [
        "Cover",
        "Summary",
        "Direction 1",
        "Direction 2",
        "Direction 3",
        "Impact",
        "Annex municipalities",
        "Annex funding",
        "Data quality",
        "Sources",
        "Method",
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


def test_a_failed_write_leaves_nothing_in_the_published_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import reports.publish as publish

    def full_disk(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(publish.os, "replace", full_disk)
    with pytest.raises(OSError):
        publish_report(_data(), tmp_path, "sv", dt.date(2026, 10, 3))
    assert list((tmp_path / "2025Q2").iterdir()) == []


def _missing(data: ReportData) -> ReportData:
    """The same quarter with the ledger never delivered, an engagement log whose newest file was rejected and a
    register delivered: the summary's figure over the ledger is missing."""
    data.summary[0].update(
        value=None,
        previous_value=None,
        change_from_previous=None,
        status="no_data",
        missing_reason="source_unavailable",
        missing_sources="funding_ledger; cordis_projects",
        missing_detail=None,
    )
    data.vintages[:] = [
        {**data.vintages[0], "source_state": "no_delivery", "has_accepted_rows": False, "used_file_name": None,
         "latest_delivery_at": None, "files_delivered": 0, "rows_accepted": 0, "source_title": None},
        {**data.vintages[0], "source_name": "cordis_projects", "source_title": "CORDIS projects",
         "source_state": "rejected", "has_accepted_rows": False, "used_file_name": None, "latest_delivery_at": None,
         "rejected_file_name": "project.csv", "rejected_error_rule": "not_utf8"},
        {**data.vintages[0], "source_name": "engagement_log", "source_title": "International engagement log",
         "source_state": "newest_rejected", "used_file_name": "log_2025Q1.csv",
         "rejected_file_name": "log_2025Q2.csv", "rejected_error_rule": "missing_column"},
    ]  # fmt: skip
    return data


def test_a_missing_value_is_shown_as_missing_with_its_reason_never_zero() -> None:
    for language, no_data, reason in [
        ("sv", "Data saknas", "Ingen godkänd data från funding_ledger (ingen leverans); cordis_projects (alla "
         "leveranser avvisade)"),
        ("en", "No data", "No accepted data from funding_ledger (no delivery); cordis_projects (every delivery "
         "rejected)"),
    ]:  # fmt: skip
        wb = load_workbook(io.BytesIO(render(_missing(_data()), language, 1, dt.date(2026, 10, 3))))
        row = [c.value for c in wb.worksheets[1][4]]
        assert row[5] == no_data and row[7] is None and row[8] is None  # value says so; previous, change empty
        assert row[11] == no_data  # the status: never a progress word
        assert row[12] == reason


def test_the_cover_lists_every_source_with_its_state() -> None:
    wb = load_workbook(io.BytesIO(render(_missing(_data()), "sv", 1, dt.date(2026, 10, 3))))
    rows = [[c for c in r if c is not None] for r in wb["Försättsblad"].iter_rows(values_only=True)]
    block = {
        r[0]: r for r in rows if r and r[0] in ("funding_ledger", "CORDIS projects", "International engagement log")
    }
    assert block["funding_ledger"][2] == "Ingen leverans"  # named by its folder: nothing delivered, no title
    assert block["CORDIS projects"][2] == "Alla leveranser avvisade (project.csv, not_utf8)"
    engagement = block["International engagement log"]
    assert engagement[2].startswith("Senaste leveransen avvisad") and "log_2025Q2.csv" in engagement[2]
    assert engagement[3] == "log_2025Q1.csv"  # the accepted vintage used instead


def test_a_check_that_had_no_rows_is_not_passed() -> None:
    data = _data()
    checks = [{"name": "not_null_stg_funding_ledger__records_record_id", "kind": "test", "status": "no_data"}]
    data = ReportData(**{**data.__dict__, "checks": checks})
    for language, shown in [("sv", "ej prövad: ingen data"), ("en", "not tested: no data")]:
        wb = load_workbook(io.BytesIO(render(data, language, 1, dt.date(2026, 10, 3))))
        outcomes = [r[2] for r in wb.worksheets[8].iter_rows(values_only=True) if r and r[0] == checks[0]["name"]]
        assert outcomes == [shown]


def test_funding_that_cannot_be_summed_reads_no_data_in_the_annex() -> None:
    data = _data()
    member = {
        "municipality_code": "0180", "municipality_name": "Stockholm", "county_name": "Stockholms län",
        "cohort_year": 2019, "joined_date": dt.date(2019, 6, 1), "population": 995574, "population_year": 2024,
        "emission_year": None, "emissions_t": None, "emissions_t_per_capita": None,
        "change_since_baseline_pct": None, "achieved_yearly_change_pct": None, "required_yearly_change_pct": None,
        "is_on_track": None, "is_mission_city": True, "label_round": "R1", "label_date": dt.date(2023, 10, 12),
        "ccc_status": None, "international_funding_msek": None, "national_funding_msek": 0.0,
        "green_loans_msek": None,
    }  # fmt: skip
    data = ReportData(**{**data.__dict__, "municipalities": [member]})
    ws = load_workbook(io.BytesIO(render(data, "sv", 1, dt.date(2026, 10, 3))))["Bilaga kommuner"]
    row = [c.value for c in ws[2]]
    assert row[-3:] == ["Data saknas", 0, "Data saknas"]  # zero only where the delivered sources say zero
