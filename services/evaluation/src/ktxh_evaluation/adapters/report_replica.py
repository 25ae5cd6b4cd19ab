"""The timeliness of each unit's reports, fed by the submission events (consumer group
``evaluation.reports``): a sent report is on time or late (as the submission service judged
it against its deadline); a report returned or reopened keeps its first timeliness; a report
counts as complete once accepted by the upper level. Periods with no report are missing.

Runs inside the consumer's transaction (with the inbox row); an event older than the stored
version is ignored.
"""

from __future__ import annotations

import sqlalchemy as sa
from ktxh.common.v1 import envelope_pb2
from ktxh.submission.v1 import events_pb2, submission_pb2
from sqlalchemy.ext.asyncio import AsyncSession

from ktxh_evaluation.adapters.tables import unit_reports

GROUP = "reports"  # consumer group (evaluation.reports)


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


async def _on_sent(session: AsyncSession, event, _: envelope_pb2.EventEnvelope) -> None:
    await apply_report(session, event.submission, accepted=None)


async def _on_accepted(session: AsyncSession, event, _: envelope_pb2.EventEnvelope) -> None:
    await apply_report(session, event.submission, accepted=True)


async def _on_reopened(session: AsyncSession, event, _: envelope_pb2.EventEnvelope) -> None:
    await apply_report(session, event.submission, accepted=False)


HANDLERS = {
    events_pb2.SubmissionSent: _on_sent,
    events_pb2.SubmissionAccepted: _on_accepted,
    events_pb2.SubmissionReturned: _on_reopened,
    events_pb2.SubmissionReopened: _on_reopened,
}
