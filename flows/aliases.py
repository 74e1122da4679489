"""Organisation names: the bundled alias table and the rules that make one canonical name."""

from __future__ import annotations

import functools
import importlib.resources
import re
import unicodedata
from collections.abc import Mapping, Sequence

import yaml

from flows.errors import ConfigError

_BUNDLED = "data/aliases.yaml"
_MEMO_SIZE = 50_000  # bounded: a long-running ingest sees many names
_MAX_PASSES = 6  # each pass only shortens or rewrites to a fixed form; a few always suffice

_EDGE_CHARS = " \t\"'“”‘’「」『』《》〈〉,，;；:：、·-–—"
_TRAILING_PAREN = re.compile(r"\s*[(（][^()（）]{1,40}[)）]$")
_LEADING_THE = re.compile(r"^the\s+(?=\S+\s)", re.IGNORECASE)
# "Rwanda's Ministry of ICT" is Rwanda's ministry: keep the country, drop the possessive
_OWNER_STATE = re.compile(r"^([A-Z][a-z]+)'s\s+(?=(?:Ministry|Department|Government|Embassy)\b)")
# words that describe rather than name: "US-based Aurora Biologics", "China's Jiangxi Rongsheng",
# Indonesia's "PT" (limited company) before the name; "King's College London" keeps its "King's"
_COUNTRIES = (
    "China|Britain|America|India|Japan|Korea|South Korea|Germany|France|Singapore|Malaysia"
    "|Indonesia|Thailand|Vietnam|Australia|Canada|Russia|Brazil|Italy|Spain|Netherlands|Sweden"
    "|Switzerland|Israel|Turkey|Egypt|Kenya|Nigeria|Rwanda|Pakistan|Saudi Arabia|Qatar|Mexico"
    "|Chile|Argentina|Peru|Kazakhstan|Uzbekistan|Philippines|Europe|Africa|Asia|[A-Z]{2,3}"
)
_DESCRIPTOR = re.compile(rf"^(?:(?:[A-Z][\w.-]*-based|(?:{_COUNTRIES})'s|PT)\s+)+(?=[A-Z])")
_EN_SUFFIX = re.compile(
    r"(?:[,\s]+(?:co\.?,?\s*ltd\.?|co\.?|ltd\.?|limited|inc\.?|incorporated|corp\.?|corporation"
    r"|plc|llc|l\.l\.c\.|gmbh|s\.a\.|pte\.?|pvt\.?|tbk|bhd\.?|sdn\.?))+$",
    re.IGNORECASE,
)
_ZH_SUFFIX = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|有限責任公司|股份公司)$")
_EN_CITY = re.compile(
    r"^(?:government\s+of\s+)?(?P<name>[a-z][\w'. -]*?)\s+(?:municipal\s+people's\s+government"
    r"|municipal\s+government|city\s+government|people's\s+government|municipality|city\s+hall)$",
    re.IGNORECASE,
)
_EN_CITY_OF = re.compile(
    r"^government\s+of\s+(?P<name>[a-z][\w'. -]*?)\s+(?:municipality|city)$", re.I
)
_EN_PROVINCE = re.compile(
    r"^(?:government\s+of\s+)?(?P<name>[a-z][\w'. -]*?)\s+(?:provincial\s+people's\s+government"
    r"|provincial\s+government|province)$",
    re.IGNORECASE,
)
_ZH_GOVERNMENT = re.compile(r"^(?P<name>\w{1,12}?[市省县区])(?:人民政府|政府)$")
_ZH_BARE_CITY = re.compile(r"^(?P<name>[\u4e00-\u9fff]{2,8}市)$")


def _clean(name: str) -> str:
    """Return ``name`` in NFKC with single spaces, straight apostrophes and no edge punctuation."""
    text = unicodedata.normalize("NFKC", name).replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"\s+", " ", text).strip(_EDGE_CHARS)
    text = _TRAILING_PAREN.sub("", text).strip(_EDGE_CHARS)
    text = _OWNER_STATE.sub(r"\1 ", _LEADING_THE.sub("", text))
    return _DESCRIPTOR.sub("", text)


