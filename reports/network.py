"""PartnerNetwork -> PNG: organisations on a circle, agreements as lines; reads a font file."""

from __future__ import annotations

import functools
import io
import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from reports.context import PartnerNetwork

MAP_CID = "partner-map@pactwatch.invalid"  # Content-ID of the picture in the mail, cid: URL in HTML
SCALE = 2  # drawn at twice the shown size so it stays sharp on phones and in the PDF
WIDTH_PX = 652  # shown width: the 700 px container less its padding
MIN_HEIGHT_PX, ROW_PX = 260, 40
FONT_PX = 16
FONT_PATHS = (  # CJK first: canonical names may be Chinese
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)
BACKGROUND, EDGE, NODE, LABEL = "#ffffff", "#8fb3da", "#1a5fb4", "#1d2530"
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def render_network_png(network: PartnerNetwork) -> bytes:
    """Draw the network as a PNG (``WIDTH_PX`` wide at 2x); the same network gives the same bytes.

    Raises:
        ValueError: when the network has no organisations to draw.
    """
    if not network.nodes:
        raise ValueError("an empty partner network has no picture")
    width, height = WIDTH_PX * SCALE, network_height_px(network) * SCALE
    image = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    places = _layout(network, width, height)
    heaviest = max((n for _, _, n in network.edges), default=1)
    for a, b, count in network.edges:
        line = SCALE * (1 + round(4 * count / heaviest))
        draw.line([places[a][:2], places[b][:2]], fill=EDGE, width=line)
    busiest = network.nodes[0][1]
    font = _font(FONT_PX * SCALE)
    for name, degree in network.nodes:
        x, y, angle = places[name]
        radius = SCALE * (5 + round(6 * degree / busiest))
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=NODE)
        _label(draw, font, (name, degree), (x, y, angle), radius, width)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def network_height_px(network: PartnerNetwork) -> int:
    """Return the shown height: enough rows for the labels on each side of the circle."""
    return max(MIN_HEIGHT_PX, ROW_PX * math.ceil(len(network.nodes) / 2) + 40)


def _layout(network: PartnerNetwork, width: int, height: int) -> dict[str, tuple[int, int, float]]:
    """Place the nodes on a circle, clockwise from the top, partners next to each other."""
    count = len(network.nodes)
    radius = min(width * 0.16, height * 0.36)
    places: dict[str, tuple[int, int, float]] = {}
    for i, name in enumerate(_circle_order(network)):
        angle = -math.pi / 2 + 2 * math.pi * i / count + (math.pi / count if count > 1 else 0)
        x = width / 2 + radius * math.cos(angle)
        y = height / 2 + radius * math.sin(angle)
        places[name] = (round(x), round(y), angle)
    return places


def _circle_order(network: PartnerNetwork) -> list[str]:
    """Busiest first, then each time the strongest partner of the last placed (fewer crossings)."""
    weight: dict[tuple[str, str], int] = {}
    for a, b, n in network.edges:
        weight[(a, b)] = weight[(b, a)] = n
    left = [name for name, _ in network.nodes]  # most first, so ties keep the busier node
    order = [left.pop(0)]
    while left:
        best = max(left, key=lambda name: weight.get((order[-1], name), 0))
        order.append(best)
        left.remove(best)
    return order


def _label(
    draw: ImageDraw.ImageDraw,
    font: Font,
    name_and_count: tuple[str, int],
    where: tuple[int, int, float],
    radius: int,
    width: int,
) -> None:
    """Write the label outside the circle (right of right-hand nodes), on up to two lines."""
    x, y, angle = where
    right = math.cos(angle) >= -1e-9
    gap = radius + 6 * SCALE
    room = (width - x - gap - 4 * SCALE) if right else (x - gap - 4 * SCALE)
    lines = _wrap(draw, font, name_and_count, room)
    line_px = (FONT_PX + 3) * SCALE
    top = y - line_px * (len(lines) - 1) / 2
    for i, line in enumerate(lines):
        at = (x + gap if right else x - gap, top + i * line_px)
        draw.text(at, line, fill=LABEL, font=font, anchor="lm" if right else "rm")


def _wrap(
    draw: ImageDraw.ImageDraw, font: Font, name_and_count: tuple[str, int], room: float
) -> list[str]:
    """Return the label on one line, or two (words split), the second shortened to fit."""
    name, count = name_and_count
    tail = f" ({count})"
    if draw.textlength(name + tail, font=font) <= room:
        return [name + tail]
    words = name.split()
    first = words[0]
    for word in words[1:]:
        if draw.textlength(f"{first} {word}", font=font) > room:
            break
        first = f"{first} {word}"
    if first == name and len(words) > 1:  # the name fits but not with its count
        first = " ".join(words[:-1])
    rest = name[len(first) :].strip()
    if not rest:  # one long word (e.g. a Chinese name): shorten it on one line
        return [_shorten(draw, font, name, tail, room)]
    return [_shorten(draw, font, first, "", room), _shorten(draw, font, rest, tail, room)]


def _shorten(draw: ImageDraw.ImageDraw, font: Font, text: str, tail: str, room: float) -> str:
    """Cut ``text`` with an ellipsis until ``text + tail`` fits in ``room`` pixels."""
    if draw.textlength(text + tail, font=font) <= room:
        return text + tail
    while len(text) > 1 and draw.textlength(text + "…" + tail, font=font) > room:
        text = text[:-1]
    return text.rstrip() + "…" + tail


@functools.cache
def _font(size: int) -> Font:
    """Load the first installed font of ``FONT_PATHS``; Pillow's own font when none is."""
    for path in FONT_PATHS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)
