"""The fluster-snapshot command line: thin commands over the library.

Longer than 400 lines on purpose: every command is here, each a thin wrapper over one
library call; their options are most of the length.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import click

from renderer import files, terminal
from renderer.iris import capture as iris_capture
from renderer.iris import checkpoint as iris_checkpoint
from renderer.iris.rpc import TOKEN_VARIABLE, CaptureError
from renderer.progress import ProgressBar
from renderer.reference import demo as demo_module
from renderer.report import bundle as bundle_module
from renderer.report.bundle import RenderResult, render_bundle, render_single_file
from renderer.report.context import DEFAULT_LOG_LINES, PACKED_LOG_LINES, RenderOptions
from renderer.report.publish import OutputError, check_inputs
from renderer.report.wording import plural
from renderer.snapshot import loading
from renderer.snapshot.cluster import ClusterSources, choose_newest, open_sources
from renderer.snapshot.loading import SnapshotError
from renderer.snapshot.redaction import RedactionError, Redactor
from renderer.workflow import archive as archive_module
from renderer.workflow import describe, diff_page
from renderer.workflow import diff as diff_module
from renderer.workflow import summary as summary_module

EXIT_BAD_INPUT = 2
EXIT_FAILURES_FOUND = 1  # summary --fail-on found jobs in those states

KIND_OPTION = click.option(
    "--kind",
    type=click.Choice(loading.KINDS),
    default=None,
    help="What the file holds, when it cannot be told from the bytes alone.",
)


def redaction_options(command: Callable[..., None]) -> Callable[..., None]:
    """--redact REGEX (repeatable) and --no-redact, for every command that publishes text."""
    command = click.option(
        "--no-redact",
        is_flag=True,
        help="Show secrets as they are (redaction is on by default; stderr says it is off).",
    )(command)
    return click.option(
        "--redact",
        "redact_patterns",
        multiple=True,
        metavar="REGEX",
        help="Also hide what this regular expression matches (its groups, if it has any); "
        "repeatable.",
    )(command)


def make_redactor(patterns: tuple[str, ...], off: bool) -> Redactor:
    """The redactor the options ask for; a bad pattern ends the command with exit 2."""
    if off:
        click.echo(
            "fluster-snapshot: note: redaction is off: secrets are shown as captured", err=True
        )
        return Redactor(enabled=False)
    try:
        return Redactor(patterns)
    except RedactionError as error:
        click.echo(f"fluster-snapshot: {error}", err=True)
        raise SystemExit(EXIT_BAD_INPUT) from None


def _say_redacted(count: int) -> None:
    if count:
        values = "secret value" if count == 1 else "secret values"
        click.echo(f"fluster-snapshot: note: {count:,} {values} redacted", err=True)


def report_redacted(redactor: Redactor) -> None:
    """How many values were hidden (never which)."""
    _say_redacted(redactor.count)


@contextlib.contextmanager
def reported_errors() -> Iterator[None]:
    """Bad input ends the command with one line on stderr and exit status 2."""
    try:
        yield
    except (
        SnapshotError,
        OutputError,
        archive_module.ArchiveError,
        CaptureError,
        diff_page.ReportError,
    ) as error:
        click.echo(f"fluster-snapshot: {error}", err=True)
        raise SystemExit(EXIT_BAD_INPUT) from None
    except OSError as error:  # a full disk, a read-only folder, a path through a file
        where = terminal.safe(os.fsdecode(error.filename)) if error.filename else "output"
        click.echo(f"fluster-snapshot: {where}: {error.strerror or error}", err=True)
        raise SystemExit(EXIT_BAD_INPUT) from None


def warn_newer(snapshot: loading.Snapshot) -> None:
    if snapshot.newer_fields:
        click.echo(
            f"fluster-snapshot: note: {terminal.safe(snapshot.path)} holds "
            f"{snapshot.newer_fields} fields from a newer schema; they are not shown",
            err=True,
        )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="fluster-snapshot")
def cli() -> None:
    """Turn snapshots of a fluster cluster into static HTML dashboards."""


@cli.command()
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the demo: its snapshot (cluster.pb) and its report (report/).",
)
@click.option(
    "--seed",
    default=demo_module.DemoConfig.seed,
    show_default=True,
    help="Random seed; the same seed gives the same bytes.",
)
@click.option(
    "--jobs",
    default=demo_module.DemoConfig.jobs,
    show_default=True,
    type=click.IntRange(0, 1_000_000),
    help="Number of jobs to submit.",
)
@click.option(
    "--workers",
    default=demo_module.DemoConfig.workers,
    show_default=True,
    type=click.IntRange(1, 100_000),
    help="Number of workers.",
)
@click.option(
    "--log-sample",
    type=click.FloatRange(0, 1),
    default=None,
    help="Fraction of jobs that keep logs [default: all up to 2,000 jobs, else 0.01].",
)
@click.option(
    "--split", is_flag=True, help="Also write controller.pb and one workers/<id>.pb per worker."
)
@click.option(
    "--earlier",
    type=click.IntRange(0, 239),
    default=0,
    metavar="MINUTES",
    show_default=True,
    help="Also write OUT/earlier.pb, the same cluster this many minutes before "
    "OUT/cluster.pb, and (rendering) its report OUT/earlier-report/ and the diff of the "
    "two captures, OUT/diff/.",
)
@click.option(
    "--render/--no-render",
    "render_report",
    default=True,
    show_default=True,
    help="Also render the report into OUT/report.",
)
def demo(
    out_dir: Path,
    seed: int,
    jobs: int,
    workers: int,
    log_sample: float | None,
    split: bool,
    earlier: int,
    render_report: bool,
) -> None:
    """Simulate a cluster's life, write its snapshot and render its report."""
    config = demo_module.DemoConfig(seed=seed, jobs=jobs, workers=workers, log_sample=log_sample)
    cluster_path = demo_module.write_demo(config, out_dir, split)
    click.echo(f"snapshot: {cluster_path}")
    earlier_path = None
    if earlier:
        earlier_config = dataclasses.replace(config, earlier_minutes=earlier)
        earlier_path = demo_module.write_earlier(earlier_config, out_dir)
        click.echo(f"earlier snapshot: {earlier_path}")
    if not render_report:
        return
    with reported_errors():
        sources = open_sources([loading.load(cluster_path)])
        options = RenderOptions(title="Demo cluster")
        _report_written(_render_folder(sources, out_dir / "report", options))
        if earlier_path is None:
            return
        old_sources = open_sources([loading.load(earlier_path)])
        old_report = earlier_path.with_name(f"{earlier_path.stem}-report")
        result = _render_folder(old_sources, old_report, options)
        click.echo(f"earlier report: {result.path.as_uri()}")
        out = out_dir / "diff"
        links = diff_page.DiffLinks(
            new=diff_page.find_report(cluster_path, sources, out),
            old=diff_page.find_report(earlier_path, old_sources, out),
        )
        comparison = diff_module.compare(old_sources, sources)
        result = diff_page.render_diff(comparison, out, "Demo cluster", links=links)
        click.echo(f"diff: {result.path.as_uri()}")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the report into: index.html and the pages it links to.",
)
@click.option(
    "--single-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the whole report as one self-contained HTML file instead (for email).",
)
@click.option(
    "--summary-only",
    is_flag=True,
    help="With --single-file: every job listed, details and logs for the jobs that went "
    "wrong only, no captured workers' pages; for a report too large to mail.",
)
@click.option(
    "--title",
    default=None,
    help="A title shown on every page, e.g. the CI run or incident it belongs to.",
)
@click.option(
    "--log-lines",
    default=None,
    type=click.IntRange(0, 10_000_000),
    help=(
        f"Last lines of each log shown in the page (the plain-text file has all). "
        f"Default {DEFAULT_LOG_LINES:,}; {PACKED_LOG_LINES} in a packed single file."
    ),
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace the --out folder even if it holds something other than a report.",
)
@KIND_OPTION
@redaction_options
def render(
    files: tuple[Path, ...],
    out_dir: Path | None,
    single_file: Path | None,
    summary_only: bool,
    title: str | None,
    log_lines: int | None,
    force: bool,
    kind: loading.Kind | None,
    redact_patterns: tuple[str, ...],
    no_redact: bool,
) -> None:
    """Render snapshots into a static HTML report.

    FILES is one cluster snapshot, or a controller snapshot and any number of worker
    snapshots, or worker snapshots alone. Given several cluster or controller snapshots,
    or a folder of them, the newest by capture time is used (stderr says which).
    """
    if (out_dir is None) == (single_file is None):
        raise click.UsageError("give exactly one of --out DIR or --single-file FILE.html")
    if summary_only and single_file is None:
        raise click.UsageError("--summary-only goes with --single-file")
    redactor = make_redactor(redact_patterns, no_redact)
    options = RenderOptions(title=title, log_lines=log_lines, summary_only=summary_only)
    with reported_errors():
        check_inputs(out_dir or single_file, files, folder=out_dir is not None)  # type: ignore[arg-type]
        sources = _open(files, kind, redactor)
        if single_file is not None:
            result = render_single_file(sources, single_file, options, force=force)
        else:
            assert out_dir is not None
            result = _render_folder(sources, out_dir, options, force)
    _report_written(result)
    _say_redacted(result.redacted)
    if single_file is not None and result.bytes > bundle_module.MAIL_BYTES:
        megabytes = f"{result.bytes / 1e6:,.0f} MB"
        hint = (
            "too large for most mail; render it with --summary-only for the problems alone"
            if not summary_only
            else "too large for most mail; the folder report (--out) has no such limit"
        )
        click.echo(f"fluster-snapshot: warning: the single file is {megabytes}, {hint}", err=True)


