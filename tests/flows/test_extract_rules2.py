"""RuleExtractor on our own short articles: several agreements, descriptive subjects, extensions."""

from __future__ import annotations

from datetime import date

import pytest

from flows.aliases import AliasTable
from flows.extract import RuleExtractor
from flows.extract_io import article_from_record
from flows.extract_multi import count, titles_zh
from flows.models import Agreement, Extraction

ALIASES = AliasTable.bundled().extended(
    {
        "Lakeside University": ["湖畔大学"],
        "Qingshui Robotics": ["清水机器人", "Qingshui Robotics Co., Ltd."],
        "Pinewood Bank": ["松林银行"],
        "Redstone Energy": ["红石能源"],
    }
)
EXTRACTOR = RuleExtractor(ALIASES)


def _extract(text: str, published: date | None = date(2026, 5, 20)) -> Extraction:
    day = published.isoformat() if published else None
    return EXTRACTOR.extract(article_from_record({"id": "b", "text": text, "published": day}))


def _only(extraction: Extraction) -> Agreement:
    assert extraction.is_signing
    (agreement,) = extraction.agreements
    return agreement


def test_english_count_gives_one_agreement_each() -> None:
    extraction = _extract(
        "Qingshui Robotics opens a training hall\n"
        "Qingshui Robotics today opened its new training hall in Riverton, its largest so far.\n"
        "At the opening, Qingshui Robotics signed two memorandums of understanding with "
        "Lakeside University on robot safety research."
    )
    assert extraction.is_signing
    assert [a.parties for a in extraction.agreements] == [
        ("Lakeside University", "Qingshui Robotics")
    ] * 2
    assert {a.agreement_type for a in extraction.agreements} == {"mou"}


def test_chinese_list_of_named_agreements_gives_one_each_typed_by_its_name() -> None:
    extraction = _extract(
        "湖畔大学与清水机器人深化合作\n"
        "5月18日，湖畔大学与清水机器人合作签约仪式举行。"
        "双方签署了《战略合作框架协议》、《联合培养备忘录》和《设备采购合同》，总金额5000万元。"
    )
    agreements = extraction.agreements
    assert [a.agreement_type for a in agreements] == ["framework", "mou", "contract"]
    assert [a.title for a in agreements] == ["战略合作框架协议", "联合培养备忘录", "设备采购合同"]
    assert {a.parties for a in agreements} == {("Lakeside University", "Qingshui Robotics")}
    assert [len(a.amounts) for a in agreements] == [1, 0, 0]  # the money goes to the first
    assert {a.signed_on for a in agreements} == {date(2026, 5, 18)}


def test_one_event_with_different_partners_gives_separate_agreements() -> None:
    extraction = _extract(
        "Qingshui Robotics signs with two partners at the Riverton expo\n"
        "At the Riverton expo on May 19, Qingshui Robotics signed a strategic agreement with "
        "Lakeside University. Qingshui Robotics also signed a supply contract with Pinewood Bank "
        "and Redstone Energy at the same event."
    )
    assert {a.parties for a in extraction.agreements} == {
        ("Lakeside University", "Qingshui Robotics"),
        ("Pinewood Bank", "Qingshui Robotics", "Redstone Energy"),
    }


def test_chinese_company_named_only_as_gongsi_is_the_speaker() -> None:
    extraction = _extract(
        "投资者问答\n"
        "清水机器人：感谢关注。公司与湖畔大学签署战略合作协议，双方将在机器人领域合作。"
        "同时，公司与松林银行、红石能源共同签订供应链合作协议。"
    )
    assert {a.parties for a in extraction.agreements} == {
        ("Lakeside University", "Qingshui Robotics"),
        ("Pinewood Bank", "Qingshui Robotics", "Redstone Energy"),
    }


def test_descriptive_english_subject_is_the_article_protagonist() -> None:
    agreement = _only(
        _extract(
            "Qingshui Robotics wins a contract to equip Lakeside University labs\n"
            "The Riverton-based company, a maker of warehouse robots, signed an agreement with "
            "Lakeside University to supply forty robot arms. Qingshui Robotics said the arms "
            "ship in June. Qingshui Robotics shares rose."
        )
    )
    assert agreement.parties == ("Lakeside University", "Qingshui Robotics")
    assert agreement.agreement_type == "contract"  # the title calls it a contract


