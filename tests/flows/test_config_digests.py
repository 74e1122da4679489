from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from flows.config import load_sources_file
from flows.config_digests import DigestFilters, load_digest_profiles, select_profile
from flows.errors import ConfigError
from flows.models import DigestItem, SourceLink

SOURCES = """\
sources:
  - name: example-news
    kind: rss
    url: https://news.example.org/feed.xml
"""
PROFILES = """\
digests:
  - name: default
    period: daily
  - name: weekly-ai
    recipients: [ai-desk@example.org, lead@example.org]
    period: weekly
    timezone: Asia/Shanghai
    send_empty: true
    filters:
      organisations: [Binhai University]
      types: [mou, strategic_cooperation]
      fields: [artificial intelligence]
      languages: [zh]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(SOURCES + text, encoding="utf-8")
    return path


def item(**changes: object) -> DigestItem:
    base = {
        "agreement_id": "a1",
        "parties": ("Binhai University", "Nanhu Technology"),
        "parties_as_written": ("滨海大学", "南湖科技"),
        "agreement_type": "mou",
        "title": None,
        "signed_on": date(2026, 11, 18),
        "location": None,
        "fields": ("Artificial Intelligence",),
        "amounts": (),
        "evidence": "",
        "first_seen_at": datetime(2026, 11, 18, tzinfo=UTC),
        "sources": (SourceLink("http://x.invalid/a", "t", "s", None, "zh-CN"),),
    }
    return DigestItem(**{**base, **changes})  # type: ignore[arg-type]


def test_profiles_load_with_their_settings_and_the_env_recipients_for_default(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, PROFILES)
    default, weekly = load_digest_profiles(path, ["me@example.org"])
    assert default.recipients == ("me@example.org",)
    assert (weekly.period, weekly.timezone, weekly.send_empty) == ("weekly", "Asia/Shanghai", True)
    assert weekly.recipients == ("ai-desk@example.org", "lead@example.org")
    assert weekly.filters.languages == ("zh",)
    assert load_sources_file(path).sources  # the sources loader accepts the digests key


def test_no_digests_section_or_no_file_gives_one_default_profile(tmp_path: Path) -> None:
    for path in (write(tmp_path, ""), tmp_path / "absent.yaml", None):
        (profile,) = load_digest_profiles(path, ["me@example.org"])
        assert (profile.name, profile.recipients, profile.send_empty) == (
            "default",
            ("me@example.org",),
            False,
        )


def test_default_profile_is_added_when_only_named_ones_are_configured(tmp_path: Path) -> None:
    path = write(tmp_path, "digests:\n  - name: ops\n    recipients: [ops@example.org]\n")
    names = [p.name for p in load_digest_profiles(path, [])]
    assert names == ["ops", "default"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("  - name: weekly\n    period: monthly\n", "digest profile 'weekly': period: Input"),
        ("  - name: tz\n    timezone: Mars/Olympus\n", "timezone: Value error, unknown time zone"),
        (
            "  - name: r\n    recipients: [not-an-address]\n",
            "recipients: Value error, not an e-mail",
        ),
        ("  - name: t\n    filters: {types: [handshake]}\n", "filters.types: Value error, unknown"),
        ("  - name: x\n    colour: blue\n", "digest profile 'x': colour: Extra inputs"),
        ("  - name: Bad Name\n", "digest profile 'Bad Name': name: String should match"),
        ("  - name: d\n  - name: d\n", "duplicate digest profile names: d"),
        ("  - just-a-string\n", "digest profile #1: expected a mapping"),
    ],
)
def test_errors_name_the_file_the_profile_and_the_field(
    tmp_path: Path, body: str, message: str
) -> None:
    path = write(tmp_path, "digests:\n" + body)
    with pytest.raises(ConfigError) as caught:
        load_digest_profiles(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)


def test_digests_must_be_a_list(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="'digests' must be a non-empty list"):
        load_digest_profiles(write(tmp_path, "digests: {name: x}\n"))


def test_select_profile_names_the_configured_ones(tmp_path: Path) -> None:
    profiles = load_digest_profiles(write(tmp_path, PROFILES))
    assert select_profile(profiles, "weekly-ai").name == "weekly-ai"
    with pytest.raises(ConfigError, match=r"no digest profile named 'nope' \(configured: default"):
        select_profile(profiles, "nope")


def test_filters_admit_only_matching_agreements() -> None:
    filters = DigestFilters(
        organisations=("滨海大学",),
        types=("mou",),
        fields=("artificial intelligence",),
        languages=("ZH",),
    )
    assert filters.admits(item())  # as-written name, case-folded field, zh-CN under zh
    assert not filters.admits(item(agreement_type="framework"))
    assert not filters.admits(item(parties=("A", "B"), parties_as_written=("A", "B")))
    assert not filters.admits(item(fields=("smart city",)))
    assert not filters.admits(item(sources=(SourceLink("u", "t", "s", None, "en"),)))
    assert DigestFilters().admits(item(fields=(), sources=()))  # no filters: everything
