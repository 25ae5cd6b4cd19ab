"""The world the integration tests run in: the unit tree of Xã Hà Tây and a sibling commune,
and seed 001's calendar, as the catalog's events carry them."""

from __future__ import annotations

from ktxh.catalog.v1 import catalog_pb2
from ktxh.common.v1 import types_pb2

K = catalog_pb2.OrgUnitKind
UNITS = [  # id, code, kind, parent
    ("p", "31", K.ORG_UNIT_KIND_PROVINCE, ""),
    ("c1", "10846", K.ORG_UNIT_KIND_COMMUNE, "p"),
    ("o-pkt", "10846.PKT", K.ORG_UNIT_KIND_OFFICE, "c1"),
    ("o-vhxh", "10846.PVHXH", K.ORG_UNIT_KIND_OFFICE, "c1"),
    ("o-hcc", "10846.TTHCC", K.ORG_UNIT_KIND_OFFICE, "c1"),
    ("o-vp", "10846.VP", K.ORG_UNIT_KIND_OFFICE, "c1"),
    ("c2", "11311", K.ORG_UNIT_KIND_COMMUNE, "p"),
    ("o2-pkt", "11311.PKT", K.ORG_UNIT_KIND_OFFICE, "c2"),
]


def seed_calendar() -> catalog_pb2.Calendar:
    """LICH.HP2081 as the catalog publishes it (seed 001's calendar)."""
    return catalog_pb2.Calendar(
        id="cal-1", code="LICH.HP2081", name="Lịch báo cáo Bộ chỉ số 2081 cấp xã",
        province_code="31", version=1,
        rules=[
            catalog_pb2.DeadlineRule(
                period_kind=types_pb2.PERIOD_KIND_MONTH, due=catalog_pb2.RelativeDate(day=20),
                before=True, cutoff_start=catalog_pb2.RelativeDate(month_offset=-1, day=15),
                cutoff_end=catalog_pb2.RelativeDate(day=14)),
            catalog_pb2.DeadlineRule(period_kind=types_pb2.PERIOD_KIND_HALF_YEAR,
                                     due=catalog_pb2.RelativeDate(day=15), before=True),
        ],
        lead_times=[
            catalog_pb2.CalendarLeadTime(step="office_entry", name="Các phòng cung cấp số liệu",
                                         days_before=3, responsible="office"),
            catalog_pb2.CalendarLeadTime(step="consolidation", name="Văn phòng tổng hợp",
                                         days_before=1, responsible="VP"),
        ],
    )
