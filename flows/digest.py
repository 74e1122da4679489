"""Prefect wiring of the digest: select new agreements, render, store in the outbox, deliver."""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.config_digests import DigestProfile, load_digest_profiles, select_profile
from flows.errors import ConfigError, SendError, WarehouseError
from flows.models import DigestItem, hash_id
from flows.settings import Settings
from reports.context import build_digest_context
from reports.files import write_digest_files
from reports.mail import SmtpTarget, build_digest_message, is_temporary_reply, send_message
from reports.network import MAP_CID, render_network_png
from reports.pdf import render_pdf
from reports.render import RenderedDigest, render_digest, render_digest_html_for_pdf
from warehouse.db import connect, transaction
from warehouse.digest_store import (
    insert_digest,
    mark_failed_attempt,
    mark_recipients,
    mark_resend,
    select_last_digest_at,
    select_outbox,
    select_undigested,
)

LOGGER = logging.getLogger(__name__)
DB_WAIT_S = 30.0
DEFAULT_RECIPIENT = "analyst@localhost"  # the .eml still needs a To: when nobody is configured


@dataclass(frozen=True, slots=True)
class ComposedDigest:
    """A digest made and not yet stored: its id, rendering, PDF and complete message."""

    digest_id: str
    rendered: RenderedDigest
    pdf: bytes
    message: EmailMessage
    eml: bytes  # the message serialised once: the stored, written and sent bytes are the same
    recipients: tuple[str, ...]
    agreement_ids: tuple[str, ...]
    images: dict[str, bytes] = dataclasses.field(default_factory=dict)  # Content-ID -> PNG


@task(cache_policy=NO_CACHE, task_run_name="select-{profile}")
def select_new_items(db_path: Path, profile: str) -> tuple[list[DigestItem], datetime | None]:
    """Return the agreements no digest of ``profile`` carried yet, and the last digest's time."""
    with connect(db_path, wait_s=DB_WAIT_S) as con:
        return select_undigested(con, profile), select_last_digest_at(con, profile)


@task(cache_policy=NO_CACHE)
def render_pdf_bytes(html: str, images: dict[str, bytes]) -> bytes:
    """Render the print HTML (and its cid: pictures) to PDF."""
    return render_pdf(html, images)


@task(cache_policy=NO_CACHE, task_run_name="store-{digest_id}")
def store_digest(db_path: Path, digest_id: str, fields: dict[str, Any]) -> None:
    """Store the digest and claim its agreements in one transaction, before any send."""
    with connect(db_path, wait_s=DB_WAIT_S) as con, transaction(con):
        insert_digest(con, digest_id=digest_id, **fields)


@task(cache_policy=NO_CACHE)
def deliver_outbox(
    db_path: Path, target: SmtpTarget, digest_id: str | None = None
) -> dict[str, int]:
    """Send every queued digest (or one); a temporary failure leaves it queued for the next run."""
    return deliver_queued(db_path, target, digest_id, get_run_logger())


def deliver_queued(
    db_path: Path, target: SmtpTarget, digest_id: str | None = None, logger: Any = LOGGER
) -> dict[str, int]:
    """Send queued digests to their pending recipients and mark each right after its send."""
    with connect(db_path, wait_s=DB_WAIT_S) as con:
        queued = select_outbox(con, digest_id)
    counts = {"sent": 0, "queued": 0, "failed": 0}
    for position, item in enumerate(queued):
        message = message_from_bytes(item.message, policy=policy.default)
        try:
            refused = send_message(message, target, item.recipients)
        except SendError as exc:
            logger.warning("digest=%s not sent (%s): %s", item.digest_id, _kind(exc), exc)
            with connect(db_path, wait_s=DB_WAIT_S) as con:
                mark_failed_attempt(con, item.digest_id, str(exc), permanent=not exc.temporary)
            counts["queued" if exc.temporary else "failed"] += 1
            if exc.temporary:  # the server is down or busy: the rest would fail the same way
                counts["queued"] += len(queued) - position - 1
                break
            continue
        deferred = {r: e for r, e in refused.items() if is_temporary_reply(e)}
        with connect(db_path, wait_s=DB_WAIT_S) as con:  # at once: keeps the resend window small
            state = mark_recipients(
                con,
                item.digest_id,
                attempted=item.recipients,
                refused={r: e for r, e in refused.items() if r not in deferred},
                deferred=deferred,
                now=datetime.now(UTC),
            )
        counts["queued" if state == "queued" else "sent"] += 1
        logger.info("digest=%s state=%s refused=%d", item.digest_id, state, len(refused))
    return counts


