"""In-memory unit of work of the submission service (unit tests only)."""

from __future__ import annotations

import copy

from ktxh_platform.access import HOME_UNIT_KINDS, Scope
from ktxh_platform.domain import Conflict
from ktxh_submission.domain.calendars import Calendar, DeadlineRule, LeadTime, RelativeDay
from ktxh_submission.domain.figures import FigureChange
from ktxh_submission.domain.periods import PeriodKind
from ktxh_submission.domain.reminders import UnitReport
from ktxh_submission.domain.submissions import Status, Submission
from ktxh_submission.domain.validation import History
from ktxh_submission.service_layer.unit_of_work import BoardEntry, SubmissionFilter, UnitRef

# Seed 001 (Kế hoạch UBND xã Hà Tây): monthly before the 20th, half-year before 15/6 and 15/12,
# annual before 10/12; offices 3 days before, Văn phòng HĐND và UBND 1 day before.
SEED_001 = Calendar(
    id="cal-1", code="HP2081", name="Lịch báo cáo Bộ chỉ số 2081", province_code="31",
    rules=(
        DeadlineRule(PeriodKind.MONTH, RelativeDay(0, 20), cutoff_start=RelativeDay(-1, 15),
                     cutoff_end=RelativeDay(0, 14)),
        DeadlineRule(PeriodKind.HALF_YEAR, RelativeDay(0, 15)),
        DeadlineRule(PeriodKind.YEAR, RelativeDay(0, 10)),
    ),
    lead_times=(
        LeadTime("consolidation", "Văn phòng HĐND và UBND tổng hợp", 1, "VP"),
        LeadTime("office_entry", "Các phòng cung cấp số liệu", 3, "office"),
    ),
)


# code -> (kind, parent code)
TREE = {
    "31": ("province", None),
    "10846": ("commune", "31"),
    "10846.PKT": ("office", "10846"),
    "10846.PVHXH": ("office", "10846"),
    "10846.TTHCC": ("office", "10846"),
    "10846.VP": ("office", "10846"),
    "11311": ("commune", "31"),
    "11311.PKT": ("office", "11311"),
}


NAMES = {"10846": "Xã Hà Tây", "11311": "Xã Tiên Lãng"}


class Store:
    def __init__(self, calendars: list[Calendar]) -> None:
        self.units = {c: UnitRef(f"id-{c}", c, k, f"id-{p}" if p else None) for c, (k, p) in TREE.items()}
        self.calendars = {c.code: c for c in calendars}
        self.subs: dict[str, Submission] = {}
        self.changes: list[tuple[str, FigureChange]] = []
        self.task_changes: list = []
        self.note_changes: list = []
        self.reminders: set = set()
        self.commits = 0


def reach(scope: Scope, code: str) -> bool:
    if scope.province_wide:
        return True
    anchor = scope.unit_code
    kind, parent = TREE[anchor]
    if scope.home and kind in HOME_UNIT_KINDS:
        anchor = parent
    c: str | None = code
    while c is not None:
        if c == anchor:
            return True
        c = TREE[c][1]
    return False


