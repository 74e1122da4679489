"""Money amounts in English and Chinese."""

from __future__ import annotations

import pytest

from flows.extract_amounts import find_amounts


@pytest.mark.parametrize(
    ("text", "currency", "value", "written"),
    [
        ("a fund of RMB 300 million", "CNY", 300_000_000, "RMB 300 million"),
        ("总投资3亿元", "CNY", 300_000_000, "3亿元"),
        ("将投入5000万元", "CNY", 50_000_000, "5000万元"),
        ("worth 1.5 billion yuan", "CNY", 1_500_000_000, "1.5 billion yuan"),
        ("a $2bn venture", "USD", 2_000_000_000, "$2bn"),
        ("some 2 billion dollars", "USD", 2_000_000_000, "2 billion dollars"),
        ("US$3.9 million in grants", "USD", 3_900_000, "US$3.9 million"),
        ("a $240m lab", "USD", 240_000_000, "$240m"),
        ("30 billion won over five years", "KRW", 30_000_000_000, "30 billion won"),
        ("总投资791.29亿元", "CNY", 79_129_000_000, "791.29亿元"),
        ("€50 million", "EUR", 50_000_000, "€50 million"),
    ],
)
def test_amounts_are_parsed(text: str, currency: str, value: float, written: str) -> None:
    (amount,) = find_amounts(text)
    assert (amount.currency, amount.value, amount.text) == (currency, value, written)


def test_same_amount_written_twice_is_listed_once() -> None:
    amounts = find_amounts("a $2bn joint venture, or 2 billion dollars, and RMB 5 million")
    assert [(a.currency, a.value) for a in amounts] == [("USD", 2e9), ("CNY", 5e6)]


def test_numbers_without_currency_are_not_money() -> None:
    assert find_amounts("a campus of 2400 亩 with 300 students in 2026") == []
