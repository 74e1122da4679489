"""RuleExtractor on short articles of our own: signings, the negative kinds, and the details."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.aliases import AliasTable
from flows.extract import EXTRACTOR_VERSION, RuleExtractor
from flows.models import Agreement, Article, Extraction

ALIASES = AliasTable.bundled().extended(
    {
        "Lakeside University": ["湖畔大学", "LU"],
        "Qingshui Robotics": [
            "清水机器人",
            "清水机器人股份有限公司",
            "Qingshui Robotics Co., Ltd.",
        ],
        "Qingshui Municipal Government": ["清水市人民政府"],
    }
)
EXTRACTOR = RuleExtractor(ALIASES)


def _extract(
    text: str, published: date | None = date(2026, 5, 20), owner: str | None = None
) -> Extraction:
    article = Article(
        url="http://example.invalid/a",
        canonical_url="http://example.invalid/a",
        title=text.splitlines()[0],
        text=text,
        published_on=published,
        lang=None,
        source_owner=owner,
    )
    return EXTRACTOR.extract(article)


def _only(extraction: Extraction) -> Agreement:
    assert extraction.is_signing
    (agreement,) = extraction.agreements
    return agreement


def test_english_signing_with_parties_date_type_amount_and_fields() -> None:
    agreement = _only(
        _extract(
            "Lakeside University and Qingshui Robotics sign strategic pact\n"
            "Lakeside University and Qingshui Robotics Co., Ltd. signed a strategic cooperation "
            "agreement on May 18 at the university's north campus.\n"
            "Qingshui Robotics will invest RMB 80 million in the programme, which covers "
            "artificial intelligence and talent training."
        )
    )
    assert agreement.parties == ("Lakeside University", "Qingshui Robotics")
    assert agreement.parties_as_written[0] == "Lakeside University"
    assert agreement.agreement_type == "strategic_cooperation"
    assert agreement.signed_on == date(2026, 5, 18)
    assert agreement.reported_on == date(2026, 5, 20)
    assert [(a.currency, a.value) for a in agreement.amounts] == [("CNY", 80_000_000)]
    assert {"artificial intelligence", "talent training"} <= set(agreement.fields)
    assert "signed" in agreement.evidence


def test_chinese_signing_resolves_yesterday_and_legal_suffix() -> None:
    agreement = _only(
        _extract(
            "湖畔大学与清水机器人签署框架协议\n"
            "昨日，湖畔大学与清水机器人股份有限公司签署智能制造框架协议，总投资2亿元。"
            "双方将在人工智能、人才培养等领域开展合作。"
        )
    )
    assert agreement.parties == ("Lakeside University", "Qingshui Robotics")
    assert agreement.agreement_type == "framework"
    assert agreement.signed_on == date(2026, 5, 19)
    assert [(a.currency, a.value) for a in agreement.amounts] == [("CNY", 200_000_000)]
    assert {"人工智能", "人才培养"} <= set(agreement.fields)


def test_acronym_defined_in_the_text_resolves_to_the_full_name() -> None:
    agreement = _only(
        _extract(
            "Memorandum signed\n"
            "On May 11, the Harbourview Institute of Marine Science (HIMS) and Lakeside University "
            "signed a memorandum of understanding on joint research.\n"
            "HIMS will send ten researchers."
        )
    )
    assert agreement.parties == ("Harbourview Institute of Marine Science", "Lakeside University")
    assert agreement.agreement_type == "mou"
    assert agreement.signed_on == date(2026, 5, 11)


def test_our_city_resolves_from_the_source_owner() -> None:
    agreement = _only(
        _extract(
            "我市与清水机器人签约\n5月19日，我市与清水机器人签署战略合作协议。",
            owner="Qingshui Municipal Government",
        )
    )
    assert agreement.parties == ("Qingshui Municipal Government", "Qingshui Robotics")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "Lakeside University and Qingshui Robotics signed a deal to form a joint venture.",
            "joint_venture",
        ),
        (
            "Lakeside University and Qingshui Robotics signed a deal to set up a joint laboratory.",
            "joint_lab_or_centre",
        ),
        ("Lakeside University and Qingshui Robotics signed a supply contract.", "contract"),
        (
            "Lakeside University and Qingshui Robotics signed a comprehensive cooperation deal.",
            "comprehensive_cooperation",
        ),
        ("湖畔大学与清水机器人签署共建联合实验室协议。", "joint_lab_or_centre"),
        ("湖畔大学与清水机器人签署合作备忘录。", "mou"),
        ("湖畔大学与清水机器人签署合作协议。", "other"),
    ],
)
def test_agreement_types(text: str, kind: str) -> None:
    extraction = _extract("Lakeside University and Qingshui Robotics\n" + text)
    assert extraction.agreements
    assert extraction.agreements[0].agreement_type == kind


@pytest.mark.parametrize(
    "text",
    [
        # visit / talks
        "Qingshui Robotics delegation visits Lakeside University\n"
        "A delegation from Qingshui Robotics visited Lakeside University on Monday and held talks. "
        "The two sides discussed future cooperation in robotics.",
        "清水机器人代表团访问湖畔大学\n5月18日，清水机器人代表团到访湖畔大学，双方进行了座谈交流。",
        # plans
        "Lakeside University and Qingshui Robotics will sign a cooperation agreement next month.",
        "Lakeside University plans to sign a framework agreement with Qingshui Robotics in June.",
        "The agreement is expected to be signed by Lakeside University and Qingshui Robotics soon.",
        "湖畔大学与清水机器人拟于下月签署战略合作协议。",
        "湖畔大学将与清水机器人签署合作协议。",
        "湖畔大学与清水机器人达成合作意向，签署意向书。",
        # terminated / blocked
        "Qingshui Robotics terminates its supply contract with Lakeside University (signed 2024).",
        "Regulators blocked the joint venture deal Qingshui Robotics signed with a Lakeside fund.",
        "清水机器人宣布终止与湖畔大学签订的供货合同。",
        # background
        "Qingshui Robotics launches a new arm\n"
        "The company unveiled its new robot arm on Tuesday. Under the framework deal it signed "
        "with Lakeside University in 2019, the two have trained 300 engineers.",
        "Qingshui Robotics opens a plant\nThe plant opened on Tuesday. Qingshui Robotics had "
        "previously signed an agreement with Lakeside University on training.",
        "清水机器人新工厂投产\n5月18日，清水机器人新工厂投产。"
        "早在2019年，清水机器人与湖畔大学签署了合作协议。",
        # other business news, and signatures that are not agreements
        "Qingshui Robotics and Lakeside University report record revenue for the first quarter.",
        "The mayor signed the new budget bill into law on Tuesday.",
    ],
)
def test_negatives_report_no_signing(text: str) -> None:
    extraction = _extract(text)
    assert not extraction.is_signing
    assert extraction.agreements == ()


def test_background_agreements_are_kept_apart() -> None:
    extraction = _extract(
        "Qingshui Robotics launches a new arm\n"
        "Qingshui Robotics unveiled a new arm on Tuesday. The framework agreement Qingshui "
        "Robotics signed with Lakeside University in 2019 helped fund it."
    )
    assert not extraction.is_signing
    assert [a.parties for a in extraction.background_agreements] == [
        ("Lakeside University", "Qingshui Robotics")
    ]


def test_extraction_is_deterministic_and_versioned() -> None:
    text = "Lakeside University and Qingshui Robotics signed an agreement today."
    first, second = _extract(text), _extract(text)
    assert first == second
    assert first.extractor_version == EXTRACTOR_VERSION
    assert first.agreements[0].signed_on == date(2026, 5, 20)


def test_unknown_date_stays_none() -> None:
    agreement = _only(
        _extract("Lakeside University and Qingshui Robotics signed an agreement on May 3.", None)
    )
    assert agreement.signed_on is None


NAMES = st.lists(
    st.sampled_from(["Huawei", "ZTE", "Lakeside University", "清水机器人"]), min_size=1, max_size=5
)


@given(NAMES, st.randoms(use_true_random=False))
def test_agreement_id_ignores_party_order_and_duplicates(parties: list[str], rnd: object) -> None:
    shuffled = list(parties) * 2
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    base = Agreement(tuple(parties), tuple(parties), "mou", date(2026, 5, 1), None)
    other = Agreement(tuple(shuffled), tuple(shuffled), "other", date(2026, 5, 1), date(2026, 5, 2))
    assert base.agreement_id == other.agreement_id
