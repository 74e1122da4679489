from pathlib import Path

import pytest

from flows.serve import DIGEST_DEPLOYMENT, INGEST_DEPLOYMENT, build_deployments, digest_cron
from flows.settings import Settings


@pytest.mark.parametrize(
    ("period", "local_time", "cron"),
    [("daily", "07:00", "0 7 * * *"), ("weekly", "18:30", "30 18 * * 1")],
)
def test_digest_cron(period: str, local_time: str, cron: str) -> None:
    assert digest_cron(period, local_time) == cron


def test_deployments_carry_schedules_parameters_and_a_concurrency_limit(monkeypatch) -> None:
    monkeypatch.setenv("PACTWATCH_INGEST_CRON", "15 */3 * * *")
    monkeypatch.setenv("PACTWATCH_TIMEZONE", "Asia/Shanghai")
    monkeypatch.setenv("PACTWATCH_HOST_OVERRIDES", '{"demo.invalid": "127.0.0.1:9"}')
    deployments = build_deployments(Path("s.yaml"), Path("w.duckdb"), Path("out"), Settings())
    names = [d.name for d in deployments]
    assert names == [INGEST_DEPLOYMENT, DIGEST_DEPLOYMENT.format(profile="default")]
    ingest, digest = deployments
    assert ingest.parameters == {
        "sources_path": "s.yaml",
        "db_path": "w.duckdb",
        "host_overrides": {"demo.invalid": "127.0.0.1:9"},
    }
    (schedule,) = ingest.schedules
    assert schedule.schedule.cron == "15 */3 * * *"
    assert schedule.schedule.timezone == "Asia/Shanghai"
    assert digest.parameters["profile"] == "default"
    assert ingest.concurrency_limit == 1
