"""An in-memory unit of work of the assignment service (fast use-case tests): the same scope
rules as the SQL repository (``adapters/repository.py``), over the test unit tree."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from ktxh_assignment.domain.decisions import (
    ISSUED_STATUSES,
    Assignment,
    AssignmentStatus,
    Decision,
    DecisionStatus,
)
from ktxh_assignment.service_layer.unit_of_work import AssignmentFilter, DecisionFilter, Visibility
from ktxh_platform.access import Scope
from ktxh_platform.domain import Aggregate, PreconditionFailed
from ktxh_platform.domain.paging import decode_token, encode_token
from peers import TREE

UNITS = {uid: (code, kind, TREE[parent][0] if parent else None) for code, (uid, kind, parent) in TREE.items()}
BY_CODE = {code: uid for uid, (code, _, _) in UNITS.items()}


def reach(scope: Scope) -> set[str] | None:
    """Unit ids a scope reaches (None: the whole province)."""
    if scope.province_wide:
        return None
    uid = BY_CODE.get(scope.unit_code or "")
    if uid is None:
        return set()
    code, kind, parent = UNITS[uid]
    home = parent if scope.home and kind in ("office", "front") and parent else uid
    out, frontier = {home}, [home]
    while frontier:
        frontier = [u for u, (_, _, p) in UNITS.items() if p in frontier]
        out |= set(frontier)
    return out


def _in(ids: set[str] | None, unit: str) -> bool:
    return ids is None or unit in ids


def visible(a: Assignment, v: Visibility) -> bool:
    if a.province_code != v.read.province:
        return False
    if a.status is not AssignmentStatus.DRAFT:
        if v.read.opened_only:
            if BY_CODE.get(v.read.unit_code or "") in a.front_unit_ids:
                return True
        elif _in(reach(v.read), a.assignee_unit_id) or _in(reach(v.read), a.assigner_unit_id):
            return True
    return v.write is not None and a.status is AssignmentStatus.DRAFT and _in(reach(v.write), a.assigner_unit_id)


@dataclass
class Store:
    decisions: dict[str, Decision] = field(default_factory=dict)
    assignments: dict[str, Assignment] = field(default_factory=dict)
    keys: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    published: list[str] = field(default_factory=list)  # event message names, in commit order


class _Decisions:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow, self.store = uow, uow.store

    def _of(self, decision_id: str) -> list[Assignment]:
        return [a for a in self.store.assignments.values() if a.decision_id == decision_id]

    def _decision_visible(self, d: Decision, v: Visibility) -> bool:
        if d.province_code != v.read.province:
            return False
        own = (not v.read.opened_only and d.status is not DecisionStatus.DRAFT and _in(reach(v.read), d.issuer_unit_id))
        own = own or (v.write is not None and _in(reach(v.write), d.issuer_unit_id))
        return own or any(visible(a, v) for a in self._of(d.id))

    async def get(self, decision_id: str, v: Visibility, *, all_assignments: bool = False,
                  header_only: bool = False) -> Decision | None:
        d = self.store.decisions.get(decision_id)
        if d is None or not self._decision_visible(d, v):
            return None
        d = copy.deepcopy(d)
        d.assignments = [] if header_only else [
            copy.deepcopy(a) for a in self._of(d.id) if all_assignments or visible(a, v)]
        self.uow.seen.extend([d, *d.assignments])
        return d

    async def list(self, v: Visibility, f: DecisionFilter) -> tuple[list[Decision], str, int]:
        found = [copy.deepcopy(d) for d in self.store.decisions.values() if self._decision_visible(d, v)
                 and (not f.year or d.header.year == f.year) and (not f.status or d.status is f.status)]
        offset = decode_token(f.page_token)
        page = found[offset:offset + f.page_size]
        token = encode_token(offset + len(page)) if offset + len(page) < len(found) else ""
        return page, token, len(found)

    def _write(self, d: Decision, before_version: int | None) -> None:
        if before_version is not None and self.store.decisions[d.id].version != before_version:
            raise PreconditionFailed("Quyết định vừa được người khác thay đổi")
        self.uow.pending.append(lambda: self.store.decisions.__setitem__(d.id, copy.deepcopy(d)))

    def _put(self, items: list[Assignment]) -> None:
        snapshot = [copy.deepcopy(a) for a in items]
        self.uow.pending.append(lambda: self.store.assignments.update({a.id: a for a in snapshot}))

    async def add(self, d: Decision) -> None:
        self._write(d, None)
        self._put(d.assignments)
        self.uow.seen.append(d)

    async def save_header(self, d: Decision, before_version: int) -> None:
        self._write(d, before_version)
        self._put(d.assignments)

    async def replace_assignments(self, d: Decision, before_version: int) -> None:
        self._write(d, before_version)
        old = [a.id for a in self._of(d.id)]
        self.uow.pending.append(lambda: [self.store.assignments.pop(i) for i in old])
        self._put(d.assignments)
        self.uow.seen.extend(d.assignments)

    async def save_issued(self, d: Decision, before_version: int) -> None:
        self._write(d, before_version)
        self._put(d.assignments)

    async def save_revoked(self, d: Decision, before_version: int) -> None:
        self._write(d, before_version)
        self._put(d.assignments)


class _Assignments:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow, self.store = uow, uow.store

    def _load(self, a: Assignment) -> Assignment:
        a = copy.deepcopy(a)
        self.uow.seen.append(a)
        return a

    async def get(self, assignment_id: str, v: Visibility) -> Assignment | None:
        a = self.store.assignments.get(assignment_id)
        return self._load(a) if a is not None and visible(a, v) else None

    async def list(self, v: Visibility, f: AssignmentFilter) -> tuple[list[Assignment], str, int]:
        found = [
            copy.deepcopy(a) for a in self.store.assignments.values()
            if visible(a, v) and (not f.assignee_unit_id or a.assignee_unit_id == f.assignee_unit_id)
            and (not f.decision_id or a.decision_id == f.decision_id) and (not f.year or a.year == f.year)
            and (not f.kind or a.kind is f.kind) and (not f.status or a.status is f.status)
            and (not f.in_force_on or a.in_force_on(f.in_force_on))
        ]
        offset = decode_token(f.page_token)
        page = found[offset:offset + f.page_size]
        token = encode_token(offset + len(page)) if offset + len(page) < len(found) else ""
        return page, token, len(found)

    async def history(self, a: Assignment, v: Visibility) -> list[Assignment]:
        same = [copy.deepcopy(x) for x in self.store.assignments.values()
                if x.assignee_unit_id == a.assignee_unit_id and x.subject_key == a.subject_key
                and x.status is not AssignmentStatus.DRAFT and visible(x, v)]
        return sorted(same, key=lambda x: (x.effective_from or date.min, x.issued_on or date.min))

    async def in_force(self, province: str, pairs: Iterable[tuple[str, str]], on: date,
                       exclude_decision_id: str) -> dict[tuple[str, str], Assignment]:
        wanted = set(pairs)
        return {
            (a.assignee_unit_id, a.subject_key): self._load(a) for a in self.store.assignments.values()
            if a.province_code == province and a.decision_id != exclude_decision_id
            and (a.assignee_unit_id, a.subject_key) in wanted and a.in_force_on(on)
        }

    async def superseded_by(self, decision_id: str) -> list[Assignment]:
        ids = {a.id for a in self.store.assignments.values() if a.decision_id == decision_id}
        return [self._load(a) for a in self.store.assignments.values() if a.superseded_by_id in ids]

    async def unacknowledged(self, province: str, issued_before: date, limit: int) -> list[Assignment]:
        return [self._load(a) for a in self.store.assignments.values()
                if a.province_code == province and a.status is AssignmentStatus.ISSUED
                and a.overdue_notified_at is None and a.issued_on and a.issued_on <= issued_before][:limit]

    async def save(self, a: Assignment, before_version: int) -> None:
        if self.store.assignments[a.id].version != before_version:
            raise PreconditionFailed("Nội dung giao vừa được thay đổi")
        snapshot = copy.deepcopy(a)
        self.uow.pending.append(lambda: self.store.assignments.__setitem__(a.id, snapshot))


class _Units:
    async def own_unit_ids(self, province: str, unit_code: str) -> set[str]:
        uid = BY_CODE.get(unit_code)
        if uid is None:
            return set()
        _, kind, parent = UNITS[uid]
        return {uid} | ({parent} if kind in ("office", "front") and parent else set())

    async def existing(self, province: str, ids: Iterable[str]) -> dict[str, str]:
        return {i: UNITS[i][1] for i in ids if i in UNITS}

    async def in_scope(self, scope: Scope, unit_id: str) -> bool:
        return unit_id in UNITS and _in(reach(scope), unit_id)


class _Keys:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def result(self, key: str, actor: str) -> tuple[str, str] | None:
        return self.store.keys.get((key, actor))

    async def remember(self, key: str, actor: str, request_hash: str, resource_id: str) -> None:
        self.store.keys[(key, actor)] = (request_hash, resource_id)


class FakeUnitOfWork:
    """Writes are applied to the store only at commit (all or nothing), with the events the
    aggregates recorded."""

    province_code = "31"

    def __init__(self, store: Store) -> None:
        self.store = store
        self.seen: list[Aggregate] = []
        self.pending: list = []
        self.decisions = _Decisions(self)
        self.assignments = _Assignments(self)
        self.units = _Units()
        self.idempotency = _Keys(store)

    async def __aenter__(self) -> FakeUnitOfWork:
        self.seen, self.pending = [], []
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.pending = []

    async def commit(self) -> None:
        for apply in self.pending:
            apply()
        self.pending = []
        for agg in self.seen:
            self.store.published.extend(f"ktxh.assignment.v1.{type(e).__name__}" for e in agg.events)
            agg.events.clear()
