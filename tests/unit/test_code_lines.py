"""The line counter of docs/benchmarks.md and issue 14's note: code lines, not docstrings, comments or blanks."""

from tests.benchmarks.code_lines import code_lines

SOURCE = '''"""A module docstring
over two lines."""

import os  # a comment after code counts as code


def f(x):
    """One line of docstring."""
    # a comment alone
    text = """a string that is
    not a docstring"""
    return (x,
            text)
'''


def test_counts_code_lines_only() -> None:
    # import; def f; text = (2 lines of the string); return (2 lines): counted by hand
    assert code_lines(SOURCE) == 6
