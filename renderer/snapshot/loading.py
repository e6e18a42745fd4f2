"""Read snapshot files in any of the three protobuf formats and tell which message they hold.

Binary protobuf carries no type name, so the kind of a binary file is inferred from
which message parses it cleanly. A field this schema does not know is either *newer*
(its number is above every field the message defines: a later fluster added it) or
*foreign* (its number is one the message uses differently: the wrong message). A kind
is plausible when no foreign field turns up; among plausible kinds the one with the
fewest newer fields, then the fewest control characters in its strings, wins. When
they tie, the reader is told so and asked for `--kind` rather than guessed at. A scan
of the top-level tags first rules out kinds that cannot fit, so a large file is
parsed once rather than three times.

Longer than 400 lines on purpose: the three formats share the kind detection, and
reading it in one place is what keeps their answers alike.
"""

from __future__ import annotations

import codecs
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

from google.protobuf import json_format, text_format, unknown_fields
from google.protobuf.message import DecodeError, Message

from renderer import terminal
from renderer.snapshot import deferred_logs
from renderer.snapshot.deferred_logs import DeferredTail
from renderer.snapshot.job_records import JobRecords
from renderer.snapshot.schema import pb
from renderer.snapshot.wire import Malformed

Kind = Literal["cluster", "controller", "worker"]
Format = Literal["binary", "json", "text"]

KINDS: tuple[Kind, ...] = ("cluster", "controller", "worker")
FORMATS: tuple[Format, ...] = ("binary", "json", "text")
MESSAGE_TYPES: dict[Kind, type[Message]] = {
    "cluster": pb.ClusterSnapshot,
    "controller": pb.ControllerSnapshot,
    "worker": pb.WorkerSnapshot,
}
EXTENSIONS: dict[str, Format] = {
    ".pb": "binary",
    ".binpb": "binary",
    ".bin": "binary",
    ".json": "json",
    ".txtpb": "text",
    ".textproto": "text",
    ".pbtxt": "text",
}

_SAMPLE_PER_FIELD = 8  # elements of a repeated field inspected when judging a kind
_SAMPLE_DEPTH = 8


class SnapshotError(Exception):
    """A snapshot that cannot be used. Its text is one line naming the file and the problem."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = one_line(problem)
        super().__init__(f"{terminal.safe(path)}: {self.problem}")


def one_line(text: str) -> str:
    """A parser's message as one short printable line (it may quote snapshot text)."""
    stripped = text.strip()
    return terminal.safe(stripped.splitlines()[0] if stripped else "")


@dataclass
class Snapshot:
    """A parsed snapshot file.

    For a binary snapshot, `parsed` is the message without the worker snapshots' log
    tails, which `logs` holds as bytes until a page needs them
    (renderer.snapshot.deferred_logs), and without the controller's job records, which
    `jobs` holds as spans of the file's bytes (renderer.snapshot.job_records).
    `message` is the whole message, made when it is asked for.
    """

    path: str
    kind: Kind
    format: Format
    parsed: Any  # the ClusterSnapshot, ControllerSnapshot or WorkerSnapshot read
    newer_fields: int  # fields from a newer schema, kept but not shown
    size: int  # bytes on disk
    logs: tuple[dict[str, DeferredTail], ...] | None = None  # per worker snapshot
    jobs: JobRecords | None = None  # the controller's, when cut from the bytes

    @cached_property
    def message(self) -> Any:
        """The whole message, log tails and job records included."""
        if self.logs is None and self.jobs is None:
            return self.parsed
        whole: Any = MESSAGE_TYPES[self.kind]()
        whole.CopyFrom(self.parsed)
        holders = whole.workers if self.kind == "cluster" else [whole]
        try:
            for holder, tails in zip(holders, self.logs or (), strict=False):
                for job_id, tail in tails.items():
                    holder.job_logs[job_id].CopyFrom(tail.tail(None))
            if self.jobs is not None and len(self.jobs):
                controller = whole.controller if self.kind == "cluster" else whole
                for record in self.jobs:
                    controller.jobs.append(record)
        except Malformed as error:
            raise SnapshotError(self.path, str(error)) from None
        return whole


