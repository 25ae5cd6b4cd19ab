"""Calendar computations for seed 001 (plus Decree 09/2019 cut-offs) and date rules.

"Gửi trước ngày 20" is read as: the last on-time day is the 19th. Offices hand in 3
calendar days before that, the consolidating office 1 day before.
"""

from dataclasses import replace
from datetime import date

import pytest
from ktxh_catalog.domain.calendars import (
    Calendar,
    DateRange,
    DeadlineOverride,
    DeadlineRule,
    LeadTime,
    RelativeDate,
    parse_day_month,
)
from ktxh_catalog.domain.errors import InvalidArgument
from ktxh_catalog.domain.indicators import Frequency
from ktxh_catalog.domain.periods import Period
from ktxh_catalog.seed import load_haiphong_2081

F = Frequency


@pytest.fixture(scope="module")
def cal() -> Calendar:
    return load_haiphong_2081().calendars["LICH.HP2081"]


def test_seed_calendar_is_valid(cal):
    assert cal.validate() == []
    assert cal.frequencies == {F.MONTH, F.QUARTER, F.HALF_YEAR, F.YEAR}


def test_monthly_report_november_2026(cal):
    s = cal.schedule(Period.month(2026, 11))
    assert s.deadline == date(2026, 11, 19)
    assert s.cutoff == DateRange(date(2026, 10, 15), date(2026, 11, 14))
    due = {i.step: i.due for i in s.internal}
    assert due["office_entry"] == date(2026, 11, 16)
    assert due["consolidation"] == date(2026, 11, 18)
    assert due["approval_and_submission"] == date(2026, 11, 19)
    assert [i.step for i in s.internal] == ["office_entry", "consolidation",
                                            "approval_and_submission"]
    assert {i.responsible for i in s.internal} == {"office", "VP", "PVHXH"}


def test_monthly_cutoff_crosses_the_year(cal):
    assert cal.cutoff(Period.month(2027, 1)) == DateRange(date(2026, 12, 15), date(2027, 1, 14))
    assert cal.deadline(Period.month(2027, 1)) == date(2027, 1, 19)


def test_half_year_reports(cal):
    h1 = cal.schedule(Period.half_year(2026, 1))
    assert h1.deadline == date(2026, 6, 14)
    assert h1.cutoff == DateRange(date(2025, 12, 15), date(2026, 6, 14))
    h2 = cal.schedule(Period.half_year(2026, 2))
    assert h2.deadline == date(2026, 12, 14)
    assert h2.cutoff == DateRange(date(2026, 6, 15), date(2026, 12, 14))
    assert {i.step: i.due for i in h1.internal}["office_entry"] == date(2026, 6, 11)


def test_annual_report(cal):
    s = cal.schedule(Period.of_year(2026))
    assert s.deadline == date(2026, 12, 9)
    assert s.cutoff == DateRange(date(2025, 12, 15), date(2026, 12, 14))
    assert {i.step: i.due for i in s.internal}["consolidation"] == date(2026, 12, 8)


def test_quarter_report(cal):
    assert cal.deadline(Period.quarter(2026, 3)) == date(2026, 9, 19)
    assert cal.cutoff(Period.quarter(2026, 3)) == DateRange(date(2026, 6, 15), date(2026, 9, 14))


def test_missing_rule_is_a_named_error(cal):
    with pytest.raises(InvalidArgument) as exc:
        cal.deadline(Period.plan_period(2026))
    assert exc.value.violations[0].field == "period_kind"
    assert "5 năm" in exc.value.violations[0].message


def test_override_for_one_period(cal):
    c = replace(cal, overrides=(DeadlineOverride("2026-M12", date(2026, 12, 25),
                                                 "Theo hướng dẫn khác"),))
    assert c.validate() == []
    assert c.deadline(Period.month(2026, 12)) == date(2026, 12, 25)
    assert c.deadline(Period.month(2026, 11)) == date(2026, 11, 19)


def _cal(*rules, leads=()) -> Calendar:
    return Calendar("CAL", "Lịch", tuple(rules), tuple(leads))


def _due(freq: Frequency, day: int, month_offset: int = 0, **kw) -> DeadlineRule:
    return DeadlineRule(freq, RelativeDate(month_offset, day), **kw)


def test_31_february_is_refused_with_the_field_named():
    c = _cal(_due(F.QUARTER, 31, month_offset=-1))  # Q1 -> 31/02
    v = c.validate()
    assert [x.field for x in v] == ["rules[0].due.day"]
    assert "31/02" in v[0].message and "không tồn tại" in v[0].message
    v = _cal(_due(F.MONTH, 31)).validate()
    assert v[0].field == "rules[0].due.day" and "31/02" in v[0].message
    v = _cal(_due(F.HALF_YEAR, 31)).validate()  # 31/06
    assert "31/06" in v[0].message
    v = _cal(_due(F.YEAR, 29, month_offset=2)).validate()  # 29/02
    assert "năm nhuận" in v[0].message
    assert _cal(_due(F.YEAR, 31)).validate() == []  # 31/12 exists


def test_parse_day_month():
    assert parse_day_month("15/6") == (15, 6)
    with pytest.raises(InvalidArgument) as exc:
        parse_day_month("31/02", "rules[0].due")
    assert exc.value.violations[0].field == "rules[0].due"
    assert "31/02" in exc.value.violations[0].message
    with pytest.raises(InvalidArgument):
        parse_day_month("15/13")


def test_other_calendar_rules():
    c = _cal(_due(F.MONTH, 20),
             DeadlineRule(F.MONTH, cutoff_start=RelativeDate(0, 14), cutoff_end=RelativeDate(-1, 15)),
             DeadlineRule(F.QUARTER, cutoff_start=RelativeDate(-1, 31)),
             DeadlineRule(F.YEAR),
             leads=[LeadTime("office", "Phòng", 3), LeadTime("office", "", -1)])
    assert {x.field for x in c.validate()} == {
        "rules[1].period_kind", "rules[1].cutoff_end.day", "rules[2].cutoff_end",
        "rules[3].due", "lead_times[1].step", "lead_times[1].name", "lead_times[1].days_before"}


def test_a_calendar_needs_a_due_date():
    c = _cal(DeadlineRule(F.MONTH, cutoff_start=RelativeDate(-1, 15), cutoff_end=RelativeDate(0, 14)))
    assert [x.field for x in c.validate()] == ["rules"]
    with pytest.raises(InvalidArgument) as exc:
        c.deadline(Period.month(2026, 2))
    assert "chưa có quy định hạn báo cáo" in exc.value.violations[0].message


def test_deadline_without_before_is_the_day_itself():
    c = _cal(_due(F.MONTH, 20, before=False))
    assert c.deadline(Period.month(2026, 2)) == date(2026, 2, 20)
