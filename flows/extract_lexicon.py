"""Word lists and patterns the rule extractor matches: verbs, nouns, cues, types and fields."""

from __future__ import annotations

import re

# Traditional -> simplified, one character for one, so match positions stay valid in the original.
_TRADITIONAL = (
    "簽訂協議戰備錄與華為將擬計劃準預領業資億萬團術學醫實驗發設開產體國際屬會"
    "們這進雙於區縣鎮聯網車軟務電數據雲線經濟銀來終銷廢後現場儀舉辦談訪問討論"
    "創層項約維組織結給統絡練總績續邊務強興東門義島傳稱簡佈"
)
_SIMPLIFIED = (
    "签订协议战备录与华为将拟计划准预领业资亿万团术学医实验发设开产体国际属会"
    "们这进双于区县镇联网车软务电数据云线经济银来终销废后现场仪举办谈访问讨论"
    "创层项约维组织结给统络练总绩续边务强兴东门义岛传称简布"
)
T2S = str.maketrans(_TRADITIONAL, _SIMPLIFIED)

PINYIN_GLOSS = re.compile(r"(?<=[\u4e00-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,8}\)")
CJK = re.compile(r"[\u4e00-\u9fff]")

# every SIGN_EN match contains one of these (lowercase): a fast filter before the regexes
SIGN_STEMS_EN = ("sign", "ink", "struck", "strike", "conclud", "enter", "seal", "reach")
# every sentence AGREEMENT_EN or CEREMONY_EN matches contains one of these (lowercase)
AGREEMENT_STEMS_EN = (
    "agreement", "mou", "memorand", "contract", "deal", "partnership", "accord", "pact", "treaty",
    "letter", "joint venture", "framework", "protocol", "signing ceremony",
)  # fmt: skip
SIGN_EN = re.compile(
    r"\b(?:signed(?: up)?|signs?|signing ceremony|signing of|inked|inks?|struck|strikes?"
    r"|concluded|concludes?|entered(?: into)?|enters? into|sealed|seals?|reached|reaches)\b",
    re.IGNORECASE,
)
AGREEMENT_EN = re.compile(
    r"\b(?:agreements?|mou|mous|memorand(?:um|ums|a)|contracts?|deals?|partnerships?|accords?"
    r"|pacts?|treaty|letters? of intent|joint venture|framework|protocol)\b",
    re.IGNORECASE,
)
EXTENSION_CUE_EN = re.compile(r"\bto (?:include|add|cover)\b", re.I)
EXTENSION_EN = re.compile(
    r"(?:(?P<verb>\b(?:announced|announces|agreed|agrees|completed|completes)\b)[^.;]{0,30}?)?"
    r"\b(?P<ext>extension|expansion|extended|expanded|extends|expands|broadened)\b[^.;]{0,120}?"
    r"\b(?P<include>to (?:include|add|cover))\b",
    re.I,
)
CEREMONY_EN = re.compile(r"\bsigning ceremony\b", re.I)
SIGN_ZH = re.compile(r"签署|签订|签约|签下|缔结|订立|达成(?:了)?(?:\w{0,12})?协议")
AGREEMENT_ZH = re.compile(r"协议|协定|备忘录|合同|签约|意向书")

