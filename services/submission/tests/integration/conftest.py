from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from ktxh.catalog.v1 import catalog_pb2
from ktxh.common.v1 import types_pb2
from ktxh_platform.db import Database
from ktxh_platform.messaging import MessagingContext
from ktxh_submission.adapters import tables
from ktxh_submission.adapters.calendar_replica import apply_calendar
from ktxh_submission.adapters.events import translate_event
from ktxh_submission.adapters.org_unit_replica import apply_unit
from ktxh_submission.adapters.unit_of_work import SqlSubmissionUnitOfWork

MIGRATIONS = Path(tables.__file__).parents[1] / "migrations"
K = catalog_pb2.OrgUnitKind
UNITS = [  # id, code, kind, parent
    ("p", "31", K.ORG_UNIT_KIND_PROVINCE, ""),
    ("c1", "10846", K.ORG_UNIT_KIND_COMMUNE, "p"),
    ("o-pkt", "10846.PKT", K.ORG_UNIT_KIND_OFFICE, "c1"),
    ("o-vhxh", "10846.PVHXH", K.ORG_UNIT_KIND_OFFICE, "c1"),
    ("o-hcc", "10846.TTHCC", K.ORG_UNIT_KIND_OFFICE, "c1"),
    ("o-vp", "10846.VP", K.ORG_UNIT_KIND_OFFICE, "c1"),
    ("c2", "11311", K.ORG_UNIT_KIND_COMMUNE, "p"),
    ("o2-pkt", "11311.PKT", K.ORG_UNIT_KIND_OFFICE, "c2"),
]


def seed_calendar() -> catalog_pb2.Calendar:
    """LICH.HP2081 as the catalog publishes it (seed 001's calendar)."""
    return catalog_pb2.Calendar(
        id="cal-1", code="LICH.HP2081", name="Lịch báo cáo Bộ chỉ số 2081 cấp xã",
        province_code="31", version=1,
        rules=[
            catalog_pb2.DeadlineRule(
                period_kind=types_pb2.PERIOD_KIND_MONTH, due=catalog_pb2.RelativeDate(day=20),
                before=True, cutoff_start=catalog_pb2.RelativeDate(month_offset=-1, day=15),
                cutoff_end=catalog_pb2.RelativeDate(day=14)),
            catalog_pb2.DeadlineRule(period_kind=types_pb2.PERIOD_KIND_HALF_YEAR,
                                     due=catalog_pb2.RelativeDate(day=15), before=True),
        ],
        lead_times=[
            catalog_pb2.CalendarLeadTime(step="office_entry", name="Các phòng cung cấp số liệu",
                                         days_before=3, responsible="office"),
            catalog_pb2.CalendarLeadTime(step="consolidation", name="Văn phòng tổng hợp",
                                         days_before=1, responsible="VP"),
        ],
    )


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
