"""DigestContext -> subject, email HTML (CSS inlined), text, print HTML; one Jinja Environment."""

from __future__ import annotations

import functools
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import css_inline
import jinja2
import markupsafe

from flows.errors import RenderError
from reports.context import (
    DigestContext,
    format_amount,
    format_date,
    format_signed,
    format_timestamp,
    language_name,
    type_label,
    written_names,
)

HTML_TEMPLATE = "digest.html.j2"
TEXT_TEMPLATE = "digest.txt.j2"
PRINT_TEMPLATE = "digest-print.html.j2"
LINK_SCHEMES = frozenset({"http", "https"})
PREHEADER_PARTIES = 3
MAP_SRC = (
    "cid:partner-map@pactwatch.invalid"  # reports.network.MAP_CID; the PDF fetcher serves it too
)
CADENCES = {"daily": "Daily digest", "weekly": "Weekly digest"}


@dataclass(frozen=True, slots=True)
class RenderedDigest:
    """A digest ready to mail: one-line subject, email-ready HTML and the plain-text alternative."""

    subject: str
    html: str
    text: str


def render_digest(context: DigestContext) -> RenderedDigest:
    """Render the subject, the email HTML (CSS inlined, nothing remote, no scripts) and the text.

    Raises:
        RenderError: when a template fails (a missing variable, a syntax error).
    """
    subject = render_subject(context)
    page = _render(HTML_TEMPLATE, context, subject=subject)
    inliner = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)
    html = inliner.inline(page)
    text = _render(TEXT_TEMPLATE, context, subject=subject)
    return RenderedDigest(subject=subject, html=html, text=text)


def render_digest_html_for_pdf(context: DigestContext) -> str:
    """Render the same facts as the email as lean print HTML (A4, CJK font, "page N of M").

    A template of its own, not the email's: WeasyPrint lays the email's nested tables and inline
    spans out about five times slower, and paper needs neither.
    """
    return _render(PRINT_TEMPLATE, context, subject=render_subject(context))


def render_subject(context: DigestContext) -> str:
    """Return the one-line subject, e.g. ``pactwatch digest: 3 new agreements since 1 Nov 2026``."""
    title = _one_line(context.title)
    count = len(context.items)
    noun = "agreement" if count == 1 else "agreements"
    if context.period_start is None:
        return f"{title}: {count} {noun} (first digest)"
    since = format_date(context.period_start.date())
    if count == 0:
        return f"{title}: no new agreements since {since}"
    return f"{title}: {count} new {noun} since {since}"


def _render(name: str, context: DigestContext, *, subject: str) -> str:
    try:
        template = _environment().get_template(name)
        return template.render(
            ctx=context,
            subject=subject,
            period=_period(context),
            map_src=MAP_SRC,
            preheader=_preheader(context),
        )
    except jinja2.TemplateError as exc:
        raise RenderError(f"template {name}: {exc}") from exc


@functools.cache
def _environment() -> jinja2.Environment:
    """Build the one Environment on first use (not at import time)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("reports", "templates"),
        autoescape=jinja2.select_autoescape(["html.j2"]),  # not "j2": that would escape .txt.j2
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        type_label=type_label,
        day=format_date,
        signed=format_signed,
        timestamp=format_timestamp,
        amount=format_amount,
        language=language_name,
        one_line=_one_line,
        href=_safe_href,
        css_string=_css_string,
    )
    env.globals["written_names"] = written_names
    return env


def _period(context: DigestContext) -> str:
    """The header's period line: cadence, then the window in the profile's time zone."""
    cadence = CADENCES.get(context.cadence or "", "")
    if context.period_start is None:
        window = "First digest"
    else:
        start = format_date(_local(context.period_start, context.timezone).date())
        end = format_date(_local(context.created_at, context.timezone).date())
        window = f"Since {start}" if start == end else f"{start} – {end}"
    return f"{cadence} · {window}" if cadence else window


def _local(moment: datetime, timezone: str) -> datetime:
    zone = UTC if timezone == "UTC" else zoneinfo.ZoneInfo(timezone)
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(zone)


def _preheader(context: DigestContext) -> str:
    """The inbox preview line: how many agreements and who signed the first few."""
    if not context.items:
        return "No new agreements in this period."
    names = [" × ".join(item.parties) for item in context.items[:PREHEADER_PARTIES]]
    more = len(context.items) - len(names)
    tail = f" and {more} more" if more > 0 else ""
    return _one_line("; ".join(names) + tail)


def _one_line(text: str | None) -> str:
    """Collapse whitespace (newlines included) in scraped text to single spaces."""
    return " ".join((text or "").split())


def _css_string(text: str | None) -> markupsafe.Markup:
    """Quote text as a CSS string for a <style> block, escaping all but letters, digits, spaces.

    Neither a quote nor ``</style>`` can then end the string or the block early.
    """
    escaped = "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in _one_line(text))
    return markupsafe.Markup(f'"{escaped}"')  # safe: every special character is escaped


def _safe_href(url: str) -> str:
    """Return the URL when it is http(s), else "" so the template shows plain text, not a link."""
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return ""
    return url.strip() if scheme in LINK_SCHEMES else ""
