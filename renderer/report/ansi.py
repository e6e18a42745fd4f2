"""Turn ANSI colour codes in log text into escaped HTML with CSS classes.

Log lines are untrusted. Every piece of text goes through renderer.report.markup's `esc`; the
only markup added is `<span class="ansi-…">` with class names from a fixed table, so
nothing from the log can become a tag, an attribute or a style. Classes rather than
inline styles because the bundle's Content-Security-Policy forbids inline styles.
"""

from __future__ import annotations

import re

from markupsafe import Markup

from renderer.report.markup import esc, join

# CSI sequences: ESC [ params final-byte. SGR (final 'm') sets colours; the rest are dropped.
_CSI = re.compile(r"\x1b\[([0-9;?]*)([@-~])")
# OSC (ESC ] ... BEL or ST) first, then two-character escapes.
_OTHER_ESCAPES = re.compile(r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]")

_COLOURS = ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")


def _classes(codes: list[int], current: list[str]) -> list[str]:
    """Apply SGR codes to the current set of classes."""
    classes = list(current)
    index = 0
    while index < len(codes):
        code = codes[index]
        if code == 0:
            classes = []
        elif code == 1:
            classes.append("ansi-bold")
        elif code == 2:
            classes.append("ansi-dim")
        elif code == 3:
            classes.append("ansi-italic")
        elif code == 4:
            classes.append("ansi-underline")
        elif code in (22, 23, 24):
            drop = {22: ("ansi-bold", "ansi-dim"), 23: ("ansi-italic",), 24: ("ansi-underline",)}
            classes = [c for c in classes if c not in drop[code]]
        elif 30 <= code <= 37 or 90 <= code <= 97:
            bright = "bright-" if code >= 90 else ""
            classes = [c for c in classes if not c.startswith("ansi-fg-")]
            classes.append(f"ansi-fg-{bright}{_COLOURS[code % 10]}")
        elif code == 39:
            classes = [c for c in classes if not c.startswith("ansi-fg-")]
        elif 40 <= code <= 47 or 100 <= code <= 107:
            bright = "bright-" if code >= 100 else ""
            classes = [c for c in classes if not c.startswith("ansi-bg-")]
            classes.append(f"ansi-bg-{bright}{_COLOURS[code % 10]}")
        elif code == 49:
            classes = [c for c in classes if not c.startswith("ansi-bg-")]
        elif code in (38, 48):  # 256-colour and true-colour: skip their arguments
            index += 2 if index + 1 < len(codes) and codes[index + 1] == 5 else 4
        index += 1
    return sorted(set(classes), key=classes.index)


def strip(text: str) -> str:
    """The text with every escape sequence removed, for plain-text logs and search."""
    if "\x1b" not in text:
        return text
    return _OTHER_ESCAPES.sub("", _CSI.sub("", text)).replace("\x1b", "")


def to_html(text: str) -> Markup:
    """Escaped HTML for a line, with SGR colours as spans and other escapes removed."""
    if "\x1b" not in text:
        return join([esc(text)])
    text = _OTHER_ESCAPES.sub("", text)
    pieces: list[str] = []
    classes: list[str] = []
    position = 0
    for match in _CSI.finditer(text):
        pieces.append(_span(text[position : match.start()], classes))
        if match.group(2) == "m":
            params = match.group(1).replace("?", "")
            codes = [int(p) for p in params.split(";") if p.isdigit() and len(p) < 4] or [0]
            classes = _classes(codes, classes)
        position = match.end()
    pieces.append(_span(text[position:], classes))
    return join(pieces)


def _span(text: str, classes: list[str]) -> str:
    text = text.replace("\x1b", "")
    if not text:
        return ""
    if not classes:
        return esc(text)
    return f'<span class="{esc(" ".join(classes))}">{esc(text)}</span>'
