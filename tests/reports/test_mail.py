from __future__ import annotations

import logging
import socket
from datetime import UTC, datetime, timedelta, timezone
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parsedate_to_datetime

import pytest

from flows.errors import SendError
from reports.mail import SmtpTarget, build_digest_message, is_temporary_reply, send_message
from reports.render import RenderedDigest

CREATED_AT = datetime(2026, 11, 26, 16, 30, tzinfo=timezone(timedelta(hours=8)))
PDF = b"%PDF-1.7\n% pactwatch test bytes \x00\xff\x10\n%%EOF\n"
RENDERED = RenderedDigest(
    subject="pactwatch digest: 1 new agreement since 1 Nov 2026",
    html="<!DOCTYPE html><html><body><p>滨海大学 × 南湖科技股份有限公司</p></body></html>\n",
    text="Binhai University × Nanhu Technology\nAs written: 滨海大学 × 南湖科技股份有限公司\n",
)
SENDER = "pactwatch@example.org"
SECRET = "s3cr3t-Pa55word"


def build(recipients: list[str]) -> EmailMessage:
    return build_digest_message(
        rendered=RENDERED,
        pdf=PDF,
        digest_id="d41d8cd98f00b204",
        created_at=CREATED_AT,
        sender=SENDER,
        recipients=recipients,
    )


def parsed(message: EmailMessage) -> EmailMessage:
    result = BytesParser(policy=policy.default).parsebytes(message.as_bytes())
    assert isinstance(result, EmailMessage)
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_message_parts_are_text_html_alternative_plus_pdf() -> None:
    message = parsed(build(["analyst@example.org"]))
    assert message.get_content_type() == "multipart/mixed"
    alternative, attachment = message.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in alternative.iter_parts()] == ["text/plain", "text/html"]
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "pactwatch-digest-2026-11-26.pdf"
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_content() == PDF


def test_message_bodies_decode_to_the_rendered_text_and_html() -> None:
    message = parsed(build(["analyst@example.org"]))
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None
    assert html is not None
    assert text.get_content() == RENDERED.text
    assert html.get_content() == RENDERED.html
    assert text.get_content_charset() == "utf-8"


def test_message_headers_are_fixed_by_digest_id_and_created_at() -> None:
    message = parsed(build(["analyst@example.org", "lead@example.org"]))
    assert message["Message-ID"] == "<d41d8cd98f00b204@pactwatch.invalid>"
    assert message["Subject"] == RENDERED.subject
    assert message["From"] == SENDER
    assert message["To"] == "analyst@example.org, lead@example.org"
    assert parsedate_to_datetime(message["Date"]) == CREATED_AT
    assert message["Date"].endswith("+0000")
    assert build(["analyst@example.org"]).as_string().count("d41d8cd98f00b204") == 1


def test_naive_created_at_and_no_recipients_are_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        build_digest_message(
            rendered=RENDERED,
            pdf=PDF,
            digest_id="x",
            created_at=datetime(2026, 11, 26),  # noqa: DTZ001 (the naive value under test)
            sender=SENDER,
            recipients=["a@example.org"],
        )
    with pytest.raises(ValueError, match="recipient"):
        build([])


def test_target_repr_masks_the_password() -> None:
    target = SmtpTarget("smtp.example.org", 587, "starttls", "digest", SECRET)
    assert SECRET not in repr(target)
    assert SECRET not in str(target)
    assert "password='***'" in repr(target)


def test_send_delivers_to_the_envelope_recipients(smtp_inbox) -> None:  # type: ignore[no-untyped-def]
    recipients = ["analyst@example.org", "lead@example.org"]
    target = SmtpTarget(smtp_inbox.host, smtp_inbox.port, timeout_s=5)
    refused = send_message(build(recipients), target, recipients)
    assert refused == {}
    [(mail_from, rcpt_tos, message)] = smtp_inbox.envelopes
    assert mail_from == SENDER
    assert rcpt_tos == recipients
    assert message["Message-ID"] == "<d41d8cd98f00b204@pactwatch.invalid>"
    attachment = next(message.iter_attachments())
    assert attachment.get_content() == PDF


def test_send_reports_one_permanently_refused_recipient(smtp_inbox) -> None:  # type: ignore[no-untyped-def]
    smtp_inbox.refuse("bad@example.org")
    recipients = ["analyst@example.org", "bad@example.org"]
    target = SmtpTarget(smtp_inbox.host, smtp_inbox.port, timeout_s=5)
    refused = send_message(build(recipients), target, recipients)
    assert list(refused) == ["bad@example.org"]
    assert refused["bad@example.org"].startswith("550 ")
    assert [rcpts for _, rcpts, _ in smtp_inbox.envelopes] == [["analyst@example.org"]]


@pytest.mark.parametrize(("code", "temporary"), [(550, False), (450, True)])
def test_send_with_every_recipient_refused_raises(smtp_inbox, code: int, temporary: bool) -> None:  # type: ignore[no-untyped-def]
    smtp_inbox.refuse("a@example.org", code)
    smtp_inbox.refuse("b@example.org", code)
    target = SmtpTarget(smtp_inbox.host, smtp_inbox.port, timeout_s=5)
    with pytest.raises(SendError) as caught:
        send_message(build(["a@example.org"]), target, ["a@example.org", "b@example.org"])
    assert caught.value.temporary is temporary
    assert f"a@example.org: {code}" in str(caught.value)
    assert smtp_inbox.messages == []


