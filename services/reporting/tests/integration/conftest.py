from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1]))

from ktxh_platform.bus.inprocess import InProcessBus
from ktxh_platform.db import Database
from ktxh_reporting.adapters import tables
from reporting_support import Feeder

MIGRATIONS = Path(tables.__file__).parents[1] / "migrations"


async def migrated(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    """The reporting database migrated by its real Alembic history."""
    if kind == "sqlite":
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'reporting.db'}")
    else:
        db = Database(request.getfixturevalue("pg_database"), schema="reporting")
    await db.migrate(MIGRATIONS, tables.metadata)
    return db


@pytest.fixture(params=["sqlite", "postgresql"])
async def reporting_db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    db = await migrated(request.param, request, tmp_path)
    yield db
    await db.dispose()


@pytest.fixture
async def sqlite_db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    db = await migrated("sqlite", request, tmp_path)
    yield db
    await db.dispose()


@pytest.fixture
def feeder(reporting_db, tmp_path) -> Feeder:
    return Feeder(reporting_db, InProcessBus(tmp_path / "bus.db"))
