"""A writer killed with SIGKILL mid-ingest, then re-run: committed rows intact, no duplicates."""

import gzip
import os
import selectors
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from warehouse.db import connect, fetch_all

BATCHES, PER_BATCH = 12, 40
WRITER = textwrap.dedent(
    """
    import sys
    from datetime import UTC, date, datetime, timedelta
    from pathlib import Path
    from flows.models import Agreement, Article, ArticleRecord, Extraction, Fetched, PageRecord
    from warehouse.db import connect, transaction
    from warehouse.ingest_store import store_batch

    db, batches, per_batch = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    base = datetime(2026, 1, 1, tzinfo=UTC)
    def batch(b):
        pages, records = [], []
        for j in range(per_batch):
            n = b * per_batch + j
            url = f"http://site{b % 7}.test/{n}"
            text = f"Org {n} and Partner {n} signed a cooperation agreement. Story {n}."
            fetched = Fetched(url, 200, f"<p>{text}</p>".encode(), {}, base)
            page = PageRecord(url, f"s{b % 7}", "fetched", None, fetched, url)
            day = date(2026, 1, 1) + timedelta(days=n % 300)
            article = Article(url, url, f"Story {n}", text, day, "en", page.source_name)
            agreement = Agreement((f"org {n}", f"partner {n}"), (f"Org {n}", f"Partner {n}"),
                                  "mou", day, day, evidence=text, confidence=0.8)
            pages.append(page)
            records.append(ArticleRecord(page.page_id, article, Extraction(True, (agreement,))))
        return pages, records

    with connect(db) as con:  # one connection for the run, one transaction per batch
        for b in range(batches):
            with transaction(con):
                store_batch(con, *batch(b), base)
            print("committed", b, flush=True)
    """
)


def _writer(db: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), str(BATCHES), str(PER_BATCH)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )


def _wait_for_commits(proc: subprocess.Popen[str], commits: int, timeout_s: float) -> int:
    """Read the writer's progress lines until ``commits`` batches are committed; bounded."""
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout_s
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        seen = 0
        while seen < commits:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"writer committed only {seen} batches in {timeout_s} s"
            if selector.select(remaining):
                line = proc.stdout.readline()
                assert line, f"writer exited early with {proc.wait()}"
                seen += 1
    return seen


def _check_intact(db: Path) -> int:
    """Every stored page decompresses, has its article, its link and its agreement; no dupes."""
    with connect(db) as con:
        pages = fetch_all(con, "SELECT url, body_gz FROM pages")
        for url, body in pages:
            n = url.rsplit("/", 1)[1]
            assert (
                gzip.decompress(body).decode()
                == f"<p>Org {n} and Partner {n} signed a cooperation agreement. Story {n}.</p>"
            )
        counts = fetch_all(
            con,
            "SELECT (SELECT count(*) FROM pages), (SELECT count(DISTINCT url) FROM pages),"
            " (SELECT count(*) FROM articles), (SELECT count(*) FROM agreements),"
            " (SELECT count(*) FROM agreement_sources),"
            " (SELECT count(*) FROM articles a WHERE NOT EXISTS"
            "   (SELECT 1 FROM agreement_sources s WHERE s.article_id = a.article_id))",
        )[0]
    total, distinct, articles, agreements, links, unlinked = counts
    assert total == distinct == articles == agreements == links
    assert unlinked == 0
    assert total % PER_BATCH == 0  # whole batches only: a transaction is all or nothing
    return int(total)


def test_sigkill_mid_ingest_then_rerun_loses_and_doubles_nothing(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    proc = _writer(db)
    try:
        committed = _wait_for_commits(proc, 2, timeout_s=60)
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=10) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
        if proc.stdout is not None:
            proc.stdout.close()

    stored = _check_intact(db)
    assert committed * PER_BATCH <= stored < BATCHES * PER_BATCH  # killed before the end

    rerun = _writer(db)
    try:
        assert _wait_for_commits(rerun, BATCHES, timeout_s=60) == BATCHES
        assert rerun.wait(timeout=30) == 0
    finally:
        if rerun.poll() is None:
            rerun.kill()
        if rerun.stdout is not None:
            rerun.stdout.close()
    assert _check_intact(db) == BATCHES * PER_BATCH
