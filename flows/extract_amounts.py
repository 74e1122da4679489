"""Money amounts in English and Chinese text: currency code, value and the text as written."""

from __future__ import annotations

import re
import unicodedata

from flows.models import Amount

_NUMBER = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_EN_SCALE = (
    r"(?:(?:\s*|-)(?P<scale>trillion|billion|million|thousand|crore|lakh|bn|mn|m|b|k|cr)\b)?"
)
_EN_PREFIX = {
    "rmb": "CNY", "cny": "CNY", "yuan": "CNY", "us$": "USD", "usd": "USD", "$": "USD",
    "hk$": "HKD", "hkd": "HKD", "€": "EUR", "eur": "EUR", "£": "GBP", "gbp": "GBP",
    "¥": "CNY", "krw": "KRW", "₩": "KRW", "inr": "INR", "rs": "INR", "₹": "INR", "jpy": "JPY",
    "c$": "CAD", "cad": "CAD", "a$": "AUD", "aud": "AUD", "s$": "SGD", "sgd": "SGD",
    "nz$": "NZD", "nzd": "NZD", "chf": "CHF", "sek": "SEK", "nok": "NOK", "dkk": "DKK",
    "myr": "MYR", "rm": "MYR", "aed": "AED", "sar": "SAR", "zar": "ZAR", "brl": "BRL",
    "r$": "BRL", "rub": "RUB", "idr": "IDR", "rp": "IDR", "thb": "THB", "vnd": "VND",
    "cad$": "CAD", "cad $": "CAD", "aud$": "AUD", "aud $": "AUD", "sgd$": "SGD", "sgd $": "SGD",
    "nzd$": "NZD", "nzd $": "NZD", "hkd$": "HKD", "hkd $": "HKD", "usd$": "USD", "usd $": "USD",
    "$us": "USD", "$ us": "USD", "sh": "KES", "ksh": "KES", "kes": "KES",
}  # fmt: skip
_EN_SUFFIX = {
    "yuan": "CNY", "renminbi": "CNY", "rmb": "CNY", "dollars": "USD", "us dollars": "USD",
    "euros": "EUR", "euro": "EUR", "pounds": "GBP", "won": "KRW",
    "yen": "JPY", "rupees": "INR", "hong kong dollars": "HKD", "swiss francs": "CHF",
    "ringgit": "MYR", "baht": "THB", "rubles": "RUB", "roubles": "RUB", "dirhams": "AED",
    "riyals": "SAR", "rand": "ZAR", "canadian dollars": "CAD", "australian dollars": "AUD",
    "singapore dollars": "SGD",
}  # fmt: skip
_SCALES = {
    "trillion": 1e12, "billion": 1e9, "bn": 1e9, "b": 1e9, "million": 1e6, "mn": 1e6,
    "m": 1e6, "thousand": 1e3, "k": 1e3, "crore": 1e7, "cr": 1e7, "lakh": 1e5,
}  # fmt: skip
_PREFIXED = re.compile(
    r"(?<![\w$])(?P<cur>(?:CAD|AUD|SGD|NZD|HKD|USD) ?\$|\$ ?US|K?Sh|KES"
    r"|RMB|CNY|USD|US\$|HK\$|HKD|EUR|GBP|KRW|INR|JPY|C\$|CAD|A\$|AUD|S\$|SGD"
    r"|NZ\$|NZD|CHF|SEK|NOK|DKK|MYR|RM|AED|SAR|ZAR|BRL|R\$|RUB|IDR|Rp\.?|THB|VND|Rs\.?"
    r"|[$€£¥₩₹])\s?" + _NUMBER + _EN_SCALE,
    re.IGNORECASE,
)
_SUFFIXED = re.compile(
    _NUMBER
    + r"\s*(?P<scale>trillion|billion|million|thousand|crore|lakh)?\s+"
    + r"(?P<cur>hong kong dollars|canadian dollars|australian dollars|singapore dollars"
    + r"|u\.?s\.? dollars|dollars|yuan|renminbi|rmb|euros?|pounds|won|yen|rupees|swiss francs"
    + r"|ringgit|baht|rubles|roubles|dirhams|riyals|rand)\b",
    re.IGNORECASE,
)
_ZH_CURRENCY = {
    "元": "CNY", "美元": "USD", "欧元": "EUR", "港元": "HKD", "港币": "HKD", "韩元": "KRW",
    "日元": "JPY", "英镑": "GBP", "加元": "CAD", "澳元": "AUD", "新加坡元": "SGD", "新元": "SGD",
    "瑞士法郎": "CHF", "卢布": "RUB", "泰铢": "THB", "林吉特": "MYR", "卢比": "INR",
}  # fmt: skip
_ZH_SCALES = {"万亿": 1e12, "亿": 1e8, "千万": 1e7, "百万": 1e6, "万": 1e4, "千": 1e3}
_ZH = re.compile(
    r"(?:人民币)?" + _NUMBER + r"\s*(?P<scale>万亿|亿|千万|百万|万|千)?\s*"
    r"(?P<cur>美元|欧元|港元|港币|韩元|日元|英镑|加元|澳元|新加坡元|新元|瑞士法郎|卢布|泰铢|林吉特"
    r"|卢比|元)"
)


