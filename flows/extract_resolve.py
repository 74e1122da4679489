"""Names as written -> canonical names for one article: pronouns, "our city", the protagonist."""

from __future__ import annotations

import functools
import importlib.resources
import re
from collections import Counter
from collections.abc import Sequence

from flows.aliases import AliasTable
from flows.extract_parties import STOP_WORDS, defined_acronyms
from flows.extract_parties_zh import defined_short_names
from flows.models import Article

_OWNER_ZH = {"我校", "本校", "学校", "我院", "我市", "本市", "我省", "本省"}
_SCHOOL_ZH = {"我校", "本校", "学校", "我院"}
_LOCAL_ZH = {
    "县政府": "县",
    "县人民政府": "县",
    "我县": "县",
    "区政府": "区",
    "区人民政府": "区",
    "我区": "区",
}
_CITY_ZH = {"市政府", "市人民政府", "我市", "本市"}
# the article's own subject, named only by description ("公司" in a company's own Q&A)
_SELF_ZH = {"公司", "该公司", "本公司", "集团", "该集团"}
_PRONOUNS = {"双方", "两家", "对方", "两校", "雙方", "三方", "各方"}
_OWN_SCHOOL_ZH = re.compile(r"我校|本校|学校")
_SCHOOL_RE = re.compile(r"[^\W\d_a-zA-Z及和与各的对在将为向由给把被]{2,14}?(?:大学|学院)")
# "徐州市", not "城市", "上市", "超市", "市场", "市民"
_CITY_RE = re.compile(
    r"([\u4e00-\u9fff]{1,2}[^\W\d_a-zA-Z城上超都门股在于的和与至到全本我各该入出省县区镇])市(?![场民值])"
)
# page furniture ("发布时间：", "来源：") is no speaker
_NOT_SPEAKER_ZH = re.compile(r"时间|日期|来源|作者|编辑|记者|审核|浏览|点击|字号|责编|通讯员|摄影")
_CITY_EN_RE = re.compile(
    r"\b([A-Z][a-z]{2,})(?:'s|’s)?\s+(?:[Cc]ity|[Mm]unicipal|[Dd]evelopment|[Gg]overnment|[Mm]ayor)\b"
)
_GENERIC_ZH = re.compile(r"^(?:部分|相关|各|全|该|本|我|两|多|所|有关|其他|各个)")
_SPEAKER_ZH = re.compile(r"(?m)(?:^|[】\]\s])([\u4e00-\u9fff]{2,12})[:：](?=\S)")
_CAPITALISED_RUN = re.compile(r"\b[A-Z][\w&’'.-]*(?:\s+(?:of\s+)?[A-Z][\w&’'.-]*)*")
_GENERIC_EN = {
    "City", "Government", "Group", "Company", "University", "President", "Chairman", "Agreement",
    "Board", "Announcement", "Directors", "Parties", "Contract",
}  # fmt: skip
_NOT_CITY = STOP_WORDS | {"Our"}


