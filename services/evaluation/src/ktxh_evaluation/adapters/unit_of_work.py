"""The evaluation service's unit of work on SQLAlchemy (SQLite or PostgreSQL): one transaction,
its repositories, and the outbox rows written at commit by the service's event translator."""

from __future__ import annotations

from typing import Self

from ktxh_platform.db import Database
from ktxh_platform.messaging import MessagingContext, UnitOfWork

from ktxh_evaluation.adapters.repository import (
    EditionRepository,
    EvaluationRepository,
    ReportRepository,
    RoundRepository,
)


class SqlEvaluationUnitOfWork(UnitOfWork):
    rounds: RoundRepository
    evaluations: EvaluationRepository
    reports: ReportRepository
    editions: EditionRepository

    def __init__(self, db: Database, messaging: MessagingContext, actor: str = "") -> None:
        super().__init__(db, messaging, actor)
        self.province_code = messaging.province_code

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.rounds = RoundRepository(self.session, self.seen)
        self.evaluations = EvaluationRepository(self.session, self.seen)
        self.reports = ReportRepository(self.session)
        self.editions = EditionRepository(self.session, self.seen)
        return self
