from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1]))

from ktxh_notification.adapters import tables
from ktxh_notification.adapters.org_unit_replica import apply_unit
from ktxh_notification.adapters.unit_of_work import SqlNotificationUnitOfWork
from ktxh_platform.db import Database
from ktxh_platform.messaging import MessagingContext, no_events
from notification_support import UNITS, MemoryState, MemoryUnitOfWork, org_unit

MIGRATIONS = Path(tables.__file__).parents[1] / "migrations"


async def migrated(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> Database:
    """The notification service's database migrated by its real Alembic history, with the
    test units in its replica."""
    if kind == "sqlite":
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'notification.db'}")
    else:
        db = Database(request.getfixturevalue("pg_database"), schema="notification")
    await db.migrate(MIGRATIONS, tables.metadata)
    async with db.sessions() as session, session.begin():
        for unit in UNITS:
            await apply_unit(session, org_unit(unit))
    return db


@pytest.fixture(params=["sqlite", "postgresql"])
async def notification_db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    db = await migrated(request.param, request, tmp_path)
    yield db
    await db.dispose()


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
async def uow_factory(request: pytest.FixtureRequest, tmp_path: Path):
    """One unit of work per use case, on the in-memory fake, SQLite and PostgreSQL."""
    if request.param == "memory":
        state = MemoryState({u.id: u for u in UNITS})
        yield lambda: MemoryUnitOfWork(state)
        return
    db = await migrated(request.param, request, tmp_path)
    messaging = MessagingContext("notification", "31", "", tables.outbox, no_events)
    yield lambda: SqlNotificationUnitOfWork(db, messaging)
    await db.dispose()
