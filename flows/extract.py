"""The rule-based agreement extractor: which signings an article reports, with whom, when, what."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from flows import extract_lexicon as lex
from flows.aliases import AliasTable
from flows.extract_amounts import find_amounts
from flows.extract_dates import find_date, years_in
from flows.extract_parties import defined_acronyms, split_sentences
from flows.extract_signals import BACKGROUND, EVENT, Signing, agreement_type, classify, fields_of
from flows.models import Agreement, Amount, Article, Extraction

EXTRACTOR_VERSION = "rules-1"
LEAD_SENTENCES = 6  # title + the first paragraphs: where news reports its event
_MONEY_CONTEXT = re.compile(
    r"invest|fund|commit|worth|valued|total|financ|投资|投入|资金|出资|金额|总额|签约", re.I
)
_OWNER_ZH = {"我校", "本校", "学校", "我院", "我市", "本市", "我省", "本省", "我区", "我县"}
_SCHOOL_ZH = {"我校", "本校", "学校", "我院"}
_CITY_ZH = {"市政府", "市人民政府", "我市", "本市"}
_PRONOUNS = {"公司", "双方", "两家", "该公司", "对方", "集团", "两校", "雙方"}
_SAME_EXTRA = (
    "Municipal Government",
    "Provincial Government",
    "Group",
    "市人民政府",
    "人民政府",
    "市政府",
    "集团",
    "公司",
)
_SCHOOL_RE = re.compile(r"[\u4e00-\u9fff]{2,14}?(?:大学|学院)")
_CITY_RE = re.compile(r"([\u4e00-\u9fff]{2,3})市")
_EVENT_WORDS = re.compile(
    r"\b(?:event|ceremony|summit|inaugurat\w*|conference|forum|meeting|expo|fair)\b|仪式|会上|大会|活动|论坛",
    re.I,
)
_CITY_EN_RE = re.compile(
    r"\b([A-Z][a-z]{2,})(?:'s|’s)?\s+(?:[Cc]ity|[Mm]unicipal|[Dd]evelopment|[Gg]overnment|[Mm]ayor)\b"
)
_GENERIC_ZH = re.compile(r"^(?:部分|相关|各|全|该|本|我|两|多|所|有关|其他|各个)")
_LOCATION_EN = re.compile(
    r"\b(?:in|at)\s+(?:the\s+)?([A-Z][\w’'-]*(?:\s+(?:of\s+)?[A-Z][\w’'-]*){0,5})"
)
_LOCATION_ZH = re.compile(r"在([\u4e00-\u9fff()（）]{2,20}?)(?:举行|举办|签署|签订|签约|隆重)")
_NOT_PLACES = {
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    "Saturday", "Sunday",
}  # fmt: skip


class Extractor(Protocol):
    """Anything that turns an article into an Extraction."""

    version: str

    def extract(self, article: Article) -> Extraction:
        """Return the signings ``article`` reports."""
        ...


@dataclass
class _Draft:
    """An agreement being assembled from one or more signing sentences."""

    parties: list[str]
    written: list[str]
    signings: list[Signing] = field(default_factory=list)


def _same(a: str, b: str) -> bool:
    """Tell whether two canonical names are one organisation ("Hangzhou" ~ "... Government")."""
    short, long = sorted((a, b), key=len)
    return short == long or (long.startswith(short) and long[len(short) :].strip() in _SAME_EXTRA)


class RuleExtractor:
    """Deterministic keyword and pattern rules for English and Chinese news."""

    def __init__(self, aliases: AliasTable | None = None) -> None:
        self.aliases = aliases or AliasTable.bundled()
        self.version = EXTRACTOR_VERSION

    def extract(self, article: Article) -> Extraction:
        """Return the agreements signed at the event ``article`` reports, plus background ones."""
        text = lex.PINYIN_GLOSS.sub("", unicodedata.normalize("NFKC", article.text))
        sentences = split_sentences(text)
        published = article.published_on
        ref_year = published.year if published else max(years_in(text), default=None)
        signings = [
            s for i, t in enumerate(sentences) if (s := classify(i, t, published, ref_year))
        ]
        resolver = _Resolver(self.aliases, article, text)
        in_lead = _lead(sentences)
        lead, drafts = _event_drafts(signings, in_lead, resolver)
        primary = [s.sentence for s in drafts[0].signings] if drafts else []
        context = _Context(
            [sentences[i] for i in sorted(in_lead)],
            fields_of(primary + [t for t in sentences if t not in primary]) if drafts else (),
            published,
        )
        agreements = [_finish(d, context, i == 0) for i, d in enumerate(drafts)]
        if agreements and (day := agreements[0].signed_on):  # reported together: one event
            agreements = [
                a if a.signed_on else dataclasses.replace(a, signed_on=day) for a in agreements
            ]
        background = _merge([s for s in signings if s.status == BACKGROUND], resolver)
        empty = _Context([], (), published)
        return Extraction(
            is_signing=bool(lead),
            agreements=tuple(agreements),
            background_agreements=tuple(_finish(d, empty, False) for d in background if d.parties),
            extractor_version=self.version,
        )


def _event_drafts(
    signings: list[Signing], in_lead: set[int], resolver: _Resolver
) -> tuple[list[Signing], list[_Draft]]:
    """Return the lead's signing events and the agreements they make up (with later details)."""
    events = [s for s in signings if s.status == EVENT]
    lead = [s for s in events if s.index in in_lead]
    if not lead:  # the report may open with context and name the signing further down
        lead = [s for s in events if any(p != "@subject" for p in s.parties)]
    drafts = _merge(lead, resolver)
    if any(len(d.parties) >= 2 for d in drafts):
        drafts = [d for d in drafts if len(d.parties) >= 2]
    for later in (s for s in events if s not in lead):
        _attach(drafts, later, resolver)
    return lead, [d for d in drafts if d.parties]


