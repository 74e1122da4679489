import json
from pathlib import Path

from click.testing import CliRunner

from flows.cli import EXIT_BUSY, cli
from flows.runlock import hold_run_lock


def test_config_show_masks_the_smtp_password(monkeypatch) -> None:
    monkeypatch.setenv("PACTWATCH_SMTP_PASSWORD", "hunter2-secret")
    monkeypatch.setenv("PACTWATCH_SMTP_HOST", "mail.example.org")
    result = CliRunner().invoke(cli, ["config", "show", "--json"])
    assert result.exit_code == 0, result.output
    values = json.loads(result.output)
    assert values["smtp_password"] == "***"
    assert values["smtp_host"] == "mail.example.org"
    assert "hunter2" not in result.output


def test_status_and_runs_on_a_new_database(tmp_path: Path) -> None:
    db_path = tmp_path / "w.duckdb"
    status = CliRunner().invoke(cli, ["status", "--db", str(db_path), "--json"])
    assert status.exit_code == 0, status.output
    assert json.loads(status.output) == {"sources": [], "digests": [], "next_runs": {}}
    runs = CliRunner().invoke(cli, ["runs", "--db", str(db_path), "--json"])
    assert runs.exit_code == 0, runs.output
    assert json.loads(runs.output) == []


def test_manual_ingest_while_another_run_holds_the_lock_exits_75(tmp_path: Path) -> None:
    db_path = tmp_path / "w.duckdb"
    sources = tmp_path / "sources.yaml"
    sources.write_text(
        "sources:\n  - {name: a, kind: rss, url: 'http://127.0.0.1:9/feed.xml'}\n", encoding="utf-8"
    )
    with hold_run_lock(db_path, "scheduled-ingest"):
        result = CliRunner().invoke(
            cli, ["ingest", "--sources", str(sources), "--db", str(db_path)]
        )
    assert result.exit_code == EXIT_BUSY
    assert "scheduled-ingest" in result.output
    assert "--wait" in result.output


def test_bad_config_exits_3_with_a_message_naming_the_field(tmp_path: Path) -> None:
    sources = tmp_path / "sources.yaml"
    sources.write_text("sources:\n  - {name: a, kind: html_listing, url: 'http://x.test/'}\n")
    result = CliRunner().invoke(
        cli, ["ingest", "--sources", str(sources), "--db", str(tmp_path / "w.duckdb")]
    )
    assert result.exit_code == 3
    assert "source 'a': item_selector" in result.output
