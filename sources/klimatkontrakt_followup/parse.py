"""The Klimatkontrakt 2030 follow-up template: a form, read by its labels, never by fixed cells.

    Mallversion | 2025.1            <- label cells, the value to their right (merged value cells are fine)
    Kommun      | Lund
    Kommunkod   | 1281
    Rapportår   | 2025
    …
    [ Beskrivning (merged) ][ Genomförande (merged) ]    <- group headings above the table
    Nr | Åtgärd | Sektor | Status | Investering (tkr) | …  <- the columns of the template version
    1  | …                                                 <- one row per action; unused numbered rows are skipped
    Summa |      |        |        | 12 345               <- ends the table
    Del 2 – Viktigaste uppdateringar under året
    free text

The form is checked strictly: a missing label, an unknown template version, a renamed, missing or extra table
column, or a missing Summa row refuses the file (rule template_drift), because a template that has drifted
cannot be read with confidence. The form's values are typed here, so an unreadable Kommunkod or Rapportår
refuses the file naming its cell; the actions are typed and checked by the shared contract rules, row by row.

The file's own arithmetic is checked too, and a disagreement is a warning row (record_type warning) naming the
file, sheet and cell, not a rejection: an amount typed as text ("19 054"), which the reader takes as the number
but a spreadsheet's SUM leaves out, and a Summa row that differs from the sum of its actions (a LibreOffice
re-save once recalculated a Summa to 20,283.6 while the actions added up to 50,020.6).
"""

from __future__ import annotations

from pathlib import Path

from sources.lib.cells import Cells, RawTable, is_blank, to_text
from sources.lib.contract import SourceContract
from sources.lib.errors import SourceFileError
from sources.lib.readers import check_merged, column_letter, read_sheet, workbook_epoch
from sources.lib.types import CellError, Errors, blank, parse_value, typed

FORM = [
    "template_version",
    "municipality_name",
    "municipality_code",
    "report_year",
    "contact_person",
    "submitted_on",
    "wave",
]
AMOUNTS = ["investment_tkr", "external_funding_tkr"]
SUMMA_TOLERANCE_TKR = 0.05  # the template asks for tkr with one decimal
SEARCH_ROWS = 60
VALUE_SEARCH_COLUMNS = 4  # the value is in one of the next cells to the right of its label


def _text(value: object) -> str:
    return "" if is_blank(value) else to_text(value)


def _label_cells(rows: list[list[object]]) -> dict[str, list[tuple[int, int]]]:
    """Each text on the sheet -> its cells (row, column), in reading order: the sheet is read as text once."""
    found: dict[str, list[tuple[int, int]]] = {}
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if text := _text(v):
                found.setdefault(text, []).append((r, c))
    return found


def _find(labels: dict[str, list[tuple[int, int]]], label: str, limit: int) -> list[tuple[int, int]]:
    return [(r, c) for r, c in labels.get(label, []) if r < limit]


def _form_value(rows: list[list[object]], r: int, c: int) -> tuple[object, int]:
    for j in range(c + 1, min(c + 1 + VALUE_SEARCH_COLUMNS, len(rows[r]))):
        if not is_blank(rows[r][j]):
            return rows[r][j], j
    return None, c + 1


