"""Say what a snapshot file holds: kind, capture time, counts, and its largest logs."""

from __future__ import annotations

from typing import Any

from renderer import terminal
from renderer.report import times
from renderer.snapshot import states
from renderer.snapshot.cluster import open_sources
from renderer.snapshot.loading import Snapshot
from renderer.workflow.summary import state_word

LARGEST_LOGS = 5


def describe(snapshot: Snapshot) -> dict[str, Any]:
    """A JSON-ready account of the snapshot's contents."""
    sources = open_sources([snapshot])
    report: dict[str, Any] = {
        "file": snapshot.path,
        "kind": snapshot.kind,
        "format": snapshot.format,
        "bytes": snapshot.size,
        "captured_at_ms": sources.captured_at_ms,
        "captured_at": times.utc(sources.captured_at_ms),
        "newer_fields": snapshot.newer_fields,
    }
    provenance = sources.provenance
    if provenance is not None:  # an imported snapshot (iris) says where it came from
        report["provenance"] = {
            "system": provenance.system,
            "version": provenance.version,
            "source": provenance.source,
            "address": provenance.address,
            "notes": list(provenance.notes),
        }
    if sources.controller is not None:
        stats = sources.controller.get_stats()
        report["controller"] = {
            "jobs": stats.jobs_total,
            "jobs_by_state": {states.state(n).name: c for n, c in stats.jobs_by_state if c},
            "workers_healthy": stats.workers_healthy,
            "workers_total": stats.workers_total,
            "endpoints": stats.endpoints,
            "actions": len(sources.controller.get_actions(limit=None)),
        }
    logs: list[dict[str, Any]] = []
    workers = []
    for worker in sources.workers:
        worker_stats = worker.get_stats()
        workers.append(
            {
                "worker_id": worker_stats.worker_id,
                "jobs": worker_stats.jobs_total,
                "jobs_by_state": {
                    states.state(n).name: c for n, c in worker_stats.jobs_by_state if c
                },
            }
        )
        for job_id, kept in worker.log_line_counts().items():
            # No lines asked for: only the count the worker recorded is needed here.
            attempt = worker.get_job_detail(job_id, log_lines=0)
            if attempt is not None and attempt.log is not None:
                total = attempt.log.total_lines if attempt.log.total_lines is not None else kept
                logs.append(
                    {
                        "job_id": job_id,
                        "worker_id": worker_stats.worker_id,
                        "lines": kept,
                        "total_lines": total,
                    }
                )
    report["workers_captured"] = len(workers)
    report["workers"] = workers
    logs.sort(key=lambda log: (-int(log["total_lines"]), -int(log["lines"]), str(log["job_id"])))
    report["largest_logs"] = logs[:LARGEST_LOGS]
    return report


def as_text(report: dict[str, Any]) -> str:
    """The account as a few aligned lines for a terminal."""
    rows = [
        (
            "file",
            f"{terminal.safe(report['file'])} ({report['format']}, {report['bytes']:,} bytes)",
        ),
        ("kind", f"{report['kind']} snapshot"),
        ("captured", report["captured_at"]),
    ]
    if report["newer_fields"]:
        rows.append(("newer", f"{report['newer_fields']} fields from a newer schema, not shown"))
    provenance = report.get("provenance")
    if provenance is not None:
        origin = " ".join(
            terminal.safe(str(provenance[key]), 120)
            for key in ("system", "version", "source", "address")
            if provenance[key]
        )
        rows.append(("from", origin))
        rows += [("note", terminal.safe(note, 200)) for note in provenance["notes"]]
    controller = report.get("controller")
    if controller is not None:
        by_state = ", ".join(
            f"{n:,} {state_word(name)}" for name, n in controller["jobs_by_state"].items()
        )
        healthy, total = controller["workers_healthy"], controller["workers_total"]
        rows += [
            ("jobs", f"{controller['jobs']:,}" + (f" ({by_state})" if by_state else "")),
            ("workers", f"{healthy:,} healthy of {total:,}"),
            ("endpoints", f"{controller['endpoints']:,}"),
            ("actions", f"{controller['actions']:,}"),
        ]
    rows.append(("worker snapshots", f"{report['workers_captured']:,}"))
    lines = [f"{label + ':':<18}{value}" for label, value in rows]
    if report["largest_logs"]:
        lines.append("largest logs:")
        for log in report["largest_logs"]:
            job, worker = terminal.safe(log["job_id"], 80), terminal.safe(str(log["worker_id"]), 80)
            lines.append(
                f"  {job} on {worker}: last {log['lines']:,} of {log['total_lines']:,} lines"
            )
    return "\n".join(lines)
