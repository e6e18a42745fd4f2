"""Failure groups: what an error's signature keeps and drops, and how failures are grouped."""

from __future__ import annotations

import dataclasses
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renderer.snapshot import failures, model, states
from renderer.snapshot.failures import SIGNATURE_LENGTH, signature

OOM = "RuntimeError: CUDA out of memory. Tried to allocate {} GiB"


def job(job_id: str, state: int = states.FAILED, error: str | None = None, **fields):  # type: ignore[no-untyped-def]
    values = {
        "name": None,
        "worker_id": None,
        "exit_code": None,
        "submitted_at_ms": None,
        "started_at_ms": None,
        "finished_at_ms": None,
        "failure_count": None,
        "preemption_count": None,
        "gang_id": None,
        "resources": None,
        "queue_position": None,
        **fields,
    }
    return model.JobSummary(job_id=job_id, state=state, error=error, **values)


def task(task_id: str, state: int, error: str | None, finished: int | None = None) -> model.Task:
    return model.Task(
        task_id, None, state, None, error, None, finished, None, None, None, (), None, ()
    )


def no_tasks(job_id: str) -> tuple[model.Task, ...]:
    return ()


# ---- signatures ----


def test_out_of_memory_of_any_size_is_one_group() -> None:
    found = [
        failures.job_failure(job("a", error=OOM.format("2.00"), finished_at_ms=10)),
        failures.job_failure(job("b", error=OOM.format("3.50"), finished_at_ms=20)),
    ]
    (group,) = failures.group(found)
    assert group.signature == OOM.format("<n>")
    assert group.count == 2
    assert group.job_ids == ("a", "b")
    assert group.example.job_id == "b", "the newest failure is the example"
    assert (group.first_ms, group.last_ms) == (10, 20)


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        # ids: words and numbers, uuids, hex digests and pointers
        ("Worker worker-36f675cc failed", "Worker worker-0c5c7fd0 failed", "Worker <id> failed"),
        ("KeyError: 'shard_00042'", "KeyError: 'shard_7'", "KeyError: '<id>'"),
        (
            "task 3f2a9b1c-1111-2222-3333-444455556666 lost",
            "task 00000000-aaaa-bbbb-cccc-dddddddddddd lost",
            "task <id> lost",
        ),
        ("digest a94a8fe5ccb19ba6 bad", "digest 0c5c7fd0e2 bad", "digest <hex> bad"),
        ("segfault at 0x7ffd1234", "segfault at 0XDEADBEEF", "segfault at <hex>"),
        # numbers, whatever their size and form
        ("loss is NaN at step 18200", "loss is NaN at step 1820000", "loss is NaN at step <n>"),
        ("took 1.5s of 1,000s", "took 12s of 3.25e-4s", "took <n>s of <n>s"),
        ("ranks 3-4 died", "ranks 10-12 died", "ranks <n>-<n> died"),
        ("-5 is negative", "+12 is negative", "<n> is negative"),
        # addresses
        ("refused 10.0.0.1:8080", "refused 192.168.14.200", "refused <addr>"),
        ("refused [2001:db8::1]:8080", "refused [::1]", "refused <addr>"),
        ("refused 2001:db8::1", "refused fe80::1ff:fe23:4567:890a%eth0", "refused <addr>"),
        (
            "refused 2001:0db8:85a3:0000:0000:8a2e:0370:7334",
            "refused ::1",
            "refused <addr>",
        ),
        ("refused host-a.example.com:443", "refused localhost:5000", "refused <addr>"),
        # URLs and paths
        (
            "FileNotFoundError: gs://datasets/web/shard-00042.parquet",
            "FileNotFoundError: s3://b/x",
            "FileNotFoundError: <url>",
        ),
        ("see 'https://example.com/a?b=1'.", "see 'http://x.test/'.", "see '<url>'."),
        ("open /data/shard-00042.parquet: denied", "open ~/x/y.txt: denied", "open <path>: denied"),
        ("bad ../torch/csrc/ProcessGroupNCCL.cpp:1269", "bad ./a.cpp:7", "bad <path>:<n>"),
        (r"missing C:\Users\x\file.txt", r"missing d:\data", "missing <path>"),
        ("job /alice/train-7/3 failed", "job /bob/eval/12 failed", "job <path> failed"),
        # times
        (
            "at 2026-11-29T02:13:37.123Z: timeout",
            "at 2025-01-02 03:04:05,6+01:00: timeout",
            "at <time>: timeout",
        ),
        ("timeout at 02:13:37", "timeout at 23:59:59.999", "timeout at <time>"),
    ],
)
def test_what_differs_between_occurrences_is_normalised(
    first: str, second: str, expected: str
) -> None:
    assert signature(first) == signature(second) == expected


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            "AssertionError: expected 8 devices, found 7",
            "AssertionError: expected <n> devices, found <n>",
        ),
        ("ValueError: loss is NaN", "ValueError: loss is NaN"),
        (
            "Scheduling timeout exceeded (900s): no worker offers the requested device",
            "Scheduling timeout exceeded (<n>s): no worker offers the requested device",
        ),
        ("hash deadbeefcafe mismatch", "hash deadbeefcafe mismatch"),  # no digit: a word
        ("std::vector<int> has no member", "std::vector<int> has no member"),
        ("KeyError: 'abc'", "KeyError: 'abc'"),
    ],
)
def test_the_exception_type_and_the_words_are_kept(error: str, expected: str) -> None:
    assert signature(error) == expected


