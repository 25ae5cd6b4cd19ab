"""Projections of other services' events into the reporting read model: accepted reports
(facts), report states (progress), catalog indicator revisions (rules) and assignment targets.

Each handler runs inside the consumer's transaction, together with the inbox row, so an event's
effect is applied exactly once. Order is kept by versions, not by arrival: an event older than
what is stored (lower version of the same report or assignment) changes nothing, so
redelivery and reordering across partitions leave the same state (docs/reporting.md).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from ktxh.assignment.v1 import assignment_pb2
from ktxh.assignment.v1 import events_pb2 as assignment_events
from ktxh.catalog.v1 import catalog_pb2
from ktxh.catalog.v1 import events_pb2 as catalog_events
from ktxh.common.v1 import envelope_pb2, figure_pb2, types_pb2
from ktxh.submission.v1 import events_pb2 as submission_events
from ktxh.submission.v1 import submission_pb2
from ktxh_platform.domain import InvalidArgument
from sqlalchemy.ext.asyncio import AsyncSession

from ktxh_reporting.adapters import contributions
from ktxh_reporting.adapters.tables import facts, indicator_revisions, report_states, targets
from ktxh_reporting.domain.periods import Period
from ktxh_reporting.domain.rollups import FigureRef, Rule

FIGURES_GROUP = "figures"  # consumer group reporting.figures (submission events)
RULES_GROUP = "indicators"  # reporting.indicators (catalog indicator events)
TARGETS_GROUP = "targets"  # reporting.targets (assignment events)


def _lower(enum, value: int, prefix: str) -> str:
    return enum.Name(value).removeprefix(prefix).lower()


def figure_ref(key: figure_pb2.FigureKey, kind: str | None = None) -> FigureRef:
    k = kind or _lower(figure_pb2.FigureKind, key.kind or figure_pb2.FIGURE_KIND_ACTUAL, "FIGURE_KIND_")
    return FigureRef.of(key.indicator_code, {m.dimension_code: m.member_code for m in key.members}, k)


def period_code(p: types_pb2.Period) -> str:
    return p.code


def _time(message, name: str) -> datetime | None:
    return getattr(message, name).ToDatetime(tzinfo=UTC) if message.HasField(name) else None


def _decimal(text: str) -> str | None:
    try:
        d = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    return str(d) if d.is_finite() else None


# ---------------------------------------------------------------------- reports -> facts


async def _advance(session: AsyncSession, s: submission_pb2.Submission, status: str,
                   env: envelope_pb2.EventEnvelope) -> bool:
    """Record the report's new state unless a newer one is already stored."""
    t = report_states
    version = s.version or env.aggregate_version
    stored = await session.scalar(sa.select(t.c.version).where(t.c.submission_id == s.id))
    if stored is not None and version < stored:
        return False
    values = {
        "org_unit_id": s.org_unit_id, "org_unit_code": s.org_unit_code,
        "period_code": s.period.code, "calendar_code": s.calendar_code,
        "province_code": s.province_code or env.province_code, "status": status,
        "deadline": s.deadline, "sent_at": _time(s, "sent_at"),
        "accepted_at": _time(s, "accepted_at"), "timeliness": s.timeliness.state,
        "days_late": s.timeliness.days_late, "version": version,
        "updated_at": env.occurred_at.ToDatetime(tzinfo=UTC),
    }
    if stored is None:
        await session.execute(sa.insert(t).values(submission_id=s.id, **values))
    else:
        await session.execute(sa.update(t).where(t.c.submission_id == s.id).values(**values))
    return True


async def on_accepted(session: AsyncSession, event: submission_events.SubmissionAccepted,
                      env: envelope_pb2.EventEnvelope) -> None:
    s = event.submission
    if not await _advance(session, s, "accepted", env):
        return
    before = await _codes(session, s.id)
    await session.execute(sa.delete(facts).where(facts.c.submission_id == s.id))
    now = datetime.now(UTC)
    rows: dict[str, dict] = {}
    for f in s.figures:
        ref = figure_ref(f.key)
        if ref.kind not in ("actual", "estimate"):
            continue
        value = _decimal(f.value) if f.value else None
        if value is None and not f.text_value:
            continue
        rows[ref.text] = {
            "submission_id": s.id, "figure_key": ref.text, "indicator_code": ref.indicator_code,
            "kind": ref.kind, "org_unit_id": s.org_unit_id, "period_code": s.period.code,
            "province_code": s.province_code or env.province_code, "value": value or "",
            "text_value": f.text_value, "updated_at": now,
        }
    if rows:
        await session.execute(sa.insert(facts), list(rows.values()))
    await _refresh(session, s, env, before | {r["indicator_code"] for r in rows.values()})


async def _codes(session: AsyncSession, submission_id: str) -> set[str]:
    return set((await session.scalars(sa.select(facts.c.indicator_code).distinct().where(
        facts.c.submission_id == submission_id))).all())


async def _refresh(session: AsyncSession, s: submission_pb2.Submission, env: envelope_pb2.EventEnvelope,
                   codes: set[str]) -> None:
    """The unit's stored contributions follow its facts, in the same transaction."""
    try:
        Period.parse(s.period.code)
    except InvalidArgument:
        return  # a period roll-ups cannot read; its facts are listed, never rolled up
    if codes:
        await contributions.refresh_unit(session, s.province_code or env.province_code, s.org_unit_id,
                                         codes, s.period.code)


async def _withdraw(session: AsyncSession, s: submission_pb2.Submission, status: str,
                    env: envelope_pb2.EventEnvelope) -> None:
    if await _advance(session, s, status, env):
        before = await _codes(session, s.id)
        await session.execute(sa.delete(facts).where(facts.c.submission_id == s.id))
        await _refresh(session, s, env, before)


