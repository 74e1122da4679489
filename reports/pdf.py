"""Print HTML -> PDF bytes; the only module that imports weasyprint."""

from __future__ import annotations

import logging

import weasyprint

from flows.errors import RenderError

LOGGER = logging.getLogger(__name__)
BASE_URL = (
    "file:///nonexistent/"  # relative URLs resolve to nothing: the digest has no local assets
)


def render_pdf(html: str) -> bytes:
    """Render print HTML (from ``render_digest_html_for_pdf``) to an A4 PDF.

    Remote resources are never fetched: the digest embeds none, and a stray URL must not reach out.

    Raises:
        RenderError: when WeasyPrint cannot lay out or write the document.
    """
    try:
        document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=_NoFetcher())
        pdf = document.write_pdf()
    except (ValueError, OSError, AssertionError) as exc:
        raise RenderError(f"PDF rendering failed: {exc}") from exc
    if not isinstance(pdf, bytes):  # write_pdf() without a target returns bytes
        raise RenderError("PDF rendering returned no bytes")
    LOGGER.debug("pdf bytes=%d", len(pdf))
    return pdf


class _NoFetcher(weasyprint.URLFetcher):  # type: ignore[misc]  # weasyprint ships no type hints
    """A URL fetcher that loads nothing: no network, no local files."""

    def fetch(self, url: str, headers: object = None) -> object:
        """Refuse every URL; WeasyPrint logs the skip and renders without the resource."""
        raise ValueError(f"resource loading is disabled in digests: {url[:80]}")
