"""Warehouse numbers: bulk load rate, digest selection time, re-extract rate, size per 1k pages.

usage: uv run python bench/warehouse.py [--articles N] [--pages N] [--workers N]

1. Loads N (default 100k) synthetic articles, one agreement each, a third of them further reports
   of an earlier signing (so the merge rule runs), in source batches of BATCH, one transaction each;
   prints articles/s and rows/s (pages + articles + agreements + agreement_sources).
2. Times the digest selection (warehouse.digest_store.select_undigested) over that database.
3. Stores the bundled demo pages as N (default 1000) distinct page versions (raw HTML kept), prints
   the file size per 1k pages, then re-extracts them all (workers processes) and prints pages/s.
Wall-clock times; a busy machine makes them worse, never better.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

# `python bench/warehouse.py` puts bench/ first on sys.path, where this file shadows the package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from flows.models import (  # noqa: E402
    Agreement,
    Amount,
    Article,
    ArticleRecord,
    Extraction,
    Fetched,
    PageRecord,
)
from flows.reextract import reextract  # noqa: E402
from warehouse.db import Connection, connect, fetch_all, transaction  # noqa: E402
from warehouse.digest_store import select_undigested  # noqa: E402
from warehouse.ingest_store import store_batch  # noqa: E402

BATCH = 5000
NOW = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
DEMO = Path(__file__).resolve().parents[1] / "flows" / "demo_site"
TEXT = (
    "{a} and {b} signed a strategic cooperation agreement in {city} on {day}, covering joint "
    "research, talent training and a shared laboratory. Story number {n} of the synthetic feed."
)


def synthetic_batch(
    start: int, size: int, rng: random.Random
) -> tuple[list[PageRecord], list[ArticleRecord]]:
    """One source batch: pages with small HTML bodies, articles, one agreement each."""
    pages: list[PageRecord] = []
    records: list[ArticleRecord] = []
    for n in range(start, start + size):
        signing = rng.randrange(max(1, n * 2 // 3)) if n % 3 == 0 and n else n  # a third re-report
        day = date(2024, 1, 1) + timedelta(days=signing % 900)
        a, b = f"Org {signing % 5000}", f"Partner {signing}"
        text = TEXT.format(a=a, b=b, city="Binhai", day=day.isoformat(), n=n)
        url = f"http://site{n % 40}.test/news/{n}.html"
        body = f"<html><head><title>{a} and {b}</title></head><body><p>{text}</p></body></html>"
        fetched = Fetched(url, 200, body.encode(), {"content-type": "text/html"}, NOW)
        page = PageRecord(url, f"site-{n % 40}", "fetched", None, fetched, url)
        published = day + timedelta(days=n % 3)
        article = Article(url, url, f"{a} and {b}", text, published, "en", page.source_name)
        agreement = Agreement(
            parties=tuple(sorted((a.casefold(), b.casefold()))),
            parties_as_written=(a, b),
            agreement_type="strategic_cooperation",
            signed_on=day,
            reported_on=published,
            location="Binhai",
            fields=("research", "talent training"),
            amounts=(Amount("CNY", 1e6 * (n % 50 + 1), f"RMB {n % 50 + 1} million"),),
            evidence=text[:120],
            confidence=0.9,
        )
        pages.append(page)
        records.append(
            ArticleRecord(page.page_id, article, Extraction(True, (agreement,), (), "bench"))
        )
    return pages, records


def bench_load(db: Path, articles: int) -> None:
    rng = random.Random(7)
    batches = [synthetic_batch(s, min(BATCH, articles - s), rng) for s in range(0, articles, BATCH)]
    started = time.perf_counter()
    with connect(db) as con:
        for pages, records in batches:
            with transaction(con):
                store_batch(con, pages, records, NOW)
        elapsed = time.perf_counter() - started
        counts = fetch_all(
            con,
            "SELECT (SELECT count(*) FROM pages), (SELECT count(*) FROM articles),"
            " (SELECT count(*) FROM agreements), (SELECT count(*) FROM agreement_sources)",
        )[0]
        rows = sum(counts)
        print(
            f"load: {articles} articles in {elapsed:.1f} s = {articles / elapsed:,.0f} articles/s,"
            f" {rows / elapsed:,.0f} rows/s  (pages, articles, agreements, sources = {counts})"
        )
        print(f"digest selection, all {counts[2]:,} undigested: {_time_selection(con)[1]:,.0f} ms")
        con.execute(  # a digest carried all but the newest 100: the daily case
            "INSERT INTO digest_items (profile, agreement_id, digest_id)"
            " SELECT 'default', agreement_id, 'bench' FROM agreements"
            " ORDER BY first_seen_at DESC, agreement_id DESC OFFSET 100"
        )
        found, ms = _time_selection(con)
        print(f"digest selection, {found} new among {counts[2]:,}: {ms:,.0f} ms (best of 3)")


def _time_selection(con: Connection) -> tuple[int, float]:
    timings, found = [], 0
    for _ in range(3):
        started = time.perf_counter()
        found = len(select_undigested(con, "default"))
        timings.append(time.perf_counter() - started)
    return found, min(timings) * 1000


def demo_pages(count: int) -> list[PageRecord]:
    """``count`` distinct versions of the bundled demo pages (a paragraph with the copy number)."""
    files = sorted((DEMO / "site").rglob("*.html"))
    files = [f for f in files if "index" not in f.name]
    pages = []
    for i in range(count):
        path = files[i % len(files)]
        source = path.relative_to(DEMO / "site").parts[0]
        raw = path.read_bytes().replace(b"</article>", f"<p>Copy {i}.</p></article>".encode())
        url = f"http://demo.invalid/{path.relative_to(DEMO / 'site').as_posix()}?copy={i}"
        fetched = Fetched(url, 200, raw, {"content-type": "text/html"}, NOW + timedelta(seconds=i))
        pages.append(PageRecord(url, source, "fetched", None, fetched, url))
    return pages


def bench_reextract(db: Path, count: int, workers: int) -> None:
    pages = demo_pages(count)
    raw = sum(len(p.fetched.body) for p in pages if p.fetched)
    with connect(db) as con:
        with transaction(con):
            store_batch(con, pages, [], NOW)
        con.execute("CHECKPOINT")
    size = db.stat().st_size
    print(
        f"file size: {size / count * 1000 / 1e6:.2f} MB per 1k pages with raw HTML kept"
        f" (raw HTML {raw / count / 1000:.1f} kB/page, {raw / size:.1f}x smaller stored)"
    )
    started, cpu = time.perf_counter(), _cpu_seconds()
    result = reextract(db, now=NOW, sources_path=DEMO / "sources.yaml", workers=workers)
    elapsed, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    print(
        f"re-extract: {result['pages']} pages in {elapsed:.1f} s = {result['pages'] / elapsed:,.0f}"
        f" pages/s with {workers} workers ({result['articles']} articles,"
        f" {result['links']} agreement reports)"
    )
    print(
        f"re-extract CPU: {cpu / result['pages'] * 1000:.1f} ms/page over all processes ="
        f" {result['pages'] / cpu * workers:,.0f} pages/s on {workers} idle cores;"
        f" load average {os.getloadavg()[0]:.1f} at the end"
    )


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (the re-extract workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bench_load(Path(tmp) / "load.duckdb", args.articles)
        bench_reextract(Path(tmp) / "pages.duckdb", args.pages, args.workers)


if __name__ == "__main__":
    main()
