from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from ktxh.catalog.v1 import catalog_pb2
from ktxh_platform.db import Database
from ktxh_platform.messaging import MessagingContext
from ktxh_submission.adapters import tables
from ktxh_submission.adapters.calendar_replica import apply_calendar
from ktxh_submission.adapters.events import translate_event
from ktxh_submission.adapters.org_unit_replica import apply_unit
from ktxh_submission.adapters.unit_of_work import SqlSubmissionUnitOfWork
from submission_world import UNITS, seed_calendar

MIGRATIONS = Path(tables.__file__).parents[1] / "migrations"


@pytest.fixture(params=["sqlite", "postgresql"])
async def submission_db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """The submission service's database migrated by its real Alembic history, with the
    replicas fed as the catalog's events would."""
    if request.param == "sqlite":
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'submission.db'}")
    else:
        db = Database(request.getfixturevalue("pg_database"), schema="submission")
    await db.migrate(MIGRATIONS, tables.metadata)
    async with db.sessions() as session, session.begin():
        for uid, code, kind, parent in UNITS:
            await apply_unit(session, catalog_pb2.OrgUnit(
                id=uid, code=code, kind=kind, parent_id=parent, province_code="31", version=1))
        await apply_calendar(session, seed_calendar())
    yield db
    await db.dispose()


@pytest.fixture
def uow_factory(submission_db: Database):
    messaging = MessagingContext("submission", "31", "", tables.outbox, translate_event)

    def make(actor: str = "tester") -> SqlSubmissionUnitOfWork:
        return SqlSubmissionUnitOfWork(submission_db, messaging, actor)

    return make
