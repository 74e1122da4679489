from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from flows.models import Amount, DigestItem
from reports.context import (
    build_digest_context,
    format_amount,
    format_date,
    format_timestamp,
    language_name,
    type_label,
    written_names,
)

CREATED_AT = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
SEEN_AT = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)


def item(
    agreement_id: str,
    parties: tuple[str, ...],
    signed_on: date | None,
    agreement_type: str = "mou",
    written: tuple[str, ...] | None = None,
) -> DigestItem:
    return DigestItem(
        agreement_id=agreement_id,
        parties=parties,
        parties_as_written=parties if written is None else written,
        agreement_type=agreement_type,
        title=None,
        signed_on=signed_on,
        location=None,
        fields=(),
        amounts=(),
        evidence="",
        first_seen_at=SEEN_AT,
    )


def test_items_are_newest_first_with_undated_last_then_by_parties() -> None:
    items = [
        item("u1", ("Yunfan Data",), None),
        item("b", ("Harbor Bank", "Greenfield Energy"), date(2026, 11, 19)),
        item("a", ("Binhai University", "Nanhu Technology"), date(2026, 11, 19)),
        item("old", ("Binhai University",), date(2026, 11, 3)),
        item("u0", ("Binhai Port Group",), None),
        item("new", ("Binhai University",), date(2026, 11, 24)),
    ]
    context = build_digest_context(items, created_at=CREATED_AT, period_start=None)
    assert [i.agreement_id for i in context.items] == ["new", "a", "b", "old", "u0", "u1"]


def test_counts_by_type_use_labels_most_first_and_ties_alphabetical() -> None:
    items = [
        item("1", ("A",), None, "joint_venture"),
        item("2", ("B",), None, "strategic_cooperation"),
        item("3", ("C",), None, "strategic_cooperation"),
        item("4", ("D",), None, "mou"),
        item("5", ("E",), None, "joint_lab_or_centre"),
    ]
    context = build_digest_context(items, created_at=CREATED_AT, period_start=None)
    assert context.counts_by_type == (
        ("Strategic cooperation", 2),
        ("Joint lab / centre", 1),
        ("Joint venture", 1),
        ("MoU", 1),
    )


def test_top_organisations_count_each_agreement_once_and_keep_five() -> None:
    items = [
        item("1", ("Binhai University", "Nanhu Technology"), None),
        item("2", ("Binhai University", "Binhai University", "Yunfan Data"), None),
        item("3", ("Binhai University", "Harbor Bank"), None),
        item("4", ("Nanhu Technology", "Greenfield Energy"), None),
        item("5", ("Harbor Shipping", "Binhai Port Group"), None),
    ]
    context = build_digest_context(items, created_at=CREATED_AT, period_start=None)
    assert context.top_organisations == (
        ("Binhai University", 3),
        ("Nanhu Technology", 2),
        ("Binhai Port Group", 1),
        ("Greenfield Energy", 1),
        ("Harbor Bank", 1),
    )


def test_empty_digest_has_no_items_and_no_counts() -> None:
    start = datetime(2026, 11, 1, tzinfo=UTC)
    context = build_digest_context(
        [], created_at=CREATED_AT, period_start=start, profile="ops", title="Weekly"
    )
    assert context.items == ()
    assert context.counts_by_type == ()
    assert context.top_organisations == ()
    assert (context.title, context.profile, context.period_start) == ("Weekly", "ops", start)


def test_type_label_knows_the_extractor_codes_and_spells_out_others() -> None:
    assert type_label("mou") == "MoU"
    assert type_label("joint_lab_or_centre") == "Joint lab / centre"
    assert type_label("letter_of_intent") == "Letter of intent"
    assert type_label("") == "Agreement"


def test_amount_shows_exact_value_and_the_words_as_written() -> None:
    assert format_amount(Amount("CNY", 50_000_000, "RMB 50 million")) == (
        "CNY 50,000,000 (RMB 50 million)"
    )
    assert format_amount(Amount("CNY", 3e8, "3亿元")) == "CNY 300,000,000 (3亿元)"
    assert format_amount(Amount("EUR", 1.5, "")) == "EUR 1.50"
    assert format_amount(Amount("USD", 2e9, "USD 2,000,000,000")) == "USD 2,000,000,000"


def test_written_names_only_when_they_differ_from_canonical() -> None:
    same = item("1", ("Binhai University",), None, written=("Binhai University",))
    chinese = item("2", ("Binhai University",), None, written=("滨海大学", "滨海大学"))
    assert written_names(same) == ()
    assert written_names(chinese) == ("滨海大学",)


def test_dates_and_times_are_locale_free_and_utc() -> None:
    assert format_date(date(2026, 11, 3)) == "3 Nov 2026"
    assert format_date(None) == "date not stated"
    beijing = timezone(timedelta(hours=8))
    assert format_timestamp(datetime(2026, 11, 26, 16, 5, tzinfo=beijing)) == (
        "26 Nov 2026 08:05 UTC"
    )
    assert language_name("zh") == "Chinese"
    assert language_name(None) == ""


def test_timestamps_are_shown_in_the_asked_time_zone() -> None:
    from reports.context import format_timestamp

    moment = datetime(2026, 11, 30, 20, 30, tzinfo=UTC)
    assert format_timestamp(moment) == "30 Nov 2026 20:30 UTC"
    assert format_timestamp(moment, "Asia/Shanghai") == "1 Dec 2026 04:30 CST"
    assert format_timestamp(moment, "Europe/Berlin") == "30 Nov 2026 21:30 CET"


def test_month_precision_signing_shows_the_month() -> None:
    import dataclasses

    from reports.context import format_signed

    dated = item("m", ("Alpha", "Beta"), date(2025, 3, 1))
    assert format_signed(dated) == "1 Mar 2025"
    assert format_signed(dataclasses.replace(dated, signed_on_precision="month")) == "Mar 2025"
    assert format_signed(item("n", ("Alpha",), None)) == "date not stated"
