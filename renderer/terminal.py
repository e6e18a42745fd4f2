"""Text from a snapshot made safe to print: no control characters, bounded length."""

from __future__ import annotations


def safe(text: str, limit: int = 300) -> str:
    """Escape unprintable characters (ANSI escapes, newlines, NUL) and cut to `limit`."""
    cleaned = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text[: limit * 4])
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"
