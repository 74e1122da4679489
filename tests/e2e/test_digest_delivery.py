"""The digest flow against loopback aiosmtpd: parts, delivered once, outages, refusals, TLS."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from warehouse.db import connect, fetch_all

NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
PROFILES = """\
sources:
  - name: demo-wire
    kind: rss
    url: https://wire.example.org/feed.xml
digests:
  - name: desk
    recipients: [analyst@example.org, lead@example.org]
    period: weekly
    timezone: Asia/Shanghai
  - name: gone
    recipients: [analyst@example.org, gone@example.org]
  - name: quiet
    recipients: [analyst@example.org]
    send_empty: true
    filters: {types: [licensing]}
"""
SIGNINGS = (
    (
        "Binhai University",
        "Nanhu Technology",
        "滨海大学",
        "南湖科技股份有限公司",
        "strategic_cooperation",
    ),
    ("Binhai Municipal Government", "Yunfan Data", "滨海市人民政府", "云帆数据", "framework"),
    ("Binhai University", "Yunfan Data", "滨海大学", "云帆数据", "mou"),
)


def seed(db_path: Path) -> None:
    """Store three agreements, each reported by one article, as the ingest would."""
    with connect(db_path) as con:
        con.execute(
            "INSERT INTO sources VALUES ('demo-wire', 'rss', 'https://wire.example.org/feed.xml',"
            " 'Demo Wire', ?)",
            [NOW],
        )
        for n, (a, b, wa, wb, kind) in enumerate(SIGNINGS):
            url = f"https://wire.example.org/2026/11/{n}.html"
            con.execute(
                "INSERT INTO articles (article_id, page_id, url, canonical_url, source_name, title,"
                " published_on, lang, text, text_hash, is_signing, extractor_version, extracted_at)"
                " VALUES (?, ?, ?, ?, 'demo-wire', ?, ?, 'zh', 'text', ?, true, 'test', ?)",
                [
                    f"art{n}",
                    f"page{n}",
                    url,
                    url,
                    f"{wa}与{wb}签约",
                    date(2026, 11, 18 + n),
                    f"h{n}",
                    NOW,
                ],
            )
            con.execute(
                "INSERT INTO agreements (agreement_id, parties, parties_as_written, agreement_type,"
                " title, signed_on, fields, amounts, evidence, confidence, first_seen_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ['smart city'], '[]', ?, 0.9, ?)",
                [
                    f"agr{n}",
                    [a, b],
                    [wa, wb],
                    kind,
                    f"{a} and {b} sign",
                    date(2026, 11, 18 + n),
                    f"{wa}与{wb}签署协议。",
                    NOW,
                ],
            )
            con.execute(
                "INSERT INTO agreement_sources (agreement_id, article_id, evidence, confidence,"
                " added_at) VALUES (?, ?, 'e', 0.9, ?)",
                [f"agr{n}", f"art{n}", NOW],
            )


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    sources = tmp_path / "sources.yaml"
    sources.write_text(PROFILES, encoding="utf-8")
    db_path = tmp_path / "pw.duckdb"
    seed(db_path)
    for key in ("PACTWATCH_SMTP_USER", "PACTWATCH_SMTP_PASSWORD", "PACTWATCH_DIGEST_TO"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("PACTWATCH_DIGEST_FROM", "pactwatch@example.org")
    monkeypatch.setenv("PACTWATCH_SOURCES_PATH", str(sources))
    return {"db": db_path, "out": tmp_path / "out", "sources": sources}


def smtp_env(monkeypatch: pytest.MonkeyPatch, port: int, security: str = "none") -> None:
    monkeypatch.setenv("PACTWATCH_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("PACTWATCH_SMTP_PORT", str(port))
    monkeypatch.setenv("PACTWATCH_SMTP_SECURITY", security)
    monkeypatch.setenv("PACTWATCH_SMTP_TIMEOUT_S", "5")


def run(work: dict[str, Path], profile: str = "desk", **options: object) -> dict:  # type: ignore[type-arg]
    from flows.digest import digest

    return digest(str(work["db"]), str(work["out"]), profile, **options)  # type: ignore[arg-type]


def states(db_path: Path) -> list[tuple[str, str]]:
    with connect(db_path) as con:
        return [(p, s) for p, s in fetch_all(con, "SELECT profile, state FROM digests ORDER BY 1")]


@pytest.mark.flow
def test_one_mail_per_recipient_with_every_part_then_nothing(
    prefect_harness, work, monkeypatch, smtp_servers
) -> None:  # type: ignore[no-untyped-def]
    with smtp_servers() as inbox:
        smtp_env(monkeypatch, inbox.port)
        first, second = run(work), run(work)
    assert first["agreements"] == 3
    assert first["delivery"] == {"sent": 1, "queued": 0, "failed": 0}
    [(sender, rcpts, message)] = inbox.envelopes
    assert (sender, sorted(rcpts)) == (
        "pactwatch@example.org",
        ["analyst@example.org", "lead@example.org"],
    )
    kinds = [part.get_content_type() for part in message.walk()]
    assert kinds == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "multipart/related",
        "text/html",
        "image/png",
        "application/pdf",
    ]
    image = next(p for p in message.walk() if p.get_content_type() == "image/png")
    html = message.get_body(("html",)).get_content()
    assert f'src="cid:{image["Content-ID"].strip("<>")}"' in html
    assert image.get_content().startswith(b"\x89PNG")
    assert "Weekly digest" in html
    assert "CST" in html
    assert "滨海大学 × 南湖科技股份有限公司" in message.get_body(("plain",)).get_content()
    pdf = next(p for p in message.walk() if p.get_content_type() == "application/pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.get_content())).pages)
    assert "滨海大学" in text
    assert "云帆数据" in text
    assert second["digest_id"] is None
    assert second["delivery"] == {"sent": 0, "queued": 0, "failed": 0}
    assert len(inbox.messages) == 1
    assert states(work["db"]) == [("desk", "sent")]


@pytest.mark.flow
def test_smtp_down_then_up_delivers_exactly_once(
    prefect_harness, work, monkeypatch, smtp_servers, free_port
) -> None:  # type: ignore[no-untyped-def]
    port = free_port
    smtp_env(monkeypatch, port)
    down = run(work)  # nothing listens on the port yet
    assert down["delivery"] == {"sent": 0, "queued": 1, "failed": 0}
    assert states(work["db"]) == [("desk", "queued")]
    with smtp_servers(port=port) as inbox:
        up, again = run(work), run(work)
    assert up["digest_id"] is None  # no new agreements: the stored digest is what goes out
    assert up["delivery"]["sent"] == 1
    assert again["delivery"] == {"sent": 0, "queued": 0, "failed": 0}
    assert len(inbox.messages) == 1
    assert inbox.messages[0]["Message-ID"] == f"<{down['digest_id']}@pactwatch.invalid>"
    assert states(work["db"]) == [("desk", "sent")]


@pytest.mark.flow
def test_a_5xx_for_one_recipient_still_delivers_to_the_other(
    prefect_harness, work, monkeypatch, smtp_servers
) -> None:  # type: ignore[no-untyped-def]
    with smtp_servers() as inbox:
        inbox.refuse("gone@example.org", 550, "no such user")
        smtp_env(monkeypatch, inbox.port)
        result, again = run(work, "gone"), run(work, "gone")
    assert [rcpts for _, rcpts, _ in inbox.envelopes] == [["analyst@example.org"]]
    assert again["delivery"]["sent"] == 0
    assert states(work["db"]) == [("gone", "partial")]
    with connect(work["db"]) as con:
        rows = fetch_all(
            con,
            "SELECT recipient, state, error FROM digest_deliveries WHERE digest_id = ? ORDER BY 1",
            [result["digest_id"]],
        )
    assert rows[0] == ("analyst@example.org", "sent", None)
    assert rows[1][:2] == ("gone@example.org", "refused")
    assert rows[1][2].startswith("550 no such user")


@pytest.mark.flow
def test_a_4xx_for_one_recipient_is_retried_for_that_recipient_only(
    prefect_harness, work, monkeypatch, smtp_servers
) -> None:  # type: ignore[no-untyped-def]
    with smtp_servers() as inbox:
        inbox.refuse("gone@example.org", 451, "try again later")
        smtp_env(monkeypatch, inbox.port)
        first = run(work, "gone")
        assert states(work["db"]) == [("gone", "queued")]
        inbox._refused.clear()  # the mailbox is back
        second = run(work, "gone")
    assert [rcpts for _, rcpts, _ in inbox.envelopes] == [
        ["analyst@example.org"],
        ["gone@example.org"],
    ]
    assert (first["delivery"]["queued"], second["delivery"]["sent"]) == (1, 1)
    assert states(work["db"]) == [("gone", "sent")]


@pytest.mark.flow
def test_starttls_with_a_self_signed_certificate(
    prefect_harness, work, monkeypatch, smtp_tls_inbox
) -> None:  # type: ignore[no-untyped-def]
    inbox, cert_path = smtp_tls_inbox
    smtp_env(monkeypatch, inbox.port, "starttls")
    monkeypatch.setenv("PACTWATCH_SMTP_CA_FILE", str(cert_path))
    result = run(work)
    assert result["delivery"]["sent"] == 1
    assert len(inbox.messages) == 1


@pytest.mark.flow
def test_dry_run_writes_files_but_stores_and_sends_nothing(
    prefect_harness, work, monkeypatch, smtp_servers
) -> None:  # type: ignore[no-untyped-def]
    with smtp_servers() as inbox:
        smtp_env(monkeypatch, inbox.port)
        dry = run(work, dry_run=True)
        assert inbox.messages == []
        assert states(work["db"]) == []
        real = run(work)
    assert Path(dry["files"]["pdf"]).read_bytes().startswith(b"%PDF")
    assert Path(dry["files"]["eml"]).exists()
    assert real["agreements"] == 3  # the dry run claimed nothing
    assert len(inbox.messages) == 1


@pytest.mark.flow
def test_send_empty_profile_mails_no_new_agreements(
    prefect_harness, work, monkeypatch, smtp_servers
) -> None:  # type: ignore[no-untyped-def]
    with smtp_servers() as inbox:
        smtp_env(monkeypatch, inbox.port)
        result = run(work, "quiet")  # its filter admits none of the three
    assert result["agreements"] == 0
    assert result["digest_id"] is not None
    [message] = inbox.messages
    assert "no new agreements" in message["Subject"] or "0 agreements" in message["Subject"]
    assert [p.get_content_type() for p in message.walk()].count("image/png") == 0


@pytest.mark.flow
def test_cli_resend_and_list(prefect_harness, work, monkeypatch, smtp_servers) -> None:  # type: ignore[no-untyped-def]
    from flows.cli import cli

    runner = CliRunner()
    with smtp_servers() as inbox:
        smtp_env(monkeypatch, inbox.port)
        made = runner.invoke(
            cli,
            [
                "digest",
                "--db",
                str(work["db"]),
                "--out",
                str(work["out"]),
                "--profile",
                "desk",
                "--json",
            ],
        )
        assert made.exit_code == 0, made.output
        digest_id = json.loads(made.stdout.splitlines()[-1])["digest_id"]
        resent = runner.invoke(cli, ["digest", "--db", str(work["db"]), "--resend", digest_id])
        assert resent.exit_code == 0, resent.output
        unknown = runner.invoke(cli, ["digest", "--db", str(work["db"]), "--resend", "nope"])
    assert len(inbox.messages) == 2
    assert inbox.messages[0]["Message-ID"] == inbox.messages[1]["Message-ID"]
    assert "queued again for every recipient" in resent.output
    assert unknown.exit_code == 4
    assert "no digest 'nope'" in unknown.output
    listed = runner.invoke(cli, ["digests", "--db", str(work["db"])])
    assert listed.exit_code == 0
    header, row = listed.stdout.splitlines()
    assert header.split()[:5] == ["digest", "created", "(UTC)", "profile", "items"]
    assert row.split()[0] == digest_id
    assert row.split()[3:7] == ["desk", "3", "sent", "2/2"]


def test_digests_list_of_a_missing_database_creates_nothing(tmp_path: Path) -> None:
    from flows.cli import cli

    result = CliRunner().invoke(cli, ["digests", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 0
    assert result.output == "no digests yet\n"
    assert not (tmp_path / "none.duckdb").exists()