def parse(path: Path, name: str, contract: SourceContract) -> RawTable:
    versions: dict[str, list[str]] = {str(k): list(v) for k, v in contract.reader["template_versions"].items()}
    data = read_sheet(path, name, contract.reader.get("sheet", "Uppföljning"))
    sheet, rows = data.name, data.rows
    epoch = workbook_epoch(path)

    def drift(message: str, row: int | None = None, column: str | None = None) -> SourceFileError:
        return SourceFileError(name, "template_drift", message, sheet=sheet, row=row, column=column)

    labels_at = _label_cells(rows)
    # 1. The form: every label once, its value to the right.
    form: dict[str, object] = {}
    cells: dict[str, str] = {}
    label_rows: dict[str, int] = {}
    first_form_row = len(rows)
    for col in FORM:
        label = contract.column(col).header
        found = _find(labels_at, label, SEARCH_ROWS)
        if len(found) > 1:
            where = ", ".join(f"{column_letter(c)}{r + 1}" for r, c in found)
            raise drift(f"the label {label!r} appears {len(found)} times ({where})")
        if not found:
            if contract.column(col).required:
                raise drift(f"no label cell {label!r} in the first {SEARCH_ROWS} rows: is this the follow-up template?")
            form[col], cells[col] = None, ""
            continue
        r, c = found[0]
        first_form_row = min(first_form_row, r)
        value, j = _form_value(rows, r, c)
        ref = f"{column_letter(j)}{r + 1}"
        cells[col], label_rows[col] = ref, r + 1
        if value is None and contract.column(col).required:
            raise SourceFileError(
                name, "required", f"{label} ({ref}) must be filled in", sheet=sheet, row=r + 1, column=column_letter(j)
            )
        try:
            if value is None:
                typed: object = None
            elif col == "municipality_code":
                typed = parse_value(value, "municipality_code")
            elif col in ("report_year", "wave"):
                typed = parse_value(value, "integer")
            elif col == "submitted_on":
                typed = parse_value(value, "date", epoch=epoch)
            else:
                typed = to_text(value)
        except CellError as exc:
            raise SourceFileError(
                name, exc.rule, f"{label} ({ref}): {exc.message}", sheet=sheet, row=r + 1, column=column_letter(j)
            ) from exc
        form[col] = typed
    version = str(form["template_version"])
    if version not in versions:
        raise SourceFileError(
            name,
            "template_version",
            f"template version {version!r} ({cells['template_version']}) is not one the office has handed out "
            f"({sorted(versions)}); add it to reader.template_versions once its layout is known",
            sheet=sheet,
            row=label_rows["template_version"],
            column=cells["template_version"].rstrip("0123456789"),
        )

    # 2. The action table: the header row holds "Nr" and "Åtgärd", and exactly the version's columns.
    no_label, name_label = contract.column("action_no").header, contract.column("action_name").header
    header_row = next(
        (i for i, row in enumerate(rows) if {no_label, name_label} <= {_text(v) for v in row}),
        None,
    )
    if header_row is None:
        raise drift(f"no action table: no row with the columns {no_label!r} and {name_label!r}")
    labels = {_text(v): j for j, v in enumerate(rows[header_row]) if _text(v)}
    found_labels = [_text(v) for v in rows[header_row] if _text(v)]
    if len(found_labels) != len(labels):
        dup = next(h for h in found_labels if found_labels.count(h) > 1)
        raise SourceFileError(
            name, "duplicate_header", f"the column {dup!r} appears twice", sheet=sheet, row=header_row + 1
        )
    expected = versions[version]
    missing = [h for h in expected if h not in labels]
    extra = [h for h in found_labels if h not in expected]
    if missing or extra:
        raise drift(
            f"the action table of template {version} should have the columns {expected}; "
            f"missing {missing}, unexpected {extra} (a renamed column?)",
            row=header_row + 1,
        )
    table_cols = {c.name: labels[c.header] for c in contract.columns if c.header in expected}
    summa_label = contract.column("investment_total_tkr").header
    end = next(
        (i for i in range(header_row + 1, len(rows)) if rows[i] and _text(rows[i][0]).startswith(summa_label)),
        None,
    )
    if end is None:
        raise drift(f"no {summa_label!r} row below the action table (it marks where the table ends)")
    check_merged(data, name, header_row + 1, end - 1, list(table_cols.values()))

    # 3. Del 2: the free text under its heading (optional).
    updates_label = contract.column("key_updates").header
    key_updates, updates_cell = None, None
    if heading := _find(labels_at, updates_label, len(rows)):
        r0 = heading[0][0]
        for r in range(r0 + 1, min(r0 + 8, len(rows))):
            filled = [(j, v) for j, v in enumerate(rows[r]) if not is_blank(v)]
            if filled:
                key_updates, updates_cell = to_text(filled[0][1]), f"{column_letter(filled[0][0])}{r + 1}"
                break

    columns = [c.name for c in contract.columns]
    records: dict[str, list[object]] = {c: [] for c in columns}
    cells_at: dict[str, list[str | None]] = {c: [] for c in columns}  # a form's value is in its own cell
    numbers: list[int] = []

    def add(values: dict[str, object], row: int, refs: dict[str, str | None]) -> None:
        for col in columns:
            records[col].append(values.get(col))
            cells_at[col].append(refs.get(col))
        numbers.append(row)

    form_refs = {col: cells[col] or None for col in FORM}
    inv_col = table_cols["investment_tkr"]
    summa = rows[end][inv_col] if inv_col < len(rows[end]) else None
    add(
        {**form, "record_type": "report", "key_updates": key_updates, "investment_total_tkr": summa},
        first_form_row + 1,
        {**form_refs, "key_updates": updates_cell, "investment_total_tkr": f"{column_letter(inv_col)}{end + 1}"},
    )
    action_rows = []
    for i in range(header_row + 1, end):
        row = rows[i]
        values = {col: (row[j] if j < len(row) else None) for col, j in table_cols.items()}
        if all(is_blank(v) for col, v in values.items() if col != "action_no"):
            continue  # an unused, pre-numbered row of the template
        add({**form, **values, "record_type": "action"}, i + 1, form_refs)
        action_rows.append(i)
    for warning in consistency_warnings(name, sheet, rows, action_rows, end, table_cols, contract):
        row = int(warning.pop("row"))
        add({**form, "record_type": "warning", **warning}, row, form_refs)
    refs = {col: column_letter(j) for col, j in table_cols.items()}
    return RawTable.of(records, numbers, refs, cells_at=cells_at, excel_epoch=epoch, sheet=sheet)


