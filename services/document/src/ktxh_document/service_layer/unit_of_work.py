from __future__ import annotations

from ktxh_document.adapters.repository import DocumentRepository
from ktxh_platform.db import Database
from ktxh_platform.messaging import MessagingContext, UnitOfWork


class DocumentUnitOfWork(UnitOfWork):
    """The document service's transaction with its repository."""

    documents: DocumentRepository

    def __init__(self, db: Database, messaging: MessagingContext, actor: str = "") -> None:
        super().__init__(db, messaging, actor)
        self.province_code = messaging.province_code

    async def __aenter__(self) -> DocumentUnitOfWork:
        await super().__aenter__()
        self.documents = DocumentRepository(self.session, self.seen, self.actor)
        return self
