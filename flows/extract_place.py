"""Where a signing took place, who signed, and the centre an MoU sets up."""

from __future__ import annotations

import re
from collections.abc import Sequence

from flows import extract_lexicon as lex
from flows.extract_signals import Signing

_DETERMINER = r"(?:(?:the|a|an|this|last|next)\s+)?(?:(?:week|year|month)[’']s\s+)?"
_LOCATION_EN = re.compile(
    rf"\b(?:in|at)\s+{_DETERMINER}(?P<p>[A-Z][\w’'-]*(?:\s+(?:of\s+)?[A-Z0-9][\w’'-]*){{0,6}})"
    r"(?:,?\s+in\s+(?P<c>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,2}))?"
)
# "in the distinguished guest reception room of the municipal government"
_VENUE_EN = re.compile(
    r"\bin the (?P<p>[a-z][a-z ’'-]{0,40}?\b(?:room|hall|building|auditorium|campus|headquarters"
    r"|office|offices|center|centre)(?: of (?:the )?[\w ’'-]{2,40}?)?)(?=[,.;]|\s+and\s|\s+on\s|$)"
)
_QUOTED = re.compile(r"“[^”]{0,200}”|\"[^\"]{0,200}\"")
_EVENT_NOUNS = r"(?:summit|conference|forum|expo|congress|fair|ceremony|meeting|festival|show|week)"
_THE_EVENT = re.compile(rf"\b(?:at|during|on the sidelines of) the {_EVENT_NOUNS}\b", re.I)
_NAMED_EVENT = re.compile(
    r"(?P<p>[A-Z][\w’'-]*(?:\s+(?:of\s+)?[A-Z0-9][\w’'-]*){0,6}\s+"
    r"(?:Summit|Conference|Forum|Expo|Congress|Fair|Ceremony|Meeting|Festival|Show|Week))"
    r"(?:[^.;]{0,40}?\bin\s+(?P<c>[A-Z][\w’'-]+))?"
)
_LOCATION_ZH = re.compile(
    r"(?:在|(?<![关对由基鉴属等位])于)(?P<p>[\u4e00-\u9fff()（）]{2,24}?)(?:举行|举办|签署|签订|签约|隆重|召开)"
    r"|(?:在|于)(?P<e>[\u4e00-\u9fff()（）]{2,24}?(?:大会|峰会|论坛|博览会|展会|会议|交易会))(?:上|期间|现场)"
)
_NOT_PLACES = {
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    "Saturday", "Sunday", "The", "This", "That", "A", "An", "Its", "Their", "Our", "China",
}  # fmt: skip
_NOT_PLACES_ZH = re.compile(
    r"^(?:此|该|本|这|今年|去年|近日|日前|当天|会上|现场|集中|与|和|同|双方)"
)
_EVENT_EN = re.compile(
    r"\b(?:ceremony|event|summit|forum|conference|congress|expo|held|inaugurat\w*)\b", re.I
)
_CENTRE_EN = re.compile(
    r"\b(?:launch\w*|establish\w*|set(?:ting)? up|open\w*|build\w*|found\w*|co-?found\w*)\b"
    r"[^.;]{0,60}?\b(?:lab|labs|laborator(?:y|ies)|cent(?:er|re)s?)\b[^.;]{0,40}?\bwith\b",
    re.I,
)
_CENTRE_ZH = re.compile(
    r"(?:共建|联合建立|合作建立|共同建立|共同成立|联合成立)\w{0,12}?"
    r"(?:实验室|研究院|研究中心|创新中心|研发中心)"
)
_TITLES_ZH = (
    r"(?:副?校长|副?董事长|总经理|副?总裁|副?市长|副?院长|副?主任|书记|副?局长|副?厅长|副?部长"
    r"|副?总监|副?总经理|副?省长|副?区长|副?县长|CEO)"
)
_SIGNER_ZH = re.compile(_TITLES_ZH + r"(?P<n>[\u4e00-\u9fff]{2,3}?)(?=、|和|与|及|分别|共同|代表)")
_NAME_RUN = r"[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){1,5}"
_SIGNED_BY_EN = re.compile(
    rf"\bsigned by\s+(?:the\s+)?(?P<a>{_NAME_RUN})(?:,[^,]{{2,80}},)?"
    rf"\s+and\s+(?:the\s+)?(?P<b>{_NAME_RUN})"
)


