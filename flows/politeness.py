"""robots.txt per host (protego), per-host minimum delay; clock and sleep injected."""

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


def host_of(url: str) -> str:
    """Return ``scheme://netloc`` of ``url``, the unit of robots and rate limits."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


class HostPacer:
    """Keeps requests to one host at least ``delay_s`` apart."""

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


class PoliteFetcher:
    """A Fetcher that obeys robots.txt and paces each host."""

    def __init__(self, inner: Fetcher, user_agent: str, pacer: HostPacer | None = None) -> None:
        self._inner = inner
        self._agent = user_agent.split("/", 1)[0]  # robots groups name the product token
        self._pacer = pacer or HostPacer()
        self._robots: dict[str, Protego | None] = {}
        self.min_delay_s = 1.0

    def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> Fetched:
        """Fetch ``url`` when robots.txt allows it; raise RobotsDenied otherwise."""
        robots = self._robots_for(url)
        if robots is not None and not robots.can_fetch(url, self._agent):
            raise RobotsDenied(url)
        delay = self.min_delay_s
        crawl_delay = robots.crawl_delay(self._agent) if robots is not None else None
        if crawl_delay:
            delay = max(delay, min(float(crawl_delay), MAX_CRAWL_DELAY_S))
        self._pacer.wait(host_of(url), delay)
        return self._inner.fetch(url, etag=etag, last_modified=last_modified)

    def _robots_for(self, url: str) -> Protego | None:
        host = host_of(url)
        if host not in self._robots:
            self._robots[host] = self._load_robots(host)
        return self._robots[host]

    def _load_robots(self, host: str) -> Protego | None:
        try:
            fetched = self._inner.fetch(f"{host}/robots.txt")
        except FetchError as exc:
            # 4xx: no rules, everything allowed; unreachable: let the page fetch report it.
            LOGGER.debug("robots host=%s none: %s", host, exc)
            return None
        return Protego.parse(fetched.body.decode("utf-8", errors="replace"))
