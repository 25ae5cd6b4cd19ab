from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import sys

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from support import build_bus, create_schema  # type: ignore[import-not-found]


@dataclass
class Stack:
    """A database and a bus of one kind: embedded (SQLite + in-process) or real servers."""

    name: str
    db_url: str
    bus_kind: str
    bootstrap: str
    bus_path: Path | None

    def bus(self):  # noqa: ANN201
        return build_bus(self.bus_kind, bootstrap=self.bootstrap, path=self.bus_path)


@pytest.fixture(params=["embedded", "servers"])
def stack(request: pytest.FixtureRequest, tmp_path: Path) -> Stack:
    if request.param == "embedded":
        return Stack("embedded", f"sqlite+aiosqlite:///{tmp_path / 'svc.db'}", "inprocess", "", tmp_path / "bus.db")
    pg = request.getfixturevalue("pg_database")
    kafka = request.getfixturevalue("kafka_server")
    return Stack("servers", pg, "kafka", kafka.bootstrap_servers, None)


@pytest.fixture
def prefix() -> str:
    """A topic prefix of its own per test, so tests sharing one broker never see each other."""
    return f"t{uuid.uuid4().hex[:8]}."


@pytest.fixture
async def db(stack: Stack) -> AsyncIterator:
    database = await create_schema(stack.db_url)
    yield database
    await database.dispose()
