"""Demo delivery of klimatkontrakt_followup: Klimatkontrakt 2030 annual follow-ups: one filled-in template per
municipality and year, as Excel saves it.

Called by sources.demo.generate.write_demo, seeded by the shared world and scale (sources.demo.world)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import math
import random
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from sources.demo.world import Municipality, Scale, World, source_rng, write_file, xlsx_bytes
from sources.klimatkontrakt_followup import template

FOLLOWUP_VERSIONS = {2024: "2024.1", 2025: "2025.1"}  # the template of each report year

FOLLOWUP_ACTIONS = {
    "Transporter": ["Laddinfrastruktur för tunga fordon", "Elbussar i stadstrafiken", "Utbyggt cykelvägnät",
                    "Samordnad varudistribution", "Fossilfria arbetsmaskiner i kommunens upphandling"],
    "Energi": ["Solceller på kommunala tak", "Fjärrvärme från spillvärme", "Energieffektivisering av gatubelysning"],
    "Bygg och fastigheter": ["Klimatkrav i markanvisningar", "Energirenovering av skolor", "Trähus i ny stadsdel"],
    "Industri": ["Koldioxidavskiljning vid kraftvärmeverk", "Industriell symbios i hamnområdet"],
    "Jordbruk och skog": ["Kolinlagring i kommunens skogar", "Biokol från parkavfall"],
    "Avfall": ["Matavfallsinsamling i alla flerbostadshus", "Återbrukscentral"],
    "Konsumtion": ["Klimatsmart måltidsplanering i skolor", "Delningstjänster för verktyg och fordon"],
    "Övrigt": ["Klimatinvesteringsplan, uppdatering", "Kompetenslyft klimat för förvaltningarna"],
}  # fmt: skip

# how an action's status moves from one year's report to the next (inställd ones are not reported again)
FOLLOWUP_PROGRESS = {
    "planerad": (["planerad", "pågående", "inställd"], [5, 4, 1]),
    "pågående": (["pågående", "genomförd", "inställd"], [11, 8, 1]),
    "genomförd": (["genomförd"], [1]),
}

FOLLOWUP_UPDATES = [
    "Klimatinvesteringsplanen antogs av kommunfullmäktige.",
    "Nya samarbeten med näringslivet genom lokala klimatkontrakt.",
    "Arbetet med EU-missionens Climate City Contract har samordnats med klimatkontraktet.",
    "Fokus på finansiering: ansökningar till DUT och Klimatklivet.",
]

CONTACTS = ["Anna Lindqvist", "Erik Johansson", "Maria Nilsson", "Johan Berg", "Sara Holm", "Karin Ek", "Ali Hassan"]


@dataclass(frozen=True)
class FollowupReport:
    municipality: Municipality
    wave: int
    year: int
    version: str
    submitted_on: dt.date
    actions: list[template.Action]


def _new_action(no: int, version: str, rng: random.Random) -> template.Action:
    sector = rng.choice(template.SECTORS)
    investment = round(math.exp(rng.gauss(math.log(2_500), 1.1)), 0 if rng.random() < 0.7 else 1)
    return template.Action(
        no,
        rng.choice(FOLLOWUP_ACTIONS[sector]),
        sector,
        rng.choices(["planerad", "pågående", "genomförd", "inställd"], weights=[3, 5, 3, 1])[0],
        investment,
        round(investment * rng.choice([0, 0, 0.2, 0.4, 0.5]), 1) if version == "2025.1" else None,
        rng.choice(["", "", "Försenad upphandling", "Medfinansiering från Klimatklivet", "Del av CCC"]),
    )


def _carried(previous: list[template.Action], version: str, rng: random.Random) -> list[template.Action]:
    """Last year's actions a year on: statuses move on, amounts are revised, inställda ones drop out."""
    out = []
    for a in previous:
        if a.status not in FOLLOWUP_PROGRESS:
            continue
        statuses, weights = FOLLOWUP_PROGRESS[a.status]
        investment = round(float(a.investment_tkr) * rng.uniform(0.9, 1.15), 0)
        external = round(investment * rng.choice([0, 0, 0.2, 0.4, 0.5]), 1) if version == "2025.1" else None
        out.append(template.Action(len(out) + 1, a.name, a.sector, rng.choices(statuses, weights)[0], investment,
                                   external, ""))  # fmt: skip
    return out


