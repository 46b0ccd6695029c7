"""The Arrow fast path of the CSV reader gives exactly what the strict `csv` loop gives, or steps aside.

Thousands of generated files mix what the two parsers treat differently (quotes after text, quoted line breaks,
CRLF and lone CR, blank and whitespace-only lines, short and long records, doubled quotes, non-ASCII
whitespace); each is read with and without the fast path and the results (or errors) must be identical.
"""

import random
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from sources.lib import csv_fast
from sources.lib.errors import SourceFileError
from sources.lib.readers import ROW, read_csv


@dataclass
class _Column:
    name: str
    header: str
    required: bool = False


@dataclass
class _Contract:
    columns: list[_Column]
    reader: dict[str, str] = field(default_factory=lambda: {"separator": ";", "encoding": "utf-8"})


CONTRACT = _Contract([_Column("a", "a", True), _Column("b", "b"), _Column("c", "c")])
FIELDS = [
    "", "x", "12,5", "Malmö", " ", "\xa0", "\u2003", '"q"', '"a;b"', '"l1\nl2"', '"l1\r\nl2"', '"he said ""hi"""',
    '""', '""""', 'ab"c', '"abc"def', '"abc" ', '  "x"', '"open', '"x"""y"', "\x1f", "tab\there",
]  # fmt: skip


def _read(path: Path) -> tuple[object, ...]:
    try:
        table = read_csv(path, path.name, CONTRACT)
    except SourceFileError as exc:
        return ("error", exc.rule, exc.row, str(exc))
    frame = table.frame
    return ("ok", frame[["a", "b", "c"]].to_numpy().tolist(), [int(r) for r in frame[ROW]], table.refs)


BENIGN = ["", "x", "12,5", "Malmö", '"q"', '"a;b"', '"l1\nl2"', '"he said ""hi"""', '""', '" padded "']


def _random_file(rng: random.Random) -> str:
    pool = BENIGN if rng.random() < 0.5 else FIELDS  # half the files are of the kind the fast path should take
    lines = []
    for _ in range(rng.randint(1, 6)):
        kind = rng.random()
        if kind < 0.04:
            lines.append(rng.choice(["", " ", ";;", '"";"";""', "\xa0;;"]))
            continue
        width = 3 if kind < 0.9 else rng.choice([1, 2, 4])
        fields = [rng.choice(pool) if rng.random() < 0.6 else rng.choice(["x", "y", '"z"']) for _ in range(width)]
        lines.append(";".join(fields))
    ending = rng.choice(["\n", "\n", "\r\n", "\r"])
    text = "a;b;c" + ending + ending.join(lines)
    return text + (ending if rng.random() < 0.8 else "")


@pytest.mark.parametrize("chunk", [3, 7, 1 << 22])  # bytes scanned at a time: quotes and lines across chunks
def test_fast_and_strict_readers_agree_on_generated_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(csv_fast, "_CHUNK", chunk)
    rng = random.Random(20261126 + chunk)
    path = tmp_path / "file.csv"
    taken = 0
    for _ in range(3000):
        text = _random_file(rng)
        path.write_bytes(text.encode("utf-8"))
        fast = _read(path)
        with monkeypatch.context() as m:
            m.setattr(csv_fast, "parse_body", lambda *a: None)
            strict = _read(path)
        assert fast == strict, repr(text)
        taken += csv_fast.parse_body(text.split("\n", 1)[-1].encode(), ";", 3, [0, 1, 2]) is not None
    assert taken > 750  # the fast path is really exercised, not always declined


def test_fast_path_takes_cordis_style_files_with_line_breaks_in_quotes(tmp_path: Path) -> None:
    body = b'"1";"Objective over\ntwo lines";"x"\r\n"2";"He said ""yes""";""\r\n\r\n"3";"";"z"\r\n'
    parsed = csv_fast.parse_body(body, ";", 3, [0, 1])
    assert parsed is not None
    columns, lines = parsed
    assert [c.to_pylist() for c in columns] == [["1", "2", "3"], ["Objective over\ntwo lines", 'He said "yes"', ""]]
    assert lines.tolist() == [1, 3, 5]  # where each record starts; line 4 is empty


