"""A service's replica of the catalog's org-unit tree, fed by the catalog's org-unit events
(created, updated, moved; a merge arrives as updates carrying successor ids). One table shape
and one consumer for every service that is not the catalog.

The table has the columns the access scope needs (`ktxh_platform.access.sql`: `id`, `code`,
`kind`, `parent_id`, `province_code`, `successor_ids`), the unit's `version`, and what screens
show of a unit: its `name` and validity (`valid_from`, `valid_to`: ISO dates, NULL = open).
A service declares it in its own metadata under its own table name (`org_unit_table`), adds it
in its migrations (`ktxh_platform.migration_ops.create_org_unit_table`), and feeds it with
`OrgUnitReplica(table).handlers` in its consumer group.

The handlers run inside the consumer's transaction (with the inbox row), so each event is
applied exactly once. Events of one unit arrive in order (the unit id is the record key); an
event older than the stored version is ignored, so a replay never rolls a unit back.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from ktxh.catalog.v1 import catalog_pb2, events_pb2
from ktxh.common.v1 import envelope_pb2
from sqlalchemy.ext.asyncio import AsyncSession

__all__ = ["GROUP", "OrgUnitReplica", "org_unit_columns", "org_unit_table", "unit_kind"]

GROUP = "org_units"  # consumer group, under the service's prefix (e.g. document.org_units)


def org_unit_columns() -> list[sa.Column[Any]]:
    """The replica's columns (fresh objects: a Column belongs to one table)."""
    return [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("name", sa.String(500), nullable=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("parent_id", sa.String(36), nullable=True),
        sa.Column("province_code", sa.String(10), nullable=False),
        sa.Column("successor_ids", sa.JSON, nullable=False),
        sa.Column("valid_from", sa.String(10), nullable=True),
        sa.Column("valid_to", sa.String(10), nullable=True),
        sa.Column("version", sa.Integer, nullable=False),
    ]


def org_unit_indexes(name: str) -> list[tuple[str, list[str]]]:
    """``(index name, columns)``: units by code within a province, children of a unit."""
    return [(f"ix_{name}_code", ["province_code", "code"]), (f"ix_{name}_parent", ["parent_id"])]


def org_unit_table(metadata: sa.MetaData, name: str = "org_units") -> sa.Table:
    return sa.Table(
        name, metadata, *org_unit_columns(),
        *(sa.Index(index, *columns) for index, columns in org_unit_indexes(name)),
    )


def unit_kind(value: int) -> str:
    """The catalog's `OrgUnitKind` as the replica and the access policy spell it (`commune`)."""
    return catalog_pb2.OrgUnitKind.Name(value).removeprefix("ORG_UNIT_KIND_").lower()


class OrgUnitReplica:
    """The consumer of the catalog's org-unit events into one service's table."""

    group = GROUP

    def __init__(self, table: sa.Table) -> None:
        self.table = table
        self.handlers = {
            events_pb2.OrgUnitCreated: self._on_unit,
            events_pb2.OrgUnitUpdated: self._on_unit,
            events_pb2.OrgUnitMoved: self._on_unit,
        }

    async def apply_unit(self, session: AsyncSession, unit: catalog_pb2.OrgUnit) -> None:
        """Store `unit` unless what is stored is as new or newer (by version)."""
        t = self.table
        current = (await session.execute(sa.select(t.c.version).where(t.c.id == unit.id))).scalar()
        values = {
            "code": unit.code, "name": unit.name, "kind": unit_kind(unit.kind),
            "parent_id": unit.parent_id or None, "province_code": unit.province_code,
            "successor_ids": list(unit.successor_ids), "valid_from": unit.valid_from or None,
            "valid_to": unit.valid_to or None, "version": unit.version,
        }
        if current is None:
            await session.execute(sa.insert(t).values(id=unit.id, **values))
        elif unit.version > current:
            await session.execute(sa.update(t).where(t.c.id == unit.id).values(**values))

    async def _on_unit(
        self,
        session: AsyncSession,
        event: events_pb2.OrgUnitCreated | events_pb2.OrgUnitUpdated | events_pb2.OrgUnitMoved,
        _: envelope_pb2.EventEnvelope,
    ) -> None:
        await self.apply_unit(session, event.unit)
