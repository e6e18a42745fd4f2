"""A progress bar on stderr for renders long enough to wonder about."""

from __future__ import annotations

import sys
import time
from typing import TextIO

SHOW_AFTER_SECONDS = 2.0
REDRAW_SECONDS = 0.1
WIDTH = 30


class ProgressBar:
    """Drawn only on a terminal, and only once the work has taken a couple of seconds."""

    def __init__(self, label: str, stream: TextIO | None = None, unit: str = "pages") -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.label = label
        self.unit = unit
        self.enabled = self.stream.isatty()
        self.started = time.monotonic()
        self.drawn_at = 0.0
        self.visible = False

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.enabled or now - self.started < SHOW_AFTER_SECONDS:
            return
        if now - self.drawn_at < REDRAW_SECONDS and done < total:
            return
        self.drawn_at = now
        self.visible = True
        filled = WIDTH * done // max(total, 1)
        bar = "█" * filled + "░" * (WIDTH - filled)
        self.stream.write(
            f"\r{self.label} {bar} {done:,}/{total:,} {self.unit}, {now - self.started:.0f}s"
        )
        self.stream.flush()

    def close(self) -> None:
        if self.visible:
            self.stream.write("\n")
            self.stream.flush()
