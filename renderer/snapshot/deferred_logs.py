"""Log tails kept as bytes until a page needs them, so memory does not follow the logs.

A parsed log line costs some 75 bytes in memory however short it is on the wire (an
empty line is 2 bytes), so a snapshot of five million empty lines would take 40 times
its size once parsed. Binary snapshots are therefore read in two steps: the worker
snapshots' `job_logs` entries (and the controller's job records, see
renderer.snapshot.job_records) are cut out of the bytes before the rest is parsed,
and each log tail is parsed when its job's page is written, one at a time. A tail larger
than LARGE_TAIL bytes is never parsed whole: only its last lines are.

Only the wire format is read here (tags and lengths); anything malformed makes the
split give up, and the snapshot is then parsed whole as before, which reports the
damage.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from google.protobuf.message import DecodeError, Message

from renderer.snapshot import job_records
from renderer.snapshot.job_records import JobRecords
from renderer.snapshot.schema import pb
from renderer.snapshot.wire import Malformed, fields, length_key, varint

LARGE_TAIL = 4 << 20  # bytes; a tail this large is counted and cut on the wire

# Field numbers (proto/cluster.proto).
_CLUSTER_CONTROLLER, _CLUSTER_WORKERS = 11, 12
_WORKER_JOB_LOGS = 4
_ENTRY_KEY, _ENTRY_VALUE = 1, 2
_TAIL_LINES, _TAIL_TOTAL = 1, 2


@dataclass
class DeferredTail:
    """One job's log tail: its own bytes (cut from the snapshot's, which are then let
    go), counted at once, parsed when asked."""

    data: bytes
    lines: int = 0  # lines the tail holds
    total_lines: int | None = None  # as the worker recorded it
    _parsed: pb.LogTail | None = field(default=None, repr=False)

    def count(self) -> None:
        """Count the lines (parsing a small tail whole, which also checks it)."""
        if len(self.data) <= LARGE_TAIL:
            tail = self._parse(self.data)
            self.lines = len(tail.lines)
            self.total_lines = tail.total_lines if tail.HasField("total_lines") else None
            return
        lines, total = 0, None
        for number, wire_type, _, value_start, _end in fields(self.data, 0, len(self.data)):
            if number == _TAIL_LINES and wire_type == 2:
                lines += 1
            elif number == _TAIL_TOTAL and wire_type == 0:
                raw, _ = varint(self.data, value_start)
                total = raw - (1 << 64) if raw >= 1 << 63 else raw
                total = ((total + (1 << 31)) % (1 << 32)) - (1 << 31)  # int32 as sent
        self.lines, self.total_lines = lines, total

    def tail(self, limit: int | None) -> pb.LogTail:
        """The tail with at most its last `limit` lines (all for None)."""
        if limit is None or self.lines <= limit or len(self.data) <= LARGE_TAIL:
            return self._parse(self.data)
        kept: deque[tuple[int, int]] = deque(maxlen=max(limit, 0))
        for number, wire_type, tag_start, _, value_end in fields(self.data, 0, len(self.data)):
            if number == _TAIL_LINES and wire_type == 2:
                kept.append((tag_start, value_end))
        body = b"".join(self.data[a:b] for a, b in kept)
        tail = self._parse(body)
        tail.total_lines = self.total_lines if self.total_lines is not None else self.lines
        return tail

    @staticmethod
    def _parse(data: bytes) -> pb.LogTail:
        tail = pb.LogTail()
        try:
            tail.ParseFromString(data)
        except DecodeError as error:
            raise Malformed(f"a damaged log tail: {error}") from None
        return tail


@dataclass(frozen=True)
class Split:
    """A snapshot's bytes without its log tails and job records, in pieces; the tails by
    worker and job id; the job records (renderer.snapshot.job_records). A piece is a
    view of the snapshot's bytes where nothing was cut, or a worker snapshot or a
    controller rebuilt without what was cut; parsing them one after another gives the
    message without its logs and jobs."""

    pieces: tuple[bytes | memoryview, ...]
    tails: tuple[dict[str, DeferredTail], ...]  # per worker snapshot, in their order
    jobs: JobRecords | None = None  # the controller's, for a cluster or controller snapshot

    def parse_into(self, message: Message) -> None:
        """Parse the pieces into `message` (merging them, as protobuf reads a
        concatenation). Raises DecodeError when they are not that message."""
        message.Clear()
        for piece in self.pieces:
            message.MergeFromString(piece)  # type: ignore[arg-type]  # any buffer is read


def split_worker(data: bytes) -> Split:
    """A WorkerSnapshot's bytes without its log tails."""
    rest, tails = _split_worker(data, 0, len(data))
    return Split((rest,), (tails,))


def split_controller(data: bytes) -> Split:
    """A ControllerSnapshot's bytes without its job records."""
    rest, spans = job_records.split_controller(data, 0, len(data))
    return Split((rest,), (), JobRecords(data, spans) if spans.starts else None)


def split_cluster(data: bytes) -> Split:
    """A ClusterSnapshot's bytes with each worker snapshot's log tails and the
    controller's job records cut out."""
    view = memoryview(data)
    pieces: list[bytes | memoryview] = []
    tails: list[dict[str, DeferredTail]] = []
    spans = job_records.Spans()
    kept = 0  # where the bytes not yet in a piece start
    for number, wire_type, tag_start, value_start, value_end in fields(data, 0, len(data)):
        if wire_type != 2 or number not in (_CLUSTER_CONTROLLER, _CLUSTER_WORKERS):
            continue
        if kept < tag_start:
            pieces.append(view[kept:tag_start])
        kept = value_end
        if number == _CLUSTER_WORKERS:
            rest, worker_tails = _split_worker(data, value_start, value_end)
            tails.append(worker_tails)
        else:
            rest, controller_spans = job_records.split_controller(data, value_start, value_end)
            spans.extend(controller_spans)
        pieces.append(length_key(number, len(rest)) + rest)
    if kept < len(data):
        pieces.append(view[kept:])
    jobs = JobRecords(data, spans) if spans.starts else None  # else the bytes are let go
    return Split(tuple(pieces), tuple(tails), jobs)


def _split_worker(data: bytes, start: int, end: int) -> tuple[bytes, dict[str, DeferredTail]]:
    view = memoryview(data)
    parts: list[memoryview] = []
    tails: dict[str, DeferredTail] = {}
    for number, wire_type, tag_start, value_start, value_end in fields(data, start, end):
        if number != _WORKER_JOB_LOGS or wire_type != 2:
            parts.append(view[tag_start:value_end])
            continue
        key, tail = "", DeferredTail(b"")  # an entry may lack either
        for entry_number, entry_type, _, entry_start, entry_end in fields(
            data, value_start, value_end
        ):
            if entry_number == _ENTRY_KEY and entry_type == 2:
                try:
                    key = data[entry_start:entry_end].decode("utf-8")
                except UnicodeDecodeError:
                    raise Malformed("a log key that is not UTF-8") from None
            elif entry_number == _ENTRY_VALUE and entry_type == 2:
                tail = DeferredTail(data[entry_start:entry_end])  # a copy: its own bytes
            else:
                raise Malformed("a job_logs entry with unknown fields")
        tail.count()
        tails[key] = tail  # a key given twice: the last entry wins, as in a parsed map
    return b"".join(parts), tails
