"""A progress bar on stderr for long runs: files done / total, rate and time left, drawn by rich.

It appears only once a run has taken `DELAY` seconds (a quick run shows nothing) and disappears
when the run ends. It is redrawn from the caller's thread, never by a thread of its own: the
process pool forks its workers, and a forked child must not inherit a drawing thread.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

DELAY = 0.5  # seconds before a run counts as long
REDRAW = 0.1  # seconds between redraws


class ProgressBar:
    """`update(done, total)` after each file; does nothing unless `enabled`."""

    def __init__(self, *, enabled: bool, stream: TextIO | None = None) -> None:
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.drawn = 0.0
        self.progress: Progress | None = None
        self.task: TaskID | None = None

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.progress is not None:
            self.progress.stop()

    def update(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if self.progress is None:
            if now - self.started < DELAY or done >= total:
                return
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self.progress = Progress(
                TextColumn("migrating"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("files, {task.fields[rate]}"),
                TimeRemainingColumn(),
                console=Console(file=self.stream, force_terminal=True),  # the caller checked
                auto_refresh=False,
                transient=True,
            )
            self.task = self.progress.add_task("migrate", total=total, rate="")
            self.progress.start()
        assert self.task is not None
        rate = done / max(now - self.started, 1e-9)
        self.progress.update(self.task, completed=done, rate=f"{rate:.1f}/s")
        if now - self.drawn >= REDRAW or done == total:
            self.drawn = now
            self.progress.refresh()
