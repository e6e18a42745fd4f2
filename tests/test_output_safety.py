"""Nothing the tool did not write is removed or overwritten, and every failure a user can
cause is one line on stderr and exit status 2. Through the real command line."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from renderer.report.publish import SINGLE_FILE_MARKER
from renderer.snapshot import loading
from renderer.snapshot.schema import pb
from renderer.workflow.archive import ARCHIVE_MARKER
from tests.conftest import ROOT, run_cli


def small_cluster(captured_at_ms: int = 1_795_918_417_000) -> bytes:
    cluster = pb.ClusterSnapshot(captured_at_ms=captured_at_ms)
    cluster.controller.jobs.add(status=pb.JobStatus(job_id="job-1", state=5, error="boom"))
    cluster.controller.jobs.add(status=pb.JobStatus(job_id="job-2", state=4))
    return loading.dump(cluster, "binary")


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    path = tmp_path / "cluster.pb"
    path.write_bytes(small_cluster())
    return path


def tree(root: Path) -> dict[str, str]:
    """Every file and link under root, with its content's digest or its link's target."""
    found = {}
    for path in sorted(root.rglob("*")):
        key = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[key] = "-> " + os.readlink(path)
        elif path.is_file():
            found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def refused(result, *words: str) -> None:  # type: ignore[no-untyped-def]
    """Exit 2 with one line on stderr that says why, and no traceback."""
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("fluster-snapshot: ")
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def dead_pid() -> int:
    for pid in range(4_000_000, 3_000_000, -1):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except PermissionError:
            continue
    raise AssertionError("no free process id found")


# ---- inputs ----


def test_a_single_file_report_never_replaces_its_input(snapshot: Path) -> None:
    before = snapshot.read_bytes()
    for extra in ((), ("--force",)):
        result = run_cli("render", str(snapshot), "--single-file", str(snapshot), *extra)
        refused(result, "is an input")
        assert snapshot.read_bytes() == before


def test_a_report_folder_never_holds_its_input(tmp_path: Path) -> None:
    report = tmp_path / "report"
    report.mkdir()
    inside = report / "cluster.pb"
    inside.write_bytes(small_cluster())
    for extra in ((), ("--force",)):
        refused(run_cli("render", str(inside), "--out", str(report), *extra), "is an input")
        assert inside.read_bytes() == small_cluster()
    # Also when the folder is a report of ours that the input was copied into.
    ours = tmp_path / "ours"
    source = tmp_path / "cluster.pb"
    source.write_bytes(small_cluster())
    assert run_cli("render", str(source), "--out", str(ours)).returncode == 0
    copied = ours / "cluster.pb"
    copied.write_bytes(small_cluster())
    refused(run_cli("render", str(copied), "--out", str(ours), "--force"), "lies inside")
    assert copied.read_bytes() == small_cluster()
    # And for the output being the folder above it, through "..".
    nested = ours / "jobs" / ".."
    refused(run_cli("render", str(copied), "--out", str(nested), "--force"), "is an input")
    refused(run_cli("diff", str(copied), str(source), "--out", str(ours)), "is an input")


def test_convert_never_replaces_its_input_or_a_file_unasked(snapshot: Path) -> None:
    refused(run_cli("convert", str(snapshot), str(snapshot), "--force"), "is an input")
    other = snapshot.with_name("other.json")
    other.write_text("precious")
    refused(run_cli("convert", str(snapshot), str(other)), "--force")
    assert other.read_text() == "precious"
    assert run_cli("convert", str(snapshot), str(other), "--force").returncode == 0
    assert loading.load(other).kind == "cluster"


# ---- files that are not ours ----


def test_single_file_refuses_a_file_that_is_not_a_report(snapshot: Path, tmp_path: Path) -> None:
    letter = tmp_path / "letter.html"
    letter.write_text("<html>my letter</html>")
    refused(run_cli("render", str(snapshot), "--single-file", str(letter)), "not a single-file")
    assert letter.read_text() == "<html>my letter</html>"
    # A report of ours is replaced: one rendered before, or one carrying the marker.
    report = tmp_path / "report.html"
    for _ in range(2):
        result = run_cli("render", str(snapshot), "--single-file", str(report))
        assert result.returncode == 0, result.stderr
    marked = tmp_path / "marked.html"
    marked.write_text(f"<!doctype html><head>{SINGLE_FILE_MARKER}</head>")
    assert run_cli("render", str(snapshot), "--single-file", str(marked)).returncode == 0
    assert "job-1" in marked.read_text()


def test_symbolic_links_as_outputs_are_refused(snapshot: Path, tmp_path: Path) -> None:
    real = tmp_path / "real"
    assert run_cli("render", str(snapshot), "--out", str(real)).returncode == 0
    link = tmp_path / "link"
    link.symlink_to(real)
    before = tree(real)
    refused(run_cli("render", str(snapshot), "--out", str(link), "--force"), "symbolic link")
    assert link.is_symlink()
    assert tree(real) == before
    target = tmp_path / "elsewhere.html"
    target.write_text("not ours")
    file_link = tmp_path / "one.html"
    file_link.symlink_to(target)
    refused(run_cli("render", str(snapshot), "--single-file", str(file_link)), "symbolic link")
    assert target.read_text() == "not ours"


def test_a_dangling_link_at_the_target_is_replaced_not_followed(
    snapshot: Path, tmp_path: Path
) -> None:
    victim = tmp_path / "victim.json"
    planted = tmp_path / "out.json"
    planted.symlink_to(victim)
    assert run_cli("convert", str(snapshot), str(planted), "--force").returncode == 0
    assert not victim.exists()
    assert not planted.is_symlink()
    assert loading.load(planted).kind == "cluster"


@pytest.mark.parametrize("special", [".", "..", "/"])
def test_special_out_paths_are_refused_even_with_force(
    snapshot: Path, tmp_path: Path, special: str
) -> None:
    here = tmp_path / "work" / "here"
    here.mkdir(parents=True)
    (here / "notes.txt").write_text("mine")
    refused(run_cli("render", str(snapshot), "--out", special, "--force", cwd=here))
    assert (here / "notes.txt").read_text() == "mine"
    assert list(here.iterdir()) == [here / "notes.txt"]


# ---- writing fails ----


def test_unwritable_outputs_are_one_line(snapshot: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain-file"
    plain.write_text("x")
    refused(run_cli("render", str(snapshot), "--out", str(plain / "sub")), "plain-file")
    refused(run_cli("render", str(snapshot), "--single-file", str(plain / "a.html")), "plain-file")
    refused(run_cli("convert", str(snapshot), str(plain / "a.json")), "plain-file")
    refused(run_cli("diff", str(snapshot), str(snapshot), "--out", str(plain / "d")))
    refused(run_cli("archive", str(snapshot), "--into", str(plain / "a")), "plain-file")
    assert plain.read_text() == "x"


def test_a_full_disk_is_one_line(snapshot: Path) -> None:
    """/dev/full is no regular file: refused before a byte is written."""
    refused(run_cli("render", str(snapshot), "--single-file", "/dev/full"), "/dev/full")


def test_a_json_integer_too_long_to_read_is_bad_input(tmp_path: Path) -> None:
    source = tmp_path / "huge.json"
    source.write_text('{"capturedAtMs": ' + "9" * 5000 + "}")
    for command in ("summary", "inspect"):
        refused(run_cli(command, str(source)), "huge.json", "4300 digits")
    refused(run_cli("render", str(source), "--out", str(tmp_path / "out")), "huge.json")


# ---- a killed run's leftovers ----


def test_leftovers_of_a_killed_run_are_cleaned(snapshot: Path, tmp_path: Path) -> None:
    pid = dead_pid()
    out = tmp_path / "report"
    staging = tmp_path / f".report.tmp-{pid}-k1ll3d"
    old = tmp_path / f".report.old-{pid}-k1ll3d"
    for folder in (staging, old):
        folder.mkdir()
        (folder / "index.html").write_text("half")
    unrelated = tmp_path / ".report.tmp-notes"
    unrelated.write_text("not ours")
    assert run_cli("render", str(snapshot), "--out", str(out)).returncode == 0
    assert not staging.exists()
    assert not old.exists()
    assert unrelated.read_text() == "not ours"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".report.tmp-notes",
        "cluster.pb",
        "report",
    ]


# ---- archives ----


def archive(snapshot: Path, into: Path, *extra: str):  # type: ignore[no-untyped-def]
    return run_cli("archive", str(snapshot), "--into", str(into), *extra)


def test_archive_refuses_a_folder_that_is_not_an_archive(snapshot: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "thesis.tex").write_text("years of work")
    refused(archive(snapshot, home), "not an archive")
    assert sorted(p.name for p in home.iterdir()) == ["thesis.tex"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert archive(snapshot, empty).returncode == 0
    assert (empty / ARCHIVE_MARKER).is_file()
    assert archive(snapshot, empty).returncode == 0
    assert archive(snapshot, tmp_path / "new").returncode == 0


def test_reports_in_an_archive_never_overwrite_each_other(tmp_path: Path) -> None:
    into = tmp_path / "archive"
    same_second = [1_795_918_417_000, 1_795_918_417_400]
    for number, (label, captured) in enumerate(
        zip(["Night ly", "night-ly"], same_second, strict=True)
    ):
        source = tmp_path / f"c{number}.pb"
        source.write_bytes(small_cluster(captured))
        result = archive(source, into, "--label", label)
        assert result.returncode == 0, result.stderr
    folders = sorted(p.name for p in into.iterdir() if p.is_dir() and p.name != "static")
    assert len(folders) == 2, folders
    assert folders[1] == folders[0] + "-2"
    index = (into / "index.html").read_text()
    assert all(f'href="{name}/index.html"' in index for name in folders)


def test_archive_never_writes_through_links_in_static(snapshot: Path, tmp_path: Path) -> None:
    into = tmp_path / "archive"
    assert archive(snapshot, into).returncode == 0
    outside = tmp_path / "outside.css"
    outside.write_text("keep me")
    style = into / "static" / "style.css"
    style.unlink()
    os.link(outside, style)  # a hard link planted in static/
    assert archive(snapshot, into, "--label", "second").returncode == 0
    assert outside.read_text() == "keep me"
    assert style.read_text() != "keep me"
    # A symbolic link as static/: refused before a report is added.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for child in (into / "static").iterdir():
        child.unlink()
    (into / "static").rmdir()
    (into / "static").symlink_to(elsewhere)
    before = tree(into)
    refused(archive(snapshot, into, "--label", "third"), "symbolic link")
    assert tree(into) == before
    assert list(elsewhere.iterdir()) == []


def test_archive_leftovers_are_never_listed(snapshot: Path, tmp_path: Path) -> None:
    into = tmp_path / "archive"
    assert archive(snapshot, into).returncode == 0
    report = next(p for p in into.iterdir() if p.is_dir() and p.name != "static")
    pid = dead_pid()
    leftover = into / f".{report.name}-x.tmp-{pid}-k1ll3d"
    (leftover / "static").mkdir(parents=True)
    for name in (".fluster-snapshot", "report.json", "index.html"):
        (leftover / name).write_bytes((report / name).read_bytes())
    assert archive(snapshot, into, "--label", "next").returncode == 0
    assert not leftover.exists()
    assert f"{leftover.name}/index.html" not in (into / "index.html").read_text()


DAMAGED = {
    "unknown state": lambda d: d["summary"]["jobs_by_state"].update({"exploded": 1}),
    "1e400": lambda d: d["summary"].update({"jobs": "1e400"}),
    "a string for a number": lambda d: d["summary"].update({"problem_count": "3"}),
    "missing keys": lambda d: d["summary"].pop("unhealthy_workers"),
    "not an object": lambda d: d.clear(),
}


@pytest.mark.parametrize("damage", list(DAMAGED))
def test_a_damaged_report_json_hides_that_report_only(
    snapshot: Path, tmp_path: Path, damage: str
) -> None:
    into = tmp_path / "archive"
    assert archive(snapshot, into, "--label", "first").returncode == 0
    first = next(p for p in into.iterdir() if p.name.endswith("-first"))
    summary = first / "report.json"
    if damage == "1e400":
        summary.write_text(summary.read_text().replace('"jobs": 2', '"jobs": 1e400'))
    elif damage == "not an object":
        summary.write_text("[1, 2, 3]")
    else:
        data = json.loads(summary.read_text())
        DAMAGED[damage](data)
        summary.write_text(json.dumps(data))
    for label in ("second", "third"):
        result = archive(snapshot, into, "--label", label)
        assert result.returncode == 0, result.stderr
        assert f"report hidden from the index: {first.name}" in result.stderr
    index = (into / "index.html").read_text()
    assert f'href="{first.name}/index.html"' not in index
    assert "hidden, their report.json is damaged" in index
    assert "-second/index.html" in index
    assert "-third/index.html" in index
    assert first.is_dir(), "a damaged report is hidden, not removed"


def run_with_file_size_limit(limit: int, *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI with writes beyond `limit` bytes failing as on a full disk (EFBIG)."""

    def limit_writes() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write, do not kill
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "renderer", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        check=False,
        preexec_fn=limit_writes,  # the test's own child, which starts no threads
    )


def test_a_write_that_fails_midway_is_one_line_and_keeps_the_old_report(
    snapshot: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report"
    assert run_cli("render", str(snapshot), "--out", str(out)).returncode == 0
    before = tree(out)
    failed = run_with_file_size_limit(4096, "render", str(snapshot), "--out", str(out))
    refused(failed, "too large", str(out))
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cluster.pb", "report"]
    single = tmp_path / "one.html"
    refused(run_with_file_size_limit(4096, "render", str(snapshot), "--single-file", str(single)))
    assert not single.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cluster.pb", "report"]
