"""The templates the programme office hands out: one pre-filled follow-up workbook per contract municipality.

    make templates YEAR=2026        # -> $VC_DATA_DIR/templates/2026/uppfoljning_2026_<kommunkod>.xlsx

Each workbook is the current template version with the municipality's name, code and wave filled in and locked,
the actions of its follow-up for the previous year carried forward (number, name, sector, status, amounts) for the
municipality to update, drop-down lists for status and sector, an instructions sheet in Swedish, and no formulas:
whatever tool a person fills it in with (Excel, LibreOffice, a script), what they save reads back as it was typed.
Sheet protection has no password; it only keeps the labels from being overwritten by mistake.

Who gets one and what is carried forward is read from the warehouse (read-only): the register's members on
31 December of the report year, and the newest accepted follow-up of the year before.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

from reports.stable_xlsx import stable_xlsx_bytes
from sources.klimatkontrakt_followup import template
from sources.lib.paths import DataDir

YEAR_VARIABLE = "VC_TEMPLATE_YEAR"  # how `make templates YEAR=…` passes the year (never through the shell's text)


class HandoutError(RuntimeError):
    pass


@dataclass(frozen=True)
class Recipient:
    code: str
    name: str
    wave: int
    actions: list[template.Action]


def recipients(warehouse: Path, report_year: int) -> list[Recipient]:
    """The members on 31 December of the report year, by the newest register, with last year's actions."""
    if not warehouse.exists():
        raise HandoutError(f"no warehouse at {warehouse}: build it first (make run)")
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error as exc:
        raise HandoutError(f"the warehouse {warehouse} cannot be opened read-only (a run writing it?): {exc}") from exc
    year_end = dt.date(report_year, 12, 31)
    try:
        members = con.execute(
            "select r.municipality_code, coalesce(m.municipality_name, r.municipality_name), r.cohort_year "
            "from staging.stg_klimatkontrakt_register__municipalities r "
            "left join reference.ref_municipalities m using (municipality_code) "
            "where r.joined_date <= ? and (r.left_date is null or r.left_date > ?) order by 1",
            [year_end, year_end],
        ).fetchall()
        previous = con.execute(
            "select municipality_code, action_id, action_name, sector, action_status, investment_sek, "
            "external_funding_sek from staging.stg_klimatkontrakt_followup__actions "
            "where report_year = ? and action_status <> 'inställd' order by municipality_code, action_id",
            [report_year - 1],
        ).fetchall()
    except duckdb.CatalogException as exc:
        raise HandoutError(f"the warehouse {warehouse} lacks the register or follow-up tables: {exc}") from exc
    finally:
        con.close()
    carried: dict[str, list[template.Action]] = {}
    for code, _, name, sector, status, investment, external in previous:
        actions = carried.setdefault(code, [])
        actions.append(
            template.Action(
                len(actions) + 1,
                name,
                sector,
                status,
                None if investment is None else investment / 1000,
                None if external is None else external / 1000,
            )
        )
    return [Recipient(code, name, int(wave), carried.get(code, [])) for code, name, wave in members]


def handout_bytes(recipient: Recipient, report_year: int, version: str = template.CURRENT_VERSION) -> bytes:
    form = template.Form(recipient.name, recipient.code, report_year, recipient.wave)
    wb, cached = template.followup_workbook(version, form, recipient.actions, summa="blank", handout=True)
    assert not cached, "a hand-out template has no formulas"
    return stable_xlsx_bytes(wb, dt.datetime(report_year, 12, 1), title=f"Uppföljning Klimatkontrakt {report_year}")


def write_templates(report_year: int, data: DataDir) -> list[Path]:
    """Write every contract municipality's template for the report year; returns the files (rewritten each time)."""
    target = data.root / "templates" / str(report_year)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for recipient in recipients(data.warehouse, report_year):
        path = target / f"uppfoljning_{report_year}_{recipient.code}.xlsx"
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        tmp.write_bytes(handout_bytes(recipient, report_year))
        os.replace(tmp, path)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--year", default=os.environ.get(YEAR_VARIABLE), help=f"report year (or ${YEAR_VARIABLE})")
    args = parser.parse_args(argv)
    try:
        year = int(str(args.year))
    except ValueError:
        parser.error(f"the report year must be a year such as 2026, not {args.year!r} (make templates YEAR=2026)")
    if not 2020 <= year <= 2035:
        parser.error(f"report year {year} is outside 2020-2035")
    try:
        files = write_templates(year, DataDir.current())
    except HandoutError as exc:
        print(f"templates: {exc}", file=sys.stderr)
        return 1
    print(f"{len(files)} templates for {year} in {files[0].parent if files else DataDir.current().root}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
