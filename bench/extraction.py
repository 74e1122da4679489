"""Score RuleExtractor on the shared gold corpora with the shared scorer; print throughput.

usage: uv run python bench/extraction.py [--show-errors]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from flows.extract import RuleExtractor
from flows.extract_io import predict_record

SHARED = Path(__file__).resolve().parents[2] / "shared"
SCORER = SHARED / "tools" / "score_extraction.py"
CORPORA = ("seeds-gold.jsonl", "dev-gold.jsonl")
REPEAT = 20  # the corpora are small; repeat them for a stable throughput figure


def predict_file(gold: Path, out: Path) -> float:
    records = [
        json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    extractor = RuleExtractor()
    predictions = [predict_record(r, extractor) for r in records]
    start = time.perf_counter()
    for _ in range(REPEAT):
        for record in records:
            predict_record(record, extractor)
    elapsed = time.perf_counter() - start
    out.write_text(
        "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in predictions), encoding="utf-8"
    )
    return len(records) * REPEAT / elapsed


def main(argv: list[str]) -> int:
    if not SCORER.is_file():
        print(f"skipped: {SCORER} is absent")
        return 0
    for name in CORPORA:
        gold = SHARED / "corpus" / name
        if not gold.is_file():
            print(f"skipped {name}: {gold} is absent")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            pred = Path(tmp) / f"pred-{name}"
            rate = predict_file(gold, pred)
            flags = ["--json", *(a for a in argv if a == "--show-errors")]
            result = subprocess.run(
                [sys.executable, str(SCORER), str(gold), str(pred), *flags],
                capture_output=True,
                text=True,
                check=True,
            )
        metrics = json.loads(result.stdout)
        errors = metrics.pop("errors", [])
        print(f"== {name}  ({rate:.0f} articles/s)")
        print(json.dumps(metrics, indent=1))
        for err in errors:
            print("  " + err)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