def followup_plan(
    register: list[tuple[Municipality, int, str]], rng: random.Random
) -> tuple[list[FollowupReport], list[tuple[str, int]]]:
    """The follow-ups delivered and the (code, report year) of those never delivered. Every member on 31 December
    of a report year owes one, due by the end of the next February; most arrive on time, some late (March to
    May), some not at all: first-year members more often. Each year has at least one of each. The 2025 reports
    carry on the actions of the municipality's 2024 report."""
    reports: list[FollowupReport] = []
    missing: list[tuple[str, int]] = []
    previous: dict[str, list[template.Action]] = {}
    for year, version in FOLLOWUP_VERSIONS.items():
        expected = sorted(
            ((m, wave) for m, wave, joined in register if dt.date.fromisoformat(joined) <= dt.date(year, 12, 31)),
            key=lambda mw: mw[0].code,
        )
        outcome = {}
        for m, wave in expected:
            first_year = wave == year
            roll = rng.random()
            outcome[m.code] = (
                "missing" if roll < (0.15 if first_year else 0.03) else "late" if roll > (0.85 if first_year else 0.94)
                else "on_time"
            )  # fmt: skip
        for needed in ("late", "missing"):
            if needed not in outcome.values():
                outcome[rng.choice([c for c, o in outcome.items() if o == "on_time"])] = needed
        due = template.due_date(year)
        for m, wave in expected:
            if outcome[m.code] == "missing":
                missing.append((m.code, year))
                continue
            if outcome[m.code] == "late":
                submitted = due + dt.timedelta(days=rng.randrange(1, 90))
            else:
                submitted = dt.date(year + 1, 2, 1) + dt.timedelta(days=rng.randrange(0, due.day))
            actions = _carried(previous.get(m.code, []), version, rng)
            for _ in range(rng.randint(0 if actions else 3, 3 if actions else 12)):
                actions.append(_new_action(len(actions) + 1, version, rng))
            previous[m.code] = actions
            reports.append(FollowupReport(m, wave, year, version, submitted, actions))
    return reports, missing


def _as_typed(action: template.Action, rng: random.Random) -> template.Action:
    """Some people paste amounts as text with a space or no-break space between the thousands ("19 054")."""
    amount = action.investment_tkr
    if isinstance(amount, float) and amount.is_integer() and amount >= 1000 and rng.random() < 0.025:
        text = f"{amount:,.0f}".replace(",", rng.choice([" ", "\u00a0"]))
        return dataclasses.replace(action, investment_tkr=text)
    return action


def with_cached_values(xlsx: bytes, sheet_part: str, values: dict[str, float]) -> bytes:
    """Store a formula's result beside it, as Excel does on save (openpyxl writes formulas without results)."""

    def fill(m: re.Match[bytes]) -> bytes:
        ref = m.group("ref").decode()
        if ref not in values:
            return m.group(0)
        return m.group(1) + b"<f>" + m.group("f") + b"</f><v>" + repr(values[ref]).encode() + b"</v>"

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == sheet_part:
                data = _FORMULA_CELL.sub(fill, data)
            dst.writestr(info, data, compresslevel=6)
    return out.getvalue()


_FORMULA_CELL = re.compile(rb'(<c r="(?P<ref>[A-Z]+\d+)"[^>]*>)<f>(?P<f>[^<]*)</f>(?:<v\s*/>|<v>\s*</v>)?')

FOLLOWUP_SHEET_PART = "xl/worksheets/sheet2.xml"  # Uppföljning, after Instruktioner


def followup_bytes(report: FollowupReport, rng: random.Random) -> bytes:
    """The filled-in template as Excel saves it: the Summa formulas with their results."""
    m = report.municipality
    form = template.Form(
        m.name,
        m.code if rng.random() < 0.8 else int(m.code),  # some type the code as a number: 0180 becomes 180
        report.year,
        report.wave if report.version == "2025.1" else None,
        rng.choice(CONTACTS),
        report.submitted_on,
    )
    actions = [_as_typed(a, rng) for a in report.actions]
    wb, cached = template.followup_workbook(report.version, form, actions, key_updates=rng.choice(FOLLOWUP_UPDATES))
    delivered = dt.datetime.combine(report.submitted_on, dt.time(9, 0), tzinfo=dt.UTC)
    return with_cached_values(xlsx_bytes(wb, delivered), FOLLOWUP_SHEET_PART, cached)


def write_followup(landing: Path, register: list[tuple[Municipality, int, str]], rng: random.Random) -> None:
    reports, _ = followup_plan(register, rng)
    for report in reports:
        delivered = dt.datetime.combine(report.submitted_on, dt.time(9, 0), tzinfo=dt.UTC)
        name = f"uppfoljning_{report.year}_{report.municipality.code}.xlsx"
        write_file(landing / "klimatkontrakt_followup" / name, followup_bytes(report, rng), delivered)


def write(landing: Path, world: World, scale: Scale, seed: int) -> None:
    """This source's demo files under `landing`."""
    write_followup(landing, world.register, source_rng(seed, "klimatkontrakt_followup"))