class _Resolver:
    """Turns names as written into canonical names for one article."""

    def __init__(self, aliases: AliasTable, article: Article, text: str) -> None:
        self.aliases = aliases
        self.owner = article.source_owner
        self.text = text
        self.acronyms = defined_acronyms(text)

    def resolve(self, written: str) -> str | None:
        """Return the canonical name, or None for a pronoun that cannot be resolved."""
        name = written.strip()
        if name == "@city":
            name = self.owner or self._city_en() or ""
        elif name == "@owner" or name in _OWNER_ZH:
            name = self.owner or self._from_text(name) or ""
        elif name in _CITY_ZH:
            name = self._from_text("我市") or ""
        if not name or name in _PRONOUNS:
            return None
        return self.aliases.canonical(self.acronyms.get(name, name))

    def _city_en(self) -> str | None:
        """Guess the city an English text is about ("Dalian's development" -> Dalian)."""
        counts = Counter(m[1] for m in _CITY_EN_RE.finditer(self.text))
        return f"{counts.most_common(1)[0][0]} Municipal Government" if counts else None

    def _from_text(self, pronoun: str) -> str | None:
        """Guess "我校" as the school the text names most often, "我市" as its city government."""
        if pronoun in _SCHOOL_ZH:
            counts: Counter[str] = Counter()
            for m in _SCHOOL_RE.finditer(self.text):
                counts.update(
                    n for i in range(len(m[0]) - 3) if not _GENERIC_ZH.match(n := m[0][i:])
                )
            if counts:
                best = max(counts.values())
                return max((n for n, c in counts.items() if c == best), key=len)
            return None
        cities = {m[1][i:] for m in _CITY_RE.finditer(self.text) for i in range(len(m[1]) - 1)}
        cities -= {"城", "本市", "我市"}
        if not cities:
            return None
        city = max(sorted(cities), key=lambda c: (self.text.count(c), len(c)))
        return f"{city}市人民政府"


def _lead(sentences: list[str]) -> set[int]:
    """Return the indices of the title and the first substantive sentences."""
    lead = {0}
    for i, sentence in enumerate(sentences[1:], start=1):
        if len(lead) >= LEAD_SENTENCES:
            break
        if len(sentence) >= (12 if lex.CJK.search(sentence) else 40):
            lead.add(i)
    return lead