def load(path: str | os.PathLike[str], kind: Kind | None = None) -> Snapshot:
    """Read a snapshot file; raise SnapshotError with a one-line reason if it cannot be used."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise SnapshotError(name, f"cannot read: {error.strerror or error}") from None
    return parse(data, name, kind)


def parse(data: bytes, name: str, kind: Kind | None = None) -> Snapshot:
    """Parse snapshot bytes of any format; `name` appears in errors."""
    if not data.strip():
        raise SnapshotError(name, f"empty file ({len(data)} bytes), not a snapshot")
    text = _as_text(data)
    if text is not None and text.lstrip().startswith("{"):
        return _parse_json(text, name, kind, len(data))
    if text is not None:
        try:
            return _parse_text(text, name, kind, len(data))
        except SnapshotError as text_error:
            try:
                return _parse_binary(data, name, kind)
            except SnapshotError:
                raise text_error from None
    return _parse_binary(data, name, kind)


# Characters at the start of a file that tell text from binary.
_SAMPLE_CHARS = 4096


def _as_text(data: bytes) -> str | None:
    """The data as text if it reads as printable UTF-8, else None (a binary file).

    The start is looked at first: decoding a binary snapshot of 1 GB whole, only to
    fail, took about 3 s of a million-job render.
    """
    # Enough bytes for the sample's characters (four at most each); a character cut
    # at the end of them is left for the whole decode.
    head = codecs.getincrementaldecoder("utf-8")()
    try:
        sample = head.decode(data[: 4 * _SAMPLE_CHARS])[:_SAMPLE_CHARS]
    except UnicodeDecodeError:
        return None
    if any(not ch.isprintable() and ch not in "\n\r\t" for ch in sample):
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _kinds(kind: Kind | None) -> tuple[Kind, ...]:
    return (kind,) if kind is not None else KINDS


def _ambiguous(name: str, kinds: list[Kind]) -> SnapshotError:
    names = " or ".join(kinds)
    options = ", ".join(f"--kind {k}" for k in kinds)
    return SnapshotError(
        name, f"cannot tell whether this is a {names} snapshot; say which with {options}"
    )


def _with_content(parsed: list[tuple[Kind, Message]], name: str) -> list[tuple[Kind, Message]]:
    """Of the kinds a JSON or text file parsed as, the one it must be; errors if unclear."""
    if parsed and all(message.ByteSize() == 0 for _, message in parsed):
        raise SnapshotError(name, "holds no snapshot fields")
    if len(parsed) > 1:
        raise _ambiguous(name, [candidate for candidate, _ in parsed])
    return parsed


# ---- binary ----


@dataclass
class _FieldCensus:
    known: int = 0
    newer: int = 0
    foreign: int = 0
    # Control characters in strings: a message read as the wrong kind often turns another
    # message's tags and lengths into a "string" full of them.
    garbled: int = 0

    def score(self) -> tuple[int, int]:
        return (self.newer, self.garbled)


_CONTROL = frozenset(chr(c) for c in range(32)) - {"\t", "\n", "\r", "\x1b"}


def _garbled(text: str) -> int:
    return sum(1 for ch in text[:4096] if ch in _CONTROL)


def _census(message: Message, census: _FieldCensus, depth: int = 0) -> None:
    """Count set, newer and foreign fields in a sample of the message tree."""
    descriptor = message.DESCRIPTOR
    highest = max((f.number for f in descriptor.fields), default=0)
    unknown = unknown_fields.UnknownFieldSet(message)
    for index in range(len(unknown)):
        field = unknown[index]
        if field.field_number > highest:
            census.newer += 1
        else:
            census.foreign += 1
    if depth >= _SAMPLE_DEPTH:
        return
    for field, value in message.ListFields():
        census.known += 1
        if field.type == field.TYPE_STRING:
            texts = value[:_SAMPLE_PER_FIELD] if field.is_repeated else [value]
            census.garbled += sum(_garbled(text) for text in texts)
        if field.message_type is None:
            continue
        if field.message_type.GetOptions().map_entry:
            value_field = field.message_type.fields_by_name["value"]
            if value_field.message_type is None:
                continue
            items = [value[key] for key in sorted(value)[:_SAMPLE_PER_FIELD]]
        elif field.is_repeated:
            step = max(1, len(value) // _SAMPLE_PER_FIELD)
            items = list(value[::step][:_SAMPLE_PER_FIELD])
        else:
            items = [value]
        for item in items:
            _census(item, census, depth + 1)


def _census_jobs(split: deferred_logs.Split | None, kind: Kind, census: _FieldCensus) -> None:
    """Count the fields of a sample of the job records cut from the bytes, as `_census`
    counts those of a parsed message. Raises Malformed when a sampled one is damaged."""
    if split is None or split.jobs is None or not len(split.jobs):
        return
    jobs = split.jobs
    census.known += 1  # the controller's `jobs` field
    step = max(1, len(jobs) // _SAMPLE_PER_FIELD)
    depth = 2 if kind == "cluster" else 1
    for index in sorted({*range(0, len(jobs), step)[:_SAMPLE_PER_FIELD], len(jobs) - 1}):
        _census(jobs.get(index), census, depth)


def _top_level_fields(data: bytes) -> set[tuple[int, int]] | None:
    """(field number, wire type) of each top-level field, or None if the bytes are no message.

    A scan of tags and lengths only, far cheaper than parsing a large snapshot three times.
    """
    fields: set[tuple[int, int]] = set()
    position, end = 0, len(data)

    def varint() -> int:
        nonlocal position
        result = shift = 0
        while True:
            if position >= end or shift > 63:
                raise ValueError("truncated varint")
            byte = data[position]
            position += 1
            result |= (byte & 0x7F) << shift
            if byte < 0x80:
                return result
            shift += 7

    try:
        while position < end:
            tag = varint()
            number, wire_type = tag >> 3, tag & 7
            if number == 0:
                return None
            if wire_type == 0:
                varint()
            elif wire_type == 1:
                position += 8
            elif wire_type == 2:
                length = varint()  # read before adding: varint() moves position
                position += length
            elif wire_type == 5:
                position += 4
            else:  # groups (3, 4) are not used by this schema; 6 and 7 do not exist
                return None
            if position > end:
                return None
            fields.add((number, wire_type))
    except ValueError:
        return None
    return fields


def _top_level_unknowns(kind: Kind, fields: set[tuple[int, int]]) -> tuple[int, int]:
    """(foreign, newer) top-level fields if the bytes were a `kind` snapshot."""
    descriptor = MESSAGE_TYPES[kind].DESCRIPTOR
    highest = max(f.number for f in descriptor.fields)
    foreign = newer = 0
    for number, wire_type in fields:
        field = descriptor.fields_by_number.get(number)
        if field is None:
            foreign, newer = (foreign, newer + 1) if number > highest else (foreign + 1, newer)
            continue
        length_delimited = field.message_type is not None or field.type in (
            field.TYPE_STRING,
            field.TYPE_BYTES,
        )
        allowed = {2} if length_delimited else ({0, 2} if field.is_repeated else {0})
        foreign += wire_type not in allowed
    return foreign, newer


def _candidates(data: bytes, kind: Kind | None) -> tuple[Kind, ...]:
    """Kinds worth a full parse: those whose top level fits best (all of them if unclear)."""
    if kind is not None:
        return (kind,)
    fields = _top_level_fields(data)
    if fields is None:
        return KINDS
    scored = {k: _top_level_unknowns(k, fields) for k in KINDS}
    fitting = [k for k in KINDS if scored[k][0] == 0]
    if not fitting:
        return KINDS
    fewest_newer = min(scored[k][1] for k in fitting)
    return tuple(k for k in fitting if scored[k][1] == fewest_newer)


_SPLITTERS = {
    "cluster": deferred_logs.split_cluster,
    "controller": deferred_logs.split_controller,
    "worker": deferred_logs.split_worker,
}


def _parse_as(data: bytes, kind: Kind) -> tuple[Message, deferred_logs.Split | None]:
    """The bytes parsed as `kind`: without their log tails where the kind has them.

    Raises DecodeError when the bytes are not that message.
    """
    split = None
    if kind in _SPLITTERS:
        try:
            split = _SPLITTERS[kind](data)
        except Malformed:
            split = None  # parsed whole, which says what is wrong
    message = MESSAGE_TYPES[kind]()
    if split is not None:
        split.parse_into(message)
    else:
        message.ParseFromString(data)
    return message, split


def _parse_binary(data: bytes, name: str, kind: Kind | None) -> Snapshot:
    plausible: list[tuple[Kind, Message, _FieldCensus, deferred_logs.Split | None]] = []
    errors: list[str] = []
    for candidate in _candidates(data, kind):
        try:
            message, split = _parse_as(data, candidate)
        except DecodeError as error:
            errors.append(str(error))
            continue
        census = _FieldCensus()
        _census(message, census)
        try:
            _census_jobs(split, candidate, census)
        except Malformed as error:
            errors.append(str(error))
            continue
        # A newer schema adds a few fields to many known ones; garbage is mostly unknown.
        if kind is not None or (census.foreign == 0 and census.known > census.newer):
            plausible.append((candidate, message, census, split))
    if not plausible:
        if kind is not None:
            raise SnapshotError(name, f"not a {kind} snapshot: {_decode_reason(errors)}")
        raise SnapshotError(
            name,
            "not a fluster snapshot: the bytes are not a ClusterSnapshot, ControllerSnapshot "
            f"or WorkerSnapshot in binary, JSON or text format ({len(data)} bytes"
            f"{'; ' + _decode_reason(errors) if errors else ''})",
        )
    best_score = min(census.score() for _, _, census, _ in plausible)
    best = [entry for entry in plausible if entry[2].score() == best_score]
    if len(best) > 1:
        raise _ambiguous(name, [entry[0] for entry in best])
    found, message, census, split = best[0]
    if split is None:
        return Snapshot(name, found, "binary", message, census.newer, len(data))
    tails = split.tails or None  # a controller snapshot has none
    return Snapshot(name, found, "binary", message, census.newer, len(data), tails, split.jobs)


def _decode_reason(errors: list[str]) -> str:
    """Parsers name the message type they tried; the reader only needs the reason."""
    if not errors:
        return "fields of the wrong type or number"
    reason = errors[0].split(": ", 1)[-1] if ": " in errors[0] else errors[0]
    return reason.rstrip(".")


# ---- JSON ----


def _json_names(kind: Kind) -> set[str]:
    descriptor = MESSAGE_TYPES[kind].DESCRIPTOR
    return {f.json_name for f in descriptor.fields} | {f.name for f in descriptor.fields}


def _parse_json(text: str, name: str, kind: Kind | None, size: int) -> Snapshot:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise SnapshotError(
            name, f"bad JSON at line {error.lineno} column {error.colno}: {error.msg}"
        ) from None
    except RecursionError:
        raise SnapshotError(name, "bad JSON: nested too deeply") from None
    except ValueError as error:  # an integer of more digits than Python converts
        reason = str(error).split(";")[0]
        raise SnapshotError(
            name, f"bad JSON: {reason}; no snapshot field holds such a number"
        ) from None
    if not isinstance(document, dict):
        raise SnapshotError(name, "JSON snapshot must be an object")

    def closeness(candidate: Kind, _: Exception) -> tuple[int, ...]:
        return (len(set(document) & _json_names(candidate)),)  # its field names in use

    return _parse_each(
        name, kind, "json", size, lambda m: json_format.ParseDict(document, m), closeness
    )


# ---- text format ----


def _parse_text(text: str, name: str, kind: Kind | None, size: int) -> Snapshot:
    def closeness(_: Kind, error: Exception) -> tuple[int, ...]:
        if isinstance(error, text_format.ParseError):  # how far into the file it read
            return (error.GetLine() or 0, error.GetColumn() or 0)
        return (0, 0)

    return _parse_each(name, kind, "text", size, lambda m: text_format.Parse(text, m), closeness)


# ---- JSON and text: try each kind ----

_PARSE_ERRORS = (
    json_format.ParseError,
    text_format.ParseError,
    ValueError,
    TypeError,
    RecursionError,
)
_FORMAT_NAMES = {"json": "JSON", "text": "text format"}


def _parse_each(
    name: str,
    kind: Kind | None,
    fmt: Format,
    size: int,
    parse: Callable[[Message], object],
    closeness: Callable[[Kind, Exception], tuple[int, ...]],
) -> Snapshot:
    """Parse as each kind; one must fit, else report the error of the kind that came closest."""
    parsed: list[tuple[Kind, Message]] = []
    failures: list[tuple[tuple[int, ...], Kind, str]] = []
    for candidate in _kinds(kind):
        message = MESSAGE_TYPES[candidate]()
        try:
            parse(message)
        except _PARSE_ERRORS as error:
            failures.append((closeness(candidate, error), candidate, str(error)))
            continue
        parsed.append((candidate, message))
    parsed = _with_content(parsed, name)
    if not parsed:
        _, closest, reason = max(failures, key=lambda failure: failure[0])
        raise SnapshotError(
            name, f"not a valid {closest} snapshot in {_FORMAT_NAMES[fmt]}: {reason}"
        )
    found, message = parsed[0]
    return Snapshot(name, found, fmt, message, 0, size)


# ---- writing ----


def format_for_path(path: str) -> Format:
    """The format a file name asks for, by extension."""
    extension = os.path.splitext(path)[1].lower()
    if extension not in EXTENSIONS:
        known = ", ".join(sorted(EXTENSIONS))
        raise SnapshotError(path, f"unknown snapshot extension {extension!r}; use one of {known}")
    return EXTENSIONS[extension]


def dump(message: Message, fmt: Format) -> bytes:
    """Serialise a message; the same message always gives the same bytes."""
    if fmt == "binary":
        return message.SerializeToString(deterministic=True)
    if fmt == "json":
        return (json_format.MessageToJson(message, indent=1, sort_keys=True) + "\n").encode()
    return text_format.MessageToString(message, as_utf8=True).encode()
