"""The rule-based agreement extractor: which signings an article reports, with whom, when, what."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from datetime import date
from typing import Protocol

from flows import extract_lexicon as lex
from flows.aliases import AliasTable
from flows.extract_dates import find_date, find_month, years_in
from flows.extract_event import (
    DIGIT,
    MONEY_CONTEXT,
    Context,
    Draft,
    deal_amounts,
    event_fields,
    money_sentences,
)
from flows.extract_fields import content_sentences, fields_of
from flows.extract_parties import agreeing_parties, split_sentences
from flows.extract_place import centre_type, location, signatories
from flows.extract_resolve import Resolver
from flows.extract_signals import BACKGROUND, EVENT, Signing, agreement_type, classify
from flows.models import Agreement, Article, Extraction

EXTRACTOR_VERSION = "rules-3"
LEAD_SENTENCES = 6  # title + the first paragraphs: where news reports its event
_ALSO = re.compile(
    r"还与|还同|同时与|此外|另外|仪式上|现场|\balso\b|\bseparately\b|\bat the (?:same )?ceremony\b",
    re.I,
)
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
_EVENT_WORDS = re.compile(
    r"\b(?:event|ceremony|summit|inaugurat\w*|conference|forum|meeting|expo|fair)\b"
    r"|仪式|会上|大会|活动|论坛|交流会|推介会|洽谈会|博览会|签约会|对接会|举行|举办",
    re.I,
)


class Extractor(Protocol):
    """Anything that turns an article into an Extraction."""

    version: str

    def extract(self, article: Article) -> Extraction:
        """Return the signings ``article`` reports."""
        ...


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
            _borrow_parties(s, sentences)
            for i, t in enumerate(sentences)
            for s in classify(i, t, published, ref_year)
        ]
        resolver = Resolver(self.aliases, article, text)
        in_lead = _lead(sentences)
        drafts = _event_drafts(signings, in_lead, resolver)
        primary = [s.sentence for s in drafts[0].signings] if drafts else []
        others = [s.sentence for d in drafts[1:] for s in d.signings if s.sentence not in primary]
        content = content_sentences(sentences, primary + others) if drafts else []
        context = Context(
            [sentences[i] for i in sorted(in_lead)],
            fields_of(primary + content) if drafts else (),
            published,
            sentences,
            [s for s in sentences if DIGIT.search(s) and MONEY_CONTEXT.search(s)] if drafts else [],
        )
        agreements = [
            a
            for i, d in enumerate(drafts)
            for a in _finish(
                d,
                context,
                i == 0,
                money_sentences(d, drafts, context, i == 0),
                event_fields(d, drafts, content) if len(drafts) > 1 else None,
            )
        ]
        agreements = _same_event(agreements)
        background = _merge([s for s in signings if s.status == BACKGROUND], resolver)
        empty = Context([], (), published)
        return Extraction(
            is_signing=bool(agreements),  # a signing nobody is named as party to is no report
            agreements=tuple(agreements),
            background_agreements=tuple(
                a for d in background if d.parties for a in _finish(d, empty, False)
            ),
            extractor_version=self.version,
        )


def _borrow_parties(signing: Signing, sentences: list[str]) -> Signing:
    """Give a passive English signing that names nobody the parties of the sentence before it.

    "A and B have agreed to set up a centre. The agreement was signed last Friday by ..."
    """
    if signing.zh or signing.parties or signing.status != EVENT:
        return signing
    for index in (signing.index - 1, signing.index - 2, 0):
        if 0 <= index < signing.index and len(found := agreeing_parties(sentences[index])) >= 2:
            return dataclasses.replace(signing, parties=tuple(found))
    return signing


def _same_event(agreements: list[Agreement]) -> list[Agreement]:
    """Give every agreement reported together the first one's date and place when it has none."""
    if not agreements:
        return agreements
    first = agreements[0]
    return [
        dataclasses.replace(
            a,
            signed_on=a.signed_on or first.signed_on,
            signed_on_precision=a.signed_on_precision if a.signed_on else first.signed_on_precision,
            location=a.location or first.location,
        )
        for a in agreements
    ]


def _event_drafts(signings: list[Signing], in_lead: set[int], resolver: Resolver) -> list[Draft]:
    """Return the agreements the lead's signing events make up (with later details)."""
    events = [s for s in signings if s.status == EVENT]
    lead = [s for s in events if s.index in in_lead]
    if not any(p != "@subject" for s in lead for p in s.parties):
        # the report may open with context ("签署4项合作协议") and name the signings further down
        lead = [s for s in events if any(p != "@subject" for p in s.parties)] or lead
    drafts = _merge(lead, resolver)
    if any(len(d.parties) >= 2 for d in drafts):
        drafts = [d for d in drafts if len(d.parties) >= 2]
    for later in (s for s in events if s not in lead):
        # "签约仪式上，A还与C签署了…", "A also signed a loan contract with C": another agreement
        _attach(drafts, later, resolver, create=bool(_ALSO.search(later.sentence)))
    return [d for d in drafts if d.parties]


def _lead(sentences: list[str]) -> set[int]:
    """Return the indices of the title and the first substantive sentences."""
    lead = {0}
    for i, sentence in enumerate(sentences[1:], start=1):
        if len(lead) >= LEAD_SENTENCES:
            break
        if len(sentence) >= (12 if lex.CJK.search(sentence) else 40):
            lead.add(i)
    return lead


def _merge(signings: list[Signing], resolver: Resolver) -> list[Draft]:
    """Group signing sentences into agreements by shared parties."""
    drafts: list[Draft] = []
    for signing in sorted(signings, key=lambda s: (s.index == 0, s.index)):  # title last
        _attach(drafts, signing, resolver, create=True)
    return drafts


