"""A seeded simulation of a fluster cluster's life, captured as a snapshot at the end.

The simulation drives the reference live state (renderer.reference.live) through what a real
cluster goes through: submissions and gangs, a FIFO queue, builds with cache hits and
misses, runs that succeed or fail and are retried, workers that die and preempt their
jobs, jobs that cannot be scheduled in time, kills, endpoints, and the controller's
action log with its real action names. The same seed gives the same bytes.

Longer than 400 lines on purpose: one simulation of a cluster's life reads best as one
class whose steps call each other.
"""

from __future__ import annotations

import heapq
import random
import uuid
import zlib
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from renderer import files
from renderer.reference import demo_logs
from renderer.reference.live import (
    ControllerEndpoint,
    ControllerJob,
    ControllerState,
    ControllerWorker,
    WorkerJob,
    WorkerState,
)
from renderer.report.filenames import file_slug
from renderer.snapshot import loading, model, states
from renderer.snapshot.schema import pb

CAPTURED_AT_MS = 1_795_918_417_000  # 2026-11-29 02:13:37 UTC
DURATION_MS = 4 * 3600 * 1000
STARTED_AT_MS = CAPTURED_AT_MS - DURATION_MS
SCHEDULE_EVERY_MS = 5_000
HEARTBEAT_TIMEOUT_S = 60
# Below this many jobs every job that ran keeps its log; above it, a sample does.
ALL_LOGS_UP_TO = 2000


@dataclass(frozen=True)
class DemoConfig:
    """How big a cluster to simulate, and from which seed."""

    seed: int = 7
    jobs: int = 60
    workers: int = 8
    # Fraction of jobs whose logs are kept; None: all up to ALL_LOGS_UP_TO jobs, else 1%.
    log_sample: float | None = None
    # Capture this many minutes before the usual time: the same cluster, earlier (for diff).
    earlier_minutes: int = 0

    @property
    def sample_rate(self) -> float:
        if self.log_sample is not None:
            return self.log_sample
        return 1.0 if self.jobs <= ALL_LOGS_UP_TO else 0.01


@dataclass(frozen=True)
class _Kind:
    """A family of jobs with similar requests and behaviour."""

    prefix: str
    weight: int
    cpu: tuple[int, ...]
    memory: str
    device: str  # "cpu", "gpu" or "tpu"
    minutes: tuple[float, float]
    serving: bool = False
    timeout_s: int = 0
    gang: bool = False
    max_retries_failure: int = 0
    preemption_tolerant: bool = True


KINDS = (
    _Kind("preprocess-shard", 30, (2, 4), "8g", "cpu", (1, 12)),
    _Kind("eval-checkpoint", 18, (4, 8), "16g", "cpu", (2, 20), max_retries_failure=2),
    _Kind("sweep-lr", 18, (8,), "16g", "cpu", (3, 30)),
    _Kind("train-resnet50", 14, (8,), "64g", "gpu", (15, 120), preemption_tolerant=False),
    _Kind("serve", 4, (4,), "16g", "cpu", (0, 0), serving=True),
    _Kind("pretrain-t5-xxl", 1, (32,), "256g", "tpu", (30, 90), timeout_s=900),
    _Kind("ddp-train", 8, (4,), "32g", "cpu", (10, 60), gang=True, preemption_tolerant=False),
)
_KIND = {kind.prefix: kind for kind in KINDS}

# Errors of failed jobs; {n} is a number drawn from the job's id, so that alike failures
# differ in their numbers as real ones do (what a failure group sees past).
FAILURES = (
    (1, "RuntimeError: CUDA out of memory. Tried to allocate {gib} GiB"),
    (1, "ValueError: loss is NaN at step {step}"),
    (1, "FileNotFoundError: gs://datasets/web/shard-{shard}.parquet"),
    (137, "Process exited with code 137 (OOM killed)"),
    (2, "AssertionError: expected 8 devices, found 7"),
)


def failure_text(template: str, job_id: str) -> str:
    n = zlib.crc32(job_id.encode())
    gib = ("1.50", "2.00", "3.50", "4.00")[n % 4]
    return template.format(gib=gib, step=(n % 400) * 100, shard=f"{n % 512:05d}")


