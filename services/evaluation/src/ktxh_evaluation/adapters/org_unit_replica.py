"""The evaluation service's replica of the catalog's org-unit tree, fed by the catalog's
org-unit events (created, updated, moved; a merge arrives as updates carrying successor ids).

Runs inside the consumer's transaction (with the inbox row), so each event is applied exactly
once. Events of one unit arrive in order (the unit id is the record key); an event older than
the stored version is ignored, so a replay never rolls a unit back. Only the columns the access
scope needs are kept (`ktxh_platform.access.sql`).
"""

from __future__ import annotations

import sqlalchemy as sa
from ktxh.catalog.v1 import catalog_pb2, events_pb2
from ktxh.common.v1 import envelope_pb2
from sqlalchemy.ext.asyncio import AsyncSession

from ktxh_evaluation.adapters.tables import org_units

GROUP = "org_units"  # consumer group (evaluation.org_units)


def _kind(value: int) -> str:
    return catalog_pb2.OrgUnitKind.Name(value).removeprefix("ORG_UNIT_KIND_").lower()


async def apply_unit(session: AsyncSession, unit: catalog_pb2.OrgUnit) -> None:
    t = org_units
    current = (await session.execute(sa.select(t.c.version).where(t.c.id == unit.id))).scalar()
    values = {
        "code": unit.code, "kind": _kind(unit.kind), "parent_id": unit.parent_id or None,
        "province_code": unit.province_code, "successor_ids": list(unit.successor_ids),
        "version": unit.version,
    }
    if current is None:
        await session.execute(sa.insert(t).values(id=unit.id, **values))
    elif unit.version > current:
        await session.execute(sa.update(t).where(t.c.id == unit.id).values(**values))


async def _on_unit(
    session: AsyncSession,
    event: events_pb2.OrgUnitCreated | events_pb2.OrgUnitUpdated | events_pb2.OrgUnitMoved,
    _: envelope_pb2.EventEnvelope,
) -> None:
    await apply_unit(session, event.unit)


HANDLERS = {
    events_pb2.OrgUnitCreated: _on_unit,
    events_pb2.OrgUnitUpdated: _on_unit,
    events_pb2.OrgUnitMoved: _on_unit,
}
