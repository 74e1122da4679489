"""Fixtures for the flows tests: fixture and demo site paths, Fetched builders, loopback servers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

import pytest

from flows.models import Fetched

FIXTURE_SITES = Path(__file__).resolve().parent.parent / "fixtures" / "sites"
FIXED_AT = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)

MakeFetched = Callable[..., Fetched]


@pytest.fixture(scope="session")
def httpserver_listen_address() -> tuple[str, int]:
    """pytest-httpserver on 127.0.0.1 and a port the OS picks (never a fixed port)."""
    return ("127.0.0.1", 0)


@pytest.fixture(scope="session")
def fixture_sites() -> Path:
    """tests/fixtures/sites: pages written for these tests, one folder per logical host."""
    return FIXTURE_SITES


@pytest.fixture(scope="session")
def demo_root() -> Path:
    """The bundled demo package folder (sources.yaml and site/)."""
    return Path(str(files("flows").joinpath("demo_site")))


@pytest.fixture(scope="session")
def demo_site(demo_root: Path) -> Path:
    """The demo site's document root."""
    return demo_root / "site"


@pytest.fixture
def make_fetched() -> MakeFetched:
    """Build a Fetched from bytes (or a file path) as the fetcher would return it."""

    def build(
        body: bytes | Path,
        url: str = "http://qinghe-news.test/page.html",
        content_type: str | None = "text/html",
        status: int = 200,
    ) -> Fetched:
        data = body.read_bytes() if isinstance(body, Path) else body
        headers = {} if content_type is None else {"content-type": content_type}
        return Fetched(url, status, data, headers, FIXED_AT)

    return build
