"""A small Connect-protocol JSON client for iris's read-only RPCs.

Every answer is untrusted: transport failures, HTTP errors, non-JSON bodies and
replies that are not JSON objects all become one-line `CaptureError`s.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

from renderer.snapshot.loading import one_line

TOKEN_VARIABLE = "FLUSTER_SNAPSHOT_TOKEN"  # noqa: S105 - the variable's name, not a token
DEFAULT_TIMEOUT_SECONDS = 30.0
RETRIES = 3  # extra tries after a connection error or a 5xx answer
BACKOFF_SECONDS = 0.5  # doubled after each try
_MAX_REPLY_BYTES = 512 * 1024 * 1024  # a bigger reply is not a sane RPC answer


class CaptureError(Exception):
    """A capture that cannot go on; the text is one line naming the source and the problem."""

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = one_line(problem)
        super().__init__(f"{one_line(source)}: {self.problem}")


class RpcError(CaptureError):
    """The server answered a call with an error (HTTP status and Connect code kept)."""

    def __init__(self, source: str, problem: str, status: int, code: str) -> None:
        super().__init__(source, problem)
        self.status = status
        self.code = code


def base_url(address: str) -> str:
    """`http://host:port` (or https) without a trailing slash; anything else is refused."""
    parsed = urllib.parse.urlsplit(address)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise CaptureError(address, "not an http:// or https:// controller address")
    return f"{parsed.scheme}://{parsed.netloc}{parsed.path.rstrip('/')}"


class Client:
    """Calls `POST <base>/<service>/<method>` with a JSON body and returns the JSON object."""

    def __init__(
        self,
        base: str,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        token: str | None = None,
        retries: int = RETRIES,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base = base_url(base)
        self.timeout = timeout
        self.token = token
        self.retries = retries
        self.sleep = sleep
        self.calls = 0

    def call(self, service: str, method: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        url = f"{self.base}/{service}/{method}"
        data = json.dumps(body or {}).encode()
        delay = BACKOFF_SECONDS
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            try:
                return self._once(url, data, method)
            except _Retryable as error:
                if last:
                    raise CaptureError(self.base, f"{method}: {error}") from None
            self.sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")  # pragma: no cover

    def _once(self, url: str, data: bytes, method: str) -> dict[str, Any]:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")  # noqa: S310
        self.calls += 1
        try:
            # base_url allows http and https only.
            with urllib.request.urlopen(request, timeout=self.timeout) as reply:  # noqa: S310
                raw = reply.read(_MAX_REPLY_BYTES + 1)
        except urllib.error.HTTPError as error:
            body = _read_quietly(error)
            answered = _connect_error(body)
            # A 5xx without a Connect body is a proxy or a restart; "unavailable" says
            # try again. Other Connect errors are answers and are not retried.
            if error.code >= 500 and (answered is None or answered[0] == "unavailable"):
                if answered is not None:
                    raise _Retryable(f"{answered[0]}: {answered[1]}") from None
                raise _Retryable(
                    f"HTTP {error.code} without a Connect error; is this an iris controller?"
                ) from None
            raise self._answered_error(method, error.code, body) from None
        except (TimeoutError, urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise _Retryable(f"cannot connect ({reason})") from None
        if len(raw) > _MAX_REPLY_BYTES:
            raise CaptureError(self.base, f"{method}: answer larger than {_MAX_REPLY_BYTES} bytes")
        return self._decode(method, raw)

    def _answered_error(self, method: str, status: int, body: bytes) -> CaptureError:
        error = _connect_error(body)
        if error is None:
            return CaptureError(
                self.base,
                f"{method}: HTTP {status} without a Connect error; is this an iris controller?",
            )
        code, message = error
        return RpcError(self.base, f"{method}: {code}: {message}", status, code)

    def _decode(self, method: str, raw: bytes) -> dict[str, Any]:
        try:
            document = json.loads(raw)
        except (ValueError, RecursionError):
            raise CaptureError(
                self.base, f"{method}: the answer is not JSON; is this an iris controller?"
            ) from None
        if not isinstance(document, dict):
            raise CaptureError(self.base, f"{method}: the answer is not a JSON object")
        return document


class _Retryable(Exception):
    """A failure worth another try: no connection, a timeout, or a 5xx without an answer."""


def _read_quietly(error: urllib.error.HTTPError) -> bytes:
    try:
        return error.read(64 * 1024)
    except OSError:
        return b""


def _connect_error(body: bytes) -> tuple[str, str] | None:
    """(code, message) of a Connect error body, or None if the body is not one."""
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(document, dict) or not isinstance(document.get("code"), str):
        return None
    message = document.get("message")
    return document["code"], message if isinstance(message, str) else ""
