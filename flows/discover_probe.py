"""Probe one source without storing anything: reachable? robots allows? how many entries?"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from flows.config import SourceConfig
from flows.discover_walk import walk_index
from flows.errors import FetchError, PactwatchError
from flows.politeness import PoliteFetcher


@dataclass(frozen=True, slots=True)
class Probe:
    """What a probe of one source found."""

    source: str
    kind: str
    enabled: bool
    url: str
    reachable: bool = False
    robots_allowed: bool | None = None  # None: robots.txt could not be read
    entries: int = 0
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Return whether the source works: reachable, allowed, and lists something."""
        return self.reachable and bool(self.robots_allowed) and self.entries > 0

    def as_dict(self) -> dict[str, Any]:
        """Return the probe as JSON-ready values."""
        return {**asdict(self), "ok": self.ok}


def probe_source(source: SourceConfig, fetcher: PoliteFetcher) -> Probe:
    """Fetch ``source``'s index (and robots.txt) once; never raise for a broken site."""
    base = Probe(source.name, source.kind, source.enabled, str(source.url))
    try:
        allowed = fetcher.allowed(str(source.url))
    except FetchError as exc:
        return _with(base, error=exc.reason)
    if not allowed:
        return _with(base, robots_allowed=False, error="robots.txt disallows the index")
    try:
        walk = walk_index(source, fetcher)
    except FetchError as exc:
        return _with(base, robots_allowed=True, error=exc.reason)
    except PactwatchError as exc:  # reachable, but the body is not what the kind promises
        return _with(base, reachable=True, robots_allowed=True, error=str(exc))
    note = None if walk.entries else "no entries found (selector, filters or an empty feed?)"
    return _with(base, reachable=True, robots_allowed=True, entries=len(walk.entries), error=note)


def _with(base: Probe, **changes: Any) -> Probe:
    values = {**asdict(base), **changes}
    return Probe(**values)