def _render_folder(
    sources: ClusterSources, out_dir: Path, options: RenderOptions, force: bool = False
) -> RenderResult:
    """Render a folder report, with a progress bar on a terminal for long renders."""
    bar = ProgressBar("rendering")
    try:
        return render_bundle(sources, out_dir, options, force=force, progress=bar)
    finally:
        bar.close()


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "text", "json"]),
    default="text",
    show_default=True,
    help="markdown suits GitHub's job summary; json suits scripts.",
)
@click.option(
    "--fail-on",
    default="",
    metavar="STATES",
    help="Exit 1 (and say why on stderr) if any job is in one of these states: "
    "comma-separated, as the summary writes them, in any case, with -, _ or a space "
    "(failed,worker-failed,Unschedulable).",
)
@click.option("--title", default=None, help="A heading for the markdown summary.")
@KIND_OPTION
@redaction_options
def summary(
    files: tuple[Path, ...],
    fmt: str,
    fail_on: str,
    title: str | None,
    kind: loading.Kind | None,
    redact_patterns: tuple[str, ...],
    no_redact: bool,
) -> None:
    """Print a short account of a snapshot for a CI log: counts, failures, unhealthy workers.

    FILES is one cluster snapshot, or a controller snapshot and its workers; of several
    cluster or controller snapshots, or a folder of them, the newest is used.
    """
    try:
        wanted = summary_module.parse_states(fail_on)
    except ValueError as error:
        click.echo(f"fluster-snapshot: --fail-on: {error}", err=True)
        raise SystemExit(EXIT_BAD_INPUT) from None
    redactor = make_redactor(redact_patterns, no_redact)
    with reported_errors():
        account = summary_module.summarize(_open(files, kind, redactor), redactor)
    report_redacted(redactor)
    if fmt == "markdown":
        click.echo(summary_module.as_markdown(account, title), nl=False)
    elif fmt == "json":
        click.echo(summary_module.as_json(account))
    else:
        click.echo(summary_module.as_text(account), nl=False)
    found = summary_module.found_for_fail_on(account, wanted)
    if found is not None:
        click.echo(f"fluster-snapshot: fail-on: {found}", err=True)
        raise SystemExit(EXIT_FAILURES_FOUND)


