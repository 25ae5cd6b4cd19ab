"""Connectors and their delivery log (transmissions) in the reporting database."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from ktxh_platform.db import Database
from ktxh_platform.domain import Conflict, NotFound
from ktxh_reporting.adapters.tables import connectors, transmissions
from ktxh_reporting.domain.connector import (
    Connector,
    ConnectorKind,
    DeliveryStatus,
    IndicatorMapping,
    OutgoingRecord,
    Transmission,
)

__all__ = ["ConnectorStore", "SqlDeliveryLog", "TransmissionStore"]


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _connector(row: sa.Row) -> Connector:
    return Connector(
        id=row.id, code=row.code, name=row.name, kind=ConnectorKind(row.kind),
        endpoint=row.endpoint, credentials_secret=row.credentials_secret,
        external_unit_code=row.external_unit_code,
        mappings=tuple(
            IndicatorMapping(m["figure_key"], m["external_code"], m.get("external_unit", ""),
                             Decimal(m.get("scale_factor") or "1"))
            for m in row.mappings
        ),
        unit_mappings=dict(row.unit_mappings), enabled=row.enabled, version=row.version,
    )


def _connector_values(c: Connector) -> dict:
    return {
        "code": c.code, "name": c.name, "kind": c.kind.value, "endpoint": c.endpoint,
        "credentials_secret": c.credentials_secret, "external_unit_code": c.external_unit_code,
        "mappings": [
            {"figure_key": m.figure_key, "external_code": m.external_code,
             "external_unit": m.external_unit, "scale_factor": str(m.scale_factor)}
            for m in c.mappings
        ],
        "unit_mappings": dict(c.unit_mappings), "enabled": c.enabled, "version": c.version,
    }


class ConnectorStore:
    def __init__(self, session: AsyncSession, province_code: str | None) -> None:
        self.session = session
        self.province = province_code  # None: the delivery worker, which serves every province

    @classmethod
    def for_system(cls, session: AsyncSession) -> ConnectorStore:
        return cls(session, None)

    def _scope(self) -> list[sa.ColumnElement[bool]]:
        return [] if self.province is None else [connectors.c.province_code == self.province]

    async def add(self, c: Connector, actor: str, now: datetime) -> None:
        taken = await self.session.scalar(
            sa.select(sa.func.count()).select_from(connectors).where(connectors.c.code == c.code)
        )
        if taken:
            raise Conflict(f"Mã kết nối {c.code} đã được dùng")
        await self.session.execute(
            sa.insert(connectors).values(
                id=c.id, province_code=self.province or "", created_by=actor, created_at=now,
                updated_by=actor, updated_at=now, **_connector_values(c),
            )
        )

    async def get(self, connector_id: str) -> Connector:
        row = (await self.session.execute(
            sa.select(connectors).where(connectors.c.id == connector_id, *self._scope())
        )).first()
        if row is None:
            raise NotFound(f"Không tìm thấy kết nối {connector_id}")
        return _connector(row)

    async def update(self, c: Connector, expected_version: int, actor: str,
                     now: datetime) -> Connector:
        c.version = expected_version + 1
        done = await self.session.execute(
            sa.update(connectors)
            .where(connectors.c.id == c.id, connectors.c.version == expected_version,
                   *self._scope())
            .values(updated_by=actor, updated_at=now, **_connector_values(c))
        )
        if done.rowcount != 1:
            await self.get(c.id)  # NotFound if it does not exist
            raise Conflict("Kết nối đã được người khác sửa; hãy tải lại rồi sửa tiếp")
        return c

    async def list(self, kind: ConnectorKind | None = None, *, enabled_only: bool = False,
                   limit: int = 500, offset: int = 0) -> tuple[list[Connector], int]:
        where = self._scope()
        if kind is not None:
            where.append(connectors.c.kind == kind.value)
        if enabled_only:
            where.append(connectors.c.enabled.is_(True))
        total = await self.session.scalar(
            sa.select(sa.func.count()).select_from(connectors).where(*where)
        )
        rows = await self.session.execute(
            sa.select(connectors).where(*where).order_by(connectors.c.code)
            .limit(limit).offset(offset)
        )
        return [_connector(r) for r in rows], int(total or 0)


def _records_json(records: Sequence[OutgoingRecord]) -> list[dict]:
    return [
        {**r.payload(), "figure_key": r.figure_key, "figure_version": r.figure_version}
        for r in records
    ]


def _transmission(row: sa.Row) -> Transmission:
    return Transmission(
        id=row.id, connector_id=row.connector_id, org_unit_code=row.org_unit_code,
        period_code=row.period_code,
        records=tuple(
            OutgoingRecord(r["idempotency_key"], r["indicator_code"], r["unit_code"],
                           r["period"], r["value"], r["unit_of_measure"], r["figure_key"],
                           int(r["figure_version"]))
            for r in row.records
        ),
        requested_by=row.requested_by, requested_at=_utc(row.requested_at),
        status=DeliveryStatus(row.status), attempts=row.attempts,
        next_attempt_at=_utc(row.next_attempt_at), error=row.error,
        external_reference=row.external_reference, acknowledged_at=_utc(row.acknowledged_at),
        source=row.source,
    )


class TransmissionStore:
    """The delivery log. Rows are scoped to the province through their connector."""

    def __init__(self, session: AsyncSession, province_code: str | None) -> None:
        self.session = session
        self.province = province_code  # None: the delivery worker

    @classmethod
    def for_system(cls, session: AsyncSession) -> TransmissionStore:
        return cls(session, None)

    def _in_province(self) -> sa.ColumnElement[bool]:
        if self.province is None:
            return sa.true()
        return transmissions.c.connector_id.in_(
            sa.select(connectors.c.id).where(connectors.c.province_code == self.province)
        )

    async def add_once(self, t: Transmission) -> bool:
        """Adds it unless one with the same source exists for the connector (a redelivered
        event); True if added."""
        exists = await self.session.scalar(
            sa.select(sa.func.count()).select_from(transmissions).where(
                transmissions.c.connector_id == t.connector_id,
                transmissions.c.source == t.source,
            )
        )
        if exists:
            return False
        await self.session.execute(
            sa.insert(transmissions).values(
                id=t.id, connector_id=t.connector_id, org_unit_code=t.org_unit_code,
                period_code=t.period_code, source=t.source, records=_records_json(t.records),
                status=t.status.value, attempts=t.attempts, next_attempt_at=t.next_attempt_at,
                error=t.error, external_reference=t.external_reference,
                requested_by=t.requested_by, requested_at=t.requested_at,
                acknowledged_at=t.acknowledged_at,
            )
        )
        return True

    async def get(self, transmission_id: str) -> Transmission:
        row = (await self.session.execute(
            sa.select(transmissions).where(transmissions.c.id == transmission_id,
                                           self._in_province())
        )).first()
        if row is None:
            raise NotFound(f"Không tìm thấy lần gửi {transmission_id}")
        return _transmission(row)

    async def save(self, t: Transmission) -> None:
        await self.session.execute(
            sa.update(transmissions).where(transmissions.c.id == t.id).values(
                status=t.status.value, attempts=t.attempts, next_attempt_at=t.next_attempt_at,
                error=t.error, external_reference=t.external_reference,
                acknowledged_at=t.acknowledged_at,
            )
        )

    async def list(self, connector_id: str = "", status: DeliveryStatus | None = None,
                   limit: int = 50, offset: int = 0) -> tuple[list[Transmission], int]:
        where = [self._in_province()]
        if connector_id:
            where.append(transmissions.c.connector_id == connector_id)
        if status is not None:
            where.append(transmissions.c.status == status.value)
        total = await self.session.scalar(
            sa.select(sa.func.count()).select_from(transmissions).where(*where)
        )
        rows = await self.session.execute(
            sa.select(transmissions).where(*where)
            .order_by(transmissions.c.requested_at.desc(), transmissions.c.id)
            .limit(limit).offset(offset)
        )
        return [_transmission(r) for r in rows], int(total or 0)

    async def claim_due(self, now: datetime, lease: timedelta, limit: int) -> list[Transmission]:
        """Pending transmissions whose time has come, leased to this worker: their next attempt
        is pushed `lease` ahead, so another worker (or this one after a crash) takes them again
        only once the lease has run out. Rows locked by another worker are skipped."""
        rows = (await self.session.execute(
            sa.select(transmissions)
            .where(transmissions.c.status == DeliveryStatus.PENDING.value,
                   transmissions.c.next_attempt_at <= now)
            .order_by(transmissions.c.next_attempt_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )).all()
        if rows:
            await self.session.execute(
                sa.update(transmissions)
                .where(transmissions.c.id.in_([r.id for r in rows]))
                .values(next_attempt_at=now + lease)
            )
        return [_transmission(r) for r in rows]


class SqlDeliveryLog:
    """The delivery worker's view of the log (service_layer.connector_delivery.DeliveryLog)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def claim_due(self, now: datetime, lease: timedelta, limit: int) -> list[Transmission]:
        async with self.db.sessions() as session, session.begin():
            return await TransmissionStore.for_system(session).claim_due(now, lease, limit)

    async def connector(self, connector_id: str) -> Connector:
        async with self.db.sessions() as session:
            return await ConnectorStore.for_system(session).get(connector_id)

    async def record(self, transmission: Transmission) -> None:
        async with self.db.sessions() as session, session.begin():
            await TransmissionStore.for_system(session).save(transmission)