def _key(name: str) -> str:
    """Return the case-insensitive lookup key of a cleaned name."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())


def strip_legal_suffix(name: str) -> str:
    """Return ``name`` without trailing legal-form words ("Co., Ltd.", "有限公司", ...)."""
    previous = None
    while previous != name:
        previous = name
        name = _ZH_SUFFIX.sub("", _EN_SUFFIX.sub("", name)).strip(_EDGE_CHARS) or previous
    return name


def government_form(name: str) -> str:
    """Return the one spelling pactwatch uses for a city's or a province's government.

    A bare Chinese city as a party ("绍兴市与吉马良斯市缔结…") is its government.
    """
    if match := _ZH_GOVERNMENT.match(name) or _ZH_BARE_CITY.match(name):
        return f"{match['name']}人民政府"
    for pattern, suffix in (  # a city council is its own body (a UK local authority): kept
        (_EN_PROVINCE, "Provincial Government"),  # before "people's government" takes it
        (_EN_CITY_OF, "Municipal Government"),
        (_EN_CITY, "Municipal Government"),
    ):
        if match := pattern.match(name):
            return f"{match['name']} {suffix}"
    return name


class AliasTable:
    """Maps the names of organisations to one canonical name each."""

    def __init__(self, entries: Mapping[str, Sequence[str]] | None = None) -> None:
        self._lookup: dict[str, str] = {}
        self._memo: dict[str, str] = {}  # canonical() results; pure, so safe to keep
        self._add(entries or {})

    def _add(self, entries: Mapping[str, Sequence[str]]) -> None:
        """Register ``entries`` (canonical -> variants); they override earlier entries."""
        stripped: dict[str, str] = {}
        for canonical, variants in entries.items():
            target = _clean(canonical)
            for name in (canonical, *variants):
                self._lookup[_key(_clean(name))] = target
                stripped[_key(strip_legal_suffix(_clean(name)))] = target
        for key, target in stripped.items():
            self._lookup.setdefault(key, target)

    @classmethod
    def from_mapping(cls, data: object, origin: str) -> AliasTable:
        """Build a table from parsed YAML; raise ConfigError naming ``origin`` when malformed."""
        if not isinstance(data, Mapping):
            raise ConfigError(f"{origin}: aliases must be a mapping of canonical name -> list")
        entries: dict[str, list[str]] = {}
        for canonical, variants in data.items():
            if not isinstance(canonical, str) or not isinstance(variants, list | None):
                raise ConfigError(f"{origin}: alias {canonical!r}: expected a list of names")
            entries[canonical] = [str(v) for v in variants or []]
        return cls(entries)

    @classmethod
    def bundled(cls) -> AliasTable:
        """Return the table of real organisations shipped in ``flows/data/aliases.yaml``."""
        return _bundled_table()

    def extended(self, extra: Mapping[str, Sequence[str]]) -> AliasTable:
        """Return a new table with ``extra`` (canonical -> variants) added; ``extra`` wins."""
        table = AliasTable()
        table._lookup = dict(self._lookup)
        table._add(extra)
        table._memo = {}
        return table

    def lookup(self, name: str) -> str | None:
        """Return the canonical name the table lists for ``name``, or None."""
        return self._lookup.get(_key(_clean(name)))

    def canonical(self, name: str) -> str:
        """Return the canonical name of ``name``, or a cleaned form of it when unknown."""
        if (known := self._memo.get(name)) is not None:
            return known
        current = name
        for _ in range(_MAX_PASSES):
            nxt = self._one_pass(current)
            if nxt == current:
                break
            current = nxt
        if len(self._memo) < _MEMO_SIZE:
            self._memo[name] = current
        return current

    def _one_pass(self, name: str) -> str:
        """Clean, look up, strip legal suffixes, look up, apply government rules, look up."""
        cleaned = _clean(name)
        stripped = strip_legal_suffix(cleaned)
        government = government_form(stripped)
        for candidate in (cleaned, stripped, government):
            if (found := self._lookup.get(_key(candidate))) is not None:
                return found
        return government


@functools.lru_cache(maxsize=1)
def _bundled_table() -> AliasTable:
    """Load the bundled YAML once per process."""
    resource = importlib.resources.files("flows").joinpath(_BUNDLED)
    try:
        data = yaml.safe_load(resource.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"flows/{_BUNDLED}: cannot read aliases: {exc}") from exc
    return AliasTable.from_mapping(data, f"flows/{_BUNDLED}")


def normalise_party(name: str, table: AliasTable | None = None) -> str:
    """Return the canonical name of an organisation (idempotent).

    NFKC, single spaces, case-insensitive alias lookup, legal suffixes stripped, one spelling for
    city and provincial governments.

    Args:
        name: the organisation as written.
        table: the alias table; the bundled one when None.
    """
    return (table or AliasTable.bundled()).canonical(name)
