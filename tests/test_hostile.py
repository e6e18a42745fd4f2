"""Hostile and broken input: nothing from a snapshot runs, and nothing is lost."""

from __future__ import annotations

import hashlib
import random
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

from renderer.cli import cli
from renderer.report.bundle import render_bundle
from renderer.report.context import RenderOptions
from renderer.report.filenames import SlugRegistry, file_slug
from renderer.report.publish import OutputError
from renderer.snapshot import loading
from renderer.snapshot.cluster import open_sources
from renderer.snapshot.schema import pb
from tests import wire
from tests.conftest import run_cli
from tests.hostile import EVIL, HOSTILE_IDS, XSS_PAYLOADS, hostile_cluster
from tests.strategies import messages


def render_message(message: pb.ClusterSnapshot, out: Path, **options: object) -> Path:
    snapshot = loading.parse(loading.dump(message, "binary"), "hostile.pb", kind="cluster")
    render_bundle(open_sources([snapshot]), out, RenderOptions(**options))  # type: ignore[arg-type]
    return out


def tree_digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def hostile_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_message(hostile_cluster(), tmp_path_factory.mktemp("hostile") / "out")


def test_the_corpus_is_large_and_varied() -> None:
    assert len(XSS_PAYLOADS) >= 50
    assert len(set(XSS_PAYLOADS)) == len(XSS_PAYLOADS)


# ---- nothing runs ----


@pytest.mark.browser
@pytest.mark.parametrize("csp", ["with CSP", "CSP bypassed"])
def test_no_payload_runs_on_any_page(hostile_bundle: Path, browser, csp: str) -> None:  # type: ignore[no-untyped-def]
    """Escaping alone must hold: the test also runs with the CSP switched off."""
    context = browser.new_context(bypass_csp=csp == "CSP bypassed")
    page = context.new_page()
    events: list[str] = []
    requests: list[str] = []
    page.on("dialog", lambda d: (events.append(f"dialog {d.message}"), d.dismiss()))
    page.on("pageerror", lambda e: events.append(f"page error {e}"))
    page.on("console", lambda m: events.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: requests.append(r.url))
    prefix = hostile_bundle.as_uri() + "/"
    pages = sorted(hostile_bundle.rglob("*.html"))
    assert len(pages) > 5
    for path in pages:
        page.goto(path.as_uri())
        anchors = page.eval_on_selector_all("article.job", "a => a.map(e => e.id)")
        for anchor in anchors[:5]:
            page.goto(f"{path.as_uri()}#{anchor}")
        for search in page.locator("input[type=search]").all():
            if search.is_visible():
                search.fill("<script>")
        for button in page.locator("button").all()[:20]:
            if button.is_visible():
                button.click()
        assert page.evaluate("window.__pwned") is None, path
    context.close()
    assert events == []
    assert [url for url in requests if not url.startswith((prefix, "data:"))] == []


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.tags: set[str] = set()
        self.handlers: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            if name in ("href", "src", "action", "formaction", "xlink:href", "data"):
                self.urls.append(value or "")
            if name.startswith("on"):
                self.handlers.append(f"{tag} {name}")


def test_markup_holds_only_what_the_templates_write(hostile_bundle: Path) -> None:
    for path in hostile_bundle.rglob("*.html"):
        parser = _Attributes()
        parser.feed(path.read_text())
        assert parser.handlers == [], path
        assert parser.tags <= {
            "html",
            "head",
            "meta",
            "title",
            "link",
            "script",
            "body",
            "header",
            "div",
            "a",
            "nav",
            "span",
            "bdi",
            "strong",
            "time",
            "main",
            "section",
            "noscript",  # the rows of a list the script draws
            "h1",
            "h2",
            "h3",
            "h4",
            "p",
            "table",
            "caption",
            "code",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
            "ol",
            "ul",
            "li",
            "dl",
            "dt",
            "dd",
            "label",
            "input",
            "button",
            "article",
            "pre",
            "footer",
            # the timeline's inline SVG
            "svg",
            "g",
            "line",
            "rect",
            "text",
        }, path
        for url in parser.urls:
            # Only the bundle's own relative paths; the favicon is an empty data: URL.
            assert url == "data:," or not re.match(r"^\s*[a-z][a-z0-9+.-]*:", url, re.I), url
            assert EVIL not in url


