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

    ingest_cron: str = "0 */2 * * *"  # `pactwatch serve`: when the ingest runs
    timezone: str = "UTC"  # IANA name the crons are read in
    run_wait_s: float = Field(default=0.0, ge=0)  # how long a run queues behind another writer
    host_overrides: dict[str, str] = Field(default_factory=dict)  # {"demo.invalid": "127.0.0.1:80"}

    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_security: Literal["none", "starttls", "ssl"] = "none"
    smtp_ca_file: Path | None = None  # PEM CA bundle trusted instead of the system CAs
    smtp_timeout_s: float = Field(default=30.0, gt=0)
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
