"""The controller's job records kept as bytes, each parsed when it is read.

A parsed job takes about twice its size on the wire, and every process of a render
that reads one touches memory the others share. A million jobs' controller parsed
whole held 2 GB; kept as the snapshot's bytes it holds their 1 GB, which no process
writes to, so forked processes share it whole. Each record is parsed when the data
source reads it: once for its summary, again for a job's detail page.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence

from google.protobuf.message import DecodeError

from renderer.snapshot.schema import pb
from renderer.snapshot.wire import Malformed, field_at

_JOB_TAG = (2 << 3) | 2  # ControllerSnapshot.jobs (proto/cluster.proto), length-delimited


class JobRecords:
    """A controller's job records, in the order the snapshot holds them: spans of the
    snapshot's bytes, or messages already parsed (a snapshot built in memory)."""

    def __init__(self, data: bytes = b"", spans: Spans | None = None) -> None:
        self.data = data  # the snapshot's bytes, when the records are spans of them
        self._view = memoryview(data)
        self._spans = spans if spans is not None else Spans()
        self._messages: Sequence[pb.ControllerJobSnapshot] | None = None

    @classmethod
    def parsed(cls, messages: Sequence[pb.ControllerJobSnapshot]) -> JobRecords:
        records = cls()
        records._messages = messages
        return records

    def __len__(self) -> int:
        return len(self._messages) if self._messages is not None else len(self._spans.starts)

    def get(self, index: int) -> pb.ControllerJobSnapshot:
        """Record `index`, parsed; raises Malformed when its bytes are no job record."""
        if self._messages is not None:
            return self._messages[index]
        spans = self._spans
        try:
            return pb.ControllerJobSnapshot.FromString(
                self._view[spans.starts[index] : spans.ends[index]]  # type: ignore[arg-type]
            )
        except DecodeError as error:
            raise Malformed(f"job record {index + 1:,} is damaged: {error}") from None

    def __iter__(self) -> Iterator[pb.ControllerJobSnapshot]:
        return self.between(0, len(self))

    def between(self, first: int, stop: int) -> Iterator[pb.ControllerJobSnapshot]:
        """Records `first` to `stop` (not included), parsed: a run of records next to
        each other in the bytes is parsed at once, as a controller of those jobs alone
        (a record at a time took half as long again)."""
        if self._messages is not None:
            yield from self._messages[first:stop]
            return
        spans = self._spans
        for start in range(first, stop, _RUN):
            last = min(start + _RUN, stop) - 1
            run = None
            if all(spans.tags[i + 1] == spans.ends[i] for i in range(start, last)):
                try:
                    run = pb.ControllerSnapshot.FromString(
                        self._view[spans.tags[start] : spans.ends[last]]  # type: ignore[arg-type]
                    )
                except DecodeError:
                    run = None  # a record at a time, to say which is damaged
            if run is not None and len(run.jobs) == last - start + 1:
                yield from run.jobs
            else:
                yield from (self.get(index) for index in range(start, last + 1))


_RUN = 4096  # records parsed at once


class Spans:
    """Where each record's field (its tag), its bytes, and its end are in the snapshot."""

    def __init__(self) -> None:
        self.tags, self.starts, self.ends = array("q"), array("q"), array("q")

    def extend(self, other: Spans) -> None:
        self.tags += other.tags
        self.starts += other.starts
        self.ends += other.ends


def split_controller(data: bytes, start: int, end: int) -> tuple[bytes, Spans]:
    """A ControllerSnapshot's bytes (`data[start:end]`) without its job records, and
    where each record is in `data`.

    The records' tag is one byte (field 2, length-delimited) and their length is read
    inline: a million of them take 1.3 s here, 1.9 s calling `wire.varint` and 3 s
    through `wire.fields`.
    """
    view = memoryview(data)
    rest: list[memoryview] = []
    spans = Spans()
    tags, starts, ends = spans.tags, spans.starts, spans.ends
    position = start
    try:
        while position < end:
            if data[position] != _JOB_TAG:
                value_end = field_at(data, position, end)[3]
                rest.append(view[position:value_end])
                position = value_end
                continue
            tags.append(position)
            position += 1
            length = shift = 0
            while True:
                byte = data[position]
                position += 1
                length |= (byte & 0x7F) << shift
                if byte < 0x80:
                    break
                shift += 7
                if shift > 63:
                    raise Malformed("truncated varint")
            starts.append(position)
            position += length
            if position > end:
                raise Malformed("field runs past its message")
            ends.append(position)
    except IndexError:
        raise Malformed("truncated varint") from None
    return b"".join(rest), spans
