"""The distributed stack on one machine: real PostgreSQL, Kafka-protocol broker, S3 and OIDC
provider, then one process per service (``ktxh-<svc> migrate`` then ``ktxh-<svc> serve``) and the
gateway (``ktxh-gateway``), configured only through the environment variables of
docs/conventions.md. Used by ``infra/local/distributed.py`` and by end-to-end tests:

    with DistributedStack.with_free_ports() as stack:       # tests: nothing on fixed ports
        stack.gateway_url, stack.oidc.issuer, stack.service_addr("catalog")

    with DistributedStack() as stack:                       # conventions' ports: 8000, 8080, 5005x
        stack.wait()
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Self

from ktxh_platform.settings import GRPC_PORTS, METRICS_PORTS, SERVICES

from ktxh_testing import servers
from ktxh_testing.servers import (
    KafkaServer,
    LogTail,
    OIDCServer,
    PostgresServer,
    S3Server,
    ServerError,
    free_port,
    stop_process,
    wait_for_port,
)

__all__ = [
    "GRPC_PORTS",
    "METRICS_PORTS",
    "SERVICES",
    "DistributedStack",
    "available_services",
    "console_script",
]

GATEWAY_PORT = 8000
OIDC_PORT = 8080
BUCKET = "ktxh-documents"


def _entry_point(script: str) -> importlib.metadata.EntryPoint | None:
    for ep in importlib.metadata.entry_points(group="console_scripts"):
        if ep.name == script:
            return ep
    return None


def console_script(script: str) -> list[str] | None:
    """The command running console script ``script`` (``ktxh-catalog``...), or None when the
    package is not installed or its entry-point module does not exist yet."""
    ep = _entry_point(script)
    if ep is None:
        return None
    module = ep.value.split(":")[0]
    try:
        if importlib.util.find_spec(module) is None:
            return None
    except ModuleNotFoundError:
        return None
    bindir = Path(sys.executable).parent
    found = shutil.which(script, path=f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}")
    if found:
        return [found]
    func = ep.value.split(":")[1]
    return [sys.executable, "-c", f"import sys; from {module} import {func}; sys.exit({func}())"]


def available_services() -> list[str]:
    """Services whose ``ktxh-<svc>`` console script is installed and importable."""
    return [s for s in SERVICES if console_script(f"ktxh-{s}") is not None]


@dataclass
class _Proc:
    name: str
    proc: subprocess.Popen
    log: LogTail
    log_file: Path | None


def _grpc_serving(addr: str, timeout: float = 1.0) -> bool | None:
    """True/False from grpc.health.v1 (overall ""), None when grpc health is not importable."""
    try:
        import grpc
        from grpc_health.v1 import health_pb2, health_pb2_grpc
    except ImportError:
        return None
    with grpc.insecure_channel(addr) as channel:
        try:
            reply = health_pb2_grpc.HealthStub(channel).Check(
                health_pb2.HealthCheckRequest(service=""), timeout=timeout
            )
        except grpc.RpcError:
            return False
        return reply.status == health_pb2.HealthCheckResponse.SERVING


@contextlib.contextmanager
def _signals_ignored():
    """Ignore SIGINT/SIGTERM for the duration (main thread only; elsewhere a no-op)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    saved = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def _http_ok(url: str, timeout: float = 1.0) -> bool:
    import httpx

    try:
        return httpx.get(url, timeout=timeout).status_code < 500
    except httpx.HTTPError:
        return False


