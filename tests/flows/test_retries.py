"""Which task failures are retried: I/O errors on the warehouse file are, logic and data errors are not."""

from __future__ import annotations

import duckdb
import pytest
from prefect.states import Completed, Failed

from flows.pipeline import is_transient_io_failure
from warehouse.backend import WarehouseFull


@pytest.mark.parametrize(
    ("error", "retried"),
    [
        pytest.param(OSError(5, "Input/output error"), True, id="disk_io_error"),
        pytest.param(duckdb.IOException("Could not read enough bytes"), True, id="duckdb_io_error"),
        pytest.param(ValueError("bad value"), False, id="logic_error"),
        pytest.param(duckdb.ConstraintException("NOT NULL constraint failed"), False, id="data_error"),
        pytest.param(WarehouseFull("No space left on device (metrics.duckdb)"), False, id="full_disk"),
    ],
)
def test_retry_only_io_failures(error: Exception, retried: bool) -> None:
    assert is_transient_io_failure(None, None, Failed(data=error)) is retried


def test_completed_state_is_not_retried() -> None:
    assert is_transient_io_failure(None, None, Completed(data=1)) is False
