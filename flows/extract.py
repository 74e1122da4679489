"""The rule-based agreement extractor: which signings an article reports, with whom, when, what."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from flows import extract_lexicon as lex
from flows.aliases import AliasTable
from flows.extract_amounts import find_amounts
from flows.extract_dates import find_date, find_month, years_in
from flows.extract_fields import content_sentences, fields_of
from flows.extract_parties import agreeing_parties, split_sentences
from flows.extract_place import centre_type, location, signatories
from flows.extract_resolve import Resolver
from flows.extract_signals import BACKGROUND, EVENT, Signing, agreement_type, classify
from flows.models import Agreement, Article, Extraction

EXTRACTOR_VERSION = "rules-3"
LEAD_SENTENCES = 6  # title + the first paragraphs: where news reports its event
_DIGIT = re.compile(r"\d")  # every amount has one: a cheap test before _MONEY_CONTEXT
_MONEY_CONTEXT = re.compile(
    r"invest|fund|commit|worth|valued|total|financ|loan|credit|投资|投入|资金|出资|金额|总额|签约"
    r"|融资|贷款|授信|经费",
    re.I,
)
_ALSO = re.compile(
    r"还与|还同|同时与|此外|另外|仪式上|现场|\balso\b|\bseparately\b|\bat the (?:same )?ceremony\b",
    re.I,
)
# a sentence about what the agreement provides: its amounts belong to the agreement
_TERMS = re.compile(
    r"根据|按照|协议约定|合同约定"
    r"|\b(?:under|according to|as part of) (?:the|this) (?:agreement|deal|contract|mou|memorandum"
    r"|partnership)|\bthe (?:agreement|deal|contract|mou|partnership)"
    r" (?:will|is worth|involves|covers|includes|provides)",
    re.I,
)
# money a party commits: "每年投入科研经费200万元", "will invest $85m in the terminal"
_COMMITS = re.compile(
    r"投入|投资|出资|提供|安排|资助|融资|授信|贷款"
    r"|\b(?:will|to) (?:invest|provide|fund|commit|spend|contribute|finance|lend)"
    r"|\bplans? to invest\b|\bworth\b|\bvalued at\b",
    re.I,
)
# money that is no part of the deal: a party's revenue, capital, output or past spending
_NOT_DEAL_MONEY = re.compile(
    r"(?:营业收入|营收|注册资本|市值|净利润|产值|销售额|营业额|收入|余额|去年|上年|此前|其中)"
    r"[^，,。；;]{0,12}$"
    r"|\b(?:revenues?|sales|profits?|market (?:value|cap)|registered capital|turnover|balance"
    r"|of which)\b[^,;.]{0,16}$",
    re.I,
)
# a joint venture's registered capital is the deal's size ("合资公司注册资本为2,000万欧元")
_NOT_VENTURE_MONEY = re.compile(
    _NOT_DEAL_MONEY.pattern.replace("注册资本|", "").replace("registered capital|", ""), re.I
)
# an event's total over many projects or agreements, not one agreement's amount
_TOTALS = re.compile(
    r"\d+\s*(?:个|项|家)(?:重大|重点)?(?:项目|协议|合同)|项目\d+个|共签约|共计|合计|累计"
    r"|\b\d+ (?:projects|deals|agreements|contracts)\b|\bin total\b",
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
        context = _Context(
            [sentences[i] for i in sorted(in_lead)],
            fields_of(primary + content) if drafts else (),
            published,
            sentences,
            [s for s in sentences if _DIGIT.search(s) and _MONEY_CONTEXT.search(s)]
            if drafts
            else [],
        )
        agreements = [
            a
            for i, d in enumerate(drafts)
            for a in _finish(
                d,
                context,
                i == 0,
                _money_sentences(d, drafts, context, i == 0),
                _event_fields(d, drafts, content) if len(drafts) > 1 else None,
            )
        ]
        agreements = _same_event(agreements)
        background = _merge([s for s in signings if s.status == BACKGROUND], resolver)
        empty = _Context([], (), published)
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


def _event_drafts(signings: list[Signing], in_lead: set[int], resolver: Resolver) -> list[_Draft]:
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


def _merge(signings: list[Signing], resolver: Resolver) -> list[_Draft]:
    """Group signing sentences into agreements by shared parties."""
    drafts: list[_Draft] = []
    for signing in sorted(signings, key=lambda s: (s.index == 0, s.index)):  # title last
        _attach(drafts, signing, resolver, create=True)
    return drafts


def _named(drafts: list[_Draft], signing: Signing, resolver: Resolver) -> list[tuple[str, str]]:
    """Return (canonical, written) for the parties a signing names, without repeats."""
    named: list[tuple[str, str]] = []
    for written in signing.parties:
        if written == "@subject" and drafts and drafts[0].parties:  # "the tech giant"
            named.append((drafts[0].parties[0], drafts[0].written[0]))
        elif canonical := resolver.resolve(written, signing.parties):
            named.append((canonical, canonical if written.startswith("@") else written))
    return [(c, w) for i, (c, w) in enumerate(named) if all(not _same(c, o) for o, _ in named[:i])]


def _shares(draft: _Draft, named: list[tuple[str, str]]) -> bool:
    """Tell whether a draft has one of the named parties."""
    return any(_same(c, p) for c, _ in named for p in draft.parties)


def _target(drafts: list[_Draft], named: list[tuple[str, str]]) -> _Draft | None:
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
    drafts: list[_Draft], signing: Signing, resolver: Resolver, create: bool = False
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
        target = _Draft([], [])
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


@dataclass(frozen=True, slots=True)
class _Context:
    """What every agreement of one article shares: its lead, fields and publication date."""

    lead: list[str]
    fields: tuple[str, ...]
    published: date | None
    sentences: list[str] = field(default_factory=list)  # all of them, in order
    money: list[str] = field(default_factory=list)  # those that speak of money, in order


def _signed_on(draft: _Draft, context: _Context) -> tuple[date | None, str]:
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


def _mentions(sentence: str, names: list[str]) -> bool:
    """Tell whether a sentence names one of ``names`` (a Chinese name also by its head)."""
    return any(n and (n in sentence or (lex.CJK.search(n) and n[:4] in sentence)) for n in names)


def _distinct(draft: _Draft, drafts: list[_Draft]) -> list[str]:
    """Return the names of a draft's parties that no other agreement of the article has."""
    shared = {n for d in drafts if d is not draft for n in (*d.parties, *d.written)}
    return [n for n in (*draft.parties, *draft.written) if n not in shared]


