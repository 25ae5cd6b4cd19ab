"""Published editions in the reporting database, the unit of work that publishes them with
their `ReportPublished` event (outbox, same transaction), and the event's wire form."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import sqlalchemy as sa
from google.protobuf import timestamp_pb2
from sqlalchemy.ext.asyncio import AsyncSession

from ktxh.common.v1 import types_pb2
from ktxh.reporting.v1 import events_pb2, reporting_pb2
from ktxh_platform.db import Database
from ktxh_platform.domain.events import DomainEvent
from ktxh_platform.messaging import MessagingContext, OutgoingEvent, UnitOfWork
from ktxh_reporting.adapters.connector_store import ConnectorStore, TransmissionStore
from ktxh_reporting.adapters.key_task_store import SqlKeyTaskReads
from ktxh_reporting.adapters.read_model import ReadModel
from ktxh_reporting.adapters.tables import published_reports
from ktxh_reporting.domain.report_table import Edition, ReportKind, ReportPublished, ReportTable

__all__ = ["SqlEditionStore", "SqlReportingUnitOfWork", "edition_pb", "translate_event"]

_KIND_PB = {ReportKind.INDICATORS: reporting_pb2.REPORT_KIND_INDICATORS,
            ReportKind.MATRIX: reporting_pb2.REPORT_KIND_MATRIX,
            ReportKind.KEY_TASKS: reporting_pb2.REPORT_KIND_KEY_TASKS,
            ReportKind.TARGET_FULFILMENT: reporting_pb2.REPORT_KIND_TARGET_FULFILMENT}


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _edition(row: sa.Row) -> Edition:
    return Edition(
        id=row.id, province_code=row.province_code,
        table=ReportTable.from_dict(row.report_table), revision=row.revision,
        published_by=row.published_by, published_at=_utc(row.published_at),
        document_id=row.document_id or "", version=1,
    )


class SqlEditionStore:
    def __init__(self, session: AsyncSession, seen: list) -> None:
        self.session = session
        self.seen = seen

    async def last_revision(self, province: str, unit_code: str, period_code: str,
                            kind: ReportKind) -> int:
        t = published_reports
        return int(await self.session.scalar(
            sa.select(sa.func.coalesce(sa.func.max(t.c.revision), 0)).where(
                t.c.province_code == province, t.c.org_unit_code == unit_code,
                t.c.period_code == period_code, t.c.report_kind == kind.value)
        ) or 0)

    async def add(self, e: Edition) -> None:
        assert e.table is not None and e.published_at is not None
        await self.session.execute(sa.insert(published_reports).values(
            id=e.id, province_code=e.province_code, org_unit_code=e.table.org_unit_code,
            period_code=e.table.period_code, report_kind=e.table.kind.value,
            revision=e.revision, report_table=e.table.to_dict(),
            document_id=e.document_id or None, published_by=e.published_by,
            published_at=e.published_at,
        ))
        self.seen.append(e)

    async def get(self, province: str, edition_id: str) -> Edition | None:
        row = (await self.session.execute(sa.select(published_reports).where(
            published_reports.c.id == edition_id,
            published_reports.c.province_code == province))).first()
        return _edition(row) if row else None

    async def list(self, province: str, *, unit_codes: list[str] | None, period_code: str,
                   year: int, limit: int, offset: int) -> tuple[list[Edition], int]:
        t = published_reports
        where = [t.c.province_code == province]
        if unit_codes is not None:
            where.append(t.c.org_unit_code.in_(unit_codes))
        if period_code:
            where.append(t.c.period_code == period_code)
        if year:
            where.append(sa.or_(t.c.period_code == str(year),
                                t.c.period_code.like(f"{year}-%"),
                                t.c.period_code.like(f"@{year}-%")))
        total = await self.session.scalar(sa.select(sa.func.count()).select_from(t).where(*where))
        rows = await self.session.execute(
            sa.select(t).where(*where).order_by(t.c.published_at.desc(), t.c.id)
            .limit(limit).offset(offset))
        return [_edition(r) for r in rows], int(total or 0)


class SqlReportingUnitOfWork(UnitOfWork):
    """One transaction over the read model and the editions; ReportPublished to the outbox."""

    async def __aenter__(self) -> SqlReportingUnitOfWork:
        await super().__aenter__()
        self.read_model = ReadModel(self.session)
        self.editions = SqlEditionStore(self.session, self.seen)
        self.kind_reads = SqlKeyTaskReads(self.session)
        return self

    def connectors(self, province: str) -> ConnectorStore:
        return ConnectorStore(self.session, province)

    def transmissions(self, province: str) -> TransmissionStore:
        return TransmissionStore(self.session, province)


def edition_pb(e: Edition, *, with_table: bool = False) -> reporting_pb2.PublishedReport:
    assert e.table is not None
    out = reporting_pb2.PublishedReport(
        id=e.id, org_unit_code=e.table.org_unit_code, report_template_id=e.table.kind.value,
        period=types_pb2.Period(code=e.table.period_code), document_id=e.document_id,
        published_by=e.published_by, revision=e.revision, kind=_KIND_PB[e.table.kind],
        title=e.table.title, period_label=e.table.period_label,
        report_table_json=json.dumps(e.table.to_dict(), ensure_ascii=False) if with_table else "",
    )
    if e.published_at is not None:
        out.published_at.CopyFrom(timestamp_pb2.Timestamp(seconds=int(e.published_at.timestamp())))
    return out


def translate_event(event: DomainEvent) -> OutgoingEvent:
    match event:
        case ReportPublished(edition=e):
            return OutgoingEvent("report", e.id, e.revision,
                                 events_pb2.ReportPublished(report=edition_pb(e)))
    raise TypeError(f"no wire form for {type(event).__name__}")


def unit_of_work_factory(db: Database, messaging: MessagingContext):
    def make(actor: str) -> SqlReportingUnitOfWork:
        return SqlReportingUnitOfWork(db, messaging, actor)
    return make

