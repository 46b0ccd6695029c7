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
