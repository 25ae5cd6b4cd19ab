from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from ktxh_catalog.adapters import tables
from ktxh_catalog.adapters.events import translate_event
from ktxh_catalog.adapters.unit_of_work import SqlCatalogUnitOfWork
from ktxh_platform.db import Database
from ktxh_platform.messaging import MessagingContext

MIGRATIONS = Path(tables.__file__).parents[1] / "migrations"


@pytest.fixture(params=["sqlite", "postgresql"])
async def catalog_db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """The catalog's database migrated by its real Alembic history: SQLite (embedded default)
    and PostgreSQL (a real server, in the service's own schema)."""

    if request.param == "sqlite":
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'catalog.db'}")
    else:
        db = Database(request.getfixturevalue("pg_database"), schema="catalog")
    await db.migrate(MIGRATIONS, tables.metadata)
    yield db
    await db.dispose()


@pytest.fixture
def uow_factory(catalog_db: Database):
    messaging = MessagingContext("catalog", "31", "", tables.outbox, translate_event)

    def make(actor: str = "tester") -> SqlCatalogUnitOfWork:
        return SqlCatalogUnitOfWork(catalog_db, messaging, actor)

    return make
