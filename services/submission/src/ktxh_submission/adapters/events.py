"""The submission service's one event translator: what a report recorded, as the protobuf
event published for it (``proto/ktxh/submission/v1/events.proto``) on
`ktxh.submission.submission.v1`. Called at commit by the unit of work. Reminders are keyed
by the unit id (no report may exist yet)."""

from __future__ import annotations

from datetime import UTC, datetime

from ktxh.submission.v1 import events_pb2
from ktxh_platform.domain import DomainEvent
from ktxh_platform.messaging import OutgoingEvent

from ktxh_submission.adapters.wire import period_pb, submission_pb
from ktxh_submission.domain.reminders import DeadlineApproaching, Overdue
from ktxh_submission.domain.submissions import (
    SubmissionAccepted,
    SubmissionReopened,
    SubmissionReturned,
    SubmissionSent,
)


def translate_event(event: DomainEvent) -> OutgoingEvent:
    today = datetime.now(UTC).date()
    match event:
        case DeadlineApproaching() as e:
            return OutgoingEvent("submission", e.unit_id, 0, events_pb2.SubmissionDeadlineApproaching(
                org_unit_id=e.unit_id, org_unit_code=e.unit_code, period=period_pb(e.period),
                period_label=e.period.label, calendar_code=e.calendar_code, step=e.step,
                step_name=e.step_name, responsible=e.responsible, due_date=e.due.isoformat(),
                days_left=e.days_left, submission_id=e.submission_id))
        case Overdue() as e:
            return OutgoingEvent("submission", e.unit_id, 0, events_pb2.SubmissionOverdue(
                org_unit_id=e.unit_id, org_unit_code=e.unit_code, period=period_pb(e.period),
                period_label=e.period.label, calendar_code=e.calendar_code,
                due_date=e.due.isoformat(), days_late=e.days_late,
                submission_id=e.submission_id))
        case SubmissionSent(submission=s):
            message = events_pb2.SubmissionSent(submission=submission_pb(s, today, full=False))
        case SubmissionReturned(submission=s, reason=r):
            message = events_pb2.SubmissionReturned(
                submission=submission_pb(s, today, full=False), reason=r)
        case SubmissionAccepted(submission=s):
            message = events_pb2.SubmissionAccepted(submission=submission_pb(s, today, full=True))
        case SubmissionReopened(submission=s, reason=r):
            message = events_pb2.SubmissionReopened(
                submission=submission_pb(s, today, full=False), reason=r)
        case _:
            raise TypeError(f"no wire form for {type(event).__name__}")
    return OutgoingEvent("submission", s.id, s.version, message)
