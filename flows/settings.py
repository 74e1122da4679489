"""Deployment settings from PACTWATCH_* environment variables, built on demand, secrets masked."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

VERSION = "0.1.0"


class Settings(BaseSettings):
    """Everything that differs between machines; never read at import time."""

    model_config = SettingsConfigDict(env_prefix="PACTWATCH_", extra="ignore")

    db_path: Path = Path("warehouse/pactwatch.duckdb")
    sources_path: Path = Path("sources.yaml")
    out_dir: Path = Path("reports/out")
    contact_url: str = "https://github.com/pactwatch/pactwatch"
    max_page_bytes: int = Field(default=5_000_000, ge=10_000)

    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_security: Literal["none", "starttls", "ssl"] = "none"
    digest_from: str = "pactwatch@localhost"
    digest_to: str = ""  # comma-separated recipients of the default profile

    @property
    def user_agent(self) -> str:
        """Return the User-Agent that names pactwatch and where to reach its operator."""
        return f"pactwatch/{VERSION} (+{self.contact_url})"

    @property
    def recipients(self) -> list[str]:
        """Return the default profile's recipients."""
        return [r.strip() for r in self.digest_to.split(",") if r.strip()]
