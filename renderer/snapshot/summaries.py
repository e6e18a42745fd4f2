"""The job list's summaries of a controller's job records, made in several processes
for a large cluster.

A summary reads a dozen fields of a parsed record: about 10 µs a job, so a million
jobs took 10 s on one core before a page could be written, the other cores idle.
Forked processes each summarise a run of the records while this one does the first,
and send theirs back as plain tuples: pickling tuples costs a quarter of pickling
the dataclasses, and one process or several give equal summaries.
"""

from __future__ import annotations

import dataclasses
import itertools
import multiprocessing
import operator
import os
from collections.abc import Mapping
from typing import Any

from renderer.snapshot import convert, model
from renderer.snapshot.job_records import JobRecords
from renderer.snapshot.redaction import Redactor

# Below this many records one process is quicker than starting others.
PARALLEL_FROM = 50_000
# Records this process summarises for each one a forked process does.
PARENT_SHARE = 1.5

_FIELDS = tuple(field.name for field in dataclasses.fields(model.JobSummary))
_as_tuple = operator.attrgetter(*_FIELDS)

# What forked processes read; set just before they fork, so they inherit it.
_SHARED: tuple[JobRecords, Mapping[str, int], Redactor] | None = None


def default_processes(records: int) -> int:
    """One process per core (at most four) for many records, else one."""
    if records < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


@dataclasses.dataclass
class Summaries:
    jobs: list[model.JobSummary]  # one per record, in record order
    redacted: dict[int, int]  # values redacted in a record's summary, by record number


def job_summaries(
    records: JobRecords,
    queue: Mapping[str, int],
    redactor: Redactor,
    processes: int | None = None,
) -> Summaries:
    """A summary of each record, in record order (records repeating a job id too: the
    caller drops them, and their redactions from `redactor.count`).

    `queue` is each queued job's position; `processes` None chooses by the count.
    Raises Malformed for a damaged record, naming it, as one process would.
    """
    global _SHARED
    count = len(records)
    processes = default_processes(count) if processes is None else max(1, processes)
    if processes == 1 or count < 2:
        return _summaries(records, queue, redactor, 0, count, {})
    # This process takes the larger first part: the others' summaries come back
    # pickled, and at a million jobs it waited 1.9 s of 5.6 s for an equal part.
    shares = list(itertools.accumulate([PARENT_SHARE] + [1.0] * (processes - 1), initial=0.0))
    bounds = [round(count * share / shares[-1]) for share in shares]
    parts = list(itertools.pairwise(bounds[1:]))
    _SHARED = (records, queue, redactor)
    try:
        with multiprocessing.get_context("fork").Pool(len(parts)) as pool:
            others = pool.map_async(_summarise_part, parts, chunksize=1)
            shared: dict[str, str] = {}
            made = _summaries(records, queue, redactor, 0, bounds[1], shared)
            for rows, redacted in others.get():
                made.jobs += _from_rows(rows, shared)
                made.redacted.update(redacted)
                redactor.count += sum(redacted.values())
    finally:
        _SHARED = None
    return made


def _summaries(
    records: JobRecords,
    queue: Mapping[str, int],
    redactor: Redactor,
    first: int,
    stop: int,
    shared: dict[str, str],
) -> Summaries:
    summary = convert.job_summary
    made = Summaries([], {})
    jobs, redacted = made.jobs, made.redacted
    for number, job in enumerate(records.between(first, stop), first):
        before = redactor.count
        jobs.append(summary(job, queue.get(job.status.job_id), redactor, shared))
        if redactor.count != before:
            redacted[number] = redactor.count - before
    return made


def _summarise_part(part: tuple[int, int]) -> tuple[list[tuple[Any, ...]], dict[int, int]]:
    """In a forked process: the part's summaries as tuples, and their redactions."""
    assert _SHARED is not None
    records, queue, redactor = _SHARED
    made = _summaries(records, queue, redactor, part[0], part[1], {})
    return [_as_tuple(summary) for summary in made.jobs], made.redacted


def _from_rows(rows: list[tuple[Any, ...]], shared: dict[str, str]) -> list[model.JobSummary]:
    """Summaries again, each worker and gang id one text with this process's."""
    made = []
    summary = model.JobSummary
    for row in rows:
        job = summary(*row)
        if job.worker_id is not None:
            job.worker_id = shared.setdefault(job.worker_id, job.worker_id)
        if job.gang_id is not None:
            job.gang_id = shared.setdefault(job.gang_id, job.gang_id)
        made.append(job)
    return made
