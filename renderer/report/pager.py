"""Pagers: links to nearby pages of a long list, the first and the last."""

from __future__ import annotations

from collections.abc import Callable

from renderer.report.sitemap import Site
from renderer.report.views import PageLink


def page_links(
    site: Site, path: str, current: int, count: int, page_path: Callable[[int], str]
) -> tuple[PageLink, ...]:
    """Links to nearby pages, the first and the last; gaps are shown as '…' (no link)."""
    if count <= 1:
        return ()
    wanted = sorted({1, count, *range(max(1, current - 3), min(count, current + 3) + 1)})
    links: list[PageLink] = []
    previous = 0
    for number in wanted:
        if number > previous + 1:
            links.append(PageLink("…", None))
        links.append(PageLink(str(number), site.href(path, page_path(number)), number == current))
        previous = number
    return tuple(links)
