"""What the notification use cases need from a transaction, declared here and implemented in
``adapters/unit_of_work.py`` (SQLAlchemy: SQLite or PostgreSQL) and, for the fast tests, by an
in-memory fake (``tests/unit/fakes.py``).

Reads take a `Reader` and keep, in the query, only the notices addressed to the reader's own
unit or home unit: a notice of another unit is not found.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, Self

from ktxh_notification.domain.notices import Notice, Reader


class NoticeRepository(Protocol):
    async def has_source(self, event_id: str, unit_id: str) -> bool:
        """Whether this event was already turned into a notice for this unit."""
        ...

    async def by_group(self, unit_id: str, group_key: str) -> Notice | None: ...

    async def add(self, notice: Notice, event_id: str) -> None:
        """Store a new notice, recording `event_id` as one of its sources."""
        ...

    async def gathered(self, notice: Notice, event_id: str) -> None:
        """Store a notice an event was gathered into (its read states are reset)."""
        ...

    async def list_for(
        self, reader: Reader, *, unread_only: bool, offset: int, limit: int
    ) -> tuple[list[Notice], int]:
        """A page of the reader's notices, newest first, and how many of all are unread."""
        ...

    async def get_for(self, reader: Reader, notice_id: str) -> Notice | None: ...

    async def mark_read(self, reader: Reader, notice: Notice, at: datetime) -> None: ...

    async def mark_all_read(self, reader: Reader, at: datetime) -> int: ...


class UnitDirectory(Protocol):
    """The units the service knows (its replica of the catalog's tree)."""

    async def name(self, unit_id: str) -> str:
        """The unit's name, or "" when the unit is not (yet) known."""
        ...


class NotificationUnitOfWork(Protocol):
    """One transaction of the notification service with its repositories."""

    province_code: str
    notices: NoticeRepository
    units: UnitDirectory

    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *exc: object) -> None: ...
    async def commit(self) -> None: ...
