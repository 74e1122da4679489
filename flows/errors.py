"""The exception tree every pactwatch module raises from.

```
    PactwatchError              base: run boundaries catch this, never bare Exception
     +-- ConfigError            sources.yaml or settings invalid; message names file, source, field
     +-- FetchError(url, status) network or HTTP failure for one URL
 |    +-- RobotsDenied      robots.txt forbids the URL for our user agent
 |    +-- TooLarge          the body passed the size cap
     +-- ParseError             bytes that cannot become an article (reason says why)
     +-- ExtractError           the extractor could not process an article
     +-- WarehouseError         DuckDB problems
     |    +-- DatabaseBusyError the file is locked by another process (exit code 75)
     +-- RenderError            a digest could not be rendered (template or PDF)
     +-- SendError              SMTP delivery failed; never carries credentials
```
"""

from __future__ import annotations


class PactwatchError(Exception):
    """Base of every error pactwatch raises on purpose."""


class ConfigError(PactwatchError):
    """The configuration is invalid; the message names the file, source and field."""


class FetchError(PactwatchError):
    """A URL could not be fetched."""

    def __init__(self, url: str, status: int | None, reason: str) -> None:
        where = url if status is None else f"{url}: HTTP {status}"
        super().__init__(f"{where}: {reason}")
        self.url = url
        self.status = status
        self.reason = reason


class RobotsDenied(FetchError):
    """robots.txt forbids fetching the URL."""

    def __init__(self, url: str) -> None:
        super().__init__(url, None, "disallowed by robots.txt")


class TooLarge(FetchError):
    """The response body is larger than the configured cap."""

    def __init__(self, url: str, limit: int) -> None:
        super().__init__(url, None, f"body larger than {limit} bytes")


class ParseError(PactwatchError):
    """Fetched bytes are not an article; ``reason`` is a short machine-readable word."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


class ExtractError(PactwatchError):
    """The extractor failed on an article."""


class WarehouseError(PactwatchError):
    """A DuckDB operation failed."""


class DatabaseBusyError(WarehouseError):
    """Another process holds the DuckDB write lock."""


class RenderError(PactwatchError):
    """A digest could not be rendered."""


class SendError(PactwatchError):
    """SMTP delivery failed; ``temporary`` tells whether a later retry may succeed."""

    def __init__(self, message: str, *, temporary: bool) -> None:
        super().__init__(message)
        self.temporary = temporary
