"""The Jinja environment: autoescaping everywhere, strict about undefined names."""

from __future__ import annotations

from functools import cache
from typing import Protocol

import jinja2
from markupsafe import Markup

from renderer.report import markup, wording
from renderer.report.assets import asset_dir

# Compiled before a render forks, so its processes share them.
PAGE_TEMPLATES = ("overview.html", "jobs.html", "job_detail.html", "worker.html")


class View(Protocol):
    """Anything a page template shows: it names its template."""

    @property
    def template(self) -> str: ...


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
    env.globals["short_id"] = wording.short_id  # ids shortened as every table does
    env.globals["plural"] = wording.plural  # '1 job', '2,000 jobs'
    # |tojson escapes <, >, & and ' so data can never close its <script> element.
    env.policies["json.dumps_kwargs"] = {
        "sort_keys": True,
        "ensure_ascii": False,
        "separators": (",", ":"),
    }
    return env


def compile_all() -> None:
    for name in PAGE_TEMPLATES:
        environment().get_template(name)


def render(view: View) -> str:
    """A whole page: the view's template with the view as `page`."""
    return environment().get_template(view.template).render(page=view)


def render_content(view: View) -> Markup:
    """A page's content block alone, for a section of a single-file report."""
    compiled = environment().get_template(view.template)
    context = compiled.new_context({"page": view})
    # Output of an autoescaping template: already safe HTML.
    return Markup("".join(compiled.blocks["content"](context)))  # noqa: S704