# every NOT_AGREEMENT_EN match contains one of these (lowercase): a fast filter first
NOT_AGREEMENT_STEMS_EN = (
    "into law", "bill", "executive order", "petition", "midfielder", "striker", "defender",
    "goalkeeper", "forward", "winger", "full-back", "playmaker", "player", "head coach",
    "free agent", "on loan", "transfer fee",
)  # fmt: skip
NOT_AGREEMENT_EN = re.compile(
    r"\binto law\b|\bbills?\b|\bexecutive order\b|\bpetition\b"
    # a club signing a player or coach is a transfer, not an agreement between organisations
    r"|\b(?:midfielder|striker|defender|goalkeeper|forward|winger|full-back|playmaker|player"
    r"|head coach|free agent|on loan|transfer fee)\b",
    re.I,
)
PLAN_BEFORE_EN = re.compile(
    r"\b(?:will|would|shall|could|may|might|plans? to|planned to|planning to|intends?|intended"
    r"|expects?"
    r"|expected|hopes?|hoped|aims?|set|going|ready|prepared|poised|seeks?|seeking|wants?|agreed"
    r"|likely|about|no longer|not|never|yet|to)\b(?:\s+\w+){0,2}\s*$",
    re.IGNORECASE,
)
PLAN_CLAUSE_EN = re.compile(
    r"\b(?:plans? to|planning|planned to|intends?|expected|will|would|going to|set to|scheduled"
    r"|talks (?:to|on)"
    r"|negotiat\w+|prepar\w+)\b"
)
NOT_ONLY_EN = re.compile(r"\bnot only\b", re.I)
PLAN_AFTER_EN = re.compile(r"^\W*(?:will|would|is|are)\s+(?:to|be|expected|scheduled|set)\b", re.I)
NOT_PARTY_ZH = re.compile(
    r"书记|市长|主席|主持|出席|校长|总裁|董事长|部长|会长|院长|主任|副|报道|媒体|记者"
)
# "其中拟与A、B等单位签署": the plan cue opens the clause, before the parties
PLAN_OPEN_ZH = re.compile(r"(?:拟|将|计划|准备|有望|即将|预计|拟于\S{0,12}?)(?:与|和|同|分别与)")
# "签约仪式将于9月8日上午在…举行": the signing is yet to come
PLAN_AFTER_ZH = re.compile(r"^[^，,。；;]{0,24}?(?:将于|定于|拟于|计划于|将在)")
# "正与…商讨签署", "双方就签署…进行磋商": talks about a signing, not one
TALKS_ZH = re.compile(r"商讨|商谈|洽谈|磋商|谈判|协商")
PLAN_ZH = re.compile(
    r"拟|将|计划|准备|有望|即将|预计|打算|希望|争取|待|尚未|未能|没有|不再|愿意|意向"
)
NEGATED_EN = re.compile(
    r"\b(?:no binding|not yet|has not|have not|did not|didn't|failed to)\b", re.I
)
TERMINATED_EN = re.compile(
    r"\b(?:terminat\w*|cancel(?:s|led|ed|ling|lation)?|scrap(?:s|ped|ping)?|abandon\w*"
    r"|block(?:s|ed|ing)?|withdr[ae]w\w*|pull(?:s|ed)? out|end(?:s|ed)? (?:its|the|their|a|an)"
    r"|revok\w*|suspend\w*|called off|calls off|annul\w*|rescind\w*|tore up|scupper\w*)\b",
    re.IGNORECASE,
)
TERMINATED_ZH = re.compile(r"终止|解除|取消|叫停|撤销|中止|废止|退出|撕毁|解约|暂停")
BACKGROUND_EN = re.compile(
    r"\b(?:previously|earlier|formerly|in the past|years? ago|last (?:year|month|"
    r"january|february|march|april|may|june|july|august|september|october|november|december)"
    r"|at that time|back in|since then|had signed|had been signed|original|first \w+(?: \w+){0,4}"
    r" (?:was|were) signed|(?:agreement|mou|memorandum|contract) signed (?:between|with|by))\b",
    re.IGNORECASE,
)
BACKGROUND_ZH = re.compile(
    r"此前|之前|以前|曾经|曾与|曾签|曾于|早在|年前|以来|去年|前年|上年|当年|先前"
    r"|近[一二三四五六七八九十两\d]+年|多年来|历年|累计"  # a tally over years, not one signing
)
PAST_YEAR_EN = re.compile(
    r"\b(?i:in|since|signed|from|back in|of|during)\s+(?:(?:early|late|mid-?)\s*)?"
    r"(?:[A-Z][a-z]+\.?\s+)?(?P<y>(?:19|20)\d\d)\b"
)
# a month without a day: "signed ... in January", "in early March"; "3月，", "今年3月份"
PAST_MONTH_EN = re.compile(
    r"\b(?i:in|during|back in)\s+(?i:(?:early|late|mid-?)\s*)?"
    r"(?P<m>January|February|March|April|May|June|July|August|September|October|November"
    r"|December)\b(?!\s+\d)(?!,?\s+(?:19|20)\d\d)"
)
PAST_MONTH_ZH = re.compile(
    r"(?<!\d)(?:今年)?(?P<m>\d{1,2})\s*月(?:份|初|中旬|上旬|下旬|底|末)?(?!\s*\d)"
)
ASIDE_ZH = re.compile(r"[（(][^（()）]{0,30}[)）]")
CONSENSUS_EN = re.compile(
    r"^\W*(?:\w+\s+){0,2}(?:consensus|understanding on|common ground)\b", re.I
)
PAST_YEAR_ZH = re.compile(r"(?P<y>(?:19|20)\d\d)\s*年(?!\s*\d{1,2}\s*月\s*\d{1,2}\s*日)")

