"""Wall time of polite fetching: 20 hosts x 10 pages, 1 s per-host delay, vs one host alone.

usage: uv run python bench/fetch.py [--hosts 20] [--pages 10] [--delay 1.0] [--parse]

Every host is its own loopback server (127.0.0.1, a port of its own: a different host for
robots.txt and pacing) serving a feed and its pages. One source per host is walked and its pages
fetched through collect.run_by_host, PoliteFetcher and HttpFetcher, exactly as the ingest does.
Goal: all hosts together take at most 1.3x the time of one host. --parse also parses every page
(parse_article) in the host threads, which adds CPU time the GIL serialises.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from flows.collect import fetch_pages, parse_pages, run_by_host
from flows.config import RssSource, SourceConfig
from flows.discover_walk import walk_index
from flows.fetch import HttpFetcher
from flows.local_site import serve_folder
from flows.politeness import PoliteFetcher

AGENT = "pactwatch-bench/0.1 (+https://pactwatch.invalid/bench)"
PARAGRAPH = (
    "<p>Page {n} of the benchmark site: the harbour board and the ferry company agreed on a"
    " new schedule for pier repairs, with the work done one pier at a time over the spring.</p>"
)


def write_site(root: Path, pages: int) -> None:
    """A feed listing ``pages`` small article pages (written here, not copied from anywhere)."""
    items = ""
    for n in range(pages):
        body = "".join(PARAGRAPH.format(n=n) for _ in range(4))
        html = f"<html><head><title>Page {n}</title></head><body><article>{body}</article>"
        (root / f"p{n}.html").write_text(html + "</body></html>", encoding="utf-8")
        items += f"<item><title>Page {n}</title><link>p{n}.html</link></item>"
    feed = f'<rss version="2.0"><channel><title>bench</title>{items}</channel></rss>'
    (root / "feed.xml").write_text(feed, encoding="utf-8")


def timed_run(bases: list[str], pages: int, delay: float, parse: bool) -> tuple[float, int]:
    """Walk and fetch one source per base URL; return wall seconds and pages fetched."""
    http = HttpFetcher(AGENT, retries=0)
    fetcher = PoliteFetcher(http, AGENT, min_delay_s=delay)
    sources: list[SourceConfig] = [
        RssSource(name=f"host-{i}", kind="rss", url=f"{base}feed.xml", max_items=pages)  # type: ignore[arg-type]
        for i, base in enumerate(bases)
    ]

    def work(source: SourceConfig) -> int:
        walk = walk_index(source, fetcher)
        fetched = fetch_pages(source, walk.entries, fetcher)
        if parse:
            parse_pages(source, fetched)
        return sum(1 for p in fetched if p.status == "fetched")

    started = time.perf_counter()
    count = sum(run_by_host(sources, work, max_workers=len(sources)))
    return time.perf_counter() - started, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--delay", type=float, default=1.0)
    parser.add_argument("--parse", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        write_site(Path(tmp), args.pages)
        bases = [stack.enter_context(serve_folder(Path(tmp))) for _ in range(args.hosts)]
        one, one_count = timed_run(bases[:1], args.pages, args.delay, args.parse)
        every, count = timed_run(bases[1:] + bases[:1], args.pages, args.delay, args.parse)
    ratio = every / one
    print(f"one host:   {one_count:4d} pages in {one:6.2f} s")
    print(
        f"{args.hosts} hosts: {count:4d} pages in {every:6.2f} s  ratio {ratio:.2f} (goal <= 1.3)"
    )


if __name__ == "__main__":
    main()
