"""The oversight service's one event translator: what a comment or report recorded, as the
protobuf event published for it (``proto/ktxh/oversight/v1/events.proto``)."""

from __future__ import annotations

from ktxh.oversight.v1 import events_pb2 as ev
from ktxh_platform.domain import DomainEvent
from ktxh_platform.messaging import OutgoingEvent

from ktxh_oversight.adapters.wire import comment_to_pb, rec_to_pb, report_to_pb, response_to_pb
from ktxh_oversight.domain import model as m


def translate_event(event: DomainEvent) -> OutgoingEvent:
    match event:
        case m.CommentPosted(comment=c):
            return OutgoingEvent("comment", c.id, c.version, ev.CommentPosted(comment=comment_to_pb(c)))
        case m.CommentResponded(comment=c, response=r):
            return OutgoingEvent("comment", c.id, c.version, ev.CommentResponded(
                comment=comment_to_pb(c), response=response_to_pb(r)))
        case m.CommentEdited(comment=c):
            return OutgoingEvent("comment", c.id, c.version, ev.CommentEdited(comment=comment_to_pb(c)))
        case m.CommentClosed(comment=c):
            return OutgoingEvent("comment", c.id, c.version, ev.CommentClosed(comment=comment_to_pb(c)))
        case m.CommentDeleted(comment=c):
            return OutgoingEvent("comment", c.id, c.version, ev.CommentDeleted(comment=comment_to_pb(c)))
        case m.OversightReportFiled(report=r):
            return OutgoingEvent("oversight_report", r.id, r.version, ev.OversightReportFiled(
                oversight_report=report_to_pb(r)))
        case m.ReportResponded(report=r, response=x):
            return OutgoingEvent("oversight_report", r.id, r.version, ev.OversightReportResponded(
                oversight_report_id=r.id, response=response_to_pb(x)))
        case m.RecommendationAnswered(view=v, response=x):
            message = ev.RecommendationAnswered(recommendation=rec_to_pb(v), response=response_to_pb(x))
        case m.RecommendationResolved(view=v):
            message = ev.RecommendationResolved(recommendation=rec_to_pb(v))
        case m.RecommendationReopened(view=v):
            message = ev.RecommendationReopened(recommendation=rec_to_pb(v))
        case m.RecommendationDue(view=v):
            message = ev.RecommendationDue(recommendation=rec_to_pb(v))
        case m.RecommendationOverdue(view=v):
            message = ev.RecommendationOverdue(recommendation=rec_to_pb(v))
        case _:
            raise TypeError(f"no wire form for {type(event).__name__}")
    return OutgoingEvent("oversight_report", v.oversight_report_id, v.report_version, message)
