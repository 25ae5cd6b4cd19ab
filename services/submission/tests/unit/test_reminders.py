"""Deadline reminders (issue 11, point 5): before the internal and the official deadlines,
and after the official one, each once, for the units that still owe the report."""

from __future__ import annotations

from datetime import UTC, date, datetime

from ktxh_submission.domain.figures import FormLine
from ktxh_submission.domain.periods import Period, PeriodKind
from ktxh_submission.domain.reminders import (
    DeadlineApproaching,
    Overdue,
    UnitReport,
    candidate_periods,
    due_reminders,
)
from ktxh_submission.domain.submissions import Status
from ktxh_submission.service_layer import submissions as svc
from submission_fakes import SEED_001, FakeUnitOfWork, Store
from test_form_building import TONG_HOP

OCTOBER = SEED_001.schedule(Period.month(2026, 10), svc.Settings().working_days)
UNITS = [UnitReport("u1", "10846"), UnitReport("u2", "11311", "s-2", "sent")]


def test_the_schedule_of_october_2026() -> None:
    # official 19/10 (Monday); offices 16/10; the office's 18/10 is a Sunday → 16/10
    assert OCTOBER.deadline == date(2026, 10, 19)
    assert sorted((d.step, d.due) for d in OCTOBER.internal) == [
        ("consolidation", date(2026, 10, 16)), ("office_entry", date(2026, 10, 16))]


def test_approaching_deadlines_within_the_window_for_units_that_still_owe() -> None:
    due = due_reminders(date(2026, 10, 14), OCTOBER, UNITS, set(), days_before=3, overdue_horizon=30)
    # 16/10 is 2 days away (both internal steps); 19/10 is 5 days away: not yet
    assert sorted((type(e).__name__, e.unit_code, e.step, e.days_left) for e in due) == [
        ("DeadlineApproaching", "10846", "consolidation", 2),
        ("DeadlineApproaching", "10846", "office_entry", 2)]
    due = due_reminders(date(2026, 10, 17), OCTOBER, UNITS, set(), days_before=3, overdue_horizon=30)
    assert [(e.unit_code, e.step, e.days_left) for e in due] == [("10846", "official", 2)]
    # already reminded: nothing again
    already = {("u1", "2026-M10", OCTOBER.calendar_code, "official")}
    assert due_reminders(date(2026, 10, 18), OCTOBER, UNITS, already, days_before=3, overdue_horizon=30) == []
    # once consolidated, the internal steps are past: only the official deadline is reminded
    consolidated = [UnitReport("u1", "10846", "s-1", "consolidated")]
    due = due_reminders(date(2026, 10, 16), OCTOBER, consolidated, set(), days_before=3, overdue_horizon=30)
    assert [e.step for e in due] == ["official"]


def test_overdue_after_the_official_deadline_within_the_horizon() -> None:
    due = due_reminders(date(2026, 10, 22), OCTOBER, UNITS, set(), days_before=3, overdue_horizon=30)
    assert [(type(e).__name__, e.unit_code, e.days_late) for e in due] == [("Overdue", "10846", 3)]
    assert isinstance(due[0], Overdue) and due[0].due == date(2026, 10, 19)
    assert due_reminders(date(2026, 12, 1), OCTOBER, UNITS, set(), days_before=3, overdue_horizon=30) == []


def test_candidate_periods_hold_today_and_the_ones_around_it() -> None:
    got = candidate_periods(date(2026, 10, 14), frozenset({PeriodKind.MONTH, PeriodKind.YEAR}))
    assert [p.code for p in got] == ["2026-M08", "2026-M09", "2026-M10", "2026-M11",
                                     "2024", "2025", "2026", "2027"]


async def test_the_job_sends_each_reminder_once_and_skips_units_that_sent() -> None:
    store = Store([SEED_001])
    # overdue reminders only within 5 days (September's missing reports stay quiet here)
    settings = svc.Settings(clock=lambda: datetime(2026, 10, 12, tzinfo=UTC), overdue_horizon=5)
    line = FormLine("HP2081.XIII.12", "Số nhà ở", "10846.PKT", required=False)
    sub = await svc.open_submission(svc.OpenSubmission("10846", "2026-M10", "HP2081", (line,)),
                                    FakeUnitOfWork(store), TONG_HOP, settings)
    uow = FakeUnitOfWork(store)
    assert await svc.remind_deadlines(datetime(2026, 10, 17, 7, tzinfo=UTC), uow, settings) == 2
    events = sorted((e.unit_code, e.step, e.submission_id) for e in uow.published
                     if isinstance(e, DeadlineApproaching))
    assert events == [("10846", "official", sub.id), ("11311", "official", "")]
    again = FakeUnitOfWork(store)
    assert await svc.remind_deadlines(datetime(2026, 10, 18, 7, tzinfo=UTC), again, settings) == 0
    assert again.published == []
    # 10846 sends; on the 21st only 11311 is overdue
    store.subs[sub.id].status = Status.SENT
    late = FakeUnitOfWork(store)
    assert await svc.remind_deadlines(datetime(2026, 10, 21, 7, tzinfo=UTC), late, settings) == 1
    assert [(e.unit_code, e.days_late) for e in late.published] == [("11311", 2)]
