"""Run progress: bars by stage and document on a real terminal (a pseudo-terminal), nothing on a pipe."""

from __future__ import annotations

import os
import pty
import select

from flows.progress import RunProgress


def _drain(fd: int) -> bytes:
    out = b""
    while select.select([fd], [], [], 0.3)[0]:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    return out


def _run_stages(progress: RunProgress) -> None:
    progress.stage("read", 3)
    for _ in range(3):
        progress.advance()
    progress.stage("extract", 2)
    progress.advance()
    assert progress.percent == 57.5  # read (20 %) done, half of extract (75 %)
    progress.advance()
    progress.stage("publish", 1)
    progress.close()
    assert progress.percent == 100.0


def test_a_terminal_sees_a_bar_per_stage_with_documents_done() -> None:
    master, slave = pty.openpty()
    try:
        with os.fdopen(slave, "w", closefd=False) as terminal:
            progress = RunProgress(stream=terminal)
            assert progress.shown
            _run_stages(progress)
            terminal.flush()
        shown = _drain(master).decode("utf-8", "replace")
    finally:
        os.close(master)
        os.close(slave)
    assert "read" in shown and "3/3" in shown
    assert "extract" in shown and "2/2" in shown and "documents" in shown


def test_a_pipe_sees_nothing() -> None:
    read_end, write_end = os.pipe()
    try:
        with os.fdopen(write_end, "w", closefd=False) as pipe:
            progress = RunProgress(stream=pipe)
            assert not progress.shown
            _run_stages(progress)
            pipe.flush()
        assert _drain(read_end) == b""
    finally:
        os.close(read_end)
        os.close(write_end)
