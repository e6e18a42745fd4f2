"""Run a measured step with a time and memory limit, watching all its processes.

A render forks workers; the memory it needs is that of the parent and its workers
together. Each process's proportional set size (PSS: pages it shares with the
others counted in part) is read from /proc twice a second and summed; the step is
ended when it runs out of time or memory, so the bench says "exceeded" instead of
hanging or exhausting the machine.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")


@dataclass(frozen=True)
class Watched:
    stdout: str
    seconds: float
    peak_mb: float  # the most the process and its children held at once (PSS)
    exceeded: str = ""  # "time" or "memory" when the step was ended


def _children(pid: int) -> list[int]:
    """Every descendant of `pid`, from each process's parent in /proc/*/stat."""
    parents: dict[int, int] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()  # the name, in parentheses, may hold spaces
        parents[int(entry.name)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        current = frontier.pop()
        kids = [child for child, parent in parents.items() if parent == current]
        found += kids
        frontier += kids
    return found


def _memory_kb(pid: int) -> int:
    try:
        for line in (PROC / str(pid) / "smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    try:
        for line in (PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def run(command: list[str], timeout_s: float, limit_mb: float) -> Watched:
    """Run `command`; its stdout, time, peak memory, and whether a limit ended it."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    peak = 0.0
    exceeded = ""
    while process.poll() is None:
        total = sum(_memory_kb(pid) for pid in [process.pid, *_children(process.pid)]) / 1024
        peak = max(peak, total)
        if total > limit_mb:
            exceeded = "memory"
        elif time.perf_counter() - started > timeout_s:
            exceeded = "time"
        if exceeded:
            os.killpg(process.pid, signal.SIGKILL)  # the step and every process it forked
            break
        time.sleep(0.5)
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    if not exceeded and process.returncode != 0:
        raise subprocess.CalledProcessError(process.returncode, command, stdout, stderr)
    return Watched(stdout, seconds, peak, exceeded)
