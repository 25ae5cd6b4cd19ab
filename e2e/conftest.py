"""End-to-end targets: the same tests run against the all-in-one process (embedded defaults)
and against the distributed stack (PostgreSQL, Kafka protocol, S3, an independent OIDC provider,
one process per service)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from ktxh_platform.settings import SERVICES
from ktxh_testing.servers import free_port, free_port_block


@dataclass
class Target:
    name: str
    base_url: str
    issuer: str
    reporting_addr: str
    sign_in: Callable[[str], Awaitable[str]]  # username -> access token, through the real provider
    data_dir: Path | None = None
    extra: dict = field(default_factory=dict)


def demo_sign_in(issuer: str, app_url: str) -> Callable[[str], Awaitable[str]]:
    """``await sign_in(username)`` -> an access token of that demo user (password ``demo``),
    through the issuer's real login: the authorization-code flow with PKCE, as the web app
    signs in (the built-in issuer of the all-in-one and the independent OIDC provider alike)."""

    from ktxh_testing.oidc_login import login

    async def sign_in(username: str) -> str:
        tokens = await login(issuer, "ktxh-web", username, "demo", f"{app_url}/callback")
        return tokens["access_token"]

    return sign_in


def _wait_ready(base_url: str, proc: subprocess.Popen | None, log: Path | None, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"exited early:\n{log.read_text()[-4000:] if log else ''}")
        try:
            if httpx.get(f"{base_url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"not ready in {timeout}s:\n{log.read_text()[-4000:] if log else ''}")


@pytest.fixture(scope="session")
def document_ca():
    """The test CA whose root the document service trusts (KTXH_DOCUMENT_TRUST_ROOTS)."""

    from ktxh_testing.pdf_signing import TestCA

    ca = TestCA("KTXH E2E Root CA", "Ban Cơ yếu (thử nghiệm)")
    roots = Path(tempfile.mkdtemp(prefix="ktxh-e2e-roots-"))
    (roots / "root.pem").write_bytes(ca.pem())
    ca.roots_dir = roots
    return ca


@contextlib.contextmanager
def start_allinone(trust_roots: Path | None = None) -> Iterator[Target]:
    """``ktxh-allinone`` as a user starts it (``make run``), on free ports and a fresh data folder."""

    tmp = Path(tempfile.mkdtemp(prefix="ktxh-e2e-"))
    port, grpc_base = free_port(), free_port_block(len(SERVICES))
    log = tmp / "allinone.log"
    env = {**os.environ, "KTXH_LOG_LEVEL": "WARNING"}
    if trust_roots is not None:
        env["KTXH_DOCUMENT_TRUST_ROOTS"] = str(trust_roots)
    proc = subprocess.Popen(
        [sys.executable, "-m", "ktxh_allinone.main", "--port", str(port),
         "--grpc-port-base", str(grpc_base), "--data-dir", str(tmp / "data")],
        stdout=log.open("w"), stderr=subprocess.STDOUT, env=env,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base_url, proc, log)
        issuer = f"{base_url}/realms/ktxh"
        addrs = {name: f"127.0.0.1:{grpc_base + i}" for i, name in enumerate(SERVICES)}
        yield Target("allinone", base_url, issuer, f"127.0.0.1:{grpc_base + 6}",
                     demo_sign_in(issuer, base_url), tmp / "data",
                     {"log": log, "service_addrs": addrs})
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def allinone_factory():
    """`start_allinone`, for tests that need an all-in-one of their own."""
    return start_allinone


@pytest.fixture(scope="session")
def allinone_target(document_ca) -> Iterator[Target]:
    with start_allinone(document_ca.roots_dir) as target:
        yield target


@pytest.fixture(scope="session")
def distributed_target(pg_server, kafka_server, s3_server, oidc_server, document_ca) -> Iterator[Target]:
    """Every service as its own process against real servers; tokens from the independent
    OIDC provider (npm ``oidc-provider``) through the authorization-code flow with PKCE."""

    from ktxh_testing.stack import DistributedStack

    stack = DistributedStack.with_free_ports(
        postgres=pg_server, kafka=kafka_server, s3=s3_server, oidc=oidc_server,
        topic_prefix="e2e.", database="ktxh_e2e", extra_env={"KTXH_CATALOG_DEMO_DATA": "true",
                   "KTXH_DOCUMENT_TRUST_ROOTS": str(document_ca.roots_dir)},
    )
    with stack:
        _wait_ready(stack.gateway_url, None, None)
        yield Target("distributed", stack.gateway_url, oidc_server.issuer,
                     stack.service_addr("reporting"), demo_sign_in(oidc_server.issuer, stack.gateway_url),
                     extra={"service_addrs": {s: stack.service_addr(s) for s in SERVICES},
                            "log_dir": stack.log_dir, "oidc": oidc_server,
                            "database_url": pg_server.url_asyncpg})


@pytest.fixture(params=["allinone", "distributed"])
def target(request: pytest.FixtureRequest) -> Target:
    return request.getfixturevalue(f"{request.param}_target")


@pytest.fixture(scope="module")
def chromium():
    """The system Chromium (`pages.launch_chromium`), launched once per test module: each test
    opens a context of its own on it (no cookie, storage or page shared between tests). Only
    for modules of plain (non-async) tests: Playwright's sync API holds this thread's loop."""

    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(Path(__file__).parent / "browser"))
    import pages

    with sync_playwright() as pw:
        browser = pages.launch_chromium(pw)
        yield browser
        browser.close()

