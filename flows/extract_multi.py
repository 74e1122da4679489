"""Several agreements at one signing: "signed two MoUs", "签署了A协议、B协议和C合同"."""

from __future__ import annotations

import re

from flows import extract_lexicon as lex

_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "2": 2, "3": 3, "4": 4, "5": 5}
_COUNT_EN = re.compile(
    r"\b(?:signed|signs|inked|concluded|sealed|exchanged)\s+(?:a total of\s+)?"
    r"(?P<n>two|three|four|five|six|[2-6])\s+(?:[\w-]+\s+){0,3}?"
    r"(?:agreements|memorand(?:ums|a)|mous|contracts|deals|pacts|accords)\b",
    re.I,
)
_ZH_NUMBERS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_COUNT_ZH = re.compile(
    r"(?:签署|签订|签约)了?(?P<n>[两二三四五六])(?:份|项|个)[^。；，,]{0,12}?(?:协议|合同|备忘录)"
)
_TITLE_ZH = re.compile(
    r"《(?P<q>[^》]{2,40})》|(?P<p>[^、，,。；;:：《》“”]{2,40}?(?:协议书|协议|协定|备忘录|合同))"
)
_LIST_JOIN = re.compile(r"^\s*(?:、|和|及|以及|与|,|，)\s*$")
_TITLE_LEAD = re.compile(r"^(?:了|分别|共同|正式|签署|签订|双方|三方)+")
MAX_AGREEMENTS = 6  # "共计10个协议" names a few; only those named (or counted up to this) come out


def count_en(sentence: str) -> int:
    """Return how many agreements an English sentence says were signed (1 unless it counts)."""
    found = _COUNT_EN.search(sentence)
    return _NUMBERS[found["n"].lower()] if found else 1


def count_zh(simplified: str) -> int:
    """Return how many agreements a Chinese sentence counts ("签署两份协议"), else 1."""
    found = _COUNT_ZH.search(simplified)
    return _ZH_NUMBERS[found["n"]] if found else 1


def titles_zh(simplified: str, original: str, verb_end: int) -> list[str]:
    """Return the agreement names a Chinese signing lists after its verb, when it lists two or more.

    Args:
        simplified: the sentence in simplified characters.
        original: the sentence as written (same length), the source of the returned names.
        verb_end: where the signing verb ends in ``simplified``.
    """
    titles: list[str] = []
    last_end = verb_end
    for m in _TITLE_ZH.finditer(simplified, verb_end):
        if titles and not _LIST_JOIN.match(simplified[last_end : m.start()]):
            break
        if not titles and simplified[last_end : m.start()].strip("了分别共同正式 ") != "":
            break
        text = original[m.start() + _lead_len(simplified[m.start() : m.end()]) : m.end()]
        titles.append(text.strip("《》 "))
        last_end = m.end()
        if len(titles) == MAX_AGREEMENTS:
            break
    return titles if len(titles) >= 2 else []


def _lead_len(title: str) -> int:
    """Return how many leading characters of a listed title are verbs, not its name."""
    found = _TITLE_LEAD.match(title.lstrip("《"))
    return (found.end() if found else 0) + (len(title) - len(title.lstrip("《")))


def count(sentence: str) -> int:
    """Return how many agreements a sentence (either language) counts, at most MAX_AGREEMENTS."""
    simplified = sentence.translate(lex.T2S)
    found = count_zh(simplified) if lex.CJK.search(simplified) else count_en(sentence)
    return min(found, MAX_AGREEMENTS)