class DistributedStack:
    """Start everything in ``__enter__``, stop everything (reverse order) in ``__exit__``.

    Ports: ``grpc_ports`` / ``metrics_ports`` map service -> port (default: conventions'
    50051.. and 9101..); ``gateway_port`` (8000) and ``oidc_port`` (8080). `with_free_ports`
    picks free ports for all of them. Pass already-running ``postgres``/``kafka``/``s3``/``oidc``
    servers (e.g. the pytest session fixtures) to reuse them instead of starting new ones.
    """

    def __init__(
        self,
        services: Iterable[str] | None = None,
        *,
        gateway: bool = True,
        gateway_port: int = GATEWAY_PORT,
        oidc_port: int = OIDC_PORT,
        grpc_ports: Mapping[str, int] | None = None,
        metrics_ports: Mapping[str, int] | None = None,
        topic_prefix: str = "",
        province_code: str = "31",
        bucket: str = BUCKET,
        database: str = "ktxh",
        data_dir: Path | None = None,
        log_dir: Path | None = None,
        echo: IO[str] | None = None,
        extra_env: Mapping[str, str] | None = None,
        backend: str | None = None,
        postgres: PostgresServer | None = None,
        kafka: KafkaServer | None = None,
        s3: S3Server | None = None,
        oidc: OIDCServer | None = None,
        startup_timeout: float = 90.0,
    ) -> None:
        self.services = list(services) if services is not None else available_services()
        unknown = [s for s in self.services if s not in SERVICES]
        if unknown:
            raise ValueError(f"unknown services {unknown}; known: {', '.join(SERVICES)}")
        self.gateway_enabled = gateway
        self.gateway_port = gateway_port
        self.oidc_port = oidc_port
        self.grpc_ports = {**GRPC_PORTS, **(grpc_ports or {})}
        self.metrics_ports = {**METRICS_PORTS, **(metrics_ports or {})}
        self.topic_prefix = topic_prefix
        self.province_code = province_code
        self.bucket = bucket
        self.database = database
        self._data_dir = data_dir
        self._log_dir = log_dir
        self.echo = echo
        self.extra_env = dict(extra_env or {})
        self.backend = backend
        self.postgres, self.kafka, self.s3, self.oidc = postgres, kafka, s3, oidc
        self.startup_timeout = startup_timeout
        self.processes: dict[str, _Proc] = {}
        self.timings: dict[str, float] = {}
        self._stack = contextlib.ExitStack()
        self._tmp: Path | None = None

    @classmethod
    def with_free_ports(cls, services: Iterable[str] | None = None, **kwargs) -> Self:
        """A stack on free ports only (no clash with a developer's running stack)."""
        names = list(services) if services is not None else available_services()
        return cls(
            names,
            gateway_port=kwargs.pop("gateway_port", free_port()),
            oidc_port=kwargs.pop("oidc_port", 0),
            grpc_ports=kwargs.pop("grpc_ports", {s: free_port() for s in SERVICES}),
            metrics_ports=kwargs.pop("metrics_ports", {s: 0 for s in SERVICES}),
            # a bucket of its own: a shared S3 server may already hold one without object lock
            bucket=kwargs.pop("bucket", f"ktxh-documents-{uuid.uuid4().hex[:8]}"),
            **kwargs,
        )

    # -- configuration (no side effects: testable without starting anything) ----------------

    @property
    def data_dir(self) -> Path:
        if self._data_dir is None:
            self._tmp = self._tmp or Path(tempfile.mkdtemp(prefix="ktxh-stack-"))
            self._data_dir = self._tmp / "data"
        return self._data_dir

    @property
    def log_dir(self) -> Path:
        if self._log_dir is None:
            self._tmp = self._tmp or Path(tempfile.mkdtemp(prefix="ktxh-stack-"))
            self._log_dir = self._tmp / "logs"
        return self._log_dir

    def service_addr(self, name: str) -> str:
        return f"127.0.0.1:{self.grpc_ports[name]}"

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.gateway_port}"

    def service_env(self, name: str) -> dict[str, str]:
        """``KTXH_<SVC>_*`` of docs/conventions.md for service ``name``."""
        if self.postgres is None or self.kafka is None or self.oidc is None:
            raise RuntimeError("infrastructure not started")
        p = f"KTXH_{name.upper()}_"
        env = {
            p + "DATABASE_URL": self.postgres.url_asyncpg,
            p + "DATABASE_SCHEMA": name,
            p + "GRPC_PORT": str(self.grpc_ports[name]),
            p + "METRICS_PORT": str(self.metrics_ports[name]),
            p + "BUS": "kafka",
            p + "KAFKA_BOOTSTRAP_SERVERS": self.kafka.bootstrap_servers,
            p + "TOPIC_PREFIX": self.topic_prefix,
            p + "ENSURE_TOPICS": "false",  # provisioned from infra/kafka/topics.yaml
            p + "PROVINCE_CODE": self.province_code,
            p + "OIDC_ISSUER": self.oidc.issuer,  # token relay: the service validates tokens
            p + "OIDC_AUDIENCE": "ktxh-api",
            p + "DATA_DIR": str(self.data_dir / name),
        }
        if name == "assignment":  # the services it calls with the caller's token
            env[p + "CATALOG_ADDR"] = self.service_addr("catalog")
            env[p + "DOCUMENT_ADDR"] = self.service_addr("document")
        if name == "submission":  # builds a report's form from the catalog and assignments
            env[p + "CATALOG_ADDR"] = self.service_addr("catalog")
            env[p + "ASSIGNMENT_ADDR"] = self.service_addr("assignment")
            env[p + "DOCUMENT_ADDR"] = self.service_addr("document")
        if name == "oversight":
            for peer in ("assignment", "reporting", "document"):
                env[p + f"{peer.upper()}_ADDR"] = self.service_addr(peer)
        if name == "evaluation":  # evidence: criteria sets, units given them, actuals, tasks
            for peer in ("catalog", "assignment", "reporting"):
                env[p + f"{peer.upper()}_ADDR"] = self.service_addr(peer)
        if name == "document":
            if self.s3 is None:
                raise RuntimeError("S3 not started")
            env.update(
                {
                    p + "OBJECT_STORE": "s3",
                    p + "S3_ENDPOINT": self.s3.endpoint,
                    p + "S3_ACCESS_KEY": self.s3.access_key,
                    p + "S3_SECRET_KEY": self.s3.secret_key,
                    p + "S3_BUCKET": self.bucket,
                    p + "S3_SECURE": "true" if self.s3.secure else "false",
                }
            )
        return env

    def gateway_env(self) -> dict[str, str]:
        """``KTXH_GATEWAY_*`` of docs/conventions.md."""
        if self.oidc is None:
            raise RuntimeError("OIDC provider not started")
        env = {
            "KTXH_GATEWAY_HOST": "127.0.0.1",
            "KTXH_GATEWAY_PORT": str(self.gateway_port),
            "KTXH_GATEWAY_OIDC_ISSUER": self.oidc.issuer,
            "KTXH_GATEWAY_OIDC_AUDIENCE": "ktxh-api",
            "KTXH_GATEWAY_OIDC_CLIENT_ID": self.oidc.web_client_id,
            "KTXH_GATEWAY_REALM": self.oidc.realm,
        }
        for s in SERVICES:
            env[f"KTXH_GATEWAY_{s.upper()}_ADDR"] = self.service_addr(s)
        return env

    def _base_env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.setdefault("PYTHONUNBUFFERED", "1")
        env["KTXH_DATA_DIR"] = str(self.data_dir)
        env.update(self.extra_env)
        return env

    def urls(self) -> dict[str, str]:
        out: dict[str, str] = {}
        if self.gateway_enabled:
            out["gateway"] = self.gateway_url
        if self.oidc:
            out["oidc issuer"] = self.oidc.issuer
        if self.postgres:
            out["postgres"] = self.postgres.dsn
        if self.kafka:
            out["kafka"] = self.kafka.bootstrap_servers
        if self.s3:
            out["s3"] = f"{self.s3.url} (bucket {self.bucket}, key {self.s3.access_key})"
        for s in self.services:
            out[s] = f"grpc {self.service_addr(s)}" + (
                f", metrics http://127.0.0.1:{self.metrics_ports[s]}/metrics"
                if self.metrics_ports[s]
                else ""
            )
        return out

    # -- life cycle ---------------------------------------------------------------------------

    def _timed(self, key: str, t0: float) -> None:
        self.timings[key] = round(time.perf_counter() - t0, 3)

    def _start_infra(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        if self.postgres is None:
            t0 = time.perf_counter()
            self.postgres = self._stack.enter_context(
                servers.postgres(
                    self.database, backend=self.backend, log_file=self.log_dir / "postgres.log"
                )
            )
            self._timed("postgres", t0)
        self.postgres.create_schemas(*self.services)
        if self.kafka is None:
            t0 = time.perf_counter()
            self.kafka = self._stack.enter_context(
                servers.kafka(backend=self.backend, log_file=self.log_dir / "tansu.log")
            )
            self._timed("kafka", t0)
        if self.s3 is None:
            t0 = time.perf_counter()
            self.s3 = self._stack.enter_context(servers.s3(backend=self.backend))
            self._timed("s3", t0)
        self._provision()
        if self.oidc is None:
            if self.oidc_port and servers.port_open("127.0.0.1", self.oidc_port):
                raise ServerError(f"port {self.oidc_port} (OIDC provider) is already in use")
            t0 = time.perf_counter()
            self.oidc = self._stack.enter_context(
                servers.oidc(
                    port=self.oidc_port,
                    backend=self.backend,
                    log_file=self.log_dir / "oidc.log",
                    echo=self.echo,
                )
            )
            self._timed("oidc", t0)

    def _provision(self) -> None:
        """Topics and bucket from the same infra/ files and scripts the Helm hook Jobs run."""
        assert self.kafka is not None and self.s3 is not None
        infra = servers.repo_root() / "infra"
        t0 = time.perf_counter()
        for args in (
            [str(infra / "kafka" / "create_topics.py"), "--bootstrap-servers",
             self.kafka.bootstrap_servers, "--prefix", self.topic_prefix, "--replication-factor", "1"],
            [str(infra / "minio" / "create_bucket.py"), "--endpoint", self.s3.endpoint,
             "--access-key", self.s3.access_key, "--secret-key", self.s3.secret_key,
             "--bucket", self.bucket, "--retention-mode", "GOVERNANCE", "--retention-days", "1"],
        ):
            done = subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=180)
            if done.returncode != 0:
                raise ServerError(f"{Path(args[0]).name} failed:\n{done.stdout}{done.stderr}")
        self._timed("topics+bucket", t0)

    def _command(self, name: str) -> list[str]:
        cmd = console_script(f"ktxh-{name}")
        if cmd is None:
            raise ServerError(
                f"console script ktxh-{name} is not installed or its module is missing "
                "(uv sync --all-packages)"
            )
        return cmd

    def _spawn(self, key: str, cmd: list[str], env: dict[str, str]) -> _Proc:
        proc = servers.popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        log_file = self.log_dir / f"{key}.log"
        tail = LogTail(proc.stdout, file=log_file, echo=self.echo, prefix=f"[{key}] ")  # type: ignore[arg-type]
        return _Proc(key, proc, tail, log_file)

    def _migrate(self) -> None:
        t0 = time.perf_counter()
        running = [
            self._spawn(
                f"{s}-migrate",
                [*self._command(s), "migrate"],
                {**self._base_env(), **self.service_env(s)},
            )
            for s in self.services
        ]
        failed = []
        for p in running:
            try:
                code = p.proc.wait(timeout=self.startup_timeout)
            except subprocess.TimeoutExpired:
                stop_process(p.proc)
                code = -1
            if code != 0:
                failed.append(f"{p.name} exited {code}:\n{p.log.text()}")
        self._timed("migrate", t0)
        if failed:
            raise ServerError("migrations failed\n" + "\n".join(failed))

    def _check_alive(self, p: _Proc, what: str) -> None:
        if p.proc.poll() is not None:
            raise ServerError(f"{what} exited with code {p.proc.returncode}:\n{p.log.text()}")

    def _serve(self) -> None:
        t0 = time.perf_counter()
        for s in self.services:
            self.processes[s] = self._spawn(
                s, [*self._command(s), "serve"], {**self._base_env(), **self.service_env(s)}
            )
        deadline = time.monotonic() + self.startup_timeout
        pending = list(self.services)
        while pending:
            for s in list(pending):
                self._check_alive(self.processes[s], f"ktxh-{s}")
                addr = self.service_addr(s)
                if servers.port_open("127.0.0.1", self.grpc_ports[s]):
                    serving = _grpc_serving(addr)
                    if serving is None or serving:
                        pending.remove(s)
                        self.timings[f"{s} serving"] = round(time.perf_counter() - t0, 3)
            if pending and time.monotonic() > deadline:
                logs = "\n".join(f"--- {s}\n{self.processes[s].log.text()}" for s in pending)
                raise ServerError(
                    f"not SERVING within {self.startup_timeout:.0f}s: {pending}\n{logs}"
                )
            if pending:
                time.sleep(0.05)
        self._timed("services", t0)

    def _start_gateway(self) -> None:
        t0 = time.perf_counter()
        cmd = console_script("ktxh-gateway")
        if cmd is None:
            raise ServerError(
                "console script ktxh-gateway is not installed (uv sync --all-packages)"
            )
        p = self._spawn("gateway", cmd, {**self._base_env(), **self.gateway_env()})
        self.processes["gateway"] = p
        wait_for_port(
            "127.0.0.1",
            self.gateway_port,
            timeout=self.startup_timeout,
            proc=p.proc,
            log=p.log,
            what="ktxh-gateway",
        )
        deadline = time.monotonic() + self.startup_timeout
        while not _http_ok(f"{self.gateway_url}/healthz"):
            self._check_alive(p, "ktxh-gateway")
            if time.monotonic() > deadline:
                raise ServerError(f"gateway /healthz not OK\n{p.log.text()}")
            time.sleep(0.05)
        self._timed("gateway", t0)

    def start(self) -> Self:
        t0 = time.perf_counter()
        try:
            self._start_infra()
            if self.services:
                self._migrate()
                self._serve()
            if self.gateway_enabled:
                self._start_gateway()
        except BaseException:
            self.stop()
            raise
        self._timed("total", t0)
        return self

    def stop(self) -> None:
        """Gateway first, then the services (in parallel), then the infrastructure. Ctrl-C and
        SIGTERM are ignored meanwhile (a terminal sends SIGINT twice through ``uv run``), so an
        interrupted stop never leaves processes behind."""
        with _signals_ignored():
            try:
                gateway = self.processes.get("gateway")
                if gateway:
                    stop_process(gateway.proc, timeout=10)
                procs = list(self.processes.values())
                for p in procs:
                    if p.proc.poll() is None:
                        with contextlib.suppress(ProcessLookupError):
                            p.proc.terminate()
                deadline = time.monotonic() + 15
                for p in procs:
                    try:
                        p.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
                    except subprocess.TimeoutExpired:
                        p.proc.kill()
                        p.proc.wait(timeout=5)
                self.processes.clear()
            finally:
                self._stack.close()
                if (
                    self._tmp is not None
                    and self._data_dir is not None
                    and self._data_dir.is_relative_to(self._tmp)
                ):
                    shutil.rmtree(self._data_dir, ignore_errors=True)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def wait(self, poll: float = 0.5) -> str:
        """Block until one of the processes exits; returns its name."""
        while True:
            for name, p in self.processes.items():
                if p.proc.poll() is not None:
                    return name
            time.sleep(poll)
