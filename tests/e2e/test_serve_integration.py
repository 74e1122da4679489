"""A real Prefect server, `pactwatch serve` against the demo site, a triggered ingest deployment."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from warehouse.db import connect, fetch_all

pytestmark = pytest.mark.flow
BIN = Path(sys.executable).parent
DEPLOYMENT = "scheduled-ingest/pactwatch-ingest"
FINAL_STATES = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(check: Callable[[], Any], timeout_s: float, what: str) -> Any:
    """Poll ``check`` until it returns something truthy; fail naming ``what`` after the timeout."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            value = check()
        except requests.RequestException:
            value = None
        if value:
            return value
        time.sleep(0.5)  # polling a condition on another process, not a fixed wait
    pytest.fail(f"timed out after {timeout_s:.0f}s waiting for {what}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # serve ignores SIGINT in the background (trap 9)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def prefect_server(tmp_path: Path) -> Iterator[dict[str, str]]:
    port = _free_port()
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_UI_ENABLED": "false",
        "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "2",
        "PREFECT_API_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{tmp_path / 'prefect.db'}",
    }
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        health = f"http://127.0.0.1:{port}/api/health"
        _wait_for(lambda: requests.get(health, timeout=2).ok, 120, "the Prefect server")
        yield env
    finally:
        _stop(server)
        log.close()


def test_served_ingest_deployment_runs_on_demand(
    prefect_server: dict[str, str], tmp_path: Path
) -> None:
    from flows.local_site import serve_folder

    api = prefect_server["PREFECT_API_URL"]
    folder = Path(str(resources.files("flows") / "demo_site"))
    db_path = tmp_path / "served.duckdb"
    with serve_folder(folder / "site") as base_url:
        env = {
            **prefect_server,
            "PACTWATCH_HOST_OVERRIDES": json.dumps({"demo.invalid": urlsplit(base_url).netloc}),
            "PACTWATCH_INGEST_CRON": "0 0 * * *",
        }
        log = (tmp_path / "serve.log").open("wb")
        serve = subprocess.Popen(
            [str(BIN / "pactwatch"), "serve", "--sources", str(folder / "sources.yaml"),
             "--db", str(db_path), "--out", str(tmp_path / "out")],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deployment = _wait_for(
                lambda: _get(f"{api}/deployments/name/{DEPLOYMENT}"), 90, "the ingest deployment"
            )
            scheduled = _wait_for(
                lambda: _scheduled_runs(api, deployment["id"]), 60, "cron runs to be scheduled"
            )
            assert scheduled, "the server created no scheduled run for the cron (trap 3)"
            run = _post_created(f"{api}/deployments/{deployment['id']}/create_flow_run", {})
            final = _wait_for(lambda: _final_state(api, run["id"]), 180, "the triggered run")
            assert final == "COMPLETED", (tmp_path / "serve.log").read_text(errors="replace")[
                -3000:
            ]
        finally:
            _stop(serve)
            log.close()
    with connect(db_path) as con:
        assert fetch_all(con, "SELECT count(*) FROM agreements") == [(5,)]
        assert fetch_all(con, "SELECT count(*) FROM agreement_sources") == [(6,)]


def _post_created(url: str, body: dict[str, Any], timeout_s: float = 60) -> Any:
    """POST until the server answers 201, retrying the 503 it sends while its SQLite is busy.

    Prefect's server turns SQLITE_BUSY into a 503 that its own client retries; on a loaded 2-core
    machine the scheduler loop and `serve` registering deployments make that contention common, so
    a raw HTTP call has to retry the same way. Any other status fails the test at once.
    """
    deadline = time.monotonic() + timeout_s
    while True:
        response = requests.post(url, json=body, timeout=30)
        if response.status_code == 201:
            return response.json()
        assert response.status_code in {429, 503}, (response.status_code, response.text)
        assert time.monotonic() < deadline, f"server still busy after {timeout_s:.0f}s"
        time.sleep(1)  # back off before retrying a busy server, as Prefect's client does


def _get(url: str) -> Any:
    response = requests.get(url, timeout=5)
    return response.json() if response.ok else None


def _scheduled_runs(api: str, deployment_id: str) -> list[Any]:
    body = {
        "deployments": {"id": {"any_": [deployment_id]}},
        "flow_runs": {"state": {"type": {"any_": ["SCHEDULED"]}}},
    }
    response = requests.post(f"{api}/flow_runs/filter", json=body, timeout=5)
    return list(response.json()) if response.ok else []


def _final_state(api: str, run_id: str) -> str | None:
    state = (_get(f"{api}/flow_runs/{run_id}") or {}).get("state") or {}
    return state.get("type") if state.get("type") in FINAL_STATES else None
