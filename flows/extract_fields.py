"""Fields of cooperation: lexicon words and listed phrases from the sentences about an agreement."""

from __future__ import annotations

import re

from flows import extract_lexicon as lex

# "cooperate in A, B and C", "technologies such as A and B", "to develop A, B and C technologies"
_LIST_CUE_EN = re.compile(
    r"\b(?:(?P<strong>(?:co-?operat\w*|collaborat\w*|work\w*(?: together)?|focus\w*|join hands)"
    r"(?:\s+between\s+[^,.;]{2,60}?)?\s+(?:in|on)(?:\s+the\s+(?:fields?|areas?)\s+of)?"
    r"|in the (?:fields?|areas?) of|technologies in"
    r"|(?:agreement|deal|mou|memorandum|pact|accord|partnership|cooperation|contract)\s+"
    r"(?:also\s+|will\s+)?(?:on|for|covers?|cover|includes?|include|spans?))"
    r"|(?:technolog\w+|fields|areas) such as|to develop)\s+",
    re.I,
)
# every _LIST_CUE_EN match contains one of these (lowercase)
_CUE_STEMS_EN = (
    "operat", "collaborat", "work", "focus", "join hands", "field", "area", "technolog",
    "agreement", "deal", "mou", "memorand", "pact", "accord", "partnership", "cooperation",
    "contract", "such as", "to develop",
)  # fmt: skip
_LIST_END_EN = re.compile(
    r"[.;:()“”\"]|,\s+(?:which|who|while|and (?:will|to|the two))|\s(?:to|with|by|which|that|so"
    r"|in order|in|over|from|between|at|under|within|during|as well as)\s"
)
_ITEM_SPLIT_EN = re.compile(r",\s*(?:and\s+)?|\s+and\s+|\s+or\s+")
_ITEM_LEAD_EN = re.compile(
    r"^(?:(?:the|a|an|its|their|our|new|next[- ]generation|other|related|all|mainly|especially"
    r"|particularly|including)\s+)+",
    re.I,
)
_ITEM_OK_EN = re.compile(
    r"^(?:[a-z0-9][\w/-]*|[A-Z0-9/-]{2,8})(?:\s+(?:[a-z0-9][\w/-]*|[A-Z0-9/-]{2,8})){0,3}$"
)
_NOT_ITEMS_EN = {"example", "instance", "more", "years", "year", "the future", "them", "it", "etc"}
_VERBISH_EN = re.compile(
    r"^\w+ing\b|\b(?:sign\w*|agreement|hope|bid|basis)\b|^[\d\s.,]+$|^[\d.,]+\s"
)
MAX_PHRASES = 8  # per sentence: a longer run is a sentence, not a list of fields


def content_sentences(sentences: list[str], skip: list[str]) -> list[str]:
    """Return the sentences that say what an agreement covers, besides those in ``skip``.

    Chinese sentences all count (their "在A、B等领域" lists carry their own cue); English ones
    need a cue ("Under the agreement", "the two sides will") or to be the title.
    """
    taken = set(skip)
    return [
        s
        for i, s in enumerate(sentences)
        if s not in taken
        and (i == 0 or lex.CJK.search(s) or (_may_be_content(s) and lex.CONTENT_EN.search(s)))
    ]


def _may_be_content(sentence: str) -> bool:
    """Cheap test first: every CONTENT_EN match contains one of CONTENT_STEMS_EN."""
    lower = sentence.lower()
    return any(stem in lower for stem in lex.CONTENT_STEMS_EN)


def fields_of(sentences: list[str]) -> tuple[str, ...]:
    """Return the fields of cooperation the sentences name (lexicon words and listed phrases)."""
    found: list[str] = []
    for sentence in sentences:
        simplified = sentence.translate(lex.T2S)
        if lex.CJK.search(simplified):
            found.extend(_fields_zh(sentence, simplified))
        elif any(stem in (lower := sentence.lower()) for stem in lex.FIELD_CONTEXT_EN):
            found.extend(lex.FIELD_NAMES_EN[m[0]] for m in lex.FIELDS_EN_RE.finditer(lower))
            found.extend(p for p in _phrases_en(sentence) if not _covered(p, found))
            found.extend(p for p in _modifiers_en(sentence) if not _covered(p, found))
    unique: list[str] = []
    for field in found:
        if field not in unique and not any(field != other and field in other for other in found):
            unique.append(field)
    return tuple(unique)


