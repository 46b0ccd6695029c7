"""Security promises end to end: defusedxml is checked at start-up, and a connector's token never reaches a log,
an error, a quarantine record, a manifest or a workbook."""

from __future__ import annotations

import datetime as dt
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from reports.publish import publish_report
from sources.lib.contract import load_contract
from sources.lib.ingest import ingest_source
from sources.lib.paths import SOURCES_DIR, DataDir
from tests.faults.harness import REPO, env_for
from tests.unit.test_connectors import TOKEN, _fetch, _smhi, cert, client, https, routes  # noqa: F401  (fixtures)
from tests.unit.test_workbook import _data

NO_DEFUSEDXML = "import sys; sys.modules['defusedxml'] = None\n"


@pytest.mark.parametrize(
    "code",
    [
        NO_DEFUSEDXML + "import orchestration.definitions",
        NO_DEFUSEDXML + "from sources.lib.safety import require_defusedxml; require_defusedxml()",
        NO_DEFUSEDXML + "import runpy, sys; sys.argv = ['run', '--no-demo']; runpy.run_module('orchestration.run', "
        "run_name='__main__')",
    ],
    ids=["definitions", "check", "make-run"],
)
def test_without_defusedxml_nothing_starts(tmp_path: Path, code: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env_for(tmp_path / "var"), capture_output=True, text=True
    )
    assert done.returncode != 0
    assert "defusedxml is not installed" in done.stderr and "make setup" in done.stderr
    assert not (tmp_path / "var" / "landing").exists() or not any((tmp_path / "var" / "landing").iterdir())


def test_with_defusedxml_openpyxl_uses_it() -> None:
    from openpyxl.xml import DEFUSEDXML

    from sources.lib.safety import require_defusedxml

    require_defusedxml()
    assert DEFUSEDXML is True


def test_token_never_reaches_logs_records_manifests_or_workbooks(
    https: str,  # noqa: F811
    client,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    root = tmp_path / "var"
    monkeypatch.setenv("VC_DATA_DIR", str(root))
    monkeypatch.setenv("SMHI_TOKEN", TOKEN)
    data = DataDir(root)
    # the private file is fetched with the token; it is not a workbook, so ingest quarantines it with an error
    result = _fetch(_smhi(f"{https}/private", token_env="SMHI_TOKEN"), root, client, env={"SMHI_TOKEN": TOKEN})
    assert result.path is not None
    report = ingest_source(load_contract(SOURCES_DIR / "smhi_emissions"), data)
    assert [f.status for f in report.new_files] == ["rejected"]
    published = publish_report(_data(), data.reports, "sv", dt.date(2026, 10, 3))
    assert published.status == "published"
    for path in root.rglob("*"):
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes(), f"the token is in {path.relative_to(root)}"
    out = capsys.readouterr()
    assert TOKEN not in out.out + out.err + caplog.text
    assert TOKEN not in repr(report)
