from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from PIL import Image

from flows.models import DigestItem
from reports.context import PartnerNetwork, build_digest_context, build_partner_network
from reports.network import SCALE, WIDTH_PX, network_height_px, render_network_png

SEEN = datetime(2026, 11, 20, tzinfo=UTC)


def signing(n: int, *parties: str) -> DigestItem:
    return DigestItem(
        agreement_id=f"n{n:015d}",
        parties=parties,
        parties_as_written=parties,
        agreement_type="mou",
        title=None,
        signed_on=None,
        location=None,
        fields=(),
        amounts=(),
        evidence="",
        first_seen_at=SEEN,
    )


def test_network_counts_agreements_per_organisation_and_pair() -> None:
    items = [
        signing(1, "Binhai University", "Nanhu Technology"),
        signing(2, "Binhai University", "Nanhu Technology"),
        signing(3, "Binhai University", "Yunfan Data", "滨海市人民政府"),
    ]
    network = build_partner_network(items)
    assert network.nodes[0] == ("Binhai University", 3)
    assert network.edges[0] == ("Binhai University", "Nanhu Technology", 2)
    assert len(network.edges) == 4  # one pair twice, three pairs of the three-party agreement
    assert network.total_organisations == 4


def test_network_keeps_only_the_busiest_organisations_and_their_edges() -> None:
    items = [signing(i, "Hub", f"Partner {i:02d}") for i in range(30)]
    network = build_partner_network(items, limit=5)
    assert [name for name, _ in network.nodes] == [
        "Hub",
        "Partner 00",
        "Partner 01",
        "Partner 02",
        "Partner 03",
    ]
    assert all(a in dict(network.nodes) and b in dict(network.nodes) for a, b, _ in network.edges)
    assert network.total_organisations == 31
    assert "more links" not in network.alt_text
    assert build_partner_network(items, limit=8).alt_text.endswith("and 1 more links")


def test_context_carries_the_network() -> None:
    context = build_digest_context(
        [signing(1, "A", "B")], created_at=SEEN, period_start=None, timezone="Asia/Shanghai"
    )
    assert context.network.edges == (("A", "B", 1),)
    assert context.timezone == "Asia/Shanghai"


def test_png_is_twice_the_shown_size_and_deterministic() -> None:
    items = [signing(i, "滨海大学", f"Partner organisation with a long name {i}") for i in range(9)]
    network = build_partner_network(items)
    png = render_network_png(network)
    assert png == render_network_png(network)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size == (WIDTH_PX * SCALE, network_height_px(network) * SCALE)
    colours = image.convert("RGB").getcolors(maxcolors=1_000_000) or []
    assert len(colours) > 10  # something was drawn: nodes, lines, anti-aliased labels


def test_empty_network_has_no_picture() -> None:
    with pytest.raises(ValueError, match="no picture"):
        render_network_png(PartnerNetwork())
