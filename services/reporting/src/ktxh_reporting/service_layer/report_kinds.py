"""Report tables of the key-task summary and of target fulfilment (RenderReport and
PublishReport with `kind` `key_tasks` / `target_fulfilment`): the use cases' results laid out
by `domain.report_kinds`, so the files show what GET /key-task-summary and
/target-fulfilment return."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from ktxh_platform.auth.principal import Principal

from ktxh_reporting.domain.periods import Period
from ktxh_reporting.domain.report_kinds import (
    FulfilmentLine,
    KeyTaskLine,
    KeyTaskStatusCount,
    fulfilment_report,
    key_task_report,
)
from ktxh_reporting.domain.report_table import ReportKind, ReportTable, period_label
from ktxh_reporting.service_layer.fulfilment import GetTargetFulfilment, TargetCodes, get_fulfilment
from ktxh_reporting.service_layer.key_tasks import GetKeyTaskSummary, KeyTaskReads, get_key_task_summary
from ktxh_reporting.service_layer.ports import ReadModel

# The day of a point in time ends at midnight in Vietnam (the deployments' time zone).
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
KINDS = (ReportKind.KEY_TASKS, ReportKind.TARGET_FULFILMENT)


def end_of_day(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(), VIETNAM)


class KindReads(KeyTaskReads, TargetCodes, Protocol):
    pass


def as_of_day(period_code: str, today: date) -> tuple[str, int]:
    """(as-of date, year) of a key-task report: `@2026-10-31`, a year `2026` (its last day,
    or today while it runs), any other period code (its end), or empty (today)."""
    if not period_code.strip():
        return today.isoformat(), today.year
    p = Period.parse(period_code.strip())
    day = p.as_of if p.as_of is not None else min(p.end, today)
    return day.isoformat(), p.year


async def build_kind_table(kind: ReportKind, *, org_unit_code: str, period_code: str, rm: ReadModel,
                           reads: KindReads, principal: Principal, today: date) -> ReportTable:
    if kind == ReportKind.KEY_TASKS:
        day, year = as_of_day(period_code, today)
        s = await get_key_task_summary(GetKeyTaskSummary(org_unit_code=org_unit_code, as_of=day, year=year),
                                       rm, reads, principal, today, end_of_day)
        return key_task_report(
            org_unit_code=s.unit.code, org_unit_name=s.unit.name, as_of_iso=s.as_of.isoformat(), year=s.year,
            lines=[KeyTaskLine(ln.task.code, ln.task.title, ln.task.field, ln.unit.name, ln.task.deadline,
                               ln.status, ln.percent_done, ln.overdue,
                               ln.progress.results if ln.progress else "") for ln in s.lines],
            by_lead_unit=[KeyTaskStatusCount(g.label, g.total, g.done, g.overdue) for g in s.by_lead_unit()],
            by_field=[KeyTaskStatusCount(g.label, g.total, g.done, g.overdue) for g in s.by_field()],
            as_of=datetime.now(VIETNAM),
        )
    f = await get_fulfilment(GetTargetFulfilment(org_unit_code, period_code), rm, reads, principal, today)
    return fulfilment_report(
        org_unit_code=f.unit.code, org_unit_name=f.unit.name, period_code=f.period.code,
        period_label=period_label(f.period.code), as_of=f.as_of,  # type: ignore[arg-type]
        lines=[FulfilmentLine(r.unit.code, r.unit.name, r.is_total, r.assigned, r.achieved, r.at_risk,
                              r.missed, r.no_data, r.achieved_percent) for r in f.rows],
    )
