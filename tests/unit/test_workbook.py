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
            "latest_delivery_at": T,
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


def test_a_missing_value_is_shown_as_missing_never_zero() -> None:
    data = _data()
    data.summary[0].update(value=None, previous_value=None, change_from_previous=None, status="no_data")
    ws = load_workbook(io.BytesIO(render(data, "sv", 1, dt.date(2026, 10, 3))))["Sammanfattning"]
    row = [c.value for c in ws[4]]
    assert row[5] is None and row[7] is None and row[8] is None  # value, previous, change: empty cells
    assert row[11] == "Data saknas"
