from __future__ import annotations

import datetime as dt

import pytest

from schemas.dates import PartialDate, Precision


@pytest.mark.parametrize(
    ("text", "precision", "display"),
    [
        ("2025", Precision.YEAR, "2025"),
        ("2025-07", Precision.MONTH, "July 2025"),
        ("2025-07-23", Precision.DAY, "23 July 2025"),
    ],
)
def test_parse_and_format(text: str, precision: Precision, display: str) -> None:
    date = PartialDate.parse(text)
    assert date.precision is precision
    assert date.isoformat() == text
    assert date.display() == display


@pytest.mark.parametrize(
    "text", ["2025-7", "25", "2025-13", "2025-02-30", "July 2025", "2025/07/01"]
)
def test_rejects_malformed_dates(text: str) -> None:
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_sorting_puts_less_precise_first_and_compares_by_value() -> None:
    dates = [PartialDate.parse(t) for t in ["2025-07-23", "2024", "2025-07", "2025", "2025-01-01"]]
    assert [d.isoformat() for d in sorted(dates)] == [
        "2024",
        "2025",
        "2025-01-01",
        "2025-07",
        "2025-07-23",
    ]
    assert PartialDate.parse("2025-07") == PartialDate(2025, 7)
    assert len({PartialDate(2025, 7), PartialDate.parse("2025-07")}) == 1


def test_range_of_a_partial_date() -> None:
    assert PartialDate(2024, 2).earliest() == dt.date(2024, 2, 1)
    assert PartialDate(2024, 2).latest() == dt.date(2024, 2, 29)
    assert PartialDate(2023).latest() == dt.date(2023, 12, 31)
