"""Scheduled runs: serve the build-warehouse flow as a Prefect deployment on a cron (or interval) schedule.

Prefect's embedded server cannot schedule runs, so with no `PREFECT_API_URL` set this starts a local
`prefect server start` on a free loopback port for as long as `serve` runs, and stops it on exit. With
`PREFECT_API_URL` set, the deployment is registered on that server instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from flows.settings import CHUNK_DOCUMENTS
from transforms.ingest import DEFAULT_MAX_BYTES

DEFAULT_CRON = "0 6 * * *"
DEFAULT_TIMEZONE = "Asia/Shanghai"
DEPLOYMENT_NAME = "scheduled"
# prctl(2) option: the signal a process receives when its parent dies (Linux).
_PR_SET_PDEATHSIG = 1
# How long a stopping `serve` waits for its flow runs to end after SIGTERM before killing them.
_FLOW_RUN_STOP_SECONDS = 15.0
# Local servers started by this process, stopped on the way out however `serve` ends.
_LOCAL_SERVERS: list[subprocess.Popen[bytes]] = []


class ServerStartError(RuntimeError):
    """The local Prefect server did not start or answer in time; the message says what to do."""


class ScheduleError(ValueError):
    """A cron expression, time zone or interval that cannot make a schedule; the message says which and why."""


def validate_schedule(cron: str, timezone: str, interval_seconds: float | None = None) -> None:
    """Raise ScheduleError unless `cron` (or `interval_seconds`) and `timezone` make a valid Prefect schedule.

    Checked with Prefect's own schedule model before anything starts, so a typo costs a second, not a server start.
    """
    from prefect.client.schemas.schedules import CronSchedule, IntervalSchedule
    from pydantic import ValidationError

    try:
        if interval_seconds is not None:
            if interval_seconds <= 0:
                raise ScheduleError(f"--interval must be a positive number of seconds, not {interval_seconds:g}")
            IntervalSchedule(interval=timedelta(seconds=interval_seconds), timezone=timezone)
        else:
            CronSchedule(cron=cron, timezone=timezone)
    except ValidationError as exc:
        raise ScheduleError("; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())) from None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _die_with_parent(parent_pid: int) -> Callable[[], None]:
    """A `preexec_fn` that makes the child receive SIGTERM when its parent dies, even by SIGKILL (Linux prctl).

    Elsewhere it does nothing: `serve` still stops its server on SIGTERM and Ctrl-C.
    """

    def tie() -> None:
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        except (OSError, AttributeError):
            return
        if os.getppid() != parent_pid:  # the parent died before the tie was made
            os._exit(1)

    return tie


def start_tied(args: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """Start `args` as a child process that ends when this process ends, however it ends; output to `log`."""
    with log.open("ab") as out:
        return subprocess.Popen(
            args,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            preexec_fn=_die_with_parent(os.getpid()),  # a single fork from the main thread
        )


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path, wait_seconds: float) -> None:
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServerStartError(f"the local Prefect server exited with code {proc.returncode}; see {log}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise ServerStartError(
        f"the local Prefect server did not answer within {wait_seconds:g} s (log: {log}); nothing was run. "
        "Allow it longer with REPORT_METRICS_SERVER_START_SECONDS, or set PREFECT_API_URL to a running Prefect server"
    )


def configured_api_url() -> str | None:
    """The Prefect API this process is set to use (PREFECT_API_URL, from the environment or Prefect settings)."""
    from prefect.settings import PREFECT_API_URL

    return os.environ.get("PREFECT_API_URL") or PREFECT_API_URL.value() or None


@contextmanager
def prefect_api(
    wait_seconds: float | None = None, scheduler: bool = True, while_starting: Callable[[], object] | None = None
) -> Iterator[str]:
    """The Prefect API to use: `PREFECT_API_URL` if set, else a local server started for the purpose.

    The local server lives as long as this process: it is stopped on the way out, and (on Linux) the kernel ends
    it if this process is killed. With `scheduler` it is a full `prefect server start` (scheduled runs need its
    services); without, the bare API that Prefect itself starts for a one-off run. `while_starting` is called
    while the server starts (a run imports its flow meanwhile: about 1 s of the 4 s a server takes to answer).
    Raises ServerStartError after `wait_seconds` (default: REPORT_METRICS_SERVER_START_SECONDS) without an answer.
    """
    from flows.settings import server_start_seconds

    # A scheduler needs a full server: only one named in the environment is taken as such (a test harness or a
    # one-off run's temporary API, visible in Prefect's settings, has no scheduler).
    existing = os.environ.get("PREFECT_API_URL") if scheduler else configured_api_url()
    if existing:
        if while_starting:
            while_starting()
        yield existing
        return
    home = Path(os.environ["PREFECT_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    log = home / "server.log"
    port = _free_port()
    url = f"http://127.0.0.1:{port}/api"
    if scheduler:
        args = ["-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]
        env = None
    else:  # what Prefect's own temporary server runs
        args = ["-m", "uvicorn", "--factory", "prefect.server.api.server:create_app", "--host", "127.0.0.1"]
        args += ["--port", str(port), "--log-level", "error", "--lifespan", "on"]
        env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
    proc = start_tied([sys.executable, *args], log, env)
    _LOCAL_SERVERS.append(proc)
    try:
        if while_starting:
            while_starting()
        _wait_healthy(url, proc, log, server_start_seconds() if wait_seconds is None else wait_seconds)
        os.environ["PREFECT_API_URL"] = url  # inherited by the flow-run processes the runner starts
        with _process_settings_from_environment():
            yield url
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        _stop(proc)


@contextmanager
def _process_settings_from_environment() -> Iterator[None]:
    """Make Prefect's process-wide settings read the environment as it is now, and put them back on the way out.

    A thread Prefect starts itself (the process pool's forwarder of its workers' events and logs) sees neither
    `temporary_settings` nor a later change of the environment, but the process-wide settings read when Prefect was
    imported: with no API address there, it starts a server of its own (about 10 CPU-seconds and 150 MB, measured
    on a 10,000-document run) instead of sending to this one.
    """
    import prefect.context

    before = prefect.context.GLOBAL_SETTINGS_CONTEXT
    prefect.context.refresh_global_settings_context()
    try:
        yield
    finally:
        prefect.context.GLOBAL_SETTINGS_CONTEXT = before


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


def _children() -> list[int]:
    """Process ids of this process's children (the flow runs a runner started), read from /proc."""
    me = os.getpid()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            stat_line = (entry / "stat").read_text()
            if int(stat_line.rsplit(")", 1)[1].split()[1]) == me:
                found.append(int(entry.name))
    return found


