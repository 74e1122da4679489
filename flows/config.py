"""sources.yaml -> validated sources and alias extensions; errors name file, source, field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    HttpUrl,
    TypeAdapter,
    ValidationError,
    field_validator,
)

from flows.errors import ConfigError

NAME_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
DEFAULT_KEYS = (
    "enabled",
    "language",
    "encoding",
    "owner",
    "min_delay_s",
    "max_items",
    "include",
    "exclude",
    "tags",
    "max_pages",
)


class _Source(BaseModel):
    """Fields every source kind shares."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=NAME_PATTERN)
    url: HttpUrl
    enabled: bool = True
    site_name: str | None = None
    language: str | None = None
    encoding: str | None = None  # override when a site lies about its charset
    owner: str | None = None  # whom "our city" / "我市" means on this source
    min_delay_s: float = Field(default=1.0, ge=0)
    max_items: int = Field(default=50, ge=1)
    include: tuple[str, ...] = ()  # URL regexes; when given, an entry must match one
    exclude: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    @field_validator("include", "exclude")
    @classmethod
    def _valid_regexes(cls, patterns: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"{pattern!r} is not a valid regex: {exc}") from exc
        return patterns

    @property
    def display_name(self) -> str:
        """Return the human name of the site, falling back to the source name."""
        return self.site_name or self.name


class RssSource(_Source):
    """An RSS 2.0 or RSS 1.0 feed."""

    kind: Literal["rss"]


class AtomSource(_Source):
    """An Atom 1.0 feed."""

    kind: Literal["atom"]


class HtmlListingSource(_Source):
    """An HTML page listing article links picked by a CSS selector."""

    kind: Literal["html_listing"]
    item_selector: str
    next_page_selector: str | None = None  # CSS selector of the "next page" link
    max_pages: int = Field(default=1, ge=1, le=50)  # listing pages followed per run


class SitemapSource(_Source):
    """An XML sitemap or sitemap index."""

    kind: Literal["sitemap"]


SourceConfig = Annotated[
    RssSource | AtomSource | HtmlListingSource | SitemapSource, Field(discriminator="kind")
]
_ADAPTER: TypeAdapter[SourceConfig] = TypeAdapter(SourceConfig)
_KINDS: dict[str, type[_Source]] = {
    "rss": RssSource,
    "atom": AtomSource,
    "html_listing": HtmlListingSource,
    "sitemap": SitemapSource,
}


@dataclass(frozen=True, slots=True)
class SourcesFile:
    """Everything sources.yaml says: sources (enabled or not) and alias extensions."""

    sources: tuple[SourceConfig, ...]
    aliases: dict[str, list[str]]

    @property
    def enabled(self) -> list[SourceConfig]:
        """Return the enabled sources in file order."""
        return [s for s in self.sources if s.enabled]


def load_sources_file(path: Path) -> SourcesFile:
    """Read and validate ``path``; raise ConfigError naming the file, source and field."""
    document = _read_document(path)
    defaults = _defaults(path, document.get("defaults"))
    entries = document.get("sources")
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{path}: 'sources' must be a non-empty list")
    sources = tuple(
        _validate_source(path, i, entry, defaults) for i, entry in enumerate(entries, 1)
    )
    names = [s.name for s in sources]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ConfigError(f"{path}: duplicate source names: {', '.join(duplicates)}")
    return SourcesFile(sources=sources, aliases=_aliases(path, document.get("aliases")))


def load_sources(path: Path) -> list[SourceConfig]:
    """Return the enabled sources in file order; raise ConfigError naming what is wrong."""
    return load_sources_file(path).enabled


def _read_document(path: Path) -> dict[str, Any]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(document, dict):
        raise ConfigError(f"{path}: expected a mapping with a 'sources' list at the top")
    unknown = sorted(set(document) - {"defaults", "sources", "aliases", "digests"})
    if unknown:
        raise ConfigError(f"{path}: unknown top-level key(s): {', '.join(map(str, unknown))}")
    return document


def _defaults(path: Path, raw: object) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: 'defaults' must be a mapping")
    unknown = sorted(set(raw) - set(DEFAULT_KEYS))
    if unknown:
        raise ConfigError(f"{path}: defaults: unknown key(s): {', '.join(map(str, unknown))}")
    return dict(raw)


def _validate_source(path: Path, index: int, entry: object, defaults: Mapping[str, Any]) -> Any:
    if not isinstance(entry, dict):
        raise ConfigError(f"{path}: source #{index}: expected a mapping")
    label = entry.get("name", f"#{index}")
    model = _KINDS.get(str(entry.get("kind")))
    fitting = {k: v for k, v in defaults.items() if model is None or k in model.model_fields}
    try:
        return _ADAPTER.validate_python({**fitting, **entry})
    except ValidationError as exc:  # loc[0] is the kind tag, the rest is the field path
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'][1:])) or 'kind'}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigError(f"{path}: source {label!r}: {problems}") from exc


def _aliases(path: Path, raw: object) -> dict[str, list[str]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: 'aliases' must map a canonical name to a list of variants")
    table: dict[str, list[str]] = {}
    for canonical, variants in raw.items():
        if not isinstance(variants, list) or not all(isinstance(v, str) for v in variants):
            raise ConfigError(f"{path}: aliases: {canonical!r}: expected a list of names")
        table[str(canonical)] = [str(v) for v in variants]
    return table
