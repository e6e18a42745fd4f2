"""`diff` and `demo --earlier` through the command line: words as the report writes them,
snapshots of different kinds, failure groups, and the HTML page's links to the reports."""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from renderer.snapshot import loading
from renderer.snapshot.schema import pb
from tests.conftest import run_cli
from tests.test_text_isolation import CONTROLS, unescaped_controls

OOM = "RuntimeError: CUDA out of memory. Tried to allocate {} GiB"
T0 = 1_795_918_417_000
MINUTE = 60_000


def status(job_id: str, state: int, error: str = "", at: int = T0) -> pb.JobStatus:
    return pb.JobStatus(
        job_id=job_id, state=state, error=error, started_at_ms=at - MINUTE, finished_at_ms=at
    )


def write(path: Path, message: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(loading.dump(message, "binary"))  # type: ignore[arg-type]
    return path


def a_cluster(captured: int, jobs: list[pb.JobStatus], worker_jobs: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    """A cluster snapshot: the controller's jobs, and each worker's own record of some."""
    message = pb.ClusterSnapshot(captured_at_ms=captured)
    message.controller.captured_at_ms = captured
    by_id = {job.job_id: job for job in jobs}
    for job in jobs:
        message.controller.jobs.add(status=job, request=pb.Controller.LaunchJobRequest(name="n"))
    for worker_id, ids in worker_jobs.items():
        message.controller.workers.add(worker_id=worker_id, healthy=True, address="10.0.0.1:1")
        worker = message.workers.add(worker_id=worker_id, captured_at_ms=captured)
        for job_id in ids:
            worker.jobs.add().CopyFrom(by_id[job_id])
    message.controller.actions.add(timestamp_ms=captured - 1, action="job_submitted", job_id="x")
    return message


# ---- text and json read like the report ----


def test_text_writes_states_and_counts_as_the_report_does(tmp_path: Path) -> None:
    old = pb.ClusterSnapshot(captured_at_ms=T0)
    old.controller.jobs.add(status=status("a", 3), failure_count=0)
    old.controller.jobs.add(status=status("b", 3))
    new = pb.ClusterSnapshot(captured_at_ms=T0 + 10 * MINUTE)
    new.controller.jobs.add(status=status("a", 4), failure_count=2)
    new.controller.jobs.add(status=status("b", 7))
    for number in range(501):
        new.controller.actions.add(timestamp_ms=T0 + 1 + number, action="job_started", job_id="a")
    text = run_cli("diff", str(write(tmp_path / "o.pb", old)), str(write(tmp_path / "n.pb", new)))
    assert text.returncode == 0, text.stderr
    assert "  a: running → succeeded\n" in text.stdout
    assert "  b: running → worker-failed\n" in text.stdout
    assert "  a: failures 0 → 2\n" in text.stdout
    assert "  and 1 more action\n" in text.stdout
    assert "RUNNING" not in text.stdout
    assert "->" not in text.stdout
    changes = json.loads(
        run_cli("diff", str(tmp_path / "o.pb"), str(tmp_path / "n.pb"), "--format", "json").stdout
    )
    assert {c["after"] for c in changes["state_changes"]} == {"succeeded", "worker_failed"}
    assert (changes["old_kind"], changes["new_kind"], changes["compared"]) == (
        "controller",
        "controller",
        "controller",
    )
    assert changes["note"] == ""


# ---- snapshots of different kinds ----


@pytest.fixture(scope="module")
def kinds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Snapshots of one cluster ten minutes apart, whole and in parts."""
    root = tmp_path_factory.mktemp("kinds")
    before = [status("a", 3), status("b", 1), status("c", 3)]
    after = [status("a", 4), status("b", 3), status("c", 5, "boom"), status("d", 3)]
    early = a_cluster(T0, before, {"w1": ["a", "c"], "w2": ["b"]})
    late = a_cluster(T0 + 10 * MINUTE, after, {"w1": ["a", "c", "d"], "w2": ["b"]})
    return {
        "cluster": write(root / "late.pb", late),
        "early-cluster": write(root / "early.pb", early),
        "early-controller": write(root / "early-controller.pb", early.controller),
        "late-controller": write(root / "late-controller.pb", late.controller),
        "early-w1": write(root / "early-w1.pb", early.workers[0]),
        "late-w2": write(root / "late-w2.pb", late.workers[1]),
    }


def diff_json(old: Path, new: Path) -> dict:  # type: ignore[type-arg]
    result = run_cli("diff", str(old), str(new), "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_a_worker_snapshot_against_a_cluster_compares_what_both_hold(
    kinds: dict[str, Path], tmp_path: Path
) -> None:
    old, new = kinds["early-w1"], kinds["cluster"]
    changes = diff_json(old, new)
    assert (changes["old_kind"], changes["new_kind"], changes["compared"]) == (
        "worker",
        "cluster",
        "workers",
    )
    assert changes["workers_compared"] == ["w1"]
    assert [j["job_id"] for j in changes["jobs_added"]] == ["d"], "w1's new job only"
    assert {(c["job_id"], c["after"]) for c in changes["state_changes"]} == {
        ("a", "succeeded"),
        ("c", "failed"),
    }
    for nothing in ("workers", "endpoints_added", "actions", "jobs_removed"):
        assert changes[nothing] == [], nothing
    assert [g["signature"] for g in changes["groups_new"]] == ["boom"]
    note = changes["note"]
    assert note.startswith("the older is a worker snapshot (w1), the newer a cluster snapshot")
    assert "the controller's jobs, workers, endpoints and actions are not" in note
    assert "w2 is in one snapshot only" in note
    text = run_cli("diff", str(old), str(new)).stdout
    assert text.splitlines()[1] == f"note: {note}"
    assert "jobs added (1):\n  d (running)" in text
    html = run_cli("diff", str(old), str(new), "--out", str(tmp_path / "d"))
    assert html.returncode == 0, html.stderr
    page = (tmp_path / "d" / "index.html").read_text()
    assert 'id="diff-note"' in page
    assert "The older is a worker snapshot (w1)" in page


@pytest.mark.parametrize(
    ("old", "new"),
    [("early-w1", "late-controller"), ("early-w1", "late-w2")],
)
def test_snapshots_with_nothing_in_common_are_not_compared(
    kinds: dict[str, Path], old: str, new: str
) -> None:
    changes = diff_json(kinds[old], kinds[new])
    assert changes["compared"] == "nothing"
    assert "no worker was captured in both, so nothing is compared" in changes["note"]
    lists = [k for k, v in changes.items() if isinstance(v, list)]
    assert all(changes[k] == [] for k in lists), "nothing reads as added or removed"
    text = run_cli("diff", str(kinds[old]), str(kinds[new])).stdout
    assert "nothing compared" in text
    assert "added" not in text


def test_a_controller_against_a_cluster_compares_the_controllers(kinds: dict[str, Path]) -> None:
    changes = diff_json(kinds["early-controller"], kinds["cluster"])
    assert changes["compared"] == "controller"
    assert changes["note"] == (
        "the older is a controller snapshot, the newer a cluster snapshot; "
        "both hold the controller's records, which are compared"
    )
    assert [j["job_id"] for j in changes["jobs_added"]] == ["d"]
    assert changes["workers"] == [], "the controller knew both workers already"


def test_the_same_kind_needs_no_note(kinds: dict[str, Path]) -> None:
    changes = diff_json(kinds["early-cluster"], kinds["cluster"])
    assert changes["note"] == ""
    assert changes["compared"] == "controller"


def test_a_note_cannot_steer_the_terminal(tmp_path: Path) -> None:
    worker = pb.WorkerSnapshot(worker_id=CONTROLS + "w", captured_at_ms=T0)
    other = pb.WorkerSnapshot(worker_id="plain", captured_at_ms=T0)
    result = run_cli(
        "diff", str(write(tmp_path / "a.pb", worker)), str(write(tmp_path / "b.pb", other))
    )
    assert result.returncode == 0, result.stderr
    assert unescaped_controls(result.stdout) == []
    assert "\\u202e" in result.stdout


# ---- failure groups ----


@pytest.fixture(scope="module")
def failing(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("groups")
    old = pb.ClusterSnapshot(captured_at_ms=T0)
    old.controller.jobs.add(status=status("oom-1", 5, OOM.format("2.00"), T0 - 5 * MINUTE))
    old.controller.jobs.add(status=status("nan-1", 5, "ValueError: NaN at step 7", T0 - MINUTE))
    old.controller.jobs.add(status=status("run-1", 3))
    new = pb.ClusterSnapshot(captured_at_ms=T0 + 10 * MINUTE)
    for job in old.controller.jobs:
        new.controller.jobs.add().CopyFrom(job)
    new.controller.jobs[2].status.CopyFrom(status("run-1", 5, OOM.format("3.50"), T0 + MINUTE))
    new.controller.jobs.add(status=status("oom-2", 7, OOM.format("1.00"), T0 + 2 * MINUTE))
    new.controller.jobs.add(
        status=status("lost-1", 7, "Worker worker-36f675cc failed", T0 + 3 * MINUTE)
    )
    return write(root / "old.pb", old), write(root / "new.pb", new)


def test_diff_gives_new_groups_and_groups_that_grew(failing: tuple[Path, Path]) -> None:
    old, new = failing
    text = run_cli("diff", str(old), str(new)).stdout
    assert text.splitlines()[1:5] == [
        "new failure groups (1):",
        "  1 × Worker <id> failed (1 worker-failed; e.g. lost-1)",
        "failure groups that grew (1):",
        f"  {OOM.format('<n>')}: 1 → 3 (2 failed, 1 worker-failed; e.g. oom-2)",
    ], "groups come first"
    assert "ValueError" not in text, "a group that did not grow is not listed"
    changes = diff_json(old, new)
    (added,) = changes["groups_new"]
    assert added["signature"] == "Worker <id> failed"
    assert (added["before"], added["after"]) == (0, 1)
    (more,) = changes["groups_grown"]
    assert (more["before"], more["after"], more["by_state"]) == (
        1,
        3,
        {"failed": 2, "worker_failed": 1},
    )
    assert more["job_id"] == "oom-2"
    assert more["last_at"] == "2026-11-29 02:15:37 UTC"
    assert (
        run_cli("diff", str(old), str(new), "--format", "json").stdout
        == json.dumps(changes, indent=2, ensure_ascii=False) + "\n"
    ), "the same snapshots give the same bytes"


def test_diff_page_shows_the_groups(failing: tuple[Path, Path], tmp_path: Path) -> None:
    old, new = failing
    result = run_cli("diff", str(old), str(new), "--out", str(tmp_path / "d"))
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "d" / "index.html").read_text()
    new_groups = page[page.index('id="groups-new"') : page.index('id="groups-grown"')]
    assert "Worker &lt;id&gt; failed" in new_groups
    grown = page[page.index('id="groups-grown"') : page.index('id="state-changes"')]
    assert "1 → 3" in grown
    assert "Tried to allocate &lt;n&gt; GiB" in grown
    assert 'href="#groups-new"' in page
    assert 'href="#groups-grown"' in page
    assert 'id="no-report"' in page, "no report beside the snapshots: ids as text"
    assert '<span class="mono"><bdi>oom-2</bdi></span>' in page


# ---- the page's links ----


def hrefs(page: Path) -> list[str]:
    return re.findall(r'href="([^"]+)"', page.read_text())


def assert_links_hold(diff_dir: Path, links: list[str]) -> None:
    """Each link into a report names a page that exists and holds the anchor."""
    for link in links:
        path, _, anchor = unquote(link).partition("#")
        target = Path(posixpath.normpath(str(diff_dir / path)))
        assert target.is_file(), link
        if anchor:
            assert f'id="{anchor}"' in target.read_text(), link


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """demo --earlier: two captures, their reports and their diff."""
    out = tmp_path_factory.mktemp("demo") / "demo"
    result = run_cli("demo", "--out", str(out), "--earlier", "150")
    assert result.returncode == 0, result.stderr
    return out


def test_demo_earlier_writes_both_captures_their_reports_and_the_diff(rendered: Path) -> None:
    later, earlier = loading.load(rendered / "cluster.pb"), loading.load(rendered / "earlier.pb")
    assert later.message.captured_at_ms - earlier.message.captured_at_ms == 150 * MINUTE
    assert (rendered / "report" / "index.html").is_file()
    assert (rendered / "earlier-report" / "index.html").is_file()
    page = rendered / "diff" / "index.html"
    links = hrefs(page)
    assert "../report/index.html" in links
    assert "../earlier-report/index.html" in links
    into_reports = [h for h in links if h.startswith("../")]
    assert any("/jobs/detail-" in h for h in into_reports)
    assert any("/workers/" in h for h in into_reports)
    assert_links_hold(page.parent, into_reports)


def test_demo_earlier_prints_both_paths(tmp_path: Path) -> None:
    result = run_cli(
        "demo", "--out", str(tmp_path), "--jobs", "12", "--earlier", "30", "--no-render"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"snapshot: {tmp_path / 'cluster.pb'}",
        f"earlier snapshot: {tmp_path / 'earlier.pb'}",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cluster.pb", "earlier.pb"]
    diff = run_cli("diff", str(tmp_path / "earlier.pb"), str(tmp_path / "cluster.pb"))
    assert diff.stdout.startswith("from 2026-11-29 01:43:37 UTC to 2026-11-29 02:13:37 UTC\n")
    plain = run_cli("demo", "--out", str(tmp_path / "one"), "--jobs", "12", "--no-render")
    assert not (tmp_path / "one" / "earlier.pb").exists()
    assert plain.stdout == f"snapshot: {tmp_path / 'one' / 'cluster.pb'}\n"


def test_diff_links_to_a_report_given_or_found(rendered: Path, tmp_path: Path) -> None:
    old, new = rendered / "earlier.pb", rendered / "cluster.pb"
    given = run_cli(
        "diff",
        str(old),
        str(new),
        "--out",
        str(tmp_path / "given"),
        "--report",
        str(rendered / "report"),
    )
    assert given.returncode == 0, given.stderr
    links = hrefs(tmp_path / "given" / "index.html")
    into = [h for h in links if "/report/" in h]
    assert any("/jobs/detail-" in h for h in into)
    assert_links_hold(tmp_path / "given", into)
    # The older report was found beside the older snapshot: NAME-report/.
    assert "linking to" in given.stderr
    assert "earlier-report" in given.stderr
    assert any("earlier-report/" in h for h in links)


def test_what_only_the_older_snapshot_has_links_to_its_report(tmp_path: Path) -> None:
    old = write(
        tmp_path / "old.pb", a_cluster(T0, [status("kept", 3), status("gone", 4)], {"w1": ["gone"]})
    )
    new = write(tmp_path / "new.pb", a_cluster(T0 + MINUTE, [status("kept", 4)], {"w2": ["kept"]}))
    for snapshot in (old, new):
        done = run_cli("render", str(snapshot), "--out", str(tmp_path / f"{snapshot.stem}-report"))
        assert done.returncode == 0, done.stderr
    result = run_cli("diff", str(old), str(new), "--out", str(tmp_path / "d"))
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "d" / "index.html").read_text()
    removed = page[page.index('id="jobs-removed"') :]
    assert re.search(r'href="\.\./old-report/jobs/[^"#]+#j-gone"', removed)
    workers = page[page.index('id="workers-changed"') :]
    assert re.search(r'href="\.\./old-report/workers/[^"#]+#w-w1"><bdi>w1</bdi></a> lost', workers)
    assert re.search(r'href="\.\./new-report/workers/[^"#]+#w-w2"><bdi>w2</bdi></a> added', workers)
    assert_links_hold(
        tmp_path / "d", [h for h in hrefs(tmp_path / "d" / "index.html") if h.startswith("../")]
    )


def test_a_report_of_another_snapshot_is_refused(rendered: Path, tmp_path: Path) -> None:
    old, new = rendered / "earlier.pb", rendered / "cluster.pb"
    result = run_cli(
        "diff",
        str(old),
        str(new),
        "--out",
        str(tmp_path / "d"),
        "--report",
        str(rendered / "earlier-report"),
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert "is not a report of" in result.stderr
    assert not (tmp_path / "d").exists()
    not_a_report = run_cli(
        "diff", str(old), str(new), "--out", str(tmp_path / "e"), "--report", str(tmp_path)
    )
    assert not_a_report.returncode == 2
    assert "is not a report folder written by fluster-snapshot" in not_a_report.stderr
    alone = run_cli("diff", str(old), str(new), "--report", str(rendered / "report"))
    assert alone.returncode == 2
    assert "--report and --old-report go with --out DIR" in alone.stderr


def test_a_report_rendered_with_other_options_gives_no_wrong_links(
    rendered: Path, tmp_path: Path
) -> None:
    report = tmp_path / "report"
    done = run_cli("render", str(rendered / "cluster.pb"), "--out", str(report), "--log-lines", "1")
    assert done.returncode == 0, done.stderr
    result = run_cli(
        "diff",
        str(rendered / "earlier.pb"),
        str(rendered / "cluster.pb"),
        "--out",
        str(tmp_path / "d"),
        "--report",
        str(report),
    )
    assert result.returncode == 0, result.stderr
    links = [h for h in hrefs(tmp_path / "d" / "index.html") if h.startswith("../report/")]
    assert links
    assert_links_hold(tmp_path / "d", links)


@pytest.mark.browser
def test_diff_page_links_work_in_a_browser(rendered: Path, watched) -> None:  # type: ignore[no-untyped-def]
    view = watched(rendered)  # the demo folder: the diff and both reports lie in it
    view.open("diff/index.html")
    page = view.page
    contents = page.eval_on_selector_all(
        "#diff-contents a", "links => links.map(a => a.getAttribute('href'))"
    )
    assert "#groups-new" in contents
    for anchor in contents:
        assert page.locator(f"section{anchor} h2").is_visible(), anchor
    page.click("#diff-contents a[href='#state-changes']")
    assert page.url.endswith("diff/index.html#state-changes")

    for selector in (
        "#groups-new a.mono",
        "#jobs-added a.mono",
        "#actions-between a[href*='/workers/']",
    ):
        link = page.locator(selector).first
        href = link.get_attribute("href") or ""
        text = link.inner_text()
        link.click()
        page.wait_for_load_state()
        assert page.url.endswith(href.removeprefix("..")), (selector, page.url)
        target = page.locator(f"#{page.url.split('#')[1]}")
        assert target.is_visible(), selector
        assert text[:8] in target.inner_text(), "the page of that job or worker"
        page.go_back()
        assert page.url.endswith("diff/index.html#state-changes") or page.url.endswith(
            "diff/index.html"
        )

    # What only the older snapshot has links to the older report; the rest to the newer.
    sides = page.eval_on_selector_all(
        "#workers-changed li, #jobs-removed tr",
        """items => items.filter(i => i.querySelector('a')).map(i =>
            [i.textContent.trim().endsWith(' lost') || !!i.closest('#jobs-removed'),
             i.querySelector('a').getAttribute('href')])""",
    )
    for older, href in sides:
        assert href.startswith("../earlier-report/" if older else "../report/"), href

    for name, folder in (("Newer report", "report"), ("Older report", "earlier-report")):
        page.get_by_role("link", name=name).click()
        page.wait_for_load_state()
        assert page.url.endswith(f"/{folder}/index.html")
        assert page.locator("#captured-at").is_visible()
        page.go_back()
    assert view.errors == []
    assert view.foreign_requests() == []


def test_the_page_escapes_hostile_text_and_is_the_same_twice(tmp_path: Path) -> None:
    hostile = CONTROLS + "<script>alert(1)</script>\"' onmouseover=x"
    old = write(tmp_path / "old.pb", a_cluster(T0, [status(hostile, 3)], {"w": [hostile]}))
    new = write(
        tmp_path / "new.pb",
        a_cluster(T0 + MINUTE, [status(hostile, 5, hostile), status("j", 5, hostile)], {"w": []}),
    )
    done = run_cli("render", str(new), "--out", str(tmp_path / "new-report"))
    assert done.returncode == 0, done.stderr
    pages = []
    for number in range(2):
        out = tmp_path / f"d{number}"
        result = run_cli("diff", str(old), str(new), "--out", str(out), "--title", hostile)
        assert result.returncode == 0, result.stderr
        assert unescaped_controls(result.stderr) == []
        pages.append((out / "index.html").read_bytes())
    assert pages[0] == pages[1], "the same snapshots give the same page"
    page = pages[0].decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert " onmouseover=x" not in page.replace("&#34;&#39; onmouseover=x", "")
    links = [h for h in hrefs(tmp_path / "d0" / "index.html") if h.startswith("../")]
    assert any("#j-" in h for h in links), "a hostile id still links, by its slug"
    assert_links_hold(tmp_path / "d0", links)
