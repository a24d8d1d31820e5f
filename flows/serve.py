"""Scheduled runs: serve the build-warehouse flow as a Prefect deployment on a cron (or interval) schedule.

Prefect's embedded server cannot schedule runs, so with no `PREFECT_API_URL` set this starts a local
`prefect server start` on a free loopback port for as long as `serve` runs, and stops it on exit. With
`PREFECT_API_URL` set, the deployment is registered on that server instead.
"""

from __future__ import annotations

import asyncio
import contextlib
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
from typing import Any

from transforms.ingest import DEFAULT_MAX_BYTES

DEFAULT_CRON = "0 6 * * *"
DEFAULT_TIMEZONE = "Asia/Shanghai"
DEPLOYMENT_NAME = "scheduled"
_SERVER_START_SECONDS = 120.0
# Local servers started by this process, stopped on the way out however `serve` ends.
_LOCAL_SERVERS: list[subprocess.Popen[bytes]] = []


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
    _LOCAL_SERVERS.append(proc)
    try:
        _wait_healthy(url, proc, log)
        os.environ["PREFECT_API_URL"] = url  # inherited by the flow-run processes the runner starts
        print(f"local Prefect server: {url} (log: {log})", flush=True)
        yield url
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        _stop(proc)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop a local server: politely, then for good."""
    if proc in _LOCAL_SERVERS:
        _LOCAL_SERVERS.remove(proc)
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _shutdown(flow_run_pids: list[int]) -> None:
    """Stop for good on SIGTERM: end the flow runs in flight, stop the local server, exit.

    Ending a flow run at any point is safe by design: a publish is an atomic file swap, and the writer lock is
    released by the kernel when its holder exits. (Prefect 3.8's own SIGTERM handler schedules a coroutine it
    never awaits, and the process keeps running.)
    """
    for pid in flow_run_pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    for proc in list(_LOCAL_SERVERS):
        _stop(proc)
    print("stopped", flush=True)
    os._exit(0)


def _runner(name: str) -> Any:
    """A Prefect runner whose SIGTERM ends the flow runs, the local server and the process."""
    from prefect.runner import Runner

    class _StoppableRunner(Runner):
        def handle_sigterm(self, *args: Any, **kwargs: Any) -> None:
            _shutdown([entry["pid"] for entry in self._flow_run_process_map.values()])

    return _StoppableRunner(name=name)


def serve(
    input_dir: Path,
    warehouse: Path,
    cron: str = DEFAULT_CRON,
    timezone: str = DEFAULT_TIMEZONE,
    interval_seconds: float | None = None,
    max_failure_share: float = 0.05,
    max_file_bytes: int = DEFAULT_MAX_BYTES,
    lock_wait_seconds: float = 600.0,
) -> None:
    """Register the scheduled deployment and run its scheduled flow runs until interrupted (Ctrl-C or SIGTERM)."""
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
            runner = _runner(DEPLOYMENT_NAME)
            runner.add_flow(
                build_warehouse,
                name=DEPLOYMENT_NAME,
                schedule=schedule,
                parameters={
                    "input_dir": str(input_dir.resolve()),
                    "warehouse": str(warehouse.resolve()),
                    "max_failure_share": max_failure_share,
                    "max_file_bytes": max_file_bytes,
                    "lock_wait_seconds": lock_wait_seconds,
                },
                concurrency_limit=1,
            )
            try:
                asyncio.run(runner.start())
            except KeyboardInterrupt:
                print("stopped", flush=True)
