"""How long redaction takes: microseconds per string, with and without the pre-check.

`python -m bench.redaction` prints, for log lines like the demo's (with no secret and
with one), short names, repeated errors, and the mix of a 100,000-job render (about
1,000,000 strings, 500,000 of them log lines), the cost of `Redactor.text` (and of
`Redactor.lines` for whole log tails) against every shape's regex run on each string.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from renderer.snapshot import redaction
from renderer.snapshot.redaction import SECRETS, Redactor

COUNT = 100_000


def per_string(function: Callable[[str], object], strings: list[str], rounds: int = 3) -> float:
    """The best of a few rounds, in microseconds per string."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for text in strings:
            function(text)
        best = min(best, time.perf_counter() - start)
    return best / len(strings) * 1e6


def main() -> None:
    lines = [
        f"2026-11-29T02:13:{n % 60:02d}Z INFO step {n} loss=0.{n % 97:03d} lr=3e-4 "
        f"throughput=1234.5 samples/s /data/shard-{n:05d}.tfrecord"
        for n in range(COUNT)
    ]
    secret_lines = [
        f"2026-11-29T02:13:{n % 60:02d}Z ERROR clone failed with "
        f"ghp_{n:036d} for /data/shard-{n:05d}"
        for n in range(COUNT)
    ]
    names = [f"train-{n:06d}" for n in range(COUNT)]
    errors = [f"exit status {n % 7}: OOMKilled" for n in range(COUNT)]

    redaction.CACHE_LIMIT = 0  # first: every string new to the redactor
    redactor = Redactor()
    rows = {
        "log line, no secret": (lines, redactor.text),
        "log line with a token": (secret_lines, redactor.text),
        "short name": (names, redactor.text),
    }
    print(f"{'':28} {'text() µs':>10} {'full regex µs':>14}")
    for label, (strings, function) in rows.items():
        full = per_string(lambda s: SECRETS.sub("", s), strings)
        print(f"{label:28} {per_string(function, strings):10.2f} {full:14.2f}")
    tails = [lines[start : start + 1000] for start in range(0, COUNT, 1000)]
    start = time.perf_counter()
    for tail in tails:
        redactor.lines(tail)
    per_line = (time.perf_counter() - start) / COUNT * 1e6
    print(f"{'log line, lines() of a tail':28} {per_line:10.2f}")
    mixed = [line if n % 50 else secret_lines[n] for n, line in enumerate(lines)]
    tails = [mixed[start : start + 1000] for start in range(0, COUNT, 1000)]
    start = time.perf_counter()
    for tail in tails:
        redactor.lines(tail)
    per_line = (time.perf_counter() - start) / COUNT * 1e6
    print(f"{'  the same, 1 line in 50 a secret':28} {per_line:10.2f}")
    redaction.CACHE_LIMIT = 1 << 16
    cached = Redactor()
    print(f"{'repeated error (cached)':28} {per_string(cached.text, errors):10.2f}")
    # 1,000,000 strings, as a 100,000-job render: distinct log lines, names that repeat
    # on several pages, and errors that repeat across jobs.
    log_lines = [f"{line} #{n}" for n in range(5) for line in lines]
    others = names * 3 + errors * 2
    start = time.perf_counter()
    for text in log_lines + others:
        cached.text(text)
    print(f"1,000,000 strings of a 100,000-job render, text(): {time.perf_counter() - start:.2f} s")
    cached = Redactor()
    start = time.perf_counter()
    for at in range(0, len(log_lines), 1000):
        cached.lines(log_lines[at : at + 1000])
    for text in others:
        cached.text(text)
    print(f"the same, log tails by lines(): {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
