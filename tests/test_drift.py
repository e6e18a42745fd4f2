"""The schema drift guard the design asks for.

Every field of every snapshot message must reach what a data source returns, and
every field of the reference state dataclasses must reach the snapshot. Both checks
walk descriptors and dataclass fields, so a field added later is covered at once.
"""

from __future__ import annotations

import dataclasses
import sys
import typing
from collections import deque
from collections.abc import Callable
from typing import Any

import pytest
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from google.protobuf.message import Message

from renderer.reference import live
from renderer.snapshot import loading, model
from renderer.snapshot.cluster import open_sources
from renderer.snapshot.schema import pb
from tests import protogen

# ---- snapshot message -> data source ----


def observe_cluster(data: bytes) -> list[Any]:
    """Everything the data sources say about a cluster snapshot's bytes."""
    sources = open_sources([loading.parse(data, "rich.pb", kind="cluster")])
    seen: list[Any] = [sources.captured_at_ms, sources.provenance]
    controller = sources.controller
    if controller is not None:
        jobs = controller.get_jobs()
        seen += [controller.get_stats(), jobs, controller.get_workers()]
        seen += [controller.get_endpoints(), controller.get_actions(limit=None)]
        seen += [controller.get_job_detail(job.job_id) for job in jobs]
    for worker in sources.workers:
        seen += [worker.get_stats(), worker.get_jobs()]
        seen += [worker.get_job_detail(job_id) for job_id in worker.job_ids()]
    return seen


def link_ids(cluster: Message) -> Message:
    """Make the one job and one worker of a populated cluster refer to each other."""
    controller = cluster.controller
    for job in controller.jobs:
        job.status.job_id, job.status.worker_id = "job-1", "worker-1"
    controller.queue_order[:] = ["job-1"]
    for worker in controller.workers:
        worker.worker_id = "worker-1"
        worker.running_job_ids[:] = ["job-1"]
    for endpoint in controller.endpoints:
        endpoint.job_id = "job-1"
    for snapshot in cluster.workers:
        snapshot.worker_id = "worker-1"
        for job in snapshot.jobs:
            job.job_id = "job-1"
        tails = list(snapshot.job_logs.values())
        snapshot.ClearField("job_logs")
        for tail in tails:
            snapshot.job_logs["job-1"].CopyFrom(tail)
    return cluster


def rich_cluster(message_class: type[Message], variant: int) -> Message:
    return link_ids(protogen.populate(message_class(), variant))


@pytest.mark.parametrize("variant", [0, 1, 2], ids=["cpu", "gpu", "tpu"])
def test_every_snapshot_field_reaches_the_data_sources(variant: int) -> None:
    rich = rich_cluster(pb.ClusterSnapshot, variant)
    assert protogen.uncarried(rich, observe_cluster) == []


def extended_schema_cluster_class() -> type[Message]:
    """ClusterSnapshot from a copy of the schema where JobStatus gained a field."""
    file_proto = descriptor_pb2.FileDescriptorProto()
    pb.DESCRIPTOR.CopyToProto(file_proto)
    job_status = next(m for m in file_proto.message_type if m.name == "JobStatus")
    job_status.field.add(
        name="queued_at_ms",
        number=14,
        type=descriptor_pb2.FieldDescriptorProto.TYPE_INT64,
        label=descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL,
    )
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file_proto)
    return message_factory.GetMessageClass(
        pool.FindMessageTypeByName("fluster.cluster.ClusterSnapshot")
    )


def test_guard_catches_a_field_added_to_the_schema_but_not_carried() -> None:
    rich = rich_cluster(extended_schema_cluster_class(), 0)
    assert protogen.uncarried(rich, observe_cluster) == [
        "ClusterSnapshot.controller.jobs[0].status.queued_at_ms",
        "ClusterSnapshot.workers[0].jobs[0].queued_at_ms",
    ]


# ---- reference state dataclass -> snapshot ----

_counter = iter(range(1, 1_000_000))


