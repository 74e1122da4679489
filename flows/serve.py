"""Prefect deployments for unattended operation: ingest on a cron, a digest per profile, served."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from prefect import flow, serve
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron

from flows.config_digests import load_digest_profiles
from flows.digest import digest
from flows.ingest import ingest
from flows.runlock import hold_run_lock
from flows.settings import Settings

INGEST_DEPLOYMENT = "pactwatch-ingest"
DIGEST_DEPLOYMENT = "pactwatch-digest-{profile}"
SCHEDULED_WAIT_S = 1800.0  # a scheduled run queues behind a manual one for up to 30 minutes
WEEKLY_DAY = "1"  # Monday


@flow(name="scheduled-ingest")
def scheduled_ingest(
    sources_path: str = "sources.yaml",
    db_path: str = "warehouse/pactwatch.duckdb",
    host_overrides: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Run the ingest while holding the database's run lock (manual runs wait or exit)."""
    with hold_run_lock(Path(db_path), "scheduled-ingest", wait_s=SCHEDULED_WAIT_S):
        return ingest(sources_path, db_path, host_overrides)


@flow(name="scheduled-digest")
def scheduled_digest(
    db_path: str = "warehouse/pactwatch.duckdb",
    out_dir: str = "reports/out",
    profile: str = "default",
) -> dict[str, Any]:
    """Make one profile's digest while holding the database's run lock."""
    with hold_run_lock(Path(db_path), f"digest-{profile}", wait_s=SCHEDULED_WAIT_S):
        return digest(db_path, out_dir, profile)


def digest_cron(period: str, local_time: str) -> str:
    """Return the cron of a digest sent ``period`` (daily or weekly) at ``local_time`` (HH:MM)."""
    hour, minute = (int(part) for part in local_time.split(":"))
    day_of_week = WEEKLY_DAY if period == "weekly" else "*"
    return f"{minute} {hour} * * {day_of_week}"


def build_deployments(
    sources_path: Path, db_path: Path, out_dir: Path, settings: Settings
) -> list[RunnerDeployment]:
    """Return the ingest deployment and one digest deployment per profile."""
    deployments = [
        _sync(
            scheduled_ingest.to_deployment(
                name=INGEST_DEPLOYMENT,
                schedules=[Cron(settings.ingest_cron, timezone=settings.timezone)],
                parameters={
                    "sources_path": str(sources_path),
                    "db_path": str(db_path),
                    "host_overrides": settings.host_overrides or None,
                },
                concurrency_limit=1,
                description="Fetch every enabled source and load new agreements.",
                tags=["pactwatch", "ingest"],
            )
        )
    ]
    for profile in load_digest_profiles(sources_path, settings.recipients):
        deployments.append(
            _sync(
                scheduled_digest.to_deployment(
                    name=DIGEST_DEPLOYMENT.format(profile=profile.name),
                    schedules=[
                        Cron(
                            digest_cron(profile.period, profile.send_at), timezone=profile.timezone
                        )
                    ],
                    parameters={
                        "db_path": str(db_path),
                        "out_dir": str(out_dir),
                        "profile": profile.name,
                        "sources_path": str(sources_path),
                    },
                    concurrency_limit=1,
                    description=f"The {profile.period} digest of profile {profile.name!r}.",
                    tags=["pactwatch", "digest"],
                )
            )
        )
    return deployments


def _sync(deployment: object) -> RunnerDeployment:
    """Narrow to_deployment's sync-or-async return type; called from sync code it is sync."""
    if not isinstance(deployment, RunnerDeployment):
        raise TypeError("to_deployment returned a coroutine outside an event loop")
    return deployment


def serve_deployments(deployments: list[RunnerDeployment]) -> None:
    """Serve the deployments until stopped; schedules stay active across restarts."""
    serve(*deployments, pause_on_shutdown=False, print_starting_message=True)


def next_scheduled_runs(limit: int = 50) -> dict[str, datetime]:
    """Return the next scheduled start per deployment name, from the configured Prefect API."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType
    from prefect.client.schemas.sorting import FlowRunSort

    state = FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.SCHEDULED]))
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(state=state),
            sort=FlowRunSort.EXPECTED_START_TIME_ASC,
            limit=limit,
        )
        names = {d.id: d.name for d in client.read_deployments()}
    upcoming: dict[str, datetime] = {}
    for run in runs:
        name = names.get(run.deployment_id) if run.deployment_id else None
        if name and name not in upcoming and run.expected_start_time:
            upcoming[name] = run.expected_start_time
    return upcoming
