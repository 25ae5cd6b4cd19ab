"""Deadlines of reporting periods (pure domain), with properties checked by hypothesis. The
periods themselves are the platform's (`libs/ktxh-platform/tests/test_periods.py`)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ktxh_platform.domain import InvalidArgument
from ktxh_submission.domain.calendars import (
    Calendar,
    DeadlineOverride,
    DeadlineRule,
    LeadTime,
    RelativeDay,
    Shift,
    WorkingDays,
)
from ktxh_submission.domain.periods import Period, PeriodKind
from submission_fakes import SEED_001

def test_seed_001_deadlines_for_october_2026():
    s = SEED_001.schedule(Period.month(2026, 10), WorkingDays())
    # "before the 20th": the 19th, a Monday; offices on the 16th (Fri), the VP on the 18th
    # (Sunday) moves to Friday the 16th
    assert s.rule_deadline == date(2026, 10, 19)
    assert s.deadline == date(2026, 10, 19)
    assert [(i.step, i.due) for i in s.internal] == [
        ("office_entry", date(2026, 10, 16)),
        ("consolidation", date(2026, 10, 16)),  # 18/10 is a Sunday: the Friday before
    ]
    assert s.cutoff is not None and (s.cutoff.start, s.cutoff.end) == (date(2026, 9, 15),
                                                                       date(2026, 10, 14))
    assert s.status(date(2026, 10, 5)) == "running"
    assert s.status(date(2026, 11, 19)) == "overdue"
    half = SEED_001.schedule(Period.half_year(2026, 2), WorkingDays())
    assert half.rule_deadline == date(2026, 12, 14)


def test_weekend_and_holiday_rule_is_configurable():
    # 2026-11-19 is a Thursday; make it and the 18th holidays
    days = WorkingDays.parse("2026-11-18, 2026-11-19")
    s = SEED_001.schedule(Period.month(2026, 11), days)
    assert s.deadline == date(2026, 11, 17)
    later = WorkingDays.parse("2026-11-19", "later")
    assert SEED_001.schedule(Period.month(2026, 11), later).deadline == date(2026, 11, 20)
    keep = WorkingDays.parse("2026-11-19", "none")
    assert SEED_001.schedule(Period.month(2026, 11), keep).deadline == date(2026, 11, 19)
    with pytest.raises(InvalidArgument) as err:
        WorkingDays.parse("2026-13-01", "sideways")
    assert {v.field for v in err.value.violations} == {"holidays", "shift"}


def test_an_override_replaces_the_rule_for_one_period():
    cal = Calendar(**{**SEED_001.__dict__, "overrides": (
        DeadlineOverride(Period.month(2026, 12), date(2026, 12, 25), "Hướng dẫn của Sở"),)})
    assert cal.schedule(Period.month(2026, 12), WorkingDays()).deadline == date(2026, 12, 25)
    assert cal.schedule(Period.month(2027, 1), WorkingDays()).deadline == date(2027, 1, 19)


def test_a_kind_without_a_rule_is_refused_in_vietnamese():
    with pytest.raises(InvalidArgument) as err:
        SEED_001.schedule(Period.quarter(2026, 4), WorkingDays())
    assert "không quy định hạn cho kỳ quý" in err.value.violations[0].message


holiday_sets = st.frozensets(st.dates(date(2026, 1, 1), date(2027, 12, 31)), max_size=40)
day_rules = st.builds(RelativeDay, st.integers(-2, 2), st.integers(1, 31))


@given(
    st.sampled_from([Period.month(2026, m) for m in range(1, 13)]),
    day_rules, st.booleans(), holiday_sets, st.sampled_from([Shift.EARLIER, Shift.LATER]),
    st.lists(st.integers(0, 20), max_size=4),
)
def test_deadlines_fall_on_working_days_and_internal_ones_come_first(
    period, due, before, holidays, shift, leads
):
    cal = Calendar(
        id="c", code="C", name="C", province_code="31",
        rules=(DeadlineRule(PeriodKind.MONTH, due, before),),
        lead_times=tuple(LeadTime(f"s{i}", "Bước", d) for i, d in enumerate(leads)),
    )
    days = WorkingDays(holidays, shift)
    s = cal.schedule(period, days)
    assert days.is_working_day(s.deadline)
    if shift is Shift.EARLIER:
        assert s.deadline <= s.rule_deadline
        assert all(i.due <= s.deadline for i in s.internal)
    else:
        assert s.deadline >= s.rule_deadline
    for i in s.internal:
        assert days.is_working_day(i.due) and i.due <= s.deadline
    dues = [i.due for i in s.internal]
    assert dues == sorted(dues)  # longest lead first


def test_timeliness_on_time_late_by_n_days_or_missing():
    from ktxh_submission.domain.submissions import Timeliness

    due = date(2026, 10, 19)
    assert Timeliness.of(due, date(2026, 10, 19), date(2026, 10, 25)).label == "Đúng hạn"
    assert Timeliness.of(due, date(2026, 10, 21), date(2026, 10, 25)).label == "Trễ 2 ngày"
    assert Timeliness.of(due, None, date(2026, 10, 25)).label == "Chưa gửi, quá hạn 6 ngày"
    assert Timeliness.of(due, None, date(2026, 10, 19)).state == "pending"