_TRADITIONAL_UNITS = str.maketrans("億萬圓", "亿万元")  # one character for one: positions stay
# "€40 million (about $43 million)", "4000万欧元（约合3.1亿元）": a conversion, not a second sum
_CONVERSION = re.compile(
    r"[(（]\s*(?:about|approximately|roughly|around|some|or|equivalent to|约合?|折合|合|相当于)\s*"
    r"(?:US\$|HK\$|RMB|\$|€|£|¥|人民币)?\s*[\d.,]+\s*(?:million|billion|bn|m|万|亿)?\s*"
    r"(?:yuan|dollars|euros|美元|欧元|元|人民币)?[^)）]{0,12}[)）]",
    re.I,
)


_BRACKET_OPEN = re.compile(
    r"\s*[(（]\s*(?:about|approximately|roughly|around|some|or|约合?|折合|合)?\s*$", re.I
)


def _without_conversions(text: str, found: list[tuple[int, Amount]]) -> list[tuple[int, Amount]]:
    """Drop an amount in brackets right after another: "€40 million ($43 million)"."""
    kept: list[tuple[int, Amount]] = []
    ordered = sorted(found, key=lambda item: item[0])
    for i, (at, amount) in enumerate(ordered):
        if i and at > ordered[i - 1][0]:
            previous_at, previous = ordered[i - 1]
            gap = text[previous_at + len(previous.text) : at]
            if len(gap) <= 24 and _BRACKET_OPEN.fullmatch(gap):
                continue
        kept.append((at, amount))
    return kept


def _as_written(written: str, match: re.Match[str]) -> str:
    """Return the matched amount as the text writes it (traditional characters kept)."""
    return written[match.start() : match.end()].strip()


def _value(number: str, scale: float) -> float:
    """Return the number times its scale, rounded to whole units."""
    return round(float(number.replace(",", "")) * scale, 2)


def find_amounts(text: str, not_after: re.Pattern[str] | None = None) -> list[Amount]:
    """Return the money amounts ``text`` states, in order, without duplicates.

    Args:
        text: English or Chinese text ("RMB 300 million", "3亿元", "$2bn", "2 billion dollars").
        not_after: words that, just before an amount, make it no agreement's ("年产值超").
    """
    written = unicodedata.normalize("NFKC", text)  # the text as written, for Amount.text
    text = _CONVERSION.sub(lambda m: " " * len(m[0]), written.translate(_TRADITIONAL_UNITS))
    found: list[tuple[int, Amount]] = []
    for m in _PREFIXED.finditer(text):
        cur = _EN_PREFIX[m["cur"].lower().rstrip(".")]
        scale = _SCALES[m["scale"].lower()] if m["scale"] else 1.0
        found.append((m.start(), Amount(cur, _value(m["num"], scale), _as_written(written, m))))
    for m in _SUFFIXED.finditer(text):
        cur = _EN_SUFFIX[re.sub(r"\s+", " ", m["cur"].lower().replace(".", ""))]
        scale = _SCALES[m["scale"].lower()] if m["scale"] else 1.0
        found.append((m.start(), Amount(cur, _value(m["num"], scale), _as_written(written, m))))
    for m in _ZH.finditer(text):
        scale = _ZH_SCALES[m["scale"]] if m["scale"] else 1.0
        found.append(
            (
                m.start(),
                Amount(_ZH_CURRENCY[m["cur"]], _value(m["num"], scale), _as_written(written, m)),
            )
        )
    amounts: list[Amount] = []
    seen: set[tuple[str, float]] = set()
    found = _without_conversions(text, found)
    if not_after is not None:  # "年产值超200亿元", "revenue of $38m": the words before tell
        found = [(at, a) for at, a in found if not not_after.search(text[max(0, at - 24) : at])]
    for _, amount in sorted(found, key=lambda item: item[0]):
        if (amount.currency, amount.value) not in seen and amount.value > 0:
            seen.add((amount.currency, amount.value))
            amounts.append(amount)
    return amounts
