"""The controller's action log: its pages, and the rows other pages show of it."""

from __future__ import annotations

from collections.abc import Sequence

from renderer.report import sitemap
from renderer.report.context import Output, Page, Report
from renderer.report.pager import page_links
from renderer.report.views import ActionRow, ActionsPage
from renderer.report.wording import CELL_SHOWN, ERROR_IN_TABLE, cut
from renderer.snapshot import model


def action_rows(
    report: Report, page: str, actions: Sequence[model.Action]
) -> tuple[ActionRow, ...]:
    """Actions as a list shows them, with links relative to `page`."""
    links = report.links
    return tuple(
        ActionRow(
            time=report.moment(action.timestamp_ms),
            action=cut(action.action, CELL_SHOWN) or "-",
            job=links.job(page, action.job_id),
            worker=links.worker(page, action.worker_id),
            details=cut(action.details, ERROR_IN_TABLE * 2),
        )
        for action in actions
    )


# Actions listed, newest first: fluster keeps its last 100, so a snapshot holding
# millions is not a controller's and would only fill the report.
ACTIONS_LISTED = 20_000


def page_count(report: Report) -> int:
    shown = min(len(report.catalog.actions), ACTIONS_LISTED)
    return sitemap.pages_needed(shown, sitemap.ACTIONS_PER_PAGE)


def build(report: Report, number: int) -> list[Output]:
    """Page `number` (from 1) of every action, newest first."""
    actions = report.catalog.actions[:ACTIONS_LISTED]
    per_page = sitemap.ACTIONS_PER_PAGE
    count = page_count(report)
    path = sitemap.actions_page(number)
    chunk = actions[(number - 1) * per_page : number * per_page]
    title = "Actions" if count == 1 else f"Actions, page {number}"
    view = ActionsPage(
        chrome=report.chrome(path, "actions", title),
        rows=action_rows(report, path, chunk),
        number=number,
        pages=page_links(report.site, path, number, count, sitemap.actions_page),
        total=len(report.catalog.actions),
        shown=len(actions),
    )
    return [Page(path, view)]