def _rich_value(hint: Any) -> Any:
    """A distinct, fully populated value of the annotated type."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return _rich_value(next(arg for arg in args if arg is not type(None)))
    if hint is str:
        return f"s{next(_counter)}"
    if hint is bool:
        return True
    if hint is int:
        return next(_counter)
    if origin is dict:
        return {_rich_value(args[0]): _rich_value(args[1])}
    if origin is set:
        return {_rich_value(args[0])}
    if origin is list:
        return [_rich_value(args[0])]
    if origin is deque:
        return deque([_rich_value(args[0])])
    if isinstance(hint, type) and issubclass(hint, Message):
        return protogen.populate(hint())
    if dataclasses.is_dataclass(hint) or _is_named_tuple(hint):
        return rich(hint)  # type: ignore[arg-type]
    raise TypeError(f"no rich value for {hint!r}")


def _is_named_tuple(value: Any) -> bool:
    cls = value if isinstance(value, type) else type(value)
    return issubclass(cls, tuple) and hasattr(cls, "_fields")


def field_names(cls: type) -> list[str]:
    """Fields of a dataclass or a named tuple (both hold state here)."""
    if _is_named_tuple(cls):
        return list(cls._fields)  # type: ignore[attr-defined]
    return [f.name for f in dataclasses.fields(cls)]


def replaced(value: Any, **changes: Any) -> Any:
    if _is_named_tuple(value):
        return value._replace(**changes)
    return dataclasses.replace(value, **changes)


def rich(cls: type) -> Any:
    """An instance of a dataclass or named tuple with every field set to a distinct value."""
    hints = typing.get_type_hints(cls, vars(sys.modules[cls.__module__]))
    return cls(**{name: _rich_value(hints[name]) for name in field_names(cls)})


def _changed_value(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        return value + "~"
    if isinstance(value, dict):
        key, item = next(iter(value.items()))
        return {**value, _changed_value(key): item}
    if isinstance(value, set):
        return value | {_changed_value(next(iter(value)))}
    if isinstance(value, (list, deque)):
        return type(value)([*value, _changed_value(value[0])])
    if isinstance(value, Message):
        changed = type(value)()
        changed.CopyFrom(value)
        path = next(protogen.leaves(changed))
        protogen.mutate(changed, path)
        return changed
    if dataclasses.is_dataclass(value) or _is_named_tuple(value):
        first = field_names(type(value))[0]
        return replaced(value, **{first: _changed_value(getattr(value, first))})
    raise TypeError(f"cannot change {value!r}")


def uncarried_dataclass_fields(cls: type, serialise: Callable[[Any], bytes]) -> list[str]:
    """Fields of `cls` whose change leaves the serialised snapshot the same."""
    baseline = rich(cls)
    expected = serialise(baseline)
    missing = []
    for name in field_names(cls):
        changed = replaced(baseline, **{name: _changed_value(getattr(baseline, name))})
        if serialise(changed) == expected:
            missing.append(f"{cls.__name__}.{name}")
    return missing


def _bytes(*messages: Message) -> bytes:
    return b"|".join(m.SerializeToString(deterministic=True) for m in messages)


def _worker_job_bytes(job: live.WorkerJob) -> bytes:
    return _bytes(job.to_proto(), job.log_tail(live.DEFAULT_LOG_LINES))


SERIALISERS: dict[type, Callable[[Any], bytes]] = {
    live.ControllerJob: lambda job: _bytes(job.to_snapshot("10.0.0.1:8080")),
    live.ControllerWorker: lambda worker: _bytes(worker.to_snapshot()),
    live.ControllerEndpoint: lambda endpoint: _bytes(endpoint.to_snapshot()),
    live.ActionLogEntry: lambda entry: _bytes(entry.to_snapshot()),
    live.ControllerState: lambda state: _bytes(state.to_snapshot(1)),
    live.WorkerJob: _worker_job_bytes,
    live.WorkerState: lambda state: _bytes(state.to_snapshot(1)),
    model.Usage: lambda usage: _worker_job_bytes(live.WorkerJob("j", usage=usage)),
    model.Build: lambda build: _worker_job_bytes(live.WorkerJob("j", build=build)),
    model.LogLine: lambda line: _worker_job_bytes(live.WorkerJob("j", logs=[line])),
}


@pytest.mark.parametrize("cls", list(SERIALISERS), ids=lambda cls: cls.__name__)
def test_every_state_field_reaches_the_snapshot(cls: type) -> None:
    assert uncarried_dataclass_fields(cls, SERIALISERS[cls]) == []


def test_guard_catches_a_state_field_not_carried() -> None:
    @dataclasses.dataclass
    class JobWithQueueTime(live.ControllerJob):
        queued_at_ms: int = 0

    serialise = SERIALISERS[live.ControllerJob]
    assert uncarried_dataclass_fields(JobWithQueueTime, serialise) == [
        "JobWithQueueTime.queued_at_ms"
    ]


def test_state_dataclasses_are_all_checked() -> None:
    """A new dataclass in the reference state must be added to the guard."""
    defined = {
        obj
        for obj in vars(live).values()
        if dataclasses.is_dataclass(obj) and obj.__module__ == live.__name__
    }
    assert defined <= set(SERIALISERS)


# ---- to_snapshot fills every field, except what the other side fills ----

# From the reference: the controller fills JobStatus job_id, state, worker_id,
# worker_address, error, exit_code and the times; the worker fills fields 1-10.
NOT_FILLED = {
    "controller": {
        "fluster.cluster.JobStatus": {
            "ports": "the worker assigns ports",
            "resource_usage": "the worker measures usage",
            "status_message": "the worker reports its phase",
            "build_metrics": "the worker builds",
            "serialized_result": "the result comes back from the job, not from the controller",
        },
        "fluster.cluster.ControllerJobSnapshot": {
            "tasks": "a fluster job is one task; importers of iris fill tasks",
            "parent_job_id": "fluster jobs have no parents; importers of iris fill it",
        },
    },
    "worker": {
        "fluster.cluster.JobStatus": {
            "worker_id": "the controller knows where the job runs",
            "worker_address": "the controller knows where the job runs",
            "serialized_result": "the result comes back from the job, not from the worker",
        },
    },
}


def _filled(message: Message, found: dict[str, set[str]]) -> None:
    name = message.DESCRIPTOR.full_name
    found.setdefault(name, set())
    for field, value in message.ListFields():
        found[name].add(field.name)
        if field.message_type is None:
            continue
        if field.message_type.GetOptions().map_entry:
            items = (
                list(value.values())
                if field.message_type.fields_by_name["value"].message_type
                else []
            )
        else:
            items = list(value) if field.is_repeated else [value]
        for item in items:
            _filled(item, found)


@pytest.mark.parametrize("side", ["controller", "worker"])
def test_to_snapshot_fills_every_field_it_owns(side: str) -> None:
    if side == "controller":
        state = rich(live.ControllerState)
        for job in state.jobs.values():  # running on a known worker, so it has an address
            job.worker_id = next(iter(state.workers))
        snapshot = state.to_snapshot(1)
    else:
        snapshot = rich(live.WorkerState).to_snapshot(1)
    found: dict[str, set[str]] = {}
    _filled(snapshot, found)
    unfilled = []
    for full_name, fields in found.items():
        descriptor = pb.DESCRIPTOR.pool.FindMessageTypeByName(full_name)
        allowed = set(NOT_FILLED[side].get(full_name, {}))
        oneof_members = {
            f.name
            for oneof in descriptor.oneofs
            for f in oneof.fields
            if any(m.name in fields for m in oneof.fields)
        }
        for field in descriptor.fields:
            if field.name not in fields | allowed | oneof_members:
                unfilled.append(f"{full_name}.{field.name}")
    assert unfilled == []


def test_guard_catches_a_data_source_that_drops_a_field(monkeypatch: pytest.MonkeyPatch) -> None:
    from renderer.snapshot import convert

    real_usage = convert.usage

    def usage_without_cpu(m: Any) -> model.Usage:
        return dataclasses.replace(real_usage(m), cpu_percent=None)

    monkeypatch.setattr(convert, "usage", usage_without_cpu)
    rich = rich_cluster(pb.ClusterSnapshot, 0)
    assert protogen.uncarried(rich, observe_cluster) == [
        "ClusterSnapshot.controller.jobs[0].status.resource_usage.cpu_percent",
        "ClusterSnapshot.controller.jobs[0].tasks[0].attempts[0].resource_usage.cpu_percent",
        "ClusterSnapshot.workers[0].jobs[0].resource_usage.cpu_percent",
    ]
