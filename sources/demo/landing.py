"""The demo deliveries in a landing folder, written once: a stamp records what the generator wrote and with which
code, so a run whose landing still holds exactly that does not write them again.

    python -m sources.demo.landing DIR     # what `make run` starts in a child process
"""

import hashlib
import json
import sys
from pathlib import Path

from sources.ingest import DEMO_MANIFEST
from sources.paths import REPO_ROOT

DEMO_STAMP = ".demo-stamp.json"
_GENERATOR = [
    REPO_ROOT / "sources" / "demo" / "generate.py",
    REPO_ROOT / "sources" / "demo" / "bigxlsx.py",
    REPO_ROOT / "sources" / "demo" / "engagements.csv",
    REPO_ROOT / "sources" / "demo" / "reference" / "municipalities.csv",
    REPO_ROOT / "sources" / "demo" / "reference" / "eur_sek.csv",
    REPO_ROOT / "sources" / "klimatkontrakt_followup" / "template.py",
    REPO_ROOT / "sources" / "klimatkontrakt_followup" / "source.yaml",
    REPO_ROOT / "reports" / "stable_xlsx.py",
    REPO_ROOT / "dbt_project" / "seeds" / "ref_municipalities.csv",
]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _generator_digest() -> str:
    return hashlib.sha256("".join(_sha256(p) for p in _GENERATOR).encode()).hexdigest()


def write_demo_stamp(landing: Path, files: list[Path]) -> None:
    """What the demo generator wrote (each file's hash) and with which generator code."""
    stamp = {
        "generator": _generator_digest(),
        "files": {str(p.relative_to(landing)): _sha256(p) for p in [*files, *landing.glob(f"*/{DEMO_MANIFEST}")]},
    }
    (landing / DEMO_STAMP).write_text(json.dumps(stamp, indent=1, sort_keys=True), encoding="utf-8")


def demo_is_current(landing: Path) -> bool:
    """The demo files in landing are exactly what the generator would write again: skip writing them (about 2 s
    of every run). Any file changed, missing or a changed generator means they are written again."""
    try:
        stamp = json.loads((landing / DEMO_STAMP).read_text(encoding="utf-8"))
        return stamp["generator"] == _generator_digest() and all(
            (landing / name).is_file() and _sha256(landing / name) == sha for name, sha in stamp["files"].items()
        )
    except (OSError, ValueError, KeyError):
        return False


def fill_landing(landing: Path) -> list[Path]:
    """Write the demo deliveries and their stamp."""
    from sources.demo.generate import write_demo  # openpyxl and the generator: only when writing

    files = write_demo(landing)
    write_demo_stamp(landing, files)
    return files


if __name__ == "__main__":
    target = Path(sys.argv[1])
    print(f"{len(fill_landing(target))} files in {target}")
