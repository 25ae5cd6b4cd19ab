"""An in-memory unit of work of the evaluation service (fast use-case tests): the same scope
rules as the SQL repository, over the test unit tree."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace

from evaluation_peers import TREE
from ktxh_evaluation.domain.evaluations import Evaluation, Round
from ktxh_evaluation.domain.scoring import ReportResult, ReportState
from ktxh_evaluation.service_layer.unit_of_work import EvaluationFilter
from ktxh_platform.access import Scope
from ktxh_platform.domain import Aggregate, PreconditionFailed
from ktxh_platform.domain.paging import decode_token, encode_token

UNITS = {uid: (code, kind, TREE[parent][0] if parent else None) for code, (uid, kind, parent) in TREE.items()}
BY_CODE = {code: uid for uid, (code, _, _) in UNITS.items()}


def reach(scope: Scope) -> set[str] | None:
    if scope.province_wide:
        return None
    uid = BY_CODE.get(scope.unit_code or "")
    if uid is None:
        return set()
    _, kind, parent = UNITS[uid]
    home = parent if scope.home and kind in ("office", "front") and parent else uid
    out, frontier = {home}, [home]
    while frontier:
        frontier = [u for u, (_, _, p) in UNITS.items() if p in frontier]
        out |= set(frontier)
    return out


@dataclass
class Store:
    rounds: dict[str, Round] = field(default_factory=dict)
    evaluations: dict[str, Evaluation] = field(default_factory=dict)
    reports: dict[str, list[ReportResult]] = field(default_factory=dict)
    editions: list = field(default_factory=list)
    outbox: list = field(default_factory=list)


class FakeRounds:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    async def get(self, round_id, province):
        r = self.uow.store.rounds.get(round_id)
        return copy.deepcopy(r) if r and r.province_code == province else None

    async def list(self, province, year):
        return [copy.deepcopy(r) for r in self.uow.store.rounds.values()
                if r.province_code == province and (not year or r.year == year)]

    async def find(self, province, criteria_set_id, year, kind):
        return next((r for r in self.uow.store.rounds.values() if (
            r.province_code, r.criteria_set_id, r.year, r.kind.value) == (province, criteria_set_id, year, kind)), None)

    async def add(self, r):
        self.uow.pending_rounds[r.id] = r
        self.uow.seen.append(r)

    async def save(self, r, before_version):
        if self.uow.store.rounds[r.id].version != before_version:
            raise PreconditionFailed("stale")
        await self.add(r)


class FakeEvaluations:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    def _visible(self, e: Evaluation, scope: Scope) -> bool:
        ids = reach(scope)
        return e.province_code == scope.province and (ids is None or e.org_unit.id in ids)

    async def get(self, evaluation_id, scope):
        e = self.uow.store.evaluations.get(evaluation_id)
        return copy.deepcopy(e) if e and self._visible(e, scope) else None

    async def list(self, scope, f: EvaluationFilter):
        rows = sorted((e for e in self.uow.store.evaluations.values() if self._visible(e, scope)
                       and (not f.round_id or e.round_id == f.round_id)
                       and (not f.org_unit_id or e.org_unit.id == f.org_unit_id)
                       and (f.status is None or e.status is f.status)),
                      key=lambda e: (e.org_unit.code, e.id))
        start = decode_token(f.page_token)
        page = rows[start:start + f.page_size]
        nxt = encode_token(start + f.page_size) if start + f.page_size < len(rows) else ""
        return [copy.deepcopy(e) for e in page], nxt, len(rows)

    async def add(self, e):
        self.uow.pending_evaluations[e.id] = e
        self.uow.seen.append(e)

    async def save(self, e, before_version):
        if self.uow.store.evaluations[e.id].version != before_version:
            raise PreconditionFailed("stale")
        await self.add(e)


class FakeReports:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    async def for_unit(self, org_unit_id, period_codes):
        known = {r.period_code: r for r in self.uow.store.reports.get(org_unit_id, [])}
        return [known.get(p) or ReportResult("", p, ReportState.MISSING) for p in period_codes]


class FakeEditions:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    async def next_revision(self, round_id):
        return 1 + max((x.revision for x in self.uow.store.editions + self.uow.pending_editions
                        if x.round_id == round_id), default=0)

    async def add(self, x):
        self.uow.pending_editions.append(x)
        self.uow.seen.append(x)

    async def list(self, round_id, province):
        return sorted((replace(x, rows=()) for x in self.uow.store.editions
                       if x.round_id == round_id and x.province_code == province),
                      key=lambda x: -x.revision)

    async def get(self, round_id, revision, province, scope):
        x = next((x for x in self.uow.store.editions if (x.round_id, x.revision, x.province_code)
                  == (round_id, revision, province)), None)
        if x is None:
            return None
        ids = reach(scope)
        return replace(x, rows=tuple(r for r in x.rows if ids is None or r.org_unit.id in ids))


class FakeUnitOfWork:
    def __init__(self, store: Store, province: str = "31") -> None:
        self.store = store
        self.province_code = province
        self.seen: list[Aggregate] = []
        self.pending_rounds: dict[str, Round] = {}
        self.pending_evaluations: dict[str, Evaluation] = {}
        self.rounds = FakeRounds(self)
        self.evaluations = FakeEvaluations(self)
        self.reports = FakeReports(self)
        self.editions = FakeEditions(self)
        self.pending_editions: list = []

    async def __aenter__(self):
        self.seen, self.pending_rounds, self.pending_evaluations = [], {}, {}
        self.pending_editions = []
        return self

    async def __aexit__(self, *exc):
        pass

    async def commit(self):
        self.store.rounds.update(self.pending_rounds)
        self.store.evaluations.update(self.pending_evaluations)
        self.store.editions += self.pending_editions
        for agg in self.seen:
            self.store.outbox += agg.events
            agg.events = []
