"""How counts, plurals, times and log lines read: the helpers pages and their script share."""

from __future__ import annotations

import re

from renderer.report import logs, times, wording
from renderer.report.views import Moment
from renderer.snapshot import model
from renderer.snapshot.model import LogLine


def test_plural_says_one_thing_and_many_things() -> None:
    assert wording.plural(1, "job") == "1 job"
    assert wording.plural(0, "job") == "0 jobs"
    assert wording.plural(2, "job") == "2 jobs"
    assert wording.plural(2000, "job") == "2,000 jobs"
    assert wording.plural(1, "matching line") == "1 matching line"
    assert wording.plural(1_000_000, "matching line") == "1,000,000 matching lines"
    assert wording.plural(1, "more member") == "1 more member"
    assert wording.plural(3, "entry", "entries") == "3 entries"
    assert wording.plural(1, "entry", "entries") == "1 entry"
    assert wording.plural(-1, "job") == "-1 jobs"


def test_counts_have_thousands_separators() -> None:
    assert wording.count(0) == "0"
    assert wording.count(117) == "117"
    assert wording.count(2000) == "2,000"
    assert wording.count(12_345_678) == "12,345,678"
    assert wording.number(2000, " MB") == "2,000 MB"
    assert wording.number(None) == "-"


def test_wording_that_counts_uses_both() -> None:
    assert wording.cut("abcd", 3) == "abc… (1 more character)"
    assert wording.cut("a" * 2003, 3) == "aaa… (2,000 more characters)"
    assert wording.describe_retries(1, 1200) == "1 failed, 1,200 preempted"
    assert wording.describe_blob(model.Blob(1, "ab" * 32)).startswith("1 byte, sha256 ")
    assert wording.describe_blob(model.Blob(2048, "ab" * 32)).startswith("2,048 bytes, ")


# ---- times on another day than the capture ----

CAPTURED = 1_795_918_417_000  # 2026-11-29 02:13:37 UTC
HOUR = 3_600_000


def test_a_time_on_the_capture_day_is_its_time_of_day() -> None:
    assert times.time_in_day_of(CAPTURED, CAPTURED) == "02:13:37"
    assert times.time_in_day_of(CAPTURED - 2 * HOUR, CAPTURED) == "00:13:37"
    assert times.time_in_day_of(CAPTURED, None) == "02:13:37"
    assert times.time_in_day_of(None, CAPTURED) == "-"


def test_a_time_on_another_day_is_dated_short_enough_for_a_column() -> None:
    assert times.time_in_day_of(CAPTURED - 3 * HOUR - 29 * 60_000, CAPTURED) == "Nov 28 22:44"
    assert times.time_in_day_of(CAPTURED + 24 * HOUR, CAPTURED) == "Nov 30 02:13"
    assert times.time_in_day_of(CAPTURED - 30 * 24 * HOUR, CAPTURED) == "Oct 30 02:13"
    assert times.time_in_day_of(CAPTURED - 365 * 24 * HOUR, CAPTURED) == "2025-11-29"
    assert times.other_day(CAPTURED - 3 * HOUR, CAPTURED) == "Nov 28"
    assert times.other_day(CAPTURED, CAPTURED) == ""


def test_moments_and_log_lines_are_dated_too() -> None:
    before_midnight = CAPTURED - 3 * HOUR - 29 * 60_000 + 412
    assert Moment(before_midnight, CAPTURED).short == "Nov 28 22:44"
    assert Moment(CAPTURED, CAPTURED).short == "02:13:37"
    html = str(
        logs.lines_html(
            [LogLine(before_midnight, "stdout", "late"), LogLine(CAPTURED, "stdout", "now")],
            captured_at_ms=CAPTURED,
        ).html
    )
    assert '<span class="ts">Nov 28 22:44:37.412</span> late' in html
    assert '<span class="ts">02:13:37.000</span> now' in html
    text = logs.plain_text([LogLine(before_midnight, "stdout", "late")], "# header")
    assert "[2026-11-28 22:44:37.412 UTC] [stdout] late" in text


# ---- log lines: numbers, the first error, what came before ----


def test_log_lines_are_numbered_from_the_logs_real_first_line() -> None:
    lines = [LogLine(CAPTURED, "stdout", f"line {i}") for i in range(3)]
    html = str(logs.lines_html(lines, 4_001).html)
    assert [int(n) for n in re.findall(r'data-n="(\d+)"', html)] == [4_001, 4_002, 4_003]
    assert str(logs.lines_html(lines).html).count('data-n="1"') == 1


def test_the_first_error_is_the_first_stderr_or_build_line_that_looks_like_one() -> None:
    lines = [
        LogLine(CAPTURED, "stdout", "ValueError on stdout is output, not an error"),
        LogLine(CAPTURED, "stderr", "UserWarning: no errors so far"),
        LogLine(CAPTURED, "stderr", "\x1b[31mTraceback (most recent call last):\x1b[0m"),
        LogLine(CAPTURED, "stderr", "RuntimeError: CUDA out of memory"),
    ]
    assert logs.lines_html(lines, 10).first_error == 12
    assert logs.lines_html(lines[:2]).first_error is None
    build = [LogLine(CAPTURED, "build", "ERROR: No matching distribution found for torch")]
    assert logs.lines_html(build).first_error == 1
    errors = ("panic: runtime error", "fatal: not a git repository", "FATAL boom", "KeyError")
    for text in (*errors, "Killed", "Segmentation fault (core dumped)"):
        assert logs.lines_html([LogLine(None, "stderr", text)]).first_error == 1, text
    for text in ("0 errors", "all good", "error rate 0.1%"):
        assert logs.lines_html([LogLine(None, "stderr", text)]).first_error is None, text


def test_the_page_says_what_became_of_earlier_lines() -> None:
    assert logs.earlier_lines(100, 100, 100, True) == ""
    assert logs.earlier_lines(5_000, 1_000, 1_000, True) == "Lines 1–4,000 were not captured."
    assert logs.earlier_lines(1_001, 1_000, 1_000, True) == "Line 1 was not captured."
    assert logs.earlier_lines(5_000, 5_000, 1_000, True) == "Lines 1–4,000 are in the plain text."
    assert logs.earlier_lines(5_000, 2_000, 1_000, False) == (
        "Lines 1–3,000 were not captured; lines 3,001–4,000 are not shown on this page."
    )
