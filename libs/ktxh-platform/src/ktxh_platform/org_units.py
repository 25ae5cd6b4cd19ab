"""A service's replica of the catalog's org-unit tree, fed by the catalog's org-unit events
(created, updated, moved; a merge arrives as updates carrying successor ids). One table shape
and one consumer for every service that is not the catalog.

The table has the columns the access scope needs (`ktxh_platform.access.sql`: `id`, `code`,
`kind`, `parent_id`, `province_code`, `successor_ids`), the unit's `version`, and what screens
show of a unit: its `name` and validity (`valid_from`, `valid_to`: ISO dates, NULL = open).
A service declares it in its own metadata under its own table name (`org_unit_table`), adds it
in its migrations (`ktxh_platform.migration_ops.create_org_unit_table`), feeds it with
`OrgUnitReplica(table).handlers` in its consumer group, and asks it the usual questions
(a unit by code or id, which ids exist, is a unit in a scope) through `OrgUnitQueries`.

The handlers run inside the consumer's transaction (with the inbox row), so each event is
applied exactly once. Events of one unit arrive in order (the unit id is the record key); an
event older than the stored version is ignored, so a replay never rolls a unit back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from ktxh.catalog.v1 import catalog_pb2, events_pb2
from ktxh.common.v1 import envelope_pb2
from sqlalchemy.ext.asyncio import AsyncSession

from ktxh_platform.access.policy import Scope
from ktxh_platform.access.sql import units_in_scope

__all__ = [
    "GROUP", "OrgUnitQueries", "OrgUnitReplica", "ReplicaUnit", "org_unit_columns",
    "org_unit_table", "unit_kind",
]

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


@dataclass(frozen=True)
class ReplicaUnit:
    id: str
    code: str
    kind: str
    parent_id: str | None
    name: str | None = None


_BATCH = 500  # ids per IN (...)


class OrgUnitQueries:
    """The questions services ask their replica, in SQL; scopes as in `ktxh_platform.access.sql`."""

    def __init__(self, session: AsyncSession, table: sa.Table) -> None:
        self.session = session
        self.table = table

    async def _one(self, *where: sa.ColumnElement[bool]) -> ReplicaUnit | None:
        u = self.table.c
        row = (await self.session.execute(
            sa.select(u.id, u.code, u.kind, u.parent_id, u.name).where(*where).limit(1)
        )).first()
        return ReplicaUnit(row.id, row.code, row.kind, row.parent_id, row.name) if row else None

    async def by_code(self, province: str, code: str) -> ReplicaUnit | None:
        u = self.table.c
        return await self._one(u.code == code, u.province_code == province)

    async def by_id(self, province: str, unit_id: str) -> ReplicaUnit | None:
        u = self.table.c
        return await self._one(u.id == unit_id, u.province_code == province)

    async def kinds(self, province: str, ids: Iterable[str]) -> dict[str, str]:
        """The kind of each unit among `ids` that exists in the province."""
        u = self.table.c
        wanted = sorted(set(ids))
        found: dict[str, str] = {}
        for i in range(0, len(wanted), _BATCH):
            rows = await self.session.execute(
                sa.select(u.id, u.kind).where(u.province_code == province, u.id.in_(wanted[i:i + _BATCH]))
            )
            found.update({r.id: r.kind for r in rows})
        return found

    async def in_scope(self, scope: Scope, unit_id: str) -> bool:
        """Whether the unit exists in the scope's province and, for a unit scope, is one of the
        units it reaches."""
        u = self.table.c
        where = [u.id == unit_id, u.province_code == scope.province]
        if not scope.province_wide:
            where.append(u.id.in_(units_in_scope(scope, self.table)))
        return await self.session.scalar(sa.select(u.id).where(*where)) is not None

    async def codes_in_scope(self, scope: Scope, codes: Iterable[str]) -> set[str]:
        """The codes among `codes` of units in the scope (none for a scope limited to what was
        opened to the Front: that is about records, not units)."""
        wanted = sorted(set(codes))
        if not wanted or scope.opened_only:
            return set()
        u = self.table.c
        where = [u.code.in_(wanted), u.province_code == scope.province]
        if not scope.province_wide:
            where.append(u.id.in_(units_in_scope(scope, self.table)))
        return set((await self.session.execute(sa.select(u.code).where(*where))).scalars())
