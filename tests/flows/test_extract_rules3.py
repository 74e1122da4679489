"""RuleExtractor rules-3 on our own short articles: patterns our blind gold sets showed missing."""

from __future__ import annotations

from datetime import date

import pytest

from flows.aliases import AliasTable
from flows.extract import RuleExtractor
from flows.extract_io import article_from_record
from flows.models import Agreement, Extraction

EXTRACTOR = RuleExtractor(AliasTable.bundled())


def _extract(text: str, published: date | None = date(2026, 5, 20)) -> Extraction:
    day = published.isoformat() if published else None
    return EXTRACTOR.extract(article_from_record({"id": "c", "text": text, "published": day}))


def _only(extraction: Extraction) -> Agreement:
    assert extraction.is_signing
    (agreement,) = extraction.agreements
    return agreement


# --- Chinese: asides, dates and places between the parties ------------------------------------


def test_zh_asides_and_a_date_between_the_parties_keep_both() -> None:
    agreement = _only(
        _extract(
            "关于签署合资经营合同的公告\n"
            "青禾精工股份有限公司（以下简称“青禾精工”或“公司”）于2026年5月18日与Brennwald "
            "Antriebe GmbH（以下简称“布伦瓦尔德”）在无锡签署《合资经营合同》，"
            "双方共同出资设立合资公司。"
        )
    )
    assert agreement.parties == ("Brennwald Antriebe", "青禾精工")  # the defined short name
    assert agreement.signed_on == date(2026, 5, 18)
    assert agreement.agreement_type == "joint_venture"


def test_zh_trailing_words_after_a_company_name_are_cut() -> None:
    agreement = _only(
        _extract(
            "我院与松涛重工签署校企合作框架协议\n"
            "日前，松涛学院与松涛重工集团有限公司（以下简称“松涛重工”）校企合作框架协议签约仪式在长沙举行。"
        )
    )
    assert "松涛重工" in agreement.parties
    assert all("校企" not in party for party in agreement.parties)


# --- Chinese: what is not a signing ------------------------------------------------------------


def test_zh_plan_cue_that_opens_the_clause_is_a_plan() -> None:
    extraction = _extract(
        "我市召开投资大会筹备会\n"
        "会议指出，目前已梳理拟签约项目40个，其中拟与云杉汽车股份有限公司、江城工程学院等单位签署战略合作协议8项。"
        "签约仪式将于6月10日上午在会展中心举行。"
    )
    assert not extraction.is_signing


def test_zh_plan_cue_parted_from_the_verb_by_an_aside_is_a_plan() -> None:
    extraction = _extract(
        "关于拟签署项目投资协议的公告\n"
        "为扩大产能，北岸新材料股份有限公司（以下简称“公司”）拟与南湖经济技术开发区管理委员会"
        "（以下简称“南湖管委会”）签署《项目投资协议》，项目总投资约6亿元。"
    )
    assert not extraction.is_signing


def test_zh_tally_over_years_is_background() -> None:
    extraction = _extract(
        "船舶学院举办产学研座谈会\n"
        "5月19日，学校举办船舶产业产学研座谈会，十余家企业代表参会。"
        "据统计，近五年学校已与200余家企业签订产学研合作协议。"
    )
    assert not extraction.is_signing


def test_zh_signing_dated_years_before_publication_is_background() -> None:
    extraction = _extract(
        "关于终止合资协议的公告\n"
        "2023年4月12日，东岭环境科技股份有限公司与西山水务投资有限公司签署《合资协议》，"
        "约定共同出资设立合资公司。"
    )
    assert not extraction.is_signing


def test_zh_signing_in_a_month_long_past_is_background() -> None:
    extraction = _extract(
        "青川光伏组件项目今日投产\n"
        "今天上午，青川光伏组件项目投产仪式在开发区举行。"
        "今年1月，开发区管委会与青川光伏科技有限公司签署项目投资合同，约定建设组件项目。"
    )
    assert not extraction.is_signing


