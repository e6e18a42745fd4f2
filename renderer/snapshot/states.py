"""The job-state vocabulary: one name per state, used by the proto, views, CSS and tests."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class State:
    """How a JobState number is called and shown.

    `name` is the vocabulary word (`worker_failed`), also the CSS class suffix
    (`status-worker_failed`); `label` is what a person reads.
    """

    number: int
    name: str
    label: str
    terminal: bool
    known: bool = True

    @property
    def css_class(self) -> str:
        return f"status-{self.name}" if self.known else "status-unknown"


# Order of display: what needs attention first, then what is in flight, then the rest.
KNOWN_STATES: tuple[State, ...] = (
    State(5, "failed", "Failed", terminal=True),
    State(8, "unschedulable", "Unschedulable", terminal=True),
    State(7, "worker_failed", "Worker failed", terminal=True),
    State(6, "killed", "Killed", terminal=True),
    State(3, "running", "Running", terminal=False),
    State(2, "building", "Building", terminal=False),
    State(1, "pending", "Pending", terminal=False),
    State(4, "succeeded", "Succeeded", terminal=True),
    State(0, "unspecified", "Unspecified", terminal=False),
)

_BY_NUMBER = {state.number: state for state in KNOWN_STATES}
_DISPLAY_RANKS = {state.number: rank for rank, state in enumerate(KNOWN_STATES)}
_BY_NAME = {state.name: state for state in KNOWN_STATES}

PENDING, BUILDING, RUNNING, SUCCEEDED = 1, 2, 3, 4
FAILED, KILLED, WORKER_FAILED, UNSCHEDULABLE = 5, 6, 7, 8

# States a post-mortem reader looks for first.
PROBLEM_STATES = frozenset({FAILED, UNSCHEDULABLE, WORKER_FAILED})


INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1  # the range of an enum number on the wire


@cache
def state(number: int) -> State:
    """Describe a JobState number; numbers from newer schemas get an 'unknown state N' label."""
    known = _BY_NUMBER.get(number)
    if known is not None:
        return known
    return State(
        number, f"unknown_{number}", f"unknown state {number}", terminal=False, known=False
    )


def state_by_name(name: str) -> State:
    """Look up a state by its vocabulary word (`failed`, `unknown_12`)."""
    if name in _BY_NAME:
        return _BY_NAME[name]
    prefix = "unknown_"
    if name.startswith(prefix):
        digits = name[len(prefix) :]
        # Only the names state() gives: any int32, negative ones included ("unknown_-1").
        unsigned = digits.removeprefix("-")
        if unsigned.isascii() and unsigned.isdigit() and len(unsigned) <= 10:
            number = int(digits)
            if str(number) == digits and INT32_MIN <= number <= INT32_MAX:
                return state(number)
    raise KeyError(name)


def display_rank(number: int) -> int:
    """Sort key that puts problem states first, unknown states after the known ones."""
    rank = _DISPLAY_RANKS.get(number)
    if rank is None:
        return len(KNOWN_STATES) + number - INT32_MIN  # after every known state, by number
    return rank


# ---- task states (iris) ----

# A TaskState repeats the JobState numbers 0-8 and adds four of iris's own. Display
# order as for jobs: problems first, then what is in flight, then the rest.
_TASK_ONLY: dict[int, State] = {
    9: State(9, "assigned", "Assigned", terminal=False),
    10: State(10, "preempted", "Preempted", terminal=True),
    11: State(11, "cosched_failed", "Coscheduling failed", terminal=True),
    12: State(12, "missing", "Missing", terminal=True),
}
KNOWN_TASK_STATES: tuple[State, ...] = (
    _BY_NUMBER[5],
    _BY_NUMBER[8],
    _BY_NUMBER[7],
    _TASK_ONLY[12],
    _TASK_ONLY[11],
    _TASK_ONLY[10],
    _BY_NUMBER[6],
    _BY_NUMBER[3],
    _BY_NUMBER[2],
    _TASK_ONLY[9],
    _BY_NUMBER[1],
    _BY_NUMBER[4],
    _BY_NUMBER[0],
)
_TASK_BY_NUMBER = {s.number: s for s in KNOWN_TASK_STATES}
_TASK_BY_NAME = {s.name: s for s in KNOWN_TASK_STATES}

ASSIGNED, PREEMPTED, COSCHED_FAILED, MISSING = 9, 10, 11, 12


@cache
def task_state(number: int) -> State:
    """Describe a TaskState number; unknown numbers get an 'unknown state N' label."""
    return _TASK_BY_NUMBER.get(number) or state(number)


def task_state_by_name(name: str) -> State:
    """Look up a task state by its vocabulary word (`preempted`, `unknown_13`)."""
    if name in _TASK_BY_NAME:
        return _TASK_BY_NAME[name]
    return state_by_name(name)


def task_display_rank(number: int) -> int:
    """Sort key for task states, like `display_rank` for jobs."""
    for rank, known in enumerate(KNOWN_TASK_STATES):
        if known.number == number:
            return rank
    return len(KNOWN_TASK_STATES) + number
