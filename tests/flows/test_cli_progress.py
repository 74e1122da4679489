import io

from rich.console import Console
from rich.progress import Progress

from flows.cli_progress import _Bars, summary_table
from flows.progress import ProgressEvent, announce, listening


def test_bars_follow_discovery_and_pages() -> None:
    progress = Progress(console=Console(file=io.StringIO()))
    bars = _Bars(progress)
    with listening(bars):
        announce(ProgressEvent("discovered", "site-a", total=3))
        announce(ProgressEvent("page", "site-a", status="fetched"))
        announce(ProgressEvent("page", "site-a", status="failed"))
        announce(ProgressEvent("failed", "site-b", status="http 503 after 3 tries"))
    announce(ProgressEvent("page", "site-a"))  # after the block: nobody listens any more
    tasks = {t.description: (t.completed, t.total) for t in progress.tasks}
    assert tasks == {"site-a": (2, 3), "site-b (failed)": (1, 1)}


def test_summary_table_has_a_row_per_source_with_its_time() -> None:
    result = {
        "new_agreements": 2,
        "sources": [
            {"source": "a", "error": None, "entries": 4, "new_pages": 4, "not_modified": 0,
             "skipped": 0, "failed": 0, "new_agreements": 2, "seconds": 1.234},
            {"source": "b", "error": "boom", "entries": 0, "new_pages": 0, "not_modified": 0,
             "skipped": 0, "failed": 0, "new_agreements": 0, "seconds": 0.5},
        ],
    }  # fmt: skip
    console = Console(record=True, width=120)
    console.print(summary_table(result))
    text = console.export_text()
    assert "ingest: 2 new agreements" in text
    assert "1.2s" in text
    assert "not modified" in text
    assert text.count("\n") >= 6
