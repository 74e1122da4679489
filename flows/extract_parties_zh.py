"""Chinese party names: the organisations before a signing verb, and defined short names."""

from __future__ import annotations

import re

from flows.extract_lexicon import NOT_PARTY_ZH, T2S
from flows.extract_parties import HAS_CJK, ZH_SHORT

_GENERIC_SHORT_ZH = re.compile(
    r"^(?:本|该|我|贵)?(?:公司|集团|合资公司|双方|甲方|乙方|丙方|学校|项目|本行|联合社|合作社|联合会"
    r"|协会|研究院|医院|学院|大学|银行|集团公司|总公司|管委会|委员会)$"
)


def defined_short_names(text: str) -> dict[str, str]:
    """Return full name -> short name for Chinese "X（以下简称“Y”）" where Y abbreviates X.

    Reports name a party by the short name they define; it is the name analysts use, so it is
    the canonical one unless the alias table knows the organisation.
    """
    found: dict[str, str] = {}
    if not HAS_CJK.search(text):
        return found  # an English text defines no Chinese short names
    for m in ZH_SHORT.finditer(text):
        long = re.split(r"[与與和同、，,]", m["long"])[-1]
        short = m["short"].strip()
        shared = len(set(short) & set(long))  # "芯远半导体" in full, or "友联中国" by "友联"
        if len(short) >= 2 and not _GENERIC_SHORT_ZH.match(short) and shared >= min(2, len(short)):
            found.setdefault(long, short)
    if listed := _STOCK_NAME_ZH.search(text):  # an announcement's "证券简称：华策影视" names it
        short = listed["short"]
        for m in _ZH_COMPANY.finditer(text):
            if set(short) <= set(m[0]) and m[0] not in found:
                found[m[0]] = short
                break
    return found


_STOCK_NAME_ZH = re.compile(r"(?:证券|股票|证劵)简称\s*[:：]\s*(?P<short>[\u4e00-\u9fffA-Z*]{2,8})")
_ZH_COMPANY = re.compile(r"[\u4e00-\u9fff]{2,24}?(?:股份有限公司|有限责任公司|有限公司)")


_ZH_PREFIX = re.compile(
    r"^(?:.*?[讯讯]\s*)?(?:(?:新华社|中新社|中新网|人民网|央视网|中国新闻网)\S{0,10}?电\s*)?(?:据\S{0,8}?[,，]?)?(?:(?:\d{4}年)?\d{1,2}月)?(?:\d{1,2}[日号])?(?:上午|下午|晚上|晚间|今天|今日|昨天|昨日|近日|日前)?"
)
_ZH_CUT = re.compile(
    r"正式|共同|共建|[“《]|在|于|就|签|举行|分别|也|再次|深化|战略|全面|合作(?!社)|框架|围绕|进行|携手|达成|今天|今日|昨日|昨天|当天|代表"
)
_ZH_SPLIT = re.compile(r"与|和|、|—|－")
# asides and dates between the parties: "甲（以下简称“A”）于2025年5月8日与乙在苏州签署"
_ZH_INSERTS = re.compile(
    r"[（(][^（()）]{0,40}[)）]|于?(?:\d{4}\s*年\s*)?(?:\d{1,2}\s*月|本月)\s*\d{1,2}\s*[日号]"
    r"(?:上午|下午|晚上|晚间)?|在(?:共和|[^与和同、，,。；;]){1,16}(?=与|同|(?<!共)和)"  # 共和国
    r"|(?:今天|今日|昨天|昨日|前天|近日|日前|当天|上午|下午|晚间)(?=在|与|和|同|于)"
)
# where a Chinese organisation name ends: what follows ("校企合作", "拟") is not the name
_ZH_ORG_END = re.compile(
    r"(?:有限责任公司|股份有限公司|有限公司|分公司|公司|集团|大学|学院|研究院|研究所|医院|政府"
    r"|管委会|管理委员会|委员会|分行|支行|银行|协会|学会|科学院)"
)
_ZH_NOT_NAME = re.compile(
    r"(?:\d+|[两三四五六七八九十几多数]+)\s*(?:余|多)?\s*(?:家|个|所|位|名|人)|^近\S?年|单位$|^企业$"
    r"|居民|群众|村民|市民|患者|学生"  # family-doctor or enrolment "签约" is no agreement party
)


def _drop(pattern: re.Pattern[str], simplified: str, original: str) -> tuple[str, str]:
    """Remove a pattern's matches from the simplified text and the same spans from the original."""
    kept_s, kept_o, pos = [], [], 0
    for m in pattern.finditer(simplified):
        kept_s.append(simplified[pos : m.start()])
        kept_o.append(original[pos : m.start()])
        pos = m.end()
    return "".join(kept_s) + simplified[pos:], "".join(kept_o) + original[pos:]


