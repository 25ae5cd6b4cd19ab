"""Use case: the key tasks of a unit and its descendants at a point in time (GetKeyTaskSummary,
"tổng hợp nhiệm vụ trọng tâm").

A row per key task and lead unit assigned by an issued decision in force on the date; its
status and percent done are the latest the lead unit reported in an accepted report by that
date (the report of the latest period, accepted by the end of the day); overdue = past its
deadline and not done. Counts by status, by lead unit and by sector (lĩnh vực). The caller's
scope is applied in SQL; the Front sees only tasks whose assignment opened them to its
committee."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from ktxh_platform.access import Action, Resource, Scope, authorize
from ktxh_platform.auth.principal import Principal
from ktxh_platform.domain import InvalidArgument, NotFound

from ktxh_reporting.domain.rollups import Tree, Unit
from ktxh_reporting.service_layer.ports import ReadModel

NOT_REPORTED = "not_reported"
STATUSES = ("not_started", "in_progress", "done", "overdue", "stopped", NOT_REPORTED)


@dataclass(frozen=True)
class AssignedTask:
    """A key task assigned to a lead unit (from the read model)."""
    assignment_id: str
    key_task_id: str
    unit_id: str
    code: str
    title: str
    field: str
    deadline: str


@dataclass(frozen=True)
class ReportedProgress:
    """The latest progress a unit reported on a key task in an accepted report."""
    key_task_id: str
    unit_id: str
    status: str
    percent_done: int
    results: str
    period_code: str
    period_end: str
    accepted_at: datetime
    key_task_code: str = ""


class KeyTaskReads(Protocol):
    async def assigned_tasks(self, scope: Scope, *, year: int, on: str,
                             unit_ids: list[str]) -> list[AssignedTask]: ...

    async def latest_progress(self, scope: Scope, *, pairs: list[tuple[str, str]],
                              accepted_before: datetime) -> list[ReportedProgress]: ...


@dataclass(frozen=True)
class GetKeyTaskSummary:
    org_unit_code: str = ""
    org_unit_id: str = ""
    as_of: str = ""  # ISO date; empty = today
    year: int = 0  # 0 = the year of as_of


@dataclass(frozen=True)
class TaskLine:
    task: AssignedTask
    unit: Unit
    status: str
    percent_done: int
    overdue: bool
    progress: ReportedProgress | None


@dataclass
class GroupCount:
    key: str
    label: str
    total: int = 0
    done: int = 0
    overdue: int = 0
    by_status: dict[str, int] = field(default_factory=dict)

    def add(self, line: TaskLine) -> None:
        self.total += 1
        self.done += line.status == "done"
        self.overdue += line.overdue
        self.by_status[line.status] = self.by_status.get(line.status, 0) + 1


@dataclass
class KeyTaskSummary:
    unit: Unit
    as_of: date
    year: int
    lines: list[TaskLine]

    def count_by_status(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for line in self.lines:
            out[line.status] = out.get(line.status, 0) + 1
        return out

    @property
    def overdue_count(self) -> int:
        return sum(line.overdue for line in self.lines)

    def by_lead_unit(self) -> list[GroupCount]:
        groups: dict[str, GroupCount] = {}
        for line in self.lines:
            groups.setdefault(line.unit.code, GroupCount(line.unit.code, line.unit.name)).add(line)
        return [groups[k] for k in sorted(groups)]

    def by_field(self) -> list[GroupCount]:
        groups: dict[str, GroupCount] = {}
        for line in self.lines:
            name = line.task.field.strip()
            groups.setdefault(name, GroupCount(name, name or "Chưa phân lĩnh vực")).add(line)
        return [groups[k] for k in sorted(groups, key=lambda k: (k == "", k))]


def parse_as_of(text: str, today: date, field_name: str = "as_of") -> date:
    if not text.strip():
        return today
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidArgument.single(field_name, "Ngày không hợp lệ (định dạng YYYY-MM-DD)") from None


def summarise(unit: Unit, tree: Tree, tasks: list[AssignedTask], progress: list[ReportedProgress],
              as_of: date, year: int) -> KeyTaskSummary:
    """Pure: the summary from the tasks assigned and the progress reported (latest period
    first, then latest acceptance)."""
    latest: dict[tuple[str, str], ReportedProgress] = {}
    for p in progress:  # indexed by the key task's id and by its code (an assignment may name either)
        for k in {(p.key_task_id, p.unit_id), (p.key_task_code, p.unit_id)}:
            if not k[0]:
                continue
            if k not in latest or (p.period_end, p.accepted_at) > (latest[k].period_end, latest[k].accepted_at):
                latest[k] = p
    lines = []
    day = as_of.isoformat()
    for t in tasks:
        p = latest.get((t.key_task_id, t.unit_id)) or latest.get((t.code, t.unit_id))
        status = p.status if p else NOT_REPORTED
        overdue = bool(t.deadline) and t.deadline < day and status != "done"
        lines.append(TaskLine(t, tree.units.get(t.unit_id, Unit(t.unit_id)), status,
                              p.percent_done if p else 0, overdue, p))
    lines.sort(key=lambda line: (line.unit.code, line.task.code, line.task.assignment_id))
    return KeyTaskSummary(unit, as_of, year, lines)


async def get_key_task_summary(q: GetKeyTaskSummary, rm: ReadModel, tasks: KeyTaskReads,
                               principal: Principal, today: date, end_of_day) -> KeyTaskSummary:
    """`end_of_day(date)` is the instant the date ends in the province's time zone."""
    scope = authorize(principal, Resource.REPORT, Action.READ)
    as_of = parse_as_of(q.as_of, today)
    year = q.year or as_of.year
    if not 2000 <= year <= 2100:
        raise InvalidArgument.single("year", "Năm không hợp lệ")
    if not (q.org_unit_code.strip() or q.org_unit_id):
        raise InvalidArgument.single("org_unit_code", "Chưa chọn đơn vị")
    root = await rm.unit(scope, unit_id=q.org_unit_id, code=q.org_unit_code.strip())
    if root is None:
        raise NotFound(f"Không tìm thấy đơn vị {q.org_unit_code or q.org_unit_id}")
    tree = Tree(await rm.units(scope.province))
    assigned = await tasks.assigned_tasks(scope, year=year, on=as_of.isoformat(),
                                          unit_ids=sorted(tree.contributors(root.id)))
    progress = await tasks.latest_progress(
        scope, pairs=sorted({(t.key_task_id, t.unit_id) for t in assigned} | {(t.code, t.unit_id) for t in assigned}),
        accepted_before=end_of_day(as_of))
    return summarise(root, tree, assigned, progress, as_of, year)
