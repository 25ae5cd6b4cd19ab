"""Queries for the versioned catalog items (everything but org units).

One generic store: ``catalog_items`` (identity, latest state) and ``catalog_item_versions``
(every revision; the append-only history). Payloads are stored in the JSON import/export
shape (``json_io.to_data``) and decoded back into the domain dataclasses.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ktxh_catalog.adapters.json_io import COLLECTION_TYPES, from_data, to_data
from ktxh_catalog.adapters.tables import (
    catalog_item_versions,
    catalog_items,
    org_unit_history,
    org_units,
)
from ktxh_catalog.domain.catalog_items import KIND_COLLECTIONS
from ktxh_catalog.domain.references import References
from ktxh_catalog.domain.search import search_text, tokens
from ktxh_catalog.domain.versioning import ChangeEntry, Version, VersionedItem, diff
from ktxh_platform.domain import Aggregate, Conflict, FieldViolation, PreconditionFailed


KIND_TYPES: dict[str, type] = {k: COLLECTION_TYPES[c] for k, c in KIND_COLLECTIONS.items()}


def display_name(payload: Any) -> str:
    for attr in ("name", "title"):
        value = getattr(payload, attr, None)
        if value:
            return str(value)
    code = getattr(payload, "indicator_code", "")
    if code:  # period target
        return f"{code} ({payload.start_year}–{payload.end_year})"
    return str(getattr(payload, "code", ""))


def item_search_text(payload: Any) -> str:
    parts = [getattr(payload, "code", ""), display_name(payload)]
    for attr in ("indicator_code", "org_unit_code", "note"):  # period targets have no name
        if hasattr(payload, attr) and not hasattr(payload, "name"):
            parts.append(getattr(payload, attr))
    return search_text(*parts)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _action(prev: Version[Any] | None, ver: Version[Any]) -> str:
    if prev is None:
        return "created"
    if ver.retired:
        return "retired"
    return "reinstated" if prev.retired else "revised"


def decode_payload(kind: str, data: Any) -> Any:
    value, errors = from_data(KIND_TYPES[kind], data)
    if errors:  # stored data always decodes; anything else is a bug worth a loud failure
        raise ValueError(f"stored {kind} does not decode: {errors}")
    return value


class ItemRepository:
    """Every read and write of the versioned catalog items."""

    def __init__(
        self, session: AsyncSession, seen: list[Aggregate], actor: str, province_code: str
    ) -> None:
        self.session = session
        self.seen = seen
        self.actor = actor
        self.province_code = province_code

    # ------------------------------------------------------------------ reading

    async def _versions(self, item_ids: Iterable[str]) -> dict[str, list[Any]]:
        ids = list(item_ids)
        out: dict[str, list[Any]] = {i: [] for i in ids}
        v = catalog_item_versions.c
        for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
            rows = (
                await self.session.execute(
                    sa.select(catalog_item_versions).where(v.item_id.in_(chunk))
                    .order_by(v.item_id, v.number)
                )
            ).all()
            for r in rows:
                out[r.item_id].append(r)
        return out

    @staticmethod
    def _build(kind: str, row: Any, versions: list[Any]) -> VersionedItem[Any]:
        item: VersionedItem[Any] = VersionedItem(kind=kind, code=row.code, id=row.id)
        for r in versions:
            item.versions.append(Version(
                r.number, decode_payload(kind, r.payload), r.effective_from, r.effective_to,
                r.retired, r.author, _aware(r.recorded_at), r.reason,
            ))
        item.version = row.version
        return item

    async def get(self, item_id: str, kind: str | None = None) -> VersionedItem[Any] | None:
        c = catalog_items.c
        where = [c.id == item_id, c.province_code == self.province_code]
        if kind:
            where.append(c.kind == kind)
        row = (await self.session.execute(sa.select(catalog_items).where(*where))).first()
        if row is None:
            return None
        item = self._build(row.kind, row, (await self._versions([row.id]))[row.id])
        self.seen.append(item)
        return item

    async def get_by_code(self, kind: str, code: str) -> VersionedItem[Any] | None:
        c = catalog_items.c
        row = (
            await self.session.execute(
                sa.select(catalog_items).where(
                    c.province_code == self.province_code, c.kind == kind, c.code == code
                )
            )
        ).first()
        if row is None:
            return None
        item = self._build(kind, row, (await self._versions([row.id]))[row.id])
        self.seen.append(item)
        return item

    async def find(self, kind: str, id_or_code: str) -> VersionedItem[Any] | None:
        """By id, or by code when no item has that id."""
        if not id_or_code:
            return None
        return await self.get(id_or_code, kind) or await self.get_by_code(kind, id_or_code)

    async def all_items(self, kind: str | None = None) -> list[VersionedItem[Any]]:
        c = catalog_items.c
        query = sa.select(catalog_items).where(c.province_code == self.province_code)
        if kind:
            query = query.where(c.kind == kind)
        rows = (await self.session.execute(query.order_by(c.kind, c.code))).all()
        versions = await self._versions(r.id for r in rows)
        return [self._build(r.kind, r, versions[r.id]) for r in rows]

    async def in_force(
        self,
        kind: str,
        day: date,
        *,
        include_retired: bool = False,
        query: str = "",
    ) -> list[tuple[VersionedItem[Any], Version[Any]]]:
        """Items of ``kind`` with their revision in force on ``day`` (retired ones only with
        ``include_retired``), whose name or code matches every word of ``query`` (diacritics
        and case ignored), ordered by code."""
        c, v = catalog_items.c, catalog_item_versions.c
        where = [
            c.province_code == self.province_code, c.kind == kind,
            v.effective_from <= day, sa.or_(v.effective_to.is_(None), v.effective_to > day),
        ]
        if not include_retired:
            where.append(v.retired.is_(False))
        for word in tokens(query):
            where.append(v.search_text.contains(word, autoescape=True))
        rows = (
            await self.session.execute(
                sa.select(c.id).select_from(catalog_items.join(
                    catalog_item_versions, v.item_id == c.id)).where(*where).order_by(c.code)
            )
        ).scalars().all()
        if not rows:
            return []
        item_rows = {
            r.id: r for r in (
                await self.session.execute(sa.select(catalog_items).where(c.id.in_(rows)))
            ).all()
        }
        versions = await self._versions(rows)
        out = []
        for item_id in rows:
            item = self._build(kind, item_rows[item_id], versions[item_id])
            ver = item.as_of(day)
            if ver is not None:
                out.append((item, ver))
        return out

    async def active_payloads(self, kind: str, day: date) -> dict[str, Any]:
        """Code -> payload of every item of ``kind`` in force and not retired on ``day``."""
        c, v = catalog_items.c, catalog_item_versions.c
        rows = (
            await self.session.execute(
                sa.select(c.code, v.payload).select_from(
                    catalog_items.join(catalog_item_versions, v.item_id == c.id)
                ).where(
                    c.province_code == self.province_code, c.kind == kind,
                    v.effective_from <= day,
                    sa.or_(v.effective_to.is_(None), v.effective_to > day),
                    v.retired.is_(False),
                )
            )
        ).all()
        return {r.code: decode_payload(kind, r.payload) for r in rows}

    async def references(self) -> References:
        c = catalog_items.c
        rows = (
            await self.session.execute(
                sa.select(c.id, c.kind, c.code).where(c.province_code == self.province_code)
            )
        ).all()
        units = (
            await self.session.execute(
                sa.select(org_units.c.id, org_units.c.code).where(
                    org_units.c.province_code == self.province_code
                )
            )
        ).all()
        return References(
            {(r.kind, r.code): r.id for r in rows}, {r.id: (r.kind, r.code) for r in rows},
            {u.code: u.id for u in units}, {u.id: u.code for u in units},
        )

    async def org_unit_exists(self, code: str) -> bool:
        return bool(await self.session.scalar(
            sa.select(sa.func.count()).select_from(org_units).where(
                org_units.c.province_code == self.province_code, org_units.c.code == code
            )
        ))

    async def count(self) -> int:
        return int(await self.session.scalar(
            sa.select(sa.func.count()).select_from(catalog_items).where(
                catalog_items.c.province_code == self.province_code
            )
        ) or 0)

    # ------------------------------------------------------------------ writing

    def _version_row(self, item: VersionedItem[Any], index: int) -> dict[str, Any]:
        ver = item.versions[index]
        prev = item.versions[index - 1] if index else None
        changes = {
            name: [to_data(b), to_data(a)]
            for name, (b, a) in diff(prev.payload if prev else None, ver.payload).items()
        }
        return {
            "item_id": item.id, "number": ver.number, "action": _action(prev, ver),
            "effective_from": ver.effective_from, "effective_to": ver.effective_to,
            "retired": ver.retired, "author": ver.author, "recorded_at": ver.recorded_at,
            "reason": ver.reason, "payload": to_data(ver.payload), "changes": changes,
            "search_text": item_search_text(ver.payload),
        }

    def _item_values(self, item: VersionedItem[Any]) -> dict[str, Any]:
        latest = item.latest
        return {
            "name": display_name(latest.payload), "version": item.version,
            "retired": latest.retired, "search_text": item_search_text(latest.payload),
            "updated_at": latest.recorded_at,
        }

    async def add(self, item: VersionedItem[Any]) -> None:
        try:
            await self.session.execute(sa.insert(catalog_items).values(
                id=item.id, kind=item.kind, code=item.code, province_code=self.province_code,
                created_at=item.versions[0].recorded_at, **self._item_values(item),
            ))
        except IntegrityError as exc:  # a concurrent create with the same code won; the
            # transaction is spoilt, so this ends the use case
            raise Conflict(f"Mã '{item.code}' đã tồn tại",
                           [FieldViolation("code", f"Mã '{item.code}' đã tồn tại")]) from exc
        await self.session.execute(
            sa.insert(catalog_item_versions),
            [self._version_row(item, i) for i in range(len(item.versions))],
        )
        self._track(item)

    async def save(self, item: VersionedItem[Any], stored_version: int) -> None:
        """Write the revisions added since ``stored_version`` (the number of revisions the
        item had when loaded). A concurrent writer makes this fail, never merge."""
        result = await self.session.execute(
            sa.update(catalog_items).where(
                catalog_items.c.id == item.id, catalog_items.c.version == stored_version
            ).values(**self._item_values(item))
        )
        if result.rowcount != 1:
            raise PreconditionFailed(
                f"Danh mục '{item.code}' đã được người khác sửa; vui lòng tải lại"
            )
        v = catalog_item_versions.c
        if stored_version:
            await self.session.execute(
                sa.update(catalog_item_versions).where(
                    v.item_id == item.id, v.number == stored_version
                ).values(effective_to=item.versions[stored_version - 1].effective_to)
            )
        await self.session.execute(
            sa.insert(catalog_item_versions),
            [self._version_row(item, i) for i in range(stored_version, len(item.versions))],
        )
        self._track(item)

    def _track(self, item: VersionedItem[Any]) -> None:
        if not any(x is item for x in self.seen):
            self.seen.append(item)

    # ------------------------------------------------------------------ history

    async def history(
        self,
        *,
        aggregate_type: str = "",
        aggregate_id: str = "",
        since: datetime | None = None,
        limit: int,
        offset: int,
    ) -> tuple[list[ChangeEntry], int]:
        """Changes of catalog items (and of org units when ``aggregate_type`` is empty or
        ``org_unit``), oldest first."""
        want_units = aggregate_type in ("", "org_unit")
        want_items = aggregate_type != "org_unit"
        rows: list[ChangeEntry] = []
        total = 0
        if want_items:
            c, v = catalog_items.c, catalog_item_versions.c
            where = [c.province_code == self.province_code]
            if aggregate_type:
                where.append(c.kind == aggregate_type)
            if aggregate_id:
                where.append(c.id == aggregate_id)
            if since:
                where.append(v.recorded_at >= since)
            join = catalog_items.join(catalog_item_versions, v.item_id == c.id)
            total += int(await self.session.scalar(
                sa.select(sa.func.count()).select_from(join).where(*where)) or 0)
            found = (
                await self.session.execute(
                    sa.select(c.kind, c.id, v.number, v.action, v.author, v.recorded_at,
                              v.changes, v.payload, v.reason, v.effective_from)
                    .select_from(join).where(*where)
                    .order_by(v.recorded_at, c.id, v.number).limit(offset + limit)
                )
            ).all()
            for r in found:
                changes = r.changes or {}
                if r.action == "created":
                    before, after = None, r.payload
                else:
                    before = {k: b for k, (b, _a) in changes.items()}
                    after = {k: a for k, (_b, a) in changes.items()}
                after = {**(after or {}), "effective_from": r.effective_from.isoformat()}
                rows.append(ChangeEntry(r.kind, r.id, r.number, r.action, r.author,
                                       _aware(r.recorded_at), before, after, r.reason))
        if want_units:
            h = org_unit_history.c
            where = [org_units.c.province_code == self.province_code]
            if aggregate_id:
                where.append(h.unit_id == aggregate_id)
            if since:
                where.append(h.changed_at >= since)
            join = org_unit_history.join(org_units, org_units.c.id == h.unit_id)
            total += int(await self.session.scalar(
                sa.select(sa.func.count()).select_from(join).where(*where)) or 0)
            found = (
                await self.session.execute(
                    sa.select(h.unit_id, h.version, h.action, h.actor, h.changed_at, h.before,
                              h.after)
                    .select_from(join).where(*where).order_by(h.changed_at, h.seq)
                    .limit(offset + limit)
                )
            ).all()
            rows += [
                ChangeEntry("org_unit", r.unit_id, r.version, r.action, r.actor,
                           _aware(r.changed_at), r.before, r.after, "")
                for r in found
            ]
        rows.sort(key=lambda r: r.occurred_at)
        return rows[offset:offset + limit], total
