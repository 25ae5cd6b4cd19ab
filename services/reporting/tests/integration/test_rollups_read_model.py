"""The read model fed only by events through the platform's inbox consumers (SQLite and
PostgreSQL), read back through the GetRollup use case: sums, a rate as a ratio of sums, a stock
as its last value, a merged commune under its successor, targets with % of plan and polarity,
redelivery and reordering, and the scope (a commune, the Front)."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pytest
from ktxh_platform.domain import NotFound
from ktxh_reporting.adapters.read_model import ReadModel
from ktxh_reporting.service_layer.rollups import GetRollup, get_rollup
from reporting_support import (
    accepted,
    front,
    indicator,
    leader,
    org_unit,
    planner,
    reopened,
    submission,
    target,
)

TODAY = date(2026, 11, 30)


def world():
    return [
        org_unit("p", "31", "Thành phố Hải Phòng", "province", None),
        org_unit("a", "A", "Xã An (cũ)", "commune", "p", successors=["b"], valid_to="2025-06-30", version=2),
        org_unit("b", "B", "Xã Bình", "commune", "p"),
        org_unit("c", "C", "Xã Cát", "commune", "p"),
        org_unit("f", "F", "Ủy ban MTTQ xã Cát", "front", "c"),
        indicator("THU", unit="tỷ đồng", name="Thu ngân sách"),
        indicator("HN", time="STOCK"),
        indicator("HO", time="STOCK"),
        indicator("TLHN", spatial="RATIO", time="RATE", numerator="HN", denominator="HO", scale="100",
                  polarity="LOWER_IS_BETTER", unit="%", name="Tỷ lệ hộ nghèo"),
        indicator("TRUONG", time="STOCK"),
        submission_event("s-a-2510", "a", "A", "2025-M10", {"THU": "10"}),
        submission_event("s-b-2510", "b", "B", "2025-M10", {"THU": "20"}),
        submission_event("s-c-2510", "c", "C", "2025-M10", {"THU": "5"}),
        submission_event("s-b-2609", "b", "B", "2026-M09", {"THU": "3", "TRUONG": "4"}),
        submission_event("s-c-2609", "c", "C", "2026-M09", {"THU": "2"}),
        submission_event("s-b-2610", "b", "B", "2026-M10",
                         {"THU": "33", "HN": "50", "HO": "1000", "TRUONG": "5"}),
        submission_event("s-c-2610", "c", "C", "2026-M10", {"THU": "7", "HN": "30", "HO": "500"}),
        target("t-thu", "p", "THU", "500"),
        target("t-tlhn", "p", "TLHN", "6"),
        target("t-c-thu", "c", "THU", "90", fronts=["f"]),
    ]


def submission_event(sid, uid, code, period, figures, version=2):
    return accepted(submission(sid, uid, code, period, version, figures))


async def rollup(db, who, unit, period, codes=(), children=False):
    async with db.sessions() as session:
        result = await get_rollup(GetRollup(period, org_unit_code=unit, indicator_codes=tuple(codes),
                                            include_children=children),
                                  ReadModel(session), who, TODAY)
    return {(line.unit.code, line.key.indicator_code): line for line in result.lines}


async def test_province_october_rollup(reporting_db, feeder):
    await feeder.feed(*world())
    rows = await rollup(reporting_db, planner(), "31", "2026-M10", children=True)

    thu = rows["31", "THU"]
    assert thu.value == Decimal(40) and thu.previous_year == Decimal(35)
    assert round(thu.growth_percent, 4) == Decimal("14.2857")
    assert thu.year_to_date == Decimal(45)  # January to October: 3 + 33 + 2 + 7
    assert thu.plan_percent == Decimal(8) and thu.achievement == "at_risk"
    assert (thu.reporting_units, thu.expected_units) == (2, 2)
    assert rows["B", "THU"].value == Decimal(33) and rows["C", "THU"].value == Decimal(7)

    rate = rows["31", "TLHN"]  # 80 poor households of 1,500, not the mean of 5 % and 6 %
    assert round(rate.value, 4) == Decimal("5.3333")
    assert (rate.numerator, rate.denominator) == (Decimal(80), Decimal(1500))
    assert rate.achievement == "achieved"  # lower is better: 5.33 % against at most 6 %
    assert rows["31", "TRUONG"].value == Decimal(5)


async def test_stock_quarter_and_merged_commune(reporting_db, feeder):
    await feeder.feed(*world())
    q3 = await rollup(reporting_db, planner(), "31", "2026-Q3", ["TRUONG", "THU"])
    assert q3["31", "TRUONG"].value == Decimal(4)  # the last month of the quarter with a figure
    assert q3["31", "THU"].value == Decimal(5)  # only September was reported
    # the merged commune's 2025 figure counts toward its successor, so 2025 compares with 2026
    b = await rollup(reporting_db, planner(), "B", "2025-M10", ["THU"])
    assert b["B", "THU"].value == Decimal(30)


async def test_redelivery_and_reordering_give_the_same_state(reporting_db, feeder):
    await feeder.feed(*world())
    first = submission("s-c-2611", "c", "C", "2026-M11", 2, {"THU": "1"})
    again = submission("s-c-2611", "c", "C", "2026-M11", 4, {"THU": "9"})
    events = [accepted(first), reopened(submission("s-c-2611", "c", "C", "2026-M11", 3)), accepted(again)]
    order = [2, 0, 1, 2, 0, 1]
    random.Random(7).shuffle(order)
    await feeder.feed(*(events[i] for i in order))
    rows = await rollup(reporting_db, planner(), "31", "2026-M11", ["THU"])
    assert rows["31", "THU"].value == Decimal(9)

    await feeder.feed(reopened(submission("s-c-2611", "c", "C", "2026-M11", 5)))
    rows = await rollup(reporting_db, planner(), "31", "2026-M11", ["THU"])
    assert rows["31", "THU"].value is None and rows["31", "THU"].reporting_units == 0
    assert rows["31", "THU"].year_to_date == Decimal(45)  # January to October still count


async def test_scope_of_a_commune_and_of_the_front(reporting_db, feeder):
    await feeder.feed(*world())
    own = await rollup(reporting_db, leader("C"), "C", "2026-M10")
    assert {k for k in own} == {("C", "THU"), ("C", "HN"), ("C", "HO"), ("C", "TLHN")}
    assert own["C", "THU"].target.value == Decimal(90)
    with pytest.raises(NotFound):
        await rollup(reporting_db, leader("C"), "31", "2026-M10")
    with pytest.raises(NotFound):
        await rollup(reporting_db, leader("C"), "B", "2026-M10")

    opened = await rollup(reporting_db, front("F"), "C", "2026-M10")
    assert list(opened) == [("C", "THU")]  # only what the issued assignment opened to it
    with pytest.raises(NotFound):
        await rollup(reporting_db, planner(province="01"), "31", "2026-M10")
