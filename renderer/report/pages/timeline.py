"""The timeline page: job lifetimes as a chart (renderer.report.timeline)."""

from __future__ import annotations

from renderer.report import sitemap, timeline
from renderer.report.context import Output, Page, Report
from renderer.report.views import TimelinePage
from renderer.snapshot import states


def build(report: Report) -> list[Output]:
    path = sitemap.TIMELINE
    site = report.site
    chart = timeline.build(
        report.catalog.recorded,
        list(reversed(report.catalog.actions)),  # oldest first
        report.captured_at_ms,
        lambda job_id: site.optional_href(path, site.job_path(job_id)),
    )
    shown = {bar.css_class for bar in chart.bars} if chart else set()
    view = TimelinePage(
        chrome=report.chrome(path, "timeline", "Timeline"),
        timeline=chart,
        states=tuple(s for s in states.KNOWN_STATES if s.css_class in shown),
    )
    return [Page(path, view)]
