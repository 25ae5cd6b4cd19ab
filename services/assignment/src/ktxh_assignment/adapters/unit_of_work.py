"""The assignment service's unit of work on SQLAlchemy (SQLite or PostgreSQL): one transaction,
its repositories, and the outbox rows written at commit by the service's one event translator
(``adapters/events.py``, bound in the composition root)."""

from __future__ import annotations

from typing import Self

from ktxh_assignment.adapters.repository import (
    AssignmentRepository,
    DecisionRepository,
    UnitRepository,
)
from ktxh_assignment.adapters.tables import idempotency_keys
from ktxh_platform.db import Database
from ktxh_platform.idempotency import IdempotencyRepository
from ktxh_platform.messaging import MessagingContext, UnitOfWork


class SqlAssignmentUnitOfWork(UnitOfWork):
    decisions: DecisionRepository
    assignments: AssignmentRepository
    units: UnitRepository
    idempotency: IdempotencyRepository

    def __init__(self, db: Database, messaging: MessagingContext, actor: str = "") -> None:
        super().__init__(db, messaging, actor)
        self.province_code = messaging.province_code

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.decisions = DecisionRepository(self.session, self.seen)
        self.assignments = AssignmentRepository(self.session, self.seen)
        self.units = UnitRepository(self.session)
        self.idempotency = IdempotencyRepository(self.session, idempotency_keys)
        return self
