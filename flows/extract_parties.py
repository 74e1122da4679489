"""Sentences, in-text acronyms and the English organisations named around a signing verb."""

from __future__ import annotations

import re

_ABBREVIATIONS = {
    "co", "ltd", "inc", "corp", "mr", "mrs", "ms", "dr", "prof", "st", "no", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "e.g", "i.e",
    "vs", "gov", "sen", "rep", "jr", "sr", "dept", "govt", "bros",
}  # fmt: skip
_EN_BOUNDARY = re.compile(r"[.!?][\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")
_JOIN_LINES = re.compile(r"(?<=[与和、,，(（“])[ \t]*\n\s*|\n[ \t]*(?=[a-z])")
_ZH_BOUNDARY = re.compile(r"(?<=[。！？；!?;])")
_CONNECTORS = {"of", "for", "and", "the", "&", "de", "du", "la"}
_TRAILING_LOWER = {"province", "government", "city", "municipality"}
STOP_WORDS = {
    "On", "In", "At", "The", "A", "An", "This", "That", "These", "Both", "It", "Its", "Today",
    "Yesterday", "According", "During", "After", "Before", "Meanwhile", "Also", "Chinese", "US",
    "And", "But", "As", "With", "By", "From", "Under", "Earlier", "Later", "Last", "Monday",
    "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February",
    "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
}  # fmt: skip
_LEGAL_COMMA = re.compile(r"\bCo\.,\s*(?=Ltd)")
_ACRONYM = re.compile(
    r"[(（]\s*(?:hereinafter (?:referred to as )?)?[\"“]?"
    r"(?P<short>[A-Z][A-Za-z&]{1,9})[\"”]?\s*[)）]"
)
_HEREINAFTER = re.compile(
    r"\((?:hereinafter (?:referred to as )?|the )[\"“](?P<short>[^\"”]{2,30})[\"”]"
)
# "X（以下简称“Y”）", traditional "X（以下簡稱「Y」）", Hong Kong's "X（「Y」）"
ZH_SHORT = re.compile(
    r"(?P<long>[\u4e00-\u9fff]{2,30})[(（](?:以下[简簡][称稱])?[“\"「]?(?P<short>[^”\"」)）]{1,12})"
    r"[”\"」]?(?:[或及和、][^)）]{0,24})?[)）]"  # "（以下简称“横店影视城”或“乙方”）"
)
_WORD = re.compile(r"[\w’'&.-]+")
HAS_CJK = re.compile(r"[\u4e00-\u9fff]")
_ENUMERATOR = re.compile(r"^(?:\d{1,2}|[IVX]{1,4}|[a-z])\.$|^\d+$")  # "2.", "IV.", a dateline's "8"
_TRAILING_PLACE = re.compile(
    r"(?<=[a-z])\s+(?:in|at|based in)\s+[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)?\s*$"
)


def split_sentences(text: str) -> list[str]:
    """Split text into sentences: lines first, then Chinese and English end marks."""
    sentences: list[str] = []
    for line in _JOIN_LINES.sub("", text).splitlines():
        for part in _ZH_BOUNDARY.split(line):
            sentences.extend(_split_english(part))
    return [s.strip() for s in sentences if s.strip()]


def _split_english(text: str) -> list[str]:
    """Split on ". " before a capital, except after abbreviations and initials."""
    parts: list[str] = []
    start = 0
    for m in _EN_BOUNDARY.finditer(text):
        word = (
            text[start : m.start()].rsplit(None, 1)[-1].lower()
            if text[start : m.start()].strip()
            else ""
        )
        if word.strip('("“') in _ABBREVIATIONS or len(word) == 1:
            continue
        parts.append(text[start : m.start() + 1])
        start = m.end()
    parts.append(text[start:])
    return parts


def _capitalised(token: str) -> bool:
    """Tell whether a token can be part of an English organisation name."""
    return token[:1].isupper() or token[:1].isdigit()


def name_at_end(phrase: str) -> str | None:
    """Return the capitalised name that ends ``phrase`` ("... carrier MTS" -> "MTS"), or None.

    A trailing place ("St Aldric's University Hospital in Dublin") is where, not who.
    """
    phrase = re.sub(r"\s*\([^)]*\)\s*$", "", phrase.strip()).rstrip(",;: ")
    phrase = _TRAILING_PLACE.sub("", phrase)
    tokens = _WORD.findall(phrase)
    tail = len(tokens)
    while tail and tokens[tail - 1].lower() in _TRAILING_LOWER:
        tail -= 1
    if not tail or not _capitalised(tokens[tail - 1]):
        return None
    start = tail - 1
    while start > 0 and (_capitalised(tokens[start - 1]) or tokens[start - 1] in _CONNECTORS):
        start -= 1
    while start < tail and (
        tokens[start] in _CONNECTORS
        or tokens[start] in STOP_WORDS
        or _ENUMERATOR.match(tokens[start])
    ):
        start += 1
    return " ".join(tokens[start:]).strip(".") if start < tail else None


