"""Quality gate: RuleExtractor on each gold corpus must stay above its pinned floors.

"corpus/..." names a gold set in ../shared; "own/..." one of ours in tests/fixtures/extraction.
Both are scored by ../shared/tools/score_extraction.py, so every case skips without ../shared.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from flows.extract import EXTRACTOR_VERSION, RuleExtractor
from flows.extract_io import predict_record

BASELINE = Path(__file__).resolve().parents[1] / "golden" / "extract_baseline.json"
OWN = Path(__file__).resolve().parents[1] / "fixtures" / "extraction"
SHARED = Path(__file__).resolve().parents[3] / "shared"
CORPORA = sorted(json.loads(BASELINE.read_text(encoding="utf-8"))["corpora"])

pytestmark = pytest.mark.corpus


def _metric(metrics: dict[str, object], dotted: str) -> float:
    value: object = metrics
    for part in dotted.split("."):
        assert isinstance(value, dict), f"scorer output has no {dotted}"
        value = value[part]
    assert isinstance(value, int | float), f"{dotted} is {value!r}"
    return float(value)


def test_baseline_names_the_current_extractor() -> None:
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    assert baseline["extractor_version"] == EXTRACTOR_VERSION
    assert {"corpus/seeds-gold.jsonl", "corpus/dev-gold.jsonl"} <= set(baseline["corpora"])
    own = {f"own/{path.name}" for path in OWN.glob("*.jsonl")}
    assert own, f"no own gold sets in {OWN}"
    assert own <= set(baseline["corpora"]), "every own gold set has floors"


@pytest.mark.parametrize("corpus", CORPORA)
def test_scores_stay_above_their_floors(corpus: str, tmp_path: Path) -> None:
    floors = json.loads(BASELINE.read_text(encoding="utf-8"))["corpora"][corpus]
    gold = OWN / corpus.removeprefix("own/") if corpus.startswith("own/") else SHARED / corpus
    scorer = SHARED / "tools" / "score_extraction.py"
    if not gold.is_file() or not scorer.is_file():
        pytest.skip(f"{gold} or {scorer} is absent")
    extractor = RuleExtractor()
    lines = gold.read_text(encoding="utf-8").splitlines()
    predictions = [predict_record(json.loads(line), extractor) for line in lines if line.strip()]
    pred = tmp_path / "pred.jsonl"
    pred.write_text(
        "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in predictions), encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, str(scorer), str(gold), str(pred), "--json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    metrics = json.loads(result.stdout)
    assert metrics["missing_predictions"] == 0
    below = {
        name: (_metric(metrics, name), floor)
        for name, floor in floors.items()
        if _metric(metrics, name) < floor
    }
    assert not below, f"{corpus}: metrics below their floors (measured, floor): {below}"