@cli.command()
@click.argument("old", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write the comparison as an HTML page into this folder.",
)
@click.option(
    "--report",
    "new_report",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="With --out: the report of NEW, whose job and worker pages the page links to "
    "[default: NAME-report/ or report/ beside NEW, when it is a report of NEW].",
)
@click.option(
    "--old-report",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="With --out: the report of OLD, for the jobs and workers only OLD has "
    "[default: found beside OLD as for --report].",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="How to print the comparison when --out is not given.",
)
@click.option("--title", default=None, help="A title for the HTML page.")
@click.option("--force", is_flag=True, help="Replace --out even if it holds something else.")
@KIND_OPTION
@redaction_options
def diff(
    old: Path,
    new: Path,
    out_dir: Path | None,
    new_report: Path | None,
    old_report: Path | None,
    fmt: str,
    title: str | None,
    force: bool,
    kind: loading.Kind | None,
    redact_patterns: tuple[str, ...],
    no_redact: bool,
) -> None:
    """Show what changed between two snapshots: failure groups, jobs, states, retries,
    workers, endpoints and the actions in between.

    Only what both snapshots hold is compared, and the output says so when their kinds
    differ: a worker's snapshot against a cluster's compares the jobs that worker
    recorded in both. With --out, jobs and workers link to their pages in the reports
    of the two snapshots (given, or found beside them); without one, ids are shown whole.
    """
    if out_dir is None and (new_report or old_report):
        raise click.UsageError("--report and --old-report go with --out DIR")
    redactor = make_redactor(redact_patterns, no_redact)
    with reported_errors():
        old_sources, new_sources = _open((old,), kind, redactor), _open((new,), kind, redactor)
        comparison = diff_module.compare(old_sources, new_sources, redactor)
        report_redacted(redactor)
        if out_dir is not None:
            check_inputs(out_dir, (old, new), folder=True)
            links = diff_page.DiffLinks(
                new=_linked(new_report, new, new_sources, out_dir),
                old=_linked(old_report, old, old_sources, out_dir),
            )
            _report_written(diff_page.render_diff(comparison, out_dir, title, force, links))
            return
    if fmt == "json":
        click.echo(diff_module.as_json(comparison))
    else:
        click.echo(diff_module.as_text(comparison), nl=False)


