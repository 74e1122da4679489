"""Digest mail: build the MIME message (pure) and send it; the only module that imports smtplib."""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Literal

from flows.errors import SendError
from reports.render import RenderedDigest

LOGGER = logging.getLogger(__name__)
MESSAGE_ID_DOMAIN = "pactwatch.invalid"
PERMANENT = 500  # SMTP reply codes from 500 up are permanent, 400-499 temporary


@dataclass(frozen=True, slots=True)
class SmtpTarget:
    """Where and how to deliver: host, port, transport security and optional login."""

    host: str
    port: int
    security: Literal["none", "starttls", "ssl"] = "none"
    user: str | None = None
    password: str | None = None
    timeout_s: float = 30.0

    def __repr__(self) -> str:
        password = None if self.password is None else "***"
        return (
            f"SmtpTarget(host={self.host!r}, port={self.port!r}, security={self.security!r},"
            f" user={self.user!r}, password={password!r}, timeout_s={self.timeout_s!r})"
        )

    __str__ = __repr__


def build_digest_message(
    *,
    rendered: RenderedDigest,
    pdf: bytes,
    digest_id: str,
    created_at: datetime,
    sender: str,
    recipients: Sequence[str],
) -> EmailMessage:
    """Build mixed[alternative[text, html], PDF]; the same inputs give the same headers.

    Args:
        rendered: subject, HTML and text from ``render_digest``.
        pdf: the digest as PDF bytes, attached as ``pactwatch-digest-YYYY-MM-DD.pdf``.
        digest_id: the outbox id; the Message-ID is ``<{digest_id}@pactwatch.invalid>``.
        created_at: the digest's timezone-aware creation time, used for Date and the file name.
        sender: the From address.
        recipients: the To addresses (at least one).

    Raises:
        ValueError: when ``created_at`` is naive or there are no recipients.
    """
    if created_at.tzinfo is None:
        raise ValueError("created_at must be timezone-aware")
    if not recipients:
        raise ValueError("a digest needs at least one recipient")
    created_utc = created_at.astimezone(UTC)
    message = EmailMessage()
    message["Subject"] = rendered.subject
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = format_datetime(created_utc)
    message["Message-ID"] = f"<{digest_id}@{MESSAGE_ID_DOMAIN}>"
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation auto-replies
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    message.add_attachment(
        pdf,
        maintype="application",
        subtype="pdf",
        filename=f"pactwatch-digest-{created_utc:%Y-%m-%d}.pdf",
    )
    return message


def send_message(
    message: EmailMessage, target: SmtpTarget, recipients: Sequence[str]
) -> dict[str, str]:
    """Deliver ``message`` to ``recipients`` (the envelope; To/Cc headers are not read).

    Returns:
        ``{recipient: error}`` for the recipients the server refused while accepting others; the
        error text starts with the SMTP code (5xx: permanent; a 4xx one says "temporary").

    Raises:
        SendError: ``temporary=True`` when the server is unreachable, drops the connection or
            answers 4xx (for the sender, the data or every recipient); ``temporary=False`` on a
            failed login, a TLS or configuration problem, or a 5xx for the sender, the data or
            every recipient.
    """
    if not recipients:
        raise SendError("no recipients to send to", temporary=False)
    where = f"{target.host}:{target.port}"
    try:
        with _connect(target) as smtp:
            if target.user is not None:
                smtp.login(target.user, target.password or "")
            refused = smtp.send_message(message, to_addrs=list(recipients))
    except smtplib.SMTPException as exc:
        raise _send_error(exc, where, target.password) from None  # the chain may quote credentials
    except OSError as exc:  # refused, unreachable, timeout, TLS handshake
        permanent = isinstance(exc, ssl.SSLCertVerificationError)
        detail = _scrub(f"{type(exc).__name__}: {exc}", target.password)
        raise SendError(f"SMTP {where}: {detail}", temporary=not permanent) from None
    errors = {rcpt: _reply_text(code, reply) for rcpt, (code, reply) in refused.items()}
    LOGGER.info("smtp=%s recipients=%d refused=%d", where, len(recipients), len(errors))
    return errors


def _connect(target: SmtpTarget) -> smtplib.SMTP:
    """Open the connection with the asked-for transport security."""
    if target.security == "ssl":
        return smtplib.SMTP_SSL(
            target.host, target.port, timeout=target.timeout_s, context=ssl.create_default_context()
        )
    smtp = smtplib.SMTP(target.host, target.port, timeout=target.timeout_s)
    if target.security == "starttls":
        try:
            smtp.starttls(context=ssl.create_default_context())
        except BaseException:
            smtp.close()
            raise
    return smtp


def _send_error(exc: smtplib.SMTPException, where: str, password: str | None) -> SendError:
    """Translate an smtplib exception into a SendError that names no credentials."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        temporary = any(code < PERMANENT for code in codes)
        replies = "; ".join(
            f"{rcpt}: {_reply_text(code, reply)}" for rcpt, (code, reply) in exc.recipients.items()
        )
        return SendError(f"SMTP {where}: every recipient refused: {replies}", temporary=temporary)
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return SendError(f"SMTP {where}: login failed ({exc.smtp_code})", temporary=False)
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return SendError(f"SMTP {where}: connection lost: {exc}", temporary=True)
    if isinstance(exc, smtplib.SMTPResponseException):
        reply = _scrub(_reply_text(exc.smtp_code, exc.smtp_error), password)
        return SendError(f"SMTP {where}: {reply}", temporary=exc.smtp_code < PERMANENT)
    detail = _scrub(str(exc), password)  # e.g. SMTPNotSupportedError: no STARTTLS or AUTH
    return SendError(f"SMTP {where}: {type(exc).__name__}: {detail}", temporary=False)


def _reply_text(code: int, reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    kind = " (temporary)" if code < PERMANENT else ""
    return f"{code} {' '.join(text.split())}{kind}"


def _scrub(text: str, password: str | None) -> str:
    """Remove the password from text that quotes a server or library (belt and braces)."""
    return text.replace(password, "***") if password else text