class Resolver:
    """Turns names as written into canonical names for one article."""

    def __init__(self, aliases: AliasTable, article: Article, text: str) -> None:
        self.aliases = aliases
        self.owner = article.source_owner
        self.text = text
        self.acronyms = defined_acronyms(text)
        self.short_names = defined_short_names(text)
        self._protagonist: str | None = None
        self._protagonist_done = False

    def resolve(self, written: str, others: Sequence[str] = ()) -> str | None:
        """Return the canonical name, or None for a pronoun that cannot be resolved.

        Args:
            written: the name as the sentence writes it, or "@city"/"@owner"/"@subject".
            others: the other names of the same sentence (never the answer for "@city").
        """
        name = written.strip()
        if name == "@city":
            name = self.owner or self._city_en(others) or ""
        elif name == "@owner" or name in _OWNER_ZH:
            name = self.owner or self._from_text(name) or ""
        elif name in _CITY_ZH:  # a city government the text never names is still a party
            name = self._from_text("我市") or ("" if name in {"我市", "本市"} else "市人民政府")
        elif (level := _LOCAL_ZH.get(name)) is not None:  # "县政府", "我区": the one the text names
            own = self.owner if name.startswith("我") else None
            name = own or self._local(level) or name
        elif name == "@subject" or name in _SELF_ZH:
            name = self.protagonist() or ""
        if not name or name in _PRONOUNS:
            return None
        name = self.acronyms.get(name, name)
        if self.aliases.lookup(name) is None and (short := self._short_name(name)):
            return self.aliases.lookup(short) or short
        return self.aliases.canonical(name)

    def _short_name(self, name: str) -> str | None:
        """Return the short name the text defines for ``name`` ("…有限公司" -> "芯远半导体")."""
        for long, short in self.short_names.items():
            if name == long or (len(long) >= 4 and name.endswith(long)):
                return short
        return None

    def protagonist(self) -> str | None:
        """Return whom the article is about: a Chinese speaker label, else its most named name."""
        if not self._protagonist_done:
            self._protagonist_done = True
            speaker = next(
                (m for m in _SPEAKER_ZH.finditer(self.text) if not _NOT_SPEAKER_ZH.search(m[1])),
                None,
            )
            if speaker and not _GENERIC_ZH.match(speaker[1]):
                self._protagonist = speaker[1]
            elif _OWN_SCHOOL_ZH.search(self.text):  # a university's own news: "学校" signs
                self._protagonist = self.owner or self._from_text("学校")
            else:
                self._protagonist = self._most_named()
        return self._protagonist

    def _most_named(self) -> str | None:
        """Return the capitalised name the English text repeats most (at least twice)."""
        counts: Counter[str] = Counter()
        for m in _CAPITALISED_RUN.finditer(self.text):
            words = [w for w in m[0].split() if w not in STOP_WORDS]
            if words and not (len(words) == 1 and words[0] in _GENERIC_EN):
                counts[self.aliases.canonical(" ".join(words))] += 1
        best = counts.most_common(1)
        return best[0][0] if best and best[0][1] >= 2 else None

    def _city_en(self, others: Sequence[str]) -> str | None:
        """Guess the city an English text is about ("Dalian's development" -> Dalian)."""
        counts = Counter(m[1] for m in _CITY_EN_RE.finditer(self.text) if m[1] not in _NOT_CITY)
        if counts:
            return f"{counts.most_common(1)[0][0]} Municipal Government"
        taken = {w for o in others for w in o.split()}  # else the word repeated most, not a party
        counts = Counter(
                m[0]
                for m in re.finditer(r"\b[A-Z][a-z]{2,}\b", self.text)
                if m[0] not in STOP_WORDS and m[0] not in taken and m[0] not in _GENERIC_EN
                and self.aliases.lookup(m[0]) is None
        )  # fmt: skip
        best = counts.most_common(1)
        return f"{best[0][0]} Municipal Government" if best and best[0][1] >= 2 else None

    def _local(self, level: str) -> str | None:
        """Return the county's or district's government the text names most ("怀远县")."""
        counts = Counter(
            m[1]
            for m in re.finditer(rf"([\u4e00-\u9fff]{{2}}){level}(?![长委城域级内外])", self.text)
        )
        counts = Counter({k: v for k, v in counts.items() if not _GENERIC_ZH.match(k)})
        return f"{counts.most_common(1)[0][0]}{level}人民政府" if counts else None

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
        if known := _named_city(self.text):
            return f"{known}市人民政府"
        cities = {m[1][i:] for m in _CITY_RE.finditer(self.text) for i in range(len(m[1]) - 1)}
        cities -= {"城", "本市", "我市"}
        if not cities:
            return None
        city = max(sorted(cities), key=lambda c: (self.text.count(c), len(c)))
        return f"{city}市人民政府"


@functools.lru_cache(maxsize=1)
def _cities_zh() -> re.Pattern[str]:
    """Return a pattern of the prefecture-level city names in ``flows/data/places_zh.txt``."""
    resource = importlib.resources.files("flows").joinpath("data/places_zh.txt")
    names: list[str] = []
    section = ""
    for line in resource.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            section = line.lstrip("# ").strip()
        elif line.strip() and section == "cities":
            names.append(line.strip())
    return re.compile("|".join(sorted(map(re.escape, names), key=len, reverse=True)))


def _named_city(text: str) -> str | None:
    """Return the city a Chinese text names most ("徐州经济技术开发区", "徐州市"), or None."""
    found = list(_cities_zh().finditer(text))
    # "徐州市", "徐州经济技术开发区", "在徐州": a place; "松原新能源科技有限公司": a company's name
    placed = [
        m for m in found if _AS_PLACE.match(text, m.end()) or _TO_PLACE.search(text, 0, m.start())
    ]
    counts = Counter(m[0] for m in placed or found)
    if not counts:
        return None
    best = max(counts.values())
    return next(m[0] for m in placed or found if counts[m[0]] == best)


_AS_PLACE = re.compile(r"市|经济|高新|开发区|新区|[，,。；;、]|$")
_TO_PLACE = re.compile(r"(?:在|赴|来|到|落户|位于|扎根)$")
