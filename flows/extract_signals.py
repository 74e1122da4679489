"""Per-sentence signals: is this a signing, is it planned/ended/past, its type, title and fields."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flows import extract_lexicon as lex
from flows.extract_dates import find_date
from flows.extract_parties import chinese_parties, english_parties

EVENT, PLAN, TERMINATED, BACKGROUND = "event", "plan", "terminated", "background"
_WEAK_VERBS = {"reached", "reaches", "concluded", "concludes", "entered", "enter into", "sealed"}
_EN_PHRASE = re.compile(
    r"((?:[\w$’'“”&-]+\s+){0,7}?(?:agreements?|memorand(?:um|ums|a)(?: of understanding)?|mous?"
    r"|contracts?|deals?|partnership|accord|pact)\b(?:\s+\([^)]{1,12}\))?)",
    re.IGNORECASE,
)
_ZH_PHRASE = re.compile(
    r"《([^》]{2,40})》|([^，,。；;:：、]{0,24}?(?:协议|协定|备忘录|合同|意向书))"
)


@dataclass(frozen=True, slots=True)
class Signing:
    """One sentence that talks about signing an agreement."""

    index: int
    sentence: str
    status: str
    parties: tuple[str, ...]
    signed_on: date | None
    phrase: str
    zh: bool


def classify(
    index: int, sentence: str, published: date | None, ref_year: int | None
) -> Signing | None:
    """Return the signing this sentence reports, or None when it reports none.

    Args:
        index: the sentence's position in the article (0 is the title).
        sentence: the sentence text (NFKC).
        published: the publication date, anchor of relative dates.
        ref_year: the year that counts as "now" for "in 2019"-style background cues.
    """
    if lex.CJK.search(sentence):
        return _classify_zh(index, sentence, sentence.translate(lex.T2S), published, ref_year)
    return _classify_en(index, sentence, published, ref_year)


def _classify_en(
    index: int, sentence: str, published: date | None, ref_year: int | None
) -> Signing | None:
    """English rules: a signing verb with an agreement noun, then the cues that rule it out."""
    if not lex.SIGN_EN.search(sentence) or lex.NOT_AGREEMENT_EN.search(sentence):
        return None
    if not lex.AGREEMENT_EN.search(sentence) and not lex.CEREMONY_EN.search(sentence):
        return None
    for verb in lex.SIGN_EN.finditer(sentence):
        after = sentence[verb.end() : verb.end() + 60]
        if verb[0].lower() in _WEAK_VERBS and not lex.AGREEMENT_EN.search(after):
            continue
        status = EVENT
        if lex.TERMINATED_EN.search(sentence):
            status = TERMINATED
        elif _planned_en(sentence, verb.start(), after):
            status = PLAN
        elif lex.BACKGROUND_EN.search(sentence) or _past_year(lex.PAST_YEAR_EN, sentence, ref_year):
            status = BACKGROUND
        parties = english_parties(sentence, verb.start(), verb.end())
        phrase = _EN_PHRASE.search(sentence[verb.end() :]) or _EN_PHRASE.search(sentence)
        return Signing(
            index,
            sentence,
            status,
            tuple(parties),
            find_date(sentence, published),
            phrase[1] if phrase else "",
            False,
        )
    return None


def _planned_en(sentence: str, verb_start: int, after: str) -> bool:
    """Tell whether the verb is planned, hoped for or negated rather than done."""
    before = lex.NOT_ONLY_EN.sub("", sentence[max(0, verb_start - 40) : verb_start])
    clause = re.split(r"[,;:.]\s", sentence[:verb_start])[-1]
    return bool(
        lex.PLAN_BEFORE_EN.search(before)
        or lex.PLAN_CLAUSE_EN.search(clause)
        or lex.PLAN_AFTER_EN.search(after)
        or lex.NEGATED_EN.search(sentence)
    )


def _classify_zh(
    index: int, sentence: str, simplified: str, published: date | None, ref_year: int | None
) -> Signing | None:
    """Chinese rules: 签署/签订/签约 with an agreement word, then the cues that rule it out."""
    if (
        "签" not in simplified
        and "缔结" not in simplified
        and "订立" not in simplified
        and "达成" not in simplified
    ):
        return None
    verb = lex.SIGN_ZH.search(simplified)
    if verb is None or not lex.AGREEMENT_ZH.search(simplified):
        return None
    clause_start = max(
        (m.end() for m in re.finditer(r"[,，。;；:：]", simplified[: verb.start()])), default=0
    )
    before = simplified[max(clause_start, verb.start() - 12) : verb.start()]
    status = EVENT
    if lex.TERMINATED_ZH.search(simplified):
        status = TERMINATED
    elif lex.PLAN_ZH.search(before) or "意向" in simplified:
        status = PLAN
    elif lex.BACKGROUND_ZH.search(simplified) or _past_year(lex.PAST_YEAR_ZH, simplified, ref_year):
        status = BACKGROUND
    parties = chinese_parties(simplified, sentence, verb.start())
    phrase = _ZH_PHRASE.search(simplified, verb.end()) or _ZH_PHRASE.search(
        simplified, clause_start
    )
    text = sentence[phrase.start() : phrase.end()].lstrip("了《").rstrip("》") if phrase else ""
    return Signing(
        index, sentence, status, tuple(parties), find_date(sentence, published), text, True
    )


def _past_year(pattern: re.Pattern[str], sentence: str, ref_year: int | None) -> bool:
    """Tell whether the sentence places something in a year before ``ref_year``."""
    return ref_year is not None and any(int(m["y"]) < ref_year for m in pattern.finditer(sentence))


def agreement_type(phrases: list[str], sentences: list[str]) -> str:
    """Return the agreement type from the agreement's names, else from the sentences around it."""
    for texts in (phrases, sentences):
        simplified = [text.translate(lex.T2S) for text in texts if text]
        for kind, english, chinese in lex.TYPE_RULES:
            if any(english.search(t) or chinese.search(t) for t in simplified):
                return kind
    return "other"


def fields_of(sentences: list[str]) -> tuple[str, ...]:
    """Return the fields of cooperation the sentences name (lexicon plus Chinese lists)."""
    found: list[str] = []
    for sentence in sentences:
        simplified = sentence.translate(lex.T2S)
        if lex.CJK.search(simplified):
            found.extend(_fields_zh(sentence, simplified))
        elif lex.FIELD_CONTEXT_EN.search(sentence):
            found.extend(
                lex.FIELD_NAMES_EN[m[0]] for m in lex.FIELDS_EN_RE.finditer(sentence.lower())
            )
    unique: list[str] = []
    for field in found:
        if field not in unique and not any(field != other and field in other for other in found):
            unique.append(field)
    return tuple(unique)


def _fields_zh(sentence: str, simplified: str) -> list[str]:
    """Chinese fields: "在A、B、C等领域" lists, then lexicon words."""
    found: list[str] = []
    for m in lex.FIELD_LIST_ZH.finditer(simplified):
        around = simplified[max(0, m.start() - 12) : m.start()] + simplified[m.end() : m.end() + 16]
        if not lex.FIELD_LIST_CUE_ZH.search(around):
            continue
        for item in re.split(r"、|以及|及", sentence[m.start(1) : m.end(1)]):
            item = re.sub(
                r"^(?:加强|推进|开展|深化|进一步)|(?:的合作|合作)$", "", item.split("等")[0].strip()
            )
            if 2 <= len(item) <= 14:
                found.append(item)
    if lex.FIELD_CONTEXT_ZH.search(simplified):
        found.extend(word for word in lex.FIELDS_ZH if word in sentence)
    return found
