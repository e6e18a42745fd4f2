"""Start a real local iris cluster for a test, talk to it, and stop everything it started.

The cluster runs in its own process group with TMPDIR inside the test's folder, so
its state stays contained; stopping sends SIGTERM to the group, then SIGKILL.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

CONFIG = """\
name: fluster-snapshot-test
platform:
  local:
controller:
  local:
    port: 0
worker_provider: {}
scale_groups:
  cpu:
    num_vms: 1
    resources:
      cpu: 8
      ram: 16GB
      disk: 50GB
      device_type: cpu
      device_variant: cpu
      capacity_type: on-demand
    buffer_slices: 0
    max_slices: 1
    slice_template:
      num_vms: 1
      local:
"""
START_SECONDS = 180
STOP_SECONDS = 20
_STARTED = re.compile(r"Controller started at (http://127\.0\.0\.1:\d+)")


class LocalIris:
    """One `iris cluster start --local`, its URL once up, and raw Connect JSON calls."""

    def __init__(self, iris: Path, folder: Path) -> None:
        self.folder = folder
        self.tmp = folder / "tmp"
        self.tmp.mkdir(parents=True)
        config = folder / "cluster.yaml"
        config.write_text(CONFIG)
        self.log_path = folder / "cluster.log"
        self._log = self.log_path.open("wb")
        environment = {**os.environ, "TMPDIR": str(self.tmp)}
        self.process = subprocess.Popen(
            [str(iris), "--config", str(config), "cluster", "start", "--local"],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=environment,
            cwd=folder,
            start_new_session=True,  # its own process group, stopped as a whole
        )
        self.url = ""

    def wait_until_up(self) -> str:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"iris exited early ({self.process.returncode}):\n{self.tail()}")
            found = _STARTED.search(self.log_path.read_text(errors="replace"))
            if found and self._healthy(found.group(1)):
                self.url = found.group(1)
                return self.url
            time.sleep(0.5)
        raise RuntimeError(f"iris did not come up in {START_SECONDS}s:\n{self.tail()}")

    def _healthy(self, url: str) -> bool:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=5) as reply:
                return json.loads(reply.read()).get("status") == "ok"
        except (OSError, ValueError):
            return False

    def call(self, path: str, body: dict[str, Any] | None = None, timeout: float = 30) -> Any:
        """POST a Connect JSON call; the test's own calls, independent of the importer."""
        request = urllib.request.Request(
            f"{self.url}/{path}",
            data=json.dumps(body or {}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as reply:
                return json.loads(reply.read())
        except urllib.error.HTTPError as error:
            raise RuntimeError(f"{path}: HTTP {error.code}: {error.read()[:500]!r}") from None

    def controller(self, method: str, body: dict[str, Any] | None = None) -> Any:
        return self.call(f"iris.cluster.ControllerService/{method}", body)

    def logs(self, body: dict[str, Any]) -> Any:
        return self.call("proxy/system.log-server/finelog.logging.LogService/FetchLogs", body)

    def tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """SIGTERM to the whole group, SIGKILL if it lingers; always closes the log."""
        try:
            if self.process.poll() is None:
                with_group(self.process.pid, signal.SIGTERM)
                try:
                    self.process.wait(STOP_SECONDS)
                except subprocess.TimeoutExpired:
                    with_group(self.process.pid, signal.SIGKILL)
                    self.process.wait(STOP_SECONDS)
            # Task processes the cluster left behind share the group: end them too.
            with_group(self.process.pid, signal.SIGKILL)
        finally:
            self._log.close()


def with_group(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, sig)
