import gzip
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from flows.extract_io import agreement_to_prediction
from flows.models import Fetched, PageRecord
from flows.reextract import Setup, load_setup, process_page, reextract
from warehouse.db import connect, fetch_all, transaction
from warehouse.ingest_store import store_batch
from warehouse.queries import select_agreements, select_articles
from warehouse.reextract_store import StoredPage

FIXTURES = Path(__file__).resolve().parents[1] / "warehouse" / "fixtures"
SOURCES = FIXTURES / "sources.yaml"
NOW = datetime(2027, 4, 1, 9, 0, tzinfo=UTC)
EN = ("en-signing.html", "http://lakeside.invalid/2026/10/qingshan-lakeview.html", "lakeside-times")
ZH = ("zh-signing.html", "http://qingshan.invalid/2026/1014/b07.html", "qingshan-ribao")
RENEWAL = (
    "en-renewal.html",
    "http://lakeside.invalid/2027/03/qingshan-lakeview-lab.html",
    "lakeside-times",
)


def ingest(
    db: Path, page: tuple[str, str, str], setup: Setup, day: int = 15, body: bytes | None = None
):
    """Fetch-free ingest of one fixture page through the real parser, extractor and store."""
    name, url, source = page
    fetched_at = datetime(2026, 10, day, 8, 0, tzinfo=UTC)
    raw = body if body is not None else (FIXTURES / name).read_bytes()
    fetched = Fetched(url, 200, raw, {"content-type": "text/html; charset=utf-8"}, fetched_at)
    record = PageRecord(url, source, "fetched", None, fetched, url)
    stored = StoredPage(record.page_id, url, source, fetched_at, 200, fetched.headers, raw)
    outcome, article = process_page(stored, setup, setup.extractor())
    assert outcome.status == "fetched", outcome
    with connect(db) as con, transaction(con):
        return store_batch(con, [record], [article] if article else [], fetched_at)


def agreements(db: Path) -> list[dict]:
    with connect(db) as con:
        return select_agreements(con, agreement_to_prediction)


def sources_of(db: Path) -> set[tuple[str, str]]:
    with connect(db) as con:
        rows = fetch_all(
            con, "SELECT agreement_id, url FROM agreement_sources JOIN articles USING (article_id)"
        )
    return set(rows)


def test_english_and_chinese_reports_of_one_signing_are_one_agreement(tmp_path: Path) -> None:
    db, setup = tmp_path / "w.duckdb", load_setup(SOURCES)
    ingest(db, EN, setup, day=13)
    second = ingest(db, ZH, setup, day=14)  # other site, other language, date a day off

    assert (second.new_articles, second.new_agreements, second.new_sources) == (1, 0, 1)
    (only,) = agreements(db)
    assert only["parties_canonical"] == ["Lakeview Polytechnic", "Qingshan Robotics"]
    assert [s["lang"] for s in only["sources"]] == ["en", "zh"]
    with connect(db) as con:
        lines = select_articles(con, agreement_to_prediction)
    assert {a["agreement_id"] for line in lines for a in line["agreements"]} == {
        only["agreement_id"]
    }
    zh_line = next(line for line in lines if line["lang"] == "zh")
    assert zh_line["agreements"][0]["signed_on"] == "2026-10-13"  # as that article reported it


def test_two_signings_between_the_same_parties_months_apart_stay_two(tmp_path: Path) -> None:
    db, setup = tmp_path / "w.duckdb", load_setup(SOURCES)
    ingest(db, EN, setup)
    ingest(db, RENEWAL, setup, day=20)

    found = agreements(db)
    assert [(a["signed_on"], a["agreement_type"]) for a in found] == [
        ("2027-03-08", "mou"),
        ("2026-10-12", "strategic_cooperation"),
    ]


def test_reextract_of_unchanged_pages_keeps_every_id_and_row(tmp_path: Path) -> None:
    db, setup = tmp_path / "w.duckdb", load_setup(SOURCES)
    for day, page in enumerate((EN, ZH, RENEWAL), start=13):
        ingest(db, page, setup, day=day)
    before = (agreements(db), sources_of(db))

    result = reextract(db, now=NOW, sources_path=SOURCES)

    assert (result["pages"], result["articles"], result["new_articles"]) == (3, 3, 0)
    assert (result["new_agreements"], result["retracted"], result["deleted"]) == (0, 0, 0)
    after = agreements(db)
    assert [a["agreement_id"] for a in after] == [a["agreement_id"] for a in before[0]]
    assert sources_of(db) == before[1]
    with connect(db) as con:
        (run,) = fetch_all(con, "SELECT flow, counts->>'extractor_version' FROM runs")
    assert run == ("reextract", result["extractor_version"])