def test_send_to_a_server_that_is_down_is_temporary() -> None:
    target = SmtpTarget("127.0.0.1", free_port(), timeout_s=2)
    with pytest.raises(SendError) as caught:
        send_message(build(["a@example.org"]), target, ["a@example.org"])
    assert caught.value.temporary is True
    assert "127.0.0.1" in str(caught.value)


def test_send_logs_in_and_delivers(smtp_inbox) -> None:  # type: ignore[no-untyped-def]
    smtp_inbox.require_login("digest", SECRET)
    target = SmtpTarget(smtp_inbox.host, smtp_inbox.port, user="digest", password=SECRET)
    assert send_message(build(["a@example.org"]), target, ["a@example.org"]) == {}
    assert smtp_inbox.logins == ["digest"]
    assert len(smtp_inbox.messages) == 1


def test_failed_login_is_permanent_and_never_shows_the_password(
    smtp_inbox, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    smtp_inbox.require_login("digest", "the-right-one")
    target = SmtpTarget(smtp_inbox.host, smtp_inbox.port, user="digest", password=SECRET)
    with caplog.at_level(logging.DEBUG), pytest.raises(SendError) as caught:
        send_message(build(["a@example.org"]), target, ["a@example.org"])
    assert caught.value.temporary is False
    assert "login failed" in str(caught.value)
    assert SECRET not in str(caught.value)
    assert caught.value.__cause__ is None
    assert all(SECRET not in record.getMessage() for record in caplog.records)
    assert smtp_inbox.messages == []


def test_real_rendered_digest_survives_the_round_trip() -> None:
    from reports.context import build_digest_context
    from reports.render import render_digest

    context = build_digest_context(
        [], created_at=CREATED_AT, period_start=datetime(2026, 11, 1, tzinfo=UTC)
    )
    rendered = render_digest(context)
    message = parsed(
        build_digest_message(
            rendered=rendered,
            pdf=PDF,
            digest_id="empty0000000000",
            created_at=CREATED_AT,
            sender=SENDER,
            recipients=["a@example.org"],
        )
    )
    html = message.get_body(preferencelist=("html",))
    text = message.get_body(preferencelist=("plain",))
    assert html is not None
    assert text is not None
    assert html.get_content().rstrip("\n") == rendered.html.rstrip("\n")
    assert text.get_content().rstrip("\n") == rendered.text.rstrip("\n")
    assert "No new agreements since 1 Nov 2026." in text.get_content()


PNG = b"\x89PNG\r\n\x1a\n-not-really-a-png-"


def test_inline_image_is_a_related_part_of_the_html_with_its_content_id() -> None:
    message = parsed(
        build_digest_message(
            rendered=RENDERED,
            pdf=PDF,
            digest_id="d41d8cd98f00b204",
            created_at=CREATED_AT,
            sender=SENDER,
            recipients=["a@example.org"],
            images={"partner-map@pactwatch.invalid": PNG},
        )
    )
    alternative, attachment = message.iter_parts()
    text, related = alternative.iter_parts()
    assert (text.get_content_type(), related.get_content_type()) == (
        "text/plain",
        "multipart/related",
    )
    html, image = related.iter_parts()
    assert html.get_content_type() == "text/html"
    assert image.get_content_type() == "image/png"
    assert image["Content-ID"] == "<partner-map@pactwatch.invalid>"
    assert image.get_content_disposition() == "inline"
    assert image.get_content() == PNG
    assert attachment.get_content_type() == "application/pdf"


def test_starttls_with_a_trusted_self_signed_certificate_delivers(smtp_tls_inbox) -> None:  # type: ignore[no-untyped-def]
    inbox, cert_path = smtp_tls_inbox
    target = SmtpTarget(inbox.host, inbox.port, "starttls", timeout_s=5, ca_file=str(cert_path))
    assert send_message(build(["a@example.org"]), target, ["a@example.org"]) == {}
    assert len(inbox.messages) == 1


def test_starttls_with_an_untrusted_certificate_is_permanent(smtp_tls_inbox) -> None:  # type: ignore[no-untyped-def]
    inbox, _ = smtp_tls_inbox
    target = SmtpTarget(inbox.host, inbox.port, "starttls", timeout_s=5)
    with pytest.raises(SendError) as caught:
        send_message(build(["a@example.org"]), target, ["a@example.org"])
    assert caught.value.temporary is False
    assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value)
    assert inbox.messages == []


def test_plain_send_to_a_server_requiring_starttls_is_refused(smtp_tls_inbox) -> None:  # type: ignore[no-untyped-def]
    inbox, _ = smtp_tls_inbox
    target = SmtpTarget(inbox.host, inbox.port, "none", timeout_s=5)
    with pytest.raises(SendError):
        send_message(build(["a@example.org"]), target, ["a@example.org"])
    assert inbox.messages == []


@pytest.mark.parametrize(
    ("reply", "temporary"), [("450 mailbox busy (temporary)", True), ("550 no such user", False)]
)
def test_refusal_text_tells_temporary_from_permanent(reply: str, temporary: bool) -> None:
    assert is_temporary_reply(reply) is temporary
