"""JSON-ready records for extraction: gold-corpus records in, scorer-schema predictions out."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from flows.errors import ExtractError
from flows.extract import Extractor
from flows.models import Agreement, Article


def agreement_to_prediction(agreement: Agreement) -> dict[str, object]:
    """Return one agreement as a JSON-ready dict in the scorer's schema."""
    return {
        "parties": list(agreement.parties_as_written),
        "parties_canonical": list(agreement.parties),
        "agreement_type": agreement.agreement_type,
        "agreement_title": agreement.title,
        "signed_on": agreement.signed_on_text,
        "location": agreement.location,
        "fields": list(agreement.fields),
        "amounts": [
            {"currency": a.currency, "value": a.value, "text": a.text} for a in agreement.amounts
        ],
        "signatories": list(agreement.signatories),
        "evidence": agreement.evidence,
        "confidence": agreement.confidence,
    }


def _published(value: object) -> date | None:
    """Return a full ISO date, or None for null and partial dates ("2019-05", "2019")."""
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def article_from_record(record: Mapping[str, object]) -> Article:
    """Build an Article from ``{id, text, published?, lang?, url?}``; the title is the first line.

    Raises:
        ExtractError: when the record has no ``id`` or no text.
    """
    text = record.get("text")
    if "id" not in record or not isinstance(text, str):
        raise ExtractError(f"record {record.get('id')!r}: needs 'id' and a string 'text'")
    url = record.get("url")
    url = url if isinstance(url, str) and url else f"urn:pactwatch:{record['id']}"
    lang = record.get("lang")
    title = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return Article(
        url=url,
        canonical_url=url,
        title=title,
        text=text,
        published_on=_published(record.get("published")),
        lang=lang if isinstance(lang, str) else None,
    )


def predict_record(record: Mapping[str, object], extractor: Extractor) -> dict[str, object]:
    """Run ``extractor`` on one record.

    Returns:
        ``{id, is_signing, agreements, background_agreements}`` in the scorer's schema.
    """
    extraction = extractor.extract(article_from_record(record))
    return {
        "id": record["id"],
        "is_signing": extraction.is_signing,
        "agreements": [agreement_to_prediction(a) for a in extraction.agreements],
        "background_agreements": [
            agreement_to_prediction(a) for a in extraction.background_agreements
        ],
    }