def _zh_name(piece: str) -> str:
    """Cut a Chinese name after its last organisation word ("…有限公司校企" -> "…有限公司")."""
    ends = list(_ZH_ORG_END.finditer(piece.translate(T2S)))  # 醫院 ends a name as 医院 does
    return piece[: ends[-1].end()] if ends else piece


# a person signing for a side: "副校长刘德明", "川中装备总经理何志强", "学校科技园负责人陈卫"
_ZH_PERSON = re.compile(
    r"(?:党委)?(?:副|常务副)?(?:校长|书记|市长|区长|县长|局长|厅长|主任|董事长|总经理|经理|负责人"
    r"|行长|总会计师|院长|总裁|执行董事|首席执行官|秘书长|部长|主席|会长|所长|总监|总工程师)"
)
_ZH_WITNESS = re.compile(r"见证|出席|主持|陪同|在场")
_ZH_OWN_SIDE = re.compile(r"^(?:我校|本校|学校|我院|我市|本市|市政府|县政府|区政府)")


def _zh_party(piece: str) -> str | None:
    """Return the organisation a piece of a Chinese subject names, "@subject" for a bare signer.

    A signatory stands for their organisation ("…分行副行长郭振" -> "…分行"); one named by title
    alone ("副校长刘德明") signs for the article's own side; witnesses are never parties.
    """
    piece = _ZH_WITNESS.split(piece)[-1].strip().strip("【】[]“”\"'")
    piece = re.split(r"旗下|下属|所属", piece)[-1]  # "X控股旗下Y公司": Y signs
    name = _zh_name(piece)
    if person := _ZH_PERSON.search(name):
        head = name[: person.start()]
        own = _ZH_OWN_SIDE.match(head)
        name = own[0] if own else (_zh_name(head) if len(head) >= 2 else "@subject")
        if name == "@subject" or own:
            return name
    if len(name) < 2 or NOT_PARTY_ZH.search(name) or _ZH_NOT_NAME.search(name):
        return None
    return name


def chinese_parties(simplified: str, original: str, verb_start: int) -> list[str]:
    """Return the organisations before a Chinese signing verb ("甲与乙签署"), as written."""
    before_s, before_o = _drop(_ZH_INSERTS, simplified[:verb_start], original[:verb_start])
    before_s, before_o = _drop(_ZH_INSERTS, before_s, before_o)  # "昨(12)日在…": two layers
    start = max(  # a space ends a clause, except inside a Latin name ("Rheintal GmbH")
        re.finditer(r"[，,。；;：:！？]|(?<![A-Za-z.])\s|\s(?![A-Za-z])", before_s),
        key=lambda m: m.end(),
        default=None,
    )
    begin = start.end() if start else 0
    clause_s, clause_o = before_s[begin:], before_o[begin:]
    prefix = _ZH_PREFIX.match(clause_s)
    skip = prefix.end() if prefix else 0
    clause_s, clause_o = clause_s[skip:], clause_o[skip:]
    with_only = _ZH_WITH_ONLY.match(clause_s)  # "…宣布，已与Y签署": the subject is before
    if with_only:
        clause_s, clause_o = clause_s[with_only.end() :], clause_o[with_only.end() :]
    parties: list[str] = []
    pos = 0
    for m in [*_ZH_SPLIT.finditer(clause_s), None]:
        end = m.start() if m else len(clause_s)
        if m is not None and end - pos < 2:
            continue
        piece_s, piece_o = clause_s[pos:end], clause_o[pos:end]
        cut = _ZH_CUT.search(piece_s, 2)
        if cut:
            piece_o = piece_o[: cut.start()]
        if (name := _zh_party(piece_o)) is not None:
            parties.append(name)
        if cut or m is None:
            break
        pos = m.end()
    joined_by_and = with_only is not None or re.search(r"与|和|—|－", clause_s) is not None
    if with_only and len(parties) == 1:  # "X宣布，已与Y签署": X is the subject
        announced = _ZH_ANNOUNCER.search(before_o[:begin].translate(T2S))
        if announced and (
            name := _zh_party(before_o[announced.start("who") : announced.end("who")])
        ):
            parties.insert(0, name)
    return parties if len(parties) >= 2 and joined_by_and else []


_ZH_WITH_ONLY = re.compile(r"^(?:已|已经|正式|近日|日前|将)?(?:与|和|同)")
_ZH_ANNOUNCER = re.compile(
    r"(?P<who>[^，,。；;：:]{2,40}?)(?:宣布|表示|透露|公告称|称|披露)[，,:：]?$"
)