def test_different_exceptions_are_different_groups() -> None:
    assert signature("ValueError: bad input") != signature("TypeError: bad input")
    assert signature("ValueError: bad input") != signature("ValueError: bad output")


FRAMES = (
    'Traceback (most recent call last):\n  File "/app/train.py", line 31, in <module>\n    main()\n'
)


@pytest.mark.parametrize(
    "error",
    [
        FRAMES + "RuntimeError: CUDA error 700",
        FRAMES + "RuntimeError: CUDA error 700\n",
        FRAMES + "RuntimeError: CUDA error 700\nwandb: waiting for the run to finish\n",
        "Job exited\n" + FRAMES + "RuntimeError: CUDA error 700",
        FRAMES
        + "KeyError: 'x'\n\nDuring handling of the above exception, another exception occurred:\n\n"
        + FRAMES
        + "RuntimeError: CUDA error 700",
    ],
)
def test_a_traceback_is_told_by_its_exception(error: str) -> None:
    assert failures.telling_line(error) == "RuntimeError: CUDA error 700"
    assert signature(error) == "RuntimeError: CUDA error <n>"


def test_other_errors_are_told_by_their_first_line() -> None:
    assert signature("\n\n  OOM killed\nmore detail 1\n") == "OOM killed"
    assert failures.telling_line("Traceback (most recent call last):") == (
        "Traceback (most recent call last):"
    )


def test_no_message_is_told_apart_by_exit_code() -> None:
    assert signature(None) == signature("") == signature(" \n ") == "no error message"
    assert signature(None, 137) == "no error message, exit code 137"
    found = [
        failures.job_failure(job("a", error=None, exit_code=137)),
        failures.job_failure(job("b", error="  \n", exit_code=137)),
        failures.job_failure(job("c", error=None, exit_code=1)),
        failures.job_failure(job("d", error="\x07\x1b[0m", exit_code=1)),
    ]
    groups = failures.group(found)
    assert [(g.signature, g.job_ids) for g in groups] == [
        ("no error message, exit code 1", ("c", "d")),  # as large, no time: by signature
        ("no error message, exit code 137", ("a", "b")),
    ]


def test_escapes_and_control_characters_are_dropped() -> None:
    coloured = "\x1b[31mValueError\x1b[0m: bad\u202e 3\x00"
    assert signature(coloured) == signature("ValueError: bad 3") == "ValueError: bad <n>"
    assert signature("\x1b]8;;http://x\x07link\x1b]8;;\x07 broke") == "link broke"


def test_a_line_of_control_characters_is_not_the_telling_one() -> None:
    assert signature("\x1b[31m\x07\x85\u202eValueError: 3") == "ValueError: <n>"


def test_a_long_error_is_cut_to_the_signature_length() -> None:
    sig = signature("ValueError: " + "word " * 500)
    assert len(sig) <= SIGNATURE_LENGTH
    assert sig == sig.strip()


# ---- grouping ----


def test_groups_are_ordered_by_size_then_newest_then_signature() -> None:
    found = [
        failures.job_failure(job("a1", error="A: one", finished_at_ms=5)),
        failures.job_failure(job("b1", error="B: two", finished_at_ms=50)),
        failures.job_failure(job("b2", error="B: two", finished_at_ms=1)),
        failures.job_failure(job("c1", error="C: three", finished_at_ms=5)),
        failures.job_failure(job("d1", error="D: four", finished_at_ms=90)),
    ]
    order = [g.signature for g in failures.group(found)]
    assert order == ["B: two", "D: four", "A: one", "C: three"]
    for seed in range(5):
        shuffled = found[:]
        random.Random(seed).shuffle(shuffled)
        again = failures.group(shuffled)
        assert [g.signature for g in again] == order
        assert [g.example for g in again] == [g.example for g in failures.group(found)]
        assert [g.key for g in again] == [failures.group_key(s) for s in order]


