"""The endpoints jobs registered: their page, and the rows other pages show of them."""

from __future__ import annotations

from collections.abc import Sequence

from renderer.report import sitemap
from renderer.report.context import Output, Page, Report
from renderer.report.views import EndpointRow, EndpointsPage
from renderer.report.wording import CELL_SHOWN, MANY_SHOWN, cut
from renderer.snapshot import model, states


def endpoint_rows(
    report: Report, page: str, endpoints: Sequence[model.Endpoint]
) -> tuple[EndpointRow, ...]:
    """Endpoints as a table shows them, each with its job's state."""
    jobs = report.catalog.by_id
    rows = []
    for endpoint in endpoints:
        job = jobs.get(endpoint.job_id or "")
        rows.append(
            EndpointRow(
                name=cut(endpoint.name, CELL_SHOWN) or "-",
                address=cut(endpoint.address, CELL_SHOWN) or "-",
                job=report.links.job(page, endpoint.job_id),
                job_state=states.state(job.state) if job is not None else None,
                stale=stale(endpoint, job),
                namespace=cut(endpoint.namespace, CELL_SHOWN) or "-",
                registered=report.moment(endpoint.registered_at_ms),
                metadata=tuple(
                    (cut(key, CELL_SHOWN), cut(value, CELL_SHOWN))
                    for key, value in endpoint.metadata[:MANY_SHOWN]
                ),
            )
        )
    return tuple(rows)


def stale(endpoint: model.Endpoint, job: model.JobSummary | None) -> str:
    """Why an endpoint probably no longer answers: its job stopped, or restarted since."""
    if job is None:
        return "its job is not in the snapshot"
    if job.state != states.RUNNING:
        return "its job is not running"
    registered, started = endpoint.registered_at_ms, job.started_at_ms
    if registered is not None and started is not None and registered < started:
        return "registered by an earlier attempt of its job"
    return ""


def build(report: Report) -> list[Output]:
    path = sitemap.ENDPOINTS
    view = EndpointsPage(
        chrome=report.chrome(path, "endpoints", "Endpoints"),
        rows=endpoint_rows(report, path, report.catalog.endpoints),
    )
    return [Page(path, view)]
