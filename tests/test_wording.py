"""How counts, plurals and times read: the helpers pages and their script share."""

from __future__ import annotations

from renderer.report import times, wording
from renderer.report.views import Moment
from renderer.snapshot import model


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


def test_moments_are_dated_too() -> None:
    before_midnight = CAPTURED - 3 * HOUR - 29 * 60_000 + 412
    assert Moment(before_midnight, CAPTURED).short == "Nov 28 22:44"
    assert Moment(CAPTURED, CAPTURED).short == "02:13:37"
