"""Historical figures from 2010 loaded into the read model (SQLite and PostgreSQL): a dry run
writes nothing and gives the same summary; loaded figures roll up and export like accepted
ones; loading again ignores equal values and updates changed ones; bad rows are refused with
their row, field and reason while the rest load; a period with an accepted report is refused."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from ktxh_platform.auth.principal import AuthorizationError
from ktxh_platform.messaging import MessagingContext, no_events
from ktxh_reporting.adapters import tables
from ktxh_reporting.adapters.historical_store import SqlHistoryUnitOfWork
from ktxh_reporting.adapters.read_model import ReadModel
from ktxh_reporting.domain.rollups import FigureRef
from ktxh_reporting.service_layer.historical_import import HistoricalRow, import_historical
from ktxh_reporting.service_layer.rollups import GetRollup, get_rollup
from reporting_support import accepted, indicator, leader, org_unit, planner, submission

TODAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def world():
    return [
        org_unit("p", "31", "Thành phố Hải Phòng", "province", None),
        org_unit("b", "B", "Xã Bình", "commune", "p"),
        org_unit("c", "C", "Xã Cát", "commune", "p"),
        indicator("THU", unit="tỷ đồng", name="Thu ngân sách"),
        accepted(submission("s-b-2610", "b", "B", "2026-M10", 2, {"THU": "33"})),
    ]


def row(unit, period, value, code="THU"):
    return HistoricalRow(unit, period, FigureRef(code), value)


async def load(db, rows, dry_run=False, who=None):
    uow = SqlHistoryUnitOfWork(db, MessagingContext("reporting", "31", "", tables.outbox,
                                                    no_events), "ke_hoach")
    return await import_historical(rows, dry_run=dry_run, uow=uow, principal=who or planner(),
                                   today=TODAY, now=NOW)


async def province_thu(db, period):
    async with db.sessions() as session:
        result = await get_rollup(GetRollup(period, org_unit_code="31", indicator_codes=("THU",)),
                                  ReadModel(session), planner(), TODAY)
    return next((line.value for line in result.lines if line.is_total), None)


async def test_historical_figures_load_roll_up_and_reload_idempotently(reporting_db, feeder):
    await feeder.feed(*world())
    rows = [row("B", "2015-M10", "12.5"), row("C", "2015-M10", "7"), row("B", "2015", "140"),
            row("X", "2015-M10", "1"), row("B", "2009-M10", "1"), row("C", "2015-M11", "abc"),
            row("B", "2026-M10", "30"), row("C", "2030-M01", "1")]
    dry = await load(reporting_db, rows, dry_run=True)
    assert (dry.imported, dry.updated, dry.ignored, dry.dry_run) == (3, 0, 0, True)
    assert [(r.row, r.field) for r in dry.refused] == [
        (4, "org_unit_code"), (5, "period_code"), (6, "value"), (7, "period_code"),
        (8, "period_code")]
    assert "đã có báo cáo kỳ 2026-M10 được tiếp nhận" in dry.refused[3].reason
    assert await province_thu(reporting_db, "2015-M10") is None  # the dry run wrote nothing

    done = await load(reporting_db, rows)
    assert (done.imported, done.updated, done.ignored, done.dry_run) == (3, 0, 0, False)
    assert await province_thu(reporting_db, "2015-M10") == Decimal("19.5")  # 12.5 + 7
    assert await province_thu(reporting_db, "2026-M10") == Decimal(33)  # the live figure wins

    again = await load(reporting_db, [row("B", "2015-M10", "12.50"), row("C", "2015-M10", "8")])
    assert (again.imported, again.updated, again.ignored) == (0, 1, 1)
    assert await province_thu(reporting_db, "2015-M10") == Decimal("20.5")


async def test_only_province_writers_load_history(reporting_db, feeder):
    await feeder.feed(*world())
    with pytest.raises(AuthorizationError):  # a commune leader has no report write grant
        await load(reporting_db, [row("B", "2015-M10", "1")], who=leader("B"))
    assert await province_thu(reporting_db, "2015-M10") is None
