"""The submission service's unit of work on SQLAlchemy (SQLite or PostgreSQL): one
transaction, its repositories, and the outbox rows written at commit by the service's one event
translator (``adapters/events.py``, bound in the composition root)."""

from __future__ import annotations

from typing import Self

from ktxh_platform.db import Database
from ktxh_platform.idempotency import IdempotencyRepository
from ktxh_platform.messaging import MessagingContext, UnitOfWork

from ktxh_submission.adapters.bulk_repository import BulkRepository
from ktxh_submission.adapters.repository import (
    CalendarRepository,
    SubmissionRepository,
    UnitRepository,
)
from ktxh_submission.adapters.tables import submission_idempotency_keys


class SqlSubmissionUnitOfWork(UnitOfWork):
    submissions: SubmissionRepository
    units: UnitRepository
    calendars: CalendarRepository
    bulk: BulkRepository
    idempotency: IdempotencyRepository

    def __init__(self, db: Database, messaging: MessagingContext, actor: str = "") -> None:
        super().__init__(db, messaging, actor)
        self.province_code = messaging.province_code

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.submissions = SubmissionRepository(self.session, self.seen)
        self.units = UnitRepository(self.session, self.province_code)
        self.calendars = CalendarRepository(self.session, self.province_code)
        self.bulk = BulkRepository(self.session, self.seen)
        self.idempotency = IdempotencyRepository(self.session, submission_idempotency_keys)
        return self
