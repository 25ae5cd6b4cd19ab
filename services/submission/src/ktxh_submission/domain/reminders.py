"""Reminders of report deadlines (issue 11, point 5): before the internal and the official
deadlines of a period a unit still has to report, and after the official one when nothing
was sent. Each reminder is published once per unit, period, calendar and deadline (`step`).

- *approaching*: a deadline falls within `days_before` days from today (0 = today) —
  the official one while the report is not sent; an internal one (offices' entry,
  consolidation…) while the report is still in the unit's first hands (none yet, draft or
  returned);
- *overdue*: the official deadline has passed and the report is not sent (within
  `overdue_horizon` days, so a first run never floods units with years-old periods).

Pure: standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ktxh_platform.domain import Aggregate, DomainEvent

from ktxh_submission.domain.calendars import Schedule
from ktxh_submission.domain.periods import Period, PeriodKind

__all__ = [
    "DeadlineApproaching",
    "Overdue",
    "ReminderBatch",
    "UnitReport",
    "candidate_periods",
    "due_reminders",
]

OFFICIAL = "official"
OVERDUE = "overdue"
# statuses (values of `Status`) in which the report is still in the unit's first hands
_IN_UNIT = {None, "draft", "returned"}
_SENT = {"sent", "accepted"}


@dataclass(frozen=True)
class UnitReport:
    """A reporting unit and, for one period, its report (if opened)."""

    unit_id: str
    unit_code: str
    submission_id: str = ""
    status: str | None = None  # a `Status` value; None = not opened


@dataclass(frozen=True)
class DeadlineApproaching(DomainEvent):
    unit_id: str
    unit_code: str
    period: Period
    calendar_code: str
    step: str  # official, or an internal step
    step_name: str
    responsible: str
    due: date
    days_left: int
    submission_id: str = ""


@dataclass(frozen=True)
class Overdue(DomainEvent):
    unit_id: str
    unit_code: str
    period: Period
    calendar_code: str
    due: date
    days_late: int
    submission_id: str = ""


@dataclass
class ReminderBatch(Aggregate):
    """The reminders of one run; its events go to the outbox with the rows that mark them
    sent, in one transaction."""

    keys: list[tuple[str, str, str, str]] = field(default_factory=list)  # unit, period, calendar, step


def candidate_periods(today: date, kinds: frozenset[PeriodKind]) -> list[Period]:
    """The periods whose deadlines may be near or just passed: for each kind, the one holding
    today, the two before and the one after."""
    out = []
    y, m = today.year, today.month
    for kind in sorted(kinds):
        current = {
            PeriodKind.MONTH: lambda: Period.month(y, m),
            PeriodKind.QUARTER: lambda: Period.quarter(y, (m - 1) // 3 + 1),
            PeriodKind.HALF_YEAR: lambda: Period.half_year(y, 1 if m <= 6 else 2),
            PeriodKind.NINE_MONTHS: lambda: Period.nine_months(y),
            PeriodKind.YEAR: lambda: Period.of_year(y),
        }.get(kind)
        if current is not None:
            p = current()
            out.extend(p.shifted(i) for i in (-2, -1, 0, 1))
    return out


def due_reminders(
    today: date,
    schedule: Schedule,
    reports: list[UnitReport],
    already: set[tuple[str, str, str, str]],
    *,
    days_before: int,
    overdue_horizon: int,
) -> list[DeadlineApproaching | Overdue]:
    """The reminders one period's schedule calls for today, for each unit, not yet sent."""
    out: list[DeadlineApproaching | Overdue] = []
    period, cal = schedule.period, schedule.calendar_code
    deadlines = [(OFFICIAL, "Hạn gửi báo cáo lên cấp trên", "", schedule.deadline)] + [
        (d.step, d.name, d.responsible, d.due) for d in schedule.internal
    ]
    for r in reports:
        def fresh(step: str, r: UnitReport = r) -> bool:
            return (r.unit_id, period.code, cal, step) not in already

        for step, name, responsible, due in deadlines:
            left = (due - today).days
            if not 0 <= left <= days_before or not fresh(step):
                continue
            if step == OFFICIAL and r.status in _SENT:
                continue
            if step != OFFICIAL and r.status not in _IN_UNIT:
                continue
            out.append(DeadlineApproaching(r.unit_id, r.unit_code, period, cal, step, name,
                                           responsible, due, left, r.submission_id))
        late = (today - schedule.deadline).days
        if 0 < late <= overdue_horizon and r.status not in _SENT and fresh(OVERDUE):
            out.append(Overdue(r.unit_id, r.unit_code, period, cal, schedule.deadline, late,
                               r.submission_id))
    return out
