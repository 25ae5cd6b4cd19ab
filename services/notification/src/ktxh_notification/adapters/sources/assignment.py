"""Notices from the assignment service's events (topic `ktxh.assignment.assignment.v1`).

Each receiving unit hears about what it was assigned, what was adjusted or cancelled, and a
reminder when it has not acknowledged in time; the assigning unit hears when a unit
acknowledged. The events of one decision for one unit and one kind of item are gathered into
one notice (`group_key`), so a decision of 200 targets is one notice "200 chỉ tiêu".
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ktxh.assignment.v1 import assignment_pb2, events_pb2
from ktxh.common.v1 import envelope_pb2

from ktxh_notification.adapters.sources.base import Source, occurred_at
from ktxh_notification.domain.notices import NoticeDraft
from ktxh_notification.service_layer.unit_of_work import UnitDirectory

# Vietnamese name of each kind of item (noun, as in "được giao chỉ tiêu"), by enum name so a
# kind the contract adds later reads as "nội dung" until it is named here.
NOUN = {
    "ASSIGNMENT_KIND_INDICATOR_TARGET": "chỉ tiêu",
    "ASSIGNMENT_KIND_KEY_TASK": "nhiệm vụ trọng tâm",
    "ASSIGNMENT_KIND_THEMATIC_PLAN": "kế hoạch chuyên đề",
    "ASSIGNMENT_KIND_CRITERIA_SET": "bộ tiêu chí đánh giá",
}
RECEIVED = "#/duoc-giao"


def _noun(a: assignment_pb2.Assignment) -> str:
    try:
        return NOUN.get(assignment_pb2.AssignmentKind.Name(a.kind), "nội dung")
    except ValueError:
        return "nội dung"


def _number(text: str) -> str:
    """A decimal string as Vietnamese write it: "1250000.5" → "1.250.000,5"."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return text
    whole, _, frac = f"{abs(value):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return ("-" if value < 0 else "") + grouped + ("," + frac if frac else "")


def _date(iso: str) -> str:
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso)
    return f"{m[3]}/{m[2]}/{m[1]}" if m else iso


def _decision_number(message: object) -> str:
    """The message's `decision_number` where its contract carries one."""
    fields = message.DESCRIPTOR.fields_by_name  # type: ignore[attr-defined]
    return message.decision_number if "decision_number" in fields else ""


def _decision(number: str) -> str:
    return f"Quyết định {number}" if number else "quyết định mới"


def _what(a: assignment_pb2.Assignment) -> str:
    """One line naming the item, e.g. "Chỉ tiêu HP2081.XIII.01 năm 2026: 1250"."""
    subject = a.WhichOneof("subject")
    if subject == "target":
        t = a.target
        value = t.target_text or (
            f"{_number(t.target_value)}–{_number(t.target_value_max)}" if t.target_value_max
            else _number(t.target_value)
        )
        return f"Chỉ tiêu {t.key.indicator_code} năm {a.year}: {value}".rstrip(": ")
    if subject == "task":
        deadline = f", hạn {_date(a.task.deadline)}" if a.task.deadline else ""
        return f"Nhiệm vụ trọng tâm năm {a.year}{deadline}"
    if subject == "plan":
        deadline = f", hạn {_date(a.plan.deadline)}" if a.plan.deadline else ""
        return f"Kế hoạch chuyên đề năm {a.year}{deadline}"
    if subject == "criteria":
        return f"Bộ tiêu chí đánh giá năm {a.year}"
    return f"Nội dung được giao năm {a.year}"


def _draft(
    a: assignment_pb2.Assignment, envelope: envelope_pb2.EventEnvelope, *, unit_id: str,
    group: str, title: str, body: str, group_body: str, link: str = "", group_link: str = "",
) -> NoticeDraft:
    return NoticeDraft(
        unit_id=unit_id, group_key=f"assignment:{group}:{a.decision_id}:{a.kind}", title=title,
        body=body, link=link or f"{RECEIVED}/{a.id}", group_body=group_body,
        group_link=group_link or RECEIVED, event_id=envelope.event_id, event_type=envelope.type,
        occurred_at=occurred_at(envelope),
    )


