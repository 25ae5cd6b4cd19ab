"""Fixtures: the development issuer served by uvicorn on a free port (real HTTP)."""

from __future__ import annotations

import collections
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI, Request
from jwcrypto import jwk
from ktxh_platform.auth.demo_users import DEMO_USERS
from ktxh_platform.auth.dev_issuer import DevIssuer

REALM = "ktxh"
PASSWORD = "demo"


@dataclass
class IssuerServer:
    """The dev issuer in its own uvicorn thread; `restart(key_path)` keeps the port."""

    key_path: Path
    port: int = 0
    hits: collections.Counter[str] = field(default_factory=collections.Counter)
    issuer: DevIssuer | None = None
    _server: uvicorn.Server | None = None
    _thread: threading.Thread | None = None
    _sock: socket.socket | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def issuer_url(self) -> str:
        return f"{self.base_url}/realms/{REALM}"

    @property
    def oidc(self) -> str:
        return f"{self.issuer_url}/protocol/openid-connect"

    @property
    def certs_hits(self) -> int:
        return self.hits[f"/realms/{REALM}/protocol/openid-connect/certs"]

    def start(self) -> IssuerServer:
        self.issuer = DevIssuer(REALM, DEMO_USERS, password=PASSWORD, key_path=self.key_path)
        app = FastAPI()
        app.include_router(self.issuer.router)

        @app.middleware("http")
        async def count(request: Request, call_next: Any) -> Any:
            self.hits[request.url.path] += 1
            return await call_next(request)

        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        self.port = sock.getsockname()[1]
        self._sock = sock
        config = uvicorn.Config(app, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("dev issuer did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(10)
        if self._sock is not None:
            self._sock.close()
        self._server = self._thread = self._sock = None

    def restart(self, key_path: Path) -> None:
        self.stop()
        self.key_path = key_path
        self.start()

    def signing_key(self) -> jwk.JWK:
        return jwk.JWK.from_pem(self.key_path.read_bytes())


@pytest.fixture(scope="module")
def issuer_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IssuerServer]:
    server = IssuerServer(tmp_path_factory.mktemp("issuer") / "dev-issuer.pem").start()
    yield server
    server.stop()


@pytest.fixture
def own_issuer_server(tmp_path: Path) -> Iterator[IssuerServer]:
    """A server for tests that restart it or count its requests."""
    server = IssuerServer(tmp_path / "key-a.pem").start()
    yield server
    server.stop()
