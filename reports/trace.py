"""The evidence behind one published figure, for a funder: its value (or why it is missing), definition and
formula, and every source row that contributes, with the file's SHA-256, original name, sheet, row and vintage
(rpt_indicator_evidence). The rows are recomputed into the figure by the catalogue's formula_kind: counts and sums
add up, shares and ratios show numerator and denominator totals, changes both years; funding rows carry the
amount as entered, its unit and currency and the ECB rate row used. Written as CSV and as a workbook, in the
workbook's language, both safe against formula injection. `make trace` (orchestration/trace.py) is the command.

load_trace() is a plain function over a warehouse (the DuckDB file or the PostgreSQL database; warehouse.read reads
both alike): the current one, or one rebuilt from a published revision's manifest.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

from reports.labels import LABELS, label, unit_label
from reports.layout import FORMULA_PREFIXES, put
from reports.missing import missing_text, source_states
from reports.stable_xlsx import stable_xlsx_bytes
from warehouse import Warehouse, WarehouseError
from warehouse.read import Reader, read_only

EVIDENCE_COLUMNS = [
    "part",
    "role",
    "contribution",
    "source_name",
    "item",
    "source_file_sha256",
    "source_file_name",
    "source_sheet",
    "source_row",
    "vintage_at",
    "original_amount",
    "original_unit",
    "original_currency",
    "fx_sek_per_eur",
    "fx_rate_date",
]
# the labels of EVIDENCE_COLUMNS, in order
COLUMN_LABELS = [
    "trace_col_part",
    "trace_col_role",
    "trace_col_contribution",
    "source",
    "trace_col_item",
    "sha256",
    "file_name",
    "trace_col_sheet",
    "trace_col_row",
    "trace_col_vintage",
    "trace_col_original_amount",
    "trace_col_original_unit",
    "trace_col_original_currency",
    "trace_col_rate",
    "trace_col_rate_date",
]
PARTS = ["value", "numerator", "denominator", "current", "baseline", "supporting"]
# parts the figure is computed from, per formula_kind
KIND_PARTS = {
    "count": ["value"],
    "sum": ["value"],
    "share": ["numerator", "denominator"],
    "ratio": ["numerator", "denominator"],
    "change": ["current", "baseline"],
}
# OWASP (CSV injection): a cell starting with one of these is read as a formula by spreadsheet programs
CSV_FORMULA_PREFIXES = (*FORMULA_PREFIXES, "\t", "\r")


class TraceError(RuntimeError):
    pass


@dataclass(frozen=True)
class Trace:
    indicator_id: str
    period: str
    geography_code: str
    figure: dict[str, object]  # the fct_indicator_values row with its catalogue entry
    evidence: list[dict[str, object]]  # rpt_indicator_evidence rows, in PARTS order
    states: dict[str, str]  # each source's state (rpt_source_vintages), for the reason a figure is missing

    @property
    def kind(self) -> str:
        return str(self.figure["formula_kind"])

    @property
    def totals(self) -> dict[str, float]:
        """The sum of the contributions per part the figure is computed from (supporting rows are not summed)."""
        sums = dict.fromkeys(KIND_PARTS.get(self.kind, []), 0.0)
        for r in self.evidence:
            if r["part"] in sums and r["contribution"] is not None:
                sums[str(r["part"])] += float(r["contribution"])
        return sums

    @property
    def contribution_total(self) -> float:
        """For counts and sums: what the value rows add up to."""
        return self.totals.get("value", 0.0)

    @property
    def recomputed(self) -> float | None:
        """The figure computed again from the evidence rows alone."""
        t = self.totals
        if self.kind in ("count", "sum"):
            return t["value"]
        if self.kind == "share":
            return 100 * t["numerator"] / t["denominator"] if t["denominator"] else None
        if self.kind == "ratio":
            return t["numerator"] / t["denominator"] if t["denominator"] else None
        if self.kind == "change":
            return 100 * (t["current"] / t["baseline"] - 1) if t["baseline"] else None
        return None

    @property
    def agrees(self) -> bool | None:
        """Whether the rows recompute the published value (None when the figure is missing)."""
        value, again = self.figure["value"], self.recomputed
        if value is None:
            return None
        # amounts are summed exactly in the warehouse and as doubles here: within a krona of a million
        return again is not None and math.isclose(float(value), again, rel_tol=1e-9, abs_tol=1e-6)


CATALOGUE = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds" / "indicator_catalogue.csv"


def headline_geography_code(headline_geography: str) -> str:
    """The geography an indicator's figure is traced for when none is given (the catalogue's headline_geography)."""
    return "non_members" if headline_geography == "comparison" else "SE"


def check_published(report: Path, indicator_id: str, period: str, geography_code: str | None) -> None:
    """Refuse, in a second rather than after a rebuild of a minute, a figure the published workbook does not hold:
    its long-format data sheet lists every indicator, period and geography it published (missing values too)."""
    try:
        workbook = load_workbook(report, read_only=True)
    except Exception as exc:  # openpyxl's errors for a file that is no workbook (zip, XML, content types)
        said = f"{report.name} cannot be read as a workbook ({type(exc).__name__}): not a published one"
        raise TraceError(said) from exc
    try:
        language = next((lang for lang in ("sv", "en") if label("sheet_data", lang) in workbook.sheetnames), None)
        if language is None:
            raise TraceError(f"{report.name} has no sheet {label('sheet_data', 'sv')!r}: not a published workbook")
        rows = workbook[label("sheet_data", language)].iter_rows(values_only=True)
        wanted = [label(k, language) for k in ("indicator_id", "period", "geography_code")]
        header = next((r for r in rows if all(w in r for w in wanted)), None)
        if header is None:
            raise TraceError(f"{report.name}: the sheet {label('sheet_data', language)!r} has no header row")
        at = [header.index(w) for w in wanted]
        published: dict[str, dict[str, set[str]]] = {}
        for row in rows:
            if row[at[0]] is not None:
                published.setdefault(str(row[at[0]]), {}).setdefault(str(row[at[2]]), set()).add(str(row[at[1]]))
    finally:
        workbook.close()
    if indicator_id not in published:
        raise TraceError(f"{indicator_id!r} is not in {report.name}; its indicators: {', '.join(published)}")
    geographies = published[indicator_id]
    if geography_code is None:  # the trace takes the headline geography, from the catalogue the rebuild seeds
        with CATALOGUE.open(encoding="utf-8", newline="") as fh:
            entry = next((r for r in csv.DictReader(fh) if r["indicator_id"] == indicator_id), None)
        if entry is None:  # published by an older catalogue: the rebuild says what the current one holds
            return
        geography_code = headline_geography_code(entry["headline_geography"])
    if period in geographies.get(geography_code, set()):
        return
    shown = "; ".join(f"{code}: {min(p)} to {max(p)}" for code, p in list(geographies.items())[:8])
    more = f" (and {len(geographies) - 8} more geographies)" if len(geographies) > 8 else ""
    where = f" {geography_code}" if geography_code else ""
    raise TraceError(f"{report.name} has no figure for {indicator_id} {period}{where}; it has {shown}{more}")


def load_trace(warehouse: Warehouse | Path, indicator_id: str, period: str, geography_code: str | None = None) -> Trace:
    """The figure of one indicator, period and geography (default: its headline geography, SE or non_members)
    with its evidence, read from the warehouse given (a Path is a DuckDB file)."""
    target = Warehouse.duckdb(warehouse) if isinstance(warehouse, Path) else warehouse
    if not target.is_postgres and not Path(str(target.path)).exists():
        raise TraceError(f"no warehouse at {target.path}: run `make run` first")
    try:
        with read_only(target) as con:
            return _load_trace(con, indicator_id, period, geography_code)
    except WarehouseError as exc:
        raise TraceError(str(exc)) from exc


def _load_trace(con: Reader, indicator_id: str, period: str, geography_code: str | None) -> Trace:
    catalogue = con.rows("select * from reference.indicator_catalogue where indicator_id = ?", [indicator_id])
    if not catalogue:
        known = [r["indicator_id"] for r in con.rows("select indicator_id from reference.indicator_catalogue "
                                                     "order by sort_order")]  # fmt: skip
        raise TraceError(f"{indicator_id!r} is not in the indicator catalogue; its indicators: {', '.join(known)}")
    entry = catalogue[0]
    if geography_code is None:
        geography_code = headline_geography_code(entry["headline_geography"])
    found = con.rows(
        "select * from marts.fct_indicator_values where indicator_id = ? and period = ? and geography_code = ?",
        [indicator_id, period, geography_code],
    )
    if not found:
        available = con.rows(
            "select geography_type, geography_code, min(period) as first, max(period) as last, count(*) as n "
            "from marts.fct_indicator_values where indicator_id = ? group by geography_type, geography_code "
            "order by 1, 2",
            [indicator_id],
        )
        shown = "; ".join(
            f"{a['geography_type']} {a['geography_code']}: {a['first']} to {a['last']}" for a in available[:8]
        )
        more = f" (and {len(available) - 8} more geographies)" if len(available) > 8 else ""
        raise TraceError(f"no figure for {indicator_id} {period} {geography_code}; published: {shown or 'none'}{more}")
    figure = {**entry, **found[0]}
    evidence = con.rows(
        f"select {', '.join(EVIDENCE_COLUMNS)} from reports.rpt_indicator_evidence "
        "where indicator_id = ? and period = ? and geography_type = ? and geography_code = ? "
        "order by source_name, item, source_file_sha256, source_row",
        [indicator_id, period, figure["geography_type"], geography_code],
    )
    # in PARTS order (a stable sort keeps the warehouse's order within a part)
    evidence.sort(key=lambda r: PARTS.index(str(r["part"])) if r["part"] in PARTS else len(PARTS))
    states = source_states(con.rows("select source_name, source_state from reports.rpt_source_vintages"))
    return Trace(indicator_id, period, geography_code, figure, evidence, states)


def csv_safe(value: object) -> object:
    """A text that a spreadsheet would run as a formula gets a leading apostrophe (OWASP's advice for CSV)."""
    if isinstance(value, str) and value.startswith(CSV_FORMULA_PREFIXES):
        return "'" + value
    return value


def _text(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _label_of(prefix: str, code: object, language: str) -> object:
    key = f"{prefix}:{code}"
    return label(key, language) if key in LABELS else code


def _cells(row: Mapping[str, object], language: str) -> list[object]:
    """One evidence row as it is written: part and role in the language, dates as text."""
    return [
        _label_of(name, row[name], language) if name in ("part", "role") else _text(row[name])
        for name in EVIDENCE_COLUMNS
    ]


def _facts(trace: Trace, language: str) -> list[tuple[str, object]]:
    L = lambda key: label(key, language)  # noqa: E731
    f = trace.figure
    value = f["value"] if f["value"] is not None else missing_text(f, language, trace.states)
    facts: list[tuple[str, object]] = [
        (L("indicator"), f"{trace.indicator_id}: {f[f'name_{language}']}"),
        (L("period"), trace.period),
        (L("trace_geography"), f"{f['geography_type']} {trace.geography_code}"),
        (L("trace_value"), value),
        (L("unit"), unit_label(f["unit"], language)),
        (L("definition"), f[f"definition_{language}"]),
        (L("formula"), f["formula"]),
        (L("trace_kind"), _label_of("kind", trace.kind, language)),
    ]
    facts += [(f"{L('trace_total')}: {label('part:' + part, language)}", total) for part, total in trace.totals.items()]
    if f["value"] is not None:
        facts += [
            (L("trace_recomputed"), trace.recomputed),
            (L("trace_agrees"), L("yes") if trace.agrees else L("no")),
        ]
    facts += [(L("trace_rows"), len(trace.evidence))]
    return facts


def to_csv(trace: Trace, language: str = "sv") -> str:
    """The evidence as CSV: a few '#' lines of facts (and the note on formula safety), then one row per source row,
    each carrying the figure it belongs to. Every text cell is quoted; one a spreadsheet would run as a formula
    gets a leading apostrophe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow([f"# {label('trace_title', language)}"])
    for key, value in _facts(trace, language):
        writer.writerow([csv_safe(f"# {key}: {_text(value)}")])
    writer.writerow([f"# {label('trace_text_safety', language)}"])
    header = ["indicator", "period", "trace_geography", "trace_value", "unit", *COLUMN_LABELS]
    writer.writerow([label(k, language) for k in header])
    published = trace.figure["value"] if trace.figure["value"] is not None else label("no_data", language)
    for r in trace.evidence:
        cells = [trace.indicator_id, trace.period, trace.geography_code, published, trace.figure["unit"]]
        writer.writerow([csv_safe(c) for c in [*cells, *_cells(r, language)]])
    return out.getvalue()


def to_workbook(trace: Trace, language: str = "sv") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = label("trace_sheet", language)
    put(ws, 1, 1, label("trace_title", language)).font = Font(bold=True, size=13)
    facts = [*_facts(trace, language), ("", label("trace_text_safety", language))]
    for i, (key, value) in enumerate(facts, start=3):
        put(ws, i, 1, key).font = Font(bold=True)
        put(ws, i, 2, value).alignment = Alignment(wrap_text=isinstance(value, str) and len(value) > 60)
    top = len(facts) + 4
    for j, name in enumerate(COLUMN_LABELS, start=1):
        put(ws, top, j, label(name, language)).font = Font(bold=True)
    for i, r in enumerate(trace.evidence, start=top + 1):
        for j, value in enumerate(_cells(r, language), start=1):
            put(ws, i, j, value)  # text stays text (the workbook's safe-text rule)
    ws.freeze_panes = ws.cell(row=top + 1, column=1)
    widths = [16, 34, 14, 22, 30, 66, 30, 14, 8, 24, 14, 10, 10, 12, 12]
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(row=1, column=j).column_letter].width = width
    ws.column_dimensions["B"].width = 60
    stamp = max((r["vintage_at"] for r in trace.evidence if r["vintage_at"]), default=dt.datetime(2000, 1, 1))
    return stable_xlsx_bytes(wb, stamp, title=f"{label('trace_sheet', language)} {trace.indicator_id} {trace.period}")


def write_trace(trace: Trace, folder: Path, language: str = "sv") -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{trace.indicator_id}-{trace.period}-{trace.geography_code}-{language}"
    csv_path, xlsx_path = folder / f"{stem}.csv", folder / f"{stem}.xlsx"
    csv_path.write_text(to_csv(trace, language), encoding="utf-8")
    xlsx_path.write_bytes(to_workbook(trace, language))
    return csv_path, xlsx_path
