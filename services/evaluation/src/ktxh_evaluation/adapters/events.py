"""The evaluation service's one event translator: what a round or an evaluation recorded, as
the protobuf event published for it (``proto/ktxh/evaluation/v1/events.proto``) on
``ktxh.evaluation.evaluation.v1`` (key: the evaluation or round id)."""

from __future__ import annotations

from ktxh.evaluation.v1 import events_pb2
from ktxh_platform.domain import DomainEvent
from ktxh_platform.messaging import OutgoingEvent

from ktxh_evaluation.adapters.wire import edition_to_pb, evaluation_to_pb, round_to_pb
from ktxh_evaluation.domain.evaluations import (
    EvaluationFinalized,
    EvaluationReopened,
    ReviewAnswered,
    ReviewRequested,
    RoundClosed,
    RoundOpened,
    SelfEvaluationSubmitted,
)
from ktxh_evaluation.domain.results import ResultsPublished


def translate_event(event: DomainEvent) -> OutgoingEvent:
    match event:
        case RoundOpened(round=r):
            return OutgoingEvent("evaluation", r.id, r.version, events_pb2.RoundOpened(round=round_to_pb(r)))
        case RoundClosed(round=r):
            return OutgoingEvent("evaluation", r.id, r.version, events_pb2.RoundClosed(round=round_to_pb(r)))
        case ResultsPublished(edition=x):
            return OutgoingEvent("evaluation", x.id, 1,
                                 events_pb2.ResultsPublished(edition=edition_to_pb(x)))
        case SelfEvaluationSubmitted(evaluation=e, round=r):
            msg = events_pb2.SelfEvaluationSubmitted(evaluation=evaluation_to_pb(e, r))
        case EvaluationFinalized(evaluation=e, round=r):
            msg = events_pb2.EvaluationFinalized(evaluation=evaluation_to_pb(e, r))
        case EvaluationReopened(evaluation=e, reason=reason):
            msg = events_pb2.EvaluationReopened(evaluation=evaluation_to_pb(e, None), reason=reason)
        case ReviewRequested(evaluation=e):
            msg = events_pb2.ReviewRequested(evaluation=evaluation_to_pb(e, None))
        case ReviewAnswered(evaluation=e):
            msg = events_pb2.ReviewAnswered(evaluation=evaluation_to_pb(e, None))
        case _:
            raise TypeError(f"no wire form for {type(event).__name__}")
    return OutgoingEvent("evaluation", e.id, e.version, msg)
