"""The notification service's units of work on SQLAlchemy (SQLite or PostgreSQL).

`SqlNotificationUnitOfWork` opens its own transaction (the RPC use cases).
`ConsumerUnitOfWork` joins the transaction the platform's consumer opened for one event, in
which the inbox row is written too: its `commit()` leaves the commit to the consumer, so the
notice and the record that the event was handled are one atomic write.
"""

from __future__ import annotations

from typing import Self

from ktxh_platform.db import Database
from ktxh_platform.messaging import MessagingContext, UnitOfWork
from sqlalchemy.ext.asyncio import AsyncSession

from ktxh_notification.adapters.repository import NoticeRepository, UnitDirectory


class SqlNotificationUnitOfWork(UnitOfWork):
    notices: NoticeRepository
    units: UnitDirectory

    def __init__(self, db: Database, messaging: MessagingContext, actor: str = "") -> None:
        super().__init__(db, messaging, actor)
        self.province_code = messaging.province_code

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self.notices = NoticeRepository(self.session)
        self.units = UnitDirectory(self.session)
        return self


class ConsumerUnitOfWork:
    def __init__(self, session: AsyncSession, province_code: str) -> None:
        self.session = session
        self.province_code = province_code
        self.notices = NoticeRepository(session)
        self.units = UnitDirectory(session)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None  # the consumer's transaction rolls back on an error

    async def commit(self) -> None:
        await self.session.flush()