def test_zh_signing_that_names_no_party_reports_nothing() -> None:
    extraction = _extract("光伏组件项目投产\n项目从签约到投产用时不到两年，跑出了加速度。")
    assert not extraction.is_signing


# --- Chinese: several agreements at one event ---------------------------------------------------


def test_zh_respectively_makes_one_agreement_per_counterpart() -> None:
    extraction = _extract(
        "市政府与三家企业签署战略合作协议\n"
        "昨日，市政府与松原新能源科技有限公司、中国电信股份有限公司江南分公司、"
        "青峰智能装备有限公司分别签署战略合作协议。"
    )
    parties = sorted(a.parties for a in extraction.agreements)
    assert len(parties) == 3
    assert all(len(p) == 2 for p in parties)


def test_zh_two_signings_in_one_sentence_are_two_agreements() -> None:
    extraction = _extract(
        "我市在汉堡签署系列合作协议\n"
        "会上，青州市人民政府与德国汉萨研究协会签署合作备忘录，青州高新区管委会与"
        "德国施陶德自动化股份公司（以下简称“施陶德”）签署智能装备项目投资协议。"
    )
    kinds = {a.parties: a.agreement_type for a in extraction.agreements}
    assert kinds == {
        ("德国汉萨研究协会", "青州市人民政府"): "mou",
        ("施陶德", "青州高新区管委会"): "contract",  # an investment agreement binds like one
    }


def test_zh_signatories_stand_for_their_organisations() -> None:
    extraction = _extract(
        "江城大学校企合作大会举行 现场签署2项合作协议\n"
        "昨天，江城大学校企合作大会在南校区举行，学校与2家单位现场签署合作协议。\n"
        "签约环节，副校长王立与远航装备集团有限公司总经理李强签署战略合作协议。\n"
        "学校总会计师赵敏与中国银行股份有限公司江城分行副行长孙伟签署银校合作协议。"
    )
    parties = sorted(a.parties for a in extraction.agreements)
    assert parties == [
        ("中国银行股份有限公司江城分行", "江城大学"),
        ("江城大学", "远航装备集团"),
    ]


def test_zh_a_later_also_signing_is_an_agreement_of_its_own() -> None:
    extraction = _extract(
        "开发银行江南分行与青州市签署战略合作协议\n"
        "5月19日，青州市人民政府与国家开发银行江南分行（以下简称“江南分行”）战略合作协议签约仪式在青州举行。"
        "市长代表市政府签署协议。\n"
        "根据协议，江南分行将提供300亿元融资支持。\n"
        "市领导出席活动并致辞。\n"
        "双方表示将加强沟通。\n"
        "会议还通报了全年工作安排。\n"
        "签约仪式上，江南分行还与青州地铁集团有限公司签署了地铁2号线借款合同，贷款金额8亿元。"
    )
    by_parties = {a.parties: a for a in extraction.agreements}
    assert set(by_parties) == {("江南分行", "青州市人民政府"), ("江南分行", "青州地铁集团")}
    assert [x.value for x in by_parties[("江南分行", "青州市人民政府")].amounts] == [3e10]
    assert [x.value for x in by_parties[("江南分行", "青州地铁集团")].amounts] == [8e8]


def test_zh_city_government_is_the_city_the_text_names() -> None:
    agreement = _only(
        _extract(
            "市政府与松原新能源签署战略合作协议\n"
            "昨日，市政府与松原新能源科技有限公司战略合作签约仪式在市行政中心举行。"
            "市委书记李明远代表市委、市政府致辞，松原新能源将在徐州经济技术开发区投资建设电池产业园。"
        )
    )
    assert "徐州市人民政府" in agreement.parties


