"""`pactwatch sources check`: validates, probes over loopback, stores nothing, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from flows.cli import cli
from flows.local_site import serve_folder


def write_sources(tmp_path: Path, base: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(
        "defaults: {min_delay_s: 0}\nsources:\n"
        f"  - {{name: lakeside, kind: rss, url: '{base}lakeside-wire.test/rss.xml'}}\n"
        f"  - {{name: gone, kind: atom, url: '{base}nowhere/atom.xml'}}\n"
        f"  - {{name: resting, kind: rss, url: '{base}x.xml', enabled: false}}\n",
        encoding="utf-8",
    )
    return path


def test_check_probes_enabled_sources_and_reports_json(tmp_path: Path, fixture_sites: Path) -> None:
    with serve_folder(fixture_sites) as base:
        path = write_sources(tmp_path, base)
        result = CliRunner().invoke(cli, ["sources", "check", "--sources", str(path), "--json"])

    probes = {p["source"]: p for p in map(json.loads, result.output.splitlines())}
    assert result.exit_code == 1  # one source is broken
    assert set(probes) == {"lakeside", "gone"}
    assert probes["lakeside"]["ok"] is True
    assert probes["lakeside"]["entries"] == 3  # the three items of rss.xml
    assert probes["lakeside"]["robots_allowed"] is True
    assert (probes["gone"]["ok"], probes["gone"]["error"]) == (False, "http 404")
    assert list(tmp_path.iterdir()) == [path]  # nothing stored


def test_check_prints_a_table(tmp_path: Path, fixture_sites: Path) -> None:
    with serve_folder(fixture_sites) as base:
        path = write_sources(tmp_path, base)
        result = CliRunner().invoke(cli, ["sources", "check", "--sources", str(path)])

    assert "lakeside" in result.output
    assert "http 404" in result.output
    assert "1 disabled not probed" in result.output


def test_check_with_an_invalid_file_exits_3(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text("sources:\n  - {name: x, kind: rss, url: 'http://a.test/', colour: red}\n")

    result = CliRunner().invoke(cli, ["sources", "check", "--sources", str(path)])

    assert result.exit_code == 3
    assert "source 'x': colour" in result.output
