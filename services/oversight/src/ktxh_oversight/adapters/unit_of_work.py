"""The oversight service's unit of work on SQLAlchemy (SQLite or PostgreSQL): one transaction,
its repositories, and the outbox rows written at commit by ``adapters/events.py``."""

from __future__ import annotations

from typing import Self

from ktxh_platform.db import Database
from ktxh_platform.idempotency import IdempotencyRepository
from ktxh_platform.messaging import MessagingContext, UnitOfWork

from ktxh_oversight.adapters.repository import (
    CommentRepository,
    ReportRepository,
    UnitRepository,
)
from ktxh_oversight.adapters.tables import idempotency_keys


class SqlOversightUnitOfWork(UnitOfWork):
    comments: CommentRepository
    reports: ReportRepository
    units: UnitRepository
    idempotency: IdempotencyRepository

    def __init__(self, db: Database, messaging: MessagingContext, actor: str = "") -> None:
        super().__init__(db, messaging, actor)
        self.province_code = messaging.province_code

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.comments = CommentRepository(self.session, self.seen)
        self.reports = ReportRepository(self.session, self.seen)
        self.units = UnitRepository(self.session)
        self.idempotency = IdempotencyRepository(self.session, idempotency_keys)
        return self