def _money_sentences(
    draft: _Draft, drafts: list[_Draft], context: _Context, primary: bool
) -> list[str]:
    """Return the sentences whose amounts belong to a draft's agreement.

    Its own signing sentences; for the first agreement also the lead's money sentences; and the
    "under the agreement ..." sentences that name a party only it has (or, for the first, no
    such party of any agreement). Another agreement's signing sentences are never taken. A total
    over many projects ("32 projects worth 21.6 billion yuan", "签约项目56个") is the event's.
    """
    mine = _distinct(draft, drafts)
    own = [  # a title over several agreements ("三家企业…总投资超150亿元") sums them all
        s.sentence
        for s in sorted(draft.signings, key=lambda s: s.index)
        if s.index != 0 or len(drafts) == 1 or _mentions(s.sentence, mine)
    ]
    theirs = {s.sentence for d in drafts if d is not draft for s in d.signings}
    found = list(own)
    if primary:  # with several agreements, a lead's sum is the first one's only if it names it
        found += [
            s
            for s in context.lead
            if s in context.money and s not in theirs and (len(drafts) == 1 or _mentions(s, mine))
        ]
    for sentence in context.money:
        if sentence in found or sentence in theirs:
            continue
        if len(drafts) > 1 and sentence == context.sentences[0] and not _mentions(sentence, mine):
            continue  # the title's sum covers every agreement of the event
        named = [d for d in drafts if _mentions(sentence, _distinct(d, drafts))]
        about_it = _TERMS.search(sentence) or (
            _mentions(sentence, [*draft.parties, *draft.written]) and _COMMITS.search(sentence)
        )
        if about_it and (_mentions(sentence, mine) or (primary and not named)):
            found.append(sentence)
    alone = len(drafts) == 1  # a lone agreement's own sentence may state its total
    return [s for s in found if not _TOTALS.search(s) or (alone and s in own)]


def _event_fields(draft: _Draft, drafts: list[_Draft], content: list[str]) -> tuple[str, ...]:
    """Return the fields of one of several agreements signed at one event.

    Its own signing sentences, and the sentences about what an agreement covers that name a
    party only it has (the first agreement also takes those that name no such party).
    """
    own = [s.sentence for s in sorted(draft.signings, key=lambda s: s.index)]
    mine = _distinct(draft, drafts)
    first = draft is drafts[0]
    taken = [
        sentence
        for sentence in content
        if _mentions(sentence, mine)
        or (first and not any(_mentions(sentence, _distinct(d, drafts)) for d in drafts))
    ]
    return fields_of(own + [s for s in taken if s not in own])


def _finish(
    draft: _Draft,
    context: _Context,
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
    venture = any(lex.TYPE_RULES[0][1].search(t) or lex.TYPE_RULES[0][2].search(t) for t in texts)
    exclude = _NOT_VENTURE_MONEY if venture else _NOT_DEAL_MONEY
    amounts = tuple(find_amounts(" \n".join(dict.fromkeys(money)), exclude)) if money else ()
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


def _several(agreement: Agreement, draft: _Draft) -> list[Agreement]:
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