class FakeSubmissions:
    def __init__(self, store: Store, uow: FakeUnitOfWork) -> None:
        self.store, self.uow = store, uow

    async def get(self, submission_id, scope):
        sub = self.store.subs.get(submission_id)
        if sub is None or scope.opened_only or not reach(scope, sub.org_unit_code):
            return None
        sub = copy.deepcopy(sub)
        sub.new_steps = []
        self.uow.seen.append(sub)
        return sub

    async def find(self, org_unit_id, period):
        return next((copy.deepcopy(s) for s in self.store.subs.values()
                     if s.org_unit_id == org_unit_id and s.period == period), None)

    async def list(self, scope, flt: SubmissionFilter):
        subs = [s for s in self.store.subs.values()
                if not scope.opened_only and reach(scope, s.org_unit_code)
                and (not flt.org_unit_code or s.org_unit_code == flt.org_unit_code)
                and (flt.period is None or s.period == flt.period)
                and (not flt.statuses or s.status in flt.statuses)]
        return subs[: flt.page_size], "", len(subs)

    async def add(self, sub):
        self.uow.pending.append(("add", sub, 0))
        self.uow.seen.append(sub)

    async def save(self, sub, expected_version):
        self.uow.pending.append(("save", sub, expected_version))

    async def save_figures(self, sub):
        self.uow.pending.append(("figures", sub, 0))

    async def history(self, sub, depth=12):
        accepted = sorted(
            (s for s in self.store.subs.values()
             if s.org_unit_id == sub.org_unit_id and s.period.kind is sub.period.kind
             and s.period < sub.period and s.status is Status.ACCEPTED),
            key=lambda s: s.period,
        )[-depth:]
        prev = next((s for s in accepted if s.period == sub.period.previous), None)
        past: dict = {}
        for s in accepted:
            for k, v in s.accepted_values().items():
                past.setdefault(k, []).append(v)
        return History(prev.accepted_values() if prev else {}, {k: tuple(v) for k, v in past.items()})

    async def accepted_figures(self, org_unit_id, periods):
        return {s.period: s.accepted_values() for s in self.store.subs.values()
                if s.org_unit_id == org_unit_id and s.period in periods
                and s.status is Status.ACCEPTED}

    async def changes(self, submission_id):
        return [c for i, c in self.store.changes if i == submission_id]

    async def task_changes(self, submission_id):
        return [c for i, c in self.store.task_changes if i == submission_id]

    async def note_changes(self, submission_id):
        return [c for i, c in self.store.note_changes if i == submission_id]

    async def save_tasks(self, sub):
        self.uow.pending.append(("tasks", sub, 0))

    async def save_attachments(self, sub, expected_version):
        self.uow.pending.append(("save", sub, expected_version))

    async def unit_reports(self, period, units):
        out = []
        for u in units:
            sub = next((s for s in self.store.subs.values()
                        if s.org_unit_id == u.id and s.period == period), None)
            out.append(UnitReport(u.id, u.code, sub.id if sub else "",
                                  sub.status.value if sub else None))
        return out

    async def reminded(self, calendar_code, period):
        return {k for k in self.store.reminders if k[1] == period.code and k[2] == calendar_code}

    async def record_reminders(self, batch, at):
        self.uow.pending.append(("reminders", batch, 0))
        self.uow.seen.append(batch)

    async def board(self, parent_id, period, scope, kinds):
        out = []
        for u in sorted(self.store.units.values(), key=lambda u: u.code):
            if u.parent_id != parent_id or u.kind not in kinds or scope.opened_only \
                    or not reach(scope, u.code):
                continue
            sub = next((s for s in self.store.subs.values()
                        if s.org_unit_id == u.id and s.period == period), None)
            out.append(BoardEntry(u.code, NAMES.get(u.code, u.code), sub.id if sub else "",
                                  sub.status if sub else None, sub.sent_at if sub else None))
        return out


class FakeUnits:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def by_code(self, code):
        return self.store.units.get(code)

    async def codes_in_scope(self, scope, codes):
        return {c for c in codes if c in TREE and reach(scope, c)}

    async def reporting(self, kinds):
        return sorted((u for u in self.store.units.values() if u.kind in kinds), key=lambda u: u.code)

    async def children(self, unit_id):
        return sorted((u for u in self.store.units.values() if u.parent_id == unit_id),
                      key=lambda u: u.code)


class FakeCalendars:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def get(self, code_or_id):
        return self.store.calendars.get(code_or_id) or next(
            (c for c in self.store.calendars.values() if c.id == code_or_id), None)

    async def list(self):
        return list(self.store.calendars.values())


