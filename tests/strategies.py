"""Hypothesis strategies for reference live state and snapshot messages."""

from __future__ import annotations

from collections import deque
from typing import Any

from google.protobuf.descriptor import Descriptor, FieldDescriptor
from hypothesis import strategies as st

from renderer.reference import live
from renderer.snapshot import model

INT32 = st.integers(-(2**31), 2**31 - 1)
INT64 = st.integers(-(2**63), 2**63 - 1)
TIMES = st.integers(0, 2**45)
TEXT = st.text(max_size=12)
# Small pools of ids, so that jobs, workers, queues and logs refer to each other.
JOB_IDS = st.sampled_from(["job-a", "job-b", "job-c", "job-d", ""]) | TEXT
WORKER_IDS = st.sampled_from(["worker-1", "worker-2", "worker-3"]) | TEXT
GANG_IDS = st.none() | st.sampled_from(["", "gang-x", "gang-y"])

_SCALARS: dict[int, st.SearchStrategy[Any]] = {
    FieldDescriptor.TYPE_STRING: TEXT,
    FieldDescriptor.TYPE_BYTES: st.binary(max_size=24),
    FieldDescriptor.TYPE_BOOL: st.booleans(),
    FieldDescriptor.TYPE_ENUM: st.integers(0, 12),
    FieldDescriptor.TYPE_INT32: INT32,
    FieldDescriptor.TYPE_INT64: INT64,
}


@st.composite
def messages(draw: st.DrawFn, descriptor: Descriptor, depth: int = 0) -> Any:
    """A message of the descriptor's type with a random subset of fields set."""
    from google.protobuf import message_factory

    message = message_factory.GetMessageClass(descriptor)()
    for field in descriptor.fields:
        if not draw(st.booleans()):
            continue
        container = getattr(message, field.name)
        entry = field.message_type
        if entry is not None and entry.GetOptions().map_entry:
            key_field, value_field = entry.fields_by_name["key"], entry.fields_by_name["value"]
            for key in draw(st.lists(_SCALARS[key_field.type], max_size=2)):
                if value_field.message_type is not None:
                    container[key].CopyFrom(draw(messages(value_field.message_type, depth + 1)))
                else:
                    container[key] = draw(_SCALARS[value_field.type])
        elif field.is_repeated:
            if entry is not None:
                for element in draw(st.lists(messages(entry, depth + 1), max_size=2)):
                    container.add().CopyFrom(element)
            else:
                container.extend(draw(st.lists(_SCALARS[field.type], max_size=2)))
        elif entry is not None:
            container.CopyFrom(draw(messages(entry, depth + 1)))
        else:
            setattr(message, field.name, draw(_SCALARS[field.type]))
    return message


def _optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


LOG_LINES = st.builds(
    model.LogLine,
    timestamp_ms=_optional(TIMES),
    source=_optional(st.sampled_from(["stdout", "stderr", "build", "other"])),
    data=_optional(TEXT),
)

USAGE = st.builds(model.Usage, *([_optional(INT32)] * 6))
BUILD = st.builds(
    model.Build, _optional(TIMES), _optional(TIMES), _optional(st.booleans()), _optional(TEXT)
)


@st.composite
def controller_states(draw: st.DrawFn) -> live.ControllerState:
    from renderer.snapshot.schema import pb

    jobs = draw(
        st.lists(
            st.builds(
                live.ControllerJob,
                job_id=JOB_IDS,
                request=messages(pb.Controller.LaunchJobRequest.DESCRIPTOR),
                state=st.integers(0, 12),
                worker_id=_optional(WORKER_IDS),
                failure_count=INT32,
                preemption_count=INT32,
                max_retries_failure=INT32,
                max_retries_preemption=INT32,
                gang_id=GANG_IDS,
                submitted_at_ms=TIMES,
                started_at_ms=_optional(TIMES),
                finished_at_ms=_optional(TIMES),
                error=_optional(TEXT),
                exit_code=_optional(INT32),
            ),
            max_size=6,
            unique_by=lambda job: job.job_id,
        )
    )
    workers = draw(
        st.lists(
            st.builds(
                live.ControllerWorker,
                worker_id=WORKER_IDS,
                address=TEXT,
                resources=messages(pb.ResourceSpec.DESCRIPTOR),
                healthy=st.booleans(),
                consecutive_failures=INT32,
                last_heartbeat_ms=TIMES,
                running_jobs=st.sets(JOB_IDS, max_size=3),
            ),
            max_size=4,
            unique_by=lambda worker: worker.worker_id,
        )
    )
    endpoints = draw(
        st.lists(
            st.builds(
                live.ControllerEndpoint,
                endpoint_id=TEXT,
                name=TEXT,
                address=TEXT,
                job_id=JOB_IDS,
                namespace=TEXT,
                metadata=st.dictionaries(TEXT, TEXT, max_size=2),
                registered_at_ms=TIMES,
            ),
            max_size=4,
            unique_by=lambda endpoint: endpoint.endpoint_id,
        )
    )
    actions = draw(
        st.lists(
            st.builds(
                live.ActionLogEntry,
                timestamp_ms=TIMES,
                action=TEXT,
                job_id=_optional(JOB_IDS),
                worker_id=_optional(WORKER_IDS),
                details=TEXT,
            ),
            max_size=110,  # past the 100 the controller keeps
        )
    )
    state = live.ControllerState(
        jobs={job.job_id: job for job in jobs},
        workers={worker.worker_id: worker for worker in workers},
        endpoints={endpoint.endpoint_id: endpoint for endpoint in endpoints},
        queue=deque(draw(st.lists(JOB_IDS, max_size=6))),
    )
    state.actions.extend(actions)
    return state


WORKER_JOBS = st.builds(
    live.WorkerJob,
    job_id=JOB_IDS,
    state=st.integers(0, 12),
    exit_code=_optional(INT32),
    error=_optional(TEXT),
    started_at_ms=_optional(TIMES),
    finished_at_ms=_optional(TIMES),
    ports=st.dictionaries(TEXT, INT32, max_size=2),
    usage=_optional(USAGE),
    status_message=_optional(TEXT),
    build=_optional(BUILD),
    logs=st.lists(LOG_LINES, max_size=8),
)


@st.composite
def worker_states(draw: st.DrawFn) -> list[live.WorkerState]:
    ids = draw(st.lists(WORKER_IDS, max_size=3, unique=True))
    states = []
    for worker_id in ids:
        jobs = draw(st.lists(WORKER_JOBS, max_size=4, unique_by=lambda job: job.job_id))
        states.append(live.WorkerState(worker_id, {job.job_id: job for job in jobs}))
    return states
