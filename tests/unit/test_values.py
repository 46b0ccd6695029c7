"""The shared cell converters: good and bad inputs, each with the exact rule expected."""

import datetime as dt

import pytest

from sources.lib.values import (
    EXCEL_EPOCH_1904,
    CellError,
    parse_boolean,
    parse_date,
    parse_decimal,
    parse_integer,
    parse_municipality_code,
    to_text,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1234.5", 1234.5),
        ("1234,5", 1234.5),
        ("1 234,5", 1234.5),
        ("1\u00a0234,5", 1234.5),  # no-break space
        ("1\u202f234\u202f567", 1234567.0),  # narrow no-break space
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("-12,5", -12.5),
        ("\u221212,5", -12.5),  # the minus sign Excel exports
        (42, 42.0),
        (0.5, 0.5),
    ],
)
def test_decimal_accepts_swedish_and_international_forms(raw: object, expected: float) -> None:
    assert parse_decimal(raw) == expected


@pytest.mark.parametrize(
    ("raw", "rule"),
    [
        ("n/a", "not_a_number"),
        ("–", "not_a_number"),
        ("12,5 %", "not_a_number"),
        ("1,234,567", "ambiguous_number"),
        ("NaN", "not_a_number"),
        ("inf", "not_a_number"),
        (float("nan"), "not_a_number"),
        (True, "not_a_number"),
    ],
)
def test_decimal_rejects_text_and_ambiguity(raw: object, rule: str) -> None:
    with pytest.raises(CellError) as exc:
        parse_decimal(raw)
    assert exc.value.rule == rule


def test_decimal_comma_contract_flags_a_dotted_thousand() -> None:
    with pytest.raises(CellError) as exc:
        parse_decimal("1.234", decimal=",")
    assert exc.value.rule == "ambiguous_number"


def test_integer_rejects_fractions() -> None:
    assert parse_integer("2 025") == 2025
    with pytest.raises(CellError) as exc:
        parse_integer("12,5")
    assert exc.value.rule == "not_an_integer"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0180", "0180"),
        ("180", "0180"),  # a CSV tool dropped the leading zero
        (180, "0180"),  # Excel stored it as a number
        (180.0, "0180"),
        ("2480", "2480"),
    ],
)
def test_municipality_code_keeps_four_digits(raw: object, expected: str) -> None:
    assert parse_municipality_code(raw) == expected


@pytest.mark.parametrize("raw", ["18", "01800", "9999", "ABCD", "0099"])
def test_municipality_code_rejects_what_is_not_a_code(raw: str) -> None:
    with pytest.raises(CellError) as exc:
        parse_municipality_code(raw)
    assert exc.value.rule == "municipality_code"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-05-14", dt.date(2025, 5, 14)),
        (dt.datetime(2025, 5, 14, 13, 30), dt.date(2025, 5, 14)),
        (45791, dt.date(2025, 5, 14)),  # Excel serial date, 1900 system
    ],
)
def test_dates(raw: object, expected: dt.date) -> None:
    assert parse_date(raw) == expected


def test_excel_1904_epoch() -> None:
    # The same day is serial 45791 in the 1900 system and 44329 in the 1904 system (1462 days apart).
    assert parse_date(44329, epoch=EXCEL_EPOCH_1904) == dt.date(2025, 5, 14)


def test_month_precision_only_where_the_contract_allows() -> None:
    assert parse_date("2025-05", month_precision=True) == dt.date(2025, 5, 1)
    with pytest.raises(CellError) as exc:
        parse_date("2025-05")
    assert exc.value.rule == "invalid_date"


@pytest.mark.parametrize(
    ("raw", "rule"),
    [
        ("2025-02-30", "invalid_date"),
        (9_999_999, "date_out_of_range"),
        ("1899-01-01", "date_out_of_range"),
        ("14/05/2025", "invalid_date"),
    ],
)
def test_bad_dates(raw: object, rule: str) -> None:
    with pytest.raises(CellError) as exc:
        parse_date(raw)
    assert exc.value.rule == rule


def test_boolean_swedish_and_english() -> None:
    assert [parse_boolean(v) for v in ["ja", "Nej", "TRUE", "false", "1", "0"]] == [
        True,
        False,
        True,
        False,
        True,
        False,
    ]
    with pytest.raises(CellError):
        parse_boolean("kanske")


def test_text_is_nfc_normalised() -> None:
    decomposed = "Malmo\u0308"  # o + combining diaeresis, as macOS writes file names
    assert to_text(decomposed) == "Malmö"
    assert to_text(" Stockholm ") == "Stockholm"


def test_column_conversions_equal_the_cell_by_cell_ones() -> None:
    """Text kept as it is where to_text would not change it, decimals by Arrow's regex and cast: the same values
    and the same errors as converting every cell on its own."""
    import random

    import numpy as np

    from sources.lib.values import convert_array, convert_decimals, parse_decimal, to_text

    rng = random.Random(7)
    pieces = ["a", "Z", "9", " ", "\t", "\x1c", "\x1f", "\x0b", "\xa0", "\u2003", "o\u0308", "ö", "\n", "-", "."]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 5))) for _ in range(3000)]
    numbers = [
        rng.choice(["", "+", "-"]) + str(rng.randint(0, 10 ** rng.randint(0, 25))) + rng.choice(["", ".5", ".000001"])
        for _ in range(3000)
    ] + ["1" * 400, "1,5", "1 000", "٣", "abc", None, "inf", "1e5"]

    def cell_by_cell(values: list[object], convert) -> tuple[list[object], dict[int, str]]:
        out, errors = [], {}
        for i, v in enumerate(values):
            try:
                out.append(None if v is None or (isinstance(v, str) and not v.strip()) else convert(v))
            except CellError as exc:
                out.append(None)
                errors[i] = exc.message
        return out, errors

    values, errors = convert_array(np.array(texts, dtype=object), to_text)
    assert (values.tolist(), {i: e.message for i, e in errors.items()}) == cell_by_cell(texts, to_text)

    floats, errors = convert_decimals(np.array(numbers, dtype=object), parse_decimal, ".")
    expected, expected_errors = cell_by_cell(numbers, parse_decimal)
    assert [None if f != f else f for f in floats.tolist()] == expected
    assert {i: e.message for i, e in errors.items()} == expected_errors
