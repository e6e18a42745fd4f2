"""In Chromium: a right-to-left override in a name cannot reorder what follows it, and a
malformed fragment leaves the page working."""

from __future__ import annotations

from pathlib import Path

import pytest

from renderer.report.bundle import render_bundle
from renderer.report.context import RenderOptions
from renderer.snapshot import loading
from renderer.snapshot.cluster import open_sources
from renderer.snapshot.schema import pb

pytestmark = pytest.mark.browser

RLO = "\u202e"


@pytest.fixture(scope="module")
def overridden(tmp_path_factory: pytest.TempPathFactory) -> Path:
    cluster = pb.ClusterSnapshot(captured_at_ms=10_000)
    controller = cluster.controller
    controller.jobs.add(
        status=pb.JobStatus(job_id="job-abcdef", state=5, error="boom"),
        request=pb.Controller.LaunchJobRequest(name=f"evil{RLO}name"),
    )
    controller.actions.add(
        timestamp_ms=9_000, action=f"job_failed{RLO}", job_id="job-abcdef", worker_id="w-1"
    )
    out = tmp_path_factory.mktemp("bidi") / "report"
    snapshot = loading.parse(loading.dump(cluster, "binary"), "bidi.pb")
    render_bundle(open_sources([snapshot]), out, RenderOptions())
    return out


# Where each character of an element's text is drawn, left to right or not.
LEFT_TO_RIGHT = """element => {
  const text = element.firstChild;
  const range = document.createRange();
  const xs = [];
  for (let i = 0; i < text.length; i++) {
    range.setStart(text, i); range.setEnd(text, i + 1);
    xs.push(range.getBoundingClientRect().left);
  }
  return xs.every((x, i) => i === 0 || x > xs[i - 1]);
}"""


def test_an_override_in_an_action_does_not_reverse_the_ids_after_it(
    overridden: Path, watched
) -> None:  # type: ignore[no-untyped-def]
    view = watched(overridden)
    view.open("actions.html")
    link = view.page.locator("#all-actions .action-ref a").first
    assert link.text_content() == "job-abcdef"
    assert link.evaluate(LEFT_TO_RIGHT)
    worker = view.page.locator(
        "#all-actions .action-ref span.mono, #all-actions .action-ref a"
    ).last
    assert worker.evaluate(LEFT_TO_RIGHT)
    assert view.errors == []


@pytest.mark.parametrize("fragment", ["#q=%", "#q=%E0%A4%A", "#state=%zz&sort=%", "#%"])
def test_a_malformed_fragment_leaves_the_page_working(
    overridden: Path, watched, fragment: str
) -> None:  # type: ignore[no-untyped-def]
    view = watched(overridden)
    view.open(f"jobs/index.html{fragment}")
    view.page.wait_for_selector('body[data-enhanced="true"]')
    assert view.page.get_attribute("body", "data-jobs-ready") == "true"
    view.open(f"index.html{fragment}")
    view.page.wait_for_selector('body[data-enhanced="true"]')
    assert view.errors == []
