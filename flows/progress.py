"""Progress of a run: a progress bar by stage and document on a terminal, and a Prefect progress artifact.

On a terminal (stderr is a TTY) a run shows one bar per stage (read; extract, where documents are analysed, checked
and loaded chunk by chunk; publish) with its documents done and left (rich, which Prefect already depends on). Piped
or scheduled runs print nothing extra. The flow run's progress artifact (key `run-progress`, 0–100 %) moves at each
stage and every few percent within one, so a UI or API client sees how far a long run is.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO
from uuid import UUID

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

# Share of a run's work in each stage (extraction dominates), for the overall percentage of the artifact.
# Documents are analysed, checked and loaded chunk by chunk within "extract".
STAGE_WEIGHTS: dict[str, float] = {"read": 0.2, "extract": 0.75, "publish": 0.05}
# The artifact is updated when the overall progress moved by this many points, or this many seconds passed.
ARTIFACT_STEP_POINTS = 5.0
ARTIFACT_STEP_SECONDS = 5.0


def _update_artifact(artifact_id: UUID | None, percent: float) -> None:
    if artifact_id is None:
        return
    from prefect.artifacts import update_progress_artifact

    update_progress_artifact(artifact_id, percent)


class RunProgress:
    """Progress of one run through its stages; `stream` defaults to stderr, shown only when it is a terminal.

    `artifact` creates the Prefect progress artifact (inside a flow run); without it only the terminal bar moves.
    """

    def __init__(self, stream: TextIO | None = None, artifact: bool = False) -> None:
        out = stream if stream is not None else sys.stderr
        self.shown = out.isatty()
        self._bars = (
            Progress(
                TextColumn("{task.description:<9}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("documents"),
                TimeElapsedColumn(),
                console=Console(file=out, force_terminal=True),
            )
            if self.shown
            else None
        )
        self._done_weight = 0.0
        self._stage: tuple[str, int, TaskID | None] | None = None
        self._count = 0
        self._reported = (0.0, time.monotonic())
        self._artifact_id: UUID | None = None
        if artifact:
            from prefect.artifacts import create_progress_artifact

            self._artifact_id = create_progress_artifact(
                0.0, key="run-progress", description="How far this build-warehouse run is (stages: read, extract, …)"
            )
        if self._bars is not None:
            self._bars.start()

    def stage(self, name: str, total: int) -> None:
        """Start stage `name` (one of STAGE_WEIGHTS) over `total` documents; the previous stage is complete."""
        self._finish_stage()
        bar = self._bars.add_task(name, total=total) if self._bars is not None else None
        self._stage, self._count = (name, total, bar), 0

    def advance(self, documents: int = 1) -> None:
        """`documents` more documents of the current stage are done."""
        if self._stage is None:
            return
        _, _, bar = self._stage
        self._count += documents
        if self._bars is not None and bar is not None:
            self._bars.advance(bar, documents)
        percent = self.percent
        last_percent, last_time = self._reported
        if percent - last_percent >= ARTIFACT_STEP_POINTS or time.monotonic() - last_time >= ARTIFACT_STEP_SECONDS:
            self._report(percent)

    @property
    def percent(self) -> float:
        """Overall progress of the run, 0–100, by the stage weights."""
        within = 0.0
        if self._stage is not None:
            name, total, _ = self._stage
            within = STAGE_WEIGHTS.get(name, 0.0) * (min(self._count, total) / total if total else 1.0)
        return round(100.0 * min(1.0, self._done_weight + within), 1)

    def close(self, completed: bool = True) -> None:
        """Stop the bars; a completed run reports 100 %, one that stopped early keeps where it got to."""
        self._finish_stage()
        if completed:
            self._done_weight = 1.0
        self._report(self.percent)
        if self._bars is not None:
            self._bars.stop()

    def _finish_stage(self) -> None:
        if self._stage is not None:
            name, total, bar = self._stage
            if self._bars is not None and bar is not None:
                self._bars.update(bar, completed=total)
            self._done_weight += STAGE_WEIGHTS.get(name, 0.0)
            self._stage = None
            self._report(self.percent)

    def _report(self, percent: float) -> None:
        _update_artifact(self._artifact_id, percent)
        self._reported = (percent, time.monotonic())
