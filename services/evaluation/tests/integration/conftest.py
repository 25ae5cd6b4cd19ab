from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from ktxh.catalog.v1 import catalog_pb2
from ktxh_evaluation.adapters import tables
from ktxh_evaluation.adapters.events import translate_event
from ktxh_evaluation.adapters.org_unit_replica import apply_unit
from ktxh_evaluation.adapters.unit_of_work import SqlEvaluationUnitOfWork
from ktxh_platform.db import Database
from ktxh_platform.messaging import MessagingContext

sys.path.insert(0, str(Path(__file__).parents[1]))

from evaluation_peers import TREE

MIGRATIONS = Path(tables.__file__).parents[1] / "migrations"


@pytest.fixture(params=["sqlite", "postgresql"])
async def evaluation_db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """The evaluation service's database migrated by its real Alembic history, with the replica
    of the test unit tree filled through the same code the catalog's events go through."""
    if request.param == "sqlite":
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'evaluation.db'}")
    else:
        db = Database(request.getfixturevalue("pg_database"), schema="evaluation")
    await db.migrate(MIGRATIONS, tables.metadata)
    async with db.sessions() as session, session.begin():
        for code, (uid, kind, parent) in TREE.items():
            await apply_unit(session, catalog_pb2.OrgUnit(
                id=uid, code=code, kind=catalog_pb2.OrgUnitKind.Value(f"ORG_UNIT_KIND_{kind.upper()}"),
                parent_id=TREE[parent][0] if parent else "", province_code="31", version=1,
            ))
    yield db
    await db.dispose()


@pytest.fixture
def uow_factory(evaluation_db: Database):
    messaging = MessagingContext("evaluation", "31", "", tables.outbox, translate_event)

    def make(actor: str = "tester") -> SqlEvaluationUnitOfWork:
        return SqlEvaluationUnitOfWork(evaluation_db, messaging, actor)

    return make
