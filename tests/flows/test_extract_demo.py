"""RuleExtractor on the bundled demo pages: exactly the expected signings, none from N1-N4."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from flows.aliases import AliasTable
from flows.extract import RuleExtractor
from flows.models import Article

DEMO = Path(__file__).resolve().parents[2] / "flows" / "demo_site"
SITE = DEMO / "site"

# path -> (published, expected {frozenset(parties): (type, signed_on)}); from the demo spec table
EXPECTED: dict[str, tuple[date, dict[frozenset[str], tuple[str, date]]]] = {
    "binhai-university/news/2026/11/bhu-nanhu-strategic.html": (
        date(2026, 11, 18),
        {
            frozenset({"Binhai University", "Nanhu Technology"}): (
                "strategic_cooperation",
                date(2026, 11, 18),
            )
        },
    ),
    "binhai-daily/2026/1119/a01.html": (
        date(2026, 11, 19),
        {
            frozenset({"Binhai University", "Nanhu Technology"}): (
                "strategic_cooperation",
                date(2026, 11, 18),
            )
        },
    ),
    "binhai-university/news/2026/11/bhu-nit-mou.html": (
        date(2026, 11, 5),
        {
            frozenset({"Binhai University", "Northbridge Institute of Technology"}): (
                "mou",
                date(2026, 11, 3),
            )
        },
    ),
    "binhai-daily/2026/1111/a02.html": (
        date(2026, 11, 11),
        {
            frozenset({"Binhai Municipal Government", "Yunfan Data"}): (
                "framework",
                date(2026, 11, 10),
            )
        },
    ),
    "harbor-tech-wire/2026/11/harbor-greenfield-jv.html": (
        date(2026, 11, 20),
        {frozenset({"Harbor Bank", "Greenfield Energy"}): ("joint_venture", date(2026, 11, 19))},
    ),
    "binhai-university/news/2026/11/bhu-hospital-lab.html": (
        date(2026, 11, 25),
        {
            frozenset({"Binhai University", "Binhai First People's Hospital"}): (
                "joint_lab_or_centre",
                date(2026, 11, 24),
            )
        },
    ),
    "binhai-university/news/2026/11/nanhu-delegation-visit.html": (date(2026, 11, 10), {}),
    "binhai-daily/2026/1120/a03.html": (date(2026, 11, 20), {}),
    "harbor-tech-wire/2026/11/nanhu-chip-launch.html": (date(2026, 11, 22), {}),
    "harbor-tech-wire/2026/11/greenfield-ends-contract.html": (date(2026, 11, 24), {}),
}
AMOUNTS = {
    "binhai-university/news/2026/11/bhu-nanhu-strategic.html": ("CNY", 50_000_000),
    "binhai-daily/2026/1119/a01.html": ("CNY", 50_000_000),
    "binhai-daily/2026/1111/a02.html": ("CNY", 300_000_000),
    "harbor-tech-wire/2026/11/harbor-greenfield-jv.html": ("USD", 2_000_000_000),
}


def _config() -> dict[str, object]:
    path = DEMO / "sources.yaml"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _article(rel: str, published: date, config: dict[str, object]) -> Article:
    trafilatura = pytest.importorskip("trafilatura")
    path = SITE / rel
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    site = rel.split("/", 1)[0]
    html = path.read_bytes().decode(
        "gb18030" if site == "binhai-daily" else "utf-8", errors="replace"
    )
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    title = re.sub(r"<[^>]+>", "", heading[1]).strip() if heading else ""
    body = trafilatura.extract(html) or ""
    sources = config.get("sources")
    assert isinstance(sources, list)
    owner = next((s.get("owner") for s in sources if s.get("name") == site), None)
    return Article(
        url=f"http://demo.invalid/{rel}",
        canonical_url=f"http://demo.invalid/{rel}",
        title=title,
        text=f"{title}\n{body}",
        published_on=published,
        lang=None,
        source_name=site,
        source_owner=owner,
    )


@pytest.fixture(scope="module")
def extractor() -> RuleExtractor:
    aliases = _config().get("aliases")
    assert isinstance(aliases, dict)
    return RuleExtractor(AliasTable.bundled().extended(aliases))


@pytest.mark.parametrize("rel", sorted(EXPECTED))
def test_demo_page_gives_exactly_the_expected_agreements(
    rel: str, extractor: RuleExtractor
) -> None:
    published, expected = EXPECTED[rel]
    extraction = extractor.extract(_article(rel, published, _config()))
    found = {frozenset(a.parties): (a.agreement_type, a.signed_on) for a in extraction.agreements}
    assert found == expected
    assert extraction.is_signing == bool(expected)
    if rel in AMOUNTS:
        currency, value = AMOUNTS[rel]
        amounts = {(m.currency, m.value) for a in extraction.agreements for m in a.amounts}
        assert (currency, value) in amounts
