"""Signing dates: explicit, partial and relative, resolved against the publication date."""

from __future__ import annotations

from datetime import date

import pytest

from flows.extract_dates import find_date, years_in

PUBLISHED = date(2026, 11, 19)  # a Thursday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The two sides signed the deal on July 15.", date(2026, 7, 15)),
        ("They signed it on 3 March 2024 in Lakeside.", date(2024, 3, 3)),
        ("Signed on Monday, November 16, 2026.", date(2026, 11, 16)),
        ("The agreement was signed yesterday.", date(2026, 11, 18)),
        ("Both sides signed the agreement today.", date(2026, 11, 19)),
        ("It was signed on Wednesday at the campus.", date(2026, 11, 18)),
        ("At the ceremony on the 12th the MoU was signed.", date(2026, 11, 12)),
        ("At the ceremony on the 25th the MoU was signed.", date(2026, 10, 25)),
        ("11月18日，双方签署协议。", date(2026, 11, 18)),
        ("2025年6月1日，双方签约。", date(2025, 6, 1)),
        ("昨日，两家公司签署合作协议。", date(2026, 11, 18)),
        ("昨天双方签约。", date(2026, 11, 18)),
        ("上周五，双方签署备忘录。", date(2026, 11, 13)),
        ("15日，双方签署协议。", date(2026, 11, 15)),
        (
            "On December 28 the sides signed.",
            date(2025, 12, 28),
        ),  # later than publication: last year
    ],
)
def test_dates_resolve_against_publication(text: str, expected: date) -> None:
    assert find_date(text, PUBLISHED) == expected


@pytest.mark.parametrize(
    "text", ["signed on July 15", "signed yesterday", "11月18日签约", "on Friday"]
)
def test_relative_dates_without_publication_are_none(text: str) -> None:
    assert find_date(text, None) is None


def test_no_date_and_impossible_dates_give_none() -> None:
    assert find_date("The two sides signed an agreement.", PUBLISHED) is None
    assert find_date("Signed on February 30, 2025.", PUBLISHED) is None


def test_years_in_ignores_year_ranges() -> None:
    assert years_in("signed in 2019; pilots in 2019-2020; 2021年") == [2019, 2021]
