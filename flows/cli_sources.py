"""`pactwatch` commands for the sources area, registered on the group in flows/cli.py."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