@pytest.mark.parametrize(
    "body",
    ['"abc"def;x;y\n', 'x;"y" ;z\n', "a;b\n", "a;b;c;d\n", '"open;x;y\n', "a;b;c\r", " ;\xa0;\n"],
)
def test_fast_path_steps_aside_where_strict_csv_decides(body: str) -> None:
    assert csv_fast.parse_body(body.encode(), ";", 3, [0, 1, 2]) is None


def test_validated_rows_and_rejections_are_the_same_by_either_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CORDIS participations with broken cells of every kind: the Arrow-backed columns (text kept as is, labels
    converted once, decimals by Arrow) give the same accepted table and the same rejections as the loop's."""
    from sources.lib.contract import load_contract
    from sources.lib.paths import SOURCES_DIR
    from sources.lib.validate import validate

    contract = load_contract(SOURCES_DIR / "cordis_organizations")
    headers = [c.header for c in contract.columns]
    rng = random.Random(5)
    odd = {
        "projectID": ["", " 101", "101"],
        "organisationID": ["", "999", "99\u00a09", "Ö1"],
        "name": ["", "  ACME  ", "Malmö stad", "x\u2003"],
        "SME": ["true", "false", "", "maybe", " TRUE"],
        "role": ["coordinator", "participant", "boss", ""],
        "ecContribution": ["", "1.5", "1,5", "-3", "1e5", "abc", "1" * 400, "+7"],
        "contentUpdateDate": ["2026-09-10 08:14:32", "2026-13-01", "", "2026-09-10"],
        "order": ["1", "0", "x", "2.5", ""],
    }
    ok = {"decimal": "12.5", "integer": "1", "boolean": "true", "date": "2026-09-10"}

    def good(column, i: int) -> str:
        if column.allowed is not None:
            return sorted(column.allowed)[i % len(column.allowed)]
        return ok.get(column.type, f"{column.name} {i % 997}")

    lines = [";".join(f'"{h}"' for h in headers)]
    for i in range(3000):
        cells = [
            rng.choice(odd[c.header]) if c.header in odd and rng.random() < 0.1 else good(c, i)
            for c in contract.columns
        ]
        lines.append(";".join(f'"{c}"' for c in cells))
    path = tmp_path / "organization.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    fast = validate(read_csv(path, path.name, contract), contract)
    with monkeypatch.context() as m:
        m.setattr(csv_fast, "parse_body", lambda *a: None)
        strict = validate(read_csv(path, path.name, contract), contract)
    assert len(fast.rejected) > 100 and len(fast.accepted) > 1000
    rules = {"required", "duplicate_key", "not_a_number", "not_a_boolean", "invalid_date", "allowed_values", "minimum"}
    assert rules <= set(fast.rejected["rule"])
    assert fast.rejected.to_dict("records") == strict.rejected.to_dict("records")
    assert fast.accepted.dtypes.to_dict() == strict.accepted.dtypes.to_dict()
    assert fast.accepted.astype(object).where(fast.accepted.notna(), None).to_dict("records") == strict.accepted.astype(
        object
    ).where(strict.accepted.notna(), None).to_dict("records")


@pytest.mark.parametrize("head", [1, 4, 9, 1 << 16])
def test_the_header_read_from_the_files_start_is_the_one_the_whole_file_gives(
    monkeypatch: pytest.MonkeyPatch, head: int
) -> None:
    import csv
    import io

    from sources.lib import readers

    monkeypatch.setattr(readers, "_HEAD_CHARS", head)
    rng = random.Random(head)
    for _ in range(2000):
        header = ";".join(rng.choice(["a", '"b;c"', '"d\ne"', '""', '"x"y', "é"]) for _ in range(rng.randint(1, 3)))
        text = header + rng.choice(["\n", "\r\n", ""]) + "1;2;3\n"
        whole = csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"', strict=True)
        try:
            expected = (next(whole), whole.line_num)
        except (StopIteration, csv.Error) as exc:
            with pytest.raises(type(exc)):
                readers._read_header(text, ";")
            continue
        assert readers._read_header(text, ";") == expected, repr(text)
