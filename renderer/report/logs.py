"""A job's log tail as HTML lines and as plain text.

The HTML is built here in Python rather than in a template because a bundle can hold a
million log lines and a template loop per line costs several times more. Every piece
of log text goes through renderer.report.markup's `esc` (directly, or via
renderer.report.ansi); the markup added is fixed: one span per line with a class from
SOURCE_CLASSES, and a time span. The time is made of digits from an integer and is
not escaped (a measured hot path: tests/test_markup.py puts hostile values into every
field of a line).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from markupsafe import Markup

from renderer import terminal
from renderer.report import ansi, times
from renderer.report.markup import esc, join
from renderer.snapshot.model import LogLine

# Characters of one line shown in the page; the plain-text file keeps whole lines.
LINE_DISPLAY_LIMIT = 2000
SOURCE_CLASSES = {"stdout": "stdout", "stderr": "stderr", "build": "build"}
OTHER_SOURCE = "other"


def source_class(source: str | None) -> str:
    return SOURCE_CLASSES.get(source or "", OTHER_SOURCE)


def lines_html(lines: Sequence[LogLine]) -> tuple[Markup, int]:
    """The lines as escaped HTML, and how many were shortened for display."""
    parts: list[str] = []
    cut = 0
    clock = _Clock()
    classes = SOURCE_CLASSES
    for line in lines:
        data = line.data or ""
        more = ""
        if len(data) > LINE_DISPLAY_LIMIT:
            cut += 1
            more = (
                f'<span class="log-more">… {len(data) - LINE_DISPLAY_LIMIT:,} more characters'
                "</span>"
            )
            data = data[:LINE_DISPLAY_LIMIT]
        text = ansi.to_html(data) if "\x1b" in data else esc(data)
        source = classes.get(line.source or "", OTHER_SOURCE)
        when = clock.time_of_day(line.timestamp_ms)
        parts.append(
            f'<span class="ln {source}"><span class="ts">{when}</span> {text}{more}\n</span>'
        )
    return join(parts), cut


_SECONDS = [f"{n:02d}" for n in range(60)]
_MILLIS = [f"{n:03d}" for n in range(1000)]


class _Clock:
    """Formats log timestamps, reusing the text of the minute they fall in.

    A log has many lines per minute; formatting each time from scratch was most of the
    cost of a million-line log.
    """

    def __init__(self) -> None:
        self._minute: int | None = None
        self._date = ""  # '2026-11-29', or '' for a time out of range
        self._hour_minute = ""  # '02:13'

    def _enter(self, minute: int) -> None:
        self._minute = minute
        ms = minute * 60_000
        representable = times.representable(ms) and times.representable(ms + 59_999)
        self._date, _, time_of_day = times.utc(ms).partition(" ")
        self._hour_minute = time_of_day[:5]
        if not representable:
            self._date = ""

    def _seconds(self, ms: int) -> str:
        """'02:13:37.412', or '' when out of range."""
        minute, rest = divmod(ms, 60_000)
        if minute != self._minute:
            self._enter(minute)
        if not self._date:
            return ""
        second, millis = divmod(rest, 1000)
        return f"{self._hour_minute}:{_SECONDS[second]}.{_MILLIS[millis]}"

    def time_of_day(self, ms: int | None) -> str:
        """'02:13:37.412'"""
        return (self._seconds(ms) or "-") if ms is not None else "-"

    def full(self, ms: int | None) -> str:
        """'2026-11-29 02:13:37.412 UTC'"""
        text = self._seconds(ms) if ms is not None else ""
        return f"{self._date} {text} UTC" if text else "-"


def source_counts(lines: Sequence[LogLine]) -> tuple[tuple[str, int], ...]:
    """Lines per source, in tab order (stdout, stderr, build, other)."""
    counts = Counter(source_class(line.source) for line in lines)
    order = [*SOURCE_CLASSES.values(), OTHER_SOURCE]
    return tuple((source, counts[source]) for source in order if counts[source])


def plain_text(lines: Sequence[LogLine], header: str) -> str:
    """The tail as a text file: one line per entry, colours stripped, nothing cut."""
    clock = _Clock()
    body = [
        f"[{clock.full(line.timestamp_ms)}] [{line.source or '-'}] {ansi.strip(line.data or '')}"
        for line in lines
    ]
    return "\n".join([header, *body]) + "\n"


def header(job_id: str, worker_id: str, shown: int, total: int) -> str:
    """First line of a plain-text log, naming what it is."""
    return (
        f"# log tail of job {terminal.safe(job_id, 200)} on worker {terminal.safe(worker_id, 200)}:"
        f" last {shown:,} of {total:,} lines"
    )
