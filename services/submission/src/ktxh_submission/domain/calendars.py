"""Deadlines of a period: a reporting calendar of the catalog (replicated from the catalog's
calendar events, `adapters/calendar_replica.py`) plus the working-day rule of the deployment.

A `Calendar` holds, per kind of period, where the due day falls relative to the period's last
month (`RelativeDay`), whether "trước ngày" makes the day before the last on-time day, and
the data cut-off window; lead times give the internal deadlines (seed 001: offices 3 days
before the official deadline, the consolidating office 1 day before). A one-off override
replaces the rule for one period ("hoặc thời gian có thể điều chỉnh khi có hướng dẫn khác").

A deadline falling on a weekend or public holiday moves by the `WorkingDays` rule: to the
earlier working day by default (a report is never due on a day the office is closed, and
moving earlier never makes a report late that would have been on time); `later` and `none`
are the alternatives. Holidays are configuration (`KTXH_SUBMISSION_HOLIDAYS`), never code.
Internal deadlines are counted back from the official (shifted) deadline and shifted by the
same rule.

Pure: standard library only.
"""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from ktxh_platform.domain import FieldViolation, InvalidArgument

from ktxh_submission.domain.periods import Period, PeriodKind, add_months

__all__ = [
    "Calendar",
    "DateRange",
    "DeadlineOverride",
    "DeadlineRule",
    "InternalDeadline",
    "LeadTime",
    "RelativeDay",
    "Schedule",
    "Shift",
    "WorkingDays",
]


class Shift(StrEnum):
    EARLIER = "earlier"  # the working day before (default)
    LATER = "later"  # the working day after
    NONE = "none"  # keep the day as computed


@dataclass(frozen=True)
class WorkingDays:
    """Which days offices work: Monday–Friday except `holidays`; and where a deadline on a
    day off moves (`shift`)."""

    holidays: frozenset[date] = frozenset()
    shift: Shift = Shift.EARLIER
    weekend: frozenset[int] = frozenset({5, 6})  # date.weekday(): Saturday, Sunday

    @classmethod
    def parse(cls, holidays: str, shift: str = "earlier") -> WorkingDays:
        """From configuration: ISO dates separated by commas or blanks."""
        days: set[date] = set()
        bad: list[FieldViolation] = []
        for text in holidays.replace(",", " ").split():
            try:
                days.add(date.fromisoformat(text))
            except ValueError:
                bad.append(FieldViolation("holidays", f"Ngày nghỉ '{text}' không đúng dạng YYYY-MM-DD"))
        try:
            rule = Shift(shift.strip().lower())
        except ValueError:
            bad.append(FieldViolation("shift", f"Quy tắc dời hạn '{shift}' không hợp lệ "
                                      "(earlier, later hoặc none)"))
            rule = Shift.EARLIER
        if bad:
            raise InvalidArgument(bad, bad[0].message)
        return cls(frozenset(days), rule)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() not in self.weekend and day not in self.holidays

    def adjust(self, day: date) -> date:
        if self.shift is Shift.NONE:
            return day
        step = timedelta(days=-1 if self.shift is Shift.EARLIER else 1)
        for _ in range(400):  # a year of holidays in a row is a configuration error
            if self.is_working_day(day):
                return day
            day += step
        raise InvalidArgument.single("holidays", "Không tìm được ngày làm việc gần hạn báo cáo")


@dataclass(frozen=True)
class RelativeDay:
    """A day of the month `month_offset` months after the period's last month; a day past
    the month's end is the month's last day (31 in a 30-day month -> the 30th)."""

    month_offset: int
    day: int

    def resolve(self, period: Period) -> date:
        y, m = add_months(*period.last_month, self.month_offset)
        return date(y, m, min(max(self.day, 1), _calendar.monthrange(y, m)[1]))


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date  # inclusive

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


@dataclass(frozen=True)
class DeadlineRule:
    kind: PeriodKind
    due: RelativeDay
    before: bool = True  # "trước ngày 20": the last on-time day is the 19th
    cutoff_start: RelativeDay | None = None
    cutoff_end: RelativeDay | None = None
    description: str = ""


@dataclass(frozen=True)
class LeadTime:
    step: str  # office_entry, consolidation, approval...
    name: str  # Vietnamese
    days_before: int
    responsible: str = ""


@dataclass(frozen=True)
class DeadlineOverride:
    period: Period
    due: date  # the last on-time day
    reason: str = ""


@dataclass(frozen=True)
class InternalDeadline:
    step: str
    name: str
    responsible: str
    due: date


@dataclass(frozen=True)
class Schedule:
    """Everything dated about one period under one calendar."""

    period: Period
    calendar_code: str
    deadline: date  # the last on-time day of the official report, after the working-day rule
    rule_deadline: date  # the same before the working-day rule
    cutoff: DateRange | None
    internal: tuple[InternalDeadline, ...]

    def status(self, today: date) -> str:
        """``upcoming`` (not begun), ``running`` (not ended), ``due`` (ended, deadline not
        passed) or ``overdue``."""
        if today < self.period.start:
            return "upcoming"
        if today <= self.period.end:
            return "running"
        return "due" if today <= self.deadline else "overdue"


@dataclass(frozen=True)
class Calendar:
    id: str
    code: str
    name: str
    province_code: str
    rules: tuple[DeadlineRule, ...]
    lead_times: tuple[LeadTime, ...] = ()
    overrides: tuple[DeadlineOverride, ...] = ()
    version: int = 0
    retired: bool = False
    legal_basis: str = ""

    @property
    def kinds(self) -> frozenset[PeriodKind]:
        return frozenset(r.kind for r in self.rules)

    def rule(self, kind: PeriodKind) -> DeadlineRule:
        found = next((r for r in self.rules if r.kind is kind), None)
        if found is None:
            raise InvalidArgument.single(
                "period.kind",
                f"Lịch báo cáo '{self.code}' không quy định hạn cho kỳ {kind.label.lower()}",
            )
        return found

    def schedule(self, period: Period, days: WorkingDays) -> Schedule:
        rule = self.rule(period.kind)
        override = next((o for o in self.overrides if o.period == period), None)
        if override is not None:
            raw = override.due
        else:
            raw = rule.due.resolve(period)
            if rule.before:
                raw -= timedelta(days=1)
        deadline = days.adjust(raw)
        cutoff = (
            DateRange(rule.cutoff_start.resolve(period), rule.cutoff_end.resolve(period))
            if rule.cutoff_start and rule.cutoff_end
            else None
        )
        internal = tuple(
            InternalDeadline(
                lt.step, lt.name, lt.responsible,
                days.adjust(deadline - timedelta(days=lt.days_before)),
            )
            for lt in sorted(self.lead_times, key=lambda lt: (-lt.days_before, lt.step))
        )
        return Schedule(period, self.code, deadline, raw, cutoff, internal)
