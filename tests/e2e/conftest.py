import pytest


@pytest.fixture(scope="session")
def prefect_harness():  # type: ignore[no-untyped-def]
    """One temporary Prefect server for every flow test (it takes ~15 s to start)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
