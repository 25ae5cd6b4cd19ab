"""Reporting periods <-> ``ktxh.common.v1.Period``."""

from __future__ import annotations

from ktxh.common.v1 import types_pb2
from ktxh_platform.domain import InvalidArgument

from ktxh_catalog.adapters.item_wire.base import FREQUENCIES, Reader
from ktxh_catalog.domain.indicators import (
    Frequency,
)
from ktxh_catalog.domain.periods import Period


def period_from_pb(m: types_pb2.Period) -> Period:
    r = Reader()
    if m.code and not m.kind:
        return Period.parse(m.code)
    kind = m.kind
    if kind == types_pb2.PERIOD_KIND_MONTH:
        return Period.month(m.year, m.number)
    if kind == types_pb2.PERIOD_KIND_QUARTER:
        return Period.quarter(m.year, m.number)
    if kind == types_pb2.PERIOD_KIND_HALF_YEAR:
        return Period.half_year(m.year, m.number)
    if kind == types_pb2.PERIOD_KIND_NINE_MONTHS:
        return Period.nine_months(m.year)
    if kind == types_pb2.PERIOD_KIND_YEAR:
        return Period.of_year(m.year)
    if kind == types_pb2.PERIOD_KIND_PLAN_PERIOD:
        return Period.plan_period(m.year)
    if kind == types_pb2.PERIOD_KIND_POINT_IN_TIME:
        on = r.day(m.as_of, "period.as_of")
        r.done()
        if on is None:
            raise InvalidArgument.single("period.as_of", "Kỳ thời điểm phải có ngày")
        return Period.point_in_time(on)
    raise InvalidArgument.single("period.kind", "Loại kỳ báo cáo không hợp lệ hoặc chưa hỗ trợ "
                                 "(Tháng, Quý, 6 tháng, 9 tháng, Năm, Giai đoạn, Thời điểm)")


def period_to_pb(p: Period) -> types_pb2.Period:
    m = types_pb2.Period(kind=FREQUENCIES[p.frequency], year=p.year, code=p.code)
    if p.frequency in (Frequency.MONTH, Frequency.QUARTER, Frequency.HALF_YEAR):
        m.number = p.number
    if p.frequency is Frequency.PLAN_PERIOD:
        m.end_year = p.year + 4
    if p.on is not None:
        m.as_of = p.on.isoformat()
        m.year = 0
    return m
