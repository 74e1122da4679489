"""The README stays true: its two commands, its sources.yaml example, its CLI reference."""

import re
from pathlib import Path

from click import Group

from flows.cli import cli
from flows.config import load_sources_file

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks() -> list[str]:
    return re.findall(r"^```[a-z]*\n(.*?)^```", README, flags=re.S | re.M)


def test_first_code_block_is_the_demo_line_and_the_test_line() -> None:
    lines = [line for line in _blocks()[0].splitlines() if line.strip()]
    assert lines == ["bash scripts/demo", "bash scripts/test"]


def test_ci_runs_the_readme_test_line() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/test" in ci.splitlines()


def test_readme_sources_example_validates(tmp_path: Path) -> None:
    (example,) = [b for b in _blocks() if b.lstrip().startswith("defaults:")]
    path = tmp_path / "sources.yaml"
    path.write_text(example, encoding="utf-8")
    loaded = load_sources_file(path)
    assert [s.name for s in loaded.sources] == ["example-news", "example-city"]
    assert loaded.aliases == {"Example University": ["EU", "示例大学"]}


def test_readme_digests_example_validates(tmp_path: Path) -> None:
    from flows.config_digests import load_digest_profiles

    (example,) = [b for b in _blocks() if b.lstrip().startswith("digests:")]
    path = tmp_path / "sources.yaml"
    path.write_text("sources:\n  - {name: a, kind: rss, url: 'http://a.test/f'}\n" + example)
    (profile,) = load_digest_profiles(path)
    assert (profile.name, profile.period, profile.send_at) == ("default", "daily", "07:00")
    assert profile.recipients == ("analyst@example.org", "lead@example.org")


def test_shipped_sources_file_validates() -> None:
    assert load_sources_file(ROOT / "sources.yaml").sources


def test_every_command_is_in_the_cli_reference() -> None:
    assert isinstance(cli, Group)
    for name in cli.commands:
        assert f"`pactwatch {name}" in README, f"README's command table lacks {name}"


def test_every_command_has_help_with_an_example() -> None:
    for name, command in cli.commands.items():
        assert command.help, name
        assert "Example" in command.help, name
        assert "\\b" not in command.help, f"{name}: a raw docstring hides click's \\b marker"


def test_every_image_the_readme_shows_is_in_the_repo() -> None:
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README)
    assert images
    for image in images:
        assert (ROOT / image).is_file(), image
