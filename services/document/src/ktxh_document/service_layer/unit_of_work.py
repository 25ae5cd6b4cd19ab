"""What the document use cases need from a transaction, declared here and implemented in
``adapters/unit_of_work.py`` (SQLAlchemy: SQLite or PostgreSQL, with the outbox) and, for the
fast tests, by an in-memory fake (``tests/unit/fakes.py``).

One use case opens one unit of work; nothing is written unless it calls ``commit()``, and the
events the aggregates recorded are written to the outbox in the same transaction.
"""

from __future__ import annotations

from typing import Protocol, Self

from ktxh_document.domain.documents import Document, DocumentKind, DocumentVersion
from ktxh_platform.access import Scope
from ktxh_platform.domain import Aggregate
from ktxh_platform.domain.idempotency import IdempotencyStore


class DocumentRepository(Protocol):
    """Every read takes the caller's `Scope` and applies it in the query: a document outside
    it is not found; `unit_in_scope` answers whether an org unit (by code) is inside it."""

    async def get(self, document_id: str, scope: Scope) -> Document | None: ...
    async def unit_in_scope(self, unit_code: str, scope: Scope) -> bool: ...
    async def list(
        self, scope: Scope, *, owner_type: str = "",
        owner_id: str = "", owner_org_unit_code: str = "", kind: DocumentKind | None = None,
        page_size: int = 100, page_token: str = "",
    ) -> tuple[list[Document], str, int]: ...
    async def add(self, doc: Document) -> None: ...
    async def add_version(
        self, doc: Document, version: DocumentVersion, before_version: int
    ) -> None: ...
    async def save_verification(
        self, doc: Document, version: DocumentVersion, before_version: int
    ) -> None: ...


class DocumentUnitOfWork(Protocol):
    """One transaction of the document service with its repository."""

    province_code: str
    seen: list[Aggregate]  # aggregates whose recorded events go to the outbox at commit
    documents: DocumentRepository
    idempotency: IdempotencyStore

    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *exc: object) -> None: ...
    async def commit(self) -> None: ...
