"""Per-sentence signals: is this a signing, is it planned/ended/past, its type, title and fields."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date, timedelta

from flows import extract_lexicon as lex
from flows.extract_dates import find_date, month_number
from flows.extract_multi import count_en, count_zh, titles_zh
from flows.extract_parties import english_parties
from flows.extract_parties_zh import chinese_parties

EVENT, PLAN, TERMINATED, BACKGROUND = "event", "plan", "terminated", "background"
_WEAK_VERBS = {"reached", "reaches", "concluded", "concludes", "entered", "enter into", "sealed"}
_EN_NOUN = re.compile(
    r"(?:agreements?|memorand(?:um|ums|a)(?: of understanding)?|mous?|contracts?|deals?"
    r"|partnership|accord|pact)\b(?:\s+\([^)]{1,12}\))?",
    re.IGNORECASE,
)
_WORDS_BEFORE = re.compile(r"(?:[\w$’'“”&-]+\s+){0,7}$")


def _en_phrase(text: str) -> str:
    """Return the agreement's name: its noun and up to seven words before it ("" if none)."""
    for noun in _EN_NOUN.finditer(text):
        if noun.start() and (text[noun.start() - 1].isalnum() or text[noun.start() - 1] == "_"):
            continue  # inside a word: "workflows" is no "mous"
        tail = text[max(0, noun.start() - 120) : noun.start()]
        words = _WORDS_BEFORE.search(tail)
        return (tail[words.start() :] if words else "") + noun[0]
    return ""