def name_at_start(phrase: str) -> str | None:
    """Return the capitalised name that starts ``phrase`` after a leading "the", or None."""
    tokens = _WORD.findall(re.sub(r"^\s*the\s+", "", phrase, flags=re.I))
    end = 0
    while end < len(tokens) and (_capitalised(tokens[end]) or tokens[end] in _CONNECTORS):
        end += 1
    while end and tokens[end - 1] in _CONNECTORS:
        end -= 1
    if end < len(tokens) and tokens[end].lower() in _TRAILING_LOWER:
        end += 1
    return " ".join(tokens[:end]).strip(".") or None


def defined_acronyms(text: str) -> dict[str, str]:
    """Return short name -> full name for "Full Name (FN)" and "（以下简称“X”）" definitions."""
    found: dict[str, str] = {}
    for m in ZH_SHORT.finditer(text) if HAS_CJK.search(text) else ():
        found.setdefault(m["short"], re.split(r"[与與和同、，,]", m["long"])[-1])
    for m in list(_ACRONYM.finditer(text)) + list(_HEREINAFTER.finditer(text)):
        short = m["short"].strip()
        before = text[max(0, m.start() - 120) : m.start()]
        if _ROLE_WORDS.match(short):  # 'X Limited (the "Company")': the company is X
            long = name_at_end(_LEGAL_COMMA.sub("Co. ", before))
        else:
            long = _long_form(before, short)
        if long:
            found.setdefault(short, long)
    return found


# what an announcement calls a party it has named in full: 'X Limited (the "Company")'
_ROLE_WORDS = re.compile(
    r"^(?:the )?(?:Company|Group|Issuer|Bank|Purchaser|Vendor|Buyer|Seller|Partner|Counterparty)$",
    re.I,
)


def _long_form(before: str, short: str) -> str | None:
    """Return the run of capitalised words before an acronym that the acronym abbreviates."""
    tokens = re.findall(r"[\w’'&.-]+|[^\w\s]", _LEGAL_COMMA.sub("Co. ", before))
    run: list[str] = []
    for token in reversed(tokens):
        if not (_capitalised(token) or token in _CONNECTORS):
            break
        run.insert(0, token)
    letters = short.lower().lstrip("the ")
    for i, token in enumerate(run):
        if token[:1].lower() != letters[:1] or token in _CONNECTORS:
            continue
        joined = " ".join(run[i:]).lower()
        if _subsequence(letters, joined):
            return " ".join(run[i:])
    return None


def _subsequence(needle: str, haystack: str) -> bool:
    """Tell whether the letters of ``needle`` appear in ``haystack`` in order."""
    it = iter(haystack)
    return all(ch in it for ch in needle if ch.isalnum())


_BETWEEN = re.compile(
    r"\b(?:between|ceremony for|ceremony of)\s+(?P<a>[^,;]+?)\s+(?:and|&)\s+(?P<b>[^,;]+?)"
    r"(?=\s+(?:was|were|has|have|had|is|on|in|at|to|which|that|signed|held)\b|[,;]|\.\s|\.?$)"
)
_SUBJECT_TAIL = re.compile(
    r"\s+(?:has|have|had|also|officially|formally|jointly|recently|today|yesterday|on \w+"
    r"|\w+ly)\s*$"
)
_WITH = re.compile(
    r"\bwith\s+(?P<o>.+?)(?=\s+(?:to|in|on|at|for|during|under|which|that|as|after|before|by|over"
    r"|from|last|this)\b|[,;(\[]|\.\s|\.?$)"
)
_SIGNED_UP = re.compile(r"^\s+up\s+([A-Z][\w&’'.-]*(?:\s+[A-Z][\w&’'.-]*)*)")
OWNER_WORDS_EN = re.compile(r"\b(?:our|the) (?:university|school|college|institute)$", re.I)
CITY_WORDS_EN = re.compile(
    r"\b(?:our|the) (?:city|municipal (?:people's )?government|city government|municipality)$", re.I
)


def english_parties(sentence: str, verb_start: int, verb_end: int) -> list[str]:
    """Return the organisations a signing sentence names, as written, subject first.

    "@owner" stands for "our university", "@city" for "our city" / "the municipal government",
    "@subject" for a subject the sentence names only by description ("the tech giant").
    """
    text = _LEGAL_COMMA.sub("Co. ", sentence)
    shift = len(sentence) - len(text)
    verb_start, verb_end = max(0, verb_start - shift), max(0, verb_end - shift)
    between = _BETWEEN.search(text)
    if between and (a := name_at_end(between["a"])) and (b := name_at_start(between["b"])):
        return [a, b]
    parties = _subject_parties(text[:verb_start])
    after = text[verb_end:]
    if text[verb_start:verb_end].lower().endswith("up") and (
        direct := _SIGNED_UP.match(" up" + after)
    ):
        parties.append(direct[1])
    if with_match := _WITH.search(after):
        parties.extend(p for piece in _counterparties(with_match["o"]) if (p := name_at_end(piece)))
    if len(parties) == 1 and (present := _present(after)) and present not in parties[0]:
        parties.append(present)
    return [p for p in parties if not PERSON_TITLE_EN.search(p)]


