"""Test support of the notification service: an in-memory unit of work (the fast tests) and
builders of real event envelopes as the assignment and catalog services publish them."""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Self

from google.protobuf import any_pb2, timestamp_pb2
from google.protobuf.message import Message
from ktxh.assignment.v1 import assignment_pb2, events_pb2
from ktxh.catalog.v1 import catalog_pb2
from ktxh.common.v1 import envelope_pb2, figure_pb2
from ktxh_notification.domain.notices import Notice, Reader
from ktxh_platform.access import HOME_UNIT_KINDS

PROVINCE = "31"


@dataclass
class Unit:
    id: str
    code: str
    name: str
    kind: str
    parent_id: str | None
    province: str = PROVINCE


@dataclass
class MemoryState:
    units: dict[str, Unit] = field(default_factory=dict)
    notices: dict[str, Notice] = field(default_factory=dict)
    sources: dict[tuple[str, str], str] = field(default_factory=dict)
    reads: dict[tuple[str, str], datetime] = field(default_factory=dict)


class MemoryNotices:
    def __init__(self, state: MemoryState) -> None:
        self.s = state

    def _units_of(self, reader: Reader) -> set[str]:
        ids: set[str] = set()
        for u in self.s.units.values():
            if u.code == reader.unit_code and u.province == reader.province:
                ids.add(u.id)
                if u.kind in HOME_UNIT_KINDS and u.parent_id:
                    ids.add(u.parent_id)
        return ids

    def _visible(self, reader: Reader) -> list[Notice]:
        units = self._units_of(reader)
        return [n for n in self.s.notices.values()
                if n.province_code == reader.province and n.unit_id in units]

    def _as_read_by(self, n: Notice, reader: Reader) -> Notice:
        out = copy.copy(n)
        out.read_at = self.s.reads.get((n.id, reader.subject))
        return out

    async def has_source(self, event_id: str, unit_id: str) -> bool:
        return (event_id, unit_id) in self.s.sources

    async def by_group(self, unit_id: str, group_key: str) -> Notice | None:
        for n in self.s.notices.values():
            if n.unit_id == unit_id and n.group_key == group_key:
                return copy.copy(n)
        return None

    async def add(self, notice: Notice, event_id: str) -> None:
        self.s.notices[notice.id] = copy.copy(notice)
        self.s.sources[(event_id, notice.unit_id)] = notice.id

    async def gathered(self, notice: Notice, event_id: str) -> None:
        self.s.notices[notice.id] = copy.copy(notice)
        for key in [k for k in self.s.reads if k[0] == notice.id]:
            del self.s.reads[key]
        self.s.sources[(event_id, notice.unit_id)] = notice.id

    async def list_for(self, reader: Reader, *, unread_only: bool, offset: int, limit: int):
        items = sorted((self._as_read_by(n, reader) for n in self._visible(reader)),
                       key=lambda n: (n.updated_at, n.id), reverse=True)
        unread = sum(1 for n in items if n.read_at is None)
        if unread_only:
            items = [n for n in items if n.read_at is None]
        return items[offset:offset + limit], unread

    async def get_for(self, reader: Reader, notice_id: str) -> Notice | None:
        for n in self._visible(reader):
            if n.id == notice_id:
                return self._as_read_by(n, reader)
        return None

    async def mark_read(self, reader: Reader, notice: Notice, at: datetime) -> None:
        self.s.reads[(notice.id, reader.subject)] = at

    async def mark_all_read(self, reader: Reader, at: datetime) -> int:
        unread = [n for n in self._visible(reader) if (n.id, reader.subject) not in self.s.reads]
        for n in unread:
            self.s.reads[(n.id, reader.subject)] = at
        return len(unread)


class MemoryUnits:
    def __init__(self, state: MemoryState) -> None:
        self.s = state

    async def name(self, unit_id: str) -> str:
        u = self.s.units.get(unit_id)
        return u.name if u else ""


class MemoryUnitOfWork:
    """Writes land in a copy of the state, kept only on commit (as a transaction would)."""

    def __init__(self, state: MemoryState, province_code: str = PROVINCE) -> None:
        self.state = state
        self.province_code = province_code

    async def __aenter__(self) -> Self:
        self._work = copy.deepcopy(self.state)
        self.notices = MemoryNotices(self._work)
        self.units = MemoryUnits(self._work)
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def commit(self) -> None:
        self.state.notices, self.state.sources, self.state.reads = (
            self._work.notices, self._work.sources, self._work.reads)


# -- real events -----------------------------------------------------------------------------


def envelope(message: Message, *, event_id: str | None = None, at: datetime | None = None,
             aggregate: str = "assignment", aggregate_id: str = "") -> envelope_pb2.EventEnvelope:
    payload = any_pb2.Any()
    payload.Pack(message, type_url_prefix="type.googleapis.com/")
    occurred = timestamp_pb2.Timestamp()
    occurred.FromDatetime(at or datetime.now(UTC))
    return envelope_pb2.EventEnvelope(
        event_id=event_id or str(uuid.uuid4()), type=message.DESCRIPTOR.full_name,
        occurred_at=occurred, province_code=PROVINCE, actor="ke_hoach",
        aggregate_type=aggregate, aggregate_id=aggregate_id or str(uuid.uuid4()),
        aggregate_version=1, payload=payload,
    )


def target(unit_id: str, *, decision_id: str = "qd-125", indicator: str = "HP2081.XIII.01",
           value: str = "1250", assigner: str = "u-stc", assignment_id: str | None = None
           ) -> assignment_pb2.Assignment:
    return assignment_pb2.Assignment(
        id=assignment_id or str(uuid.uuid4()), decision_id=decision_id,
        kind=assignment_pb2.AssignmentKind.ASSIGNMENT_KIND_INDICATOR_TARGET,
        assignee_unit_id=unit_id, assigner_unit_id=assigner, year=2026,
        target=assignment_pb2.IndicatorTarget(
            key=figure_pb2.FigureKey(indicator_code=indicator), target_value=value),
        province_code=PROVINCE, version=1,
    )


def issued(a: assignment_pb2.Assignment, number: str = "125/QĐ-UBND") -> events_pb2.AssignmentIssued:
    return events_pb2.AssignmentIssued(assignment=a, decision_number=number)


def org_unit(unit: Unit) -> catalog_pb2.OrgUnit:
    kind = catalog_pb2.OrgUnitKind.Value(f"ORG_UNIT_KIND_{unit.kind.upper()}")
    return catalog_pb2.OrgUnit(id=unit.id, code=unit.code, name=unit.name, kind=kind,
                               parent_id=unit.parent_id or "", province_code=unit.province,
                               version=1)


# The units of the tests: the city, its finance department, two communes, an office of the
# first commune, and a unit of another province with the same code as the first commune.
CITY = Unit("u-city", "31", "Thành phố Hải Phòng", "province", None)
STC = Unit("u-stc", "STC", "Sở Tài chính", "agency", "u-city")
HA_TAY = Unit("u-hatay", "10846", "Xã Hà Tây", "commune", "u-city")
PKT_HA_TAY = Unit("u-pkt", "10846.PKT", "Phòng Kinh tế xã Hà Tây", "office", "u-hatay")
SIBLING = Unit("u-sibling", "11311", "Xã An Lão", "commune", "u-city")
OTHER_PROVINCE = Unit("u-hn", "10846", "Xã ở Hà Nội", "commune", None, province="01")
UNITS = [CITY, STC, HA_TAY, PKT_HA_TAY, SIBLING, OTHER_PROVINCE]