_PHRASE_WINDOW = (
    160  # an agreement's name is near its verb; a bounded scan keeps long sentences fast
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
    scope: str = ""  # the words that describe the agreement (for its type); the sentence if empty
    titles: tuple[str, ...] = ()  # the agreements a sentence lists by name, when two or more
    count: int = 1  # how many agreements the sentence says were signed ("two MoUs")
    on_behalf: bool = False  # signatories "on behalf of both sides": the agreement already named

    def __post_init__(self) -> None:
        if not self.scope:
            object.__setattr__(self, "scope", self.sentence)


def classify(
    index: int, sentence: str, published: date | None, ref_year: int | None
) -> list[Signing]:
    """Return the signings this sentence reports (usually none or one).

    Args:
        index: the sentence's position in the article (0 is the title).
        sentence: the sentence text (NFKC).
        published: the publication date, anchor of relative dates.
        ref_year: the year that counts as "now" for "in 2019"-style background cues.
    """
    if lex.CJK.search(sentence):
        return _classify_zh(index, sentence, sentence.translate(lex.T2S), published, ref_year)
    found = _classify_en(index, sentence, published, ref_year)
    return [found] if found else []


def _classify_en(
    index: int, sentence: str, published: date | None, ref_year: int | None
) -> Signing | None:
    """English rules: a signing verb with an agreement noun, then the cues that rule it out."""
    kind = _candidate_en(sentence)
    if kind == "extension":
        return _extension_en(index, sentence, published)
    if kind != "sign":
        return None
    for verb in lex.SIGN_EN.finditer(sentence):
        after = sentence[verb.end() : verb.end() + 60]
        if verb[0].lower() in _WEAK_VERBS and not lex.AGREEMENT_EN.search(after):
            continue
        if verb[0].lower() in _WEAK_VERBS and lex.CONSENSUS_EN.search(after):
            continue  # "reached a preliminary consensus on forming a joint venture"
        signed_on = find_date(sentence, published)
        status = EVENT
        if lex.TERMINATED_EN.search(sentence):
            status = TERMINATED
        elif _planned_en(sentence, verb.start(), after):
            status = PLAN
        elif (
            lex.BACKGROUND_EN.search(sentence)
            or _past_year(lex.PAST_YEAR_EN, sentence, ref_year)
            or _long_before(signed_on, published)
            or _past_month(lex.PAST_MONTH_EN, sentence, published)
        ):
            status = BACKGROUND
        parties = english_parties(sentence, verb.start(), verb.end())
        phrase = _en_phrase(sentence[verb.end() : verb.end() + _PHRASE_WINDOW])
        phrase = phrase or _en_phrase(sentence[: verb.end() + _PHRASE_WINDOW])
        return Signing(
            index,
            sentence,
            status,
            tuple(parties),
            signed_on,
            phrase,
            False,
            count=count_en(sentence),
        )
    return None


def _candidate_en(sentence: str) -> str:
    """Return "sign" (a signing verb and an agreement noun), "extension" or "" (neither)."""
    lower = sentence.lower()
    if not any(stem in lower for stem in lex.AGREEMENT_STEMS_EN):  # cheap tests first
        return ""
    if not any(stem in lower for stem in lex.SIGN_STEMS_EN) or not lex.SIGN_EN.search(sentence):
        return "extension" if "to " in lower else ""
    if any(stem in lower for stem in lex.NOT_AGREEMENT_STEMS_EN) and lex.NOT_AGREEMENT_EN.search(
        sentence
    ):
        return ""
    if not lex.AGREEMENT_EN.search(sentence) and not lex.CEREMONY_EN.search(sentence):
        return ""
    return "sign"


def _extension_en(index: int, sentence: str, published: date | None) -> Signing | None:
    """Return the new agreement an extension adds ("extended its deal with B to include a ...")."""
    if "to " not in sentence or not lex.EXTENSION_CUE_EN.search(sentence):
        return None  # cheap test first: most sentences have no extension
    found = lex.EXTENSION_EN.search(sentence)
    if found is None or not lex.AGREEMENT_EN.search(sentence, found.end("include")):
        return None
    window = sentence[max(0, found.start() - 40) : found.start()]
    if lex.PLAN_BEFORE_EN.search(window) or re.search(r"\bplan(?:s|ned|ning)?\b", window):
        return None  # "plans the extension of ..."
    scope = sentence[found.end("include") :]
    phrase = _en_phrase(scope)
    verb = "verb" if found["verb"] else "ext"
    parties = english_parties(sentence, found.start(verb), found.end(verb))
    return Signing(
        index,
        sentence,
        TERMINATED if lex.TERMINATED_EN.search(sentence) else EVENT,
        tuple(parties),
        find_date(sentence, published),
        phrase,
        False,
        scope=scope,
    )


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
) -> list[Signing]:
    """Chinese rules: 签署/签订/签约 with an agreement word, then the cues that rule it out.

    One sentence may report several signings ("A与B签署备忘录，C与D签署投资协议"), and
    "A与B、C、D分别签署" is one agreement of A with each.
    """
    if not any(stem in simplified for stem in ("签", "缔结", "订立", "达成")):
        return []
    if not lex.AGREEMENT_ZH.search(simplified):
        return []
    found: list[Signing] = []
    for verb in lex.SIGN_ZH.finditer(simplified):
        if _WITNESSED_ZH.search(simplified, 0, verb.start()):
            continue  # "…代表见证了签约", "出席签约仪式": who watched, not who signed
        signing = _signing_zh(index, sentence, simplified, verb, published, ref_year)
        if _ON_BEHALF_ZH.search(simplified):  # "A董事长X与B总经理Y代表双方签约": the signatories
            signing = dataclasses.replace(signing, on_behalf=True)
        if found and (len(signing.parties) < 2 or signing.parties == found[-1].parties):
            continue  # "签约仪式上签署": the same signing named twice
        found.extend(_each_zh(signing, simplified[: verb.start()]))
    if any(len(s.parties) >= 2 for s in found):  # "签约仪式上，A与B签署": the verb with parties
        found = [s for s in found if len(s.parties) >= 2]
    return found


_WITNESSED_ZH = re.compile(r"(?:见证|出席|参加|参与|观摩)(?:了|下)?$")
_ON_BEHALF_ZH = re.compile(r"代表(?:双方|三方|各方|两校|校企双方)")


