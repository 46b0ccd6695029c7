"""Errors that say where bad input is: file, sheet, row, column and the rule it broke."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class SourceFileError(Exception):
    """A file that cannot be read at all: it is quarantined whole."""

    file: str
    rule: str
    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = [f"file {self.file}"]
        if self.sheet is not None:
            where.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message} [rule: {self.rule}]"


def excerpt(value: object, limit: int = 60) -> str:
    """Text from a delivered file as a message may quote it: escaped (repr: no control characters, no line
    breaks, nothing a terminal or a spreadsheet would act on as it stands) and at most `limit` characters."""
    text = repr(value) if isinstance(value, str) else repr(str(value))
    return text if len(text) <= limit else text[: limit - 2] + "…'"


def excerpts(values: list[object], limit: int = 8) -> str:
    """A few values of a file, each an excerpt: a header row, a list of sheet names."""
    shown = ", ".join(excerpt(v, 40) for v in values[:limit])
    return f"[{shown}{', …' if len(values) > limit else ''}]"
