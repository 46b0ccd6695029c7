"""A CSV body parsed by Arrow's C++ reader, only where the result is provably what Python's `csv` module gives.

`sources.readers.read_csv` parses with Python's `csv` module in strict mode: it knows the line each record starts
on, rejects a quote followed by anything but a separator or a line end, skips blank records and pads short ones.
That costs time per field (docs/benchmarks.md: CORDIS organisations). Arrow parses the same bytes much faster
but is lenient where `csv` is strict (`"abc"def` reads as `abcdef`) and drops empty lines. So Arrow is used only
for a body that has none of what the two treat differently, checked on the bytes first, and otherwise the caller
falls back to the `csv` loop, which then gives its exact result or error:

* every quote belongs to a well-formed quoted field: it opens at a field's start, doubled quotes inside, the
  closing one followed by the separator or a line end (checked with numpy on the quote positions);
* carriage returns only as part of CRLF;
* every record has the header's number of fields, and none is blank throughout.

A record's line is where it starts, as the `csv` loop counts: line breaks inside quotes are skipped over.

`tests/unit/test_csv_fast.py` compares both parsers on thousands of generated files.
"""

from __future__ import annotations

import io

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

_QUOTE = ord('"')
_TERMINATORS = (ord("\r"), ord("\n"))
# What str.isspace() calls whitespace (Unicode 14): a record of only such characters is blank to the csv loop.
_BLANK = r"^[\t\n\x0b\x0c\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]*$"


_CHUNK = 1 << 22  # bytes scanned at a time: small arrays, reused, instead of one position per quote of the file


def _line_breaks(buf: np.ndarray, sep: int) -> tuple[np.ndarray, np.ndarray] | None:
    """Every line break's position and whether it is outside quotes (ends a record); None where a quote is not
    where strict `csv` reads it as Arrow does (see the module docstring).

    The k-th quote of the body has k quotes before it, so it opens a field (or is the second of a doubled quote)
    when k is even and closes one (or is the first of a doubled quote) when k is odd, and a line break is inside
    quotes when an odd number precede it. Only the bytes around each quote are looked at, a chunk at a time,
    without a Python step per quote.
    """
    breaks, outside = [], []
    seen = 0  # quotes before the chunk
    for start in range(0, len(buf), _CHUNK):
        chunk = buf[start : start + _CHUNK]
        quotes = np.flatnonzero(chunk == _QUOTE) + start
        first = seen % 2  # the chunk's first quote with an even count before it
        # the byte before an opening quote, after a closing one ("clip" reads the quote itself at either end of
        # the body, which is allowed: the body's start and end are a line's start and end)
        opening = buf.take(quotes[first::2] - 1, mode="clip")
        closing = buf.take(quotes[1 - first :: 2] + 1, mode="clip")
        # an opening quote follows a separator or a line end (or the other half of a doubled quote); a closing
        # one is followed by a separator or a line end (or the other half of a doubled quote)
        if not ((opening == sep) | (opening == ord("\n")) | (opening == _QUOTE)).all():
            return None
        if not ((closing == sep) | (closing == ord("\n")) | (closing == ord("\r")) | (closing == _QUOTE)).all():
            return None
        here = np.flatnonzero(chunk == ord("\n")) + start
        breaks.append(here)
        outside.append((seen + np.searchsorted(quotes, here)) % 2 == 0)
        seen += len(quotes)
    if seen % 2:  # a quoted field left open
        return None
    return np.concatenate(breaks or [np.zeros(0, np.int64)]), np.concatenate(outside or [np.zeros(0, bool)])


def _record_lines(buf: np.ndarray, breaks: np.ndarray, outside: np.ndarray) -> np.ndarray:
    """The line (1-based, in the body) each non-empty record starts on: after every line break outside quotes;
    a record that is an empty line is none (Arrow skips it, the csv loop skips it as blank)."""
    starts = np.concatenate([[0], breaks[outside] + 1])
    lines = np.concatenate([[1], np.flatnonzero(outside) + 2])
    keep = starts < len(buf)
    starts, lines = starts[keep], lines[keep]
    return lines[~np.isin(buf[starts], _TERMINATORS)]


def _any_blank_record(table: pa.Table) -> bool:
    """A record whose every field is whitespace (the csv loop skips it; Arrow keeps it): looked for field by field
    among the records still in question, so a typical file costs one regex pass over its first column."""
    candidates = table
    for name in table.column_names:
        if not candidates.num_rows:
            return False
        candidates = candidates.filter(pc.match_substring_regex(candidates.column(name), _BLANK))
    return candidates.num_rows > 0


def parse_body(
    data: bytes, sep: str, n_fields: int, wanted: list[int]
) -> tuple[list[pa.ChunkedArray], np.ndarray] | None:
    """The fields at the positions `wanted` of each record of `data` (what follows the header, UTF-8), as Arrow
    strings, and the line (1-based, in `data`) each record starts on; None where the `csv` loop must decide."""
    if not data or b"\0" in data or len(sep.encode("utf-8")) != 1:
        return None
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
        return None
    buf = np.frombuffer(data, dtype=np.uint8)
    found = _line_breaks(buf, ord(sep))
    if found is None:
        return None
    lines = _record_lines(buf, *found)
    names = [str(i) for i in range(n_fields)]
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(
                delimiter=sep, quote_char='"', double_quote=True, escape_char=False, newlines_in_values=True
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.large_string()),  # what pandas' Arrow strings hold
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:  # a record with another number of fields: the csv loop names the line
        return None
    if table.num_rows != len(lines):
        return None
    if _any_blank_record(table):
        return None
    return [table.column(i) for i in wanted], lines