def _named(drafts: list[Draft], signing: Signing, resolver: Resolver) -> list[tuple[str, str]]:
    """Return (canonical, written) for the parties a signing names, without repeats."""
    named: list[tuple[str, str]] = []
    for written in signing.parties:
        if written == "@subject" and drafts and drafts[0].parties:  # "the tech giant"
            named.append((drafts[0].parties[0], drafts[0].written[0]))
        elif canonical := resolver.resolve(written, signing.parties):
            named.append((canonical, canonical if written.startswith("@") else written))
    return [(c, w) for i, (c, w) in enumerate(named) if all(not _same(c, o) for o, _ in named[:i])]


def _shares(draft: Draft, named: list[tuple[str, str]]) -> bool:
    """Tell whether a draft has one of the named parties."""
    return any(_same(c, p) for c, _ in named for p in draft.parties)


def _target(drafts: list[Draft], named: list[tuple[str, str]]) -> Draft | None:
    """Return the draft a signing adds to: one with the same parties, or a subset of them.

    A signing that names two or more parties, some of them new to every draft, is another
    agreement of the same event ("A signed with B ...; A also signed with C").
    """
    names = [c for c, _ in named]
    for draft in drafts:
        mine = [n for n in names if any(_same(n, p) for p in draft.parties)]
        if not mine:
            continue
        if len(names) < 2 or len(mine) == len(names) or len(draft.parties) < 2:
            return draft
        if all(any(_same(p, n) for n in names) for p in draft.parties):
            return draft
    return None


def _attach(
    drafts: list[Draft], signing: Signing, resolver: Resolver, create: bool = False
) -> None:
    """Add a signing to the draft it belongs to, else (if ``create``) start a new one."""
    named = [] if signing.on_behalf and drafts else _named(drafts, signing, resolver)
    target = _target(drafts, named)
    if target is None and signing.index == 0 and drafts:  # the title sums up the body's signing
        target = next((d for d in drafts if _shares(d, named)), drafts[0])
    if target is None and not named and drafts:
        target = drafts[0]
    if target is None:
        if not create or not named:
            return
        target = Draft([], [])
        drafts.append(target)
    full = len(target.parties) >= 2 and len(named) <= len(target.parties)
    for canonical, written in named:
        match = next((i for i, p in enumerate(target.parties) if _same(p, canonical)), None)
        if match is None and not full:
            target.parties.append(canonical)
            target.written.append(written)
        elif match is not None and len(canonical) > len(target.parties[match]):
            target.parties[match] = canonical
    target.signings.append(signing)


def _signed_on(draft: Draft, context: Context) -> tuple[date | None, str]:
    """Return the first date a signing sentence states, else the date of the lead's event.

    Returns (date, precision): precision "month" when the signing sentences name only a month
    ("2025年3月，双方签署…", "signed in March 2021"; the month's first day is the date).
    """
    ordered = sorted(draft.signings, key=lambda s: s.index)
    for signing in ordered:
        if signing.signed_on:
            return signing.signed_on, "day"
    for sentence in context.lead:
        day = find_date(sentence, context.published) if _EVENT_WORDS.search(sentence) else None
        if day is not None:
            return day, "day"
    for signing in ordered:
        if month := find_month(signing.sentence, context.published):
            return month, "month"
    return None, "day"


def _finish(
    draft: Draft,
    context: Context,
    primary: bool,
    money: list[str] | None = None,
    fields: tuple[str, ...] | None = None,
) -> list[Agreement]:
    """Build the agreements of a draft: date, type, title, place, fields and amounts.

    A draft is one agreement, or several when its sentences list or count them ("signed two
    MoUs", "签署了A协议、B协议"); the amounts go to the first.
    """
    first = min(draft.signings, key=lambda s: (s.index == 0, s.index))
    ordered = sorted(draft.signings, key=lambda s: (s.index == 0, s.index))  # title last
    texts = [s.sentence for s in sorted(draft.signings, key=lambda s: s.index)]
    signed_on, precision = _signed_on(draft, context)
    amounts = deal_amounts(texts, money or [])
    confidence = (
        0.5 + 0.2 * (len(draft.parties) >= 2) + 0.1 * bool(signed_on) + 0.1 * (first.index < 3)
    )
    phrase = next((s.phrase for s in draft.signings if s.phrase), "")
    kind = agreement_type([s.phrase for s in draft.signings], [s.scope for s in draft.signings])
    if kind == "other" and first.index != 0 and context.lead:  # "X wins contract" in the title
        kind = agreement_type([], context.lead[:1])
    agreement = Agreement(
        parties=tuple(sorted(set(draft.parties))),
        parties_as_written=tuple(draft.written),
        agreement_type=centre_type(kind, texts + context.lead[:1]),
        signed_on=signed_on,
        signed_on_precision=precision,
        reported_on=context.published,
        title=phrase or None,
        location=location(ordered, context.lead if primary else [], context.sentences),
        fields=fields if fields is not None else context.fields if primary else fields_of(texts),
        amounts=amounts,
        signatories=signatories(texts + context.lead),
        evidence=first.sentence[:400],
        confidence=round(confidence, 2),
    )
    return _several(agreement, draft)


def _several(agreement: Agreement, draft: Draft) -> list[Agreement]:
    """Return the draft's agreement once per agreement its sentences list or count."""
    titles = next((s.titles for s in draft.signings if s.titles), ())
    if titles:
        return [
            dataclasses.replace(
                agreement,
                title=title,
                agreement_type=agreement_type([title], []),
                amounts=agreement.amounts if i == 0 else (),
            )
            for i, title in enumerate(titles)
        ]
    copies = max(s.count for s in draft.signings)
    return [agreement] + [dataclasses.replace(agreement, amounts=()) for _ in range(copies - 1)]
