"""Test support of the reporting service: builders of the real event envelopes the catalog,
assignment and submission services publish, and a feeder that pushes them through the
platform's inbox consumers (`EventConsumer`) as the runtime wires them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from google.protobuf import any_pb2, timestamp_pb2
from google.protobuf.message import Message
from ktxh.assignment.v1 import assignment_pb2
from ktxh.assignment.v1 import events_pb2 as assignment_events
from ktxh.catalog.v1 import catalog_pb2
from ktxh.catalog.v1 import events_pb2 as catalog_events
from ktxh.common.v1 import envelope_pb2, figure_pb2, types_pb2
from ktxh.submission.v1 import events_pb2 as submission_events
from ktxh.submission.v1 import submission_pb2
from ktxh_platform.auth.principal import FRONT_MEMBER, PLANNING_OFFICER, UNIT_LEADER, Principal
from ktxh_platform.bus.base import Record
from ktxh_platform.messaging import EventConsumer
from ktxh_reporting.adapters import projections, tables, task_projections
from ktxh_reporting.adapters.org_unit_projection import HANDLERS as UNIT_HANDLERS

PROVINCE = "31"

KINDS = {"province": 1, "district": 2, "commune": 3, "agency": 4, "office": 5, "front": 6}


def principal(role: str, unit: str | None, province: str = PROVINCE) -> Principal:
    return Principal("s-" + (unit or "p"), f"u-{unit}", "Người dùng", frozenset({role}), unit, province)


def planner(province: str = PROVINCE) -> Principal:
    return principal(PLANNING_OFFICER, "STC", province)


def leader(unit_code: str, province: str = PROVINCE) -> Principal:
    return principal(UNIT_LEADER, unit_code, province)


def front(unit_code: str, province: str = PROVINCE) -> Principal:
    return principal(FRONT_MEMBER, unit_code, province)


def envelope(message: Message, *, aggregate: str, aggregate_id: str, version: int = 1,
             province: str = PROVINCE, event_id: str | None = None) -> envelope_pb2.EventEnvelope:
    payload = any_pb2.Any()
    payload.Pack(message, type_url_prefix="type.googleapis.com/")
    occurred = timestamp_pb2.Timestamp()
    occurred.FromDatetime(datetime.now(UTC))
    return envelope_pb2.EventEnvelope(
        event_id=event_id or str(uuid.uuid4()), type=message.DESCRIPTOR.full_name,
        occurred_at=occurred, province_code=province, actor="test", aggregate_type=aggregate,
        aggregate_id=aggregate_id, aggregate_version=version, payload=payload,
    )


def org_unit(uid: str, code: str, name: str, kind: str, parent: str | None, *, successors=(),
             valid_from: str = "", valid_to: str = "", version: int = 1,
             province: str = PROVINCE) -> envelope_pb2.EventEnvelope:
    unit = catalog_pb2.OrgUnit(
        id=uid, code=code, name=name, kind=KINDS[kind], parent_id=parent or "",
        province_code=province, valid_from=valid_from, valid_to=valid_to, version=version,
        successor_ids=list(successors),
    )
    msg = catalog_events.OrgUnitCreated(unit=unit) if version == 1 else catalog_events.OrgUnitUpdated(unit=unit)
    return envelope(msg, aggregate="org_unit", aggregate_id=uid, version=version, province=province)


def indicator(code: str, *, spatial: str = "SUM", time: str = "FLOW", polarity: str = "HIGHER_IS_BETTER",
              numerator: str = "", denominator: str = "", weight: str = "", scale: str = "",
              formula: str = "", unit: str = "", name: str = "", revision: int = 1,
              valid_from: str = "2010-01-01", province: str = PROVINCE,
              iid: str | None = None) -> envelope_pb2.EventEnvelope:
    ind = catalog_pb2.Indicator(
        id=iid or f"ind-{province}-{code}", code=code, name=name or code, unit_of_measure=unit,
        spatial_aggregation=catalog_pb2.SpatialAggregation.Value(f"SPATIAL_AGGREGATION_{spatial}"),
        time_aggregation=catalog_pb2.TimeAggregation.Value(f"TIME_AGGREGATION_{time}"),
        polarity=catalog_pb2.Polarity.Value(f"POLARITY_{polarity}"),
        numerator_code=numerator, denominator_code=denominator, weight_indicator_code=weight,
        scale=scale, formula=formula, province_code=province, valid_from=valid_from,
        version=revision, revision=revision,
    )
    msg = (catalog_events.IndicatorCreated(indicator=ind) if revision == 1
           else catalog_events.IndicatorUpdated(indicator=ind, effective_from=valid_from))
    return envelope(msg, aggregate="indicator", aggregate_id=ind.id, version=revision, province=province)


def period_of(code: str) -> types_pb2.Period:
    year, _, rest = code.partition("-")
    if rest.startswith("M"):
        return types_pb2.Period(kind=types_pb2.PERIOD_KIND_MONTH, year=int(year), number=int(rest[1:]), code=code)
    if rest.startswith("Q"):
        return types_pb2.Period(kind=types_pb2.PERIOD_KIND_QUARTER, year=int(year), number=int(rest[1:]), code=code)
    return types_pb2.Period(kind=types_pb2.PERIOD_KIND_YEAR, year=int(year), code=code)


def key(code: str, members: dict[str, str] | None = None, kind: str = "ACTUAL") -> figure_pb2.FigureKey:
    return figure_pb2.FigureKey(
        indicator_code=code,
        members=[figure_pb2.DimensionChoice(dimension_code=d, member_code=m)
                 for d, m in sorted((members or {}).items())],
        kind=figure_pb2.FigureKind.Value(f"FIGURE_KIND_{kind}"),
    )


def submission(sid: str, unit_id: str, unit_code: str, period: str, version: int,
               figures: dict[str, str] | None = None, province: str = PROVINCE) -> submission_pb2.Submission:
    return submission_pb2.Submission(
        id=sid, org_unit_id=unit_id, org_unit_code=unit_code, period=period_of(period),
        calendar_code="CAL", deadline="2026-11-20", province_code=province, version=version,
        figures=[submission_pb2.Figure(key=key(*_split(k)), value=v) for k, v in (figures or {}).items()],
    )


def _split(text: str) -> tuple[str, dict[str, str]]:
    code, _, dims = text.partition("[")
    return code, dict(p.split("=") for p in dims.rstrip("]").split(",") if p)


def accepted(sub: submission_pb2.Submission) -> envelope_pb2.EventEnvelope:
    return envelope(submission_events.SubmissionAccepted(submission=sub), aggregate="submission",
                    aggregate_id=sub.id, version=sub.version, province=sub.province_code)


def reopened(sub: submission_pb2.Submission) -> envelope_pb2.EventEnvelope:
    bare = submission_pb2.Submission()
    bare.CopyFrom(sub)
    del bare.figures[:]
    return envelope(submission_events.SubmissionReopened(submission=bare, reason="Sai số liệu"),
                    aggregate="submission", aggregate_id=sub.id, version=sub.version,
                    province=sub.province_code)


def target(aid: str, unit_id: str, code: str, value: str, *, year: int = 2026, version: int = 1,
           status: str = "ISSUED", fronts=(), value_max: str = "", comparison: str = "UNSPECIFIED",
           effective_from: str = "2026-01-01", effective_to: str = "",
           province: str = PROVINCE) -> envelope_pb2.EventEnvelope:
    a = assignment_pb2.Assignment(
        id=aid, decision_id="qd", kind=assignment_pb2.ASSIGNMENT_KIND_INDICATOR_TARGET,
        assignee_unit_id=unit_id, year=year, province_code=province, version=version,
        status=assignment_pb2.AssignmentStatus.Value(f"ASSIGNMENT_STATUS_{status}"),
        front_unit_ids=list(fronts), effective_from=effective_from, effective_to=effective_to,
        target=assignment_pb2.IndicatorTarget(
            key=key(code, kind="TARGET"), period=types_pb2.Period(kind=types_pb2.PERIOD_KIND_YEAR, year=year, code=str(year)),
            target_value=value, target_value_max=value_max,
            comparison=types_pb2.TargetComparison.Value(f"TARGET_COMPARISON_{comparison}")),
    )
    return envelope(assignment_events.AssignmentIssued(assignment=a), aggregate="assignment",
                    aggregate_id=aid, version=version, province=province)


TOPICS = {
    "org_unit": "ktxh.catalog.org_unit.v1", "indicator": "ktxh.catalog.indicator.v1",
    "submission": "ktxh.submission.submission.v1", "assignment": "ktxh.assignment.assignment.v1",
    "key_task": "ktxh.catalog.key_task.v1",
}


class Feeder:
    """The reporting consumers as the runtime builds them, fed records by hand."""

    def __init__(self, db, bus) -> None:
        def consumer(group: str, handlers) -> EventConsumer:
            return EventConsumer(db, tables.inbox, bus, service="reporting", group=f"reporting.{group}",
                                 handlers=handlers, retry_delay=0.01)

        self.by_aggregate = {
            "org_unit": [consumer("org_units", UNIT_HANDLERS)],
            "indicator": [consumer(projections.RULES_GROUP, projections.RULE_HANDLERS)],
            "submission": [consumer(projections.FIGURES_GROUP, projections.FIGURE_HANDLERS),
                           consumer(task_projections.TASK_PROGRESS_GROUP, task_projections.TASK_PROGRESS_HANDLERS)],
            "assignment": [consumer(projections.TARGETS_GROUP, projections.TARGET_HANDLERS),
                           consumer(task_projections.TASK_ASSIGNMENTS_GROUP,
                                    task_projections.TASK_ASSIGNMENT_HANDLERS)],
            "key_task": [consumer(task_projections.KEY_TASKS_GROUP, task_projections.KEY_TASK_HANDLERS)],
        }

    async def feed(self, *envs: envelope_pb2.EventEnvelope) -> None:
        for env in envs:
            record = Record(topic=TOPICS[env.aggregate_type], key=env.aggregate_id.encode(),
                            value=env.SerializeToString())
            for c in self.by_aggregate[env.aggregate_type]:
                await c.handle(record)