class FakeUnitOfWork:
    province_code = "31"

    def __init__(self, store: Store) -> None:
        self.store = store
        self.seen: list = []
        self.pending: list = []
        self.submissions = FakeSubmissions(store, self)
        self.units = FakeUnits(store)
        self.calendars = FakeCalendars(store)
        self.published: list = []

    async def __aenter__(self):
        self.seen, self.pending = [], []
        return self

    async def __aexit__(self, *exc):
        self.pending = []

    async def commit(self):
        for op, sub, expected in self.pending:
            if op == "save" and self.store.subs[sub.id].version != expected:
                raise Conflict("stale")
        for op, sub, _ in self.pending:
            if op == "reminders":
                if self.store.reminders & set(sub.keys):
                    raise Conflict("reminded already")
                self.store.reminders |= set(sub.keys)
                continue
            if op == "tasks":  # per-row: merge the changed rows into what is stored
                stored = self.store.subs[sub.id]
                rows = {t.key_task_code: t for t in stored.tasks}
                for c in sub.task_changes:
                    if rows[c.key_task_code].version != c.version - 1:
                        raise Conflict("stale task")
                mine = {t.key_task_code: t for t in sub.tasks}
                stored.tasks = [copy.deepcopy(mine[t.key_task_code])
                                if any(c.key_task_code == t.key_task_code for c in sub.task_changes)
                                else t for t in stored.tasks]
                stored.version += 1
                sub.version = stored.version
                self.store.task_changes.extend((sub.id, c) for c in sub.task_changes)
                sub.task_changes.clear()
                continue
            if op == "figures":  # per-figure: merge the changed figures into what is stored
                stored = self.store.subs[sub.id]
                for c in sub.changes:
                    if stored.figures.get(c.key, None) is not None and \
                            stored.figures[c.key].version != c.figure_version - 1:
                        raise Conflict("stale figure")
                    if c.key in sub.figures:
                        stored.figures[c.key] = copy.deepcopy(sub.figures[c.key])
                    else:
                        stored.figures.pop(c.key, None)
                stored.version += 1
                sub.version = stored.version
                self.store.changes.extend((sub.id, c) for c in sub.changes)
                sub.changes.clear()
                continue
            stored = copy.deepcopy(sub)
            stored.events, stored.changes, stored.new_steps = [], [], []
            stored.task_changes, stored.note_changes = [], []
            self.store.subs[sub.id] = stored
            self.store.changes.extend((sub.id, c) for c in sub.changes)
            self.store.note_changes.extend((sub.id, c) for c in sub.note_changes)
            sub.changes.clear()
            sub.note_changes.clear()
            sub.new_steps = []
        for agg in self.seen:
            self.published.extend(agg.events)
            agg.events.clear()
        self.store.commits += 1
        self.pending = []


class FakeCatalog:
    """The catalog as the form builder sees it; records the token each call carried."""

    def __init__(self, sets=(), indicators=(), tasks=()) -> None:
        self.sets = list(sets)
        self.inds = {i.code: i for i in indicators}
        self.tasks = {t.key_task_id: t for t in tasks}
        self.calls: list[tuple[str, str]] = []

    async def indicator_sets(self, unit_kind, as_of, principal):
        self.calls.append(("indicator_sets", principal.username))
        return self.sets if unit_kind == "commune" else []

    async def indicators(self, codes, as_of, principal):
        self.calls.append(("indicators", principal.username))
        return {c: self.inds[c] for c in codes if c in self.inds}

    async def key_tasks(self, refs, principal):
        self.calls.append(("key_tasks", principal.username))
        return [self.tasks[r.key_task_id] for r in refs if r.key_task_id in self.tasks]


class FakeAssignments:
    def __init__(self, by_unit=None) -> None:
        self.by_unit = by_unit or {}  # unit id -> (targets, task refs)

    async def in_force(self, unit_id, on, principal):
        targets, tasks = self.by_unit.get(unit_id, ([], []))
        return list(targets), list(tasks)
