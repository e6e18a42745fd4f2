"""The fluster-snapshot command line: thin commands over the library."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import click

from renderer import demo as demo_module
from renderer import describe, files, loading, terminal
from renderer.build import DEFAULT_LOG_LINES, RenderOptions
from renderer.bundle import OutputError, RenderResult, render_bundle, render_single_file
from renderer.loading import SnapshotError
from renderer.progress import ProgressBar
from renderer.sources import ClusterSources, open_sources

EXIT_BAD_INPUT = 2

KIND_OPTION = click.option(
    "--kind",
    type=click.Choice(loading.KINDS),
    default=None,
    help="What the file holds, when it cannot be told from the bytes alone.",
)


@contextlib.contextmanager
def reported_errors() -> Iterator[None]:
    """Bad input ends the command with one line on stderr and exit status 2."""
    try:
        yield
    except (SnapshotError, OutputError) as error:
        click.echo(f"fluster-snapshot: {error}", err=True)
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
    help="Folder to write the demo snapshot (cluster.pb) into.",
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
    render_report: bool,
) -> None:
    """Simulate a cluster's life, write its snapshot and render its report."""
    config = demo_module.DemoConfig(seed=seed, jobs=jobs, workers=workers, log_sample=log_sample)
    cluster_path = demo_module.write_demo(config, out_dir, split)
    click.echo(f"snapshot: {cluster_path}")
    if render_report:
        with reported_errors():
            sources = open_sources([loading.load(cluster_path)])
            result = render_bundle(sources, out_dir / "report", RenderOptions(title="Demo cluster"))
        _report_written(result)


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
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
    "--title",
    default=None,
    help="A title shown on every page, e.g. the CI run or incident it belongs to.",
)
@click.option(
    "--log-lines",
    default=DEFAULT_LOG_LINES,
    show_default=True,
    type=click.IntRange(0, 10_000_000),
    help="Last lines of each log shown in the page (the plain-text file has all).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace the --out folder even if it holds something other than a report.",
)
@KIND_OPTION
def render(
    files: tuple[Path, ...],
    out_dir: Path | None,
    single_file: Path | None,
    title: str | None,
    log_lines: int,
    force: bool,
    kind: loading.Kind | None,
) -> None:
    """Render snapshots into a static HTML report.

    FILES is one cluster snapshot, or a controller snapshot and any number of worker
    snapshots, or worker snapshots alone.
    """
    if (out_dir is None) == (single_file is None):
        raise click.UsageError("give exactly one of --out DIR or --single-file FILE.html")
    options = RenderOptions(title=title, log_lines=log_lines)
    with reported_errors():
        sources = _open(files, kind)
        if single_file is not None:
            result = render_single_file(sources, single_file, options)
        else:
            assert out_dir is not None
            bar = ProgressBar("rendering")
            try:
                result = render_bundle(sources, out_dir, options, force=force, progress=bar)
            finally:
                bar.close()
    _report_written(result)


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
        result = render_bundle(_open(snapshots, kind), target, RenderOptions(title=title))
    _report_written(result)


def _open(files: tuple[Path, ...], kind: loading.Kind | None) -> ClusterSources:
    snapshots = [loading.load(path, kind) for path in files]
    for snapshot in snapshots:
        warn_newer(snapshot)
    sources = open_sources(snapshots)
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
@KIND_OPTION
def convert(source: Path, target: Path, kind: loading.Kind | None) -> None:
    """Convert a snapshot between binary (.pb), JSON (.json) and text (.txtpb) formats."""
    with reported_errors():
        fmt = loading.format_for_path(str(target))
        snapshot = loading.load(source, kind)
    warn_newer(snapshot)
    files.write_atomic(target, loading.dump(snapshot.message, fmt))
    click.echo(f"{snapshot.kind} snapshot written as {fmt}: {target}")


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
