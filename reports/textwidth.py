"""How wide a text prints in the workbook's font, Arial (Liberation Sans where Arial is missing: the same
metrics), so that column widths and row heights fit what they hold.

The advance widths are Liberation Sans 2's (regular and bold, in thousandths of an em), for ASCII, Latin-1 and
the few symbols the workbook writes; tests/unit/test_workbook_layout.py measures the real font file instead.
Column widths are in Excel's units: characters of the default font's widest digit (7 px for Arial 10) plus
5 px of padding.
"""

from __future__ import annotations

import math

FONT = "Arial"
CHARS = "".join(map(chr, [*range(32, 127), *range(160, 256)])) + "–—‘’“”•…≥≤↑↓→←▲▼►●€‰−≈"
# fmt: off
_REGULAR = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667,
    556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556,
    556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722,
    500, 500, 500, 334, 260, 334, 584, 278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737,
    552, 400, 549, 333, 333, 333, 576, 537, 333, 333, 333, 365, 556, 834, 834, 834, 611, 667, 667, 667, 667, 667,
    667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, 722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722,
    722, 722, 667, 667, 611, 556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278, 556,
    556, 556, 556, 556, 556, 556, 549, 611, 556, 556, 556, 556, 500, 556, 500, 556, 1000, 222, 222, 333, 333, 350,
    1000, 549, 549, 500, 500, 1000, 1000, 990, 990, 990, 604, 556, 1000, 584, 549,
)
_BOLD = (
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722,
    611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556,
    611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778,
    556, 556, 500, 389, 280, 389, 584, 278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737,
    552, 400, 549, 333, 333, 333, 576, 556, 333, 333, 333, 365, 556, 834, 834, 834, 611, 722, 722, 722, 722, 722,
    722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, 722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722,
    722, 722, 667, 667, 611, 556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278, 611,
    611, 611, 611, 611, 611, 611, 549, 611, 611, 611, 611, 611, 556, 611, 556, 556, 1000, 278, 278, 500, 500, 350,
    1000, 549, 549, 500, 500, 1000, 1000, 990, 990, 990, 604, 556, 1000, 584, 549,
)
# fmt: on
_INDEX = {c: i for i, c in enumerate(CHARS)}
_WIDE = 1000  # an unknown character counts as wide as an em: never narrower than it prints
DIGIT_PX = 7  # Arial 10's widest digit at 96 dpi: the unit of column widths
PADDING_PX = 5
LINE_HEIGHT = 1.15  # Arial's ascent + descent + gap (1854 + 434 + 67 of 2048 units)


def text_width_pt(text: str, size: float, bold: bool = False) -> float:
    """Width of one line of text in points."""
    table = _BOLD if bold else _REGULAR
    return sum(table[_INDEX[c]] if c in _INDEX else _WIDE for c in text) * size / 1000


def column_text_pt(width: float) -> float:
    """Points available to text in a column of `width` (Excel's width units)."""
    return (math.floor(width * DIGIT_PX) - PADDING_PX) * 0.75


def merged_text_pt(widths: list[float]) -> float:
    """Points available to text in merged columns of these widths."""
    return (sum(math.floor(w * DIGIT_PX) for w in widths) - PADDING_PX) * 0.75


def width_for_text_pt(points: float) -> float:
    """The narrowest column width (Excel's units, in quarters) whose text area holds `points`."""
    pixels = math.ceil(points / 0.75) + PADDING_PX + 1  # a pixel to spare for the programs' rounding
    return math.ceil(pixels / DIGIT_PX * 4) / 4


def wrapped_lines(text: str, width_pt: float, size: float, bold: bool = False) -> int:
    """Lines a wrapped cell needs: words are broken onto new lines as a spreadsheet does, a word longer than the
    line on its own is broken inside."""
    lines = 0
    for paragraph in str(text).split("\n"):
        lines += 1
        line = 0.0
        space = text_width_pt(" ", size, bold)
        for word in paragraph.split(" "):
            w = text_width_pt(word, size, bold)
            if line and line + space + w > width_pt:
                lines += 1
                line = 0.0
            if w > width_pt:  # a long word (a hash, a URL) breaks inside
                lines += math.ceil(w / width_pt) - 1
                w = w % width_pt
            line += (space if line else 0) + w
    return lines


def row_height_pt(lines: int, size: float) -> float:
    """A row height that shows `lines` lines of text of `size` points with a little air."""
    return math.ceil(lines * size * LINE_HEIGHT + 2.5)
