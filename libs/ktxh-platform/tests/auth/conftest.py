"""Fixtures: a real development issuer served over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from authtest_support import IssuerServer


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
