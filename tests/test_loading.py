"""Reading snapshots: three formats, three kinds, and clear errors for bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from google.protobuf import json_format, text_format

from renderer.snapshot import loading
from renderer.snapshot.loading import SnapshotError
from renderer.snapshot.schema import pb
from tests import wire
from tests.conftest import run_cli

# ---- a snapshot written by another program, from field numbers alone ----

JOB_A = "6f1c2b9e-0d4a-4c53-9a55-6a0f1e0c1a01"
JOB_B = "0b7d4f0e-3c55-4a8e-8a9c-2e1f7a6d9b02"
JOB_C = "9a0e8c1d-5b3f-4e2a-b7c6-d4e3f2a1b003"


def independent_controller_snapshot() -> bytes:
    def job(job_id: str, state: int, name: str, **extra: int) -> bytes:
        status = [wire.str_field(1, job_id), wire.int_field(2, state)]
        if "exit_code" in extra:
            status.append(wire.int_field(3, extra["exit_code"]))
        return wire.message(
            2,
            wire.message(1, *status),
            wire.int_field(2, extra.get("failures", 0)),
            wire.int_field(7, 1_795_918_000_000),
            wire.message(8, wire.str_field(1, name)),
        )

    return b"".join(
        [
            wire.int_field(1, 1_795_918_417_000),
            job(JOB_A, 5, "train", exit_code=1, failures=1),
            job(JOB_B, 8, "tpu-job"),
            job(JOB_C, 3, "serve"),
            wire.message(
                3,
                wire.str_field(1, "worker-1a2b3c4d"),
                wire.str_field(2, "10.0.0.1:8080"),
                wire.int_field(4, 1),
            ),
            wire.message(
                3,
                wire.str_field(1, "worker-5e6f7a8b"),
                wire.str_field(2, "10.0.0.2:8080"),
                wire.int_field(4, 0),
            ),
            wire.message(
                4,
                wire.str_field(2, "serve/http"),
                wire.str_field(4, JOB_C),
                wire.int_field(7, 1_795_918_100_000),
            ),
            wire.message(
                5,
                wire.int_field(1, 1_795_918_000_000),
                wire.str_field(2, "job_submitted"),
                wire.str_field(3, JOB_A),
                wire.str_field(5, "train"),
            ),
            wire.str_field(6, JOB_B),
        ]
    )


def independent_worker_snapshot() -> bytes:
    log_tail = wire.message(
        2,
        wire.message(
            1,
            wire.int_field(1, 1_795_918_001_000),
            wire.str_field(2, "stderr"),
            wire.str_field(3, "Traceback (most recent call last):"),
        ),
        wire.int_field(2, 4000),
    )
    return b"".join(
        [
            wire.int_field(1, 1_795_918_417_000),
            wire.str_field(2, "worker-1a2b3c4d"),
            wire.message(
                3,
                wire.str_field(1, JOB_A),
                wire.int_field(2, 5),
                wire.int_field(3, 1),
                wire.message(8, wire.int_field(1, 2048), wire.int_field(4, 4096)),
            ),
            wire.message(4, wire.str_field(1, JOB_A), log_tail),
        ]
    )


def test_controller_snapshot_from_another_program_loads_and_inspects(tmp_path: Path) -> None:
    path = tmp_path / "written-elsewhere.bin"
    path.write_bytes(independent_controller_snapshot())
    snapshot = loading.load(path)
    assert (snapshot.kind, snapshot.format, snapshot.newer_fields) == ("controller", "binary", 0)

    result = run_cli("inspect", str(path), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["kind"] == "controller"
    assert report["captured_at"] == "2026-11-29 02:13:37 UTC"
    assert report["controller"] == {
        "jobs": 3,
        "jobs_by_state": {"failed": 1, "unschedulable": 1, "running": 1},
        "workers_healthy": 1,
        "workers_total": 2,
        "endpoints": 1,
        "actions": 1,
    }


def test_worker_snapshot_from_another_program_loads(tmp_path: Path) -> None:
    path = tmp_path / "worker.pb"
    path.write_bytes(independent_worker_snapshot())
    report = json.loads(run_cli("inspect", str(path), "--json").stdout)
    assert report["kind"] == "worker"
    assert report["workers"] == [
        {"worker_id": "worker-1a2b3c4d", "jobs": 1, "jobs_by_state": {"failed": 1}}
    ]
    assert report["largest_logs"] == [
        {"job_id": JOB_A, "worker_id": "worker-1a2b3c4d", "lines": 1, "total_lines": 4000}
    ]


def test_cluster_envelope_from_another_program_loads(tmp_path: Path) -> None:
    data = (
        wire.int_field(10, 1_795_918_417_000)
        + wire.bytes_field(11, independent_controller_snapshot())
        + wire.bytes_field(12, independent_worker_snapshot())
    )
    snapshot = loading.parse(data, "cluster.pb")
    assert snapshot.kind == "cluster"
    assert len(snapshot.message.workers) == 1
    assert len(snapshot.message.controller.jobs) == 3


# ---- kinds and formats ----


@pytest.mark.parametrize("fmt", loading.FORMATS)
def test_every_kind_is_recognised_in_every_format(fmt: loading.Format) -> None:
    controller = pb.ControllerSnapshot()
    controller.ParseFromString(independent_controller_snapshot())
    worker = pb.WorkerSnapshot()
    worker.ParseFromString(independent_worker_snapshot())
    cluster = pb.ClusterSnapshot(captured_at_ms=5, controller=controller, workers=[worker])
    for kind, message in (("controller", controller), ("worker", worker), ("cluster", cluster)):
        snapshot = loading.parse(loading.dump(message, fmt), f"x.{fmt}")
        assert (snapshot.kind, snapshot.format) == (kind, fmt)
        assert snapshot.message == message


@pytest.mark.parametrize("fmt", ["json", "text"])
@pytest.mark.parametrize("shift", [0, 1, 2, 3])
def test_text_is_told_from_its_start_and_read_whole(fmt: str, shift: int) -> None:
    """The start of a file tells text from binary; a character cut where that start
    ends, and text past it, still read as the file wrote them."""
    name = "x" * shift + "\u00e9\U0001f600" * 4000  # two- and four-byte characters
    message = pb.ControllerSnapshot(
        captured_at_ms=5,
        jobs=[pb.ControllerJobSnapshot(status=pb.JobStatus(job_id="j"))],
    )
    message.jobs[0].request.name = name
    if fmt == "json":  # its characters as they are, not as \\u escapes
        data = json_format.MessageToJson(message, ensure_ascii=False).encode()
    else:
        data = text_format.MessageToString(message, as_utf8=True).encode()
    assert len(data) > 16_384
    assert not data.isascii()
    snapshot = loading.parse(data, f"x.{fmt}")
    assert (snapshot.kind, snapshot.format) == ("controller", fmt)
    assert snapshot.message.jobs[0].request.name == name


def test_text_that_turns_binary_past_its_start_is_not_read_as_text() -> None:
    data = loading.dump(pb.ControllerSnapshot(captured_at_ms=5), "json")
    data = data.rstrip()[:-1] + b', "x": "' + b"a" * 20_000 + b'\xff"}'
    with pytest.raises(SnapshotError) as raised:
        loading.parse(data, "late.json")
    assert "late.json" in str(raised.value)


def test_a_newer_schema_field_is_kept_aside_and_counted() -> None:
    data = independent_controller_snapshot() + wire.str_field(40, "from a newer fluster")
    snapshot = loading.parse(data, "newer.pb")
    assert (snapshot.kind, snapshot.newer_fields) == ("controller", 1)


def test_an_unknown_state_number_survives() -> None:
    data = wire.int_field(1, 5) + wire.message(
        2, wire.message(1, wire.str_field(1, "j"), wire.int_field(2, 12))
    )
    snapshot = loading.parse(data, "newer-states.pb")
    assert snapshot.message.jobs[0].status.state == 12


def test_a_file_that_could_be_two_kinds_asks_for_kind(tmp_path: Path) -> None:
    path = tmp_path / "only-a-time.pb"
    path.write_bytes(wire.int_field(1, 1_795_918_417_000))
    with pytest.raises(SnapshotError, match="--kind controller, --kind worker"):
        loading.load(path)
    assert loading.load(path, kind="worker").kind == "worker"
    result = run_cli("inspect", str(path))
    assert result.returncode == 2
    assert "cannot tell whether this is a controller or worker snapshot" in result.stderr


# ---- bad files ----

BAD_FILES = {
    "empty": b"",
    "whitespace": b"  \n",
    "random bytes": bytes(range(256)) * 3,
    "truncated": independent_controller_snapshot()[:-7],
    "wrong message": pb.Controller.LaunchJobRequest(
        name="x", serialized_entrypoint=b"\x00\xff" * 40, ports=["a"]
    ).SerializeToString(),
    "bad json": b'{"capturedAtMs": 5,',
    "json array": b"[1, 2]",
    "json unknown field": b'{"capturedAtMs": "5", "jobs": [], "colour": "red"}',
    "json mistyped field": b'{"capturedAtMs": "soon", "queueOrder": ["a"]}',
    "empty json": b"{}",
    "text garbage": b"this is not a snapshot\n",
    "bad utf-8 string": wire.int_field(1, 5) + wire.bytes_field(6, b"\xff\xfe"),
    "bad utf-8 worker id": wire.int_field(1, 5) + wire.bytes_field(2, b"\xff\xfe"),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_files_give_one_line_naming_the_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name.replace(' ', '-')}.pb"
    path.write_bytes(BAD_FILES[name])
    with pytest.raises(SnapshotError) as caught:
        loading.load(path)
    message = str(caught.value)
    assert message.startswith(str(path) + ": ")
    assert "\n" not in message
    assert len(message) < 400


def test_truncation_at_every_byte_is_an_error_or_a_valid_snapshot() -> None:
    data = independent_controller_snapshot()
    outcomes = set()
    for cut in range(len(data)):
        try:
            # A cut at a field boundary leaves a smaller, still valid snapshot.
            outcomes.add(loading.parse(data[:cut], "cut.pb").kind)
        except SnapshotError as error:
            outcomes.add(str(error).split(": ")[0])
    assert outcomes == {"controller", "cut.pb"}


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(SnapshotError, match="cannot read"):
        loading.load(tmp_path / "absent.pb")
    with pytest.raises(SnapshotError, match="cannot read"):
        loading.load(tmp_path)


def test_bad_file_through_the_cli_exits_2_without_traceback(tmp_path: Path) -> None:
    path = tmp_path / "truncated.pb"
    path.write_bytes(BAD_FILES["truncated"])
    result = run_cli("inspect", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert str(path) in result.stderr
    assert "Traceback" not in result.stderr


def test_error_text_from_a_hostile_file_cannot_reach_the_terminal_raw(tmp_path: Path) -> None:
    path = tmp_path / "hostile.txtpb"
    path.write_text('captured_at_ms: 1\nqueue_order: "\\x1b[2J" colour: 1\n')
    result = run_cli("inspect", str(path))
    assert result.returncode == 2
    assert "\x1b" not in result.stderr
