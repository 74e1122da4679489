"""Digest mail: build the MIME message (pure) and send it; the only module that imports smtplib."""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Literal

from flows.errors import SendError
from reports.render import RenderedDigest

LOGGER = logging.getLogger(__name__)
MESSAGE_ID_DOMAIN = "pactwatch.invalid"
QUIT_TIMEOUT_S = 5.0
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
    ca_file: str | None = None  # PEM bundle to trust instead of the system CAs

    def tls_context(self) -> ssl.SSLContext:
        """Return a verifying TLS context (hostname and chain), with ``ca_file`` when given."""
        return ssl.create_default_context(cafile=self.ca_file)

    def __repr__(self) -> str:
        password = None if self.password is None else "***"
        return (
            f"SmtpTarget(host={self.host!r}, port={self.port!r}, security={self.security!r},"
            f" user={self.user!r}, password={password!r}, timeout_s={self.timeout_s!r},"
            f" ca_file={self.ca_file!r})"
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
    images: Mapping[str, bytes] | None = None,
) -> EmailMessage:
    """Build mixed[alternative[text, related[html, PNGs]], PDF]; same inputs, same headers.

    Args:
        rendered: subject, HTML and text from ``render_digest``.
        pdf: the digest as PDF bytes, attached as ``pactwatch-digest-YYYY-MM-DD.pdf``.
        digest_id: the outbox id; the Message-ID is ``<{digest_id}@pactwatch.invalid>``.
        created_at: the digest's timezone-aware creation time, used for Date and the file name.
        sender: the From address.
        recipients: the To addresses (at least one).
        images: inline PNGs by Content-ID; the HTML shows each as ``<img src="cid:ID">``.

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
    html_part = message.get_body(("html",))
    for cid, png in (images or {}).items():
        if html_part is not None:  # always: it was just added
            html_part.add_related(
                png,
                "image",
                "png",
                cid=f"<{cid}>",
                disposition="inline",
                filename=f"{cid[:11]}.png",
            )
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
        smtp = _connect(target)
        try:
            if target.user is not None:
                smtp.login(target.user, target.password or "")
            refused = smtp.send_message(message, to_addrs=list(recipients))
        finally:
            _quit(smtp)
    except smtplib.SMTPException as exc:
        raise _send_error(exc, where, target.password) from None  # the chain may quote credentials
    except OSError as exc:  # refused, unreachable, timeout, TLS handshake
        permanent = isinstance(exc, ssl.SSLCertVerificationError)
        detail = _scrub(f"{type(exc).__name__}: {exc}", target.password)
        raise SendError(f"SMTP {where}: {detail}", temporary=not permanent) from None
    errors = {rcpt: _reply_text(code, reply) for rcpt, (code, reply) in refused.items()}
    LOGGER.info("smtp=%s recipients=%d refused=%d", where, len(recipients), len(errors))
    return errors


def is_temporary_reply(reply: str) -> bool:
    """Return True for a refusal text from ``send_message`` whose SMTP code is 4xx."""
    code = reply[:3]
    return code.isdigit() and int(code) < PERMANENT


def _quit(smtp: smtplib.SMTP) -> None:
    """Say QUIT but never fail on it: once DATA got its 250 the mail is sent, whatever QUIT says.

    ``with smtplib.SMTP()`` raises when QUIT is not answered 221, which would make an accepted
    message look failed and be sent again by the next run.
    """
    try:
        if smtp.sock is not None:  # a hanging QUIT must not hold up the delivery mark
            smtp.sock.settimeout(QUIT_TIMEOUT_S)
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def _connect(target: SmtpTarget) -> smtplib.SMTP:
    """Open the connection with the asked-for transport security."""
    if target.security == "ssl":
        return smtplib.SMTP_SSL(
            target.host, target.port, timeout=target.timeout_s, context=target.tls_context()
        )
    smtp = smtplib.SMTP(target.host, target.port, timeout=target.timeout_s)
    if target.security == "starttls":
        try:
            smtp.starttls(context=target.tls_context())
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
