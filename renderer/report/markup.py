"""Markup for the small pieces that nearly every page repeats, built in Python.

A detail page shows five or six lists of facts per job, and a page of workers a list
of facts and a row of cards per worker: written as Jinja macros they cost about as
much as the rest of those pages together. Every value goes through html.escape; the
markup around it is fixed text.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

from renderer.report.views import Fact, StatCard
from renderer.snapshot import states

_BADGES: dict[int, tuple[str, str]] = {}  # state number -> (name, badge markup)


def badge(state_number: int) -> tuple[str, str]:
    """A state's name (for data-state) and its badge; the same for every bundle."""
    made = _BADGES.get(state_number)
    if made is None:
        state = states.state(state_number)
        markup = (
            f'<span class="badge {state.css_class}" data-state="{state.name}">'
            f"{escape(state.label)}</span>"
        )
        made = _BADGES[state_number] = (state.name, markup)
    return made


def state_badge(state: states.State) -> Markup:
    """A state's badge, as every page draws it (a Jinja global: `badge(state)`)."""
    return Markup(badge(state.number)[1])  # noqa: S704 - escaped label in fixed markup


def facts(items: Sequence[Fact]) -> Markup:
    """A card's label: value lines as a definition list."""
    parts = ['<dl class="facts">\n']
    for fact in items:
        value: str
        if fact.state is not None:
            value = state_badge(fact.state)
        elif fact.href:
            value = f'<a href="{escape(fact.href)}">{escape(fact.value)}</a>'
        else:
            value = escape(fact.value)
        note = f' <span class="rel">{escape(fact.note)}</span>' if fact.note else ""
        mono = ' class="mono"' if fact.mono else ""
        parts.append(f"<dt>{escape(fact.label)}</dt><dd{mono}>{value}{note}</dd>\n")
    parts.append("</dl>")
    return Markup("".join(parts))  # noqa: S704 - escaped values in fixed markup


def stat_cards(cards: Sequence[StatCard], cards_id: str = "") -> Markup:
    """Counts as cards; a card with a link is the link."""
    parts = [
        f'<div class="cards" id="{escape(cards_id)}">\n' if cards_id else '<div class="cards">\n'
    ]
    for card in cards:
        tag = "a" if card.href else "div"
        state = card.state
        css = f" {state.css_class}" if state else ""
        alert = " alert" if card.alert else ""
        href = f' href="{escape(card.href)}"' if card.href else ""
        data_state = f' data-state="{state.name}"' if state else ""
        detail = f'<span class="stat-detail">{escape(card.detail)}</span>' if card.detail else ""
        parts.append(
            f'<{tag} class="card stat{css}{alert}"{href}{data_state}>\n'
            f'<span class="stat-value">{escape(card.value)}</span>\n'
            f'<span class="stat-label">{escape(card.label)}</span>\n'
            f"{detail}</{tag}>\n"
        )
    parts.append("</div>")
    return Markup("".join(parts))  # noqa: S704 - escaped values in fixed markup
