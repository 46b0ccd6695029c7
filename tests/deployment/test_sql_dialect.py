"""Every model, test and macro is written in SQL both DuckDB and PostgreSQL run (docs/deployment.md).

The scan reads the project's own SQL (Jinja tags, comments and string literals blanked out, so that line numbers
stay true and a word in a comment or a regular expression does not count) and fails on each DuckDB-only
construct, naming the file, the line and what to write instead (macros/cross_db.sql lists the replacements).
A macro's `duckdb__` and `postgres__` variants (adapter.dispatch) are where each engine's own SQL belongs and are
not scanned; a `duckdb__` variant without its `postgres__` twin fails.
The SQL of unit-test fixtures and of data types in the YAML files is scanned too.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

PROJECT = Path(__file__).resolve().parents[2] / "dbt_project"

# (pattern, what to write instead); patterns see code only: no comments, no string contents, no Jinja
RULES: list[tuple[str, str]] = [
    (r"\bqualify\b", "qualify: {{ latest_vintage(...) }} / {{ newest_file_rows(...) }}, or distinct on ... order by"),
    (r"\bgroup\s+by\s+all\b", "group by all: write the grouped columns or expressions out"),
    (r"\bany_value\s*\(", "any_value(): min() (deterministic), or bool_or() for a boolean"),
    (r"(?<![.\w])date_?diff\s*\(", "datediff(): {{ dbt.datediff('start', 'end', 'day') }}"),
    (
        r"\b(year|quarter|month|day|week|dayofweek|dayofyear|hour|minute)\s*\(",
        "year()/quarter()/...: cast(extract(year from x) as integer)",
    ),
    (r"\brange\s*\(", "range(): generate_series(start, stop, interval '...') (inclusive of stop)"),
    (r"\bregexp_extract(_all)?\s*\(", "regexp_extract_all(): {{ regexp_matches_joined(...) }}"),
    (r"\bregexp_matches\s*\(", "regexp_matches() is a boolean in DuckDB, rows in PostgreSQL: regexp_like or ~"),
    (r"\*\s*(exclude|replace)\b", "select * exclude/replace: list the columns"),
    (r"\bread_(parquet|csv|csv_auto|json|json_auto|xlsx)\s*\(", "read_parquet(): a dbt source (source())"),
    (r"\bstrip_accents\s*\(", "strip_accents(): {{ strip_accents('expression') }}"),
    (r"\bcontains\s*\(", "contains(s, t): strpos(s, t) > 0"),
    (r"\binterval\s+\d", "interval 3 month: interval '3 month'"),
    (r"\bdouble\b(?!\s+precision)", "double: double precision"),
    (r"\basof\b", "asof join: a range join on [valid_from, next valid_from)"),
    (r"\bmedian\s*\(", "median(): {{ median('expression') }}"),
    (r"\b(list_\w+|list|struct_\w+|array_length|len)\s*\(", "DuckDB list/struct functions: rows and joins"),
    (r"\{\s*'", "struct literal {'k': v}: columns"),
    (
        r"\b(strftime|strptime|epoch|epoch_ms|try_cast|count_if|arg_max|arg_min|max_by|min_by|ifnull|hash)\s*\(",
        "DuckDB-only function: see macros/cross_db.sql",
    ),
    (r"\b(string_split|str_split|last_day|today)\s*\(", "DuckDB-only function: split_part, dbt.last_day, current_date"),
    (r"\b(un)?pivot\b", "pivot/unpivot: conditional aggregates / union all"),
    (r"//", "// (integer division): cast(a / b as integer) or floor()"),
    (r"\bunion\s+(all\s+)?by\s+name\b", "union by name: list the columns, a typed null where one side lacks one"),
    (r"\bto_(days|hours|minutes|seconds|weeks|months|years)\s*\(", "to_days(n): n * interval '1 day'"),
    (r"\bisnan\s*\(|\bisinf\s*\(", "isnan(x)/isinf(x): x in (cast('NaN' as double precision), ...)"),
]
OLD_LATEST_VINTAGE = re.compile(r"latest_vintage\(\s*\[")
VIEW_CONFIG = re.compile(r"materialized\s*=\s*['\"]view['\"]\s*\)")


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def code_only(text: str) -> str:
    """The SQL with Jinja, comments and string contents blanked (newlines kept, so line numbers hold)."""
    text = re.sub(r"\{%-?\s*macro\s+(duckdb|postgres)__.*?\{%-?\s*endmacro\s*-?%\}", _blank, text, flags=re.S)
    text = re.sub(r"\{#.*?#\}", _blank, text, flags=re.S)
    text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", _blank, text, flags=re.S)
    # left to right, so that a quote in a comment or "--" in a string is taken for what it is
    return re.sub(r"--[^\n]*|'(?:[^']|'')*'|\"[^\"]*\"", _blank_token, text)


def _blank_token(match: re.Match[str]) -> str:
    token = match.group(0)
    if token.startswith("--"):
        return _blank(match)
    return token[0] + re.sub(r"[^\n]", " ", token[1:-1]) + token[-1]


def dialect_problems(text: str, where: str) -> list[str]:
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        if OLD_LATEST_VINTAGE.search(line):
            problems.append(
                f"{where}:{number}: latest_vintage([...]) after a from clause was DuckDB's qualify: "
                "latest as ( {{ latest_vintage('source', [...]) }} )"
            )
        if VIEW_CONFIG.search(line) and "source(" in text:
            problems.append(
                f"{where}:{number}: a view over a source blocks the PostgreSQL load step's rebuild of "
                "its raw table: materialized='view' if target.type == 'duckdb' else 'table'"
            )
    for number, line in enumerate(code_only(text).splitlines(), start=1):
        for pattern, advice in RULES:
            if re.search(pattern, line, flags=re.I):
                problems.append(f"{where}:{number}: {advice}")
    for variant in re.findall(r"\{%-?\s*macro\s+duckdb__(\w+)", text):
        if not re.search(rf"\{{%-?\s*macro\s+postgres__{variant}\b", text):
            problems.append(f"{where}: macro duckdb__{variant} has no postgres__{variant}")
    return problems


def _yaml_sql(node: object, path: str = "") -> list[tuple[str, str]]:
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{path}.{key}" if path else str(key)
            if key in ("sql", "expression", "data_type") and isinstance(value, str):
                found.append((here, value))
            else:
                found += _yaml_sql(value, here)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            name = item.get("name", i) if isinstance(item, dict) else i
            found += _yaml_sql(item, f"{path}[{name}]")
    return found


def project_problems(project: Path = PROJECT) -> list[str]:
    problems = []
    for path in sorted(
        [*project.glob("models/**/*.sql"), *project.glob("tests/**/*.sql"), *project.glob("macros/**/*.sql")]
    ):
        problems += dialect_problems(path.read_text(encoding="utf-8"), str(path.relative_to(project)))
    for path in sorted([*project.glob("models/**/*.yml"), *project.glob("seeds/**/*.yml")]):
        for where, sql in _yaml_sql(yaml.safe_load(path.read_text(encoding="utf-8"))):
            for problem in dialect_problems(sql, f"{path.relative_to(project)} {where}"):
                problems.append(problem.replace(":1:", ":", 1))
    return problems


def test_the_project_has_no_duckdb_only_sql() -> None:
    problems = project_problems()
    assert not problems, "DuckDB-only SQL (PostgreSQL would reject it or compute otherwise):\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "sql",
    [
        "select * from source qualify row_number() over (partition by a order by b) = 1",
        "select a, count(*) from t group by all",
        "select any_value(name) from t group by id",
        "select datediff('day', a, b) from t",
        "select year(d) || 'Q' || quarter(d) from t",
        "select * from range(date '2019-01-01', date '2020-01-01', interval 3 month) as q (s)",
        "select array_to_string(regexp_extract_all(x, 'c (\\d+)', 1), ';') from t",
        "select * exclude (x) from t",
        "select * from read_parquet('raw/x/*.parquet')",
        "select strip_accents(name) from t",
        "select contains(topics, '-CIT-') from t",
        "select cast(x as double) from t",
        "select * from a asof left join b on a.d >= b.d",
        "select median(x) from t",
        "select list(x) from t",
        "select a from x union all by name select a from y",
        "select d + to_days(3) from t",
        "select isnan(x) from t",
        "{{ latest_vintage(['record_id']) }}",
        "{% macro duckdb__thing() %}select 1{% endmacro %}",
        "{{ config(materialized='view') }}\nselect * from {{ source('a', 'raw') }}",
    ],
)
def test_each_duckdb_construct_is_named(sql: str) -> None:
    problems = dialect_problems(sql, "models/example.sql")
    assert problems
    assert all(p.startswith("models/example.sql:1: ") or p.startswith("models/example.sql: macro") for p in problems)


@pytest.mark.parametrize(
    "sql",
    [
        "-- qualify in a comment, any_value(x) too\nselect 1",
        "select 'interval 3 month, year(' as text_only",
        "select cast(x as double precision), extract(year from d), {{ dbt.datediff('a', 'b', 'day') }} from t",
        "{{ latest_vintage('source', ['record_id']) }}",
        "{% macro duckdb__x() %}select median(x) qualify 1{% endmacro %}{% macro postgres__x() %}1{% endmacro %}",
        'select "year" from t',
        "{{ config(materialized='view' if target.type == 'duckdb' else 'table') }}\n"
        "select * from {{ source('a', 'b') }}",
        "{{ config(materialized='view') }}\nselect * from {{ ref('fct_x') }}",
    ],
)
def test_portable_sql_passes(sql: str) -> None:
    assert dialect_problems(sql, "models/example.sql") == []