# --- English: what is not a signing -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (
            "Pharma group ends research deal with Eastlake University\n"
            "In July 2019, Hollin Pharma signed a development contract with Eastlake University "
            "to run preclinical studies of a new compound.",
            "a capitalised 'In July 2019' dates it years back",
        ),
        (
            "Regulator blocks Lumen photonics venture\n"
            "The two companies signed a joint venture agreement in January to set up a chip "
            "plant near Eindhoven, but the government has now blocked the deal.",
            "signed in a month long before publication",
        ),
        (
            "Dalian Harbour FC sign Brazilian midfielder\n"
            "Dalian Harbour FC have signed Brazilian midfielder Caio Nunes on a three-year "
            "contract, the club announced on Friday.",
            "a club signing a player is a transfer",
        ),
        (
            "Sunfield and Rongtai agree to explore solar venture\n"
            "Sunfield Solar Inc. and Rongtai PV Co. have reached a preliminary consensus on "
            "forming a joint venture and expect to sign definitive agreements later this year.",
            "a consensus on forming a venture is not a signed agreement",
        ),
    ],
)
def test_en_negatives(text: str, why: str) -> None:
    assert not _extract(text, date(2026, 7, 10)).is_signing, why


# --- English: parties ---------------------------------------------------------------------------


def test_en_descriptors_are_not_part_of_the_name() -> None:
    agreement = _only(
        _extract(
            "Lakeview University and Arden Therapeutics sign research agreement\n"
            "Lakeview University and Boston-based Arden Therapeutics Inc. have signed a "
            "five-year, C$12-million sponsored research agreement on RNA medicines."
        )
    )
    assert agreement.parties == ("Arden Therapeutics", "Lakeview University")
    assert [(a.currency, a.value) for a in agreement.amounts] == [("CAD", 12e6)]


def test_en_ministry_with_and_in_its_name_is_one_party() -> None:
    agreement = _only(
        _extract(
            "Rwanda signs data centre MoU\n"
            "Rwanda's Ministry of ICT and Innovation on Monday signed a memorandum of "
            "understanding with Singapore-based Lumen Grid Pte Ltd for a data centre."
        )
    )
    assert agreement.parties == ("Lumen Grid", "Rwanda Ministry of ICT and Innovation")
    assert agreement.signed_on == date(2026, 5, 18)


def test_en_officials_signing_on_behalf_are_no_second_agreement() -> None:
    agreement = _only(
        _extract(
            "Riverton and Corvex sign strategic deal\n"
            "The Riverton Municipal People's Government and Corvex Group signed a strategic "
            "cooperation agreement yesterday. Vice Mayor Tang Lu and Corvex Senior Vice "
            "President Wang Chen signed the agreement on behalf of the two sides."
        )
    )
    assert agreement.parties == ("Corvex Group", "Riverton Municipal Government")


def test_en_provincial_government_keeps_its_level() -> None:
    agreement = _only(
        _extract(
            "Guizhou and Corvex sign framework agreement\n"
            "The Guizhou Provincial People's Government and Corvex Group signed a framework "
            "agreement on a computing hub."
        )
    )
    assert "Guizhou Provincial Government" in agreement.parties


def test_en_three_listed_parties() -> None:
    agreement = _only(
        _extract(
            "Three ports sign green corridor MoU\n"
            "The Port of Esbrook Authority, Qinling Port Group Co., Ltd. (QPG) and the Nordic "
            "Green Shipping Alliance signed a memorandum of understanding on Wednesday."
        )
    )
    assert len(agreement.parties) == 3


def test_en_passive_signing_takes_the_parties_of_the_sentence_before() -> None:
    agreement = _only(
        _extract(
            "Northfield and Harbin Tech launch joint centre\n"
            "Northfield University and Harbin Institute of Technology have agreed to establish a "
            "joint research centre for advanced manufacturing. The agreement was signed last "
            "Friday in Newcastle by the two vice-presidents."
        )
    )
    assert agreement.parties == ("Harbin Institute of Technology", "Northfield University")
    assert agreement.signed_on == date(2026, 5, 15)  # "last Friday" before Wednesday the 20th


