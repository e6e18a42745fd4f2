"""Text from a snapshot made safe to print: no control characters, bounded length.

Unprintable characters are every C0 and C1 control (ANSI escapes, newlines, NUL), the
bidirectional controls (U+202A to U+202E, U+2066 to U+2069, U+200E, U+200F, U+061C)
that reorder what a terminal shows, and other format or separator characters.
"""

from __future__ import annotations


def _escape(ch: str) -> str:
    code = ord(ch)
    return (
        f"\\x{code:02x}"
        if code < 0x100
        else f"\\u{code:04x}"
        if code < 0x10000
        else f"\\U{code:08x}"
    )


def safe(text: str, limit: int = 300) -> str:
    """Escape unprintable characters (see above) and cut to `limit`."""
    cleaned = "".join(ch if ch.isprintable() else _escape(ch) for ch in text[: limit * 4])
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"
