"""An in-memory unit of work for the fast use-case tests: the same protocol as
``adapters/unit_of_work.py`` (``service_layer/unit_of_work.py``), no database, no I/O. Given to the tests as the
``store`` and ``fake_uow`` fixtures.

A transaction works on a deep copy of the store; ``commit()`` replaces the store with it and
appends the events the aggregates recorded to ``store.outbox`` (what the SQL unit of work
writes as outbox rows), so a use case that fails or forgets to commit changes nothing.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Self

import pytest
from ktxh_catalog.domain.org_units import OrgUnit, OrgUnitKind
from ktxh_catalog.domain.references import References
from ktxh_catalog.domain.search import search_text, tokens
from ktxh_catalog.domain.versioning import ChangeEntry, Version, VersionedItem
from ktxh_platform.domain import (
    Aggregate,
    Conflict,
    DomainEvent,
    FieldViolation,
    PreconditionFailed,
)


@dataclass
class Store:
    items: dict[str, VersionedItem[Any]] = field(default_factory=dict)
    units: dict[str, OrgUnit] = field(default_factory=dict)
    keys: dict[tuple[str, str, str], tuple[str, str]] = field(default_factory=dict)
    outbox: list[DomainEvent] = field(default_factory=list)
    commits: int = 0


def _name(payload: Any) -> str:
    return str(getattr(payload, "name", "") or getattr(payload, "title", "") or "")


def _stored(item: VersionedItem[Any]) -> VersionedItem[Any]:
    """The state a database row keeps: no pending events."""
    row = copy.deepcopy(item)
    row.events.clear()
    return row


class FakeItems:
    def __init__(self, store: Store, seen: list[Aggregate]) -> None:
        self.store, self.seen = store, seen

    def _track(self, item: VersionedItem[Any]) -> VersionedItem[Any]:
        if not any(x is item for x in self.seen):
            self.seen.append(item)
        return item

    # like rows of a database: a loaded item is a copy, changed in the store only by save()

    async def get(self, item_id: str, kind: str | None = None) -> VersionedItem[Any] | None:
        item = self.store.items.get(item_id)
        if item is None or (kind is not None and item.kind != kind):
            return None
        return self._track(copy.deepcopy(item))

    async def get_by_code(self, kind: str, code: str) -> VersionedItem[Any] | None:
        found = next((i for i in self.store.items.values() if (i.kind, i.code) == (kind, code)),
                     None)
        return await self.get(found.id) if found else None

    async def find(self, kind: str, id_or_code: str) -> VersionedItem[Any] | None:
        return await self.get(id_or_code, kind) or await self.get_by_code(kind, id_or_code)

    async def in_force(self, kind: str, day: date, *, include_retired: bool = False,
                       query: str = "") -> list[tuple[VersionedItem[Any], Version[Any]]]:
        out = []
        for item in sorted(self.store.items.values(), key=lambda i: i.code):
            ver = item.as_of(day)
            if item.kind != kind or ver is None or (ver.retired and not include_retired):
                continue
            text = search_text(item.code, _name(ver.payload))
            if all(word in text for word in tokens(query)):
                out.append((copy.deepcopy(item), ver))
        return out

    async def active_payloads(self, kind: str, day: date) -> dict[str, Any]:
        return {i.code: v.payload for i, v in await self.in_force(kind, day)}

    async def references(self) -> References:
        refs = References()
        for i in self.store.items.values():
            refs.item_ids[(i.kind, i.code)] = i.id
            refs.item_codes[i.id] = (i.kind, i.code)
        for u in self.store.units.values():
            refs.unit_ids[u.code], refs.unit_codes[u.id] = u.id, u.code
        return refs

    async def org_unit_exists(self, code: str) -> bool:
        return any(u.code == code for u in self.store.units.values())

    async def add(self, item: VersionedItem[Any]) -> None:
        if any((i.kind, i.code) == (item.kind, item.code) for i in self.store.items.values()):
            raise Conflict(f"Mã '{item.code}' đã tồn tại",
                           [FieldViolation("code", f"Mã '{item.code}' đã tồn tại")])
        self._track(item)
        self.store.items[item.id] = _stored(item)

    async def save(self, item: VersionedItem[Any], stored_version: int) -> None:
        if self.store.items[item.id].version != stored_version:
            raise PreconditionFailed("đã được người khác sửa")
        self._track(item)
        self.store.items[item.id] = _stored(item)

    async def history(self, *, aggregate_type: str = "", aggregate_id: str = "",
                      since: datetime | None = None, limit: int,
                      offset: int) -> tuple[list[ChangeEntry], int]:
        rows = [
            ChangeEntry(i.kind, i.id, v.number, c.action, v.author, v.recorded_at, None, None,
                        v.reason)
            for i in self.store.items.values() for c, v in zip(i.history(), i.versions, strict=True)
            if aggregate_type in ("", i.kind) and aggregate_id in ("", i.id)
        ]
        return rows[offset:offset + limit], len(rows)


class FakeOrgUnits:
    def __init__(self, store: Store, seen: list[Aggregate]) -> None:
        self.store, self.seen = store, seen

    async def get(self, unit_id: str) -> OrgUnit | None:
        unit = self.store.units.get(unit_id)
        if unit is not None:
            self.seen.append(unit)
        return unit

    async def get_by_code(self, province_code: str, code: str) -> OrgUnit | None:
        return next((u for u in self.store.units.values() if u.code == code), None)

    async def ancestors(self, unit_id: str) -> list[str]:
        out, unit = [], self.store.units[unit_id]
        while unit.parent_id:
            out.append(unit.parent_id)
            unit = self.store.units[unit.parent_id]
        return out

    async def descendants(self, root_id: str, as_of: date | None) -> list[OrgUnit]:
        ids = {root_id}
        for u in sorted(self.store.units.values(), key=lambda u: len(self._chain(u))):
            if u.parent_id in ids:
                ids.add(u.id)
        return [self.store.units[i] for i in ids if as_of is None
                or self.store.units[i].valid_on(as_of)]

    def _chain(self, unit: OrgUnit) -> list[str]:
        chain = []
        while unit.parent_id:
            chain.append(unit.parent_id)
            unit = self.store.units[unit.parent_id]
        return chain

    async def all(self, province_code: str, as_of: date | None) -> list[OrgUnit]:
        return [u for u in self.store.units.values() if as_of is None or u.valid_on(as_of)]

    async def list(self, province_code: str, *, parent_id: str | None = None,
                   kind: OrgUnitKind | None = None, query: str = "", as_of: date | None = None,
                   page_size: int = 100, page_token: str = "") -> tuple[list[OrgUnit], str, int]:
        found = [u for u in await self.all(province_code, as_of)
                 if (parent_id is None or u.parent_id == parent_id) and (kind is None or u.kind == kind)]
        return found[:page_size], "", len(found)

    async def add(self, unit: OrgUnit) -> None:
        self.store.units[unit.id] = unit
        self.seen.append(unit)

    async def save(self, unit: OrgUnit, before: OrgUnit, action: str, reason: str = "") -> None:
        self.store.units[unit.id] = unit


class FakeIdempotency:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def result(self, key: str, actor: str, *, operation: str = "") -> tuple[str, str] | None:
        return self.store.keys.get((key, operation, actor))

    async def remember(self, key: str, actor: str, request_hash: str, resource_id: str, *,
                       operation: str = "") -> None:
        self.store.keys[(key, operation, actor)] = (request_hash, resource_id)


class FakeUnitOfWork:
    province_code = "31"

    def __init__(self, store: Store) -> None:
        self.store = store
        self.seen: list[Aggregate] = []

    async def __aenter__(self) -> Self:
        self.work = copy.deepcopy(self.store)
        self.seen = []
        self.org_units = FakeOrgUnits(self.work, self.seen)
        self.items = FakeItems(self.work, self.seen)
        self.idempotency = FakeIdempotency(self.work)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.seen = []

    async def commit(self) -> None:
        events = [e for agg in self.seen for e in agg.events]
        for agg in self.seen:
            agg.events.clear()
        self.work.outbox.extend(events)
        self.work.commits += 1
        self.store.__dict__.update(copy.deepcopy(self.work).__dict__)


@pytest.fixture
def store() -> Store:
    return Store()


@pytest.fixture
def fake_uow(store: Store) -> Callable[[], FakeUnitOfWork]:
    return lambda: FakeUnitOfWork(store)
