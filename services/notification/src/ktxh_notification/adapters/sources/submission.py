"""Notices from the submission service's deadline reminders (topic
`ktxh.submission.submission.v1`): the reporting unit hears that a deadline of a period's
report is near (the official one or an internal step's) and that the report is overdue. Each
reminder is published once by the submission service; the other events of the topic (sent,
returned, accepted, reopened) make no notice here.
"""

from __future__ import annotations

import re

from ktxh.common.v1 import envelope_pb2
from ktxh.submission.v1 import events_pb2

from ktxh_notification.adapters.sources.base import Source, occurred_at
from ktxh_notification.domain.notices import NoticeDraft
from ktxh_notification.service_layer.unit_of_work import UnitDirectory

REPORTS = "#/bao-cao"


def _date(iso: str) -> str:
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso)
    return f"{m[3]}/{m[2]}/{m[1]}" if m else iso


def _link(submission_id: str) -> str:
    return f"{REPORTS}/{submission_id}" if submission_id else REPORTS


def _when(days_left: int) -> str:
    return "hôm nay" if days_left == 0 else ("ngày mai" if days_left == 1 else f"còn {days_left} ngày")


async def approaching(
    m: events_pb2.SubmissionDeadlineApproaching, envelope: envelope_pb2.EventEnvelope,
    _: UnitDirectory,
) -> list[NoticeDraft]:
    official = m.step == "official"
    what = "Hạn gửi báo cáo" if official else f"Hạn nội bộ: {m.step_name}"
    state = "" if m.submission_id else " Đơn vị chưa mở báo cáo kỳ này."
    return [NoticeDraft(
        unit_id=m.org_unit_id, group_key=f"submission:deadline:{m.period.code}:{m.calendar_code}:{m.step}",
        title=f"Sắp đến hạn báo cáo {m.period_label} ({_when(m.days_left)})",
        body=f"{what} {m.period_label} là ngày {_date(m.due_date)}.{state}",
        link=_link(m.submission_id), event_id=envelope.event_id, event_type=envelope.type,
        occurred_at=occurred_at(envelope),
    )]


async def overdue(
    m: events_pb2.SubmissionOverdue, envelope: envelope_pb2.EventEnvelope, _: UnitDirectory
) -> list[NoticeDraft]:
    state = "chưa gửi" if m.submission_id else "chưa mở"
    return [NoticeDraft(
        unit_id=m.org_unit_id, group_key=f"submission:overdue:{m.period.code}:{m.calendar_code}",
        title=f"Quá hạn gửi báo cáo {m.period_label}",
        body=(f"Báo cáo {m.period_label} {state}: hạn gửi là ngày {_date(m.due_date)}, "
              f"đã quá {m.days_late} ngày."),
        link=_link(m.submission_id), event_id=envelope.event_id, event_type=envelope.type,
        occurred_at=occurred_at(envelope),
    )]


SOURCE = Source(
    service="submission",
    aggregate="submission",
    mappings={
        events_pb2.SubmissionDeadlineApproaching: approaching,
        events_pb2.SubmissionOverdue: overdue,
    },
)
