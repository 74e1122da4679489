"""Alias table and normalise_party: canonical names, rules, idempotence."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from flows.aliases import AliasTable, normalise_party
from flows.errors import ConfigError


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("Huawei", "Huawei"),
        ("HUAWEI", "Huawei"),
        ("Ｈｕａｗｅｉ", "Huawei"),
        ("Huawei Technologies Co., Ltd.", "Huawei"),
        ("华为技术有限公司", "Huawei"),
        ("華為公司", "Huawei"),
        ("SZPT", "Shenzhen Polytechnic"),
        ("深圳职业技术学院", "Shenzhen Polytechnic"),
        ("阿里巴巴", "Alibaba"),
        ("Alibaba Group", "Alibaba"),
        ("腾讯", "Tencent"),
        ("中兴通讯", "ZTE"),
        ("ZTE Corporation", "ZTE"),
        ("MIT", "Massachusetts Institute of Technology"),
        (
            "  the   Massachusetts Institute of Technology (MIT) ",
            "Massachusetts Institute of Technology",
        ),
    ],
)
def test_bundled_names_map_to_one_canonical_name(written: str, canonical: str) -> None:
    assert normalise_party(written) == canonical


@pytest.mark.parametrize(
    "written",
    [
        "Hangzhou Municipal Government",
        "Hangzhou Municipal People's Government",
        "Hangzhou Municipal People’s Government",
        "Hangzhou City Government",
        "hangzhou city government",
        "杭州市人民政府",
        "杭州市政府",
    ],
)
def test_city_government_variants_are_one_name(written: str) -> None:
    assert normalise_party(written) == "Hangzhou Municipal Government"


def test_government_rules_apply_to_cities_the_table_does_not_know() -> None:
    assert normalise_party("Qingshui City Government") == "Qingshui Municipal Government"
    assert (
        normalise_party("Qingshui Municipal People's Government") == "Qingshui Municipal Government"
    )
    assert normalise_party("Qingshui province") == "Qingshui Provincial Government"
    assert normalise_party("清水市政府") == "清水市人民政府"


def test_unknown_names_are_cleaned_and_stripped_of_legal_suffixes() -> None:
    assert normalise_party("  Lakeside   Robotics Co., Ltd. ") == "Lakeside Robotics"
    assert normalise_party("湖畔机器人股份有限公司") == "湖畔机器人"
    assert normalise_party("Lakeside Robotics Inc.") == "Lakeside Robotics"


def test_extended_aliases_win_over_the_bundled_table() -> None:
    table = AliasTable.bundled().extended(
        {"Huawei Cloud": ["Huawei"], "Nanhu Technology": ["南湖科技股份有限公司", "Nanhu"]}
    )
    assert table.canonical("Huawei") == "Huawei Cloud"
    assert table.canonical("南湖科技") == "Nanhu Technology"  # legal suffix stripped from a variant
    assert table.canonical("NANHU") == "Nanhu Technology"
    assert AliasTable.bundled().canonical("Huawei") == "Huawei"  # the bundled table is unchanged


def test_malformed_alias_mapping_names_its_origin() -> None:
    with pytest.raises(ConfigError, match=r"demo\.yaml"):
        AliasTable.from_mapping(["not", "a", "mapping"], "demo.yaml")
    with pytest.raises(ConfigError, match="Acme"):
        AliasTable.from_mapping({"Acme": "one string"}, "demo.yaml")


@given(st.text(max_size=40))
@example("ı")
@example("İ")
@example("Ｈｕａｗｅｉ")
@example("Ｈｕａｗｅｉ Technologies Co., Ltd.")
@example("İstanbul City Government")
@example("镕喆科技有限公司")
def test_normalise_party_is_idempotent(name: str) -> None:
    once = normalise_party(name)
    assert normalise_party(once) == once