def consistency_warnings(
    name: str,
    sheet: str,
    rows: list[list[object]],
    action_rows: list[int],
    summa_row: int,
    table_cols: dict[str, int],
    contract: SourceContract,
) -> list[dict[str, object]]:
    """Amounts typed as text, and Summa cells that disagree with the sum of their column's actions, as warning
    records (check_rule, check_cell, check_message, action_no, row). Only cells that read as numbers count: one that
    does not is rejected with its row anyway."""
    out: list[dict[str, object]] = []
    for col in (c for c in AMOUNTS if c in table_cols):
        j, header = table_cols[col], contract.column(col).header
        letter = column_letter(j)
        total, as_text = 0.0, []
        cells = [rows[i][j] if j < len(rows[i]) else None for i in action_rows]
        unreadable: Errors = {}  # the column's cells typed at once, as ingest types them
        numbers = typed(blank(Cells.of(cells)), "decimal", unreadable).to_pylist()
        for k, (i, value, number) in enumerate(zip(action_rows, cells, numbers, strict=True)):
            if number is None or k in unreadable:
                continue
            total += number
            if isinstance(value, str):
                ref = f"{letter}{i + 1}"
                as_text.append((ref, number))
                out.append(
                    {
                        "check_rule": "number_as_text",
                        "check_cell": ref,
                        "check_message": f'{name}, sheet {sheet}, cell {ref}: {header} "{to_text(value)}" is a number '
                        f"typed as text, which a spreadsheet's SUM leaves out; read as {number:,.1f} tkr",
                        "action_no": _action_no(rows[i], table_cols),
                        "row": i + 1,
                    }
                )
        stated = rows[summa_row][j] if j < len(rows[summa_row]) else None
        if is_blank(stated):
            continue  # a hand-out template leaves the Summa to the office
        try:
            stated_number = parse_value(stated, "decimal")
        except CellError:
            continue  # the contract rejects an unreadable Summa itself
        if abs(stated_number - total) <= SUMMA_TOLERANCE_TKR:
            continue
        ref = f"{letter}{summa_row + 1}"
        message = (
            f"{name}, sheet {sheet}, cell {ref}: the Summa row states {stated_number:,.1f} tkr of {header} "
            f"but the actions add up to {total:,.1f} tkr"
        )
        text_total = sum(n for _, n in as_text)
        if as_text and abs(stated_number + text_total - total) <= SUMMA_TOLERANCE_TKR:
            message += (
                f"; the difference is what a spreadsheet's SUM leaves out: {', '.join(r for r, _ in as_text)} "
                f"typed as text ({text_total:,.1f} tkr)"
            )
        out.append({"check_rule": "summa_mismatch", "check_cell": ref, "check_message": message, "row": summa_row + 1})
    return out


def _action_no(row: list[object], table_cols: dict[str, int]) -> int | None:
    j = table_cols["action_no"]
    try:
        return parse_value(row[j], "integer") if j < len(row) and not is_blank(row[j]) else None
    except CellError:
        return None
