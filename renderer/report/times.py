"""Times and durations as people read them; all times are UTC, taken from the snapshot."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

_MIN_MS = -62_135_596_800_000  # 0001-01-01
_MAX_MS = 253_402_300_799_999  # 9999-12-31
_DAY_MS = 86_400_000
_EPOCH = dt.date(1970, 1, 1)


@lru_cache(maxsize=4096)
def _date(days: int) -> str:
    return (_EPOCH + dt.timedelta(days=days)).isoformat()


def _parts(ms: int) -> tuple[str, str, int]:
    """Date, time of day and milliseconds; plain arithmetic, as this runs for every row."""
    days, rest = divmod(ms, _DAY_MS)
    hours, rest = divmod(rest, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return _date(days), f"{hours:02d}:{minutes:02d}:{seconds:02d}", millis


def representable(ms: int | None) -> bool:
    """Whether a millisecond epoch is a date this module can show (years 1 to 9999)."""
    return ms is not None and _MIN_MS <= ms <= _MAX_MS


def utc(ms: int | None) -> str:
    """'2026-11-29 02:13:37 UTC' for a millisecond epoch; '-' when unknown or out of range."""
    if ms is None or not _MIN_MS <= ms <= _MAX_MS:
        return "-"
    date, time_of_day, _ = _parts(ms)
    return f"{date} {time_of_day} UTC"


def iso(ms: int | None) -> str:
    """Machine-readable UTC time ('2026-11-29T02:13:37.000Z'), '' when unknown."""
    if ms is None or not _MIN_MS <= ms <= _MAX_MS:
        return ""
    date, time_of_day, millis = _parts(ms)
    return f"{date}T{time_of_day}.{millis:03d}Z"


_SECONDS_OF_DAY: dict[int, str] = {}  # second of the day -> '02:13:37'


def time_of_day(ms: int | None) -> str:
    """'02:13:37', for dense tables; '-' when unknown or out of range.

    Tables of every job show two times a row: the text of each second is made once.
    """
    if ms is None or not _MIN_MS <= ms <= _MAX_MS:
        return "-"
    second = ms // 1000 % 86_400
    text = _SECONDS_OF_DAY.get(second)
    if text is None:
        hours, rest = divmod(second, 3600)
        minutes, seconds = divmod(rest, 60)
        text = _SECONDS_OF_DAY[second] = f"{hours:02d}:{minutes:02d}:{seconds:02d}"
    return text


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@lru_cache(maxsize=4096)
def _short_day(days: int, captured_days: int) -> tuple[str, bool]:
    """('Nov 28', True) in the capture's year, ('2025-11-28', False) in another."""
    date = _date(days)
    if date[:-6] != _date(captured_days)[:-6]:
        return date, False
    return f"{_MONTHS[int(date[-5:-3]) - 1]} {int(date[-2:])}", True


def other_day(ms: int | None, captured_at_ms: int | None) -> str:
    """The short date of a time on another day than the capture ('Nov 28'), else ''."""
    if ms is None or not representable(ms) or not representable(captured_at_ms):
        return ""
    assert captured_at_ms is not None  # representable() said so
    days, captured_days = ms // _DAY_MS, captured_at_ms // _DAY_MS
    return "" if days == captured_days else _short_day(days, captured_days)[0]


def time_in_day_of(ms: int | None, captured_at_ms: int | None) -> str:
    """'02:13:37'; 'Nov 28 22:44' on another day than the capture; '2025-11-28' in another
    year. Short, so that it fits a table's time column; the full time goes in a title.

    static/js/core.js timeInDayOf() writes the same for the in-page list.
    """
    if ms is None or not _MIN_MS <= ms <= _MAX_MS:
        return "-"
    if not representable(captured_at_ms):
        return time_of_day(ms)
    assert captured_at_ms is not None
    days, captured_days = ms // _DAY_MS, captured_at_ms // _DAY_MS
    if days == captured_days:
        return time_of_day(ms)
    day, same_year = _short_day(days, captured_days)
    return f"{day} {time_of_day(ms)[:5]}" if same_year else day


def clock(ms: int | None) -> str:
    """Time of day only, for dense logs ('02:13:37.412')."""
    if ms is None or not _MIN_MS <= ms <= _MAX_MS:
        return "-"
    _, time_of_day, millis = _parts(ms)
    return f"{time_of_day}.{millis:03d}"


def duration(ms: int | None) -> str:
    """A span as '1h 02m', '3m 12s', '4.2s' or '0s'; '-' when unknown."""
    if ms is None:
        return "-"
    sign = "-" if ms < 0 else ""
    ms = abs(ms)
    if ms < 10_000:
        return f"{sign}{ms / 1000:.1f}s" if ms else "0s"
    seconds = ms // 1000
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    if days:
        return f"{sign}{days}d {hours}h"
    if hours:
        return f"{sign}{hours}h {minutes:02d}m"
    if minutes:
        return f"{sign}{minutes}m {seconds:02d}s"
    return f"{sign}{seconds}s"


def relative(ms: int | None, captured_at_ms: int | None) -> str:
    """Where a time lies against the capture: '3m 12s before capture'."""
    if ms is None or captured_at_ms is None:
        return ""
    delta = captured_at_ms - ms
    if delta == 0:
        return "at capture"
    if delta > 0:
        return f"{duration(delta)} before capture"
    return f"{duration(-delta)} after capture"


def span(start_ms: int | None, end_ms: int | None) -> int | None:
    """Milliseconds from start to end, or None when either end is unknown."""
    if start_ms is None or end_ms is None:
        return None
    return end_ms - start_ms