def test_en_pronoun_subject_after_said_is_the_speaker() -> None:
    agreement = _only(
        _extract(
            "Kestrel forms e-axle venture with Hengtai\n"
            "LONDON - British developer Kestrel Mobility Ltd said on Tuesday it has signed a joint "
            "venture agreement with Jiangsu Hengtai Auto Parts Co., Ltd. to build e-axles. "
            "The agreement was signed last Friday in Changzhou."
        )
    )
    assert agreement.parties == ("Jiangsu Hengtai Auto Parts", "Kestrel Mobility")
    assert agreement.signed_on == date(2026, 5, 15)  # not the day it was reported


def test_en_dateline_is_not_the_signing_date() -> None:
    agreement = _only(
        _extract(
            "Miner and refiner form nickel venture\n"
            "JAKARTA, May 20 (Metals Wire) - PT Sumber Nikel Tbk and Zhejiang Huali Materials "
            "Co., Ltd. signed a joint venture agreement on Saturday to build a $2bn plant."
        )
    )
    assert agreement.signed_on == date(2026, 5, 16)
    assert "Sumber Nikel" in agreement.parties


def test_en_announcement_enumerators_are_no_parties() -> None:
    extraction = _extract(
        "Announcement on Signing a Strategic Cooperation Framework Agreement\n"
        "1. The agreement signed is a framework agreement expressing an intention to cooperate.\n"
        "2. The signing of the agreement does not constitute a related-party transaction.\n"
        'On 18 May 2026, Anhui Tianyu Materials Co., Ltd. (hereinafter referred to as "the '
        'Company") entered into a Strategic Cooperation Framework Agreement with Shenzhen '
        'Ruiguang Electronics Co., Ltd. (hereinafter referred to as "Ruiguang").'
    )
    agreement = _only(extraction)
    assert agreement.parties == ("Anhui Tianyu Materials", "Shenzhen Ruiguang Electronics")
    assert agreement.signed_on == date(2026, 5, 18)


def test_en_king_s_college_keeps_its_possessive() -> None:
    assert AliasTable.bundled().canonical("King's College London") == "King's College London"
    assert AliasTable.bundled().canonical("China's Rongtai PV Co.") == "Rongtai PV"


# --- fields and amounts ------------------------------------------------------------------------


def test_en_memorandum_covers_lists_fields() -> None:
    agreement = _only(
        _extract(
            "Ports sign green corridor MoU\n"
            "The Port of Esbrook Authority and Qinling Port Group signed a memorandum of "
            "understanding on Wednesday. The memorandum covers methanol bunkering, shore power "
            "and emissions tracking."
        )
    )
    assert {"methanol bunkering", "shore power", "emissions tracking"} <= set(agreement.fields)


def test_zh_list_splits_at_he_between_phrases_only() -> None:
    agreement = _only(
        _extract(
            "江城大学与远航装备签署战略合作协议\n"
            "5月19日，江城大学与远航装备集团有限公司签署战略合作协议，双方将在轨道装备研发、"
            "智能运维和检测认证、软件和信息服务业等方面开展合作。"
        )
    )
    assert {"轨道装备研发", "智能运维", "检测认证", "软件和信息服务业"} <= set(agreement.fields)


def test_event_total_is_no_agreement_amount() -> None:
    extraction = _extract(
        "Investment conference signs 30 projects\n"
        "At the conference on Monday, 30 projects worth 21.6 billion yuan in total were signed. "
        "Among them, Aurelia Biologics Inc. signed an investment agreement with the Riverton "
        "Park Administrative Committee for a 1.2 billion yuan plant."
    )
    amounts = [x.value for a in extraction.agreements for x in a.amounts]
    assert amounts == [1.2e9]


