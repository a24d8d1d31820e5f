"""Scheduled runs for real: `report-metrics serve` on a short interval starts a local Prefect server, and its
scheduled flow runs publish the warehouse; SIGTERM stops it and its server."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

from flows.serve import prefect_api

pytestmark = pytest.mark.slow


def _published_runs(warehouse: Path) -> list[tuple[str, int]]:
    if not warehouse.exists():
        return []
    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            return con.execute("select status, documents_new from runs order by started_at").fetchall()
    except duckdb.Error:
        return []  # mid-swap on a slow disk: look again


def _finished_lines(out: str) -> list[str]:
    """What each line that serve printed for a finished run says: the documents-new count of a `run …: published
    …` line, or `nothing new` for a run that found nothing new to publish."""
    found = re.findall(r"^run [0-9a-f]{32}: (?:published .*metrics\.duckdb: (\d+) new|(nothing new) in )", out, re.M)
    return [count or nothing for count, nothing in found]


def _serve_until_two_runs(seed_inputs: Path, tmp_path: Path, api_url: str | None) -> str:
    """Run `report-metrics serve --interval 3` until two scheduled runs have finished, the first publishing and
    the next finding nothing new; returns its output."""
    warehouse = tmp_path / "metrics.duckdb"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    if api_url:
        env["PREFECT_API_URL"] = api_url
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "flows.cli",
            "serve",
            "--interval",
            "3",
            "--input",
            str(seed_inputs),
            "--warehouse",
            str(warehouse),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 240
        runs: list[tuple[str, int]] = []
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(2)
            runs = _published_runs(warehouse)
            if len(runs) >= 1 and len(_finished_lines((tmp_path / "serve.log").read_text())) >= 2:
                break
        # the first scheduled run loads both seed reports; the next ones find nothing new and publish nothing
        assert runs == [("published", 2)], (tmp_path / "serve.log").read_text()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        log.close()
    assert proc.returncode == 0
    out = (tmp_path / "serve.log").read_text()
    assert "serving deployment build-warehouse/scheduled: every 3 s" in out
    assert re.search(r"^watch runs: PREFECT_API_URL=http://127\.0\.0\.1:\d+/api prefect flow-run ls", out, re.M)
    assert _finished_lines(out)[:2] == ["2", "nothing new"]  # one line per finished scheduled run
    assert out.rstrip().endswith("stopped")
    return out


def test_short_schedule_triggers_runs_that_publish(seed_inputs: Path, tmp_path: Path) -> None:
    out = _serve_until_two_runs(seed_inputs, tmp_path, api_url=None)
    match = re.search(r"local Prefect server: (http://127\.0\.0\.1:\d+/api)", out)
    assert match is not None
    with pytest.raises(OSError):  # SIGTERM stopped the local server with the runner
        urllib.request.urlopen(f"{match.group(1)}/health", timeout=5)


def test_serve_uses_an_existing_prefect_server(
    seed_inputs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "server-home"))
    with prefect_api() as url:  # a separate, already running server
        out = _serve_until_two_runs(seed_inputs, tmp_path, api_url=url)
    assert "local Prefect server" not in out


def test_a_local_server_is_the_api_of_threads_prefect_starts_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A thread started without the caller's context (as Prefect's process pool starts its forwarder of worker
    events) must send to the run's server, not start a server of its own."""
    import threading

    from prefect.settings import PREFECT_API_URL

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "server-home"))
    seen: list[object] = []

    def read_setting() -> None:
        seen.append(PREFECT_API_URL.value())

    before = threading.Thread(target=read_setting)
    before.start()
    before.join()
    with prefect_api(scheduler=False) as url:
        inside = threading.Thread(target=read_setting)
        inside.start()
        inside.join()
    after = threading.Thread(target=read_setting)
    after.start()
    after.join()
    assert seen[1] == url
    assert seen[2] == seen[0]  # put back as it was