@flow(name="digest-partnerships")
def digest(
    db_path: str = "warehouse/pactwatch.duckdb",
    out_dir: str = "reports/out",
    profile: str = "default",
    sources_path: str | None = None,
    dry_run: bool = False,
) -> dict[str, Any]:
    """Make one digest of the agreements new since the last one, store it, deliver the outbox.

    Profiles come from the `digests:` section of ``sources_path`` (default:
    PACTWATCH_SOURCES_PATH, else sources.yaml). With ``dry_run`` the digest is rendered and
    written to ``out_dir`` only: nothing is stored (its agreements stay undigested), nothing sent.
    """
    logger = get_run_logger()
    settings = Settings()
    chosen = _profile(sources_path, profile, settings)
    database = Path(db_path)
    created_at = datetime.now(UTC)
    items, since = select_new_items(database, chosen.name)
    items = [item for item in items if chosen.filters.admits(item)]
    result: dict[str, Any] = {"profile": chosen.name, "agreements": len(items), "digest_id": None}
    result.update(files={}, dry_run=dry_run)
    if items or chosen.send_empty:
        made = compose_digest(items, chosen, created_at, since, settings.digest_from)
        files = _write_files(Path(out_dir), made, created_at)
        if not dry_run:
            fields = _outbox_fields(made, chosen, created_at, since, files, settings)
            store_digest(database, made.digest_id, fields)
        logger.info("digest=%s profile=%s agreements=%d", made.digest_id, chosen.name, len(items))
        result.update(digest_id=made.digest_id, files=files)
    else:
        logger.info("profile=%s no new agreements since %s", chosen.name, since)
    if settings.smtp_host and not dry_run:
        result["delivery"] = deliver_outbox(database, smtp_target(settings))
    return result


@flow(name="digest-resend")
def resend(db_path: str, digest_id: str) -> dict[str, Any]:
    """Queue a stored digest again for all its recipients and deliver it now."""
    settings = Settings()
    if not settings.smtp_host:
        raise ConfigError("resending needs SMTP: set PACTWATCH_SMTP_HOST (and _PORT, _SECURITY)")
    with connect(Path(db_path), wait_s=DB_WAIT_S) as con:
        if not mark_resend(con, digest_id):
            raise WarehouseError(f"no digest {digest_id!r} in {db_path}; see `pactwatch digests`")
    delivery = deliver_outbox(Path(db_path), smtp_target(settings), digest_id)
    return {"digest_id": digest_id, "delivery": delivery}


def compose_digest(
    items: list[DigestItem],
    profile: DigestProfile,
    created_at: datetime,
    since: datetime | None,
    sender: str,
) -> ComposedDigest:
    """Build context, HTML, text, partner map, PDF and the message of one digest."""
    context = build_digest_context(
        items,
        created_at=created_at,
        period_start=since,
        profile=profile.name,
        title=profile.title,
        timezone=profile.timezone,
        cadence=profile.period,
    )
    rendered = render_digest(context)
    images = {MAP_CID: render_network_png(context.network)} if context.network.edges else {}
    pdf = render_pdf_bytes(render_digest_html_for_pdf(context), images)
    digest_id = hash_id(profile.name, created_at.isoformat(), *(i.agreement_id for i in items))
    recipients = profile.recipients or (DEFAULT_RECIPIENT,)
    message = build_digest_message(
        rendered=rendered,
        pdf=pdf,
        digest_id=digest_id,
        created_at=created_at,
        sender=sender,
        recipients=recipients,
        images=images,
    )
    ids = tuple(i.agreement_id for i in items)
    eml = message.as_bytes()
    return ComposedDigest(digest_id, rendered, pdf, message, eml, recipients, ids, images)


def smtp_target(settings: Settings) -> SmtpTarget:
    """Return where to deliver, from the PACTWATCH_SMTP_* settings."""
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    return SmtpTarget(
        host=settings.smtp_host or "localhost",
        port=settings.smtp_port,
        security=settings.smtp_security,
        user=settings.smtp_user,
        password=password,
        timeout_s=settings.smtp_timeout_s,
        ca_file=str(settings.smtp_ca_file) if settings.smtp_ca_file else None,
    )


def _profile(sources_path: str | None, name: str, settings: Settings) -> DigestProfile:
    path = Path(sources_path) if sources_path else settings.sources_path
    return select_profile(load_digest_profiles(path, settings.recipients), name)


def _outbox_fields(
    made: ComposedDigest,
    profile: DigestProfile,
    created_at: datetime,
    since: datetime | None,
    files: dict[str, str],
    settings: Settings,
) -> dict[str, Any]:
    return {
        "profile": profile.name,
        "created_at": created_at,
        "period_start": since,
        "subject": made.rendered.subject,
        "recipients": list(made.recipients),
        "message": made.eml,
        "agreement_ids": list(made.agreement_ids),
        "state": "queued" if settings.smtp_host else "written",
        "paths": files,
    }


def _write_files(out_dir: Path, made: ComposedDigest, created_at: datetime) -> dict[str, str]:
    return write_digest_files(
        out_dir,
        digest_id=made.digest_id,
        created_at=created_at,
        html=made.rendered.html,
        pdf=made.pdf,
        eml=made.eml,
        images=made.images,
    )


def _kind(exc: SendError) -> str:
    return "temporary, stays queued" if exc.temporary else "permanent, marked failed"
