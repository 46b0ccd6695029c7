"""eurofxref-hist.csv: Date plus one column per currency, "N/A" for no rate, a trailing empty column.

Unpivoted to one rate per date and currency; "N/A" means the currency had no rate that day and gives no row.
"""

from __future__ import annotations

from pathlib import Path

from sources.lib.cells import RawTable
from sources.lib.contract import SourceContract
from sources.lib.errors import SourceFileError
from sources.lib.readers import decode_text

MISSING = {"N/A", ""}


def parse(path: Path, name: str, contract: SourceContract) -> RawTable:
    text = decode_text(path.read_bytes(), name, contract.reader.get("encoding", "utf-8"))
    lines = text.splitlines()
    if not lines:
        raise SourceFileError(name, "empty_file", "the file has no header line")
    sep = contract.reader.get("separator", ",")
    header = [h.strip() for h in lines[0].split(sep)]
    if header[0] != "Date":
        raise SourceFileError(name, "template_drift", f"the first column is {header[0]!r}, expected 'Date'", row=1)
    currencies = [(j, c) for j, c in enumerate(header) if j and c]
    wanted = set(contract.reader.get("currencies") or [c for _, c in currencies])
    records: dict[str, list[object]] = {c: [] for c in ["rate_date", "currency", "units_per_eur"]}
    rows: list[int] = []
    columns_at: list[str] = []  # a rate's cell is its currency's column
    for line_no, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        fields = line.split(sep)
        for j, currency in currencies:
            value = fields[j].strip() if j < len(fields) else ""
            if currency not in wanted or value in MISSING:
                continue
            records["rate_date"].append(fields[0])
            records["currency"].append(currency)
            records["units_per_eur"].append(value)
            rows.append(line_no)
            columns_at.append(currency)
    return RawTable.of(records, rows, {"rate_date": "Date"}, columns_at={"units_per_eur": columns_at})
