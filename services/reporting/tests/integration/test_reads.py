"""Series, submission progress and incremental figures, read from the event-fed read model
(SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ktxh.submission.v1 import events_pb2 as submission_events
from ktxh_reporting.adapters.read_model import ReadModel
from ktxh_reporting.domain.periods import PeriodKind
from ktxh_reporting.domain.rollups import FigureRef
from ktxh_reporting.service_layer import reads
from reporting_support import accepted, envelope, front, indicator, leader, org_unit, planner, submission, target

TODAY = date(2026, 11, 30)


def world():
    return [
        org_unit("p", "31", "Thành phố", "province", None),
        org_unit("b", "B", "Xã Bình", "commune", "p"),
        org_unit("c", "C", "Xã Cát", "commune", "p"),
        org_unit("d", "D", "Xã Đông", "commune", "p"),
        org_unit("f", "F", "Ủy ban MTTQ xã Cát", "front", "c"),
        indicator("THU"), indicator("HO", time="STOCK"),
        accepted(submission("s-b-09", "b", "B", "2026-M09", 2, {"THU": "3", "HO": "10"})),
        accepted(submission("s-b-10", "b", "B", "2026-M10", 2, {"THU": "4", "HO": "12"})),
        accepted(submission("s-c-10", "c", "C", "2026-M10", 2, {"THU": "5"})),
        target("t-c", "c", "THU", "60", fronts=["f"]),
    ]


async def test_series_by_month_and_quarter(reporting_db, feeder):
    await feeder.feed(*world())
    async with reporting_db.sessions() as s:
        months = await reads.get_series(reads.GetSeries(FigureRef("THU"), PeriodKind.MONTH, 2026, 2026,
                                                        org_unit_code="31"), ReadModel(s), planner(), TODAY)
        quarters = await reads.get_series(reads.GetSeries(FigureRef("HO"), PeriodKind.QUARTER, 2026, 2026,
                                                          org_unit_code="31"), ReadModel(s), planner(), TODAY)
        own = await reads.get_series(reads.GetSeries(FigureRef("THU"), PeriodKind.YEAR, 2025, 2026,
                                                     org_unit_code="C"), ReadModel(s), leader("C"), TODAY)
    assert [(p.period.code, p.value) for p in months if p.value is not None] == [
        ("2026-M09", Decimal(3)), ("2026-M10", Decimal(9))]
    assert len(months) == 12
    assert [p.value for p in quarters] == [None, None, Decimal(10), Decimal(12)]  # stock: last value
    assert [(p.period.code, p.value, p.target.value if p.target else None) for p in own] == [
        ("2025", None, None), ("2026", Decimal(5), Decimal(60))]


async def test_progress_counts_sent_accepted_and_missing(reporting_db, feeder):
    await feeder.feed(*world())
    late = submission("s-d-10", "d", "D", "2026-M10", 1)
    late.timeliness.state, late.timeliness.days_late = "late", 2
    await feeder.feed(envelope(submission_events.SubmissionSent(submission=late), aggregate="submission",
                               aggregate_id="s-d-10"))
    async with reporting_db.sessions() as s:
        progress = await reads.get_progress("2026-M10", ReadModel(s), planner(), org_unit_code="31")
    assert [(u.unit.code, u.status, u.timeliness) for u in progress.units] == [
        ("B", "accepted", ""), ("C", "accepted", ""), ("D", "sent", "late")]
    assert progress.count_by_status() == {"accepted": 2, "sent": 1}
    async with reporting_db.sessions() as s:
        november = await reads.get_progress("2026-M11", ReadModel(s), planner(), org_unit_code="31")
    assert november.count_by_status() == {"not_opened": 3}


async def test_figures_are_read_incrementally_in_pages(reporting_db, feeder):
    await feeder.feed(*world())
    seen, token = [], ""
    async with reporting_db.sessions() as s:
        while True:
            rows, token = await reads.list_figures(reads.ListFigures(page_size=2, page_token=token),
                                                   ReadModel(s), planner())
            seen += [(u.code, f.key.indicator_code, f.period_code, f.value) for u, f in rows]
            if not token:
                break
        last = max(f.updated_at for _, f in rows) if rows else None
    assert sorted(seen) == [("B", "HO", "2026-M09", 10), ("B", "HO", "2026-M10", 12),
                            ("B", "THU", "2026-M09", 3), ("B", "THU", "2026-M10", 4),
                            ("C", "THU", "2026-M10", 5)]
    # later: only what was accepted after the last read
    await feeder.feed(accepted(submission("s-c-11", "c", "C", "2026-M11", 2, {"THU": "6"})))
    async with reporting_db.sessions() as s:
        newer, _ = await reads.list_figures(reads.ListFigures(updated_since=last), ReadModel(s), planner())
        fronts, _ = await reads.list_figures(reads.ListFigures(), ReadModel(s), front("F"))
    assert [(u.code, f.period_code, f.value) for u, f in newer] == [("C", "2026-M11", 6)]
    assert {(u.code, f.key.indicator_code) for u, f in fronts} == {("C", "THU")}
