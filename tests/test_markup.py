"""Markup written in Python holds only its own tags: hostile text in every field of a row.

Rows of the job, worker and worker-job tables and lines of a log are written in
Python for speed (renderer.report.columns, renderer.report.logs). Hypothesis puts
hostile strings into every field of each row type; the markup must parse into the
writer's own tags and attributes only, with the strings back as text.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from renderer.report import columns, logs, tables
from renderer.report.links import Links
from renderer.report.sitemap import Site
from renderer.snapshot import model
from tests.hostile import XSS_PAYLOADS

HOSTILE = st.sampled_from(XSS_PAYLOADS) | st.text(
    alphabet=st.sampled_from("<>&\"'=/ \x1b[;m`\u202e\u2066x"), max_size=40
)
MAYBE = st.none() | HOSTILE
NUMBERS = st.none() | st.integers(-(2**63), 2**63 - 1)
STATES = st.integers(-(2**31), 2**31 - 1)

ROW_TAGS = {"tr", "td", "a", "span"}
ROW_ATTRIBUTES = {"class", "href", "title", "id", "data-sort", "data-state", "data-search"}
ROW_ATTRIBUTES |= {"data-healthy"}


class Markup(HTMLParser):
    """Collects the tags, attributes and text of a piece of markup."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.hrefs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            self.attributes.add(name)
            if name == "href":
                self.hrefs.append(value or "")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(html: str) -> Markup:
    parser = Markup()
    parser.feed(html)
    parser.close()
    return parser


def cells_for(job_ids: list[str]) -> columns.Cells:
    site = Site(job_ids, job_ids[:1], {}, ["worker-1"], ["worker-1"])
    return columns.Cells(Links(site, set(job_ids)), "jobs/index.html", 1_800_000_000_000)


jobs = st.builds(
    model.JobSummary,
    job_id=HOSTILE,
    name=MAYBE,
    state=STATES,
    worker_id=MAYBE,
    error=MAYBE,
    exit_code=NUMBERS,
    submitted_at_ms=NUMBERS,
    started_at_ms=NUMBERS,
    finished_at_ms=NUMBERS,
    failure_count=NUMBERS,
    preemption_count=NUMBERS,
    gang_id=MAYBE,
    resources=st.none()
    | st.builds(
        model.Resources,
        cpu=NUMBERS,
        memory=MAYBE,
        disk=MAYBE,
        device=st.none() | st.builds(model.Device, kind=HOSTILE, variant=MAYBE),
        replicas=NUMBERS,
        preemptible=st.none() | st.booleans(),
        regions=st.tuples(HOSTILE),
    ),
    queue_position=st.none() | st.integers(0, 10**6),
)


def assert_only_own_markup(html: str, strings: list[str | None]) -> None:
    found = parsed(html)
    assert found.tags <= ROW_TAGS, found.tags
    assert found.attributes <= ROW_ATTRIBUTES, found.attributes
    assert all(not href.lower().startswith(("javascript", "data", "http")) for href in found.hrefs)
    text = "".join(found.text)
    for value in strings:
        if value and len(value) < 100 and "\x1b" not in value:
            assert value[:40] in text or value[:8] in text


@settings(max_examples=150, deadline=None)
@given(st.lists(jobs, min_size=1, max_size=4))
def test_job_rows_hold_only_their_own_markup(rows: list[model.JobSummary]) -> None:
    cells = cells_for([job.job_id for job in rows])
    spec = (tables.QUEUE_COLUMN, *tables.JOB_COLUMNS)
    html = columns.rows(spec, rows, cells, lambda job: f' data-state="{job.state}"')
    assert_only_own_markup(html, [s for job in rows for s in (job.name, job.worker_id)])


workers = st.builds(
    model.WorkerInfo,
    worker_id=HOSTILE,
    address=MAYBE,
    resources=st.none(),
    healthy=st.none() | st.booleans(),
    consecutive_failures=NUMBERS,
    last_heartbeat_ms=NUMBERS,
    running_job_ids=st.tuples(HOSTILE),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(workers, min_size=1, max_size=4))
def test_worker_rows_hold_only_their_own_markup(rows: list[model.WorkerInfo]) -> None:
    html = columns.rows(tables.WORKER_COLUMNS, rows, cells_for(["x"]), tables.worker_attributes)
    assert_only_own_markup(html, [w.address for w in rows])


statuses: Any = st.builds(
    model.JobStatus,
    job_id=HOSTILE,
    state=STATES,
    exit_code=NUMBERS,
    error=MAYBE,
    started_at_ms=NUMBERS,
    finished_at_ms=NUMBERS,
    ports=st.just(()),
    usage=st.none()
    | st.builds(
        model.Usage,
        memory_mb=NUMBERS,
        disk_mb=NUMBERS,
        cpu_millicores=NUMBERS,
        memory_peak_mb=NUMBERS,
        cpu_percent=NUMBERS,
        process_count=NUMBERS,
    ),
    status_message=MAYBE,
    build=st.none(),
    worker_id=MAYBE,
    worker_address=MAYBE,
    result=st.none(),
)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.builds(tables.WorkerJob, statuses, MAYBE, NUMBERS, HOSTILE), min_size=1, max_size=4)
)
def test_worker_job_rows_hold_only_their_own_markup(rows: list[tables.WorkerJob]) -> None:
    cells = cells_for([row.job_id for row in rows])
    html = columns.rows(tables.WORKER_JOB_COLUMNS, rows, cells, lambda row: "")
    assert_only_own_markup(html, [row.name for row in rows])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.builds(model.LogLine, NUMBERS, MAYBE, MAYBE), min_size=1, max_size=6))
def test_log_lines_hold_only_their_own_markup(lines: list[model.LogLine]) -> None:
    html = logs.lines_html(lines, 1_000, 1_800_000_000_000).html
    found = parsed(str(html))
    assert found.tags <= {"span"}
    assert found.attributes <= {"class", "data-n"}
    text = "".join(found.text)
    for line in lines:
        if line.data and "\x1b" not in line.data:
            assert line.data[: logs.LINE_DISPLAY_LIMIT] in text
