"""One article's agreements being assembled, and which of its sentences belong to which.

An event can sign several agreements; a sentence about money or fields of cooperation belongs to
the agreement whose own party it names (the first agreement takes those naming none).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from flows import extract_lexicon as lex
from flows.extract_amounts import find_amounts
from flows.extract_fields import fields_of
from flows.extract_signals import Signing
from flows.models import Amount

DIGIT = re.compile(r"\d")  # every amount has one: a cheap test before MONEY_CONTEXT
MONEY_CONTEXT = re.compile(
    r"invest|fund|commit|worth|valued|total|financ|loan|credit|投资|投入|资金|出资|金额|总额|签约"
    r"|融资|贷款|授信|经费",
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
NOT_DEAL_MONEY = re.compile(
    r"(?:营业收入|营收|注册资本|市值|净利润|产值|销售额|营业额|收入|余额|去年|上年|此前|其中)"
    r"[^，,。；;]{0,12}$"
    r"|\b(?:revenues?|sales|profits?|market (?:value|cap)|registered capital|turnover|balance"
    r"|of which)\b[^,;.]{0,16}$",
    re.I,
)
# a joint venture's registered capital is the deal's size ("合资公司注册资本为2,000万欧元")
NOT_VENTURE_MONEY = re.compile(
    NOT_DEAL_MONEY.pattern.replace("注册资本|", "").replace("registered capital|", ""), re.I
)
# an event's total over many projects or agreements, not one agreement's amount
_TOTALS = re.compile(
    r"\d+\s*(?:个|项|家)(?:重大|重点)?(?:项目|协议|合同)|项目\d+个|共签约|共计|合计|累计"
    r"|\b\d+ (?:projects|deals|agreements|contracts)\b|\bin total\b",
    re.I,
)


@dataclass
class Draft:
    """An agreement being assembled from one or more signing sentences."""

    parties: list[str]
    written: list[str]
    signings: list[Signing] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Context:
    """What every agreement of one article shares: its lead, fields and publication date."""

    lead: list[str]
    fields: tuple[str, ...]
    published: date | None
    sentences: list[str] = field(default_factory=list)  # all of them, in order
    money: list[str] = field(default_factory=list)  # those that speak of money, in order


def _mentions(sentence: str, names: list[str]) -> bool:
    """Tell whether a sentence names one of ``names`` (a Chinese name also by its head)."""
    return any(n and (n in sentence or (lex.CJK.search(n) and n[:4] in sentence)) for n in names)


def _distinct(draft: Draft, drafts: list[Draft]) -> list[str]:
    """Return the names of a draft's parties that no other agreement of the article has."""
    shared = {n for d in drafts if d is not draft for n in (*d.parties, *d.written)}
    return [n for n in (*draft.parties, *draft.written) if n not in shared]


def money_sentences(
    draft: Draft, drafts: list[Draft], context: Context, primary: bool
) -> list[str]:
    """Return the sentences whose amounts belong to a draft's agreement.

    Its own signing sentences; for the first agreement also the lead's money sentences; and the
    "under the agreement ..." sentences that name a party only it has (or, for the first, no
    such party of any agreement). Another agreement's signing sentences are never taken. A total
    over many projects ("32 projects worth 21.6 billion yuan", "签约项目56个") is the event's.
    """
    mine = _distinct(draft, drafts)
    everyone = [_distinct(d, drafts) for d in drafts]
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
        named = [names for names in everyone if _mentions(sentence, names)]
        about_it = _TERMS.search(sentence) or (
            _mentions(sentence, [*draft.parties, *draft.written]) and _COMMITS.search(sentence)
        )
        if about_it and (_mentions(sentence, mine) or (primary and not named)):
            found.append(sentence)
    alone = len(drafts) == 1  # a lone agreement's own sentence may state its total
    return [s for s in found if not _TOTALS.search(s) or (alone and s in own)]


def event_fields(draft: Draft, drafts: list[Draft], content: list[str]) -> tuple[str, ...]:
    """Return the fields of one of several agreements signed at one event.

    Its own signing sentences, and the sentences about what an agreement covers that name a
    party only it has (the first agreement also takes those that name no such party).
    """
    own = [s.sentence for s in sorted(draft.signings, key=lambda s: s.index)]
    mine = _distinct(draft, drafts)
    everyone = [_distinct(d, drafts) for d in drafts]
    first = draft is drafts[0]
    taken = [
        sentence
        for sentence in content
        if _mentions(sentence, mine)
        or (first and not any(_mentions(sentence, names) for names in everyone))
    ]
    return fields_of(own + [s for s in taken if s not in own])


def deal_amounts(texts: list[str], money: list[str]) -> tuple[Amount, ...]:
    """Return the amounts ``money`` states for an agreement whose own sentences are ``texts``."""
    if not money:
        return ()
    venture = any(lex.TYPE_RULES[0][1].search(t) or lex.TYPE_RULES[0][2].search(t) for t in texts)
    exclude = NOT_VENTURE_MONEY if venture else NOT_DEAL_MONEY
    return tuple(find_amounts(" \n".join(dict.fromkeys(money)), exclude))
