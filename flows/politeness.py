"""robots.txt per host (protego, RFC 9309), per-host minimum delay; clock and sleep injected."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from protego import Protego

from flows.errors import FetchError, RobotsDenied
from flows.fetch import Fetcher
from flows.models import Fetched

LOGGER = logging.getLogger(__name__)
MAX_CRAWL_DELAY_S = 30.0  # a robots.txt asking for more would stall a run; cap it
_DENY_ALL = Protego.parse("User-agent: *\nDisallow: /\n")


def host_of(url: str) -> str:
    """Return ``scheme://netloc`` of ``url``, the unit of robots and rate limits."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


class HostPacer:
    """Keeps requests to one host at least ``delay_s`` apart; safe to share between threads."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, host: str, delay_s: float) -> float:
        """Sleep until ``host`` may be asked again; return how long it slept."""
        with self._lock:
            last = self._last.get(host)
            now = self._clock()
            pause = 0.0 if last is None else max(0.0, last + delay_s - now)
            self._last[host] = now + pause
        if pause:
            self._sleep(pause)
        return pause


class RobotsCache:
    """robots.txt rules per host, fetched once; shared by the fetchers of one run."""

    def __init__(self, inner: Fetcher) -> None:
        self._inner = inner
        self._rules: dict[str, Protego | FetchError | None] = {}
        self._lock = threading.Lock()

    def rules(self, url: str) -> Protego | None:
        """Return the rules for ``url``'s host (None: no robots.txt); raise when unreachable."""
        host = host_of(url)
        with self._lock:  # one fetch per host even when two threads ask at once
            if host not in self._rules:
                self._rules[host] = self._load(host)
            found = self._rules[host]
        if isinstance(found, FetchError):
            raise FetchError(url, None, found.reason)
        return found

    def _load(self, host: str) -> Protego | FetchError | None:
        """RFC 9309: 4xx means no rules; 5xx (and 429) means disallow everything."""
        try:
            fetched = self._inner.fetch(f"{host}/robots.txt")
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:
                LOGGER.debug("robots host=%s none: %s", host, exc)
                return None
            if exc.status is not None:
                LOGGER.info("robots host=%s unavailable, disallow all: %s", host, exc)
                return _DENY_ALL
            return exc  # unreachable host: every page of it fails with this reason
        return Protego.parse(fetched.body.decode("utf-8", errors="replace"))


class PoliteFetcher:
    """A Fetcher that obeys robots.txt and paces each host."""

    def __init__(
        self,
        inner: Fetcher,
        user_agent: str,
        pacer: HostPacer | None = None,
        *,
        min_delay_s: float = 1.0,
        robots: RobotsCache | None = None,
    ) -> None:
        self._inner = inner
        self._agent = user_agent.split("/", 1)[0]  # robots groups name the product token
        self._pacer = pacer or HostPacer()
        self._robots = robots or RobotsCache(inner)
        self.min_delay_s = min_delay_s

    def with_delay(self, min_delay_s: float) -> PoliteFetcher:
        """Return a fetcher sharing this one's pacer and robots cache, with another delay."""
        return PoliteFetcher(
            self._inner,
            self._agent,
            self._pacer,
            min_delay_s=min_delay_s,
            robots=self._robots,
        )

    def allowed(self, url: str) -> bool:
        """Return whether robots.txt lets us fetch ``url``; raise FetchError when unreachable."""
        robots = self._robots.rules(url)
        return robots is None or bool(robots.can_fetch(url, self._agent))

    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> Fetched:
        """Fetch ``url`` when robots.txt allows it; raise RobotsDenied otherwise."""
        robots = self._robots.rules(url)
        if robots is not None and not robots.can_fetch(url, self._agent):
            raise RobotsDenied(url)
        delay = self.min_delay_s
        crawl_delay = robots.crawl_delay(self._agent) if robots is not None else None
        if crawl_delay:
            delay = max(delay, min(float(crawl_delay), MAX_CRAWL_DELAY_S))
        self._pacer.wait(host_of(url), delay)
        return self._inner.fetch(url, etag=etag, last_modified=last_modified)