def _linked(
    given: Path | None, snapshot: Path, sources: ClusterSources, out_dir: Path
) -> diff_page.LinkedReport | None:
    """The report a diff links to for one snapshot: the one given, else one found beside it."""
    if given is not None:
        return diff_page.open_report(given, sources, snapshot, out_dir)
    found = diff_page.find_report(snapshot, sources, out_dir)
    if found is not None:
        click.echo(
            f"fluster-snapshot: note: linking to {terminal.safe(str(found.folder))}, "
            f"the report of {terminal.safe(str(snapshot))}",
            err=True,
        )
    return found


@cli.command("archive")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--into",
    "into",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The archive folder: one report per run, and an index of them all.",
)
@click.option(
    "--keep", type=click.IntRange(1, None), default=None, help="Keep only the newest N reports."
)
@click.option(
    "--max-age",
    default=None,
    metavar="AGE",
    help="Drop reports captured longer ago than AGE, e.g. 30d, 12h.",
)
@click.option("--label", default=None, help="A label for this report, e.g. the CI job or branch.")
@KIND_OPTION
@redaction_options
def archive_command(
    files: tuple[Path, ...],
    into: Path,
    keep: int | None,
    max_age: str | None,
    label: str | None,
    kind: loading.Kind | None,
    redact_patterns: tuple[str, ...],
    no_redact: bool,
) -> None:
    """Add a report to an archive folder, prune it by age and count, and rewrite its index."""
    redactor = make_redactor(redact_patterns, no_redact)
    with reported_errors():
        max_age_ms = archive_module.parse_age(max_age) if max_age else None
        snapshots, chosen = choose_newest([loading.load(path, kind) for path in expand(files)])
        if chosen:
            click.echo(f"fluster-snapshot: note: {chosen}", err=True)
        result = archive_module.archive(
            snapshots,
            into,
            label=label,
            keep=keep,
            max_age_ms=max_age_ms,
            redactor=redactor,
        )
    for note in result.damaged:
        click.echo(f"fluster-snapshot: note: report hidden from the index: {note}", err=True)
    for folder in result.pruned:
        click.echo(f"pruned: {folder}")
    click.echo(f"report: {result.report.path.as_uri()}")
    click.echo(f"index: {result.index.as_uri()}")


@click.command(name="fluster-dashboard", context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--snapshot",
    "snapshots",
    multiple=True,
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="A snapshot to show; repeat for a controller snapshot and its workers.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the report [default: NAME-report beside the first snapshot].",
)
@click.option("--title", default=None, help="A title shown on every page.")
@KIND_OPTION
def dashboard(
    snapshots: tuple[Path, ...], out_dir: Path | None, title: str | None, kind: loading.Kind | None
) -> None:
    """Show snapshots as the dashboards they were captured from, as static pages.

    The same as `fluster-snapshot render`, named as the design's open question asks.
    """
    target = out_dir or snapshots[0].with_name(f"{snapshots[0].stem}-report")
    with reported_errors():
        check_inputs(target, snapshots, folder=True)
        result = _render_folder(_open(snapshots, kind), target, RenderOptions(title=title))
    _report_written(result)


def expand(paths: tuple[Path, ...]) -> list[Path]:
    """Files as given, and a folder as the snapshot files in it (by extension, in name
    order; hidden files and what lies in subfolders are left out)."""
    found: list[Path] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        inside = sorted(
            child
            for child in path.iterdir()
            if child.suffix.lower() in loading.EXTENSIONS
            and not child.name.startswith(".")
            and child.is_file()
        )
        if not inside:
            known = ", ".join(sorted(loading.EXTENSIONS))
            raise SnapshotError(str(path), f"a folder with no snapshot files in it ({known})")
        found += inside
    return found


def _open(
    files: tuple[Path, ...], kind: loading.Kind | None, redactor: Redactor | None = None
) -> ClusterSources:
    snapshots = [loading.load(path, kind) for path in expand(files)]
    for snapshot in snapshots:
        warn_newer(snapshot)
    sources = open_sources(snapshots, redactor)
    for note in sources.notes:
        click.echo(f"fluster-snapshot: note: {note}", err=True)
    return sources


