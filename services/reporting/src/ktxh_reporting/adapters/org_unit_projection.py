"""Projection of catalog org-unit events into the reporting read model.

Runs inside the consumer's transaction (with the inbox row), so each event's effect is applied
exactly once. Events of one unit arrive in order (the unit id is the record key); an event older
than what is stored is ignored, so a replay never rolls a unit back.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from ktxh.catalog.v1 import catalog_pb2, events_pb2
from ktxh.common.v1 import envelope_pb2
from sqlalchemy.ext.asyncio import AsyncSession

from ktxh_reporting.adapters.tables import inbox, org_units_rm


def _kind(value: int) -> str:
    return catalog_pb2.OrgUnitKind.Name(value).removeprefix("ORG_UNIT_KIND_").lower()


async def apply_unit(session: AsyncSession, unit: catalog_pb2.OrgUnit) -> None:
    t = org_units_rm
    current = (await session.execute(sa.select(t.c.version).where(t.c.id == unit.id))).scalar()
    values = {
        "code": unit.code, "name": unit.name, "kind": _kind(unit.kind),
        "parent_id": unit.parent_id or None, "province_code": unit.province_code,
        "valid_from": unit.valid_from, "valid_to": unit.valid_to, "version": unit.version,
        "successor_ids": list(unit.successor_ids),
    }
    if current is None:
        await session.execute(sa.insert(t).values(id=unit.id, events_applied=1, **values))
    elif unit.version > current:
        await session.execute(
            sa.update(t).where(t.c.id == unit.id)
            .values(events_applied=t.c.events_applied + 1, **values)
        )


async def on_created(session: AsyncSession, event: events_pb2.OrgUnitCreated, _: envelope_pb2.EventEnvelope) -> None:
    await apply_unit(session, event.unit)


async def on_updated(session: AsyncSession, event: events_pb2.OrgUnitUpdated, _: envelope_pb2.EventEnvelope) -> None:
    await apply_unit(session, event.unit)


async def on_moved(session: AsyncSession, event: events_pb2.OrgUnitMoved, _: envelope_pb2.EventEnvelope) -> None:
    await apply_unit(session, event.unit)


HANDLERS = {
    events_pb2.OrgUnitCreated: on_created,
    events_pb2.OrgUnitUpdated: on_updated,
    events_pb2.OrgUnitMoved: on_moved,
}


class OrgUnitReadModel:
    """Queries of the read model."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def stats(self, province_code: str, group: str, today: date) -> tuple[dict[str, int], int]:
        t = org_units_rm.c
        day = today.isoformat()
        rows = (
            await self.session.execute(
                sa.select(t.kind, sa.func.count())
                .where(
                    t.province_code == province_code, t.valid_from <= day,
                    sa.or_(t.valid_to == "", t.valid_to >= day),
                )
                .group_by(t.kind)
            )
        ).all()
        applied = await self.session.scalar(
            sa.select(sa.func.count()).select_from(inbox).where(inbox.c.consumer_group == group)
        )
        return {kind: int(n) for kind, n in rows}, int(applied or 0)
