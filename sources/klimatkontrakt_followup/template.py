"""The follow-up template as a workbook: the layout parse.py reads, in one place for every writer of it.

Two writers use it: the programme office's hand-out (`make templates YEAR=2026`, see handout.py: one pre-filled,
protected workbook per contract municipality, no formulas) and the demo generator (filled-in templates of past
years, whose Summa row is a SUM formula with the result Excel saves beside it).

    Instruktioner   what to fill in, in Swedish
    Uppföljning     the form (rows 4-10), the action table (header row 13, one numbered row per action, Summa),
                    Del 2 (free text)
    Listor          hidden: the drop-down lists for Status and Sektor

The labels, the table's columns per template version and the lists come from the source contract, so a writer and
the reader cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from sources.lib.contract import SourceContract, load_contract
from sources.lib.paths import SOURCES_DIR

CONTRACT: SourceContract = load_contract(SOURCES_DIR / "klimatkontrakt_followup")
VERSIONS: dict[str, list[str]] = {str(k): list(v) for k, v in CONTRACT.reader["template_versions"].items()}
CURRENT_VERSION = max(VERSIONS, key=lambda v: tuple(int(p) for p in v.split(".")))
STATUSES = list(CONTRACT.column("action_status").allowed)
SECTORS = list(CONTRACT.column("sector").allowed)
SHEET = CONTRACT.reader.get("sheet", "Uppföljning")
FORM_FIRST_ROW, HEADER_ROW = 4, 13
MIN_TABLE_ROWS = 20  # pre-numbered rows; a hand-out keeps at least SPARE_ROWS empty ones for new actions
SPARE_ROWS = 10
INSTRUCTION_CHARS_PER_LINE = 66  # of the instructions column (width 62) at the default font
INPUT = PatternFill("solid", fgColor="FFF2CC")
HEAD = PatternFill("solid", fgColor="D9E1F2")
_UNLOCKED = Protection(locked=False)


def due_date(report_year: int) -> dt.date:
    """Follow-ups for year N are due in February of N+1 (the contract's cadence): the last day of that February."""
    return dt.date(report_year + 1, 3, 1) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Form:
    """The form's values. The code may be an int: people type 0180 as 180, which the reader repairs."""

    municipality_name: str
    municipality_code: str | int
    report_year: int
    wave: int | None = None
    contact_person: str | None = None
    submitted_on: dt.date | None = None


@dataclass(frozen=True)
class Action:
    """One row of the action table. An amount may be text ("19 054"): what a person pasted."""

    no: int
    name: str
    sector: str | None
    status: str | None
    investment_tkr: float | str | None
    external_tkr: float | str | None = None
    comment: str | None = None


def instructions(report_year: int, version: str, handout: bool) -> list[str]:
    lines = [
        f"Årlig uppföljning av Klimatkontrakt 2030 – rapportår {report_year}",
        f"Mallversion {version}. Ändra inte rubrikerna, mallversionen eller bladens namn: "
        "programkontoret läser filen efter rubrikerna.",
        "Fyll i de gula fälten på bladet Uppföljning: kontaktperson, datum för inlämning, åtgärderna och Del 2.",
        "Investeringar anges i tusental kronor (tkr) som tal: skriv 19054, inte ”19 054 kr”. Ett tal som skrivs "
        "som text räknas inte med av kalkylprogrammets SUMMA.",
        "Status och sektor väljs i listorna i respektive cell.",
    ]
    if handout:
        lines += [
            "Kommun, kommunkod, våg och mallversion är ifyllda av programkontoret.",
            f"Åtgärderna från uppföljningen för {report_year - 1} är förifyllda: uppdatera status, investering och "
            "extern finansiering för var och en. En åtgärd som inte längre är aktuell får status ”inställd”.",
            "Nya åtgärder skrivs på de tomma numrerade raderna under de förifyllda.",
            "Summa-raden räknar programkontoret fram; den behöver inte fyllas i.",
            "Bladet Uppföljning är skyddat utan lösenord så att rubrikerna inte ändras av misstag "
            "(Granska > Ta bort bladskydd).",
        ]
    lines.append(
        f"Skicka filen till programkontoret senast {due_date(report_year).isoformat()}. "
        "Frågor: uppfoljning@viablecities.se"
    )
    return lines


def followup_workbook(
    version: str,
    form: Form,
    actions: list[Action],
    *,
    key_updates: str | None = None,
    summa: Literal["formula", "blank"] = "formula",
    handout: bool = False,
) -> tuple[Workbook, dict[str, float]]:
    """The template, filled in as far as given. Returns the workbook and the results a spreadsheet would save
    for its formula cells (A1 reference -> value; empty without formulas). With summa="formula" the Summa row is a
    SUM, and its result leaves out amounts typed as text, as every spreadsheet's SUM does. With handout=True the
    form's prefilled cells and every label are locked (sheet protection without a password) and the table keeps
    SPARE_ROWS empty rows."""
    columns = VERSIONS[version]
    label = {c.name: c.header for c in CONTRACT.columns}
    wb = Workbook()
    intro = wb.active
    intro.title = "Instruktioner"
    for line in instructions(form.report_year, version, handout):
        intro.append([line])
        intro.cell(intro.max_row, 1).alignment = Alignment(wrap_text=True, vertical="top")
        # spreadsheets do not grow a row for wrapped text on opening: give it the lines it needs
        intro.row_dimensions[intro.max_row].height = 15 * -(-len(line) // INSTRUCTION_CHARS_PER_LINE)
    intro["A1"].font = Font(bold=True, size=14)
    intro.column_dimensions["A"].width = 62
    intro.row_dimensions[1].height = 38  # the title, at 14 pt, takes two lines
    _fit_page(intro, landscape=False)
    ws = wb.create_sheet(SHEET)
    lists = wb.create_sheet("Listor")
    lists.sheet_state = "hidden"
    lists.append([label["action_status"], label["sector"]])
    for i in range(max(len(STATUSES), len(SECTORS))):
        lists.append([STATUSES[i] if i < len(STATUSES) else None, SECTORS[i] if i < len(SECTORS) else None])

    last = len(columns)
    end_letter = get_column_letter(last)
    ws["A1"] = "Klimatkontrakt 2030 – årlig uppföljning"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells(f"A1:{end_letter}1")
    ws["A2"] = "Viable Cities programkontor. Fyll i de gula fälten."
    ws.merge_cells(f"A2:{end_letter}2")

    # the form: label in A, value in B (merged over B:D for the text fields)
    fields: list[tuple[str, object, bool, bool]] = [  # (column, value, merged, filled in by the municipality)
        ("template_version", version, False, False),
        ("municipality_name", form.municipality_name, True, not handout),
        ("municipality_code", form.municipality_code, False, not handout),
        ("report_year", form.report_year, False, not handout),
        ("contact_person", form.contact_person, True, True),
        ("submitted_on", form.submitted_on, False, True),
    ]
    if form.wave is not None:
        fields.append(("wave", form.wave, False, False))
    for offset, (col, value, merge, is_input) in enumerate(fields):
        r = FORM_FIRST_ROW + offset
        ws.cell(r, 1, label[col]).font = Font(bold=True)
        cell = ws.cell(r, 2, value)
        cell.alignment = Alignment(horizontal="left")
        if col == "submitted_on":
            cell.number_format = "yyyy-mm-dd"
        if is_input:
            cell.fill = INPUT
            cell.protection = _UNLOCKED
        if merge:
            ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=4)

    ws.cell(11, 1, "Del 1 – Åtgärder i klimatinvesteringsplanen").font = Font(bold=True, size=12)
    ws.merge_cells(f"A11:{end_letter}11")
    ws.cell(12, 1, "Beskrivning").fill = HEAD  # merged group headings above the table
    ws.merge_cells("A12:C12")
    ws.cell(12, 4, "Genomförande").fill = HEAD
    ws.merge_cells(f"D12:{end_letter}12")
    for j, header in enumerate(columns, start=1):
        c = ws.cell(HEADER_ROW, j, header)
        c.font, c.fill = Font(bold=True), HEAD
        c.alignment = Alignment(wrap_text=True, vertical="top")

    n_rows = max(MIN_TABLE_ROWS, len(actions) + (SPARE_ROWS if handout else 0))
    first, last_row = HEADER_ROW + 1, HEADER_ROW + n_rows
    at = {header: j for j, header in enumerate(columns, start=1)}
    amount_cols = [at[label[c]] for c in ("investment_tkr", "external_funding_tkr") if label[c] in at]
    for col, values, title in (
        ("action_status", STATUSES, "Status"),
        ("sector", SECTORS, "Sektor"),
    ):
        letter = "A" if col == "action_status" else "B"
        dv = DataValidation(
            type="list",
            formula1=f"=Listor!${letter}$2:${letter}${len(values) + 1}",
            showErrorMessage=True,
            errorTitle=title,
            error=f"Välj ett värde i listan: {', '.join(values)}.",
        )
        ws.add_data_validation(dv)
        letter_in_table = get_column_letter(at[label[col]])
        dv.add(f"{letter_in_table}{first}:{letter_in_table}{last_row}")
    for i in range(n_rows):
        ws.cell(first + i, 1, i + 1)  # pre-numbered rows
        for j in range(2, last + 1):
            cell = ws.cell(first + i, j)
            cell.fill, cell.protection = INPUT, _UNLOCKED
            if j in amount_cols:
                cell.number_format = "#,##0.0"

    sums = {j: 0.0 for j in amount_cols}
    for i, a in enumerate(actions):
        r = first + i
        values = {
            "action_no": a.no,
            "action_name": a.name,
            "sector": a.sector,
            "action_status": a.status,
            "investment_tkr": a.investment_tkr,
            "external_funding_tkr": a.external_tkr,
            "comment": a.comment or None,
        }
        for col, value in values.items():
            if label[col] in at and value is not None:
                ws.cell(r, at[label[col]], value)
                if at[label[col]] in sums and isinstance(value, (int, float)):
                    sums[at[label[col]]] += value  # what SUM counts: numbers, not text

    summa_row = last_row + 1
    ws.cell(summa_row, 1, label["investment_total_tkr"]).font = Font(bold=True)
    cached: dict[str, float] = {}
    for j in amount_cols:
        letter = get_column_letter(j)
        cell = ws.cell(summa_row, j)
        cell.number_format = "#,##0.0"
        if summa == "formula":
            cell.value = f"=SUM({letter}{first}:{letter}{last_row})"
            cached[f"{letter}{summa_row}"] = round(sums[j], 1)
    ws.cell(summa_row + 2, 1, label["key_updates"]).font = Font(bold=True, size=12)
    ws.merge_cells(start_row=summa_row + 2, start_column=1, end_row=summa_row + 2, end_column=last)
    text = ws.cell(summa_row + 3, 1, key_updates)
    text.alignment = Alignment(wrap_text=True, vertical="top")
    if handout:
        text.fill, text.protection = INPUT, _UNLOCKED
    ws.merge_cells(start_row=summa_row + 3, start_column=1, end_row=summa_row + 6, end_column=last)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 48
    for j in range(3, last + 1):
        ws.column_dimensions[get_column_letter(j)].width = 18
    ws.row_dimensions[HEADER_ROW].height = 30
    _fit_page(ws, landscape=True)
    if handout:
        ws.protection.sheet = True  # no password: it keeps labels from being overwritten by mistake, no more
        wb.active = 1
    return wb, cached


def _fit_page(ws, landscape: bool) -> None:
    """Printed, each sheet is as wide as one page."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
