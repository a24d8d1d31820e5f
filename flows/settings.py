"""Run settings, read once from the environment with local defaults anchored to the project folder."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from transforms.ingest import DEFAULT_MAX_BYTES

# Most documents in one analysis task run (a chunk, see `flows.analysis`). A task run costs its worker and the Prefect
# server about 0.1 CPU-s however small (48 more empty chunks on a pool of two: +4.3 to +6.3 CPU-s), so chunks of 500
# reports of 3,700 characters (3 s of analysis) keep that under 4 %, a 100,000-document run to 200 task runs, and a
# chunk lost with its worker still costs little to analyse again.
CHUNK_DOCUMENTS = 500

PROJECT_ROOT = Path(__file__).resolve().parents[1]
_TRUE = frozenset({"1", "true", "yes", "on"})

# Prefect defaults for an embedded, quiet, offline run. Set only when the user has not set them, so an existing
# Prefect server (PREFECT_API_URL) or a user's own PREFECT_HOME still wins.
PREFECT_DEFAULTS: dict[str, str] = {
    "PREFECT_HOME": str(PROJECT_ROOT / ".prefect"),
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": os.environ.get("REPORT_METRICS_SERVER_START_SECONDS", "300"),
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_CLI_PROMPT": "false",
    "PREFECT_UI_ENABLED": "false",
}


def configure_prefect_environment() -> None:
    """Apply PREFECT_DEFAULTS to the process environment before Prefect is imported."""
    for key, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(key, value)


@dataclass(frozen=True, slots=True)
class Settings:
    """Where a run reads and writes, how many failing rows it tolerates before refusing to publish, the largest
    input file it reads, whether it follows symbolic links out of the input folder, how long it waits for a
    local Prefect server to start, how long one document's analysis may take before it is rejected, and where the
    analysis runs: on the Dask cluster at `dask_address`, else on `workers` local processes (None: every core)."""

    input_dir: Path
    warehouse_path: Path
    max_failure_share: float
    max_file_bytes: int
    lock_wait_seconds: float
    follow_symlinks_outside: bool = False
    server_start_seconds: float = 300.0
    analysis_timeout_seconds: float = 300.0
    workers: int | None = None
    dask_address: str | None = None
    chunk_documents: int = CHUNK_DOCUMENTS
    pool_min_characters: int | None = None

    @classmethod
    def from_env(cls) -> Settings:
        """Settings from REPORT_METRICS_* environment variables, defaulting to the project's seeds and warehouse."""
        return cls(
            input_dir=Path(os.environ.get("REPORT_METRICS_INPUT", PROJECT_ROOT / "seeds")),
            warehouse_path=Path(
                os.environ.get("REPORT_METRICS_WAREHOUSE", PROJECT_ROOT / "warehouse" / "metrics.duckdb")
            ),
            max_failure_share=float(os.environ.get("REPORT_METRICS_MAX_FAILURE_SHARE", "0.05")),
            max_file_bytes=int(os.environ.get("REPORT_METRICS_MAX_FILE_BYTES", DEFAULT_MAX_BYTES)),
            lock_wait_seconds=float(os.environ.get("REPORT_METRICS_LOCK_WAIT_SECONDS", "600")),
            follow_symlinks_outside=os.environ.get("REPORT_METRICS_FOLLOW_SYMLINKS", "").lower() in _TRUE,
            server_start_seconds=server_start_seconds(),
            analysis_timeout_seconds=float(os.environ.get("REPORT_METRICS_ANALYSIS_TIMEOUT_SECONDS", "300")),
            workers=_int_or_none("REPORT_METRICS_WORKERS"),
            dask_address=os.environ.get("REPORT_METRICS_DASK_ADDRESS") or None,
            chunk_documents=int(os.environ.get("REPORT_METRICS_CHUNK_DOCUMENTS", CHUNK_DOCUMENTS)),
            pool_min_characters=_int_or_none("REPORT_METRICS_POOL_MIN_CHARACTERS"),
        )


def _int_or_none(name: str) -> int | None:
    value = os.environ.get(name, "").strip()
    return int(value) if value else None


def server_start_seconds() -> float:
    """How long to wait for a local Prefect server to answer (REPORT_METRICS_SERVER_START_SECONDS, default 300)."""
    return float(os.environ.get("REPORT_METRICS_SERVER_START_SECONDS", "300"))


def local_cores() -> int:
    """The processors this process may run on (a CPU affinity or container limit counts), at least one."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
