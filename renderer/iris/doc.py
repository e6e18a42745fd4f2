"""Typed, defensive reads of iris's JSON documents (and of checkpoint rows made to look like them).

iris sets a field explicitly or leaves it out, and any field may be missing: every
read defaults to None. A value of the wrong type is bad input and raises a one-line
`CaptureError` naming where it was found.
"""

from __future__ import annotations

from typing import Any

from renderer.iris.rpc import CaptureError

_INT_BITS = {32: (-(2**31), 2**31 - 1), 64: (-(2**63), 2**63 - 1)}


class Doc:
    """A JSON object with the place it came from, for errors."""

    __slots__ = ("value", "where")

    def __init__(self, value: Any, where: str) -> None:
        if not isinstance(value, dict):
            raise CaptureError(where, "expected a JSON object")
        self.value: dict[str, Any] = value
        self.where = where

    def _bad(self, key: str, expected: str) -> CaptureError:
        return CaptureError(self.where, f"{key}: expected {expected}")

    def has(self, key: str) -> bool:
        return self.value.get(key) is not None

    def text(self, key: str) -> str | None:
        value = self.value.get(key)
        if value is None or isinstance(value, str):
            return value
        raise self._bad(key, "a string")

    def integer(self, key: str, bits: int = 64) -> int | None:
        """An integer; int64 arrive as JSON strings, int32 as numbers (both are read)."""
        value = self.value.get(key)
        if value is None:
            return None
        if isinstance(value, bool):
            raise self._bad(key, "an integer")
        if isinstance(value, str):
            try:
                value = int(value.strip())
            except ValueError:
                raise self._bad(key, "an integer") from None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, int):
            raise self._bad(key, "an integer")
        low, high = _INT_BITS[bits]
        if not low <= value <= high:
            raise self._bad(key, f"an integer that fits {bits} bits")
        return value

    def flag(self, key: str) -> bool | None:
        value = self.value.get(key)
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):  # SQLite has no booleans
            return bool(value)
        raise self._bad(key, "true or false")

    def number(self, key: str) -> float | None:
        value = self.value.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self._bad(key, "a number")
        return float(value)

    def obj(self, key: str) -> Doc | None:
        value = self.value.get(key)
        return None if value is None else Doc(value, f"{self.where}.{key}")

    def items(self, key: str) -> list[Any]:
        value = self.value.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self._bad(key, "a list")
        return value

    def docs(self, key: str) -> list[Doc]:
        return [Doc(item, f"{self.where}.{key}[{i}]") for i, item in enumerate(self.items(key))]

    def strings(self, key: str) -> list[str]:
        items = self.items(key)
        if not all(isinstance(item, str) for item in items):
            raise self._bad(key, "a list of strings")
        return items

    def mapping(self, key: str) -> dict[str, Any]:
        value = self.value.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self._bad(key, "an object")
        return value

    def string_map(self, key: str) -> dict[str, str]:
        mapping = self.mapping(key)
        if not all(isinstance(v, str) for v in mapping.values()):
            raise self._bad(key, "an object of strings")
        return mapping

    def ms(self, key: str) -> int | None:
        """A time: iris sends `{"epochMs": "<ms>"}`; a checkpoint gives the number."""
        value = self.value.get(key)
        if value is None or (isinstance(value, (int, str)) and not isinstance(value, bool)):
            return self.integer(key)
        return Doc(value, f"{self.where}.{key}").integer("epochMs")

    def duration_ms(self, key: str) -> int | None:
        """A duration: `{"milliseconds": "<ms>"}`."""
        inner = self.obj(key)
        return None if inner is None else inner.integer("milliseconds")

    def enum(self, key: str, prefix: str) -> str | int | None:
        """An enum value: its full name (JSON) with `prefix` stripped, or its number (SQLite)."""
        value = self.value.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            return value.removeprefix(prefix)
        return self.integer(key, 32)
