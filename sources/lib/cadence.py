"""When a source's next delivery is due, from its contract's cadence.

A contract states its cadence in words ("quarterly", "yearly (published about 1.5 years after the year it
covers)", "on change (at least yearly, ...)"): the first of daily, weekly, monthly, quarterly or yearly in it is
the delivery rhythm. The next delivery is due one period after the newest accepted one, plus a grace for the
publisher's ordinary slack (ECB skips weekends and holidays, a quarterly ledger arrives in the first weeks of a
quarter). The dbt source freshness of each source (`warn_after` in its `_<source>__sources.yml`) says the same
number of days; tests/unit/test_freshness.py keeps the two equal.
"""

from __future__ import annotations

import re

PERIOD_DAYS = {"daily": 1, "weekly": 7, "monthly": 31, "quarterly": 92, "yearly": 366}
GRACE_DAYS = {"daily": 3, "weekly": 3, "monthly": 7, "quarterly": 15, "yearly": 31}
_RHYTHM = re.compile(r"\b(" + "|".join(PERIOD_DAYS) + r")\b")


class CadenceError(ValueError):
    pass


def rhythm(cadence: str) -> str:
    """daily, weekly, monthly, quarterly or yearly: the first of them the cadence names."""
    match = _RHYTHM.search(cadence.lower())
    if not match:
        raise CadenceError(f"cadence {cadence!r} names no delivery rhythm; write one of {', '.join(PERIOD_DAYS)} in it")
    return match.group(1)


def due_after_days(cadence: str) -> int:
    """Days after the newest accepted delivery by which the next one is due (late from the day after)."""
    key = rhythm(cadence)
    return PERIOD_DAYS[key] + GRACE_DAYS[key]
