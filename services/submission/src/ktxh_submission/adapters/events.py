"""The submission service's one event translator: what a report recorded, as the protobuf
event published for it (``proto/ktxh/submission/v1/events.proto``) on
`ktxh.submission.submission.v1`. Called at commit by the unit of work."""

from __future__ import annotations

from datetime import UTC, datetime

from ktxh.submission.v1 import events_pb2
from ktxh_platform.domain import DomainEvent
from ktxh_platform.messaging import OutgoingEvent

from ktxh_submission.adapters.wire import submission_pb
from ktxh_submission.domain.submissions import (
    SubmissionAccepted,
    SubmissionReopened,
    SubmissionReturned,
    SubmissionSent,
)


def translate_event(event: DomainEvent) -> OutgoingEvent:
    today = datetime.now(UTC).date()
    match event:
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
