"""Markup written in Python: one escaping helper, and the small pieces every page repeats.

What repeats by the hundred thousand (rows, log lines, lists of facts) is written in
Python, where a Jinja loop or macro would cost several times more. Every value put
into markup here goes through `esc`, numbers and texts believed safe included; the
markup around the values is fixed text. Snapshot text sits in elements that isolate
its direction (`bdi`, or the stylesheet's `unicode-bidi: isolate`), so a right-to-left
override in a name cannot reorder what follows it.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from renderer.report.views import Fact, StatCard
from renderer.snapshot import states

try:  # markupsafe's own escaping in C, as Jinja uses it, without making a Markup object
    from markupsafe._speedups import _escape_inner as _escape
except ImportError:  # pragma: no cover - a build of markupsafe without its C speedups
    from markupsafe._native import _escape_inner as _escape


def esc(value: object) -> str:
    """Any value as text safe in HTML content and in quoted attributes.

    Quotes &, <, >, " and ' as Jinja's autoescaping does, so a page reads the same
    whether a value was written by a template or in Python.
    """
    if type(value) is int:  # digits and a sign: nothing to quote
        return str(value)
    return _escape(value if isinstance(value, str) else str(value))


def join(parts: Sequence[str]) -> Markup:
    """Pieces written with `esc` around every value, as markup for a template."""
    return Markup("".join(parts))  # noqa: S704 - every value in the parts went through esc


_BADGES: dict[int, tuple[str, str]] = {}  # state number -> (name, badge markup)


def badge(state_number: int) -> tuple[str, str]:
    """A state's name (for data-state) and its badge; the same for every report."""
    made = _BADGES.get(state_number)
    if made is None:
        state = states.state(state_number)
        markup = (
            f'<span class="badge {esc(state.css_class)}" data-state="{esc(state.name)}">'
            f"{esc(state.label)}</span>"
        )
        made = _BADGES[state_number] = (state.name, markup)
    return made


def state_badge(state: states.State) -> Markup:
    """A state's badge, as every page draws it (a Jinja global: `badge(state)`)."""
    return join([badge(state.number)[1]])


def facts(items: Sequence[Fact]) -> Markup:
    """A card's label: value lines as a definition list."""
    parts = ['<dl class="facts">\n']
    for fact in items:
        value: str
        if fact.state is not None:
            value = badge(fact.state.number)[1]
        elif fact.href:
            value = f'<a href="{esc(fact.href)}">{esc(fact.value)}</a>'
        else:
            value = esc(fact.value)
        note = f' <span class="rel">{esc(fact.note)}</span>' if fact.note else ""
        mono = ' class="mono"' if fact.mono else ""
        parts.append(f"<dt>{esc(fact.label)}</dt><dd{mono}>{value}{note}</dd>\n")
    parts.append("</dl>")
    return join(parts)


def stat_cards(cards: Sequence[StatCard], cards_id: str = "") -> Markup:
    """Counts as cards; a card with a link is the link."""
    parts = [f'<div class="cards" id="{esc(cards_id)}">\n' if cards_id else '<div class="cards">\n']
    for card in cards:
        tag = "a" if card.href else "div"
        state = card.state
        css = f" {esc(state.css_class)}" if state else ""
        alert = " alert" if card.alert else ""
        href = f' href="{esc(card.href)}"' if card.href else ""
        data_state = f' data-state="{esc(state.name)}"' if state else ""
        detail = f'<span class="stat-detail">{esc(card.detail)}</span>' if card.detail else ""
        parts.append(
            f'<{tag} class="card stat{css}{alert}"{href}{data_state}>\n'
            f'<span class="stat-value">{esc(card.value)}</span>\n'
            f'<span class="stat-label">{esc(card.label)}</span>\n'
            f"{detail}</{tag}>\n"
        )
    parts.append("</div>")
    return join(parts)