@pytest.mark.parametrize(
    ("text", "currency", "value"),
    [
        ("Vyom will invest ₹250 crore in the centre", "INR", 2.5e9),
        ("a S$10m grant", "SGD", 1e7),
        ("投资2亿英镑建设基地", "GBP", 2e8),
    ],
)
def test_more_currencies_and_scales(text: str, currency: str, value: float) -> None:
    from flows.extract_amounts import find_amounts

    assert [(a.currency, a.value) for a in find_amounts(text)] == [(currency, value)]


def test_en_dateline_digits_and_a_trailing_place_are_not_names() -> None:
    agreement = _only(
        _extract(
            "Zhejiang hospital and Dublin's St Brendan's sign research pact\n"
            "HANGZHOU, May 20 — Qiantang Provincial Hospital (QPH) and St Brendan's University "
            "Hospital in Dublin have signed a memorandum of understanding on stroke care."
        )
    )
    assert agreement.parties == ("Qiantang Provincial Hospital", "St Brendan's University Hospital")


def test_en_passive_signing_of_a_memorandum_that_sets_out_a_plan_is_done() -> None:
    agreement = _only(
        _extract(
            "Ports agree green corridor\n"
            "The Port of Esbrook Authority, Qinling Port Group Co., Ltd. (QPG) and Meridian "
            "Container Lines have agreed to work towards a zero-emission route. A memorandum of "
            "understanding setting out the plan was signed in Esbrook on 14 May 2026."
        )
    )
    assert len(agreement.parties) == 3
    assert agreement.signed_on == date(2026, 5, 14)


def test_zh_fields_of_an_investment_and_of_each_agreement_at_one_event() -> None:
    extraction = _extract(
        "市政府与两家企业签署协议\n"
        "昨日，市政府与青峰新能源科技有限公司、远帆数据科技有限公司分别签署战略合作协议。\n"
        "根据协议，青峰新能源将在开发区建设电池产业园，主要生产动力电池和储能系统。\n"
        "远帆数据将与我市在算力基础设施、数字政府等领域深化合作。"
    )
    by_firm = {a.parties: set(a.fields) for a in extraction.agreements}
    assert set(by_firm) == {("市人民政府", "青峰新能源科技"), ("市人民政府", "远帆数据科技")}
    assert {"动力电池", "储能系统"} <= by_firm[("市人民政府", "青峰新能源科技")]
    assert {"算力基础设施", "数字政府"} <= by_firm[("市人民政府", "远帆数据科技")]
    assert not {"动力电池", "储能系统"} & by_firm[("市人民政府", "远帆数据科技")]


@pytest.mark.parametrize(
    ("sentence", "field"),
    [
        ("Riverton signs £85m street lighting contract with Lumora", "street lighting"),
        ("Kigali signs $120 million data centre MoU with Lumen Grid", "data centre"),
        ("Egret FC sign record shirt deal with Minnan Bank", "shirt"),
    ],
)
def test_en_words_before_the_agreement_noun_name_its_topic(sentence: str, field: str) -> None:
    from flows.extract_fields import fields_of

    assert field in fields_of([sentence])


def test_en_names_and_numbers_before_the_agreement_noun_are_no_topic() -> None:
    from flows.extract_fields import fields_of

    assert fields_of(["Lumora signed a five-year additional agreement with Riverton"]) == ()


def test_zh_witnesses_and_on_behalf_signatories_add_no_agreement() -> None:
    agreement = _only(
        _extract(
            "山城足球俱乐部与赤岭酒业签署战略赞助合同\n"
            "昨日下午，山城足球俱乐部与赤岭酒业集团有限公司（以下简称“赤岭酒业”）战略赞助签约仪式在奥体中心举行。"
            "俱乐部董事长杨松与赤岭酒业总经理韦庆代表双方签约。"
            "省体育局有关负责人，以及部分球员和球迷代表见证了签约。"
        )
    )
    assert agreement.parties == ("山城足球俱乐部", "赤岭酒业")
    assert agreement.agreement_type == "contract"  # a sponsorship, though called strategic
    assert agreement.location == "奥体中心"