# (type, English pattern, Chinese pattern), first match wins.
TYPE_RULES: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = (
    ("joint_venture", re.compile(r"\bjoint[- ]ventures?\b|\bJV\b", re.I), re.compile(r"合资|合营")),
    (
        "joint_lab_or_centre",
        re.compile(
            r"\b(?:joint|jointly|set up|establish\w*|build\w*|launch\w*|research)\b[^.;]{0,60}?"
            r"\b(?:lab|labs|laborator(?:y|ies)|cent(?:er|re)s?|institute|training base|academy)\b",
            re.I,
        ),
        re.compile(
            r"(?:共建|联合|合作|成立|建设)\w{0,12}(?:实验室|研究院|研究中心|创新中心|研发中心)"
        ),
    ),
    ("mou", re.compile(r"\bmemorand(?:um|ums|a)\b|\bmou?s?\b", re.I), re.compile(r"备忘录")),
    ("framework", re.compile(r"\bframework\b", re.I), re.compile(r"框架")),
    (
        "comprehensive_cooperation",
        re.compile(r"\bcomprehensive\b|\bacross the board\b|\ball-round\b", re.I),
        re.compile(r"全面"),
    ),
    (
        "contract",  # a sponsorship, loan or investment deal is a contract even when "strategic"
        re.compile(
            r"\b(?:sponsorship|loan|licen[cs]e|licensing|procurement|purchase|supply|investment)"
            r" (?:agreements?|contracts?|deals?)\b",
            re.I,
        ),
        re.compile(
            r"赞助|借款|贷款合同|投资(?:合作)?协议|项目(?:投资|建设)?协议|采购|供货|许可协议"
        ),
    ),
    ("strategic_cooperation", re.compile(r"\bstrategic\b", re.I), re.compile(r"战略")),
    (
        "contract",  # an investment, project, supply or licence agreement binds like a contract
        re.compile(
            r"\bcontracts?\b|\b(?:supply|investment|project|licen[cs]e|licensing|sponsorship"
            r"|purchase|procurement) agreements?\b",
            re.I,
        ),
        re.compile(r"合同|投资协议|项目协议|采购协议|供货协议|许可协议|赞助协议"),
    ),
)

