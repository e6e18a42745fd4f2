"""The rendered bundle as files: complete, linked, self-contained, deterministic."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest

from renderer.reference import demo
from renderer.report.bundle import render_bundle
from renderer.report.context import RenderOptions
from renderer.report.publish import MARKER
from renderer.snapshot import loading
from renderer.snapshot.cluster import open_sources
from tests.conftest import run_cli


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.repeated_ids: set[str] = set()
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            identifier = values["id"] or ""
            if identifier in self.ids:
                self.repeated_ids.add(identifier)
            self.ids.add(identifier)
        for name in ("href", "src"):
            if values.get(name):
                self.links.append(values[name] or "")
        if tag == "script":
            self.scripts.append(values)


def parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text())
    return parser


def html_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


def test_every_link_leads_to_a_file_and_an_anchor_in_it(demo_bundle: Path) -> None:
    parsed = {path: parse(path) for path in html_files(demo_bundle)}
    # Pages hold many jobs or workers: an id used twice would send links to the first.
    assert {
        path.name: page.repeated_ids for path, page in parsed.items() if page.repeated_ids
    } == {}
    checked = 0
    for path, page in parsed.items():
        for link in page.links:
            if link.startswith("data:"):
                continue
            target, _, fragment = link.partition("#")
            destination = (path.parent / unquote(target)).resolve() if target else path
            assert destination.is_file(), f"{path.relative_to(demo_bundle)} links to {link}"
            assert destination.is_relative_to(demo_bundle.resolve())
            if fragment and "=" not in fragment and destination.suffix == ".html":
                assert fragment in parsed[destination].ids, f"{path.name} -> {link}"
            checked += 1
    assert checked > 500


def test_every_job_and_every_worker_has_a_page(
    demo_bundle: Path, demo_cluster: demo.DemoCluster
) -> None:
    text = "".join(p.read_text() for p in (demo_bundle / "jobs").glob("detail-*.html"))
    for job_id in demo_cluster.controller.jobs:
        assert f'data-job-id="{job_id}"' in text
    worker_pages = "".join(p.read_text() for p in (demo_bundle / "workers").glob("page-*.html"))
    for worker_id in demo_cluster.controller.workers:  # captured or not
        assert f'id="w-{worker_id}"' in worker_pages
    overview = (demo_bundle / "index.html").read_text()
    uncaptured = set(demo_cluster.controller.workers) - set(demo_cluster.workers)
    assert uncaptured
    for worker_id in uncaptured:
        # Linked to its page, and marked: its own snapshot is not in the report.
        link = rf'<a href="workers/page-\d+\.html#w-{worker_id}">{worker_id}</a>'
        assert re.search(rf"{link} <span class=\"tag\"[^>]*>not captured</span>", overview)


def test_pages_are_self_contained(demo_bundle: Path) -> None:
    assert (demo_bundle / ".nojekyll").is_file()
    assert (demo_bundle / MARKER).is_file()
    for path in html_files(demo_bundle):
        text = path.read_text()
        assert "Content-Security-Policy" in text
        assert "default-src 'none'; script-src 'self'; style-src 'self'" in text
        for script in parse(path).scripts:
            # Classic scripts from the bundle, or JSON data blocks; never inline code.
            assert script.get("src") or script.get("type") == "application/json"
        assert "<style" not in text
        assert " style=" not in text
        assert not re.search(r"""(?:href|src)=["'](?:https?:)?//""", text)
    script = (demo_bundle / "static" / "app.js").read_text()
    for forbidden in (
        "fetch(",
        "XMLHttpRequest",
        ".innerHTML",
        ".outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "import(",
        "eval(",
        "new Function",
    ):
        assert forbidden not in script


def test_same_snapshot_same_bytes(demo_path: Path, tmp_path: Path) -> None:
    sources = open_sources([loading.load(demo_path)])
    render_bundle(sources, tmp_path / "one", RenderOptions(title="x"))
    render_bundle(
        open_sources([loading.load(demo_path)]), tmp_path / "two", RenderOptions(title="x")
    )
    one = {
        p.relative_to(tmp_path / "one"): p.read_bytes()
        for p in (tmp_path / "one").rglob("*")
        if p.is_file()
    }
    two = {
        p.relative_to(tmp_path / "two"): p.read_bytes()
        for p in (tmp_path / "two").rglob("*")
        if p.is_file()
    }
    assert one == two


def test_log_tail_says_what_it_shows_and_links_plain_text(
    demo_bundle: Path, demo_cluster: demo.DemoCluster
) -> None:
    long_logs = [
        (worker_id, job)
        for worker_id, worker in demo_cluster.workers.items()
        for job in worker.jobs.values()
        if len(job.logs) > 1000
    ]
    assert long_logs
    worker_id, job = long_logs[0]
    text = "".join(p.read_text() for p in (demo_bundle / "jobs").glob("detail-*.html"))
    assert f"showing last 1,000 of {len(job.logs):,} lines" in text
    plain = (demo_bundle / "logs" / worker_id / f"{job.job_id}.txt").read_text()
    assert plain.startswith(f"# log tail of job {job.job_id} on worker {worker_id}: last 1,000 of")
    assert len(plain.splitlines()) == 1001
    assert "\x1b" not in plain


def test_bytes_are_never_dumped(tmp_path: Path) -> None:
    secret = b"\x80\x04PICKLED-SECRET-ENTRYPOINT" * 10
    escaped = b"".join(b"\\x%02x" % byte for byte in secret)
    text = b'captured_at_ms: 5 jobs { status { job_id: "j" } request { serialized_entrypoint: "'
    snapshot = loading.parse(text + escaped + b'" } }', "bytes.txtpb")
    render_bundle(open_sources([snapshot]), tmp_path / "out", RenderOptions())
    text = (tmp_path / "out" / "jobs" / "detail-0001.html").read_text()
    assert "PICKLED-SECRET" not in text
    assert f"{len(secret):,} bytes, sha256 " in text


def test_render_cli_prints_a_file_link_and_checks_its_options(
    demo_path: Path, tmp_path: Path
) -> None:
    result = run_cli("render", str(demo_path), "--out", str(tmp_path / "r"), "--title", "CI #42")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"report: {(tmp_path / 'r' / 'index.html').as_uri()}"
    assert "CI #42" in (tmp_path / "r" / "index.html").read_text()
    both = run_cli(
        "render",
        str(demo_path),
        "--out",
        str(tmp_path / "a"),
        "--single-file",
        str(tmp_path / "b.html"),
    )
    assert both.returncode == 2
    assert "exactly one of --out" in both.stderr
    single = run_cli("render", str(demo_path), "--single-file", str(tmp_path / "one.html"))
    assert single.returncode == 0, single.stderr
    text = (tmp_path / "one.html").read_text()
    assert "<script src=" not in text
    assert '<link rel="stylesheet"' not in text
    assert "script-src 'sha256-" in text


def test_log_lines_option_limits_what_pages_show(demo_path: Path, tmp_path: Path) -> None:
    result = run_cli("render", str(demo_path), "--out", str(tmp_path / "r"), "--log-lines", "5")
    assert result.returncode == 0, result.stderr
    text = "".join(p.read_text() for p in (tmp_path / "r" / "jobs").glob("detail-*.html"))
    shown = re.findall(r"showing last ([\d,]+) of", text)
    assert shown
    assert {int(n.replace(",", "")) for n in shown} <= {0, 1, 2, 3, 4, 5}


@pytest.mark.parametrize("scenario", ["lone_worker", "small_cluster"])
def test_fluster_dashboard_alias(scenario: str, tmp_path: Path) -> None:
    import shutil
    import subprocess
    import sys

    source = Path(__file__).parent / "gold" / "scenarios" / f"{scenario}.txtpb"
    copy = tmp_path / source.name
    shutil.copy(source, copy)
    code = "from renderer.cli import dashboard_main; dashboard_main()"
    result = subprocess.run(
        [sys.executable, "-c", code, "--snapshot", str(copy)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / f"{scenario}-report" / "index.html").is_file()


def test_log_times_read_the_same_on_the_page_and_in_the_text_file(tmp_path: Path) -> None:
    # Times from one minute, the next millisecond, the last of a day, none, and
    # out of range on both sides: logs reuse the text of a minute, so edges matter.
    times = [1795918000100, 1795918000101, 1795918059999, 1795939199999, None, -(2**62), 2**62]
    lines = "".join(
        f'lines {{ {"" if t is None else f"timestamp_ms: {t} "}source: "stdout" data: "l{i}" }}'
        for i, t in enumerate(times)
    )
    text = (
        f'worker_id: "w" jobs {{ job_id: "j" state: 4 }} '
        f'job_logs {{ key: "j" value {{ total_lines: 7 {lines} }} }}'
    )
    render_bundle(
        open_sources([loading.parse(text.encode(), "w.txtpb")]), tmp_path / "r", RenderOptions()
    )
    plain = (tmp_path / "r" / "logs" / "w" / "j.txt").read_text().splitlines()[1:]
    assert plain == [
        "[2026-11-29 02:06:40.100 UTC] [stdout] l0",
        "[2026-11-29 02:06:40.101 UTC] [stdout] l1",
        "[2026-11-29 02:07:39.999 UTC] [stdout] l2",
        "[2026-11-29 07:59:59.999 UTC] [stdout] l3",
        "[-] [stdout] l4",
        "[-] [stdout] l5",
        "[-] [stdout] l6",
    ]
    page = (tmp_path / "r" / "jobs" / "detail-0001.html").read_text()
    shown = re.findall(r'<span class="ts">([^<]*)</span> (l\d)', page)
    assert shown == [
        ("02:06:40.100", "l0"),
        ("02:06:40.101", "l1"),
        ("02:07:39.999", "l2"),
        ("07:59:59.999", "l3"),
        ("-", "l4"),
        ("-", "l5"),
        ("-", "l6"),
    ]


def test_pagers_mark_the_current_page_and_link_only_to_pages(tmp_path: Path) -> None:
    # 12,000 actions make 12 pages of actions: enough for gaps on both sides.
    actions = "".join(
        f'actions {{ timestamp_ms: {1795918000000 + i} action: "a{i}" }}' for i in range(12_000)
    )
    snapshot = loading.parse(
        f"captured_at_ms: 1795918417000 controller {{ {actions} }}".encode(), "a.txtpb"
    )
    render_bundle(open_sources([snapshot]), tmp_path / "r", RenderOptions())
    pages = sorted((tmp_path / "r").glob("actions*.html"))
    assert len(pages) == 12
    for path in pages:
        number = 1 if path.name == "actions.html" else int(path.stem.split("-")[1])
        pager = path.read_text().split('<nav class="pagination"')[1].split("</nav>")[0]
        assert re.findall(r'<span aria-current="page">(\d+)</span>', pager) == [str(number)]
        hrefs = re.findall(r'href="([^"]*)"', pager)
        assert hrefs
        assert all((path.parent / href).is_file() for href in hrefs), (path.name, hrefs)
        shown = re.findall(r">(\d+|…)</", pager)
        assert shown[0] == "1"
        assert shown[-1] == "12"
        if number >= 6:
            assert '<span class="gap">…</span>' in pager


def test_the_overview_shows_at_most_50_unhealthy_workers(tmp_path: Path) -> None:
    workers = "".join(f'workers {{ worker_id: "w{i:03d}" healthy: false }}' for i in range(60))
    snapshot = loading.parse(f"controller {{ {workers} }}".encode(), "w.txtpb")
    render_bundle(open_sources([snapshot]), tmp_path / "r", RenderOptions())
    overview = (tmp_path / "r" / "index.html").read_text()
    table = overview.split('id="unhealthy-workers"')[1].split("</table>")[0]
    assert table.count("<tr data-healthy") == 50
    assert '50 of 60 · <a href="workers/index.html">all workers, unhealthy first</a>' in overview
