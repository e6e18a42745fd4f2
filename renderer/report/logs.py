"""A job's log tail as HTML lines and as plain text.

The HTML is built here in Python rather than in a template because a bundle can hold a
million log lines and a template loop per line costs several times more. Every piece
of log text goes through renderer.report.markup's `esc` (directly, or via
renderer.report.ansi); the markup added is fixed: one span per line with a class from
SOURCE_CLASSES and its number (data-n, from an integer), and a time span. The time is
made of digits from an integer and is not escaped (a measured hot path:
tests/test_markup.py puts hostile values into every field of a line).

A line's number counts from the log's real first line (when only its tail was
captured, from total - shown + 1), so that a link to line 120 means the same line
in every report of that log; the stylesheet shows it from data-n and the script turns
'#<log id>-L120' into that line.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

from markupsafe import Markup

from renderer import terminal
from renderer.report import ansi, times
from renderer.report.markup import esc, join
from renderer.report.wording import plural
from renderer.snapshot.model import LogLine

# Characters of one line shown in the page; the plain-text file keeps whole lines.
LINE_DISPLAY_LIMIT = 2000
SOURCE_CLASSES = {"stdout": "stdout", "stderr": "stderr", "build": "build"}
OTHER_SOURCE = "other"


def source_class(source: str | None) -> str:
    return SOURCE_CLASSES.get(source or "", OTHER_SOURCE)


class LogLines(NamedTuple):
    """A log's lines as HTML, with what the page says about them."""

    html: Markup
    cut: int  # lines shortened for display
    first_error: int | None  # the number of the first line that looks like an error


# The first error of a log, for its "Jump to first error": the first line from stderr
# or from the build that holds one of these words, case as written ('no errors' is
# not one; 'ValueError', 'ERROR:', 'Traceback', 'panic:', a shell's 'Killed' are).
# The text is searched as shown (ANSI codes and all: no word boundary is asked for,
# as a colour code can sit right before the word), and only until the first hit.
ERROR_SOURCES = frozenset({"stderr", "build"})
LOOKS_LIKE_ERROR = re.compile(
    r"Traceback|Error|ERROR|Exception|FATAL|Fatal|fatal:|panic:|CRITICAL|Segmentation fault"
    r"|Killed|Out of memory|OOM"
)


def lines_html(
    lines: Sequence[LogLine], first: int = 1, captured_at_ms: int | None = None
) -> LogLines:
    """The lines as escaped HTML, numbered from `first` (data-n, which the stylesheet
    shows and links point at), how many were shortened, and the first error's number.

    Times on another day than the capture are dated.
    """
    parts: list[str] = []
    cut = 0
    first_error: int | None = None
    looks_like_error = LOOKS_LIKE_ERROR.search
    error_sources = ERROR_SOURCES
    seconds, millis = _SECONDS, _MILLIS
    clock = _Clock(captured_at_ms)
    minute_now: int | None = None
    shown_minute = ""  # '02:13' of the minute the last line fell in, '' out of range
    # Each source's opening tag up to its number, made once: this loop is a measured
    # hot path (a call or an f-string less a line is worth more than the line number).
    openings: dict[str | None, str] = {
        name: f'<span class="ln {css}" data-n="' for name, css in SOURCE_CLASSES.items()
    }
    other = f'<span class="ln {OTHER_SOURCE}" data-n="'
    for n, (ms, source, data) in enumerate(lines, first):
        data = data or ""
        more = ""
        if len(data) > LINE_DISPLAY_LIMIT:
            cut += 1
            left = plural(len(data) - LINE_DISPLAY_LIMIT, "more character")
            more = f'<span class="log-more">… {left}</span>'
            data = data[:LINE_DISPLAY_LIMIT]
        text = ansi.to_html(data) if "\x1b" in data else esc(data)
        if first_error is None and source in error_sources and looks_like_error(data):
            first_error = n
        opening = openings.get(source, other)
        if ms is not None:
            minute, rest = divmod(ms, 60_000)
            if minute != minute_now:
                minute_now = minute
                shown_minute = clock.minute(minute)
            if shown_minute:
                second, milli = divmod(rest, 1000)
                parts.append(
                    f'{opening}{n}"><span class="ts">{shown_minute}:{seconds[second]}.'
                    f"{millis[milli]}</span> {text}{more}\n</span>"
                )
                continue
        parts.append(f'{opening}{n}"><span class="ts">-</span> {text}{more}\n</span>')
    return LogLines(join(parts), cut, first_error)


def earlier_lines(total: int, kept: int, shown: int, in_text: bool) -> str:
    """What a log's page says of the lines before those it shows: 'Lines 1–4,000 were not
    captured; lines 4,001–4,500 are in the plain text.' ('' when it shows from line 1).

    `total` lines were written, the snapshot kept the last `kept`, the page shows `shown`.
    """
    parts = []
    if total > kept:
        verb = "was" if total - kept == 1 else "were"
        parts.append(f"{_lines(1, total - kept)} {verb} not captured")
    if kept > shown:
        where = "in the plain text" if in_text else "not shown on this page"
        verb = "is" if kept - shown == 1 else "are"
        parts.append(f"{_lines(total - kept + 1, total - shown)} {verb} {where}")
    text = "; ".join(parts)
    return f"{text[:1].upper()}{text[1:]}." if text else ""


def _lines(start: int, end: int) -> str:
    return f"line {start:,}" if start == end else f"lines {start:,}–{end:,}"


_SECONDS = [f"{n:02d}" for n in range(60)]
_MILLIS = [f"{n:03d}" for n in range(1000)]


class _Clock:
    """Formats log timestamps, reusing the text of the minute they fall in.

    A log has many lines per minute; formatting each time from scratch was most of the
    cost of a million-line log.
    """

    def __init__(self, captured_at_ms: int | None = None) -> None:
        self._captured_at_ms = captured_at_ms
        self._minute: int | None = None
        self._date = ""  # '2026-11-29', or '' for a time out of range
        self._hour_minute = ""  # '02:13'
        self._shown_minute = ""  # '02:13', or 'Nov 28 22:44' on another day than the capture

    def _enter(self, minute: int) -> None:
        self._minute = minute
        ms = minute * 60_000
        representable = times.representable(ms) and times.representable(ms + 59_999)
        self._date, _, time_of_day = times.utc(ms).partition(" ")
        self._hour_minute = time_of_day[:5]
        day = times.other_day(ms, self._captured_at_ms)
        self._shown_minute = f"{day} {self._hour_minute}" if day else self._hour_minute
        if not representable:
            self._date = ""

    def minute(self, minute: int) -> str:
        """'02:13', or 'Nov 28 22:44' on another day than the capture; '' out of range."""
        if minute != self._minute:
            self._enter(minute)
        return self._shown_minute if self._date else ""

    def full(self, ms: int | None) -> str:
        """'2026-11-29 02:13:37.412 UTC'"""
        if ms is None:
            return "-"
        minute, rest = divmod(ms, 60_000)
        if minute != self._minute:
            self._enter(minute)
        if not self._date:
            return "-"
        second, millis = divmod(rest, 1000)
        return f"{self._date} {self._hour_minute}:{_SECONDS[second]}.{_MILLIS[millis]} UTC"


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
        f" last {shown:,} of {plural(total, 'line')}"
    )