def _shutdown(*_: object) -> None:
    """Stop for good on SIGTERM: end the flow runs in flight, stop the local server, exit.

    Ending a flow run at any point is safe by design: a publish is an atomic file swap, and the writer lock is
    released by the kernel when its holder exits. (Prefect 3.8's own SIGTERM handler schedules a coroutine it
    never awaits, and the process keeps running.)
    """
    servers = {proc.pid for proc in _LOCAL_SERVERS}
    flow_runs = [pid for pid in _children() if pid not in servers]
    for pid in flow_runs:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    _wait_ended(flow_runs, _FLOW_RUN_STOP_SECONDS)  # their last words come before ours
    for proc in list(_LOCAL_SERVERS):
        _stop(proc)
    print("stopped", flush=True)
    os._exit(0)


def _wait_ended(pids: list[int], seconds: float) -> None:
    """Reap the given children, waiting up to `seconds` for them to end; any still running then is killed."""
    deadline = time.monotonic() + seconds
    waiting = set(pids)
    while waiting and time.monotonic() < deadline:
        for pid in list(waiting):
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:  # already reaped
                done = pid
            if done:
                waiting.discard(pid)
        time.sleep(0.1)
    for pid in waiting:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


async def _run_until_stopped(runner: Any) -> None:
    """Run the runner; once it has installed its own SIGTERM handler, put ours (`_shutdown`) back in its place."""
    started = asyncio.ensure_future(runner.start())
    await asyncio.sleep(0)  # Runner.start installs its handler before its first await
    signal.signal(signal.SIGTERM, _shutdown)
    await started


def serve(
    input_dir: Path,
    warehouse: Path,
    cron: str = DEFAULT_CRON,
    timezone: str = DEFAULT_TIMEZONE,
    interval_seconds: float | None = None,
    max_failure_share: float = 0.05,
    max_file_bytes: int = DEFAULT_MAX_BYTES,
    lock_wait_seconds: float = 600.0,
    follow_symlinks_outside: bool = False,
    analysis_timeout_seconds: float = 300.0,
    workers: int | None = None,
    dask_address: str | None = None,
    chunk_documents: int = CHUNK_DOCUMENTS,
    pool_min_characters: int | None = None,
) -> None:
    """Register the scheduled deployment and run its scheduled flow runs until interrupted (Ctrl-C or SIGTERM).

    Each flow run analyses its documents where `dask_address` and `workers` say (see `build_warehouse`).
    Raises ScheduleError for a bad schedule (before anything starts) and ServerStartError when a local server
    does not answer in time.
    """
    validate_schedule(cron, timezone, interval_seconds)
    signal.signal(signal.SIGTERM, _shutdown)  # also while the local server is starting
    local = not os.environ.get("PREFECT_API_URL")
    with prefect_api() as url:
        from prefect.runner import Runner
        from prefect.schedules import Cron, Interval
        from prefect.settings import PREFECT_API_URL, temporary_settings

        from flows.pipeline import build_warehouse

        if local:
            print(f"local Prefect server: {url} (log: {Path(os.environ['PREFECT_HOME']) / 'server.log'})", flush=True)
        schedule = (
            Interval(timedelta(seconds=interval_seconds), timezone=timezone)
            if interval_seconds
            else Cron(cron, timezone=timezone)
        )
        when = f"every {interval_seconds:g} s" if interval_seconds else f"cron '{cron}' ({timezone})"
        print(f"serving deployment build-warehouse/{DEPLOYMENT_NAME}: {when}, inbox {input_dir}", flush=True)
        print(
            f"watch runs: PREFECT_API_URL={url} prefect flow-run ls  (API docs: {url.removesuffix('/api')}/docs); "
            "one line per finished run follows",
            flush=True,
        )
        with temporary_settings({PREFECT_API_URL: url}):
            runner = Runner(name=DEPLOYMENT_NAME)
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
                    "follow_symlinks_outside": follow_symlinks_outside,
                    "analysis_timeout_seconds": analysis_timeout_seconds,
                    "workers": workers,
                    "dask_address": dask_address,
                    "chunk_documents": chunk_documents,
                    "pool_min_characters": pool_min_characters,
                },
                concurrency_limit=1,
            )
            try:
                asyncio.run(_run_until_stopped(runner))
            except KeyboardInterrupt:
                print("stopped", flush=True)