_TITLE_WORDS_EN = re.compile(
    r"\b(?:(?:President|Chairman|Chairwoman|Chief|Executive|Officer|Dean|Mayor|Governor|Vice"
    r"|Director|Minister|Secretary|Professor|Prof|Dr|Mr|Mrs|Ms|CEO|General|Managing|Manager"
    r"|Deputy|Rector|Head)\.?\s+)+"
)


def _person(run: str) -> str:
    """Return the person's name at the end of "Lakeside University President Mara Lind"."""
    return _TITLE_WORDS_EN.split(run)[-1].strip(" .")


def location(
    signings: Sequence[Signing], lead: Sequence[str], sentences: Sequence[str] = ()
) -> str | None:
    """Return where the signing took place: its own sentences first, else the lead's event.

    Args:
        signings: the agreement's signing sentences, first one first.
        lead: the article's lead sentences; empty when only the signing sentences may say.
        sentences: all the article's sentences, where "at the summit" finds the summit's name.
    """
    parties = [p for s in signings for p in s.parties]
    for signing in signings:
        earlier = list(sentences[: signing.index])[::-1]  # the nearest mention first
        if _THE_EVENT.search(signing.sentence) and (named := _named_event(earlier)):
            return named  # "At the summit, ..." names the summit in the lead
        if found := _place(signing.sentence, parties):
            return found
    for sentence in lead:
        if (lex.CJK.search(sentence) or _EVENT_EN.search(sentence)) and (
            found := _place(sentence, parties)
        ):
            return found
    return None


def _named_event(sentences: Sequence[str]) -> str | None:
    """Return the first named event in ``sentences`` ("Huawei's City Summit ... in Chongqing")."""
    for sentence in sentences:
        if not lex.CJK.search(sentence) and (m := _NAMED_EVENT.search(sentence)):
            place = re.sub(r"^(?:The|At|In|During)\s+", "", m["p"])
            return f"{place}, {m['c']}" if m["c"] else place
    return None


def _place(sentence: str, parties: Sequence[str]) -> str | None:
    """Return the place or venue one sentence names for its event, or None."""
    if lex.CJK.search(sentence):
        for m in _LOCATION_ZH.finditer(sentence.translate(lex.T2S)):
            group = "p" if m["p"] else "e"
            place = sentence[m.start(group) : m.end(group)]
            if group == "p" and re.search(r"[会坛]上$", place):  # "在X大会上签署": the event
                place = place[:-1]
            if not _NOT_PLACES_ZH.match(place):
                return place
        return None
    unquoted = _QUOTED.sub(lambda q: " " * len(q[0]), sentence)  # "... Base in Chongqing" is a name
    for m in _LOCATION_EN.finditer(unquoted):
        place = m["p"]
        if place.split()[0] in _NOT_PLACES or any(place in p for p in parties):
            continue
        return f"{place}, {m['c']}" if m["c"] else place
    venue = _VENUE_EN.search(sentence)
    return venue["p"] if venue else None


def centre_type(kind: str, sentences: Sequence[str]) -> str:
    """Return joint_lab_or_centre for an MoU (or untyped deal) that sets up a centre with others."""
    if kind not in {"mou", "other"}:
        return kind
    for sentence in sentences:
        if _CENTRE_EN.search(sentence) or _CENTRE_ZH.search(sentence.translate(lex.T2S)):
            return "joint_lab_or_centre"
    return kind


def signatories(sentences: Sequence[str]) -> tuple[str, ...]:
    """Return the people named as signing ("signed by A and B", "校长甲、董事长乙代表双方签署")."""
    found: list[str] = []
    for sentence in sentences:
        simplified = sentence.translate(lex.T2S)
        if lex.CJK.search(simplified):
            verb = simplified.find("代表")
            if verb > 0 and "签" in simplified[verb:]:
                found.extend(
                    sentence[m.start("n") : m.end("n")]
                    for m in _SIGNER_ZH.finditer(simplified[: verb + 2])
                )
        elif m := _SIGNED_BY_EN.search(sentence):
            found.extend(_person(name) for name in (m["a"], m["b"]))
    return tuple(dict.fromkeys(found))
