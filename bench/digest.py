"""Wall time of one digest of 200 agreements: context, HTML + text, partner map PNG, PDF, message.

usage: uv run python bench/digest.py [--items N] [--rounds R]

The stages are the ones flows/digest.py runs (without Prefect and DuckDB). The first round is
reported apart: it pays for loading fonts, templates and CSS once per process (a scheduled run
pays it too). Goal: the whole digest in at most 3 s on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import UTC, date, datetime, timedelta

from flows.models import Amount, DigestItem, SourceLink
from reports.context import TYPE_LABELS, build_digest_context
from reports.mail import build_digest_message
from reports.network import MAP_CID, render_network_png
from reports.pdf import render_pdf
from reports.render import render_digest, render_digest_html_for_pdf

GOAL_S = 3.0
CREATED_AT = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
ORGS_EN = [f"Harbor Institute {n}" for n in range(25)] + [f"Nanhu Group {n}" for n in range(15)]
ORGS_ZH = [f"滨海第{n}大学" for n in range(20)] + [f"云帆科技{n}号有限公司" for n in range(10)]


def items(count: int) -> list[DigestItem]:
    """Return ``count`` invented agreements, mixing English and Chinese names and sources."""
    orgs = ORGS_EN + ORGS_ZH
    types = list(TYPE_LABELS)
    made = []
    for n in range(count):
        a, b = orgs[n % len(orgs)], orgs[(n * 7 + 3) % len(orgs)]
        signed = date(2026, 11, 1) + timedelta(days=n % 29)
        sources = tuple(
            SourceLink(
                f"https://news{k}.example.org/2026/11/{n}-{k}.html",
                f"{a} and {b} sign a cooperation agreement (report {k})",
                f"Example News {k}",
                signed,
                "zh" if k % 2 else "en",
            )
            for k in range(1 + n % 3)
        )
        made.append(
            DigestItem(
                agreement_id=f"bench{n:011d}",
                parties=tuple(sorted({a, b})),
                parties_as_written=(a, b),
                agreement_type=types[n % len(types)],
                title=f"{a}与{b}签署合作协议" if n % 2 else f"{a} and {b} sign agreement",
                signed_on=signed,
                location="Binhai" if n % 4 else None,
                fields=("artificial intelligence", "talent training")[: 1 + n % 2],
                amounts=(Amount("CNY", 1_000_000.0 * (n + 1), f"{n + 1}00万元"),) if n % 3 else (),
                evidence=f"On {signed:%d %B} {a} and {b} signed an agreement to cooperate.",
                first_seen_at=CREATED_AT,
                sources=sources,
            )
        )
    return made


def one_digest(agreements: list[DigestItem]) -> dict[str, float]:
    """Run every stage once; return seconds per stage."""
    times: dict[str, float] = {}
    start, cpu = time.perf_counter(), time.process_time()
    context = build_digest_context(agreements, created_at=CREATED_AT, period_start=None)
    rendered = render_digest(context)
    times["context+html+text"] = time.perf_counter() - start
    mark = time.perf_counter()
    png = render_network_png(context.network)
    times["png"] = time.perf_counter() - mark
    mark = time.perf_counter()
    pdf = render_pdf(render_digest_html_for_pdf(context), {MAP_CID: png})
    times["pdf"] = time.perf_counter() - mark
    mark = time.perf_counter()
    message = build_digest_message(
        rendered=rendered,
        pdf=pdf,
        digest_id="bench",
        created_at=CREATED_AT,
        sender="bench@example.org",
        recipients=["a@example.org"],
        images={MAP_CID: png},
    )
    message.as_bytes()
    times["message"] = time.perf_counter() - mark
    times["total"] = time.perf_counter() - start
    times["cpu"] = time.process_time() - cpu  # this process only: other load does not count
    times["pdf_kib"] = len(pdf) / 1024
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    agreements = items(args.items)
    rounds = [one_digest(agreements) for _ in range(args.rounds)]
    first, warm = rounds[0], min(rounds[1:] or rounds, key=lambda r: r["total"])
    for label, result in (("first (cold)", first), ("best warm", warm)):
        stages = ", ".join(f"{k} {v:.2f}s" for k, v in result.items() if k not in ("pdf_kib",))
        print(f"{args.items} agreements, {label}: {stages}; PDF {result['pdf_kib']:.0f} KiB")
    verdict = "within" if first["total"] <= GOAL_S else "OVER"
    print(f"goal <= {GOAL_S:.1f} s: cold run {first['total']:.2f} s, {verdict} the goal")
    print(f"cpu count {os.cpu_count()}, load average {os.getloadavg()[0]:.2f} (1 min)")


if __name__ == "__main__":
    main()
