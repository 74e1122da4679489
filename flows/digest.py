"""Prefect wiring of the digest: select new agreements, render, store in the outbox, deliver."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.errors import SendError
from flows.models import DigestItem, hash_id
from flows.settings import Settings
from reports.context import build_digest_context
from reports.files import write_digest_files
from reports.mail import SmtpTarget, build_digest_message, send_message
from reports.pdf import render_pdf
from reports.render import render_digest, render_digest_html_for_pdf
from warehouse.db import connect, transaction
from warehouse.digest_store import (
    insert_digest,
    mark_delivery,
    select_last_digest_at,
    select_outbox,
    select_undigested,
)

DB_WAIT_S = 30.0
DEFAULT_RECIPIENT = "analyst@localhost"  # the .eml still needs a To: when nobody is configured


@task(cache_policy=NO_CACHE, task_run_name="select-{profile}")
def select_new_items(db_path: Path, profile: str) -> tuple[list[DigestItem], datetime | None]:
    """Return the agreements no digest of ``profile`` carried yet, and the last digest's time."""
    with connect(db_path, wait_s=DB_WAIT_S) as con:
        return select_undigested(con, profile), select_last_digest_at(con, profile)


@task(cache_policy=NO_CACHE)
def render_pdf_bytes(html: str) -> bytes:
    """Render the print HTML to PDF."""
    return render_pdf(html)


@task(cache_policy=NO_CACHE, task_run_name="store-{digest_id}")
def store_digest(db_path: Path, digest_id: str, fields: dict[str, Any]) -> None:
    """Store the digest and claim its agreements in one transaction, before any send."""
    with connect(db_path, wait_s=DB_WAIT_S) as con, transaction(con):
        insert_digest(con, digest_id=digest_id, **fields)


@task(cache_policy=NO_CACHE)
def deliver_outbox(db_path: Path, target: SmtpTarget) -> dict[str, int]:
    """Send every queued digest; a temporary failure leaves it queued for the next run."""
    logger = get_run_logger()
    with connect(db_path, wait_s=DB_WAIT_S) as con:
        queued = select_outbox(con)
    counts = {"sent": 0, "queued": 0}
    for item in queued:
        message = message_from_bytes(item.message, policy=policy.default)
        try:
            refused = send_message(message, target, item.recipients)
        except SendError as exc:
            error: str | None = str(exc)
            refused = {}
            counts["queued"] += 1
            logger.warning("digest=%s not sent, stays queued: %s", item.digest_id, exc)
        else:
            error = None
            counts["sent"] += 1
        with connect(
            db_path, wait_s=DB_WAIT_S
        ) as con:  # mark at once: keeps the resend window small
            mark_delivery(con, item.digest_id, refused, error, datetime.now(UTC))
    return counts


@flow(name="digest-partnerships")
def digest(
    db_path: str = "warehouse/pactwatch.duckdb",
    out_dir: str = "reports/out",
    profile: str = "default",
) -> dict[str, Any]:
    """Make one digest of the agreements new since the last one, store it, deliver the outbox."""
    logger = get_run_logger()
    settings = Settings()
    database = Path(db_path)
    created_at = datetime.now(UTC)
    items, since = select_new_items(database, profile)
    result: dict[str, Any] = {"agreements": len(items), "digest_id": None, "files": {}}
    if items:
        context = build_digest_context(
            items, created_at=created_at, period_start=since, profile=profile
        )
        rendered = render_digest(context)
        pdf = render_pdf_bytes(render_digest_html_for_pdf(context))
        digest_id = hash_id(profile, created_at.isoformat(), *(i.agreement_id for i in items))
        recipients = settings.recipients or [DEFAULT_RECIPIENT]
        message = build_digest_message(
            rendered=rendered,
            pdf=pdf,
            digest_id=digest_id,
            created_at=created_at,
            sender=settings.digest_from,
            recipients=recipients,
        )
        eml = message.as_bytes()
        files = write_digest_files(
            Path(out_dir),
            digest_id=digest_id,
            created_at=created_at,
            html=rendered.html,
            pdf=pdf,
            eml=eml,
        )
        fields = {
            "profile": profile,
            "created_at": created_at,
            "period_start": since,
            "subject": rendered.subject,
            "recipients": recipients,
            "message": eml,
            "agreement_ids": [i.agreement_id for i in items],
            "state": "queued" if settings.smtp_host else "written",
            "paths": files,
        }
        store_digest(database, digest_id, fields)
        logger.info("digest=%s profile=%s agreements=%d", digest_id, profile, len(items))
        result.update(digest_id=digest_id, files=files)
    else:
        logger.info("profile=%s no new agreements since %s", profile, since)
    if settings.smtp_host:
        result["delivery"] = deliver_outbox(database, _smtp_target(settings))
    return result


def _smtp_target(settings: Settings) -> SmtpTarget:
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    return SmtpTarget(
        host=settings.smtp_host or "localhost",
        port=settings.smtp_port,
        security=settings.smtp_security,
        user=settings.smtp_user,
        password=password,
    )