async def on_reopened(session: AsyncSession, event: submission_events.SubmissionReopened,
                      env: envelope_pb2.EventEnvelope) -> None:
    await _withdraw(session, event.submission, "reopened", env)


async def on_sent(session: AsyncSession, event: submission_events.SubmissionSent,
                  env: envelope_pb2.EventEnvelope) -> None:
    await _advance(session, event.submission, "sent", env)


async def on_returned(session: AsyncSession, event: submission_events.SubmissionReturned,
                      env: envelope_pb2.EventEnvelope) -> None:
    await _withdraw(session, event.submission, "returned", env)


FIGURE_HANDLERS = {
    submission_events.SubmissionSent: on_sent,
    submission_events.SubmissionReturned: on_returned,
    submission_events.SubmissionAccepted: on_accepted,
    submission_events.SubmissionReopened: on_reopened,
}


# ---------------------------------------------------------------------- indicators -> rules


def rule_of(i: catalog_pb2.Indicator) -> Rule:
    member_time, member_unit = {}, {}
    for d in i.dimensions:
        for m in d.members:
            if m.time_aggregation:
                member_time[m.code] = _lower(catalog_pb2.TimeAggregation, m.time_aggregation, "TIME_AGGREGATION_")
            if m.unit_of_measure:
                member_unit[m.code] = m.unit_of_measure
    spatial = _lower(catalog_pb2.SpatialAggregation, i.spatial_aggregation, "SPATIAL_AGGREGATION_")
    time = _lower(catalog_pb2.TimeAggregation, i.time_aggregation, "TIME_AGGREGATION_")
    polarity = _lower(catalog_pb2.Polarity, i.polarity, "POLARITY_")
    return Rule(
        code=i.code, name=i.name, unit=i.unit_of_measure,
        value_type=_lower(catalog_pb2.ValueType, i.value_type, "VALUE_TYPE_"),
        spatial="none" if spatial == "unspecified" else spatial,
        time="none" if time == "unspecified" else time,
        polarity="higher_is_better" if polarity == "unspecified" else polarity,
        numerator=i.numerator_code, denominator=i.denominator_code,
        weight=i.weight_indicator_code, scale=i.scale, formula=i.formula,
        lower_bound=i.lower_bound, upper_bound=i.upper_bound,
        member_time=member_time, member_unit=member_unit,
    )


async def apply_indicator(session: AsyncSession, i: catalog_pb2.Indicator, valid_from: str,
                          retired: bool = False) -> None:
    t = indicator_revisions
    revision = i.revision or int(i.version) or 1
    values = {"code": i.code, "province_code": i.province_code,
              "valid_from": valid_from or i.valid_from or "", "retired": retired or i.retired,
              "rule": rule_of(i).as_dict()}
    exists = await session.scalar(sa.select(sa.func.count()).select_from(t).where(
        t.c.indicator_id == i.id, t.c.revision == revision))
    if exists:
        await session.execute(sa.update(t).where(t.c.indicator_id == i.id, t.c.revision == revision)
                              .values(**values))
    else:
        await session.execute(sa.insert(t).values(indicator_id=i.id, revision=revision, **values))


async def on_indicator(session: AsyncSession, event, _: envelope_pb2.EventEnvelope) -> None:
    await apply_indicator(session, event.indicator, getattr(event, "effective_from", ""),
                          retired=isinstance(event, catalog_events.IndicatorRetired))
    # the indicator's rules may have changed: its stored contributions follow
    await contributions.refresh_indicators(session, event.indicator.province_code, {event.indicator.code})


RULE_HANDLERS = {
    catalog_events.IndicatorCreated: on_indicator,
    catalog_events.IndicatorUpdated: on_indicator,
    catalog_events.IndicatorRetired: on_indicator,
}


# ---------------------------------------------------------------------- assignments -> targets


async def apply_assignment(session: AsyncSession, a: assignment_pb2.Assignment,
                           province: str) -> None:
    if not a.id or a.WhichOneof("subject") != "target":
        return
    t = targets
    stored = await session.scalar(sa.select(t.c.version).where(t.c.assignment_id == a.id))
    if stored is not None and a.version < stored:
        return
    tg = a.target
    ref = figure_ref(tg.key, "actual")
    comparison = _lower(types_pb2.TargetComparison, tg.comparison, "TARGET_COMPARISON_")
    values = {
        "org_unit_id": a.assignee_unit_id, "province_code": a.province_code or province,
        "indicator_code": ref.indicator_code, "figure_key": ref.text,
        "period_code": tg.period.code or str(a.year), "target_value": _decimal(tg.target_value) or "",
        "target_value_max": _decimal(tg.target_value_max) or "",
        "comparison": "" if comparison == "unspecified" else comparison,
        "status": _lower(assignment_pb2.AssignmentStatus, a.status, "ASSIGNMENT_STATUS_"),
        "effective_from": a.effective_from, "effective_to": a.effective_to,
        "front_unit_ids": list(a.front_unit_ids), "version": a.version,
    }
    if stored is None:
        await session.execute(sa.insert(t).values(assignment_id=a.id, **values))
    else:
        await session.execute(sa.update(t).where(t.c.assignment_id == a.id).values(**values))


async def on_assignment(session: AsyncSession, event, env: envelope_pb2.EventEnvelope) -> None:
    await apply_assignment(session, event.assignment, env.province_code)
    if isinstance(event, assignment_events.AssignmentAdjusted):
        await apply_assignment(session, event.before, env.province_code)


TARGET_HANDLERS = {
    assignment_events.AssignmentIssued: on_assignment,
    assignment_events.AssignmentAcknowledged: on_assignment,
    assignment_events.AssignmentAdjusted: on_assignment,
    assignment_events.AssignmentCancelled: on_assignment,
}
