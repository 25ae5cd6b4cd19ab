"""The assignment service's one event translator: what a decision or an assignment recorded,
as the protobuf event published for it (``proto/ktxh/assignment/v1/events.proto``)."""

from __future__ import annotations

from ktxh.assignment.v1 import events_pb2
from ktxh_assignment.adapters.wire import assignment_to_pb, decision_to_pb
from ktxh_assignment.domain.decisions import (
    AssignmentAcknowledged,
    AssignmentAcknowledgementOverdue,
    AssignmentAdjusted,
    AssignmentCancelled,
    AssignmentIssued,
    DecisionIssued,
    DecisionRevoked,
)
from ktxh_platform.domain import DomainEvent
from ktxh_platform.messaging import OutgoingEvent


def translate_event(event: DomainEvent) -> OutgoingEvent:
    match event:
        case DecisionIssued(decision=d):
            msg = events_pb2.DecisionIssued(
                decision=decision_to_pb(d, with_assignments=False), assignment_count=len(d.assignments)
            )
            return OutgoingEvent("decision", d.id, d.version, msg)
        case DecisionRevoked(decision=d, reason=reason):
            msg = events_pb2.DecisionRevoked(decision=decision_to_pb(d, with_assignments=False), reason=reason)
            return OutgoingEvent("decision", d.id, d.version, msg)
        case AssignmentIssued(assignment=a):
            msg = events_pb2.AssignmentIssued(assignment=assignment_to_pb(a), decision_number=a.decision_number)
        case AssignmentAdjusted(assignment=a, before=b):
            msg = events_pb2.AssignmentAdjusted(
                assignment=assignment_to_pb(a), before=assignment_to_pb(b), decision_number=a.decision_number
            )
        case AssignmentAcknowledged(assignment=a):
            msg = events_pb2.AssignmentAcknowledged(assignment=assignment_to_pb(a))
        case AssignmentCancelled(assignment=a, reason=reason):
            msg = events_pb2.AssignmentCancelled(assignment=assignment_to_pb(a), reason=reason)
        case AssignmentAcknowledgementOverdue(assignment=a, days_waiting=days):
            msg = events_pb2.AssignmentAcknowledgementOverdue(
                assignment=assignment_to_pb(a), decision_number=a.decision_number, days_waiting=days
            )
        case _:
            raise TypeError(f"no wire form for {type(event).__name__}")
    return OutgoingEvent("assignment", a.id, a.version, msg)
