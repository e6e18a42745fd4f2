"""A large single-file report is packed: its pages but the front one compressed, opened
in the browser as they are needed; and a summary-only report for mail."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from renderer import cli
from renderer.reference import demo
from renderer.report import bundle, sitemap
from renderer.report.bundle import render_single_file
from renderer.report.context import PACKED_LOG_LINES, RenderOptions
from renderer.snapshot import loading, states
from renderer.snapshot.cluster import open_sources
from renderer.snapshot.schema import pb

WIDTH = 1280
DETAIL_LIMIT = 400  # fewer detail pages than jobs: some jobs have their row alone


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> tuple[pb.ClusterSnapshot, Path]:
    """1,600 jobs (four pages of the job list), a log for one job in 30."""
    snapshot = demo.demo_snapshot(demo.DemoConfig(seed=4, jobs=1600, workers=120, log_sample=0.03))
    path = tmp_path_factory.mktemp("mail") / "cluster.pb"
    path.write_bytes(loading.dump(snapshot, "binary"))
    return snapshot, path


def render(path: Path, out: Path, **options: object) -> bytes:
    render_single_file(open_sources([loading.load(path)]), out, RenderOptions(**options))  # type: ignore[arg-type]
    return out.read_bytes()


@pytest.fixture(scope="module")
def packed(
    cluster: tuple[pb.ClusterSnapshot, Path], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    _, path = cluster
    out = tmp_path_factory.mktemp("packed") / "report.html"
    limit = sitemap.DETAIL_PAGES_LIMIT
    sitemap.DETAIL_PAGES_LIMIT = DETAIL_LIMIT
    try:
        render(path, out, processes=2)
    finally:
        sitemap.DETAIL_PAGES_LIMIT = limit
    return out


def unpacked(text: str) -> dict[str, str]:
    """Each packed block of a single file, decompressed, by its id."""
    blocks = re.findall(
        r'<script type="application/x-gzip-base64" id="([^"]+)">([^<]*)</script>', text
    )
    return {key: bundle.unpacked_text(value) for key, value in blocks}


def test_a_large_single_file_is_packed_and_much_smaller(
    cluster: tuple[pb.ClusterSnapshot, Path], packed: Path, tmp_path: Path
) -> None:
    snapshot, path = cluster
    text = packed.read_text()
    plain = render(path, tmp_path / "plain.html", pack=False)
    assert len(text) * 4 < len(plain), (len(text), len(plain))
    # The front page is there as it is; every other page is packed, and holds no more
    # (nor less) than the same page unpacked.
    front = text.split('id="p-index"')[1].split("</section>")[0]
    assert 'id="stat-cards"' in front
    blocks = unpacked(text)
    sections = re.findall(
        r'<section class="page[^>]* id="([^"]+)"[^>]*data-packed>\s*</section>', text
    )
    assert sections
    assert {f"packed-{s}" for s in sections} | {"packed-targets"} == set(blocks)
    jobs = blocks["packed-p-jobs-index"]
    data = json.loads(jobs.split('id="jobs-data">')[1].split("</script>")[0])
    listed = {row[0][0] for row in data["rows"]}
    assert len(listed) == len(snapshot.controller.jobs)
    # The lists are one page each: the script shows every row.
    assert "p-jobs-page-2" not in text
    assert "p-workers-list-2" not in text
    targets = json.loads(blocks["packed-targets"])
    assert targets["r-"] == "p-jobs-index"
    details = [k for k in blocks if k.startswith("packed-p-jobs-detail-")]
    articles = {
        anchor: block[len("packed-") :]
        for block in details
        for anchor in re.findall(r'<article class="job[^"]*" id="([^"]+)"', blocks[block])
    }
    assert len(articles) == DETAIL_LIMIT
    assert all(targets[anchor] == section for anchor, section in articles.items())
    # gzip carries no time stamp: the same snapshot gives the same bytes.
    raw = base64.b64decode(re.findall(r'id="packed-p-jobs-index">([^<]*)<', text)[0])
    assert raw[4:8] == b"\0\0\0\0"


def test_the_same_bytes_from_one_process_and_several(
    cluster: tuple[pb.ClusterSnapshot, Path], tmp_path: Path
) -> None:
    _, path = cluster
    one = render(path, tmp_path / "one.html", processes=1)
    two = render(path, tmp_path / "two.html", processes=2)
    again = render(path, tmp_path / "again.html", processes=2)
    assert one == two == again
    assert re.search(rb"<section [^>]*data-packed", one)


def test_a_small_single_file_stays_plain(demo_path: Path, tmp_path: Path) -> None:
    text = render(demo_path, tmp_path / "small.html").decode()
    assert "<section" in text
    assert not re.search(r"<section [^>]*data-packed", text)
    assert '<script type="application/x-gzip-base64"' not in text


def test_summary_only_keeps_every_job_and_the_details_of_problems(
    cluster: tuple[pb.ClusterSnapshot, Path], tmp_path: Path
) -> None:
    snapshot, path = cluster
    full = render(path, tmp_path / "full.html")
    summary = render(path, tmp_path / "summary.html", summary_only=True)
    assert len(summary) < len(full) / 2
    text = summary.decode()
    assert 'id="summary-note"' in text
    blocks = unpacked(text)
    jobs = blocks["packed-p-jobs-index"]
    data = json.loads(jobs.split('id="jobs-data">')[1].split("</script>")[0])
    assert len(data["rows"]) == len(snapshot.controller.jobs)
    details = "".join(v for k, v in blocks.items() if k.startswith("packed-p-jobs-detail-"))
    detailed = set(re.findall(r'data-job-id="([^"]+)"', details))
    problems = {
        j.status.job_id for j in snapshot.controller.jobs if j.status.state in states.PROBLEM_STATES
    }
    assert detailed == problems
    assert not any(k.startswith("packed-p-workers-page-") for k in blocks)


def test_a_packed_file_shows_shorter_logs_and_leaves_succeeded_jobs_to_its_list(
    cluster: tuple[pb.ClusterSnapshot, Path], packed: Path, tmp_path: Path
) -> None:
    """A file for mail: each log shows its last PACKED_LOG_LINES lines unless asked
    otherwise, and a worker's own record lists its jobs but the succeeded ones, which
    its job list holds with every other job."""
    snapshot, path = cluster
    blocks = unpacked(packed.read_text())
    details = "".join(v for k, v in blocks.items() if k.startswith("packed-p-jobs-detail-"))
    longest = max(len(tail.lines) for w in snapshot.workers for tail in w.job_logs.values())
    assert longest > PACKED_LOG_LINES
    counts = [int(n.replace(",", "")) for n in re.findall(r"showing last ([\d,]+) of", details)]
    assert counts
    assert max(counts) == PACKED_LOG_LINES
    asked = render(path, tmp_path / "asked.html", log_lines=300)
    asked_details = "".join(
        v for k, v in unpacked(asked.decode()).items() if k.startswith("packed-p-jobs-detail-")
    )
    assert max(int(n) for n in re.findall(r"showing last (\d+) of", asked_details)) == 300
    pages = "".join(v for k, v in blocks.items() if k.startswith("packed-p-workers-page-"))
    left_out = 0
    for worker in snapshot.workers:
        start = pages.index(f'<article class="worker-section" id="w-{worker.worker_id}"')
        section = pages[start : pages.index("</article>", start)]
        for status in worker.jobs:
            in_table = f'title="{status.job_id}"' in section
            assert in_table == (status.state != states.SUCCEEDED), status.job_id
            left_out += not in_table
    assert left_out


def test_the_command_warns_of_a_file_too_large_to_mail(
    demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bundle, "MAIL_BYTES", 1000)
    runner = CliRunner()
    out = tmp_path / "mail.html"
    done = runner.invoke(cli.cli, ["render", str(demo_path), "--single-file", str(out)])
    assert done.exit_code == 0, done.output
    assert "too large for most mail; render it with --summary-only" in done.stderr
    done = runner.invoke(
        cli.cli, ["render", str(demo_path), "--single-file", str(out), "--summary-only"]
    )
    assert done.exit_code == 0, done.output
    assert "the folder report (--out) has no such limit" in done.stderr
    done = runner.invoke(
        cli.cli, ["render", str(demo_path), "--out", str(tmp_path / "r"), "--summary-only"]
    )
    assert done.exit_code == 2
    assert "--summary-only goes with --single-file" in done.stderr


# ---- in Chromium ----


def open_report(watched, packed: Path, javascript: bool = True):  # type: ignore[no-untyped-def]
    view = watched(packed.parent, javascript=javascript, width=WIDTH)
    view.open(packed.name)
    if javascript:
        view.page.wait_for_selector('body[data-enhanced="true"]')
    return view


@pytest.mark.browser
def test_the_packed_file_shows_every_job_a_detail_and_a_log(  # type: ignore[no-untyped-def]
    cluster, packed: Path, watched
) -> None:
    snapshot, _ = cluster
    view = open_report(watched, packed)
    page = view.page
    assert page.locator("#p-index").is_visible()
    page.click('.nav a:has-text("Jobs")')
    page.wait_for_selector('body[data-jobs-ready="true"]')
    assert page.locator("#p-jobs-index").is_visible()
    assert not page.locator("#p-index").is_visible()
    assert page.get_attribute("body", "data-jobs-shown") == str(len(snapshot.controller.jobs))

    # A job that went wrong, with a log: find it by its name, open it, read its log.
    names = [job.request.name for job in snapshot.controller.jobs]
    job_id, name = next(
        (job.status.job_id, job.request.name)
        for job in snapshot.controller.jobs
        if any(job.status.job_id in worker.job_logs for worker in snapshot.workers)
        and job.status.state in states.PROBLEM_STATES
        and names.count(job.request.name) == 1
    )
    page.fill("#p-jobs-index [data-search-input]", name)
    assert page.get_attribute("body", "data-jobs-shown") == "1"
    page.click("#p-jobs-index #jobs-table tbody tr:not(.vlist-spacer) td.id a")
    job = page.locator("article.job:target")
    job.wait_for()
    assert job.get_attribute("data-job-id") == job_id
    assert (
        page.eval_on_selector_all("article.job", "a => a.filter(e => e.offsetParent).length") == 1
    )
    # An unpacked page gets what the script adds to any page: its copy-link buttons.
    copy = job.locator(".job-head .copy-link")
    assert (copy.get_attribute("aria-label") or "").startswith("Copy link to job ")
    lines = job.locator(".ln")
    assert lines.count() > 10
    assert lines.first.is_visible()
    page.fill("article.job:target [data-log-search]", "step")
    assert "matching lines" in (job.locator(".log-count").text_content() or "")

    # Its worker's page, from the job's page.
    worker = job.locator(".attempt a[href^='#w-'], a.mono[href^='#w-']").first
    anchor = (worker.get_attribute("href") or "")[1:]
    worker.click()
    page.wait_for_selector(f'[id="{anchor}"]:target')
    assert page.locator(f'[id="{anchor}"]').is_visible()

    # Back: the job again.
    page.go_back()
    page.wait_for_selector("article.job:target")
    assert page.locator("article.job:target").get_attribute("data-job-id") == job_id
    assert view.errors == []
    assert [u for u in view.requests if not u.startswith(packed.as_uri())] == []


@pytest.mark.browser
def test_a_link_to_a_job_without_a_detail_page_opens_its_row(  # type: ignore[no-untyped-def]
    cluster, packed: Path, watched
) -> None:
    view = open_report(watched, packed)
    page = view.page
    page.click('.nav a:has-text("Workers")')
    page.wait_for_selector('body[data-workers-ready="true"]')
    assert page.locator("#p-workers-index").is_visible()
    # A captured worker's page links each of its jobs; some have only their row.
    links = page.evaluate(
        """() => [...document.querySelectorAll('#p-workers-index #all-workers a')]
          .map(a => a.getAttribute('href'))"""
    )
    assert links
    found = None
    for href in links:
        page.evaluate(f"location.hash = {json.dumps(href)}")
        page.wait_for_selector(f'[id="{href[1:]}"]:target')
        rows = page.eval_on_selector_all(
            ".worker-section:target a[href^='#r-']", "a => a.map(e => e.getAttribute('href'))"
        )
        if rows:
            found = rows[0]
            break
    assert found, "no captured worker ran a job without a detail page"
    page.click(f'.worker-section:target a[href="{found}"]')
    # The list scrolls to the row and draws it (anew as it scrolls: the row may not
    # stay :target, but the list shows as long as the fragment names it).
    page.wait_for_selector(f'#p-jobs-index [id="{found[1:]}"]', state="visible")
    assert page.locator("#p-jobs-index").is_visible()
    assert not page.locator("#p-workers-index").is_visible()
    row = page.locator(f'[id="{found[1:]}"]')
    assert row.is_visible()
    assert "no detail page in this report" in (row.locator(".no-page").get_attribute("title") or "")
    assert view.errors == []


@pytest.mark.browser
def test_without_script_the_front_page_shows_and_says_why_no_other(  # type: ignore[no-untyped-def]
    packed: Path, watched
) -> None:
    view = open_report(watched, packed, javascript=False)
    page = view.page
    assert page.locator("#p-index").is_visible()
    assert page.locator("#stat-cards").is_visible()
    assert "open with JavaScript on" in (page.text_content("#packed-note") or "")
    assert view.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("csp", ["with CSP", "CSP bypassed"])
def test_no_payload_runs_in_an_unpacked_page(  # type: ignore[no-untyped-def]
    tmp_path: Path, browser, csp: str
) -> None:
    """The hostile corpus in a packed file: every page unpacked, nothing runs."""
    from tests.hostile import hostile_cluster

    path = tmp_path / "hostile.pb"
    path.write_bytes(loading.dump(hostile_cluster(), "binary"))
    out = tmp_path / "hostile.html"
    render(path, out, pack=True)
    context = browser.new_context(bypass_csp=csp == "CSP bypassed")
    page = context.new_page()
    events: list[str] = []
    page.on("dialog", lambda d: (events.append(f"dialog {d.message}"), d.dismiss()))
    page.on("pageerror", lambda e: events.append(f"page error {e}"))
    page.on("console", lambda m: events.append(m.text) if m.type == "error" else None)
    page.goto(out.as_uri())
    page.wait_for_selector('body[data-enhanced="true"]')
    sections = page.eval_on_selector_all("section.page[data-packed]", "s => s.map(e => e.id)")
    assert len(sections) > 5
    for section in sections:
        page.evaluate(f"location.hash = {json.dumps(section)}")
        page.wait_for_selector(
            f'[id="{section}"]:not([data-packed]):not([aria-busy])', state="attached"
        )
        for search in page.locator(f'[id="{section}"] input[type=search]').all()[:3]:
            if search.is_visible():
                search.fill("<script>")
        assert page.evaluate("window.__pwned") is None, section
    assert page.locator("section.page noscript").count() == 0
    context.close()
    assert events == []


@pytest.mark.browser
def test_the_header_search_finds_a_job_in_a_packed_file(  # type: ignore[no-untyped-def]
    cluster, packed: Path, watched
) -> None:
    snapshot, _ = cluster
    job = next(j for j in snapshot.controller.jobs if j.status.state in states.PROBLEM_STATES)
    view = open_report(watched, packed)
    page = view.page
    page.fill("#site-search", job.status.job_id)
    page.wait_for_selector("body[data-site-search]")
    found = page.locator("#site-search-results .site-search-part", has_text="Jobs · 1")
    found.locator("a").first.click()
    target = page.locator("article.job:target")
    target.wait_for()
    assert target.get_attribute("data-job-id") == job.status.job_id
    # The failures page, packed too, from the overview's link to a group.
    view.open(packed.name)
    page.wait_for_selector('body[data-enhanced="true"]')
    group = page.locator("#p-index a[href^='#g-']").first
    anchor = (group.get_attribute("href") or "")[1:]
    group.click()
    page.wait_for_selector(f'[id="{anchor}"]:target')
    assert page.locator("#p-failures").is_visible()
    assert view.errors == []


@pytest.mark.browser
def test_a_packed_report_of_a_lone_worker_opens_on_its_page(tmp_path: Path, watched) -> None:  # type: ignore[no-untyped-def]
    scenario = Path(__file__).parent / "gold" / "scenarios" / "lone_worker.txtpb"
    out = tmp_path / "worker.html"
    render(scenario, out, pack=True)
    text = out.read_text()
    first = re.search(r'<section class="page[^>]*>', text)
    assert first is not None
    assert 'id="p-index"' in first.group(0)
    assert "data-packed" not in first.group(0)
    view = open_report(watched, out)
    assert view.page.locator("#p-index .worker-section").first.is_visible()
    view.page.click('.nav a[href="#p-failures"]')
    view.page.wait_for_selector("#p-failures:not([data-packed]) h1")
    assert view.page.locator("#p-failures").is_visible()
    assert not view.page.locator("#p-index").is_visible()
    assert view.errors == []


def test_a_single_file_of_many_workers_gives_pages_to_the_captured_ones(tmp_path: Path) -> None:
    snapshot = demo.demo_snapshot(demo.DemoConfig(seed=6, jobs=300, workers=600, log_sample=0))
    del snapshot.workers[5:]
    path = tmp_path / "cluster.pb"
    path.write_bytes(loading.dump(snapshot, "binary"))
    text = render(path, tmp_path / "report.html").decode()
    blocks = unpacked(text)
    pages = "".join(v for k, v in blocks.items() if k.startswith("packed-p-workers-page-"))
    shown = set(re.findall(r'<article class="worker-section" id="w-([^"]+)"', pages))
    assert shown == {worker.worker_id for worker in snapshot.workers}
    listed = blocks["packed-p-workers-index"].split('id="workers-data">')[1].split("</script>")[0]
    assert len(json.loads(listed)["rows"]) == len(snapshot.controller.workers)
