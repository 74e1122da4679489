"""sources.yaml validation: the demo file, error messages naming file/source/field, defaults."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from flows.config import (
    AtomSource,
    HtmlListingSource,
    RssSource,
    SitemapSource,
    load_sources,
    load_sources_file,
)
from flows.errors import ConfigError


def write_yaml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_demo_sources_yaml_validates_three_sources_with_aliases(demo_root: Path) -> None:
    loaded = load_sources_file(demo_root / "sources.yaml")

    assert [s.name for s in loaded.sources] == [
        "binhai-university",
        "binhai-daily",
        "harbor-tech-wire",
    ]
    university, daily, wire = loaded.sources
    assert isinstance(university, RssSource)
    assert isinstance(daily, HtmlListingSource)
    assert daily.item_selector == "ul.news-list a.headline"
    assert isinstance(wire, AtomSource)
    assert str(university.url) == "http://demo.invalid/binhai-university/feed.xml"
    assert loaded.aliases["Binhai University"] == ["滨海大学", "BHU", "Binhai Univ."]
    assert len(loaded.aliases) == 10
    assert loaded.enabled == list(loaded.sources)


def test_demo_defaults_apply_to_every_source(demo_root: Path) -> None:
    sources = load_sources(demo_root / "sources.yaml")

    assert {s.min_delay_s for s in sources} == {0.0}
    assert {s.max_items for s in sources} == {50}
    assert [s.language for s in sources] == ["en", "zh", "en"]


def test_missing_item_selector_names_file_source_and_field(tmp_path: Path) -> None:
    path = write_yaml(
        tmp_path,
        """
        sources:
          - name: x
            kind: html_listing
            url: https://news.example/list.html
        """,
    )

    with pytest.raises(ConfigError) as caught:
        load_sources(path)

    message = str(caught.value)
    assert message.startswith(str(path))
    assert "source 'x': item_selector: Field required" in message


def test_unknown_source_key_is_rejected_with_its_name(tmp_path: Path) -> None:
    path = write_yaml(
        tmp_path,
        """
        sources:
          - name: lakeside
            kind: rss
            url: https://lakeside.example/rss.xml
            item_selektor: a
        """,
    )

    with pytest.raises(ConfigError, match=r"source 'lakeside': item_selektor: Extra inputs"):
        load_sources(path)


def test_unknown_top_level_key_is_rejected(tmp_path: Path) -> None:
    path = write_yaml(
        tmp_path,
        """
        source:
          - name: lakeside
            kind: rss
            url: https://lakeside.example/rss.xml
        """,
    )

    with pytest.raises(ConfigError, match=r"unknown top-level key\(s\): source$"):
        load_sources(path)


def test_unknown_defaults_key_is_rejected(tmp_path: Path) -> None:
    path = write_yaml(
        tmp_path,
        """
        defaults:
          max_item: 5
        sources:
          - name: lakeside
            kind: rss
            url: https://lakeside.example/rss.xml
        """,
    )

    with pytest.raises(ConfigError, match=r"defaults: unknown key\(s\): max_item"):
        load_sources(path)


def test_unknown_kind_is_reported_for_that_source(tmp_path: Path) -> None:
    path = write_yaml(
        tmp_path,
        """
        sources:
          - name: lakeside
            kind: json_api
            url: https://lakeside.example/api
        """,
    )

    with pytest.raises(ConfigError, match=r"source 'lakeside': kind: Input tag 'json_api'"):
        load_sources(path)


def test_duplicate_source_names_are_rejected(tmp_path: Path) -> None:
    path = write_yaml(
        tmp_path,
        """
        sources:
          - {name: lakeside, kind: rss, url: "https://lakeside.example/rss.xml"}
          - {name: qinghe, kind: sitemap, url: "https://qinghe.example/sitemap.xml"}
          - {name: lakeside, kind: atom, url: "https://lakeside.example/atom.xml"}
        """,
    )

    with pytest.raises(ConfigError, match=r"duplicate source names: lakeside$"):
        load_sources(path)


def test_bad_yaml_is_a_config_error_naming_the_file(tmp_path: Path) -> None:
    path = write_yaml(tmp_path, "sources: [\n  - name: x\n")

    with pytest.raises(ConfigError, match="not valid YAML") as caught:
        load_sources(path)

    assert str(path) in str(caught.value)


def test_missing_file_is_a_config_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"

    with pytest.raises(ConfigError, match="cannot read") as caught:
        load_sources(path)

    assert str(caught.value).startswith(str(path))


@pytest.mark.parametrize("text", ["sources: []\n", "defaults: {}\n", "- just a list\n"])
def test_file_without_a_sources_list_is_rejected(tmp_path: Path, text: str) -> None:
    with pytest.raises(ConfigError, match="sources"):
        load_sources(write_yaml(tmp_path, text))


def test_defaults_apply_and_a_source_overrides_them(tmp_path: Path) -> None:
    path = write_yaml(
        tmp_path,
        """
        defaults:
          max_items: 10
          min_delay_s: 2.5
          encoding: gbk
        sources:
          - {name: lakeside, kind: rss, url: "https://lakeside.example/rss.xml"}
          - name: qinghe
            kind: sitemap
            url: https://qinghe.example/sitemap.xml
            max_items: 3
            encoding: utf-8
        """,
    )

    lakeside, qinghe = load_sources(path)

    assert (lakeside.max_items, lakeside.min_delay_s, lakeside.encoding) == (10, 2.5, "gbk")
    assert isinstance(qinghe, SitemapSource)
    assert (qinghe.max_items, qinghe.min_delay_s, qinghe.encoding) == (3, 2.5, "utf-8")


def test_builtin_defaults_without_a_defaults_block(tmp_path: Path) -> None:
    path = write_yaml(
        tmp_path,
        """
        sources:
          - {name: lakeside, kind: rss, url: "https://lakeside.example/rss.xml"}
        """,
    )

    (source,) = load_sources(path)

    assert (source.max_items, source.min_delay_s, source.enabled) == (50, 1.0, True)
    assert source.display_name == "lakeside"


@pytest.mark.parametrize("name", ["Lakeside", "-lakeside", "lake_side", "lake side", ""])
def test_bad_name_pattern_is_rejected(tmp_path: Path, name: str) -> None:
    path = write_yaml(
        tmp_path,
        f"""
        sources:
          - {{name: "{name}", kind: rss, url: "https://lakeside.example/rss.xml"}}
        """,
    )

    with pytest.raises(ConfigError, match=rf"source '{name}': name: String should match pattern"):
        load_sources(path)


def test_bad_url_is_rejected_naming_the_url_field(tmp_path: Path) -> None:
    path = write_yaml(
        tmp_path,
        """
        sources:
          - {name: lakeside, kind: rss, url: "not a url"}
        """,
    )

    with pytest.raises(ConfigError, match=r"source 'lakeside': url: "):
        load_sources(path)


def test_disabled_sources_are_kept_in_the_file_but_not_loaded(tmp_path: Path) -> None:
    path = write_yaml(
        tmp_path,
        """
        sources:
          - {name: lakeside, kind: rss, url: "https://lakeside.example/rss.xml", enabled: false}
          - {name: qinghe, kind: sitemap, url: "https://qinghe.example/sitemap.xml"}
        """,
    )

    assert [s.name for s in load_sources_file(path).sources] == ["lakeside", "qinghe"]
    assert [s.name for s in load_sources(path)] == ["qinghe"]


def test_aliases_must_be_lists_of_names(tmp_path: Path) -> None:
    path = write_yaml(
        tmp_path,
        """
        sources:
          - {name: lakeside, kind: rss, url: "https://lakeside.example/rss.xml"}
        aliases:
          Lakeside Ferries: Lakeside Ferry Co.
        """,
    )

    with pytest.raises(ConfigError, match=r"aliases: 'Lakeside Ferries': expected a list"):
        load_sources_file(path)


def test_invalid_include_regex_names_file_source_and_field(tmp_path: Path) -> None:
    path = write_yaml(
        tmp_path,
        """
        sources:
          - name: lakeside
            kind: rss
            url: http://lakeside-wire.test/rss.xml
            include: ["/2026/(["]
        """,
    )

    with pytest.raises(ConfigError) as caught:
        load_sources_file(path)

    message = str(caught.value)
    assert message.startswith(f"{path}: source 'lakeside': include")
    assert "not a valid regex" in message


def test_listing_pagination_keys_and_kind_specific_defaults(tmp_path: Path) -> None:
    path = write_yaml(
        tmp_path,
        """
        defaults: {max_pages: 4, tags: [city]}
        sources:
          - name: qinghe
            kind: html_listing
            url: http://qinghe-news.test/index.html
            item_selector: ul a
            next_page_selector: a.next
          - {name: lakeside, kind: rss, url: "http://lakeside-wire.test/rss.xml"}
        """,
    )

    qinghe, lakeside = load_sources_file(path).sources

    assert isinstance(qinghe, HtmlListingSource)
    assert (qinghe.next_page_selector, qinghe.max_pages, qinghe.tags) == ("a.next", 4, ("city",))
    assert lakeside.tags == ("city",)  # max_pages does not apply to a feed: no unknown-key error


def test_max_pages_on_a_feed_is_an_unknown_key(tmp_path: Path) -> None:
    path = write_yaml(
        tmp_path,
        """
        sources:
          - {name: lakeside, kind: rss, url: "http://lakeside-wire.test/rss.xml", max_pages: 2}
        """,
    )

    with pytest.raises(ConfigError, match="source 'lakeside': max_pages: Extra inputs"):
        load_sources_file(path)
