"""The whole pipeline on the bundled demo site: real HTTP, Prefect, DuckDB, PDF and SMTP."""

import io
import os
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pypdf import PdfReader

from warehouse.db import connect, fetch_all

pytestmark = pytest.mark.flow

EXPECTED = {
    (("Binhai University", "Nanhu Technology"), "strategic_cooperation", "2026-11-18"),
    (("Binhai University", "Northbridge Institute of Technology"), "mou", "2026-11-03"),
    (("Binhai Municipal Government", "Yunfan Data"), "framework", "2026-11-10"),
    (("Greenfield Energy", "Harbor Bank"), "joint_venture", "2026-11-19"),
    (("Binhai First People's Hospital", "Binhai University"), "joint_lab_or_centre", "2026-11-24"),
}
NEGATIVE_PARTIES = {"Binhai Port Group", "Harbor Shipping"}


@pytest.fixture(scope="module")
def demo_run(prefect_harness, smtp_inbox_module, tmp_path_factory):  # type: ignore[no-untyped-def]
    """Ingest and digest the demo site twice, delivering to a loopback SMTP server."""
    from flows.digest import digest
    from flows.ingest import ingest
    from flows.local_site import serve_folder

    inbox = smtp_inbox_module
    work = tmp_path_factory.mktemp("demo")
    db_path, out_dir = work / "demo.duckdb", work / "out"
    env = {
        "PACTWATCH_SMTP_HOST": inbox.host,
        "PACTWATCH_SMTP_PORT": str(inbox.port),
        "PACTWATCH_DIGEST_TO": "analyst@example.org,lead@example.org",
        "PACTWATCH_DIGEST_FROM": "pactwatch@example.org",
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    folder = Path(str(resources.files("flows") / "demo_site"))
    runs = []
    try:
        for _ in range(2):
            with serve_folder(folder / "site") as base_url:
                overrides = {"demo.invalid": urlsplit(base_url).netloc}
                ingested = ingest(str(folder / "sources.yaml"), str(db_path), overrides)
            digested = digest(str(db_path), str(out_dir))
            runs.append((ingested, digested, len(inbox.messages)))
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return {"db_path": db_path, "out_dir": out_dir, "inbox": inbox, "runs": runs}


def test_expected_agreements_are_stored(demo_run) -> None:
    with connect(demo_run["db_path"]) as con:
        rows = fetch_all(
            con, "SELECT parties, agreement_type, CAST(signed_on AS TEXT) FROM agreements"
        )
    assert {(tuple(p), t, d) for p, t, d in rows} == EXPECTED


def test_one_signing_reported_by_two_sites_has_two_sources(demo_run) -> None:
    with connect(demo_run["db_path"]) as con:
        rows = fetch_all(
            con,
            "SELECT list_sort(list(ar.source_name)) FROM agreements a"
            " JOIN agreement_sources s USING (agreement_id) JOIN articles ar USING (article_id)"
            " WHERE list_contains(a.parties, 'Nanhu Technology') GROUP BY a.agreement_id",
        )
    assert rows == [(["binhai-daily", "binhai-university"],)]


def test_negatives_are_not_agreements(demo_run) -> None:
    with connect(demo_run["db_path"]) as con:
        parties = {p for (ps,) in fetch_all(con, "SELECT parties FROM agreements") for p in ps}
        articles = fetch_all(
            con, "SELECT count(*), count(*) FILTER (WHERE is_signing) FROM articles"
        )
    assert not parties & NEGATIVE_PARTIES
    assert articles == [(10, 6)]


def test_gbk_pages_are_decoded(demo_run) -> None:
    with connect(demo_run["db_path"]) as con:
        texts = [
            t
            for (t,) in fetch_all(
                con, "SELECT text FROM articles WHERE source_name = 'binhai-daily'"
            )
        ]
    assert len(texts) == 3
    assert all("\ufffd" not in t for t in texts)
    assert any("镕" in t for t in texts)


def test_digest_mail_has_html_text_and_pdf_with_chinese(demo_run) -> None:
    inbox = demo_run["inbox"]
    assert len(inbox.messages) == 1
    _, rcpts, message = inbox.envelopes[0]
    assert sorted(rcpts) == ["analyst@example.org", "lead@example.org"]
    types = [part.get_content_type() for part in message.walk()]
    assert {"text/plain", "text/html", "application/pdf"} <= set(types)
    assert "Yunfan Data" in message.get_body(("plain",)).get_content()
    pdf = next(p for p in message.walk() if p.get_content_type() == "application/pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.get_content())).pages)
    assert "滨海大学" in text


def test_second_run_adds_nothing_and_sends_nothing(demo_run) -> None:
    (first_ingest, first_digest, first_mails), (second_ingest, second_digest, second_mails) = (
        demo_run["runs"]
    )
    assert first_ingest["new_agreements"] == 5
    assert first_digest["agreements"] == 5
    assert second_ingest["new_agreements"] == 0
    assert second_ingest["new_pages"] == 0
    assert second_digest["digest_id"] is None
    assert (first_mails, second_mails) == (1, 1)
    with connect(demo_run["db_path"]) as con:
        assert fetch_all(con, "SELECT state FROM digests") == [("sent",)]
    assert len(list((demo_run["out_dir"] / "outbox").glob("*.eml"))) == 1
