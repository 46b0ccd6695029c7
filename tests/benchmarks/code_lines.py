"""Lines of code in Python files without their docstrings, comments and blank lines (issue 14's measure of the
ingest machinery counts physical lines, `wc -l`; this says how much of that is code).

    .venv/bin/python -m tests.benchmarks.code_lines sources/lib/{readers,validate,types,cells}.py
"""

from __future__ import annotations

import ast
import io
import sys
import tokenize
from pathlib import Path

_NOT_CODE = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER}


def code_lines(source: str) -> int:
    docstrings: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(getattr(first.value, "value", None), str):
                docstrings.update(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    lines: set[int] = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type not in _NOT_CODE:
            lines.update(n for n in range(token.start[0], token.end[0] + 1) if n not in docstrings)
    return len(lines)


def main() -> None:
    total = 0
    for name in sys.argv[1:]:
        count = code_lines(Path(name).read_text(encoding="utf-8"))
        total += count
        print(f"{count:6d} {name}")
    print(f"{total:6d} total")


if __name__ == "__main__":
    main()
