"""Faults an operator meets, with real processes: a warehouse held open for writing, a full disk, a local Prefect
server whose parent dies or is stopped while it starts, a server slower than the allowed wait, a bad schedule."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows.cli import main
from flows.pipeline import build_warehouse

PROJECT_ROOT = Path(__file__).resolve().parents[2]

_HOLD_FOR_WRITING = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("select 1").fetchall()
print("holding", flush=True)
time.sleep(600)
"""


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    return {**env, **extra}


def _alive(pid: int) -> bool:
    """True while `pid` runs (a zombie waiting to be reaped by init counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                pass
    return found


def _gone_within(pids: list[int], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(_alive(pid) for pid in pids):
            return True
        time.sleep(0.2)
    return False


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_server")
def test_a_warehouse_held_for_writing_is_not_called_corrupt_and_is_never_rebuilt(
    seed_inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    warehouse = tmp_path / "metrics.duckdb"
    assert build_warehouse(seed_inputs, warehouse).published
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_FOR_WRITING, str(warehouse)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        capsys.readouterr()
        for extra in ([], ["--rebuild"]):
            assert main(["run", "--input", str(seed_inputs), "--warehouse", str(warehouse), *extra]) == 1
            out, err = capsys.readouterr()
            assert f"pid {holder.pid}" in err and "held open for writing" in err
            assert "--rebuild" not in err and "cannot be read" not in err
            assert "in the warehouse: 0" not in out and "none published: the warehouse is unchanged" in out
        assert not list(tmp_path.glob("metrics.duckdb.broken-*"))  # the healthy file was not renamed
    finally:
        holder.kill()
        holder.wait()
    assert build_warehouse(seed_inputs, warehouse).succeeded  # once closed, runs go on (here: nothing new)


@pytest.fixture
def small_disk(tmp_path: Path) -> object:
    """A real 24 MiB tmpfs, mounted for the test (needs root; skipped otherwise)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(disk: Path, leave: int) -> None:
    """Fill `disk` until only `leave` bytes are free."""
    stats = os.statvfs(disk)
    free = stats.f_bavail * stats.f_frsize
    with (disk / "filler").open("wb") as fh:
        fh.truncate(0)
        chunk = b"\0" * (1 << 20)
        remaining = max(0, free - leave)
        while remaining > 0:
            fh.write(chunk[: min(len(chunk), remaining)])
            remaining -= min(len(chunk), remaining)


@pytest.mark.slow
@pytest.mark.usefixtures("prefect_server")
@pytest.mark.parametrize("room", ["none", "for the copy only"])
def test_a_full_disk_during_publish_is_one_line_and_loses_nothing(
    seed_inputs: Path, small_disk: Path, room: str, capsys: pytest.CaptureFixture[str]
) -> None:
    warehouse = small_disk / "metrics.duckdb"
    assert build_warehouse(seed_inputs, warehouse).published
    published = warehouse.read_bytes()
    (seed_inputs / "new.txt").write_text("今年以来,区法院新收案件1379件,结案1000件,结案率69.11%。", encoding="utf-8")
    _fill(small_disk, 64 * 1024 if room == "none" else len(published) + 64 * 1024)
    capsys.readouterr()
    assert main(["run", "--input", str(seed_inputs), "--warehouse", str(warehouse)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    (reason,) = [line for line in err.splitlines() if line.startswith("NOT published")]
    assert "disk is full" in reason and "left unchanged" in reason
    assert warehouse.read_bytes() == published
    assert not list(small_disk.glob(".metrics.duckdb.*.building*"))
    (small_disk / "filler").unlink()
    assert build_warehouse(seed_inputs, warehouse).published  # with room again, the next run goes on


_PARENT = """
import sys, time
from pathlib import Path
from flows.serve import start_tied
child = start_tied([sys.executable, "-c", "import time; time.sleep(600)"], Path(sys.argv[1]))
print(child.pid, flush=True)
time.sleep(600)
"""


def test_a_local_server_process_ends_when_its_parent_is_killed(tmp_path: Path) -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", _PARENT, str(tmp_path / "child.log")],
        stdout=subprocess.PIPE,
        text=True,
        cwd=PROJECT_ROOT,
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    assert _alive(child)
    parent.kill()  # SIGKILL: no handler, no atexit, no finally
    parent.wait()
    assert _gone_within([child], 10), "the tied child outlived its SIGKILLed parent"


@pytest.mark.slow
def test_a_server_slower_than_the_allowed_wait_fails_in_one_line_and_is_stopped(tmp_path: Path) -> None:
    env = _env(tmp_path, REPORT_METRICS_SERVER_START_SECONDS="0.5")
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", "--warehouse", str(tmp_path / "metrics.duckdb")],
        env=env,
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=120,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert "did not answer within 0.5 s" in line and "REPORT_METRICS_SERVER_START_SECONDS" in line
    assert "PREFECT_API_URL" in line
    assert not (tmp_path / "metrics.duckdb").exists()
    # nothing is left running with this PREFECT_HOME
    leftovers = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if env["PREFECT_HOME"].encode() in (entry / "environ").read_bytes() and _alive(int(entry.name)):
                    leftovers.append(int(entry.name))
            except OSError:
                pass
    assert leftovers == []


@pytest.mark.slow
def test_serve_stopped_while_its_server_starts_leaves_nothing_running(tmp_path: Path, seed_inputs: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "serve", "--interval", "60", "--input", str(seed_inputs)],
        env=_env(tmp_path, REPORT_METRICS_WAREHOUSE=str(tmp_path / "metrics.duckdb")),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=PROJECT_ROOT,
    )
    try:
        deadline = time.monotonic() + 60
        children: list[int] = []
        while not children and time.monotonic() < deadline:
            time.sleep(0.2)
            children = _children(proc.pid)
        assert children, "serve started no server"
        proc.send_signal(signal.SIGTERM)  # while the server is still starting
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.stdout is not None
    assert proc.returncode == 0, proc.stdout.read()
    assert _gone_within(children, 15), "the local server outlived serve"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--cron", "61 6 * * *"], "Invalid cron string"),
        (["--timezone", "Mars/Olympus_Mons"], "Invalid timezone"),
        (["--interval", "-5"], "positive number of seconds"),
    ],
)
def test_a_bad_schedule_is_refused_before_anything_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: list[str], expected: str
) -> None:
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect-home"))
    started = time.monotonic()
    assert main(["serve", "--input", str(tmp_path), *args]) == 2
    assert time.monotonic() - started < 10
    err = capsys.readouterr().err
    assert err.startswith("report-metrics: bad schedule:") and expected in err and err.count("\n") == 1
    assert not (tmp_path / "prefect-home" / "server.log").exists()  # no server was started
