"""The task-state vocabulary: iris's TaskState numbers, names, labels and colours."""

from __future__ import annotations

from renderer.snapshot import states
from renderer.snapshot.schema import pb
from tests.conftest import ROOT


def test_every_task_state_of_the_schema_has_a_name() -> None:
    for value in pb.TaskState.DESCRIPTOR.values:
        state = states.task_state(value.number)
        assert state.known, value.name
        assert value.name == "TASK_STATE_" + state.name.upper()
        assert states.task_state_by_name(state.name) is state


def test_iris_own_task_states() -> None:
    named = {n: (states.task_state(n).name, states.task_state(n).label) for n in range(9, 13)}
    assert named == {
        9: ("assigned", "Assigned"),
        10: ("preempted", "Preempted"),
        11: ("cosched_failed", "Coscheduling failed"),
        12: ("missing", "Missing"),
    }
    # 0-8 are the job states; job states themselves gain nothing.
    assert states.task_state(5) is states.state(5)
    assert not states.state(9).known
    assert states.task_state(13).label == "unknown state 13"


def test_every_task_state_has_a_colour() -> None:
    css = (ROOT / "static" / "style.css").read_text()
    for state in states.KNOWN_TASK_STATES:
        assert f"--status-{state.name}:" in css, state.name
        assert f".{state.css_class} {{ --c: var(--status-{state.name}); }}" in css, state.name


def test_problem_task_states_sort_first() -> None:
    ranked = sorted(range(13), key=states.task_display_rank)
    assert ranked[:6] == [5, 8, 7, 12, 11, 10]
    assert states.task_display_rank(99) > states.task_display_rank(0)
