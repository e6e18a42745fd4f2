"""Run one measured step in a fresh process and print its time and peak memory as JSON.

    python -m bench.measure floor SNAPSHOT OUT.html
    python -m bench.measure render SNAPSHOT OUT_DIR
    python -m bench.measure render-unredacted SNAPSHOT OUT_DIR
    python -m bench.measure single SNAPSHOT OUT.html
    python -m bench.measure single-summary SNAPSHOT OUT.html

`floor` is the least work that shows every job: parse the snapshot and write one
jinja2 table of every job's id, name, state and worker. `render` is the real thing,
through the same library calls as `fluster-snapshot render`.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

import jinja2

FLOOR_TEMPLATE = (
    "<table>\n{% for job in jobs %}<tr><td>{{ job.status.job_id }}</td>"
    "<td>{{ job.request.name }}</td><td>{{ job.status.state }}</td>"
    "<td>{{ job.status.worker_id }}</td></tr>\n{% endfor %}</table>\n"
)


def floor(snapshot: Path, out: Path) -> None:
    from renderer.snapshot.schema import pb

    message = pb.ClusterSnapshot()
    message.ParseFromString(snapshot.read_bytes())
    template = jinja2.Environment(autoescape=True).from_string(FLOOR_TEMPLATE)
    out.write_text(template.render(jobs=message.controller.jobs))


def render(snapshot: Path, out: Path, redact: bool = True) -> None:
    from renderer.report.bundle import render_bundle
    from renderer.report.context import RenderOptions
    from renderer.snapshot import loading
    from renderer.snapshot.cluster import open_sources
    from renderer.snapshot.redaction import Redactor

    sources = open_sources([loading.load(snapshot)], Redactor(enabled=redact))
    render_bundle(sources, out, RenderOptions(), force=True)


def render_unredacted(snapshot: Path, out: Path) -> None:
    render(snapshot, out, redact=False)


def single(snapshot: Path, out: Path, summary_only: bool = False) -> None:
    from renderer.report.bundle import render_single_file
    from renderer.report.context import RenderOptions
    from renderer.snapshot import loading
    from renderer.snapshot.cluster import open_sources

    sources = open_sources([loading.load(snapshot)])
    render_single_file(sources, out, RenderOptions(summary_only=summary_only), force=True)


def single_summary(snapshot: Path, out: Path) -> None:
    single(snapshot, out, summary_only=True)


def main() -> None:
    step, snapshot, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    started = time.perf_counter()
    steps = {
        "floor": floor,
        "render": render,
        "render-unredacted": render_unredacted,
        "single": single,
        "single-summary": single_summary,
    }
    steps[step](snapshot, out)
    seconds = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "rss_mb": own, "worker_rss_mb": children}))


if __name__ == "__main__":
    main()