def test_template_syntax_is_shown_as_text(hostile_bundle: Path) -> None:
    text = "".join(p.read_text() for p in hostile_bundle.rglob("*.html"))
    assert "{{ 7*7 }}" in text
    assert "{% for x in range(3) %}" in text
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in text


def test_data_for_the_script_cannot_close_its_element(hostile_bundle: Path) -> None:
    page = (hostile_bundle / "jobs" / "index.html").read_text()
    start = page.index('<script type="application/json" id="jobs-data">')
    block = page[start : page.index("</script>", start)]
    assert "<" not in block[len('<script type="application/json" id="jobs-data">') :]


# ---- ids are not file names ----


def test_slugs_are_safe_unique_and_stable() -> None:
    registry = SlugRegistry(HOSTILE_IDS)
    slugs = [registry[identifier] for identifier in HOSTILE_IDS]
    assert len({slug.lower() for slug in slugs}) == len(set(HOSTILE_IDS))
    for slug in slugs:
        assert re.fullmatch(r"[a-z0-9][a-z0-9._-]*", slug), slug
        assert len(slug.encode()) <= 120
        assert slug.split(".")[0] not in {"con", "nul", "aux", "prn", "lpt1", "com9"}
        assert not slug.endswith(".")
    shuffled = list(reversed(HOSTILE_IDS))
    assert [SlugRegistry(shuffled)[i] for i in HOSTILE_IDS] == slugs
    assert (
        file_slug("6f1c2b9e-0d4a-4c53-9a55-6a0f1e0c1a01") == "6f1c2b9e-0d4a-4c53-9a55-6a0f1e0c1a01"
    )


def test_hostile_ids_stay_inside_the_bundle(tmp_path: Path) -> None:
    cluster = pb.ClusterSnapshot(captured_at_ms=5)
    worker = cluster.workers.add(worker_id="../../outside", captured_at_ms=5)
    for identifier in HOSTILE_IDS:
        cluster.controller.jobs.add(
            status=pb.JobStatus(job_id=identifier, state=5, worker_id="../../outside")
        )
        worker.jobs.add(job_id=identifier, state=5)
        worker.job_logs[identifier].lines.add(data="log line")
    out = render_message(cluster, tmp_path / "box" / "out")
    outside = [p for p in (tmp_path / "box").rglob("*") if not p.is_relative_to(out)]
    assert outside == []
    files = [p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()]
    assert len({f.lower() for f in files}) == len(files)
    assert all(len(part.encode()) <= 255 for f in files for part in f.split("/"))
    logs = [f for f in files if f.startswith("logs/")]
    assert len(logs) == len(set(HOSTILE_IDS))
    first = tree_digest(out)
    render_message(cluster, tmp_path / "again")
    assert tree_digest(tmp_path / "again") == first


# ---- damaged files ----


@pytest.fixture(scope="module")
def small_snapshot() -> bytes:
    path = Path(__file__).parent / "gold" / "scenarios" / "small_cluster.txtpb"
    return loading.dump(loading.load(path).message, "binary")


@pytest.fixture
def previous_bundle(tmp_path: Path, small_snapshot: bytes) -> Path:
    source = tmp_path / "good.pb"
    source.write_bytes(small_snapshot)
    out = tmp_path / "report"
    assert CliRunner().invoke(cli, ["render", str(source), "--out", str(out)]).exit_code == 0
    return out


def _mutations(data: bytes, count: int, seed: int) -> list[tuple[str, bytes]]:
    rng = random.Random(seed)
    found = [("empty", b""), ("random", rng.randbytes(len(data)))]
    for number in range(count):
        kind = number % 5
        position = rng.randrange(len(data))
        if kind == 0:
            found.append((f"cut at {position}", data[:position]))
        elif kind == 1:
            flipped = bytearray(data)
            flipped[position] ^= 1 << rng.randrange(8)
            found.append((f"bit flip at {position}", bytes(flipped)))
        elif kind == 2:
            found.append(
                (
                    f"byte inserted at {position}",
                    data[:position] + rng.randbytes(1) + data[position:],
                )
            )
        elif kind == 3:
            found.append((f"byte dropped at {position}", data[:position] + data[position + 1 :]))
        else:
            other = rng.randrange(len(data))
            found.append((f"spliced {position}/{other}", data[:position] + data[other:]))
    return found


