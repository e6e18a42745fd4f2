"""Protobuf's wire format read by hand: tags and lengths, no field values.

What lets a large snapshot be cut into parts before it is parsed (log tails, job
records). Anything malformed raises `Malformed`; the caller then parses the bytes
whole, which reports the damage in protobuf's own words.
"""

from __future__ import annotations

from collections.abc import Iterator


class Malformed(ValueError):
    """The bytes are not a well-formed message at this point."""


def varint(data: bytes, position: int) -> tuple[int, int]:
    """The varint at `position` and the position after it."""
    result = shift = 0
    while True:
        if position >= len(data) or shift > 63:
            raise Malformed("truncated varint")
        byte = data[position]
        position += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, position
        shift += 7


def fields(data: bytes, start: int, end: int) -> Iterator[tuple[int, int, int, int, int]]:
    """(number, wire type, tag start, value start, value end) of each field in a range."""
    position = start
    while position < end:
        number, wire_type, value_start, value_end = field_at(data, position, end)
        yield number, wire_type, position, value_start, value_end
        position = value_end


def field_at(data: bytes, position: int, end: int) -> tuple[int, int, int, int]:
    """(number, wire type, value start, value end) of the field whose tag is at `position`."""
    tag, position = varint(data, position)
    number, wire_type = tag >> 3, tag & 7
    if number == 0:
        raise Malformed("field number 0")
    if wire_type == 0:
        value_start = position
        _, position = varint(data, position)
    elif wire_type == 1:
        value_start, position = position, position + 8
    elif wire_type == 2:
        length, value_start = varint(data, position)
        position = value_start + length
    elif wire_type == 5:
        value_start, position = position, position + 4
    else:
        raise Malformed(f"wire type {wire_type}")
    if position > end:
        raise Malformed("field runs past its message")
    return number, wire_type, value_start, position


def length_key(number: int, length: int) -> bytes:
    """The tag and length that start a length-delimited field."""
    return encode((number << 3) | 2) + encode(length)


def encode(value: int) -> bytes:
    """A varint's bytes (negative numbers as protobuf sends them, in ten bytes)."""
    out = bytearray()
    value &= (1 << 64) - 1
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)