def test_extension_that_adds_an_agreement_is_a_signing() -> None:
    agreement = _only(
        _extract(
            "Qingshui Robotics announced yesterday the extension of its partnership with "
            "Lakeside University to include a joint software licensing agreement.\n"
            "The licence covers robot vision software."
        )
    )
    assert agreement.parties == ("Lakeside University", "Qingshui Robotics")
    assert agreement.signed_on == date(2026, 5, 19)
    # typed from the added licensing agreement (a contract), not the old partnership ("other")
    assert agreement.agreement_type == "contract"


def test_planned_extension_is_not_a_signing() -> None:
    extraction = _extract(
        "Qingshui Robotics plans the extension of its partnership with Lakeside University to "
        "include a licensing agreement next year."
    )
    assert not extraction.is_signing


def test_mou_that_launches_a_centre_with_a_partner_is_a_joint_centre() -> None:
    agreement = _only(
        _extract(
            "Qingshui Robotics launching a robotics research centre with Lakeside University\n"
            "On May 12, Qingshui Robotics and Lakeside University signed an MoU for the centre."
        )
    )
    assert agreement.agreement_type == "joint_lab_or_centre"


def test_mou_at_the_opening_of_an_own_centre_stays_an_mou() -> None:
    agreement = _only(
        _extract(
            "Qingshui Robotics opened its own design centre in Riverton on Monday.\n"
            "At the event, Qingshui Robotics and Lakeside University signed an MoU on internships."
        )
    )
    assert agreement.agreement_type == "mou"


@pytest.mark.parametrize(
    ("text", "place"),
    [
        (
            "Qingshui Robotics and Lakeside University signed an MoU at the Harbour Robotics "
            "Summit in Riverton on May 12.",
            "Harbour Robotics Summit, Riverton",
        ),
        ("5月12日，湖畔大学与清水机器人在滨江机器人大会上签署合作协议。", "滨江机器人大会"),
        ("5月12日，湖畔大学与清水机器人合作协议签约仪式在湖畔大学图书馆举行。", "湖畔大学图书馆"),
    ],
)
def test_location_of_the_signing(text: str, place: str) -> None:
    assert _only(_extract("Signing\n" + text)).location == place


@pytest.mark.parametrize(
    ("text", "people"),
    [
        (
            "Lakeside University and Qingshui Robotics signed a cooperation agreement on May 12. "
            "It was signed by President Mara Lind and Chief Executive Tom Reyes.",
            ("Mara Lind", "Tom Reyes"),
        ),
        (
            "5月12日，湖畔大学与清水机器人签约。湖畔大学校长王明、清水机器人董事长李华代表双方签署合作协议。",
            ("王明", "李华"),
        ),
    ],
)
def test_signatories(text: str, people: tuple[str, ...]) -> None:
    assert _only(_extract("Signing\n" + text)).signatories == people


def test_fields_come_from_sentences_about_the_agreement() -> None:
    agreement = _only(
        _extract(
            "Lakeside University and Qingshui Robotics sign research agreement\n"
            "Lakeside University and Qingshui Robotics signed a research agreement on May 15.\n"
            "Under the agreement, the two sides will cooperate on warehouse automation, robot "
            "vision and battery safety.\n"
            "Riverton is also known for its education and logistics industries."
        )
    )
    assert {"warehouse automation", "robot vision", "battery safety"} <= set(agreement.fields)
    assert "logistics" not in agreement.fields


def test_the_municipal_government_is_the_city_the_text_keeps_naming() -> None:
    agreement = _only(
        _extract(
            "Our city signs with Qingshui Robotics\n"
            "Yesterday, the municipal government and Qingshui Robotics signed a strategic "
            "cooperation agreement. Riverton will host the firm's new plant. Riverton has a "
            "strong port."
        )
    )
    assert agreement.parties == ("Qingshui Robotics", "Riverton Municipal Government")