def test_zh_investment_cooperation_agreement_is_a_contract() -> None:
    agreement = _only(
        _extract(
            "经开区与智擎机器人签订投资合作协议\n"
            "5月19日，江城经济技术开发区管委会与深圳市智擎机器人有限公司签订投资合作协议，总投资20亿元。"
        )
    )
    assert agreement.agreement_type == "contract"
    assert [a.value for a in agreement.amounts] == [2e9]


def test_zh_guan_yu_is_no_place() -> None:
    agreement = _only(
        _extract(
            "关于与外方签署合资经营合同的公告\n"
            "青禾精工股份有限公司于2026年5月18日与布伦瓦尔德公司签署《合资经营合同》。"
        )
    )
    assert agreement.location is None


def test_zh_month_only_signing_date_keeps_month_precision() -> None:
    from flows.extract_io import agreement_to_prediction

    agreement = _only(
        _extract(
            "江城大学与远航装备签署战略合作协议\n"
            "2026年4月，江城大学与远航装备集团有限公司签署战略合作协议，双方将在智能制造等领域开展合作。"
        )
    )
    assert (agreement.signed_on, agreement.signed_on_precision) == (date(2026, 4, 1), "month")
    assert agreement_to_prediction(agreement)["signed_on"] == "2026-04"


def test_en_background_agreement_signed_in_a_month_has_that_month() -> None:
    extraction = _extract(
        "Lakeview University opens robotics lab\n"
        "Lakeview University and Corvex Group signed a joint lab agreement on Monday. The two "
        "partners had signed a framework agreement in March 2021.",
        date(2026, 5, 20),
    )
    (background,) = extraction.background_agreements
    assert background.signed_on_text == "2021-03"


def test_zh_traditional_short_names_and_agency_datelines() -> None:
    agreement = _only(
        _extract(
            "友聯人壽與中山一院簽署合作協議\n"
            "友聯人壽保險有限公司（「友聯中國」）與中山大學附屬第一醫院（以下簡稱「中山一院」）"
            "已於本月18日在廣州簽署戰略合作協議。"
        )
    )
    assert agreement.parties == ("中山一院", "友聯中國")
    assert agreement.signed_on == date(2026, 5, 18)
    dateline = _only(
        _extract(
            "中国田径协会与肯尼亚田径协会签署合作备忘录\n"
            "新华社北京5月20日电 中国田径协会与肯尼亚田径协会20日在北京签署合作备忘录。"
        )
    )
    assert dateline.parties == ("中国田径协会", "肯尼亚田径协会")


def test_zh_talks_about_signing_and_family_doctor_signing_are_no_agreements() -> None:
    assert not _extract(
        "國泰航空擬與天府機場簽署合作備忘錄\n"
        "據悉，國泰航空正與四川省機場集團商討簽署合作備忘錄，雙方尚未確定簽署時間。"
    ).is_signing
    assert not _extract(
        "家庭医生签约服务进社区\n活动现场共有300余名居民与家庭医生团队签约。"
    ).is_signing


def test_zh_bare_city_as_party_is_its_government() -> None:
    agreement = _only(
        _extract(
            "绍兴市与吉马良斯市缔结友好城市关系\n"
            "5月19日，绍兴市与吉马良斯市在绍兴签署缔结友好城市关系协议书。"
        )
    )
    assert agreement.parties == ("吉马良斯市人民政府", "绍兴市人民政府")


def test_en_chamber_of_commerce_and_industry_is_one_name() -> None:
    agreement = _only(
        _extract(
            "Kunming and Cebu business groups sign MoU\n"
            "Kunming Tourism and Culture Investment Group signed a memorandum of understanding "
            "with the Cebu Chamber of Commerce and Industry on Monday."
        )
    )
    assert agreement.parties == (
        "Cebu Chamber of Commerce and Industry",
        "Kunming Tourism and Culture Investment Group",
    )