FIELDS_EN: tuple[tuple[str, str], ...] = tuple(
    (phrase, alias or phrase)
    for phrase, alias in (
        ("artificial intelligence", ""), ("ai", "artificial intelligence"),
        ("talent training", ""), ("talent cultivation", "talent training"),
        ("personnel training", "talent training"), ("cloud computing", ""), ("cloud services", ""),
        ("big data", ""), ("smart city", ""), ("smart cities", "smart city"), ("5g", ""),
        ("internet of things", ""), ("iot", "internet of things"), ("smart campus", ""),
        ("digital education", ""), ("data communication", ""), ("digital energy", ""),
        ("intelligent driving", ""), ("autonomous driving", ""), ("industrial internet", ""),
        ("machine learning", ""), ("quantum computing", ""), ("student exchange", ""),
        ("joint research", ""), ("scientific research", ""), ("research and development", ""),
        ("integrated circuits", ""), ("semiconductors", ""), ("green energy", ""),
        ("renewable energy", ""), ("new energy", ""), ("energy storage", ""), ("healthcare", ""),
        ("medical imaging", ""), ("vocational education", ""), ("digital economy", ""),
        ("digital transformation", ""), ("digitalization", ""), ("e-commerce", ""),
        ("fintech", ""), ("green finance", ""), ("logistics", ""), ("cybersecurity", ""),
        ("blockchain", ""), ("smart manufacturing", ""), ("intelligent manufacturing", ""),
        ("new infrastructure", ""), ("platform economy", ""), ("digital city", ""),
        ("electric vehicles", ""), ("biomedicine", ""), ("technology transfer", ""),
        ("storage technology", ""), ("software and information services", ""), ("ar/vr", ""),
        ("display technology", ""), ("ict", ""), ("education", ""),
    )
)  # fmt: skip
FIELD_NAMES_EN = dict(FIELDS_EN)
FIELDS_EN_RE = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(re.escape(word) for word, _ in sorted(FIELDS_EN, key=lambda f: -len(f[0])))
    + r")(?![\w-])"
)
FIELDS_ZH: tuple[str, ...] = (
    "人工智能", "人才培养", "大数据", "云计算", "智慧城市", "物联网", "工业互联网", "集成电路",
    "医学影像", "智能制造", "数字经济", "新能源", "储能", "科技研发", "成果转化", "协同创新",
    "教育培训", "技术开发", "创新创业", "智慧校园", "产教融合", "车联网", "科学研究", "学生交流",
    "智慧医疗", "绿色金融", "数字化转型", "区块链", "网络安全", "芯片", "半导体", "5G",
)  # fmt: skip
FIELD_CONTEXT_EN = (  # lowercase stems: a sentence about cooperation contains one
    "cooperat", "collaborat", "partner", "agreement", "field", "area", "focus", "research",
    "develop", "mou", "memorand", "lab", "cover", "includ", "such as", "program", "deal",
    "together", "parties", "sides", "technolog", "contract", "pact",
)  # fmt: skip
# a sentence about what the agreement covers ("Under the agreement, the two sides will ...")
CONTENT_EN = re.compile(
    r"\b(?:(?:according to|under|in) the (?:agreement|mou|memorandum|deal|contract|partnership)"
    r"|the (?:two|both|three) (?:sides|parties|companies|institutions)|both (?:sides|parties)"
    r"|the (?:agreement|mou|memorandum|partnership|collaboration|cooperation|deal|contract"
    r"|programme|program) (?:will|would|is to|aims|covers?|includes?|focus\w*|provides?|also)"
    r"|(?:research|cooperation) goals?|they will|to (?:co-?operate|collaborate|work together) on"
    r"|provides? for co-?operation|in the (?:fields?|areas?) of"
    r"|will (?:also )?(?:jointly |together )?(?:cooperate|collaborate|work (?:together|with)"
    r"|join hands|carry out|develop|promote|consider|apply"
    r"|focus|invest))\b|\b(?:which|that|it|they) (?:will )?(?:covers?|includes?|focus(?:es)? on)\b",
    re.I,
)
# every CONTENT_EN match contains one of these (lowercase): a fast filter before the regex
CONTENT_STEMS_EN = (
    "agreement", "mou", "memorand", "deal", "contract", "partnership", "sides", "parties",
    "companies", "institutions", "collaboration", "cooperation", "programme", "program", "goal",
    "they", "operat", "collaborat", "field", "area", "cover", "includ", "focus", "develop",
    "promot", "consider", "apply", "carry out", "join hands", "work", "invest",
)  # fmt: skip
CONTENT_ZH = re.compile(r"双方|三方|协议|根据|按照|合作内容|合作领域|将在|共同推进|携手")
FIELD_CONTEXT_ZH = re.compile(r"合作|协议|领域|方面|围绕|共建")
FIELD_LIST_CUE_ZH = re.compile(
    r"合作|开展|加强|深化|拓展|推进|配合|双方|将|协议|提供|支持|投向|重点"
)
FIELD_LIST_ZH = re.compile(
    r"(?:在|围绕|就|涵盖|包括|聚焦|投向|覆盖|涉及)([^。；;，,]{2,160}?、[^。；;，,]{2,160}?)"
    r"(?:等[\u4e00-\u9fff]{0,4}?)?(?:领域|方面|产业|行业|项目|方向|业务|工作)"
)
# what an investment builds or makes: "主要生产工业机器人末端执行器和柔性装配系统"
FIELD_MAKES_ZH = re.compile(
    r"(?:主要生产|主要建设|主要从事|主要研发|重点发展|重点建设)(?P<items>[^。；;，,]{2,60})"
)
