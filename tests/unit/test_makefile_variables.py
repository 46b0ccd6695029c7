"""Variables passed to make are text: `make trace INDICATOR='x" ; touch F ; echo "'` runs no `touch`, for every
target that takes a variable, whether the text tries to break out of the shell's quotes or to call make's own
functions. make runs in a subprocess with PY replaced by a recorder, which writes down the arguments and the
environment it was given: run, trace and verify read their variables from the environment (orchestration/resources.py
and the command modules), bench takes SCALE as an argument."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sources.lib.paths import REPO_ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="GNU make is not installed")

RECORDER = """
import json, os, sys
with open(os.environ["RECORD_TO"], "w", encoding="utf-8") as fh:
    json.dump({"argv": sys.argv[1:], "env": dict(os.environ)}, fh)
"""


def _hostile(marker: Path) -> list[str]:
    return [
        f'x" ; touch {marker} ; echo "',
        f"x' ; touch {marker} ; echo '",
        f"$(shell touch {marker})",
        f"`touch {marker}`",
        f"$$(touch {marker})",
        f"x; touch {marker}",
    ]


@pytest.mark.parametrize(
    ("target", "variable", "option"),
    [
        ("run", "QUARTER", None),
        ("trace", "INDICATOR", None),
        ("trace", "PERIOD", None),
        ("trace", "GEO", None),
        ("verify", "REPORT", None),
        ("bench", "SCALE", "--scale"),
        ("demo", "VC_DATA_DIR", None),
        ("templates", "YEAR", None),
    ],
)
def test_a_variable_reaches_the_command_as_text(target: str, variable: str, option: str | None, tmp_path: Path) -> None:
    recorder = tmp_path / "recorder.py"
    recorder.write_text(RECORDER, encoding="utf-8")
    marker = tmp_path / "F"
    for text in _hostile(marker):
        record = tmp_path / "record.json"
        record.unlink(missing_ok=True)
        given = {"INDICATOR": "kk_municipalities", "PERIOD": "2025Q2", variable: text}
        done = subprocess.run(
            ["make", "--no-print-directory", target, *[f"{k}={v}" for k, v in given.items()],
             f"PY={sys.executable} {recorder}"],
            cwd=REPO_ROOT, env={**os.environ, "RECORD_TO": str(record)}, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        assert not marker.exists(), f"make {target} {variable}={text!r} ran a command"
        seen = json.loads(record.read_text(encoding="utf-8"))
        if option is None:
            assert seen["env"][variable] == text
        else:
            assert seen["argv"][seen["argv"].index(option) + 1] == text