def _merge(signings: list[Signing], resolver: _Resolver) -> list[_Draft]:
    """Group signing sentences into agreements by shared parties."""
    drafts: list[_Draft] = []
    for signing in sorted(signings, key=lambda s: (s.index == 0, s.index)):  # title last
        _attach(drafts, signing, resolver, create=True)
    return drafts


def _attach(
    drafts: list[_Draft], signing: Signing, resolver: _Resolver, create: bool = False
) -> None:
    """Add a signing to the draft it shares a party with, else (if ``create``) start a new one."""
    named = [(c, w) for w in signing.parties if w != "@subject" and (c := resolver.resolve(w))]
    target = next(
        (d for d in drafts if any(_same(c, p) for c, _ in named for p in d.parties)), None
    )
    if target is None and not named and drafts:
        target = drafts[0]
    if target is None:
        if not create or not named:
            return
        target = _Draft([], [])
        drafts.append(target)
        if "@subject" in signing.parties and drafts[0].parties:  # "the tech giant": the protagonist
            target.parties.append(drafts[0].parties[0])
            target.written.append(drafts[0].written[0])
    full = len(target.parties) >= 2
    for canonical, written in named:
        match = next((i for i, p in enumerate(target.parties) if _same(p, canonical)), None)
        if match is None and not full:
            target.parties.append(canonical)
            target.written.append(written)
        elif match is not None and len(canonical) > len(target.parties[match]):
            target.parties[match] = canonical
    target.signings.append(signing)


@dataclass(frozen=True, slots=True)
class _Context:
    """What every agreement of one article shares: its lead, fields and publication date."""

    lead: list[str]
    fields: tuple[str, ...]
    published: date | None


def _signed_on(draft: _Draft, context: _Context) -> date | None:
    """Return the first date a signing sentence states, else the date of the lead's event."""
    for signing in sorted(draft.signings, key=lambda s: s.index):
        if signing.signed_on:
            return signing.signed_on
    for sentence in context.lead:
        day = find_date(sentence, context.published) if _EVENT_WORDS.search(sentence) else None
        if day is not None:
            return day
    return None


def _finish(draft: _Draft, context: _Context, primary: bool) -> Agreement:
    """Build the Agreement of a draft: date, type, title, place, fields and (primary) amounts."""
    first = min(draft.signings, key=lambda s: (s.index == 0, s.index))
    texts = [s.sentence for s in sorted(draft.signings, key=lambda s: s.index)]
    signed_on = _signed_on(draft, context)
    amounts: tuple[Amount, ...] = ()
    if primary:
        money = [s for s in context.lead if _MONEY_CONTEXT.search(s)] + texts
        amounts = tuple(find_amounts(" \n".join(dict.fromkeys(money))))
    confidence = (
        0.5 + 0.2 * (len(draft.parties) >= 2) + 0.1 * bool(signed_on) + 0.1 * (first.index < 3)
    )
    phrase = next((s.phrase for s in draft.signings if s.phrase), "")
    return Agreement(
        parties=tuple(sorted(set(draft.parties))),
        parties_as_written=tuple(draft.written),
        agreement_type=agreement_type([s.phrase for s in draft.signings], texts),
        signed_on=signed_on,
        reported_on=context.published,
        title=phrase or None,
        location=_location(first),
        fields=context.fields,
        amounts=amounts,
        evidence=first.sentence[:400],
        confidence=round(confidence, 2),
    )


def _location(signing: Signing) -> str | None:
    """Return where the signing took place when the sentence says so."""
    if signing.zh:
        found = _LOCATION_ZH.search(signing.sentence.translate(lex.T2S))
        return signing.sentence[found.start(1) : found.end(1)] if found else None
    for m in _LOCATION_EN.finditer(signing.sentence):
        place = m[1]
        if place.split()[0] not in _NOT_PLACES and not any(place in p for p in signing.parties):
            return place
    return None