async def issued(
    m: events_pb2.AssignmentIssued, envelope: envelope_pb2.EventEnvelope, _: UnitDirectory
) -> list[NoticeDraft]:
    a, noun = m.assignment, _noun(m.assignment)
    return [_draft(
        a, envelope, unit_id=a.assignee_unit_id, group="issued",
        title=f"Đơn vị được giao {noun} theo {_decision(m.decision_number)}",
        body=f"{_what(a)}. Mở để xem và xác nhận đã nhận.",
        group_body=f"{{n}} {noun} năm {a.year} được giao. Mở để xem và xác nhận đã nhận.",
    )]


async def adjusted(
    m: events_pb2.AssignmentAdjusted, envelope: envelope_pb2.EventEnvelope, _: UnitDirectory
) -> list[NoticeDraft]:
    a, noun = m.assignment, _noun(m.assignment)
    change = ""
    if a.WhichOneof("subject") == "target" and m.before.target.target_value != a.target.target_value:
        change = f" (trước: {_number(m.before.target.target_value) or '—'})"
    number = _decision_number(m)
    return [_draft(
        a, envelope, unit_id=a.assignee_unit_id, group="adjusted",
        title=f"{noun.capitalize()} được giao đã được điều chỉnh" + (f" theo Quyết định {number}" if number else ""),
        body=f"{_what(a)}{change}.",
        group_body=f"{{n}} {noun} năm {a.year} đã được điều chỉnh.",
    )]


async def cancelled(
    m: events_pb2.AssignmentCancelled, envelope: envelope_pb2.EventEnvelope, _: UnitDirectory
) -> list[NoticeDraft]:
    a, noun = m.assignment, _noun(m.assignment)
    reason = f" Lý do: {m.reason}" if m.reason else ""
    return [_draft(
        a, envelope, unit_id=a.assignee_unit_id, group="cancelled",
        title=f"{noun.capitalize()} được giao đã bị hủy",
        body=f"{_what(a)}.{reason}",
        group_body=f"{{n}} {noun} năm {a.year} đã bị hủy.{reason}",
    )]


async def acknowledged(
    m: events_pb2.AssignmentAcknowledged, envelope: envelope_pb2.EventEnvelope, units: UnitDirectory
) -> list[NoticeDraft]:
    a, noun = m.assignment, _noun(m.assignment)
    if not a.assigner_unit_id:
        return []
    who = await units.name(a.assignee_unit_id) or "Đơn vị được giao"
    by = f" (người xác nhận: {a.acknowledgement.acknowledged_by})" if a.acknowledgement.acknowledged_by else ""
    decision = f"#/quyet-dinh-giao/{a.decision_id}"
    return [_draft(
        a, envelope, unit_id=a.assigner_unit_id, group=f"acknowledged:{a.assignee_unit_id}",
        title=f"{who} đã xác nhận đã nhận {noun} được giao",
        body=f"{_what(a)}{by}.", group_body=f"{who} đã xác nhận đã nhận {{n}} {noun} được giao.",
        link=decision, group_link=decision,
    )]


async def overdue(
    m: events_pb2.AssignmentAcknowledgementOverdue, envelope: envelope_pb2.EventEnvelope,
    _: UnitDirectory,
) -> list[NoticeDraft]:
    a, noun = m.assignment, _noun(m.assignment)
    return [_draft(
        a, envelope, unit_id=a.assignee_unit_id, group=f"overdue:{m.days_waiting}",
        title=f"Chưa xác nhận {noun} theo {_decision(m.decision_number)}",
        body=f"{_what(a)}: đã {m.days_waiting} ngày chưa xác nhận đã nhận.",
        group_body=f"{{n}} {noun} đã {m.days_waiting} ngày chưa xác nhận đã nhận.",
    )]


SOURCE = Source(
    service="assignment",
    aggregate="assignment",
    mappings={
        events_pb2.AssignmentIssued: issued,
        events_pb2.AssignmentAdjusted: adjusted,
        events_pb2.AssignmentCancelled: cancelled,
        events_pb2.AssignmentAcknowledged: acknowledged,
        events_pb2.AssignmentAcknowledgementOverdue: overdue,
    },
)