def _report_written(result: RenderResult) -> None:
    click.echo(f"report: {result.path.as_uri()}")


@cli.command("inspect")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the account as JSON.")
@KIND_OPTION
def inspect_command(file: Path, as_json: bool, kind: loading.Kind | None) -> None:
    """Print what a snapshot holds: kind, capture time, counts, largest logs."""
    with reported_errors():
        snapshot = loading.load(file, kind)
    report = describe.describe(snapshot)
    if as_json:
        click.echo(json.dumps(report, indent=2, sort_keys=True))
    else:
        warn_newer(snapshot)
        click.echo(describe.as_text(report))


@cli.command()
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace TARGET if it exists.")
@KIND_OPTION
def convert(source: Path, target: Path, force: bool, kind: loading.Kind | None) -> None:
    """Convert a snapshot between binary (.pb), JSON (.json) and text (.txtpb) formats."""
    with reported_errors():
        check_inputs(target, (source,), folder=False)
        if os.path.lexists(target) and not force:
            raise OutputError(
                f"{terminal.safe(str(target))} exists; choose another name "
                "or pass --force to replace it"
            )
        fmt = loading.format_for_path(str(target))
        snapshot = loading.load(source, kind)
        warn_newer(snapshot)
        files.write_atomic(target, loading.dump(snapshot.message, fmt))
    click.echo(f"{snapshot.kind} snapshot written as {fmt}: {target}")


@cli.command("capture")
@click.argument("source")
@click.option(
    "--out",
    "out_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Snapshot file to write (.pb, .json or .txtpb); every other command reads it.",
)
@click.option(
    "--log-lines",
    default=iris_capture.DEFAULT_LOG_LINES,
    show_default=True,
    type=click.IntRange(0, 10_000_000),
    help="Last lines of each task attempt's log to keep (live capture only).",
)
@click.option(
    "--timeout",
    default=30.0,
    show_default=True,
    type=click.FloatRange(0.1, 3600),
    help="Seconds to wait for each RPC answer before retrying, then giving up.",
)
def capture_command(source: str, out_path: Path, log_lines: int, timeout: float) -> None:
    """Capture a real iris cluster into a cluster snapshot.

    SOURCE is a live controller (http://HOST:PORT or https://...) or a checkpoint:
    its folder, its controller.sqlite3.zst or a decompressed .sqlite3. Only read-only
    calls are made. A controller with auth on takes a bearer token from the
    environment variable FLUSTER_SNAPSHOT_TOKEN.
    """
    with reported_errors():
        fmt = loading.format_for_path(str(out_path))
        if iris_checkpoint.is_checkpoint(source):
            snapshot = iris_checkpoint.read(source)
        else:
            bar = ProgressBar("capturing", unit="calls")
            try:
                snapshot = iris_capture.capture(
                    source,
                    log_lines=log_lines,
                    timeout=timeout,
                    token=os.environ.get(TOKEN_VARIABLE) or None,
                    progress=bar,
                )
            finally:
                bar.close()
    files.write_atomic(out_path, loading.dump(snapshot, fmt))
    controller = snapshot.controller
    tasks = sum(len(job.tasks) for job in controller.jobs)
    click.echo(
        f"captured {plural(len(controller.jobs), 'job')}, {plural(tasks, 'task')}, "
        f"{plural(len(controller.workers), 'worker')} "
        f"from iris ({snapshot.provenance.source}): {out_path}"
    )
    for note in snapshot.provenance.notes:
        click.echo(f"fluster-snapshot: note: {terminal.safe(note)}", err=True)


EXIT_INTERNAL = 70  # EX_SOFTWARE: a bug here, not bad input
DEBUG_VARIABLE = "FLUSTER_SNAPSHOT_DEBUG"


def main() -> None:
    """Entry point of the fluster-snapshot console script."""
    _run(lambda: cli(prog_name="fluster-snapshot"))


def _run(command: Callable[[], object]) -> None:
    """Run a command; a bug is reported in one line unless debugging is asked for."""
    try:
        command()
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    except Exception as error:
        if os.environ.get(DEBUG_VARIABLE):
            raise
        click.echo(
            f"fluster-snapshot: internal error: {type(error).__name__}: "
            f"{terminal.safe(str(error))} (set {DEBUG_VARIABLE}=1 to see where)",
            err=True,
        )
        raise SystemExit(EXIT_INTERNAL) from None


def dashboard_main() -> None:
    """Entry point of the fluster-dashboard console script."""
    _run(lambda: dashboard(prog_name="fluster-dashboard"))