def test_states_are_counted_most_first() -> None:
    found = [
        failures.job_failure(job("a", states.WORKER_FAILED, "lost")),
        failures.job_failure(job("b", states.FAILED, "lost")),
        failures.job_failure(job("c", states.FAILED, "lost")),
    ]
    (group,) = failures.group(found)
    assert group.by_state == ((states.FAILED, 2), (states.WORKER_FAILED, 1))


def test_failed_tasks_speak_for_their_job() -> None:
    tasks = {
        "iris": (
            task("iris/0", states.FAILED, OOM.format("1"), 30),
            task("iris/1", states.SUCCEEDED, None),
            task("iris/2", states.COSCHED_FAILED, OOM.format("2"), 40),
        ),
        "alive": (task("alive/0", states.FAILED, "ValueError: 7", 10),),
    }
    jobs = [
        job("iris", error="job failed", tasks_by_state=((states.FAILED, 1), (4, 1), (11, 1))),
        job("alive", states.RUNNING, tasks_by_state=((states.FAILED, 1),)),
        job("plain", error="ValueError: 3"),
        job("fine", states.SUCCEEDED),
    ]
    found = failures.failures(jobs, lambda job_id: tasks.get(job_id, ()))
    assert [(f.job_id, f.task_id) for f in found] == [
        ("iris", "iris/0"),
        ("iris", "iris/2"),
        ("alive", "alive/0"),
        ("plain", None),
    ]
    groups = failures.group(found)
    oom = next(g for g in groups if g.signature.startswith("RuntimeError"))
    assert (oom.count, oom.tasks, oom.jobs) == (2, 2, 1)
    value = next(g for g in groups if g.signature.startswith("ValueError"))
    assert value.job_ids == ("alive", "plain")
    assert value.tasks == 1


def test_a_problem_job_without_failed_tasks_is_its_own_failure() -> None:
    found = failures.failures([job("j", error="boom 1")], no_tasks)
    assert [(f.job_id, f.task_id, f.error) for f in found] == [("j", None, "boom 1")]


# ---- properties ----

# Characters the patterns look at, and any character at all.
_ALPHABET = st.sampled_from(list("abcdefxzABCDEFXZ0123456789 .,:;-_+/\\[]()%@'\"<>=~\n\t\x1b")) | (
    st.characters()
)
ERRORS = st.text(alphabet=_ALPHABET, max_size=400)
DIGITS = "0123456789"


@settings(deadline=None)  # a shared machine's pauses are not failures
@given(ERRORS, st.none() | st.integers(-(2**31), 2**31 - 1))
def test_a_signature_never_raises_and_is_bounded(error: str, exit_code: int | None) -> None:
    text = signature(error, exit_code)
    assert 0 < len(text) <= SIGNATURE_LENGTH
    assert all(ch.isprintable() for ch in text), "one printable line"
    assert failures.group_key(text) == failures.group_key(signature(error, exit_code))


@settings(deadline=None)
@given(ERRORS, st.lists(st.sampled_from(DIGITS), min_size=10, max_size=10))
def test_a_signature_is_stable_under_renumbering(error: str, mapping: list[str]) -> None:
    renumbered = error.translate(str.maketrans(DIGITS, "".join(mapping)))
    assert signature(renumbered) == signature(error)


def test_a_group_is_looked_up_by_its_key_not_by_every_job_in_it() -> None:
    """The job list looks up each failed job's group: hashing a group walked all its
    job ids, a million times over for a million jobs (17 s of the render)."""

    class NoHash(str):
        def __hash__(self) -> int:
            raise AssertionError("a group's hash read its job ids")

    jobs = [job(f"j{i}", error=OOM.format(i)) for i in range(3)]
    (group,) = failures.group(failures.failures(jobs, no_tasks))
    huge = dataclasses.replace(group, job_ids=tuple(NoHash(f"j{i}") for i in range(10_000)))
    assert {huge: 1}[huge] == 1
    assert hash(huge) == hash(group)
    same = dataclasses.replace(group)
    assert same == group
    assert {group: "found"}[same] == "found"
