"""Notices in SQL. Every read keeps, in the query, only the notices addressed to the reader's
own unit or home unit (looked up in the service's replica of the unit tree) of the reader's
province; per-user read state is an outer join on `notice_reads`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from ktxh_platform.access import HOME_UNIT_KINDS
from ktxh_platform.domain import Conflict
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from ktxh_notification.adapters.tables import notice_reads, notice_sources, notices, org_units
from ktxh_notification.domain.notices import Notice, Reader

_COLUMNS = (
    "id", "province_code", "unit_id", "group_key", "title", "body", "link", "source_event_type",
    "source_event_id", "item_count", "created_at", "updated_at", "group_body", "group_link",
)


def reader_units(reader: Reader) -> sa.CompoundSelect:
    """Ids of the units whose notices the reader sees: their own unit and, for an office or a
    Front committee, the unit it belongs to (`HOME_UNIT_KINDS`, as in the access policy)."""
    u = org_units
    mine = sa.and_(u.c.code == reader.unit_code, u.c.province_code == reader.province)
    return sa.union(
        sa.select(u.c.id).where(mine),
        sa.select(u.c.parent_id).where(
            mine, u.c.kind.in_(HOME_UNIT_KINDS), u.c.parent_id.is_not(None)
        ),
    )


def _visible(reader: Reader) -> sa.ColumnElement[bool]:
    return sa.and_(
        notices.c.province_code == reader.province, notices.c.unit_id.in_(reader_units(reader))
    )


def _unread(reader: Reader) -> sa.ColumnElement[bool]:
    r = notice_reads
    return ~sa.exists().where(r.c.notice_id == notices.c.id, r.c.subject == reader.subject)


def _utc(value: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes (stored in UTC)."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _to_notice(row: Any, read_at: datetime | None = None) -> Notice:
    values = {c: row[c] for c in _COLUMNS}
    values["created_at"], values["updated_at"] = _utc(row["created_at"]), _utc(row["updated_at"])
    return Notice(**values, read_at=_utc(read_at))


def _values(notice: Notice) -> dict[str, Any]:
    return {c: getattr(notice, c) for c in _COLUMNS}


class NoticeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def has_source(self, event_id: str, unit_id: str) -> bool:
        s = notice_sources
        found = await self.session.scalar(
            sa.select(s.c.notice_id).where(s.c.event_id == event_id, s.c.unit_id == unit_id)
        )
        return found is not None

    async def by_group(self, unit_id: str, group_key: str) -> Notice | None:
        # locked (PostgreSQL): two consumers gathering into one notice never lose a count
        row = (await self.session.execute(
            sa.select(notices)
            .where(notices.c.unit_id == unit_id, notices.c.group_key == group_key)
            .with_for_update()
        )).mappings().first()
        return None if row is None else _to_notice(row)

    async def _source(self, notice: Notice, event_id: str) -> None:
        await self.session.execute(sa.insert(notice_sources).values(
            event_id=event_id, unit_id=notice.unit_id, notice_id=notice.id))

    async def add(self, notice: Notice, event_id: str) -> None:
        await self.session.execute(sa.insert(notices).values(_values(notice)))
        await self._source(notice, event_id)

    async def gathered(self, notice: Notice, event_id: str) -> None:
        values = _values(notice)
        del values["id"]
        # the count is the notice's version: an update based on a stale read changes nothing
        # and fails, so the consumer retries it (SQLite has no row lock)
        done = await self.session.execute(sa.update(notices).where(
            notices.c.id == notice.id, notices.c.item_count == notice.item_count - 1).values(values))
        if done.rowcount != 1:
            raise Conflict("Thông báo vừa được cập nhật bởi sự kiện khác; thử lại.")
        await self.session.execute(sa.delete(notice_reads).where(notice_reads.c.notice_id == notice.id))
        await self._source(notice, event_id)

    def _with_read_at(self, reader: Reader) -> sa.Select:
        r = notice_reads
        return sa.select(notices, r.c.read_at).select_from(
            notices.outerjoin(r, sa.and_(r.c.notice_id == notices.c.id, r.c.subject == reader.subject))
        ).where(_visible(reader))

    async def list_for(
        self, reader: Reader, *, unread_only: bool, offset: int, limit: int
    ) -> tuple[list[Notice], int]:
        query = self._with_read_at(reader)
        if unread_only:
            query = query.where(notice_reads.c.read_at.is_(None))
        rows = (await self.session.execute(
            query.order_by(notices.c.updated_at.desc(), notices.c.id.desc()).offset(offset).limit(limit)
        )).mappings().all()
        unread = await self.session.scalar(
            sa.select(sa.func.count()).select_from(notices).where(_visible(reader), _unread(reader))
        )
        return [_to_notice(row, row["read_at"]) for row in rows], int(unread or 0)

    async def get_for(self, reader: Reader, notice_id: str) -> Notice | None:
        row = (await self.session.execute(
            self._with_read_at(reader).where(notices.c.id == notice_id)
        )).mappings().first()
        return None if row is None else _to_notice(row, row["read_at"])

    def _insert_reads(self) -> Any:
        """INSERT into notice_reads that keeps an existing row (the same user reading in two
        tabs at once keeps the first time, instead of failing)."""
        dialect = self.session.bind.dialect.name
        insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(notice_reads)
        return insert.on_conflict_do_nothing(index_elements=["notice_id", "subject"])

    async def mark_read(self, reader: Reader, notice: Notice, at: datetime) -> None:
        await self.session.execute(self._insert_reads().values(
            notice_id=notice.id, subject=reader.subject, read_at=at))

    async def mark_all_read(self, reader: Reader, at: datetime) -> int:
        unread = sa.select(notices.c.id).where(_visible(reader), _unread(reader))
        ids = (await self.session.execute(unread)).scalars().all()
        if ids:
            await self.session.execute(self._insert_reads(), [
                {"notice_id": i, "subject": reader.subject, "read_at": at} for i in ids
            ])
        return len(ids)


class UnitDirectory:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def name(self, unit_id: str) -> str:
        found = await self.session.scalar(sa.select(org_units.c.name).where(org_units.c.id == unit_id))
        return found or ""
