"""Re-save a workbook the way a person's LibreOffice does: headless, with a profile of its own (runs in parallel
never share one), recalculating what it recalculates on load."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


def resave_with_libreoffice(workbook: Path, out_dir: Path) -> Path:
    """The workbook converted to .xlsx by LibreOffice into out_dir; skips the test where soffice is missing."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: .ci/run installs libreoffice-calc-nogui")
    profile = out_dir.parent / f"lo-profile-{out_dir.name}"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "xlsx",
         "--outdir", str(out_dir), str(workbook)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return out_dir / workbook.with_suffix(".xlsx").name
