"""The `digests:` section of sources.yaml -> validated DigestProfile records; errors name fields."""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from flows.errors import ConfigError
from flows.models import DigestItem
from reports.context import TYPE_LABELS

NAME_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
ADDRESS_PATTERN = r"^[^@\s,<>]+@[^@\s,<>]+$"
DEFAULT_PROFILE = "default"


class DigestFilters(BaseModel):
    """Which agreements a profile wants; an empty list means "any"."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    organisations: tuple[str, ...] = ()  # watchlist: canonical or as-written party names
    types: tuple[str, ...] = ()  # agreement type codes: mou, framework, ...
    fields: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()  # languages of the reporting articles: en, zh, ...

    @field_validator("types")
    @classmethod
    def _known_types(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [v for v in value if v not in TYPE_LABELS]
        if unknown:
            raise ValueError(
                f"unknown type(s) {', '.join(unknown)}; known: {', '.join(TYPE_LABELS)}"
            )
        return value

    @field_validator("languages")
    @classmethod
    def _lower_languages(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(v.strip().lower() for v in value)

    def admits(self, item: DigestItem) -> bool:
        """Return True when ``item`` passes every non-empty filter."""
        return all(
            (
                _any_shared(self.organisations, (*item.parties, *item.parties_as_written)),
                not self.types or item.agreement_type in self.types,
                _any_shared(self.fields, item.fields),
                _any_shared(self.languages, tuple(s.lang or "" for s in item.sources), prefix=True),
            )
        )


class DigestProfile(BaseModel):
    """One digest: who gets it, how often, in which time zone, with which filters."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=NAME_PATTERN)
    recipients: tuple[str, ...] = ()
    period: Literal["daily", "weekly"] = "daily"  # weekly digests go out on Mondays
    send_at: str = Field(default="07:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")  # local HH:MM
    timezone: str = "UTC"
    title: str = "pactwatch digest"
    send_empty: bool = False  # True: mail "no new agreements"; False: skip the run quietly
    filters: DigestFilters = DigestFilters()

    @field_validator("recipients")
    @classmethod
    def _check_addresses(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [v for v in value if not re.match(ADDRESS_PATTERN, v.strip())]
        if bad:
            raise ValueError(f"not an e-mail address: {', '.join(bad)}")
        return tuple(dict.fromkeys(v.strip() for v in value))

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (use an IANA name)") from exc
        return value


def load_digest_profiles(
    path: Path | None, default_recipients: Sequence[str] = ()
) -> tuple[DigestProfile, ...]:
    """Return the profiles of ``path``'s `digests:` list, always with one named "default".

    Args:
        path: sources.yaml; None, a missing file or no `digests:` key gives the default profile.
        default_recipients: PACTWATCH_DIGEST_TO, used by the profile named "default" when it
            lists no recipients itself (or is not configured at all).

    Raises:
        ConfigError: naming the file, the profile and the field that is wrong.
    """
    raw = _read_section(path)
    if raw is None:
        raw = []
    elif not isinstance(raw, list) or not raw:
        raise ConfigError(f"{path}: 'digests' must be a non-empty list of profiles")
    profiles = [_validate(path, i, entry) for i, entry in enumerate(raw, 1)]
    names = [p.name for p in profiles]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ConfigError(f"{path}: duplicate digest profile names: {', '.join(duplicates)}")
    if DEFAULT_PROFILE not in names:
        profiles.append(DigestProfile(name=DEFAULT_PROFILE))
    return tuple(
        p.model_copy(update={"recipients": tuple(default_recipients)})
        if p.name == DEFAULT_PROFILE and not p.recipients
        else p
        for p in profiles
    )


def select_profile(profiles: Sequence[DigestProfile], name: str) -> DigestProfile:
    """Return the profile called ``name``; ConfigError listing the known names otherwise."""
    for profile in profiles:
        if profile.name == name:
            return profile
    known = ", ".join(p.name for p in profiles)
    raise ConfigError(f"no digest profile named {name!r} (configured: {known})")


def _read_section(path: Path | None) -> object:
    if path is None or not path.exists():
        return None
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    return document.get("digests") if isinstance(document, dict) else None


def _validate(path: Path | None, index: int, entry: object) -> DigestProfile:
    if not isinstance(entry, dict):
        raise ConfigError(f"{path}: digest profile #{index}: expected a mapping")
    label: Any = entry.get("name", f"#{index}")
    try:
        return DigestProfile.model_validate(entry)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'profile'}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigError(f"{path}: digest profile {label!r}: {problems}") from exc


def _any_shared(wanted: tuple[str, ...], have: tuple[str, ...], *, prefix: bool = False) -> bool:
    """True when nothing is wanted, or one wanted value equals (or, with prefix, starts) one had."""
    if not wanted:
        return True
    folded = {w.casefold() for w in wanted}
    for value in have:
        key = value.casefold()
        if key in folded or (prefix and key.split("-")[0] in folded):
            return True
    return False
