"""A wide emission-inventory sheet: header rows, `City ID | City | Country | Sector | <year> …`, one row per
city and sector. The year columns are unpivoted to one value per row with numpy, each keeping its Excel column
letter for error messages."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from sources.lib.cells import Cells, RawTable, is_blank, to_text
from sources.lib.contract import SourceContract
from sources.lib.errors import SourceFileError
from sources.lib.readers import check_merged, column_letter, find_header_row, read_sheet
from sources.lib.types import CellError, parse_value

LABELS = ["City ID", "City", "Country", "Sector"]
COLUMNS = ["city_id", "city_name", "country_code", "sector"]


def parse(path: Path, name: str, contract: SourceContract) -> RawTable:
    data = read_sheet(path, name, contract.reader.get("sheet"))
    sheet, rows = data.name, data.rows
    h = find_header_row(rows, contract.reader.get("header_anchor", LABELS[0]), name, sheet)
    header = [to_text(v) if not is_blank(v) else "" for v in rows[h]]
    if header[:4] != LABELS:
        raise SourceFileError(
            name, "template_drift", f"expected the columns {LABELS}, found {header[:4]}", sheet=sheet, row=h + 1
        )
    years: list[tuple[int, int]] = []
    for pos in range(4, len(header)):
        if not header[pos]:
            continue
        try:
            years.append((pos, parse_value(rows[h][pos], "integer")))
        except CellError as exc:
            raise SourceFileError(
                name, "template_drift", f"year header: {exc.message}", sheet=sheet, row=h + 1, column=column_letter(pos)
            ) from exc
    if not years:
        raise SourceFileError(name, "template_drift", "no year columns after Sector", sheet=sheet, row=h + 1)
    check_merged(data, name, h + 1, None, [0, 1, 2, 3, *(pos for pos, _ in years)])
    width = max(pos for pos, _ in years) + 1
    body = [
        (i + 1, r)
        for i, r in enumerate(rows[h + 1 :], start=h + 1)
        if r and (not is_blank(r[0]) or not all(is_blank(v) for v in r))
    ]
    numbers = np.array([n for n, _ in body], dtype=np.int64)
    grid = np.empty((len(body), width), dtype=object)
    for k, (_, r) in enumerate(body):
        cells = list(r[:width])
        grid[k, : len(cells)] = cells
    positions = [pos for pos, _ in years]
    del data, rows  # the grid holds the cells now
    n_years, n_body = len(years), len(body)
    values = grid[:, positions]
    flat = values.reshape(-1)
    flat[flat == ""] = None  # calamine's empty cell; blank either way
    if pd.api.types.infer_dtype(flat, skipna=True) in ("floating", "integer", "mixed-integer-float", "empty"):
        flat = flat.astype(np.float64)  # the usual case, only numbers: no Python object per value from here on
    letters = pa.array([column_letter(p) for p in positions])
    # each label once, repeated by index: a city's 35 values share its cells
    columns = {c: _repeated(grid[:, j], n_years) for j, c in enumerate(COLUMNS)}
    columns["year"] = Cells.of(np.tile(np.array([y for _, y in years], dtype=np.float64), n_body))
    columns["emissions_t"] = Cells.of(flat)
    at = pa.DictionaryArray.from_arrays(pa.array(np.tile(np.arange(n_years, dtype=np.int16), n_body)), letters)
    return RawTable(
        columns,
        np.repeat(numbers, n_years),
        {c: column_letter(j) for j, c in enumerate(COLUMNS)},
        sheet=sheet,
        columns_at={"emissions_t": at},
    )


def _repeated(cells: np.ndarray, times: int) -> Cells:
    """A label column, each record's cell repeated `times`: dictionary-encoded where every label is text."""
    codes, labels = pd.factorize(cells, use_na_sentinel=True)
    dictionary = Cells.of(list(labels))
    if dictionary.number is dictionary.flag is dictionary.when is None:
        index = np.repeat(codes, times)
        return Cells(pa.DictionaryArray.from_arrays(pa.array(index, mask=index < 0), dictionary.text))
    return Cells.of(np.repeat(cells, times))