SERVED_MODELS = ("llama-3-70b", "gemma-2-27b", "mistral-7b", "whisper-large")
REGIONS = ("us-central1", "europe-west4", "asia-northeast1")


@dataclass
class _Plan:
    """A job's fate, rolled when it is submitted."""

    kind: _Kind
    fail_first: bool = False
    build_fails: bool = False
    keeps_logs: bool = False
    attempts: int = 0


@dataclass
class DemoCluster:
    """The state at capture: the controller and the workers that could still be reached."""

    controller: ControllerState
    workers: dict[str, WorkerState]
    captured_at_ms: int

    def to_snapshot(self) -> pb.ClusterSnapshot:
        return pb.ClusterSnapshot(
            captured_at_ms=self.captured_at_ms,
            controller=self.controller.to_snapshot(self.captured_at_ms),
            workers=[
                self.workers[worker_id].to_snapshot(self.captured_at_ms)
                for worker_id in sorted(self.workers)
            ],
        )


def write_demo(config: DemoConfig, out_dir: Path, split: bool = False) -> Path:
    """Simulate, and write the snapshot as OUT/cluster.pb (and, split, one file per part)."""
    snapshot = demo_snapshot(config)
    out_dir.mkdir(parents=True, exist_ok=True)
    cluster_path = out_dir / "cluster.pb"
    files.write_atomic(cluster_path, loading.dump(snapshot, "binary"))
    if split:
        files.write_atomic(out_dir / "controller.pb", loading.dump(snapshot.controller, "binary"))
        (out_dir / "workers").mkdir(exist_ok=True)
        for worker in snapshot.workers:
            name = f"{file_slug(worker.worker_id)}.pb"
            files.write_atomic(out_dir / "workers" / name, loading.dump(worker, "binary"))
    return cluster_path


EARLIER_FILE = "earlier.pb"


