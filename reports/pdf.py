"""Print HTML -> PDF bytes; the only module that imports weasyprint."""

from __future__ import annotations

import contextlib
import gc
import logging
from collections.abc import Iterator, Mapping

import weasyprint

from flows.errors import RenderError

LOGGER = logging.getLogger(__name__)
BASE_URL = (
    "file:///nonexistent/"  # relative URLs resolve to nothing: the digest has no local assets
)


def render_pdf(html: str, images: Mapping[str, bytes] | None = None) -> bytes:
    """Render print HTML (from ``render_digest_html_for_pdf``) to an A4 PDF.

    Remote resources are never fetched: a stray URL must not reach out. The only resources are
    the PNGs of ``images``, keyed by Content-ID and referenced as ``cid:ID``, as in the mail.

    Raises:
        RenderError: when WeasyPrint cannot lay out or write the document.
    """
    try:
        with _collector_paused():
            document = weasyprint.HTML(
                string=html, base_url=BASE_URL, url_fetcher=_CidFetcher(images or {})
            )
            pdf = document.write_pdf()
    except (ValueError, OSError, AssertionError) as exc:
        raise RenderError(f"PDF rendering failed: {exc}") from exc
    if not isinstance(pdf, bytes):  # write_pdf() without a target returns bytes
        raise RenderError("PDF rendering returned no bytes")
    LOGGER.debug("pdf bytes=%d", len(pdf))
    return pdf


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while WeasyPrint builds its box tree.

    Layout allocates hundreds of thousands of objects and the collector rescans the growing heap
    again and again: up to a third of the PDF time for 200 agreements. Reference counting still
    frees memory meanwhile; the collector is resumed (if it was running) however layout ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _CidFetcher(weasyprint.URLFetcher):  # type: ignore[misc]  # weasyprint ships no type hints
    """A URL fetcher that serves ``cid:`` images from memory and loads nothing else."""

    def __init__(self, images: Mapping[str, bytes]) -> None:
        super().__init__()
        self._images = dict(images)

    def fetch(self, url: str, headers: object = None) -> object:
        """Return a known ``cid:`` PNG; refuse every other URL (WeasyPrint logs the skip)."""
        if url.startswith("cid:") and url[4:] in self._images:
            return weasyprint.urls.URLFetcherResponse(
                url, body=self._images[url[4:]], headers={"Content-Type": "image/png"}
            )
        raise ValueError(f"resource loading is disabled in digests: {url[:80]}")
