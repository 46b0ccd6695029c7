"""Each type's one path (sources.lib.types): good and bad cells, each with the exact value or rule expected.

Cells go through `parse_value`, which types a column of one cell the way the contract types every column."""

import datetime as dt

import pytest

from sources.lib.cells import EXCEL_EPOCH_1904, Cells
from sources.lib.types import CellError, blank, parse_value, typed


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
        ("", None),  # empty is missing, never zero
        ("  ", None),
    ],
)
def test_decimal_accepts_swedish_and_international_forms(raw: object, expected: float | None) -> None:
    assert parse_value(raw, "decimal") == expected


@pytest.mark.parametrize(
    ("raw", "rule", "message"),
    [
        ("n/a", "not_a_number", "expected a number, found 'n/a'"),
        ("–", "not_a_number", "expected a number written with the digits 0-9, found '–'"),
        ("12,5 %", "not_a_number", "expected a number, found '12,5 %'"),
        ("1,234,567", "ambiguous_number",
         "'1,234,567': a comma here would be a thousands separator; write the number without it"),
        ("NaN", "not_a_number", "expected a number, found 'NaN'"),
        ("inf", "not_a_number", "expected a number, found 'inf'"),
        ("١٢٣", "not_a_number", "expected a number written with the digits 0-9, found '١٢٣'"),
        ("１２３", "not_a_number", "expected a number written with the digits 0-9, found '１２３'"),
        ("1_000", "not_a_number", "expected a number, found '1_000'"),
        (float("inf"), "not_a_number", "expected a finite number, found inf"),
        (True, "not_a_number", "expected a number, found the boolean True"),
    ],
)  # fmt: skip
def test_decimal_rejects_text_and_ambiguity(raw: object, rule: str, message: str) -> None:
    with pytest.raises(CellError) as exc:
        parse_value(raw, "decimal")
    assert (exc.value.rule, exc.value.message) == (rule, message)


def test_decimal_comma_contract_flags_a_dotted_thousand() -> None:
    with pytest.raises(CellError) as exc:
        parse_value("1.234", "decimal", decimal=",")
    assert exc.value.rule == "ambiguous_number"
    assert parse_value("1.5", "decimal", decimal=",") == 1.5


def test_integer_rejects_fractions() -> None:
    assert parse_value("2 025", "integer") == 2025
    assert parse_value(2025.0, "integer") == 2025
    with pytest.raises(CellError) as exc:
        parse_value("12,5", "integer")
    assert (exc.value.rule, exc.value.message) == ("not_an_integer", "expected a whole number, found '12,5'")


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
    assert parse_value(raw, "municipality_code") == expected


@pytest.mark.parametrize("raw", ["18", "01800", "9999", "ABCD", "0099"])
def test_municipality_code_rejects_what_is_not_a_code(raw: str) -> None:
    with pytest.raises(CellError) as exc:
        parse_value(raw, "municipality_code")
    assert exc.value.rule == "municipality_code"


def test_a_well_formed_code_not_on_scbs_list_is_refused() -> None:
    with pytest.raises(CellError) as exc:
        parse_value("0199", "municipality_code")
    assert exc.value.rule == "unknown_municipality_code"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-05-14", dt.date(2025, 5, 14)),
        ("2025-05-14 13:30:00", dt.date(2025, 5, 14)),
        (dt.datetime(2025, 5, 14, 13, 30), dt.date(2025, 5, 14)),
        (dt.date(2025, 5, 14), dt.date(2025, 5, 14)),
        (45791, dt.date(2025, 5, 14)),  # Excel serial date, 1900 system
    ],
)
def test_dates(raw: object, expected: dt.date) -> None:
    assert parse_value(raw, "date") == expected


def test_excel_1904_epoch() -> None:
    # The same day is serial 45791 in the 1900 system and 44329 in the 1904 system (1462 days apart).
    assert parse_value(44329, "date", epoch=EXCEL_EPOCH_1904) == dt.date(2025, 5, 14)


def test_month_precision_only_where_the_contract_allows() -> None:
    assert parse_value("2025-05", "date", month_precision=True) == dt.date(2025, 5, 1)
    with pytest.raises(CellError) as exc:
        parse_value("2025-05", "date")
    assert exc.value.rule == "invalid_date"


@pytest.mark.parametrize(
    ("raw", "rule", "message"),
    [
        ("2025-02-30", "invalid_date", "'2025-02-30' is not a calendar date"),
        ("2025-13", "invalid_date", "'2025-13' is not a calendar month"),
        (9_999_999, "date_out_of_range", "9999999 is not a plausible Excel serial date"),
        ("1899-01-01", "date_out_of_range", "1899-01-01 is outside 1900-2100"),
        ("14/05/2025", "invalid_date", "expected a date as YYYY-MM-DD, found '14/05/2025'"),
    ],
)
def test_bad_dates(raw: object, rule: str, message: str) -> None:
    with pytest.raises(CellError) as exc:
        parse_value(raw, "date", month_precision=raw == "2025-13")
    assert exc.value.rule == rule
    assert exc.value.message == message.replace("YYYY-MM-DD,", "YYYY-MM-DD,")


def test_boolean_swedish_and_english() -> None:
    assert [parse_value(v, "boolean") for v in ["ja", "Nej", "TRUE", "false", "1", "0", 1, True]] == [
        True, False, True, False, True, False, True, True,
    ]  # fmt: skip
    with pytest.raises(CellError) as exc:
        parse_value("kanske", "boolean")
    assert exc.value.rule == "not_a_boolean"


def test_text_is_nfc_normalised() -> None:
    decomposed = "Malmo\u0308"  # o + combining diaeresis, as macOS writes file names
    assert parse_value(decomposed, "string") == "Malmö"
    assert parse_value(" Stockholm\u00a0", "string") == "Stockholm"
    assert parse_value(1281.0, "string") == "1281"  # Excel stores a number typed as text's look-alike as 1281.0


def test_missing_values_are_empty_not_unreadable() -> None:
    """A contract's missing_values ("-", "..") read as empty: null in every type, no rejection."""
    cells = blank(Cells.of(["-", "..", "", "12,5", " - "]), ("-", ".."))
    errors: dict = {}
    values = typed(cells, "decimal", errors)
    assert (values.to_pylist(), errors) == ([None, None, None, 12.5, None], {})
    errors = {}
    assert typed(blank(Cells.of(["-"])), "decimal", errors).to_pylist() == [None]
    assert errors[0][0] == "not_a_number"  # without missing_values, "-" is no number


def test_a_column_of_labels_is_typed_once_per_label_with_the_same_result() -> None:
    import pyarrow as pa

    texts = ["1 234,5", "x", "", "1 234,5", "x"]
    plain: dict = {}
    values = typed(blank(Cells(pa.array(texts))), "decimal", plain)
    labelled: dict = {}
    dictionary = typed(blank(Cells(pa.array(texts).dictionary_encode())), "decimal", labelled)
    assert values.to_pylist() == dictionary.to_pylist() == [1234.5, None, None, 1234.5, None]
    assert plain == labelled and sorted(plain) == [1, 4]
