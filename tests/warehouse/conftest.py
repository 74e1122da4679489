from datetime import UTC, date, datetime

import pytest

from flows.models import Agreement, Amount, Article, ArticleRecord, Extraction, Fetched, PageRecord

NOW = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


def make_report(
    url: str,
    text: str,
    parties: tuple[str, ...],
    signed_on: date | None,
    published_on: date,
    source: str = "site-a",
) -> tuple[PageRecord, ArticleRecord]:
    """One fetched page, its article and one agreement it reports."""
    fetched = Fetched(url, 200, text.encode("utf-8"), {"content-type": "text/html"}, NOW)
    page = PageRecord(url, source, "fetched", None, fetched, url)
    article = Article(url, url, text.split(".")[0], text, published_on, "en", source)
    agreement = Agreement(
        parties=tuple(sorted(parties)),
        parties_as_written=parties,
        agreement_type="strategic_cooperation",
        signed_on=signed_on,
        reported_on=published_on,
        amounts=(Amount("CNY", 50_000_000.0, "RMB 50 million"),),
        evidence=text,
        confidence=0.9,
    )
    return page, ArticleRecord(page.page_id, article, Extraction(True, (agreement,), (), "test-1"))


@pytest.fixture
def report():  # type: ignore[no-untyped-def]
    return make_report