def test_new_aliases_merge_a_missed_report_and_retract_the_digested_orphan(
    tmp_path: Path,
) -> None:
    db = tmp_path / "w.duckdb"
    bundled_only = load_setup(None)  # does not know 青山机器人 is Qingshan Robotics
    ingest(db, EN, bundled_only, day=13)
    ingest(db, ZH, bundled_only, day=14)
    ingest(db, RENEWAL, bundled_only, day=20)
    found = {(a["parties_canonical"][0], a["signed_on"]): a["agreement_id"] for a in agreements(db)}
    assert len(found) == 3
    english = found[("Lakeview Polytechnic", "2026-10-12")]
    orphan = found[("湖景职业学院", "2026-10-13")]
    with connect(db) as con:  # a digest has carried the Chinese-named agreement
        con.execute("INSERT INTO digest_items VALUES ('default', ?, 'd1')", [orphan])

    result = reextract(db, now=NOW, sources_path=SOURCES)

    assert (result["retracted"], result["deleted"], result["new_agreements"]) == (1, 0, 0)
    active = agreements(db)
    merged = next(a for a in active if a["agreement_id"] == english)
    assert len(merged["sources"]) == 2  # the Chinese report now joins the English one
    assert orphan not in {a["agreement_id"] for a in active}
    with connect(db) as con:
        status = fetch_all(
            con, "SELECT status, retracted_at FROM agreements WHERE agreement_id = ?", [orphan]
        )
    assert status == [("retracted", NOW)]


def test_an_unsupported_undigested_agreement_is_deleted_and_comes_back(tmp_path: Path) -> None:
    db, setup = tmp_path / "w.duckdb", load_setup(SOURCES)
    ingest(db, EN, setup)
    (first,) = agreements(db)
    with connect(db) as con:  # the stored bytes are now a page no parser sees an article in
        con.execute(
            "UPDATE pages SET body_gz = ?", [gzip.compress(b"<html><body>gone</body></html>")]
        )

    result = reextract(db, now=NOW, sources_path=SOURCES)

    assert (result["removed_articles"], result["deleted"]) == (1, 1)
    assert agreements(db) == []
    with connect(db) as con:
        assert fetch_all(con, "SELECT status, reason FROM pages") == [("skipped", "not_article")]
    ingest(db, EN, setup)  # the same report again: the same id
    assert [a["agreement_id"] for a in agreements(db)] == [first["agreement_id"]]


def test_a_changed_page_keeps_its_old_version_and_extracts_the_new_one(tmp_path: Path) -> None:
    db, setup = tmp_path / "w.duckdb", load_setup(SOURCES)
    ingest(db, EN, setup, day=13)
    changed = (
        (FIXTURES / EN[0])
        .read_bytes()
        .replace(
            b"</article>",
            b"<p>Update: the centre will also train teachers from two schools.</p></article>",
        )
    )
    result = ingest(db, EN, setup, day=14, body=changed)

    assert (result.new_pages, result.new_articles, result.new_agreements) == (1, 1, 0)
    with connect(db) as con:
        assert fetch_all(con, "SELECT count(*) FROM pages WHERE url = ?", [EN[1]]) == [(2,)]
        assert fetch_all(con, "SELECT count(*) FROM articles") == [(2,)]
    (only,) = agreements(db)
    assert len(only["sources"]) == 2


def test_since_reads_only_newer_pages(tmp_path: Path) -> None:
    db, setup = tmp_path / "w.duckdb", load_setup(SOURCES)
    ingest(db, EN, setup, day=13)
    ingest(db, RENEWAL, setup, day=20)

    result = reextract(db, now=NOW, since=date(2026, 10, 16), sources_path=SOURCES)

    assert result["pages"] == 1
    assert len(agreements(db)) == 2


@pytest.mark.parametrize("workers", [2])
def test_worker_processes_give_the_same_result(tmp_path: Path, workers: int) -> None:
    db, setup = tmp_path / "w.duckdb", load_setup(None)
    for day, page in enumerate((EN, ZH, RENEWAL), start=13):
        ingest(db, page, setup, day=day)

    result = reextract(db, now=NOW, sources_path=SOURCES, workers=workers)

    assert (result["pages"], result["deleted"]) == (3, 1)  # zh merged; its old agreement dropped
    assert sorted(len(a["sources"]) for a in agreements(db)) == [1, 2]
