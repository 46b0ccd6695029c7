"""Run ingest or publish in this process and SIGKILL it at the k-th rename (os.replace), before or after it.

    python tests/faults/crash_driver.py ingest <data dir> <k> before|after
    python tests/faults/crash_driver.py publish <reports dir> <k> before|after <value>

Every durable step of ingest and publishing ends in an os.replace, so killing around the k-th one reaches every
point where a half-done state could be left behind.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def arm(k: int, when: str) -> None:
    real = os.replace
    calls = 0

    def replace(src: object, dst: object, **kwargs: object) -> None:
        nonlocal calls
        calls += 1
        if calls == k and when == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        real(src, dst, **kwargs)  # type: ignore[arg-type]
        if calls == k and when == "after":
            os.kill(os.getpid(), signal.SIGKILL)

    os.replace = replace  # type: ignore[assignment]


def main() -> None:
    what, folder, k, when = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    if what == "ingest":
        from sources.lib.contract import discover_contracts
        from sources.lib.ingest import ingest_source
        from sources.lib.paths import DataDir

        arm(k, when)
        for contract in discover_contracts():
            ingest_source(contract, DataDir(folder))
    else:
        from reports.publish import publish_report
        from tests.unit.test_workbook import _data

        data = _data()
        data.summary[0]["value"] = float(sys.argv[5])
        arm(k, when)
        publish_report(data, folder, "sv", dt.date(2026, 10, 3))
    print("completed")


if __name__ == "__main__":
    main()