# "Ethiopian Airlines, Africa's largest carrier, and ...": a description between two names
_APPOSITIVE = re.compile(
    r",\s+(?:[A-Z][\w.]*'s\s+)?(?:the\s+|a\s+|an\s+)?[a-z][^,]{0,40},(?=\s+and\s)"
)


def _subject_list(before_verb: str) -> list[str]:
    """Return the names of a listed subject ("A, B (BB) and C have agreed"), nearest last.

    Pieces are taken from the verb backwards while each is wholly a name, so "On Monday, in
    Beijing, A and B" yields A and B.
    """
    text = _APPOSITIVE.sub("", re.sub(r"\s*\([^)]{0,40}\)", "", before_verb))
    clause = re.split(r"[;:]\s+", text)[-1]  # one sentence: "Co. Ltd. and" is no sentence end
    for _ in range(3):
        clause = _SUBJECT_TAIL.sub("", clause)
    names: list[str] = []
    for piece in reversed(re.split(r",\s+(?:and\s+|&\s+)?|\s+(?:and|&)\s+", clause)):
        words = re.sub(r"^\s*the\s+", "", piece.strip(), flags=re.I).split()
        name = name_at_end(piece)
        dropped = words[: len(words) - len(name.split())] if name else words
        if not name or any(w not in STOP_WORDS and w not in _CONNECTORS for w in dropped):
            break  # the piece is more than a name ("On Monday in Beijing")
        names.insert(0, name)
    return names


def agreeing_parties(sentence: str) -> list[str]:
    """Return the organisations a sentence says agreed, partnered or launched something together.

    For a passive signing ("The agreement was signed last Friday by ...") that names nobody,
    the parties are in the sentence before it or the title.
    """
    text = _LEGAL_COMMA.sub("Co. ", sentence)
    verb = _AGREEING_EN.search(text)
    if verb is None:
        return []
    names = _subject_list(text[: verb.start()])
    if with_match := _WITH.search(text[verb.end() :]):
        names.extend(p for piece in _counterparties(with_match["o"]) if (p := name_at_end(piece)))
    return [n for n in names if not PERSON_TITLE_EN.search(n)]


_AGREEING_EN = re.compile(
    r"\b(?:(?:have|has)\s+)?(?:agreed|agree|agrees|teamed up|team up|partnered|partner|launched"
    r"|launch|joined hands|join hands|unveiled|formed|established|set up)\b"
)


def _subject_parties(before_verb: str) -> list[str]:
    """Return the organisations of the subject before a signing verb ("A and B signed")."""
    listed = _subject_list(before_verb)
    if len(listed) >= 3:  # "A, B and C signed"
        return listed
    clause = re.split(r"[;:]\s+|\.\s+", before_verb)[-1]
    if (said := _SAID_IT.match(clause)) and (who := name_at_end(said["who"].split(", ")[-1])):
        return [who]
    subject = re.split(r",\s+", _APPOSITIVE.sub("", before_verb))[-1].strip()
    for _ in range(3):
        subject = _SUBJECT_TAIL.sub("", subject)
    parties: list[str] = []
    for piece in _subject_pieces(subject):
        if OWNER_WORDS_EN.search(piece):
            parties.append("@owner")
        elif CITY_WORDS_EN.search(piece):
            parties.append("@city")
        elif name := name_at_end(piece):
            parties.append(name)
    if not parties and _descriptive(before_verb, subject):
        parties.append("@subject")
    return parties


# "Ministry of ICT and Innovation", "Science and Technology Bureau": "and" inside one name
_NAME_WORDS_AFTER_AND = {
    "Innovation", "Technology", "Information", "Reform", "Development", "Trade", "Industry",
    "Commerce", "Science", "Education", "Culture", "Tourism", "Sports", "Health", "Planning",
    "Resources", "Environment", "Communications", "Transport", "Energy", "Finance", "Investment",
    "Research", "Welfare", "Security", "Agriculture", "Economy", "Infrastructure", "Engineering",
    "Industries", "Media", "Arts", "Design", "Services",
}  # fmt: skip


