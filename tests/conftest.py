"""Shared fixtures: one Prefect test server for the session, temporary warehouses and input folders."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

import flows  # noqa: F401  (applies the project's Prefect defaults before Prefect is imported)

# Property tests explore new random cases locally; under CI they replay a fixed sequence, so a red CI run is
# reproducible and never depends on luck. `HYPOTHESIS_PROFILE=ci` selects the CI behaviour anywhere.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SEEDS = PROJECT_ROOT / "seeds"


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A real, temporary Prefect server and database shared by every flow-run test of the session."""
    from prefect.settings import PREFECT_RESULTS_LOCAL_STORAGE_PATH, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    results = tmp_path_factory.mktemp("prefect-results")
    with (
        temporary_settings({PREFECT_RESULTS_LOCAL_STORAGE_PATH: results}),
        prefect_test_harness(server_startup_timeout=120),
    ):
        yield


@pytest.fixture
def seed_inputs(tmp_path: Path) -> Path:
    """A private copy of the seed reports, so a test may add or break files without touching seeds/."""
    target = tmp_path / "inbox"
    shutil.copytree(SEEDS, target)
    return target
