"""The Jinja environment: autoescaping everywhere, strict about undefined names."""

from __future__ import annotations

from functools import cache

import jinja2

from renderer.report import markup, rows
from renderer.report.assets import asset_dir


@cache
def environment() -> jinja2.Environment:
    """Templates from templates/; every value is escaped unless it is already Markup."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(asset_dir("templates")),
        autoescape=True,  # every template, whatever its extension
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    # Markup made in Python where a template loop would cost most of a page's time.
    env.globals["badge"] = markup.state_badge
    env.globals["facts"] = markup.facts
    env.globals["stat_cards"] = markup.stat_cards
    env.globals["worker_rows"] = rows.worker_rows
    # |tojson escapes <, >, & and ' so data can never close its <script> element.
    env.policies["json.dumps_kwargs"] = {
        "sort_keys": True,
        "ensure_ascii": False,
        "separators": (",", ":"),
    }
    return env


def render(template: str, model: object) -> str:
    """Render a page template with its view model as `page`."""
    return environment().get_template(template).render(page=model)


def render_block(template: str, block: str, model: object) -> str:
    """Render one block of a page template (a page's content, for a single-file report)."""
    compiled = environment().get_template(template)
    context = compiled.new_context({"page": model})
    return "".join(compiled.blocks[block](context))
