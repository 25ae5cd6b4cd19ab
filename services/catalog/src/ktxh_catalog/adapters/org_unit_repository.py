"""Queries live here. Every org-unit read and write of the catalog goes through this class."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from ktxh_catalog.adapters.tables import org_unit_history, org_units
from ktxh_catalog.domain.org_units import OrgUnit, OrgUnitKind
from ktxh_platform.access import Scope
from ktxh_platform.access.sql import scope_filter
from ktxh_platform.domain import Aggregate, PreconditionFailed
from ktxh_platform.domain.paging import decode_token, encode_token
from ktxh_platform.domain.text import fold


def _to_row(u: OrgUnit) -> dict[str, Any]:
    return {
        "id": u.id, "code": u.code, "name": u.name, "short_name": u.short_name,
        "name_folded": fold(f"{u.name} {u.short_name} {u.code}"), "kind": u.kind.value,
        "parent_id": u.parent_id, "province_code": u.province_code,
        "valid_from": u.valid_from, "valid_to": u.valid_to,
        "successor_ids": list(u.successor_ids), "version": u.version, "updated_at": u.updated_at,
    }


def _from_row(r: Any) -> OrgUnit:
    return OrgUnit(
        id=r.id, code=r.code, name=r.name, kind=OrgUnitKind(r.kind), parent_id=r.parent_id,
        province_code=r.province_code, valid_from=r.valid_from, valid_to=r.valid_to,
        short_name=r.short_name, successor_ids=list(r.successor_ids or []),
        updated_at=r.updated_at if r.updated_at.tzinfo else r.updated_at.replace(tzinfo=UTC),
        version=r.version,
    )


def _history_json(u: OrgUnit) -> dict[str, Any]:
    row = _to_row(u)
    row.pop("name_folded")
    return {k: (v.isoformat() if isinstance(v, date | datetime) else v) for k, v in row.items()}


def _in_scope(scope: Scope) -> sa.ColumnElement[bool]:
    """The access policy's scope over org units, in SQL (docs/security.md)."""
    return scope_filter(
        scope, province=org_units.c.province_code, unit_id=org_units.c.id, units=org_units
    )


def _valid_on(day: date) -> sa.ColumnElement[bool]:
    t = org_units.c
    return sa.and_(t.valid_from <= day, sa.or_(t.valid_to.is_(None), t.valid_to >= day))


class OrgUnitRepository:
    def __init__(self, session: AsyncSession, seen: list[Aggregate], actor: str = "") -> None:
        self.session = session
        self.seen = seen
        self.actor = actor

    def _track(self, unit: OrgUnit) -> OrgUnit:
        self.seen.append(unit)
        return unit

    async def get(self, unit_id: str, scope: Scope | None = None) -> OrgUnit | None:
        query = sa.select(org_units).where(org_units.c.id == unit_id)
        if scope is not None:
            query = query.where(_in_scope(scope))
        row = (await self.session.execute(query)).first()
        return self._track(_from_row(row)) if row else None

    async def get_by_code(self, province_code: str, code: str) -> OrgUnit | None:
        row = (
            await self.session.execute(
                sa.select(org_units).where(
                    org_units.c.province_code == province_code, org_units.c.code == code
                )
            )
        ).first()
        return _from_row(row) if row else None

    async def ancestors(self, unit_id: str) -> list[str]:
        """Ids from ``unit_id``'s parent up to the root (recursive CTE on both databases)."""

        t = org_units
        start = sa.select(t.c.id, t.c.parent_id).where(t.c.id == unit_id).cte(recursive=True)
        up = start.union_all(sa.select(t.c.id, t.c.parent_id).where(t.c.id == start.c.parent_id))
        rows = (await self.session.execute(sa.select(up.c.id))).scalars().all()
        return [r for r in rows if r != unit_id]

    async def descendants(
        self, root_id: str, as_of: date | None, scope: Scope | None = None
    ) -> list[OrgUnit]:
        t = org_units
        down = sa.select(t.c.id).where(t.c.id == root_id).cte(recursive=True)
        down = down.union_all(sa.select(t.c.id).where(t.c.parent_id == down.c.id))
        query = sa.select(t).where(t.c.id.in_(sa.select(down.c.id)))
        if as_of:
            query = query.where(_valid_on(as_of))
        if scope is not None:
            query = query.where(_in_scope(scope))
        return [_from_row(r) for r in (await self.session.execute(query)).all()]

    async def all(
        self, province_code: str, as_of: date | None, scope: Scope | None = None
    ) -> list[OrgUnit]:
        query = sa.select(org_units).where(org_units.c.province_code == province_code)
        if as_of:
            query = query.where(_valid_on(as_of))
        if scope is not None:
            query = query.where(_in_scope(scope))
        return [_from_row(r) for r in (await self.session.execute(query)).all()]

    async def list(
        self,
        province_code: str,
        *,
        parent_id: str | None = None,
        kind: OrgUnitKind | None = None,
        query: str = "",
        as_of: date | None = None,
        page_size: int = 100,
        page_token: str = "",
        scope: Scope | None = None,
    ) -> tuple[list[OrgUnit], str, int]:
        t = org_units.c
        where = [t.province_code == province_code]
        if scope is not None:
            where.append(_in_scope(scope))
        if parent_id:
            where.append(t.parent_id == parent_id)
        if kind:
            where.append(t.kind == kind.value)
        for word in fold(query).split():
            where.append(t.name_folded.contains(word, autoescape=True))
        if as_of:
            where.append(_valid_on(as_of))
        total = await self.session.scalar(sa.select(sa.func.count()).select_from(org_units).where(*where))
        offset = decode_token(page_token)
        rows = (
            await self.session.execute(
                sa.select(org_units).where(*where).order_by(t.kind, t.code)
                .offset(offset).limit(page_size)
            )
        ).all()
        next_offset = offset + len(rows)
        token = encode_token(next_offset) if next_offset < (total or 0) else ""
        return [_from_row(r) for r in rows], token, int(total or 0)

    async def add(self, unit: OrgUnit) -> None:
        await self.session.execute(sa.insert(org_units).values(**_to_row(unit)))
        await self._history(unit, "create", None)
        self._track(unit)

    async def save(self, unit: OrgUnit, before: OrgUnit, action: str, reason: str = "") -> None:
        """Write a changed unit; the version check makes concurrent writers fail, not merge."""

        result = await self.session.execute(
            sa.update(org_units)
            .where(org_units.c.id == unit.id, org_units.c.version == before.version)
            .values(**_to_row(unit))
        )
        if result.rowcount != 1:
            raise PreconditionFailed("Đơn vị đã được người khác sửa; vui lòng tải lại")
        await self._history(unit, action, before, reason)

    async def _history(
        self, unit: OrgUnit, action: str, before: OrgUnit | None, reason: str = ""
    ) -> None:
        await self.session.execute(
            sa.insert(org_unit_history).values(
                unit_id=unit.id, version=unit.version, action=action, actor=self.actor,
                changed_at=datetime.now(UTC), before=_history_json(before) if before else None,
                after=_history_json(unit), reason=reason,
            )
        )

    async def history(self, unit_id: str) -> list[dict[str, Any]]:
        h = org_unit_history
        rows = (
            await self.session.execute(sa.select(h).where(h.c.unit_id == unit_id).order_by(h.c.seq))
        ).all()
        return [dict(r._mapping) for r in rows]