def _subject_pieces(subject: str) -> list[str]:
    """Split a subject at "and"/"&", keeping "X and Innovation"-style names whole."""
    pieces: list[str] = []
    for piece in re.split(r"\s+(?:and|&|together with)\s+", subject):
        first = piece.split(None, 1)[0] if piece.strip() else ""
        if pieces and first in _NAME_WORDS_AFTER_AND:
            pieces[-1] = f"{pieces[-1]} and {piece}"
        else:
            pieces.append(piece)
    return pieces


# a person signing for an organisation ("Vice Mayor Tang Lu and ... signed on behalf of")
PERSON_TITLE_EN = re.compile(
    r"\b(?:Mayor|Vice|President|Chairman|Chairwoman|CEO|Director|Secretary|Governor|Minister|Dean"
    r"|Professor|Prof|Dr|Mr|Mrs|Ms|Chancellor|Rector|Provost|Founder|Officer)\b"
)


_OFFICIAL_OF = re.compile(
    r"\b(?:Dean|President|Chairman|Chairwoman|Rector|CEO|Director|Head|Mayor|Governor|Minister"
    r"|Chancellor|Vice[- ]President|Secretary)\s+of\s+(?:the\s+)?"
    r"(?P<org>[A-Z][\w&’'.-]*(?:\s+(?:of\s+)?[A-Z][\w&’'.-]*)*)"
    r"(?=[^.;]{0,80}\b(?:attended|witnessed|looked on|were present|was present)\b)"
)


def _present(after_verb: str) -> str | None:
    """Return the organisation whose official attends the signing ("while the Dean of X attended").

    A run that starts with an acronym ("SNU Jane Doe") is the acronym alone.
    """
    found = _OFFICIAL_OF.search(after_verb)
    if found is None:
        return None
    words = found["org"].split()
    return words[0] if words[0].isupper() else found["org"]


_ORG_HEAD = re.compile(
    r"(?:\b(?:Bank|Energy|University|College|Institute|Group|Company|Corporation|Corp|Inc|Ltd"
    r"|Limited|Government|Association|Academy|Hospital|Holdings|Technologies|Technology|Motors"
    r"|Airlines|Telecom|Robotics|Systems|Labs?|Fund|Council|Ministry|Agency|Authority|Port)"
    r"|\b[A-Z]{2,6})\.?$"
)


def _counterparties(phrase: str) -> list[str]:
    """Split "with A and B" into two names when A ends like a name ("Pinewood Bank and ...").

    "Development and Reform Commission" stays whole: "Development" does not end a name.
    """
    pieces = re.split(r"\s+(?:and|&)\s+(?=[A-Z])", phrase)
    if any(p.split()[0] in _NAME_WORDS_AFTER_AND for p in pieces[1:] if p.split()):
        return [phrase]  # "Chamber of Commerce and Industry": one name
    if len(pieces) > 1 and all(_ORG_HEAD.search(p.strip()) for p in pieces[:-1]):
        return pieces
    return [phrase]


_DESCRIBED = re.compile(
    r"^(?:the|this|its|a|an)\s+(?:[\w’'-]+\s+){0,5}?(?:company|firm|giant|group|maker|vendor"
    r"|operator|carrier|developer|provider|manufacturer|producer|supplier|bank|insurer|startup"
    r"|university|school|college|institute|city|province|government|ministry|agency)\b",
    re.I,
)


_AGREEMENT_OPENING = re.compile(
    r"^(?:a|an|the|this|that|each)\s+(?:[\w-]+\s+){0,3}?(?:agreements?|memorand(?:um|a)|mous?"
    r"|deals?|contracts?|pacts?|accords?)\b",
    re.I,
)
_AGREEMENT_SUBJECT = re.compile(
    r"\b(?:agreements?|deals?|contracts?|mous?|memorand\w+|documents?|accords?|signing)"
    r"(?:\s+(?:was|were|is|are|has been|have been|had been|will be))?$",
    re.I,
)
# what a pronoun subject stands for: "Kestrel Mobility Ltd said on Tuesday it has signed"
_SAID_IT = re.compile(
    r"^(?P<who>.+?)\s+(?:said|says|announced|announces|confirmed|confirms|disclosed)\b"
    r"[^,;]{0,40}?\s+(?:that\s+)?(?:it|they)(?:\s+(?:has|have|had))?\s*$"
)


def _descriptive(before_verb: str, subject: str) -> bool:
    """Tell whether the subject is a description ("The Shenzhen-based company, ...") not a name."""
    if _AGREEMENT_SUBJECT.search(subject) or _AGREEMENT_OPENING.match(subject):
        return False  # "The agreement signed is ...", "A memorandum setting out ...": the document
    if re.search(r"\b(?:the|its|this) [\w-]+(?: [\w-]+)?$", subject, re.I):
        return True
    clause = re.split(r"[;:]\s+|\.\s+", before_verb)[-1].strip()
    return bool(_DESCRIBED.match(clause)) and not re.search(r"\s[A-Z][a-z]", clause[4:40])
