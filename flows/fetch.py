"""The only module that talks HTTP: one Session, timeouts, size cap, retries, conditional GET."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Protocol
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests
import urllib3

from flows.errors import FetchError, TooLarge
from flows.models import Fetched

LOGGER = logging.getLogger(__name__)
TIMEOUT_S = (5.0, 30.0)  # connect, read
TOTAL_TIMEOUT_S = 90.0  # one page, every try and redirect included: a trickling body ends here
MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
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


class _Attempt(FetchError):
    """One failed try; ``transient`` tells whether another try may succeed."""

    def __init__(
        self, url: str, status: int | None, reason: str, *, transient: bool, wait: float | None
    ) -> None:
        super().__init__(url, status, reason)
        self.transient = transient
        self.retry_after = wait


class HttpFetcher:
    """The real HTTP client: pooled Session, our User-Agent, capped body, retries."""

    def __init__(
        self,
        user_agent: str,
        *,
        max_bytes: int = 5_000_000,
        retries: int = 2,
        backoff_s: float = 1.0,
        connect_timeout_s: float = TIMEOUT_S[0],
        read_timeout_s: float = TIMEOUT_S[1],
        total_timeout_s: float = TOTAL_TIMEOUT_S,
        max_redirects: int = MAX_REDIRECTS,
        retry_after_cap_s: float = RETRY_AFTER_CAP_S,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        host_overrides: Mapping[str, str] | None = None,
    ) -> None:
        self._overrides = dict(host_overrides or {})  # logical netloc -> where it really listens
        self._reverse = {v: k for k, v in self._overrides.items()}
        self._session = session or requests.Session()
        self._session.headers["User-Agent"] = user_agent  # not setdefault: Session has a default
        self._max_bytes = int(max_bytes)
        self._retries = int(retries)
        self._backoff_s = backoff_s
        self._timeouts = (connect_timeout_s, read_timeout_s)
        self._total_s = total_timeout_s
        self._max_redirects = max_redirects
        self._retry_after_cap_s = retry_after_cap_s
        self._sleep = sleep
        self._clock = clock

    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> Fetched:
        """Return the response for ``url``; raise FetchError (``reason`` says why) on failure.

        Connect errors, timeouts, 429 and 5xx are tried again with exponential backoff and
        jitter (``Retry-After`` honoured up to a cap); other 4xx, caps and bad redirects are not.
        """
        _check_scheme(url, url)
        headers = {"If-None-Match": etag} if etag else {}
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        deadline = self._clock() + self._total_s
        tries = self._retries + 1
        for attempt in range(1, tries + 1):
            try:
                return self._follow(url, headers, deadline)
            except _Attempt as exc:
                delay = _retry_delay(exc, attempt, self._backoff_s, self._retry_after_cap_s)
                if not exc.transient or attempt == tries or self._clock() + delay > deadline:
                    suffix = f" after {attempt} tries" if attempt > 1 else ""
                    raise FetchError(url, exc.status, exc.reason + suffix) from exc
                LOGGER.info("retry url=%s attempt=%d delay=%.1fs: %s", url, attempt, delay, exc)
                self._sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    def _follow(self, url: str, headers: dict[str, str], deadline: float) -> Fetched:
        """Fetch ``url`` following at most ``max_redirects`` redirects, never a loop."""
        seen = {url}
        current = url
        for _hop in range(self._max_redirects + 1):
            fetched = self._fetch_once(current, headers, deadline)
            if fetched.status not in REDIRECT_STATUSES:
                return fetched
            target = self._to_logical(urljoin(current, fetched.headers.get("location", "")))
            _check_scheme(url, target)
            if target in seen:
                raise _Attempt(url, None, "redirect loop", transient=False, wait=None)
            seen.add(target)
            current = target
        raise _Attempt(url, None, "too many redirects", transient=False, wait=None)

    def _fetch_once(self, url: str, headers: dict[str, str], deadline: float) -> Fetched:
        left = deadline - self._clock()
        if left <= 0:
            raise _Attempt(url, None, "total time cap", transient=False, wait=None)
        timeout = (min(self._timeouts[0], left), min(self._timeouts[1], left))
        wire_url = _swap_netloc(url, self._overrides)
        try:
            with self._session.get(
                wire_url, headers=headers, timeout=timeout, stream=True, allow_redirects=False
            ) as resp:
                names = {k.lower(): v for k, v in resp.headers.items()}
                if resp.status_code >= 400:
                    raise _status_error(url, resp.status_code, names.get("retry-after"))
                streams = resp.status_code in REDIRECT_STATUSES or resp.status_code == 304
                body = b"" if streams else self._read_capped(url, resp, deadline)
                return Fetched(
                    self._to_logical(resp.url), resp.status_code, body, names, datetime.now(UTC)
                )
        except (requests.Timeout, urllib3.exceptions.TimeoutError) as exc:
            raise _Attempt(url, None, "timeout", transient=True, wait=None) from exc
        except requests.ConnectionError as exc:
            raise _Attempt(url, None, "connect error", transient=True, wait=None) from exc
        except (requests.RequestException, urllib3.exceptions.HTTPError) as exc:
            reason = "network error: " + type(exc).__name__
            raise _Attempt(url, None, reason, transient=True, wait=None) from exc

    def _read_capped(self, url: str, response: requests.Response, deadline: float) -> bytes:
        """Read the body, counting DECODED bytes (a gzip bomb stops at the cap) and the clock."""
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self._max_bytes:
            raise TooLarge(url, self._max_bytes)
        chunks: list[bytes] = []
        size = 0
        while chunk := response.raw.read1(CHUNK_BYTES, decode_content=True):
            size += len(chunk)
            if size > self._max_bytes:
                raise TooLarge(url, self._max_bytes)
            if self._clock() > deadline:  # a body that trickles in never trips the read timeout
                raise _Attempt(url, None, "total time cap", transient=False, wait=None)
            chunks.append(chunk)
        return b"".join(chunks)  # never .text: requests assumes ISO-8859-1 for text/* sans charset

    def _to_logical(self, url: str) -> str:
        return _swap_netloc(url, self._reverse)


def _check_scheme(url: str, target: str) -> None:
    if urlsplit(target).scheme not in {"http", "https"}:
        reason = "only http and https URLs are fetched"
        if target != url:
            reason = "redirect to a non-http URL"
        raise FetchError(url, None, reason)


def _swap_netloc(url: str, mapping: Mapping[str, str]) -> str:
    """Send a logical host (the demo's ``demo.invalid``) to where it really listens, or back."""
    parts = urlsplit(url)
    target = mapping.get(parts.netloc)
    return urlunsplit(parts._replace(netloc=target)) if target else url


def _status_error(url: str, status: int, retry_after: str | None) -> _Attempt:
    wait = parse_retry_after(retry_after, datetime.now(UTC)) if retry_after else None
    return _Attempt(url, status, f"http {status}", transient=status in RETRY_STATUSES, wait=wait)


def parse_retry_after(value: str, now: datetime) -> float | None:
    """Return the seconds a ``Retry-After`` value (seconds or an HTTP date) asks to wait."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def _retry_delay(exc: _Attempt, attempt: int, backoff_s: float, cap_s: float) -> float:
    if exc.retry_after is not None:
        return min(exc.retry_after, cap_s)
    return float(backoff_s * (2 ** (attempt - 1)) * (1 + random.random() / 2))  # jitter, not crypto
