"""Reporting calendars (Lịch báo cáo): deadlines, data cut-off windows, internal lead times.

Nothing is hard-coded: a ``Calendar`` is data (seed 001's calendar lives in the seed file).

Every day in a rule is anchored on the **last month of the period** (November for the
monthly report of 11/2026, June for the first half-year, December for the year) and shifted
by ``month_offset`` months:

* "Báo cáo tháng gửi trước ngày 20 hằng tháng" ->
  ``DeadlineRule(MONTH, due=RelativeDate(0, 20), before=True)``
* "6 tháng: trước ngày 15/6 và 15/12" -> ``DeadlineRule(HALF_YEAR, RelativeDate(0, 15))``
  (the last month of H1 is June, of H2 December)
* "Năm: trước ngày 10/12" -> ``DeadlineRule(YEAR, RelativeDate(0, 10))``
* Decree 09/2019/NĐ-CP, monthly cut-off from the 15th of the previous month to the 14th of
  the reporting month -> ``cutoff_start=RelativeDate(-1, 15), cutoff_end=RelativeDate(0, 14)``
  on the monthly rule; annual from 15/12 of the previous year to 14/12 ->
  ``RelativeDate(-12, 15)`` to ``RelativeDate(0, 14)``.

One rule per kind of period holds its due date and its data cut-off window, as the proto's
``DeadlineRule`` does (either may be absent, not both).

**"Trước ngày 20" (before the 20th) means the last on-time day is the 19th** (``before=True``
subtracts one day). ``deadline()`` returns that last on-time day. Internal lead times count
calendar days back from it: offices 3 days early -> 16/11, the consolidating office 1 day
early -> 18/11 for the report of 11/2026.

A rule day that does not exist in a month the rule can fall in (31/02, 31/06, 29/02 which
only exists in leap years) is refused by ``validate()`` with the field named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ktxh_catalog.domain.errors import FieldViolation, InvalidArgument, Violations
from ktxh_catalog.domain.indicators import Frequency, validate_code
from ktxh_catalog.domain.periods import Period, add_months

__all__ = [
    "Calendar",
    "DateRange",
    "DeadlineOverride",
    "DeadlineRule",
    "InternalDeadline",
    "LeadTime",
    "RelativeDate",
    "Schedule",
    "check_day_in_months",
    "parse_day_month",
]

_STEP = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_MONTH_DAYS = {1: 31, 2: 28, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30,
               12: 31}  # February: 28, since 29/02 does not exist every year


def _anchor_months(freq: Frequency) -> tuple[int, ...]:
    """The months a period of this frequency can end in."""
    if freq is Frequency.QUARTER:
        return (3, 6, 9, 12)
    if freq is Frequency.HALF_YEAR:
        return (6, 12)
    if freq is Frequency.NINE_MONTHS:
        return (9,)
    if freq in (Frequency.YEAR, Frequency.PLAN_PERIOD):
        return (12,)
    return tuple(range(1, 13))  # month, point in time


def check_day_in_months(day: int, months: tuple[int, ...], field_name: str) -> list[FieldViolation]:
    """Refuse a day that does not exist in one of ``months`` (31/02, 31/4, 29/02)."""
    if not 1 <= day <= 31:
        return [FieldViolation(field_name, f"Ngày {day} không hợp lệ (phải từ 1 đến 31)")]
    bad = [m for m in months if day > _MONTH_DAYS[m]]
    if not bad:
        return []
    if len(bad) >= 2 and len(months) == 12:
        return [FieldViolation(
            field_name,
            f"Ngày {day} không tồn tại ở mọi tháng (ví dụ {day:02d}/{bad[0]:02d}); "
            "chọn ngày từ 1 đến 28",
        )]
    m = bad[0]
    if m == 2 and day == 29:
        return [FieldViolation(field_name, "Ngày 29/02 chỉ có trong năm nhuận, không dùng được "
                               "cho lịch báo cáo hằng năm")]
    return [FieldViolation(field_name, f"Ngày {day:02d}/{m:02d} không tồn tại")]


def parse_day_month(text: str, field_name: str = "day_month") -> tuple[int, int]:
    """Parse ``"15/6"`` -> ``(15, 6)``; refuses ``"31/02"`` with a Vietnamese message."""
    m = re.fullmatch(r"\s*(\d{1,2})\s*/\s*(\d{1,2})\s*", text)
    if not m:
        raise InvalidArgument.single(field_name, f"'{text}' không đúng dạng ngày/tháng (vd 15/6)")
    day, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12:
        raise InvalidArgument.single(field_name, f"Tháng {month} không hợp lệ")
    errs = check_day_in_months(day, (month,), field_name)
    if errs:
        raise InvalidArgument(errs, errs[0].message)
    return day, month


def _resolve(period: Period, day: int, month_offset: int) -> date:
    y, m = period.last_month
    y, m = add_months(y, m, month_offset)
    try:
        return date(y, m, day)
    except ValueError:
        raise InvalidArgument.single(
            "day", f"Ngày {day:02d}/{m:02d}/{y} không tồn tại"
        ) from None


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date  # inclusive

    def __contains__(self, d: object) -> bool:
        return isinstance(d, date) and self.start <= d <= self.end


@dataclass(frozen=True)
class RelativeDate:
    """``day`` of the month ``month_offset`` months after the last month of a period (0 = that
    month, -1 = the month before, -12 = the same month a year earlier)."""

    month_offset: int
    day: int

    def resolve(self, period: Period) -> date:
        return _resolve(period, self.day, self.month_offset)


@dataclass(frozen=True)
class DeadlineRule:
    """The rule of one kind of period: the due date (``due``; with ``before`` the report is
    due the day before, "trước ngày") and the data cut-off window (``cutoff_start`` to
    ``cutoff_end``, both inclusive)."""

    period_kind: Frequency
    due: RelativeDate | None = None
    cutoff_start: RelativeDate | None = None
    cutoff_end: RelativeDate | None = None
    before: bool = True
    description: str = ""
    cutoff_description: str = ""

    def resolve_due(self, period: Period) -> date | None:
        if self.due is None:
            return None
        d = self.due.resolve(period)
        return d - timedelta(days=1) if self.before else d

    def resolve_cutoff(self, period: Period) -> DateRange | None:
        if self.cutoff_start is None or self.cutoff_end is None:
            return None
        return DateRange(self.cutoff_start.resolve(period), self.cutoff_end.resolve(period))


@dataclass(frozen=True)
class LeadTime:
    """An internal step that must finish ``days_before`` calendar days before the official
    deadline (seed 001: offices 3 days, Văn phòng HĐND và UBND 1 day)."""

    step: str  # e.g. "office_entry", "consolidation", "approval"
    name: str  # Vietnamese, shown to users
    days_before: int
    responsible: str = ""  # office code or kind: "VP", "office"


@dataclass(frozen=True)
class DeadlineOverride:
    """"Hoặc thời gian có thể điều chỉnh khi có hướng dẫn khác": a one-off deadline."""

    period_code: str  # e.g. "2026-M12"
    due_date: date
    reason: str = ""


@dataclass(frozen=True)
class InternalDeadline:
    step: str
    name: str
    responsible: str
    due: date


@dataclass(frozen=True)
class Schedule:
    period: Period
    deadline: date  # last on-time day of the official report
    cutoff: DateRange | None
    internal: tuple[InternalDeadline, ...]


@dataclass(frozen=True)
class Calendar:
    code: str
    name: str
    rules: tuple[DeadlineRule, ...]
    lead_times: tuple[LeadTime, ...] = ()
    overrides: tuple[DeadlineOverride, ...] = ()
    legal_basis: str = ""  # free text: "Kế hoạch .../KH-UBND; Nghị định 09/2019/NĐ-CP"
    description: str = ""

    @property
    def frequencies(self) -> frozenset[Frequency]:
        """The kinds of period the calendar sets a due date for."""
        return frozenset(r.period_kind for r in self.rules if r.due is not None)

    def rule(self, freq: Frequency) -> DeadlineRule | None:
        return next((r for r in self.rules if r.period_kind is freq), None)

    # ------------------------------------------------------------ computations

    def deadline(self, period: Period) -> date:
        """The last on-time day of the official report for ``period``."""
        for o in self.overrides:
            if o.period_code == period.code:
                return o.due_date
        rule = self.rule(period.frequency)
        due = rule.resolve_due(period) if rule else None
        if due is None:
            raise InvalidArgument.single(
                "period_kind",
                f"Lịch '{self.code}' chưa có quy định hạn báo cáo cho tần suất "
                f"{period.frequency.label}",
            )
        return due

    def cutoff(self, period: Period) -> DateRange | None:
        rule = self.rule(period.frequency)
        return rule.resolve_cutoff(period) if rule else None

    def internal_deadlines(self, period: Period) -> tuple[InternalDeadline, ...]:
        due = self.deadline(period)
        steps = sorted(self.lead_times, key=lambda lt: -lt.days_before)
        return tuple(
            InternalDeadline(lt.step, lt.name, lt.responsible, due - timedelta(days=lt.days_before))
            for lt in steps
        )

    def schedule(self, period: Period) -> Schedule:
        return Schedule(period, self.deadline(period), self.cutoff(period),
                        self.internal_deadlines(period))

    # ------------------------------------------------------------ validation

    def validate(self) -> list[FieldViolation]:
        v = Violations()
        v.extend(validate_code(self.code))
        if not self.name.strip():
            v.add("name", "Tên lịch báo cáo không được để trống")
        if not self.frequencies:
            v.add("rules", "Lịch phải có ít nhất một quy định hạn báo cáo")
        seen: set[Frequency] = set()
        for i, r in enumerate(self.rules):
            self._validate_rule(r, f"rules[{i}]", seen, v)
        steps: set[str] = set()
        for i, lt in enumerate(self.lead_times):
            p = f"lead_times[{i}]"
            if not _STEP.match(lt.step):
                v.add(f"{p}.step", f"Mã bước '{lt.step}' không hợp lệ")
            if lt.step in steps:
                v.add(f"{p}.step", f"Bước '{lt.step}' bị lặp")
            steps.add(lt.step)
            if not lt.name.strip():
                v.add(f"{p}.name", "Tên bước không được để trống")
            if not 0 <= lt.days_before <= 60:
                v.add(f"{p}.days_before", "Số ngày nộp trước hạn phải từ 0 đến 60")
        periods: set[str] = set()
        for i, o in enumerate(self.overrides):
            p = f"overrides[{i}]"
            try:
                Period.parse(o.period_code)
            except InvalidArgument:
                v.add(f"{p}.period_code", f"Mã kỳ báo cáo '{o.period_code}' không hợp lệ")
            if o.period_code in periods:
                v.add(f"{p}.period_code", f"Kỳ '{o.period_code}' có nhiều hạn điều chỉnh")
            periods.add(o.period_code)
        return list(v)

    @staticmethod
    def _validate_rule(r: DeadlineRule, p: str, seen: set[Frequency], v: Violations) -> None:
        if r.period_kind in seen:
            v.add(f"{p}.period_kind", f"Loại kỳ {r.period_kind.label} có nhiều quy định")
        seen.add(r.period_kind)
        anchors = _anchor_months(r.period_kind)
        if r.due is None and r.cutoff_start is None and r.cutoff_end is None:
            v.add(f"{p}.due", "Phải nhập hạn báo cáo")
        if r.due is not None:
            months = tuple(add_months(2000, m, r.due.month_offset)[1] for m in anchors)
            v.extend(check_day_in_months(r.due.day, months, f"{p}.due.day"))
            if abs(r.due.month_offset) > 24:
                v.add(f"{p}.due.month_offset", "Độ lệch tháng phải trong khoảng ±24")
        start, end = r.cutoff_start, r.cutoff_end
        if (start is None) != (end is None):
            v.add(f"{p}.cutoff_end" if start is not None else f"{p}.cutoff_start",
                  "Thời gian chốt số liệu phải có cả ngày bắt đầu và ngày kết thúc")
        if start is None or end is None:
            return
        for rd, name in ((start, "cutoff_start"), (end, "cutoff_end")):
            months = tuple(add_months(2000, m, rd.month_offset)[1] for m in anchors)
            v.extend(check_day_in_months(rd.day, months, f"{p}.{name}.day"))
        if (start.month_offset, start.day) > (end.month_offset, end.day):
            v.add(f"{p}.cutoff_end.day", "Ngày kết thúc chốt số liệu phải sau ngày bắt đầu")
        if start.month_offset - end.month_offset < -60:
            v.add(f"{p}.cutoff_start.month_offset", "Khoảng chốt số liệu quá dài")
