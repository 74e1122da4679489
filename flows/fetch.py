"""The only module that talks HTTP: one Session, timeouts, size cap, retries, conditional GET."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Protocol
from urllib.parse import urlsplit, urlunsplit

import requests

from flows.errors import FetchError, TooLarge
from flows.models import Fetched

LOGGER = logging.getLogger(__name__)
TIMEOUT_S = (5.0, 30.0)  # connect, read
MAX_REDIRECTS = 5
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
RETRY_AFTER_CAP_S = 60.0
CHUNK_BYTES = 64 * 1024


class Fetcher(Protocol):
    """Anything that turns a URL into raw bytes and headers."""

    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> Fetched:
        """Return the response for ``url`` (status 304 with an empty body when not modified)."""
        ...


class HttpFetcher:
    """The real HTTP client: pooled Session, our User-Agent, capped body, retries."""

    def __init__(
        self,
        user_agent: str,
        *,
        max_bytes: int = 5_000_000,
        retries: int = 2,
        backoff_s: float = 1.0,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        host_overrides: Mapping[str, str] | None = None,
    ) -> None:
        self._overrides = dict(host_overrides or {})  # logical netloc -> where it really listens
        self._session = session or requests.Session()
        self._session.headers["User-Agent"] = user_agent  # not setdefault: Session has a default
        self._session.max_redirects = MAX_REDIRECTS
        self._max_bytes = max_bytes
        self._retries = retries
        self._backoff_s = backoff_s
        self._sleep = sleep

    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> Fetched:
        """Return the response for ``url``; raise FetchError on network or HTTP errors."""
        if urlsplit(url).scheme not in {"http", "https"}:
            raise FetchError(url, None, "only http and https URLs are fetched")
        headers = {"If-None-Match": etag} if etag else {}
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for attempt in range(self._retries + 1):
            try:
                return self._fetch_once(url, headers)
            except FetchError as exc:
                if attempt == self._retries or not _is_transient(exc):
                    raise
                delay = _retry_delay(exc, attempt, self._backoff_s)
                LOGGER.info("retry url=%s attempt=%d delay=%.1fs: %s", url, attempt + 1, delay, exc)
                self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    def _fetch_once(self, url: str, headers: dict[str, str]) -> Fetched:
        wire_url = _swap_netloc(url, self._overrides)
        try:
            with self._session.get(
                wire_url, headers=headers, timeout=TIMEOUT_S, stream=True
            ) as resp:
                if resp.status_code >= 400:
                    raise _http_error(url, resp)
                body = b"" if resp.status_code == 304 else self._read_capped(url, resp)
                names = {k.lower(): v for k, v in resp.headers.items()}
                final_url = _swap_netloc(resp.url, {v: k for k, v in self._overrides.items()})
                return Fetched(final_url, resp.status_code, body, names, datetime.now(UTC))
        except requests.RequestException as exc:
            raise FetchError(url, None, type(exc).__name__ + ": " + str(exc)) from exc

    def _read_capped(self, url: str, response: requests.Response) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self._max_bytes:
            raise TooLarge(url, self._max_bytes)
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_content(CHUNK_BYTES):
            size += len(chunk)
            if size > self._max_bytes:
                raise TooLarge(url, self._max_bytes)
            chunks.append(chunk)
        return b"".join(chunks)  # never .text: requests assumes ISO-8859-1 for text/* sans charset


def _swap_netloc(url: str, mapping: Mapping[str, str]) -> str:
    """Send a logical host (the demo's ``demo.invalid``) to where it really listens, or back."""
    parts = urlsplit(url)
    target = mapping.get(parts.netloc)
    return urlunsplit(parts._replace(netloc=target)) if target else url


class _HttpStatusError(FetchError):
    def __init__(self, url: str, status: int, retry_after: str | None) -> None:
        super().__init__(url, status, "server answered with an error status")
        self.retry_after = retry_after


def _http_error(url: str, response: requests.Response) -> FetchError:
    return _HttpStatusError(url, response.status_code, response.headers.get("retry-after"))


def _is_transient(exc: FetchError) -> bool:
    if isinstance(exc, TooLarge):
        return False
    return exc.status is None or exc.status in RETRY_STATUSES


def _retry_delay(exc: FetchError, attempt: int, backoff_s: float) -> float:
    retry_after = getattr(exc, "retry_after", None)
    if retry_after and retry_after.strip().isdigit():
        return min(float(retry_after), RETRY_AFTER_CAP_S)
    return float(backoff_s * (2**attempt) * (1 + random.random() / 2))