def write_earlier(config: DemoConfig, out_dir: Path) -> Path:
    """Write OUT/earlier.pb: the cluster `config.earlier_minutes` before OUT/cluster.pb.

    The simulation is seeded, so stopping it sooner gives the same history, cut short:
    the two captures are of one cluster, and their diff is what happened in between.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / EARLIER_FILE
    files.write_atomic(path, loading.dump(demo_snapshot(config), "binary"))
    return path


def demo_snapshot(config: DemoConfig) -> pb.ClusterSnapshot:
    """Simulate a cluster and capture it."""
    return simulate(config).to_snapshot()


def simulate(config: DemoConfig) -> DemoCluster:
    """Run the simulation to capture time."""
    return _Simulation(config).run()


class _Simulation:
    def __init__(self, config: DemoConfig) -> None:
        self.config = config
        self.rng = random.Random(config.seed)  # noqa: S311 - reproducible, not secret
        self.state = ControllerState()
        self.worker_states: dict[str, WorkerState] = {}
        self.free_cpu: dict[str, int] = {}
        self.device_of: dict[str, str] = {}
        self.by_device: dict[str, list[str]] = {"cpu": [], "gpu": []}
        self.cursor: dict[str, int] = {"cpu": 0, "gpu": 0}
        self.dead: set[str] = set()
        self.plans: dict[str, _Plan] = {}
        self.attempt_of: dict[str, int] = {}
        self.gangs: dict[str, list[str]] = {}
        self.endpoints_of: dict[str, list[str]] = {}
        self.events: list[tuple[int, int, Callable[[], None]]] = []  # (time, order, action)
        self.seq = 0
        self.now = STARTED_AT_MS
        self.schedule_pending = False

    # ---- event plumbing ----

    def at(self, when_ms: int, action: Callable[[], None]) -> None:
        self.seq += 1
        heapq.heappush(self.events, (when_ms, self.seq, action))

    def request_schedule(self) -> None:
        if not self.schedule_pending:
            self.schedule_pending = True
            tick = (self.now // SCHEDULE_EVERY_MS + 1) * SCHEDULE_EVERY_MS
            self.at(tick, self.schedule)

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def run(self) -> DemoCluster:
        self.add_workers()
        self.add_jobs()
        capture_at = CAPTURED_AT_MS - self.config.earlier_minutes * 60_000
        while self.events and self.events[0][0] <= capture_at:
            self.now, _, action = heapq.heappop(self.events)
            action()
        self.now = capture_at
        self.capture()
        alive = {wid: ws for wid, ws in self.worker_states.items() if wid not in self.dead}
        return DemoCluster(self.state, alive, capture_at)

    # ---- workers ----

    def add_workers(self) -> None:
        count = max(1, self.config.workers)
        gpu_count = max(1, count // 4) if count >= 2 else 0
        doomed = self.rng.sample(range(gpu_count, count), k=min(2, count - gpu_count))
        for index in range(count):
            device = "gpu" if index < gpu_count else "cpu"
            worker_id = f"worker-{self.rng.getrandbits(32):08x}"
            while worker_id in self.free_cpu:
                worker_id = f"worker-{self.rng.getrandbits(32):08x}"
            preemptible = index in doomed or (device == "cpu" and self.rng.random() < 0.4)
            self.at(
                STARTED_AT_MS + self.rng.randrange(60_000),
                partial(self.register_worker, worker_id, device, preemptible),
            )
            if index in doomed or (preemptible and self.rng.random() < 0.1):
                kind = "worker_timeout" if index == (doomed or [-1])[0] else "worker_failed"
                when = STARTED_AT_MS + self.rng.randrange(DURATION_MS // 4, DURATION_MS * 9 // 10)
                self.at(when, partial(self.worker_dies, worker_id, kind))

    def register_worker(self, worker_id: str, device: str, preemptible: bool) -> None:
        rng = self.rng
        cores = 48 if device == "gpu" else rng.choice((8, 16))
        spec = pb.ResourceSpec(
            cpu=cores,
            memory="384g" if device == "gpu" else f"{cores * 4}g",
            disk="500g",
            device=pb.DeviceConfig(gpu=pb.GpuDevice(variant="H100", count=8))
            if device == "gpu"
            else pb.DeviceConfig(cpu=pb.CpuDevice(variant="n2-standard")),
            preemptible=preemptible,
            regions=[rng.choice(REGIONS)],
        )
        address = f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}:8080"
        self.state.workers[worker_id] = ControllerWorker(
            worker_id, address, spec, last_heartbeat_ms=self.now
        )
        self.worker_states[worker_id] = WorkerState(worker_id)
        self.free_cpu[worker_id] = cores
        self.device_of[worker_id] = device
        self.by_device[device].append(worker_id)
        self.state.log_action(
            self.now, "worker_registered", worker_id=worker_id, details=f"address={address}"
        )
        self.request_schedule()

    def worker_dies(self, worker_id: str, how: str) -> None:
        worker = self.state.workers.get(worker_id)
        if worker is None or worker_id in self.dead:
            return
        if not worker.running_jobs and self.now < CAPTURED_AT_MS - 1_200_000:
            # Idle machines die unnoticed; wait until this one takes jobs down with it.
            self.at(self.now + 600_000, partial(self.worker_dies, worker_id, how))
            return
        self.dead.add(worker_id)
        worker.healthy = False
        worker.consecutive_failures = self.rng.randint(3, 5)
        if how == "worker_timeout":
            worker.last_heartbeat_ms = self.now - HEARTBEAT_TIMEOUT_S * 1000
            details = f"No heartbeat for {HEARTBEAT_TIMEOUT_S}s"
        else:
            worker.last_heartbeat_ms = self.now - self.rng.randrange(1000, 5000)
            details = "Heartbeat failed: connection reset by peer"
        self.state.log_action(self.now, how, worker_id=worker_id, details=details)
        for job_id in sorted(worker.running_jobs):
            self.preempt(job_id, worker_id)
        worker.running_jobs.clear()
        self.request_schedule()

    def preempt(self, job_id: str, worker_id: str) -> None:
        job = self.state.jobs[job_id]
        record = self.worker_states[worker_id].jobs.get(job_id)
        if record is not None:
            self.finish_logs(job_id, record, error="worker lost")
        job.state = states.WORKER_FAILED
        job.error = f"Worker {worker_id} failed"
        job.finished_at_ms = self.now
        job.preemption_count += 1
        self.attempt_of[job_id] = self.attempt_of.get(job_id, 0) + 1  # stale events skip
        if job.preemption_count <= job.max_retries_preemption:
            self.requeue(job)

    # ---- jobs ----

    def add_jobs(self) -> None:
        total = max(0, self.config.jobs)
        weights = [kind.weight for kind in KINDS]
        # A sweep launched minutes before capture fills the cluster and leaves a queue.
        sweep = total // 6
        for _ in range(sweep):
            when = CAPTURED_AT_MS - self.rng.randrange(120_000, 420_000)
            self.at(when, partial(self.submit, _KIND["sweep-lr"], 1))
        submitted = sweep
        forced = self.forced_kinds(total)
        while submitted < total:
            kind = forced.pop(0) if forced else self.rng.choices(KINDS, weights)[0]
            when = STARTED_AT_MS + 120_000 + self.rng.randrange(DURATION_MS - 240_000)
            size = min(self.rng.randint(2, 4), total - submitted) if kind.gang else 1
            self.at(when, partial(self.submit, kind, size))
            submitted += size

    def forced_kinds(self, total: int) -> list[_Kind]:
        """Small demos still show every kind of trouble: a gang, a TPU ask, a server."""
        wanted = ["ddp-train", "pretrain-t5-xxl", "serve", "eval-checkpoint", "train-resnet50"]
        return [_KIND[name] for name in wanted] if total >= 20 else []

    def submit(self, kind: _Kind, size: int) -> None:
        rng = self.rng
        gang_id = self.new_id() if kind.gang and size > 1 else None
        tag = rng.choice(SERVED_MODELS) if kind.serving else f"{rng.randrange(1 << 16):04x}"
        cpu = rng.choice(kind.cpu)
        for index in range(size):
            job_id = self.new_id()
            name = f"{kind.prefix}-{tag}" + (f"/rank-{index}" if gang_id else "")
            job = ControllerJob(
                job_id=job_id,
                request=self.launch_request(name, kind, cpu, size if gang_id else 1),
                max_retries_failure=kind.max_retries_failure,
                max_retries_preemption=100 if kind.preemption_tolerant else 0,
                gang_id=gang_id,
                submitted_at_ms=self.now,
            )
            self.state.jobs[job_id] = job
            self.state.queue.append(job_id)
            if gang_id is not None:
                self.gangs.setdefault(gang_id, []).append(job_id)
            self.plans[job_id] = _Plan(
                kind,
                fail_first=rng.random() < (0.5 if kind.max_retries_failure else 0.08),
                build_fails=rng.random() < 0.02,
                keeps_logs=rng.random() < self.config.sample_rate,
            )
            self.state.log_action(self.now, "job_submitted", job_id=job_id, details=name)
            if kind.timeout_s:
                self.at(self.now + kind.timeout_s * 1000, partial(self.timeout, job_id))
            if rng.random() < 0.03 or (kind.serving and rng.random() < 0.3):
                self.at(self.now + rng.randrange(60_000, 3_600_000), partial(self.kill, job_id))
        self.request_schedule()

    def launch_request(
        self, name: str, kind: _Kind, cpu: int, replicas: int
    ) -> pb.Controller.LaunchJobRequest:
        rng = self.rng
        if kind.device == "gpu":
            device = pb.DeviceConfig(gpu=pb.GpuDevice(variant="H100", count=1))
        elif kind.device == "tpu":
            device = pb.DeviceConfig(tpu=pb.TpuDevice(variant="v5litepod-16", topology="4x4"))
        else:
            device = pb.DeviceConfig(cpu=pb.CpuDevice(variant="n2-standard"))
        bundle_hash = f"{rng.getrandbits(256):064x}"
        inline_bundle = rng.random() < 0.01
        return pb.Controller.LaunchJobRequest(
            name=name,
            serialized_entrypoint=rng.randbytes(rng.randrange(180, 640)),
            resources=pb.ResourceSpec(
                cpu=cpu,
                memory=kind.memory,
                disk="50g",
                device=device,
                replicas=replicas,
                preemptible=kind.preemption_tolerant,
                regions=[rng.choice(REGIONS)] if rng.random() < 0.3 else [],
            ),
            environment=pb.EnvironmentConfig(
                workspace=f"/workspace/{kind.prefix}",
                pip_packages=rng.sample(demo_logs.PACKAGES, k=rng.randint(1, 4)),
                env_vars={
                    "WANDB_PROJECT": kind.prefix,
                    "XLA_FLAGS": "--xla_gpu_enable_triton_gemm=false",
                    "PYTHONUNBUFFERED": "1",
                },
                extras=["gpu"] if kind.device == "gpu" else [],
            ),
            bundle_gcs_path=None if inline_bundle else f"gs://fluster-bundles/{bundle_hash}.zip",
            bundle_hash=bundle_hash,
            bundle_blob=rng.randbytes(rng.randrange(4096, 16384)) if inline_bundle else None,
            scheduling_timeout_seconds=kind.timeout_s,
            ports=["http", "metrics"] if kind.serving else [],
        )

    def requeue(self, job: ControllerJob) -> None:
        job.state = states.PENDING
        job.worker_id = None
        self.state.queue.append(job.job_id)

    def timeout(self, job_id: str) -> None:
        job = self.state.jobs[job_id]
        if job.state != states.PENDING or job.failure_count or job.preemption_count:
            return
        timeout = job.request.scheduling_timeout_seconds
        job.state = states.UNSCHEDULABLE
        job.error = (
            f"Scheduling timeout exceeded ({timeout}s): no worker offers the requested device"
        )
        job.finished_at_ms = self.now
        self.state.log_action(
            self.now, "job_unschedulable", job_id=job_id, details=f"timeout={timeout}s"
        )

    def kill(self, job_id: str, details: str = "") -> None:
        job = self.state.jobs[job_id]
        if states.state(job.state).terminal:
            return
        self.end_attempt(job, states.KILLED, exit_code=None, error="Terminated by user request")
        self.state.log_action(
            self.now, "job_killed", job_id=job_id, worker_id=job.worker_id, details=details
        )

    # ---- scheduling ----

    def schedule(self) -> None:
        self.schedule_pending = False
        jobs = self.state.jobs
        waiting: dict[str, None] = {}  # ordered, and a gang's members are queued once
        misses = 0
        queue = self.state.queue
        while queue:
            job_id = queue.popleft()
            job = jobs[job_id]
            if job.state != states.PENDING or job_id in waiting:
                continue
            if misses > 200:  # the cluster is full: keep the rest in order
                waiting[job_id] = None
                continue
            group = self.gang_pending(job)
            placement = self.place(group)
            if placement is None:
                misses += 1
                waiting.update(dict.fromkeys(member.job_id for member in group))
                continue
            for member, worker_id in zip(group, placement, strict=True):
                self.dispatch(member, worker_id)
                if member.state == states.PENDING:
                    waiting[member.job_id] = None
        self.state.queue = deque(waiting)

    def gang_pending(self, job: ControllerJob) -> list[ControllerJob]:
        if job.gang_id is None:
            return [job]
        members = [self.state.jobs[j] for j in self.gangs[job.gang_id]]
        return [m for m in members if m.state == states.PENDING]

    def place(self, group: list[ControllerJob]) -> list[str] | None:
        """Find a worker for every job of the group, or None if they do not all fit."""
        taken: dict[str, int] = {}
        chosen: list[str] = []
        for job in group:
            kind = self.plans[job.job_id].kind.device
            need = job.request.resources.cpu
            candidates = self.by_device.get(kind, [])
            found = None
            for step in range(min(64, len(candidates))):
                worker_id = candidates[(self.cursor[kind] + step) % len(candidates)]
                if worker_id in self.dead:
                    continue
                if self.free_cpu[worker_id] - taken.get(worker_id, 0) >= need:
                    found = worker_id
                    self.cursor[kind] = (self.cursor[kind] + step + 1) % len(candidates)
                    break
            if found is None:
                return None
            taken[found] = taken.get(found, 0) + need
            chosen.append(found)
        return chosen

    def dispatch(self, job: ControllerJob, worker_id: str) -> None:
        if self.rng.random() < 0.01:
            self.state.log_action(
                self.now,
                "dispatch_failed",
                job_id=job.job_id,
                worker_id=worker_id,
                details="DEADLINE_EXCEEDED: worker did not answer within 10s",
            )
            self.request_schedule()
            return
        plan = self.plans[job.job_id]
        plan.attempts += 1
        attempt = self.attempt_of.get(job.job_id, 0) + 1
        self.attempt_of[job.job_id] = attempt
        job.state = states.BUILDING
        job.worker_id = worker_id
        job.error = job.exit_code = job.started_at_ms = job.finished_at_ms = None
        self.free_cpu[worker_id] -= job.request.resources.cpu
        self.state.workers[worker_id].running_jobs.add(job.job_id)
        self.state.log_action(self.now, "job_dispatched", job_id=job.job_id, worker_id=worker_id)
        record = WorkerJob(job.job_id, state=states.BUILDING, status_message="downloading bundle")
        self.worker_states[worker_id].jobs[job.job_id] = record
        from_cache = self.rng.random() < 0.6
        build_ms = (
            self.rng.randrange(800, 4000) if from_cache else self.rng.randrange(60_000, 420_000)
        )
        record.build = model.Build(self.now, None, from_cache, None)
        self.at(self.now + build_ms, partial(self.build_done, job.job_id, worker_id, attempt))

    def current(self, job_id: str, worker_id: str, attempt: int) -> WorkerJob | None:
        """The worker's record of the job, if this attempt is still the live one."""
        if self.attempt_of.get(job_id) != attempt or worker_id in self.dead:
            return None
        return self.worker_states[worker_id].jobs.get(job_id)

    def build_done(self, job_id: str, worker_id: str, attempt: int) -> None:
        record = self.current(job_id, worker_id, attempt)
        job = self.state.jobs[job_id]
        if record is None or job.state != states.BUILDING:
            return
        plan = self.plans[job_id]
        assert record.build is not None
        image = f"fluster-job:{job.request.bundle_hash[:12]}"
        record.build = model.Build(
            record.build.started_ms, self.now, record.build.from_cache, image
        )
        if plan.build_fails and plan.attempts == 1:
            if plan.keeps_logs:
                record.logs += demo_logs.build_failure_log(
                    self.rng, record.build.started_ms or 0, self.now
                )
            self.end_attempt(
                job,
                states.FAILED,
                exit_code=None,
                error="Build failed: pip install exited with status 1",
            )
            return
        if plan.keeps_logs:
            record.logs += demo_logs.build_log(
                self.rng,
                record.build.started_ms or 0,
                self.now,
                bool(record.build.from_cache),
                list(job.request.environment.pip_packages),
            )
        job.state = record.state = states.RUNNING
        job.started_at_ms = record.started_at_ms = self.now
        record.status_message = "running"
        if job.request.ports:
            record.ports = {name: self.rng.randrange(20000, 40000) for name in job.request.ports}
            self.register_endpoints(job, record)
        self.state.log_action(self.now, "job_started", job_id=job_id, worker_id=worker_id)
        if not plan.kind.serving:
            low, high = plan.kind.minutes
            minutes = low * (high / low) ** self.rng.random()
            self.at(
                self.now + int(minutes * 60_000), partial(self.run_done, job_id, worker_id, attempt)
            )

    def register_endpoints(self, job: ControllerJob, record: WorkerJob) -> None:
        host = self.state.workers[job.worker_id or ""].address.split(":")[0]
        for port_name, port in sorted(record.ports.items()):
            endpoint_id = self.new_id()
            name = f"{job.request.name}/{port_name}"
            address = f"{host}:{port}"
            self.endpoints_of.setdefault(job.job_id, []).append(endpoint_id)
            self.state.endpoints[endpoint_id] = ControllerEndpoint(
                endpoint_id,
                name,
                address,
                job.job_id,
                metadata={"model": job.request.name.removeprefix("serve-"), "port": port_name},
                registered_at_ms=self.now,
            )
            self.state.log_action(
                self.now, "endpoint_registered", job_id=job.job_id, details=f"{name} at {address}"
            )

    def unregister_endpoints(self, job_id: str) -> None:
        for endpoint_id in self.endpoints_of.pop(job_id, []):
            endpoint = self.state.endpoints.pop(endpoint_id)
            self.state.log_action(
                self.now, "endpoint_unregistered", job_id=job_id, details=endpoint.name
            )

    def run_done(self, job_id: str, worker_id: str, attempt: int) -> None:
        record = self.current(job_id, worker_id, attempt)
        job = self.state.jobs[job_id]
        if record is None or job.state != states.RUNNING:
            return
        plan = self.plans[job_id]
        fails = plan.fail_first if plan.attempts == 1 else self.rng.random() < 0.05
        if not fails:
            self.end_attempt(job, states.SUCCEEDED, exit_code=0, error=None)
            return
        exit_code, template = self.rng.choice(FAILURES)
        error = failure_text(template, job_id)
        self.end_attempt(job, states.FAILED, exit_code=exit_code, error=error)

    def end_attempt(
        self, job: ControllerJob, outcome: int, exit_code: int | None, error: str | None
    ) -> None:
        """Finish the job's current attempt, on the controller and on its worker."""
        worker_id = job.worker_id
        if worker_id is not None and worker_id not in self.dead:
            record = self.worker_states[worker_id].jobs.get(job.job_id)
            if record is not None and not states.state(record.state).terminal:
                record.state, record.exit_code, record.error = outcome, exit_code, error
                record.finished_at_ms = self.now
                record.status_message = None
                self.finish_logs(job.job_id, record, error)
            self.free_cpu[worker_id] += job.request.resources.cpu
            self.state.workers[worker_id].running_jobs.discard(job.job_id)
        self.attempt_of[job.job_id] = self.attempt_of.get(job.job_id, 0) + 1
        job.state, job.exit_code, job.error = outcome, exit_code, error
        job.finished_at_ms = self.now
        self.unregister_endpoints(job.job_id)
        if outcome == states.FAILED:
            job.failure_count += 1
            if job.failure_count <= job.max_retries_failure:
                self.requeue(job)
            elif job.gang_id is not None:
                self.fail_gang(job)
        self.request_schedule()

    def fail_gang(self, failed: ControllerJob) -> None:
        for member_id in self.gangs.get(failed.gang_id or "", ()):
            if member_id != failed.job_id:
                self.kill(member_id, details=f"gang member {failed.job_id[:8]} failed")

    # ---- capture ----

    def finish_logs(self, job_id: str, record: WorkerJob, error: str | None) -> None:
        """Write the run's log and usage once the attempt ends (or the snapshot is taken)."""
        plan = self.plans[job_id]
        rng = self.rng
        cores = self.state.jobs[job_id].request.resources.cpu
        memory = rng.randrange(200, 60_000)
        record.usage = model.Usage(
            memory_mb=memory,
            disk_mb=rng.randrange(10, 40_000),
            cpu_millicores=rng.randrange(100, cores * 1000 + 1),
            memory_peak_mb=memory + rng.randrange(0, 8000),
            cpu_percent=rng.randrange(1, 100),
            process_count=rng.randrange(1, 40),
        )
        if not plan.keeps_logs or record.started_at_ms is None:
            return
        if self.config.jobs > ALL_LOGS_UP_TO or self.config.log_sample is not None:
            # Sampled logs are full tails: the cost of logs shows at every size.
            total = rng.randrange(1000, 1500)
        elif rng.random() < 0.25:
            total = rng.randrange(1000, 4000)
        else:
            total = rng.randrange(15, 300)
        record.logs += demo_logs.run_log(rng, record.started_at_ms, self.now, total, error)

    def capture(self) -> None:
        """Close the books at capture time: logs so far, heartbeats, and the queue."""
        for worker_id, worker_state in self.worker_states.items():
            if worker_id in self.dead:
                continue
            self.state.workers[worker_id].last_heartbeat_ms = self.now - self.rng.randrange(5000)
            for job_id, record in worker_state.jobs.items():
                if not states.state(record.state).terminal:
                    self.finish_logs(job_id, record, None)
        pending = [j for j in self.state.queue if self.state.jobs[j].state == states.PENDING]
        self.state.queue = deque(dict.fromkeys(pending))
