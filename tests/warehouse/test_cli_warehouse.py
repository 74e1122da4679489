import csv
import json
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from flows.cli import EXIT_BUSY, cli
from warehouse.db import connect, fetch_all, transaction
from warehouse.ingest_store import store_batch

NOW_TEXT = "2026-11-26"


@pytest.fixture
def db(tmp_path: Path, report) -> Path:
    """Three reports: two of one Alpha-Beta signing (two sites), one Gamma-Delta signing."""
    path = tmp_path / "w.duckdb"
    reports = [
        report(
            "http://a.test/1",
            "Alpha and Beta signed.",
            ("Alpha", "Beta"),
            date(2026, 11, 18),
            date(2026, 11, 18),
        ),
        report(
            "http://b.test/9",
            "Beta, Alpha sign deal.",
            ("Beta", "Alpha"),
            date(2026, 11, 18),
            date(2026, 11, 19),
            "site-b",
        ),
        report(
            "http://a.test/2",
            "Gamma and Delta sign.",
            ("Delta", "Gamma"),
            None,
            date(2026, 10, 2),
        ),
    ]
    with connect(path) as con, transaction(con):
        store_batch(con, [p for p, _ in reports], [r for _, r in reports], date_time())
    return path


def date_time():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_agreements_json_lists_each_signing_once_with_its_sources(db: Path) -> None:
    code, out, _ = run("agreements", "--db", str(db), "--json")

    assert code == 0
    rows = json.loads(out)
    assert [r["parties_canonical"] for r in rows] == [["Alpha", "Beta"], ["Delta", "Gamma"]]
    assert [s["url"] for s in rows[0]["sources"]] == ["http://a.test/1", "http://b.test/9"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--party", "gam"), [["Delta", "Gamma"]]),
        (("--type", "mou"), []),
        (("--since", "2026-11-01"), [["Alpha", "Beta"]]),
    ],
)
def test_agreements_filters(db: Path, args: tuple[str, ...], expected: list[list[str]]) -> None:
    code, out, _ = run("agreements", "--db", str(db), "--json", *args)

    assert code == 0
    assert [r["parties_canonical"] for r in json.loads(out)] == expected


def test_agreements_table_is_readable(db: Path) -> None:
    code, out, _ = run("agreements", "--db", str(db))

    assert code == 0
    assert "2 agreements" in out
    assert [line.split()[2] for line in out.splitlines() if "2026-11-18" in line] == ["Alpha"]
    assert "Beta" in out
    assert "2026-11-18" in out


def test_retracted_agreements_are_listed_only_with_all(db: Path) -> None:
    with connect(db) as con:
        con.execute("UPDATE agreements SET status = 'retracted' WHERE 'Gamma' IN parties")

    assert len(json.loads(run("agreements", "--db", str(db), "--json")[1])) == 1
    assert len(json.loads(run("agreements", "--db", str(db), "--json", "--all")[1])) == 2


def test_export_articles_jsonl_is_in_the_scorer_schema(
    db: Path, tmp_path: Path, shared_dir: Path
) -> None:
    output = tmp_path / "articles.jsonl"
    code, _, err = run("export", "--db", str(db), "--what", "articles", "--output", str(output))

    assert code == 0, err
    lines = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert {
        "url",
        "title",
        "published",
        "lang",
        "is_signing",
        "agreements",
        "background_agreements",
    } <= set(lines[0])
    alpha = [line for line in lines if "Alpha" in line["agreements"][0]["parties_canonical"]]
    assert len({line["agreements"][0]["agreement_id"] for line in alpha}) == 1  # one signing
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        "".join(
            json.dumps(
                {
                    "id": line["id"],
                    "is_signing": True,
                    "agreements": [
                        {
                            "parties_canonical": line["agreements"][0]["parties_canonical"],
                            "agreement_type": "strategic_cooperation",
                        }
                    ],
                }
            )
            + "\n"
            for line in lines
        ),
        encoding="utf-8",
    )
    scorer = shared_dir / "tools" / "score_extraction.py"
    scored = subprocess.run(
        [sys.executable, str(scorer), str(gold), str(output), "--json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    metrics = json.loads(scored.stdout)
    assert metrics["missing_predictions"] == 0
    assert metrics["detection"]["f1"] == 1.0


def test_export_agreements_csv_and_parquet(db: Path, tmp_path: Path) -> None:
    as_csv, as_parquet = tmp_path / "a.csv", tmp_path / "a.parquet"
    for fmt, path in (("csv", as_csv), ("parquet", as_parquet)):
        code, _, err = run(
            "export",
            "--db",
            str(db),
            "--what",
            "agreements",
            "--format",
            fmt,
            "--output",
            str(path),
        )
        assert code == 0, err

    with as_csv.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [json.loads(r["parties_canonical"]) for r in rows] == [
        ["Alpha", "Beta"],
        ["Delta", "Gamma"],
    ]
    assert len(json.loads(rows[0]["sources"])) == 2
    with connect(tmp_path / "read.duckdb") as con:
        back = fetch_all(
            con,
            "SELECT agreement_id, len(sources) FROM read_parquet(?) ORDER BY 2 DESC",
            [str(as_parquet)],
        )
    assert [n for _, n in back] == [2, 1]
    assert [r["agreement_id"] for r in rows] == [i for i, _ in back]


def test_export_pages_keeps_metadata(db: Path, tmp_path: Path) -> None:
    output = tmp_path / "pages.jsonl"
    code, _, _ = run("export", "--db", str(db), "--what", "pages", "--output", str(output))

    assert code == 0
    lines = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert {line["url"] for line in lines} == {
        "http://a.test/1",
        "http://b.test/9",
        "http://a.test/2",
    }
    assert all(line["stored_bytes"] > 0 and line["status"] == "fetched" for line in lines)


def test_reextract_cli_prints_counts(db: Path) -> None:
    code, out, err = run("reextract", "--db", str(db), "--workers", "1", "--json")

    assert code == 0, err
    result = json.loads(out)
    assert result["pages"] == 3  # synthetic pages are too short to be articles: all removed
    assert (result["removed_articles"], result["deleted"]) == (3, 2)


@pytest.fixture
def busy(db: Path):  # type: ignore[no-untyped-def]
    """Another process holding the database's write lock."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys, duckdb
                con = duckdb.connect({str(db)!r})
                print("locked", flush=True)
                sys.stdin.read()
                """
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "locked"
    yield holder
    holder.communicate("")


@pytest.mark.parametrize(
    "command",
    [
        ("agreements",),
        ("export", "--what", "pages", "--output", "/dev/null"),
        ("reextract", "--workers", "1"),
        ("agreements", "--wait", "0.3"),
    ],
)
def test_a_busy_database_exits_75_naming_the_holder(
    db: Path, busy, command: tuple[str, ...]
) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(*command, "--db", str(db))

    assert code == EXIT_BUSY
    assert f"process {busy.pid}" in err
    assert "--wait" in err
    assert "Traceback" not in err