def test_count_and_titles_helpers() -> None:
    assert count("The two universities signed three agreements on exchanges.") == 3
    assert count("They signed an agreement.") == 1
    assert count("双方签署了两份合作协议。") == 2
    sentence = "双方签订了科研合作协议、人才培养协议等协议"
    assert titles_zh(sentence, sentence, sentence.index("签订") + 2) == [
        "科研合作协议",
        "人才培养协议",
    ]
    single = "双方签订了科研合作协议，将开展合作"
    assert titles_zh(single, single, single.index("签订") + 2) == []


def test_partner_named_only_through_its_attending_official() -> None:
    agreement = _only(
        _extract(
            "Qingshui Robotics opens a lab\n"
            "On May 14, Qingshui Robotics signed the MoU while its CEO and the President of "
            "Lakeside University attended."
        )
    )
    assert agreement.parties == ("Lakeside University", "Qingshui Robotics")


def test_a_name_with_and_inside_stays_one_party() -> None:
    agreement = _only(
        _extract(
            "Qingshui Robotics signed a strategic agreement with Riverton Development and Reform "
            "Commission on May 14."
        )
    )
    assert agreement.parties == ("Qingshui Robotics", "Riverton Development and Reform Commission")


@pytest.mark.parametrize(
    ("text", "place"),
    [
        (  # "at the summit" refers back to the summit the report named before
            "Signing at the summit\n"
            "On May 12, the Riverton Robotics Summit was held in Riverton with 300 guests.\n"
            "Many firms showed new machines to the visitors of the event that day.\n"
            "At the summit, Qingshui Robotics and Lakeside University signed an agreement on "
            "“Building a Training Base in Harbour Town”.",
            "Riverton Robotics Summit, Riverton",
        ),
        (
            "Signing\nYesterday, Qingshui Robotics and Lakeside University signed an agreement in "
            "the small meeting room of the university library.",
            "small meeting room of the university library",
        ),
    ],
)
def test_location_from_the_named_event_or_a_venue(text: str, place: str) -> None:
    assert _only(_extract(text)).location == place


def test_a_single_field_after_a_strong_cue() -> None:
    agreement = _only(
        _extract(
            "Lakeside University and Qingshui Robotics signed a research agreement on May 15.\n"
            "Under the agreement, the two sides will work on underwater drones."
        )
    )
    assert "underwater drones" in agreement.fields


def test_chinese_single_fields_and_carried_out_work() -> None:
    agreement = _only(
        _extract(
            "湖畔大学与清水机器人签约\n"
            "5月12日，在滨江新能源博览会上，湖畔大学与清水机器人签署战略合作协议。"
            "双方将在水下机器人领域携手合作，围绕“以深海探测为代表的海洋装备”开展联合设计与样机测试。"
        )
    )
    assert {"水下机器人", "海洋装备", "联合设计", "样机测试"} <= set(agreement.fields)
    assert "新能源" not in agreement.fields  # part of the expo's name, not a field


def test_english_field_phrases_skip_counts_and_keep_joined_heads() -> None:
    agreement = _only(
        _extract(
            "Lakeside University and Qingshui Robotics signed a cooperation agreement on May 15.\n"
            "Under the agreement, the two sides will cooperate on 40 projects.\n"
            "The parties also intend to cooperate in the area of sensor and actuator industries."
        )
    )
    assert "sensor and actuator industries" in agreement.fields
    assert not any(f.startswith("40") for f in agreement.fields)


def test_fields_of_each_agreement_come_from_its_own_sentences() -> None:
    extraction = _extract(
        "Qingshui Robotics signs two deals\n"
        "On May 12, Qingshui Robotics signed an agreement with Lakeside University to cooperate "
        "on robot vision and motion planning.\n"
        "Qingshui Robotics also signed an agreement with Pinewood Bank to cooperate on equipment "
        "leasing and export credit."
    )
    fields = {a.parties: set(a.fields) for a in extraction.agreements}
    assert fields[("Lakeside University", "Qingshui Robotics")] >= {"robot vision"}
    assert "equipment leasing" not in fields[("Lakeside University", "Qingshui Robotics")]
    assert fields[("Pinewood Bank", "Qingshui Robotics")] >= {"equipment leasing"}