def test_en_the_company_is_the_name_it_stands_for() -> None:
    agreement = _only(
        _extract(
            "Announcement on a framework agreement\n"
            'China Rongshan Mining Corporation Limited (the "Company") is pleased to announce that '
            "on 18 May 2026 the Company entered into a framework agreement with Zambezi Holdings "
            "Plc."
        )
    )
    assert "China Rongshan Mining" in agreement.parties  # the legal suffix dropped


def test_amounts_keep_deal_money_and_drop_revenue_balances_and_conversions() -> None:
    from flows.extract_amounts import find_amounts

    assert [
        (a.currency, a.value) for a in find_amounts("budget of €40 million (about $43 million)")
    ] == [("EUR", 4e7)]
    assert find_amounts("總投資額約13.8億美元")[0].text == "13.8億美元"
    agreement = _only(
        _extract(
            "青峰新能源与江城签署投资协议\n"
            "5月19日，江城市人民政府与青峰新能源科技有限公司签署投资协议。\n"
            "青峰新能源将投资12亿元建设电池基地，全部达产后预计年产值超50亿元。\n"
            "截至去年末，青峰新能源在江城的贷款余额超过30亿元。"
        )
    )
    assert [a.value for a in agreement.amounts] == [1.2e9]


def test_en_appositive_and_stop_words_inside_a_listed_subject() -> None:
    airlines = _only(
        _extract(
            "Two carriers sign MoU\n"
            "Ethiopian Airlines, Africa's largest carrier, and China's Sichuan Airlines on Tuesday "
            "signed a memorandum of understanding on codeshare operations."
        )
    )
    assert airlines.parties == ("Ethiopian Airlines", "Sichuan Airlines")
    swimming = _only(
        _extract(
            "Three swimming bodies sign MoU\n"
            "Swimming Australia, the Chinese Swimming Association (CSA) and the Australian "
            "Institute of Sport (AIS) have signed a three-way memorandum of understanding."
        )
    )
    assert len(swimming.parties) == 3


def test_zh_announcer_before_with_is_the_subject() -> None:
    agreement = _only(
        _extract(
            "友聯中國與中山一院簽署戰略合作協議\n"
            "友聯控股有限公司旗下友聯人壽保險有限公司宣佈，已於本月18日在廣州與中山大學附屬第一醫院"
            "（「中山一院」）簽署戰略合作協議。"
        )
    )
    assert agreement.parties == ("中山一院", "友聯人壽保險")
    assert agreement.signed_on == date(2026, 5, 18)


def test_zh_announcement_names_use_stock_and_defined_short_names() -> None:
    agreement = _only(
        _extract(
            "证券代码：300999        证券简称：青影传媒        公告编号：2026-041\n"
            "青影传媒股份有限公司关于签订战略合作框架协议的公告\n"
            "2026年5月18日，浙江青影传媒股份有限公司（以下简称“公司”或“甲方”）与东阳影视城有限公司"
            "（以下简称“东阳影视城”或“乙方”）在浙江省东阳市签订了《战略合作框架协议》。"
        )
    )
    assert agreement.parties == ("东阳影视城", "青影传媒")


def test_zh_cooperative_names_and_long_places_between_parties() -> None:
    coop = _only(
        _extract(
            "我校与虾稻合作社联合社签署协议\n"
            "5月19日，江城大学与潜江市虾稻产业农民专业合作社联合社签署共建创新中心合作协议。"
        )
    )
    assert "潜江市虾稻产业农民专业合作社联合社" in coop.parties
    mining = _only(
        _extract(
            "紫云矿业与刚果国营矿业签署合资协议\n"
            "紫云矿业集团股份有限公司今天发布公告指出，公司昨（19）日在刚果民主共和国首都金沙萨"
            "与刚果国营矿业公司签署合资协议。"
        )
    )
    assert mining.parties == ("刚果国营矿业公司", "紫云矿业")  # "公司" is the announcer
    assert mining.signed_on == date(2026, 5, 19)
