"""Invented but realistic job logs for the demo: builds, training output, warnings, tracebacks.

They carry what real logs carry and dashboards stumble over: ANSI colours, unicode from
several scripts, emoji, and the occasional line thousands of characters long.
"""

from __future__ import annotations

import json
import random

from renderer.snapshot.model import LogLine

RESET, BOLD, RED, GREEN, YELLOW, BLUE, CYAN = (
    "\x1b[0m",
    "\x1b[1m",
    "\x1b[31m",
    "\x1b[32m",
    "\x1b[33m",
    "\x1b[34m",
    "\x1b[36m",
)

PACKAGES = (
    "numpy==2.3.1",
    "torch==2.9.1",
    "jax[cpu]==0.10.2",
    "pandas==2.3.0",
    "pyarrow==21.0.0",
    "transformers==4.57.0",
    "datasets==4.1.0",
    "scikit-learn==1.7.2",
    "einops==0.8.1",
    "orbax-checkpoint==0.11.0",
)

_GREETINGS = (
    "données chargées ✓",
    "学習データを読み込みました",
    "загрузка завершена",
    "Ελέγχθηκε το σημείο ελέγχου",
    "चेकपॉइंट सहेजा गया",
    "체크포인트 저장 완료 🚀",
    "تم تحميل البيانات",
)


def _spread(rng: random.Random, start_ms: int, end_ms: int, count: int) -> list[int]:
    """`count` sorted timestamps between start and end."""
    span = max(1, end_ms - start_ms)
    draw = rng.random
    return sorted([start_ms + int(draw() * span) for _ in range(count)])


def build_log(
    rng: random.Random, start_ms: int, end_ms: int, from_cache: bool, packages: list[str]
) -> list[LogLine]:
    """Lines of an environment build, as the worker writes them under source 'build'."""
    lines = [f"{BOLD}Step 1/6{RESET} : FROM python:3.11-slim", "Downloading bundle"]
    if from_cache:
        lines.append(f"{CYAN}Using cached image{RESET} (layer sha256:{rng.getrandbits(64):016x})")
    else:
        lines.append(f"{BOLD}Step 4/6{RESET} : RUN pip install -r requirements.txt")
        for package in packages:
            name = package.split("=")[0]
            lines.append(f"Collecting {package}")
            lines.append(f"  Downloading {name}-{rng.randint(1, 9)}.whl ({rng.randint(1, 900)} kB)")
        lines.append(f"{YELLOW}WARNING: Running pip as the 'root' user{RESET}")
        lines.append(f"{GREEN}Successfully installed {' '.join(packages)}{RESET}")
    lines.append(f"{GREEN}{BOLD}Build complete{RESET}")
    times = _spread(rng, start_ms, end_ms, len(lines))
    return [LogLine(t, "build", text) for t, text in zip(times, lines, strict=True)]


def build_failure_log(rng: random.Random, start_ms: int, end_ms: int) -> list[LogLine]:
    lines = [
        f"{BOLD}Step 4/6{RESET} : RUN pip install -r requirements.txt",
        "Collecting torch==2.99.0",
        f"{RED}ERROR: Could not find a version that satisfies the requirement torch==2.99.0{RESET}",
        f"{RED}ERROR: No matching distribution found for torch==2.99.0{RESET}",
        f"{RED}{BOLD}Build failed{RESET}: pip install exited with status 1",
    ]
    times = _spread(rng, start_ms, end_ms, len(lines))
    return [LogLine(t, "build", text) for t, text in zip(times, lines, strict=True)]


def _config_dump(rng: random.Random) -> str:
    """One very long line: the kind of config a training script prints at start."""
    config = {
        "model": {"layers": 48, "hidden": 6144, "heads": 48, "vocab": 256000},
        "optimizer": {"name": "adamw", "lr": 3e-4, "betas": [0.9, 0.95], "wd": 0.1},
        "data": {"shards": [f"gs://datasets/web/shard-{i:05d}.parquet" for i in range(120)]},
        "seed": rng.randrange(1 << 30),
    }
    return "config: " + json.dumps(config, separators=(",", ":"))


def run_log(
    rng: random.Random,
    start_ms: int,
    end_ms: int,
    total: int,
    error: str | None,
) -> list[LogLine]:
    """A job's output: progress on stdout, warnings on stderr, a traceback if it failed."""
    lines: list[tuple[str, str]] = [
        ("stdout", f"{BLUE}[fluster]{RESET} starting job on {rng.choice(('cpu', 'cuda:0'))}"),
        ("stdout", rng.choice(_GREETINGS)),
    ]
    if rng.random() < 0.3:
        lines.append(("stdout", _config_dump(rng)))
    tail: list[tuple[str, str]] = []
    if error is not None:
        tail = [
            ("stderr", f"{RED}Traceback (most recent call last):{RESET}"),
            ("stderr", '  File "/app/train.py", line 212, in <module>'),
            ("stderr", "    main()"),
            ("stderr", '  File "/app/train.py", line 187, in main'),
            ("stderr", "    loss = step(batch)"),
            ("stderr", f"{RED}{error}{RESET}"),
        ]
    body = max(0, total - len(lines) - len(tail))
    loss = 4.0 + rng.random()
    draw = rng.random
    for step in range(body):
        roll = draw()
        if roll < 0.03:
            lines.append(
                ("stderr", f"{YELLOW}UserWarning{RESET}: gradient norm {roll * 3000:.1f} ⚠")
            )
            continue
        loss *= 0.9995
        speed = 900 + int(roll * 500)
        lines.append(
            ("stdout", f"step {step * 10:>7} │ loss={loss:.4f} │ lr=3.0e-04 │ {speed} tok/s")
        )
    lines.extend(tail)
    times = _spread(rng, start_ms, end_ms, len(lines))
    return [LogLine(t, source, text) for t, (source, text) in zip(times, lines, strict=True)]
