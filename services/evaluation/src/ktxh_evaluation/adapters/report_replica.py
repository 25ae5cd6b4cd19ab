"""The timeliness of each unit's reports, fed by the submission events (consumer group
``evaluation.reports``): a sent report is on time or late (as the submission service judged
it against its deadline); a report returned or reopened keeps its first timeliness; a report
counts as complete once accepted by the upper level. Periods with no report are missing.

Then the suggestions follow the evidence (``follow_report``): the unit's evaluations in open
rounds are recomputed from the report's timeliness, its figures (when it is the report of the
evaluated period, with the targets it showed) and its task progress, in the same transaction.

Runs inside the consumer's transaction (with the inbox row); an event older than the stored
version is ignored.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from ktxh.common.v1 import envelope_pb2, figure_pb2, types_pb2
from ktxh.submission.v1 import events_pb2, submission_pb2
from sqlalchemy.ext.asyncio import AsyncSession

from ktxh_evaluation.adapters.repository import (
    EvaluationRepository,
    ReportRepository,
    RoundRepository,
)
from ktxh_evaluation.adapters.tables import unit_reports
from ktxh_evaluation.domain.scoring import ReportedFigure, ReportedTask
from ktxh_evaluation.service_layer.evaluations import ReportEvidence, follow_report

GROUP = "reports"  # consumer group (evaluation.reports)
ACTUAL = figure_pb2.FIGURE_KIND_ACTUAL


def _dec(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text.strip() else None
    except InvalidOperation:
        return None


def period_start(p: types_pb2.Period) -> date | None:
    """First day of a report's period (months, quarters, halves, nine months, years)."""
    if not 2000 <= p.year <= 2100:
        return None
    first_month = {types_pb2.PERIOD_KIND_MONTH: p.number, types_pb2.PERIOD_KIND_QUARTER: 3 * p.number - 2,
                   types_pb2.PERIOD_KIND_HALF_YEAR: 6 * p.number - 5,
                   types_pb2.PERIOD_KIND_NINE_MONTHS: 1, types_pb2.PERIOD_KIND_YEAR: 1}.get(p.kind)
    return date(p.year, first_month, 1) if first_month and 1 <= first_month <= 12 else None


def report_evidence(s: submission_pb2.Submission, accepted: bool | None, verb: str) -> ReportEvidence:
    """The report's own totals (no dimension members, actuals) with their targets, and its
    task progress."""
    context = {c.key.indicator_code: c for c in s.context
               if not c.key.members and c.key.kind in (ACTUAL, figure_pb2.FIGURE_KIND_UNSPECIFIED)}
    figures = {}
    for f in s.figures:
        if f.key.members or f.key.kind not in (ACTUAL, figure_pb2.FIGURE_KIND_UNSPECIFIED):
            continue
        c = context.get(f.key.indicator_code)
        figures[f.key.indicator_code] = ReportedFigure(
            f.key.indicator_code, _dec(f.value), _dec(c.target_value) if c else None,
            _dec(c.target_low) if c else None, _dec(c.target_high) if c else None)
    start = period_start(s.period)
    tasks = {t.key_task_id: ReportedTask(
        t.key_task_id, t.status == submission_pb2.TASK_STATUS_DONE or t.percent_done >= 100, start)
        for t in s.task_progress if t.key_task_id and start is not None}
    return ReportEvidence(s.org_unit_id, s.province_code, s.period.code, accepted,
                          f"Báo cáo kỳ {s.period.code} {verb}", figures, tasks)


async def _follow(session: AsyncSession, s: submission_pb2.Submission, accepted: bool | None,
                  verb: str) -> None:
    seen: list = []
    await follow_report(report_evidence(s, accepted, verb), RoundRepository(session, seen),
                        EvaluationRepository(session, seen), ReportRepository(session))


async def apply_report(session: AsyncSession, s: submission_pb2.Submission, *, accepted: bool | None) -> None:
    t = unit_reports
    state = s.timeliness.state or "pending"
    if state not in ("on_time", "late", "missing", "pending"):
        state = "pending"
    current = (await session.execute(sa.select(t.c.version, t.c.complete).where(
        t.c.submission_id == s.id))).first()
    values = {
        "province_code": s.province_code, "org_unit_id": s.org_unit_id,
        "period_code": s.period.code, "state": state, "days_late": s.timeliness.days_late,
        "version": s.version,
    }
    if current is None:
        await session.execute(sa.insert(t).values(
            submission_id=s.id, complete=bool(accepted), **values))
    elif s.version > current.version:
        complete = current.complete if accepted is None else accepted
        await session.execute(sa.update(t).where(t.c.submission_id == s.id).values(
            complete=complete, **values))


def _handler(accepted: bool | None, verb: str):
    async def handle(session: AsyncSession, event, _: envelope_pb2.EventEnvelope | None) -> None:
        await apply_report(session, event.submission, accepted=accepted)
        await _follow(session, event.submission, accepted, verb)

    return handle


HANDLERS = {
    events_pb2.SubmissionSent: _handler(None, "được gửi"),
    events_pb2.SubmissionAccepted: _handler(True, "được tiếp nhận"),
    events_pb2.SubmissionReturned: _handler(False, "bị trả lại"),
    events_pb2.SubmissionReopened: _handler(False, "được mở lại"),
}