# "a $120 million data centre MoU", "a 12-year street lighting contract": what the deal is about
_AGREEMENT_NOUN_EN = re.compile(
    r"\b(?:contracts?|deals?|mous?|memorand(?:um|a)|pacts?|agreements?|joint ventures?)\b", re.I
)
_NOT_MODIFIER_EN = re.compile(
    r"^(?:strategic|cooperation|co-operation|collaboration|framework|comprehensive|record|new|major"
    r"|first|long-term|exclusive|preliminary|formal|binding|non-binding|sponsored|definitive|final"
    r"|joint|deepened|deepening|overall|landmark|historic|multi-year|partnership|agreement|signs?"
    r"|signed|inks?|inked|seals?|sealed|strikes?|struck|the|a|an|and|with|of|for|on|in|to|its|their"
    r"|his|her|this|that|these|million|billion|bn|m|crore|yuan|dollars?|euros?|pounds|worth|valued"
    r"|cooperative|mutual|general|basic|initial|supplementary|official|bilateral|trilateral"
    r"|tripartite|three-party|two-party|memorandum|understanding|letter|intent|additional|further"
    r"|other|various|several|separate|specific|related|relevant|certain|such|multiple|broad|wide"
    r"|wider|broader|deeper|closer|two|three|four|five|six|ten|both|all|any|each|key|important"
    r"|is|are|was|were|be|been|has|have|had|will|would|as|at|by|from|or|but|not|no)$",
    re.I,
)


_NOUN_STEMS_EN = ("contract", "deal", "mou", "memorand", "pact", "agreement", "joint venture")


def _modifiers_en(sentence: str) -> list[str]:
    """Return what the words right before an agreement noun say it is about ("data centre")."""
    found: list[str] = []
    lower = sentence.lower()
    if not any(stem in lower for stem in _NOUN_STEMS_EN):  # cheap test first
        return found
    for m in _AGREEMENT_NOUN_EN.finditer(sentence):
        if m.start() == 0 or not sentence[m.start() - 1].isspace():
            continue  # "sub-agreements": a prefix, not a topic
        words: list[str] = []
        for word in reversed(sentence[max(0, m.start() - 60) : m.start()].split()[-4:]):
            if _NOT_MODIFIER_EN.match(word) or re.search(r"[\d$£€¥₹A-Z,;:()\"“”']", word):
                break  # a name, an amount or a function word ends the topic
            words.insert(0, word)
        if 1 <= len(words) <= 3:
            found.append(" ".join(words).lower())
    return found


def _covered(phrase: str, found: list[str]) -> bool:
    """Tell whether a listed phrase mostly repeats a field already found."""
    words = set(re.findall(r"\w+", phrase))
    for other in found:
        theirs = set(re.findall(r"\w+", other))
        if words & theirs and len(words & theirs) / min(len(words), len(theirs)) >= 0.5:
            return True
    return False


def _phrases_en(sentence: str) -> list[str]:
    """Return the lowercase phrases an English sentence lists after a cooperation cue."""
    found: list[str] = []
    lower = sentence.lower()
    if not any(stem in lower for stem in _CUE_STEMS_EN):  # cheap test first
        return found
    for cue in _LIST_CUE_EN.finditer(sentence):
        rest = sentence[cue.end() : cue.end() + 200]
        end = _LIST_END_EN.search(rest)
        chunk = rest[: end.start()] if end else rest
        items = [_ITEM_LEAD_EN.sub("", i.strip()) for i in _ITEM_SPLIT_EN.split(chunk)]
        if len(items) == 2 and " " not in items[0] and " and " in chunk:  # "software and hardware
            items = [_ITEM_LEAD_EN.sub("", chunk.strip())]  # industries" is one field
        items = [
            i.lower()
            for i in items
            if _ITEM_OK_EN.match(i) and i.lower() not in _NOT_ITEMS_EN and not _VERBISH_EN.search(i)
        ]
        least = 1 if cue["strong"] else 2  # "work on X" names a field; "to develop X" may not
        if least <= len(items) <= MAX_PHRASES:
            found.extend(i for i in items if i not in found)
    return found


