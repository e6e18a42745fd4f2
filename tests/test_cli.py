"""The command line: help everywhere, thin commands, clean failures."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest

from renderer.cli import cli
from renderer.snapshot import loading
from tests.conftest import run_cli


def _commands(group: click.Group) -> list[click.Command]:
    return [
        group.get_command(click.Context(group), name)
        for name in group.list_commands(click.Context(group))
    ]  # type: ignore[misc]


@pytest.mark.parametrize("command", _commands(cli), ids=lambda c: c.name)
def test_every_command_and_option_has_help(command: click.Command) -> None:
    assert command.help
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"{command.name} {param.opts} has no help"


def test_demo_writes_a_snapshot_that_inspect_reads(tmp_path: Path) -> None:
    result = run_cli("demo", "--out", str(tmp_path), "--jobs", "30", "--workers", "4", "--split")
    assert result.returncode == 0, result.stderr
    cluster = tmp_path / "cluster.pb"
    assert loading.load(cluster).kind == "cluster"
    assert loading.load(tmp_path / "controller.pb").kind == "controller"
    worker_files = sorted((tmp_path / "workers").glob("*.pb"))
    assert worker_files
    assert all(loading.load(p).kind == "worker" for p in worker_files)
    report = json.loads(run_cli("inspect", str(cluster), "--json").stdout)
    assert report["controller"]["jobs"] == 30
    assert report["controller"]["workers_total"] == 4
    text = run_cli("inspect", str(cluster)).stdout
    assert "kind:             cluster snapshot" in text
    assert "captured:         2026-11-29 02:13:37 UTC" in text


@pytest.mark.parametrize("chain", [(".json", ".txtpb", ".pb"), (".txtpb", ".json", ".binpb")])
def test_convert_round_trips_between_formats(
    demo_path: Path, tmp_path: Path, chain: tuple[str, ...]
) -> None:
    original = loading.load(demo_path).message
    source = demo_path
    for extension in chain:
        target = tmp_path / f"converted{extension}"
        result = run_cli("convert", str(source), str(target))
        assert result.returncode == 0, result.stderr
        assert loading.load(target).message == original
        source = target
    assert loading.dump(loading.load(source).message, "binary") == demo_path.read_bytes()


def test_convert_refuses_an_unknown_extension(demo_path: Path, tmp_path: Path) -> None:
    result = run_cli("convert", str(demo_path), str(tmp_path / "out.yaml"))
    assert result.returncode == 2
    assert "unknown snapshot extension '.yaml'" in result.stderr
    assert not (tmp_path / "out.yaml").exists()


def test_convert_keeps_the_previous_output_when_the_input_is_bad(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("previous")
    bad = tmp_path / "bad.pb"
    bad.write_bytes(b"\x08")
    result = run_cli("convert", str(bad), str(target))
    assert result.returncode == 2
    assert target.read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.pb", "out.json"]


def test_render_notes_a_repeated_job_id_and_shows_its_first_record(tmp_path: Path) -> None:
    snapshot = tmp_path / "twice.txtpb"
    snapshot.write_text(
        'captured_at_ms: 5 controller { jobs { status { job_id: "j" state: JOB_STATE_FAILED } }'
        ' jobs { status { job_id: "j" state: JOB_STATE_SUCCEEDED } } }'
    )
    result = run_cli("render", str(snapshot), "--out", str(tmp_path / "r"))
    assert result.returncode == 0, result.stderr
    assert (
        "fluster-snapshot: note: 1 job records repeat an earlier job id; the first is shown"
        in result.stderr
    )
    page = (tmp_path / "r" / "jobs" / "detail-0001.html").read_text()
    assert 'data-state="failed"' in page
    assert 'data-state="succeeded"' not in page
