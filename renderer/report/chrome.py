"""What surrounds every page: its title, the capture banner and the navigation."""

from __future__ import annotations

from collections.abc import Sequence

from renderer.report import sitemap
from renderer.report.sitemap import Site
from renderer.report.views import Chrome, Link, Moment, NavItem

CONTROLLER_HEADING = "Fluster Controller Dashboard"
WORKER_HEADING = "Fluster Worker Dashboard"

_CONTROLLER_PAGES = (
    ("Workers", sitemap.WORKERS_INDEX, "workers"),
    ("Timeline", sitemap.TIMELINE, "timeline"),
    ("Actions", sitemap.ACTIONS, "actions"),
    ("Endpoints", sitemap.ENDPOINTS, "endpoints"),
)


def page_chrome(
    site: Site,
    path: str,
    page_id: str,
    title: str,
    view: str,
    *,
    with_controller: bool,
    report_title: str | None,
    captured_at_ms: int | None,
    crumbs: Sequence[Link] = (),
) -> Chrome:
    """The chrome of a report's page at `path`; `view` is "controller" or "worker"."""
    targets = [
        ("Overview", sitemap.OVERVIEW, "overview"),
        ("Jobs", sitemap.JOBS_INDEX, "jobs"),
        ("Failures", sitemap.FAILURES, "failures"),
    ]
    if with_controller:
        targets += _CONTROLLER_PAGES
    nav = tuple(
        NavItem(label, site.href(path, target), page_id.startswith(key))
        for label, target, key in targets
    )
    heading = CONTROLLER_HEADING if view == "controller" else WORKER_HEADING
    return Chrome(
        view=view,
        page_id=page_id,
        heading=heading,
        title=" · ".join(part for part in (title, report_title, heading) if part),
        report_title=report_title,
        captured=Moment(captured_at_ms, captured_at_ms),
        stylesheet=site.href(path, sitemap.STYLESHEET),
        script=site.href(path, sitemap.SCRIPT),
        nav=nav,
        crumbs=tuple(crumbs),
        section_id=sitemap.section_id(path),
        search_script="" if site.single_file else site.href(path, sitemap.SEARCH_SCRIPT),
        search_href=site.href(path, sitemap.JOBS_INDEX),
    )


def standalone_chrome(
    path: str, page_id: str, title: str, captured_ms: int | None, report_title: str | None
) -> Chrome:
    """The chrome of a page that stands alone (a diff, an archive index): no navigation."""
    return Chrome(
        view="controller",
        page_id=page_id,
        heading=CONTROLLER_HEADING,
        title=" · ".join(part for part in (title, report_title, CONTROLLER_HEADING) if part),
        report_title=report_title,
        captured=Moment(captured_ms, captured_ms),
        stylesheet=sitemap.STYLESHEET,
        script=sitemap.SCRIPT,
        nav=(),
        crumbs=(),
        section_id=sitemap.section_id(path),
    )
