"""`make trace INDICATOR=<id> PERIOD=<period> [GEO=<code>] [REPORT=<published .xlsx>]`: the evidence behind one
figure, written to <data dir>/traces/ as CSV and as a workbook.

    python -m orchestration.trace     # INDICATOR, PERIOD, GEO and REPORT from the environment (or as options)

Without REPORT it reads the current warehouse. With REPORT it traces that published revision: rebuilt from its
manifest exactly as `make verify` rebuilds it (the same job, in a temporary data directory holding only the
inputs the manifest lists), so the evidence is that of the published figure, not of later deliveries.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from orchestration.resources import settings_from_environment
from orchestration.verify import rebuilt_revision
from reports.missing import missing_text
from reports.trace import Trace, TraceError, check_published, load_trace, write_trace
from reports.verify import before_rebuild
from warehouse import WarehouseError


def _trace(args: argparse.Namespace) -> tuple[Trace, str]:
    settings = settings_from_environment()
    data = settings.data
    if args.report is None:
        return load_trace(settings.warehouse_target(), args.indicator, args.period, args.geo), "the current warehouse"
    check_published(args.report, args.indicator, args.period, args.geo)
    manifest, checked = before_rebuild(args.report, data)
    if manifest is None or checked.differences:
        raise TraceError(f"{args.report.name} cannot be rebuilt: " + "; ".join(checked.differences))
    with rebuilt_revision(args.report, manifest, data) as (rebuilt, published):
        if published is None:
            raise TraceError(f"the rebuild of {args.report.name} failed; run `make verify REPORT={args.report}`")
        trace = load_trace(rebuilt, args.indicator, args.period, args.geo)
    return trace, f"{args.report.name} rebuilt from its manifest"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    env = os.environ.get
    parser.add_argument("--indicator", default=env("INDICATOR") or None)
    parser.add_argument("--period", default=env("PERIOD") or None, help="2025Q2 (quarterly), 2024 (annual)")
    parser.add_argument(
        "--geo",
        default=env("GEO") or None,
        help="SE (the programme), a cohort, a municipality; default: the indicator's headline geography (SE, or "
        "non_members for the comparison group)",
    )
    parser.add_argument("--report", type=Path, default=env("REPORT") or None, help="a published workbook")
    args = parser.parse_args()
    if not args.indicator or not args.period:
        print("trace: give INDICATOR=<id> and PERIOD=<period> (e.g. INDICATOR=kk_municipalities PERIOD=2025Q2)")
        sys.exit(2)
    if args.report is not None and not args.report.exists():
        print(f"trace: REPORT={args.report} does not exist", file=sys.stderr)
        sys.exit(2)
    try:
        trace, where = _trace(args)
    except (TraceError, WarehouseError) as exc:
        print(f"trace: {exc}", file=sys.stderr)
        sys.exit(1)
    settings = settings_from_environment()
    language = settings.report_language
    csv_path, xlsx_path = write_trace(trace, settings.data.root / "traces", language)
    value = trace.figure["value"]
    if value is None:  # missing, with its reason: never a value of 0
        shown = f"no value: {missing_text(trace.figure, language, trace.states)}"
    else:
        shown = (
            f"value {value} {trace.figure['unit']}, {len(trace.evidence)} contributing rows summing to "
            f"{trace.contribution_total:.6g}"
        )
        if trace.recomputed is not None:
            shown += f"; recomputed {trace.recomputed:.10g} ({'agrees' if trace.agrees else 'DOES NOT AGREE'})"
    print(f"{trace.indicator_id} {trace.period} {trace.geography_code} ({where}): {shown}")
    print(f"evidence: {csv_path}\n          {xlsx_path}")
    if value is not None and trace.recomputed is not None and not trace.agrees:
        sys.exit(1)


if __name__ == "__main__":
    main()
