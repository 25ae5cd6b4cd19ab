"""The document service's unit of work on SQLAlchemy (SQLite or PostgreSQL): one transaction,
its repository, and the outbox rows written at commit by the service's one event translator
(``adapters/events.py``, bound in the composition root)."""

from __future__ import annotations

from typing import Self

from ktxh_document.adapters.repository import DocumentRepository
from ktxh_document.adapters.tables import idempotency_keys
from ktxh_platform.db import Database
from ktxh_platform.idempotency import IdempotencyRepository
from ktxh_platform.messaging import MessagingContext, UnitOfWork


class SqlDocumentUnitOfWork(UnitOfWork):
    documents: DocumentRepository
    idempotency: IdempotencyRepository

    def __init__(self, db: Database, messaging: MessagingContext, actor: str = "") -> None:
        super().__init__(db, messaging, actor)
        self.province_code = messaging.province_code

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.documents = DocumentRepository(self.session, self.seen, self.actor)
        self.idempotency = IdempotencyRepository(self.session, idempotency_keys)
        return self