def test_mutation_fuzzing_ends_in_a_render_or_a_clean_error(
    tmp_path: Path, small_snapshot: bytes, previous_bundle: Path
) -> None:
    before = tree_digest(previous_bundle)
    runner = CliRunner()
    outcomes = {0: 0, 2: 0}
    for name, data in _mutations(small_snapshot, 400, seed=11):
        source = tmp_path / "mutated.pb"
        source.write_bytes(data)
        result = runner.invoke(cli, ["render", str(source), "--out", str(previous_bundle)])
        assert result.exit_code in (0, 2), f"{name}: {result.exception!r}\n{result.output}"
        if result.exit_code == 2:
            assert result.output.startswith(f"fluster-snapshot: {source}: ")
            assert result.output.count("\n") == 1
            assert tree_digest(previous_bundle) == before, name
        else:
            assert (previous_bundle / "index.html").is_file()
            # Put the good bundle back for the next round.
            source.write_bytes(small_snapshot)
            assert (
                runner.invoke(cli, ["render", str(source), "--out", str(previous_bundle)]).exit_code
                == 0
            )
        outcomes[result.exit_code] += 1
        leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".report.")]
        assert leftovers == []
    assert outcomes[0] > 0
    assert outcomes[2] > 0


def test_damaged_files_through_the_real_cli(
    tmp_path: Path, small_snapshot: bytes, previous_bundle: Path
) -> None:
    before = tree_digest(previous_bundle)
    damaged = {
        "empty.pb": b"",
        "truncated.pb": small_snapshot[: len(small_snapshot) // 2],
        "random.bin": random.Random(3).randbytes(4096),
        "wrong-message.pb": pb.Controller.LaunchJobRequest(
            name="x", ports=["a"] * 3
        ).SerializeToString(),
        "unknown-field.json": b'{"capturedAtMs": "5", "queueOrder": [], "surprise": 1}',
        "mistyped.json": b'{"capturedAtMs": {"nested": true}, "jobs": []}',
        "bad.json": b'{"jobs": [',
    }
    for name, data in damaged.items():
        source = tmp_path / name
        source.write_bytes(data)
        result = run_cli("render", str(source), "--out", str(previous_bundle))
        assert result.returncode == 2, (name, result.stderr)
        assert result.stdout == ""
        lines = result.stderr.splitlines()
        assert len(lines) == 1, (name, result.stderr)
        assert lines[0].startswith(f"fluster-snapshot: {source}: ")
        assert "Traceback" not in result.stderr
        assert tree_digest(previous_bundle) == before


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(snapshot=messages(pb.ClusterSnapshot.DESCRIPTOR))
def test_generated_snapshots_always_render(snapshot: pb.ClusterSnapshot, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("generated") / "out"
    sources = open_sources([loading.Snapshot("generated.pb", "cluster", "binary", snapshot, 0, 0)])
    render_bundle(sources, out, RenderOptions(log_lines=3))
    assert (out / "index.html").is_file()
    assert (out / "jobs" / "index.html").is_file()


# ---- newer schemas ----


def test_newer_states_and_fields_render(tmp_path: Path) -> None:
    job = wire.message(
        1,
        wire.str_field(1, "job-from-the-future"),
        wire.int_field(2, 12),
        wire.str_field(30, "new"),
    )
    # 50 on the job record: above the fields this schema adds for importers (20, 21).
    data = (
        wire.int_field(1, 5) + wire.message(2, job, wire.int_field(50, 7)) + wire.str_field(40, "x")
    )
    source = tmp_path / "newer.pb"
    source.write_bytes(data)
    result = run_cli("render", str(source), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "fields from a newer schema" in result.stderr
    text = (tmp_path / "out" / "index.html").read_text()
    assert "unknown state 12" in text


# ---- huge content ----


@pytest.mark.slow
def test_huge_content_stays_bounded(tmp_path: Path) -> None:
    cluster = pb.ClusterSnapshot(captured_at_ms=1_000_000)
    controller = cluster.controller
    huge_error = "E" * 10_000_000
    controller.jobs.add(
        status=pb.JobStatus(job_id="huge", state=5, error=huge_error, worker_id="w"),
        request=pb.Controller.LaunchJobRequest(name="n" * 1_000_000),
    )
    for number in range(100_000):
        controller.actions.add(
            timestamp_ms=number, action="job_submitted", job_id="huge", details="d" * 50
        )
    worker = cluster.workers.add(worker_id="w", captured_at_ms=1_000_000)
    worker.jobs.add(job_id="huge", state=5)
    tail = worker.job_logs["huge"]
    tail.lines.extend(
        pb.Worker.LogEntry(timestamp_ms=n, source="stderr", data=f"line {n}")
        for n in range(1_000_000)
    )
    tail.lines.add(timestamp_ms=1, source="stdout", data="L" * 50_000_000)
    tail.total_lines = 1_000_001
    out = render_message(cluster, tmp_path / "out")
    for page in out.rglob("*.html"):
        assert page.stat().st_size < 3_000_000, page
    detail = (out / "jobs" / "detail-0001.html").read_text()
    assert "showing last 1,000 of 1,000,001 lines" in detail
    assert "more characters" in detail
    plain = out / "logs" / "w" / "huge.txt"
    with plain.open() as handle:
        # The plain text keeps the last 100,000 lines, each whole.
        assert handle.readline().endswith("last 100,000 of 1,000,001 lines\n")
        assert handle.readline().endswith(" line 900001\n")
        *_, last = handle
        assert len(last) > 50_000_000
    assert len(list(out.glob("actions*.html"))) == 20  # the newest 20,000 are listed


# ---- nothing lost ----


def test_a_failed_render_leaves_the_previous_bundle(
    previous_bundle: Path, monkeypatch: pytest.MonkeyPatch, small_snapshot: bytes
) -> None:
    from renderer.report import templates

    before = tree_digest(previous_bundle)
    real_render = templates.render
    calls = {"n": 0}

    def failing_render(view: templates.View) -> str:
        calls["n"] += 1
        if calls["n"] == 4:
            raise OSError("disk full")
        return real_render(view)

    monkeypatch.setattr(templates, "render", failing_render)
    sources = open_sources([loading.parse(small_snapshot, "good.pb")])
    with pytest.raises(OSError, match="disk full"):
        render_bundle(sources, previous_bundle, RenderOptions())
    assert tree_digest(previous_bundle) == before
    assert [p.name for p in previous_bundle.parent.iterdir() if p.name.startswith(".")] == []


def test_refuses_a_folder_that_is_not_a_report(tmp_path: Path, small_snapshot: bytes) -> None:
    target = tmp_path / "home"
    target.mkdir()
    (target / "thesis.tex").write_text("years of work")
    source = tmp_path / "good.pb"
    source.write_bytes(small_snapshot)
    result = run_cli("render", str(source), "--out", str(target))
    assert result.returncode == 2
    assert "--force" in result.stderr
    assert (target / "thesis.tex").read_text() == "years of work"
    with pytest.raises(OutputError):
        render_bundle(open_sources([loading.load(source)]), target, RenderOptions())
    forced = run_cli("render", str(source), "--out", str(target), "--force")
    assert forced.returncode == 0, forced.stderr
    assert not (target / "thesis.tex").exists()
    assert (target / "index.html").is_file()


def test_a_timeline_spanning_millennia_stays_small(tmp_path: Path) -> None:
    """Found by the generated snapshots: times from a damaged snapshot once made a
    tick for every day between them, and the render ran out of memory."""
    cluster = pb.ClusterSnapshot(captured_at_ms=2**62)
    controller = cluster.controller
    controller.jobs.add(
        status=pb.JobStatus(job_id="old", state=4, started_at_ms=-(2**62)), submitted_at_ms=-(2**62)
    )
    controller.jobs.add(
        status=pb.JobStatus(job_id="new", state=3, started_at_ms=2**62), submitted_at_ms=2**62
    )
    out = render_message(cluster, tmp_path / "out")
    timeline = (out / "timeline.html").read_text()
    assert 0 < timeline.count('class="tick"') <= 11
    assert len(timeline) < 50_000
