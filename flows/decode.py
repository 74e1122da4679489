"""Fetched bytes -> text: override, HTTP charset, BOM, <meta> charset, detection; GBK-safe."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from flows.models import Fetched

# gb2312 and gbk labels routinely carry GBK-only characters (镕, 喆); gb18030 is their superset.
ENCODING_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
}
HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
META_SCAN_BYTES = 4096


def normalise_encoding(label: str | None) -> str | None:
    """Return a Python codec name for ``label``, widening GB labels; None when unknown."""
    if not label:
        return None
    name = label.strip().lower()
    name = ENCODING_ALIASES.get(name, name)
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return ENCODING_ALIASES.get(codec, codec)


def detect_encoding(fetched: Fetched, override: str | None = None) -> str:
    """Return the codec for ``fetched``: override, HTTP header, BOM, <meta>, detection, utf-8."""
    candidates = (
        normalise_encoding(override),
        _header_charset(fetched.headers.get("content-type", "")),
        _bom_charset(fetched.body),
        _meta_charset(fetched.body[:META_SCAN_BYTES]),
    )
    for candidate in candidates:
        if candidate:
            return candidate
    if _is_utf8(fetched.body):
        return "utf-8"
    best = from_bytes(fetched.body[:200_000]).best()
    return normalise_encoding(best.encoding if best else None) or "utf-8"


def decode_body(fetched: Fetched, override: str | None = None) -> str:
    """Decode ``fetched.body`` to text; undecodable bytes become U+FFFD, never an exception."""
    encoding = detect_encoding(fetched, override)
    text = fetched.body.decode(encoding, errors="replace")
    return text.removeprefix("\ufeff")


def _header_charset(content_type: str) -> str | None:
    match = HEADER_CHARSET.search(content_type)
    return normalise_encoding(match.group(1)) if match else None


def _bom_charset(body: bytes) -> str | None:
    for bom, name in BOMS:
        if body.startswith(bom):
            return name
    return None


def _meta_charset(head: bytes) -> str | None:
    match = META_CHARSET.search(head)
    return normalise_encoding(match.group(1).decode("ascii", "ignore")) if match else None


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
