"""Scheduled runs: serve the build-warehouse flow as a Prefect deployment on a cron (or interval) schedule.

Prefect's embedded server cannot schedule runs, so with no `PREFECT_API_URL` set this starts a local
`prefect server start` on a free loopback port for as long as `serve` runs, and stops it on exit. With
`PREFECT_API_URL` set, the deployment is registered on that server instead.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from transforms.ingest import DEFAULT_MAX_BYTES

DEFAULT_CRON = "0 6 * * *"
DEFAULT_TIMEZONE = "Asia/Shanghai"
DEPLOYMENT_NAME = "scheduled"
_SERVER_START_SECONDS = 120.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + _SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"local Prefect server exited with code {proc.returncode}; see {log}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"local Prefect server did not answer within {_SERVER_START_SECONDS:g} s; see {log}")


@contextmanager
def prefect_api() -> Iterator[str]:
    """The Prefect API to serve against: `PREFECT_API_URL` if set, else a local server started for the purpose."""
    existing = os.environ.get("PREFECT_API_URL")
    if existing:
        yield existing
        return
    home = Path(os.environ["PREFECT_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    log = home / "server.log"
    port = _free_port()
    url = f"http://127.0.0.1:{port}/api"
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        _wait_healthy(url, proc, log)
        os.environ["PREFECT_API_URL"] = url  # inherited by the flow-run processes the runner starts
        print(f"local Prefect server: {url} (log: {log})", flush=True)
        yield url
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM ends `serve` like Ctrl-C does, so the local server is stopped on the way out."""
    raise KeyboardInterrupt


def serve(
    input_dir: Path,
    warehouse: Path,
    cron: str = DEFAULT_CRON,
    timezone: str = DEFAULT_TIMEZONE,
    interval_seconds: float | None = None,
    max_failure_share: float = 0.05,
    max_file_bytes: int = DEFAULT_MAX_BYTES,
) -> None:
    """Register the scheduled deployment and run its scheduled flow runs until interrupted (Ctrl-C or SIGTERM)."""
    signal.signal(signal.SIGTERM, _interrupt)
    with prefect_api() as url:
        from prefect.schedules import Cron, Interval
        from prefect.settings import PREFECT_API_URL, temporary_settings

        from flows.pipeline import build_warehouse

        schedule = (
            Interval(timedelta(seconds=interval_seconds), timezone=timezone)
            if interval_seconds
            else Cron(cron, timezone=timezone)
        )
        when = f"every {interval_seconds:g} s" if interval_seconds else f"cron '{cron}' ({timezone})"
        print(f"serving deployment build-warehouse/{DEPLOYMENT_NAME}: {when}, inbox {input_dir}", flush=True)
        with temporary_settings({PREFECT_API_URL: url}):
            try:
                build_warehouse.serve(
                    name=DEPLOYMENT_NAME,
                    schedule=schedule,
                    parameters={
                        "input_dir": str(input_dir.resolve()),
                        "warehouse": str(warehouse.resolve()),
                        "max_failure_share": max_failure_share,
                        "max_file_bytes": max_file_bytes,
                    },
                    global_limit=1,
                    print_starting_message=False,
                )
            except KeyboardInterrupt:
                print("stopped", flush=True)