def _split_items_zh(listed: str) -> list[str]:
    """Split a Chinese list at 、/及/以及, and at 和 between two phrases ("智能运维和检测认证").

    "软件和信息服务业" stays whole: a short word before 和 shares the noun after it.
    """
    items: list[str] = []
    for item in re.split(r"、|以及|及", listed):
        parts = item.split("和")
        if len(parts) == 2 and min(len(parts[0].strip()), len(parts[1].strip())) >= 4:
            items.extend(parts)
        else:
            items.append(item)
    return items


# not a field but a degree: "在更大范围、更宽领域", "在各方面"
_NOT_FIELD_ZH = re.compile(r"^(?:更|多|各|全|新的|深层|宽)")


def _fields_zh(sentence: str, simplified: str) -> list[str]:
    """Chinese fields: "在A、B、C等领域" lists and what a project makes, else lexicon words."""
    found = _listed_zh(sentence, simplified)
    if found:  # a list names the fields; lexicon words would only repeat or widen them
        return found
    if lex.FIELD_CONTEXT_ZH.search(simplified):
        named = _EVENT_NAME_ZH.sub("", sentence)  # "新能源大会" is where, not what
        found.extend(word for word in lex.FIELDS_ZH if word in named)
    if lex.FIELD_LIST_CUE_ZH.search(simplified):
        found.extend(_single_fields_zh(sentence, simplified))
    return found


def _listed_zh(sentence: str, simplified: str) -> list[str]:
    """Return the items of "在A、B等领域" lists and of "主要生产A和B" (what a project makes)."""
    found: list[str] = []
    for m in lex.FIELD_LIST_ZH.finditer(simplified):
        around = simplified[max(0, m.start() - 12) : m.start()] + simplified[m.end() : m.end() + 16]
        if not lex.FIELD_LIST_CUE_ZH.search(around):
            continue
        for item in _split_items_zh(sentence[m.start(1) : m.end(1)]):
            found.append(
                re.sub(
                    r"^(?:加强|推进|开展|深化|进一步)|(?:的合作|合作)$",
                    "",
                    item.split("等")[0].strip(),
                )
            )
    for m in lex.FIELD_MAKES_ZH.finditer(simplified):
        for item in re.split(r"、|以及|及|和", sentence[m.start("items") : m.end("items")]):
            found.append(re.sub(r"(?:生产线|项目|基地|等)+$", "", item.strip()))
    return [f for f in found if 2 <= len(f) <= 14 and not _NOT_FIELD_ZH.match(f)]


# "在储能领域合作", "在全球推广方面配合": one field; "围绕“X”开展A与B": X, A and B
_ONE_FIELD_ZH = re.compile(
    r"(?:在|就)(?P<f>[\u4e00-\u9fff]{2,8})(?:领域|方面)(?=[\u4e00-\u9fff]{0,6}(?:合作|配合|开展|并肩|携手))"
)
_AROUND_ZH = re.compile(r"围绕[“\"](?:以[^”\"]{1,20}?为代表的)?(?P<f>[^”\"]{2,12})[”\"]")
_CARRY_OUT_ZH = re.compile(
    r"开展(?:相应的|相关的|相应|相关)?(?P<a>[\u4e00-\u9fff]{2,6})(?:与|和|及)(?P<b>[\u4e00-\u9fff]{2,6})"
    r"(?=[，,。；;]|$)"
)


_EVENT_NAME_ZH = re.compile(r"[\u4e00-\u9fff()（）]{2,20}?(?:大会|峰会|论坛|博览会|展会|交易会)")


def _single_fields_zh(sentence: str, simplified: str) -> list[str]:
    """Return fields a Chinese sentence names one at a time, or as "开展A与B"."""
    found: list[str] = []
    for pattern in (_ONE_FIELD_ZH, _AROUND_ZH, _CARRY_OUT_ZH):
        for m in pattern.finditer(simplified):
            for group in ("f", "a", "b"):
                if group in pattern.groupindex and m[group]:
                    found.append(sentence[m.start(group) : m.end(group)].strip())
    return found
