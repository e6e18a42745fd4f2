"""How values from a snapshot are written on a page, and how much of them is shown.

Every string comes from the snapshot and may be huge; pages show at most these many
characters of it, and say how much was left out.
"""

from __future__ import annotations

from collections.abc import Sequence

from renderer.snapshot import model

ERROR_IN_TABLE = 160  # characters of an error shown in a table cell
ERROR_IN_DETAIL = 20_000  # characters of an error shown on a job's page
CELL_SHOWN = 160  # characters of a name, address or value in a table cell
TEXT_SHOWN = 2000  # characters of a name or value on a detail page
ID_SHOWN = 200  # characters of an id
MANY_SHOWN = 50  # gang members, endpoints, attempts, ports or metadata shown per item
ENV_VARS_SHOWN = 200


def cut(text: str | None, limit: int) -> str:
    """Text shortened to `limit` characters, saying how much was left out."""
    if not text:
        return ""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({plural(len(text) - limit, 'more character')})"


def shown_id(identifier: str) -> str:
    """An id as shown: whole unless it is absurdly long."""
    return identifier if len(identifier) <= ID_SHOWN else identifier[:ID_SHOWN] + "…"


def short_id(job_id: str) -> str:
    """The first 8 characters, as the live dashboards show ids; for a path-like id (iris:
    /user/job/child) its last part, which is what tells jobs apart."""
    if len(job_id) <= 11:
        return job_id
    parent, _, last = job_id.rstrip("/").rpartition("/")
    if "/" in job_id and last:
        if last.isdigit() and parent.rpartition("/")[2]:  # a task: its job and index
            last = f"{parent.rpartition('/')[2]}/{last}"
        return last if len(last) <= 24 else last[:23] + "…"
    return job_id[:8] + "…"


def describe_retries(failures: int | None, preemptions: int | None) -> str:
    """'2 failed, 1 preempted'; '' for a job that never had to retry."""
    if not failures and not preemptions:  # most jobs: every row of a million asks
        return ""
    parts = [
        f"{failures:,} failed" if failures else "",
        f"{preemptions:,} preempted" if preemptions else "",
    ]
    return ", ".join(part for part in parts if part)


def number(value: int | None, unit: str = "") -> str:
    return "-" if value is None else f"{value:,}{unit}"


def count(value: int) -> str:
    """A count as pages write it: '2,000' (static/js/core.js count() says the same)."""
    return f"{value:,}"


def plural(value: int, word: str, words: str | None = None) -> str:
    """'1 job', '2,000 jobs', '0 jobs'; `words` for a plural that is not word + 's'.

    The same as plural() in static/js/core.js, so a count reads alike whether the page
    or its script wrote it.
    """
    return f"{value:,} {word if value == 1 else words or word + 's'}"


# Described resources by the object's id, with the object (so the id is not reused
# while it is here). Jobs share a handful of Resources (renderer.snapshot.convert);
# hashing the frozen dataclass, its device too, for each of a million rows, and
# comparing equal copies made in another process, was 1.3 s of the job list's data.
_DESCRIBED: dict[int, tuple[model.Resources, str]] = {}
_DESCRIBED_LIMIT = 65_536


def describe_resources(resources: model.Resources | None) -> str:
    """'4 CPU, 16g, 1 × H100' as the live dashboard wrote it."""
    if resources is None:
        return "-"
    known = _DESCRIBED.get(id(resources))
    if known is not None and known[0] is resources:
        return known[1]
    if len(_DESCRIBED) >= _DESCRIBED_LIMIT:
        _DESCRIBED.clear()
    described = _describe(resources)
    _DESCRIBED[id(resources)] = (resources, described)
    return described


def _describe(resources: model.Resources) -> str:
    parts = []
    if resources.cpu is not None:
        parts.append(f"{resources.cpu} CPU")
    if resources.memory:
        parts.append(resources.memory)
    if resources.device is not None and resources.device.kind in ("gpu", "tpu"):
        parts.append(describe_device(resources.device))
    return cut(", ".join(parts), CELL_SHOWN) or "-"


def describe_device(device: model.Device | None) -> str:
    if device is None or not device.kind:
        return "-"
    if device.kind == "gpu":
        count = f"{device.count} × " if device.count is not None else ""
        text = f"{count}{device.variant or 'GPU'}"
    elif device.kind == "tpu":
        topology = f" ({device.topology})" if device.topology else ""
        text = f"{device.variant or 'TPU'}{topology}"
    else:
        text = f"CPU ({device.variant})" if device.variant else "CPU"
    return cut(text, CELL_SHOWN)


def describe_blob(blob: model.Blob | None) -> str:
    """Bytes are never shown: only their size and the start of their digest."""
    if blob is None:
        return "-"
    return f"{plural(blob.size, 'byte')}, sha256 {blob.sha256[:12]}"


def listed(values: Sequence[str], empty: str = "-") -> str:
    return cut(", ".join(values), TEXT_SHOWN) or empty


def yes_no(value: bool | None) -> str:
    return {True: "yes", False: "no", None: "-"}[value]