def _each_zh(signing: Signing, before_verb: str) -> list[Signing]:
    """Split "A与B、C、D分别签署" into one signing of A with each of B, C and D."""
    clause = re.split(r"[，,。；;]", before_verb)[-1]
    if len(signing.parties) < 3 or "分别" not in clause:
        return [signing]
    first, *others = signing.parties
    return [dataclasses.replace(signing, parties=(first, other), count=1) for other in others]


def _signing_zh(
    index: int,
    sentence: str,
    simplified: str,
    verb: re.Match[str],
    published: date | None,
    ref_year: int | None,
) -> Signing:
    """Return the signing one Chinese verb reports, its status, parties, date and title."""
    clause_start = max(
        (m.end() for m in re.finditer(r"[,，。;；:：]", simplified[: verb.start()])), default=0
    )
    # a plan cue sits before the verb in its clause; an aside ("（以下简称“X”）") may part them
    before = lex.ASIDE_ZH.sub("", simplified[clause_start : verb.start()])[-12:]
    signed_on = find_date(sentence, published)
    status = EVENT
    if lex.TERMINATED_ZH.search(simplified):
        status = TERMINATED
    elif (
        lex.PLAN_ZH.search(before)
        or lex.PLAN_OPEN_ZH.search(simplified, clause_start, verb.start())
        or lex.PLAN_AFTER_ZH.search(simplified[verb.end() :])
        or lex.TALKS_ZH.search(simplified, clause_start, verb.start())
        or "意向" in simplified
    ):
        status = PLAN
    elif (
        lex.BACKGROUND_ZH.search(simplified)
        or _past_year(lex.PAST_YEAR_ZH, simplified, ref_year)
        or _long_before(signed_on, published)
        or _past_month(lex.PAST_MONTH_ZH, simplified, published)
    ):
        status = BACKGROUND
    parties = chinese_parties(simplified, sentence, verb.start())
    phrase = _ZH_PHRASE.search(simplified, verb.end()) or _ZH_PHRASE.search(
        simplified, clause_start
    )
    text = sentence[phrase.start() : phrase.end()].lstrip("了《").rstrip("》") if phrase else ""
    return Signing(
        index,
        sentence,
        status,
        tuple(parties),
        signed_on,
        text,
        True,
        titles=tuple(titles_zh(simplified, sentence, verb.end())),
        count=count_zh(simplified),
    )


def _past_year(pattern: re.Pattern[str], sentence: str, ref_year: int | None) -> bool:
    """Tell whether the sentence places something in a year before ``ref_year``."""
    return ref_year is not None and any(int(m["y"]) < ref_year for m in pattern.finditer(sentence))


# Reports name signings within days (20 at most across the gold sets); one dated months before
# publication is history the article recalls.
_BACKGROUND_AFTER = timedelta(days=60)


def _long_before(signed_on: date | None, published: date | None) -> bool:
    """Tell whether a signing date lies months before the article's publication."""
    return bool(signed_on and published and published - signed_on > _BACKGROUND_AFTER)


def _past_month(pattern: re.Pattern[str], sentence: str, published: date | None) -> bool:
    """Tell whether the sentence places the signing in a month two or more before publication.

    "signed ... in January" in a July report, "3月，双方签署" in a June one. A month-only date
    has no year, so it counts as this year's (a later month would be last year's: past too).
    """
    if published is None:
        return False
    for m in pattern.finditer(sentence):
        month = month_number(m["m"])
        if month is not None and (published.month - month) % 12 >= 2:
            return True
    return False


def agreement_type(phrases: list[str], sentences: list[str]) -> str:
    """Return the agreement type from the agreement's names, else from the sentences around it."""
    for texts in (phrases, sentences):
        simplified = [text.translate(lex.T2S) for text in texts if text]
        for kind, english, chinese in lex.TYPE_RULES:
            if any(english.search(t) or chinese.search(t) for t in simplified):
                return kind
    return "other"
