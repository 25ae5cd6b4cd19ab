"""Projections of key tasks into the reporting read model (beside `projections.py`):
catalog key tasks (title, sector, deadline), key-task assignments (who leads which task, the
Front committees it is opened to) and the key-task progress carried by accepted reports
(`SubmissionAccepted.submission.task_progress`).

Each handler runs in its consumer's transaction with the inbox row (exactly once). Order is
kept by versions: a key task or an assignment is replaced only by a higher version; a report's
progress rows only by an event of at least the stored report version (`task_reports` keeps it
even after a reopened report withdrew its rows), so any order of the same events leaves the
same state.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from ktxh.assignment.v1 import assignment_pb2
from ktxh.assignment.v1 import events_pb2 as assignment_events
from ktxh.catalog.v1 import catalog_pb2
from ktxh.catalog.v1 import events_pb2 as catalog_events
from ktxh.common.v1 import envelope_pb2
from ktxh.submission.v1 import events_pb2 as submission_events
from ktxh.submission.v1 import submission_pb2
from ktxh_platform.domain import InvalidArgument
from sqlalchemy.ext.asyncio import AsyncSession

from ktxh_reporting.adapters.task_tables import key_tasks_rm, task_assignments, task_progress, task_reports
from ktxh_reporting.domain.periods import Period

KEY_TASKS_GROUP = "key_tasks"  # reporting.key_tasks (catalog key-task events)
TASK_ASSIGNMENTS_GROUP = "task_assignments"  # reporting.task_assignments (assignment events)
TASK_PROGRESS_GROUP = "task_progress"  # reporting.task_progress (submission events)


async def _upsert(session: AsyncSession, table: sa.Table, key_col: str, key: str, version: int,
                  values: dict) -> None:
    col = table.c[key_col]
    stored = await session.scalar(sa.select(table.c.version).where(col == key))
    if stored is None:
        await session.execute(sa.insert(table).values({key_col: key, "version": version, **values}))
    elif version >= stored:
        await session.execute(sa.update(table).where(col == key).values(version=version, **values))


# ---------------------------------------------------------------------- catalog key tasks


async def on_key_task(session: AsyncSession, event, env: envelope_pb2.EventEnvelope) -> None:
    k: catalog_pb2.KeyTask = event.key_task
    if not k.id:
        return
    await _upsert(session, key_tasks_rm, "id", k.id, int(k.version or env.aggregate_version or 1), {
        "code": k.code, "title": k.title, "field": k.field, "deadline": k.deadline, "year": k.year,
        "province_code": k.province_code or env.province_code,
    })


KEY_TASK_HANDLERS = {
    catalog_events.KeyTaskCreated: on_key_task,
    catalog_events.KeyTaskUpdated: on_key_task,
    catalog_events.KeyTaskRetired: on_key_task,
}


# ---------------------------------------------------------------------- key-task assignments


async def apply_task_assignment(session: AsyncSession, a: assignment_pb2.Assignment, province: str) -> None:
    if not a.id or a.WhichOneof("subject") != "task":
        return
    role = "coordinating" if a.role == assignment_pb2.ASSIGNEE_ROLE_COORDINATING else "lead"
    await _upsert(session, task_assignments, "assignment_id", a.id, int(a.version), {
        "key_task_id": a.task.key_task_id, "org_unit_id": a.assignee_unit_id,
        "province_code": a.province_code or province, "role": role, "year": a.year,
        "deadline": a.task.deadline, "coordinating_unit_ids": list(a.task.coordinating_unit_ids),
        "status": assignment_pb2.AssignmentStatus.Name(a.status).removeprefix("ASSIGNMENT_STATUS_").lower(),
        "effective_from": a.effective_from, "effective_to": a.effective_to,
        "front_unit_ids": list(a.front_unit_ids),
    })


async def on_task_assignment(session: AsyncSession, event, env: envelope_pb2.EventEnvelope) -> None:
    await apply_task_assignment(session, event.assignment, env.province_code)
    if isinstance(event, assignment_events.AssignmentAdjusted):
        await apply_task_assignment(session, event.before, env.province_code)


TASK_ASSIGNMENT_HANDLERS = {
    assignment_events.AssignmentIssued: on_task_assignment,
    assignment_events.AssignmentAcknowledged: on_task_assignment,
    assignment_events.AssignmentAdjusted: on_task_assignment,
    assignment_events.AssignmentCancelled: on_task_assignment,
}


# ---------------------------------------------------------------------- reported progress


def task_status_name(value: int) -> str:
    return submission_pb2.TaskStatus.Name(value).removeprefix("TASK_STATUS_").lower()


async def _advance(session: AsyncSession, s: submission_pb2.Submission, status: str,
                   env: envelope_pb2.EventEnvelope) -> bool:
    version = int(s.version or env.aggregate_version)
    stored = await session.scalar(sa.select(task_reports.c.version).where(task_reports.c.submission_id == s.id))
    if stored is not None and version < stored:
        return False
    if stored is None:
        await session.execute(sa.insert(task_reports).values(submission_id=s.id, version=version, status=status))
    else:
        await session.execute(sa.update(task_reports).where(task_reports.c.submission_id == s.id)
                              .values(version=version, status=status))
    await session.execute(sa.delete(task_progress).where(task_progress.c.submission_id == s.id))
    return True


async def on_accepted(session: AsyncSession, event: submission_events.SubmissionAccepted,
                      env: envelope_pb2.EventEnvelope) -> None:
    s = event.submission
    if not await _advance(session, s, "accepted", env) or not s.task_progress:
        return
    try:
        end = Period.parse(s.period.code).end.isoformat()
    except InvalidArgument:
        return
    accepted_at = (s.accepted_at.ToDatetime(tzinfo=UTC) if s.HasField("accepted_at")
                   else env.occurred_at.ToDatetime(tzinfo=UTC) if env.HasField("occurred_at")
                   else datetime.now(UTC))
    rows = {}
    for t in s.task_progress:
        if not t.key_task_id or t.status == submission_pb2.TASK_STATUS_UNSPECIFIED:
            continue  # a row the unit left empty reports nothing
        rows[t.key_task_id] = {
            "submission_id": s.id, "key_task_id": t.key_task_id, "key_task_code": t.key_task_code,
            "org_unit_id": s.org_unit_id, "province_code": s.province_code or env.province_code,
            "period_code": s.period.code, "period_end": end, "status": task_status_name(t.status),
            "percent_done": max(0, min(100, t.percent_done)), "results": t.results,
            "accepted_at": accepted_at,
        }
    if rows:
        await session.execute(sa.insert(task_progress), list(rows.values()))


async def on_reopened(session: AsyncSession, event, env: envelope_pb2.EventEnvelope) -> None:
    await _advance(session, event.submission, "reopened", env)


async def on_returned(session: AsyncSession, event, env: envelope_pb2.EventEnvelope) -> None:
    await _advance(session, event.submission, "returned", env)


TASK_PROGRESS_HANDLERS = {
    submission_events.SubmissionAccepted: on_accepted,
    submission_events.SubmissionReopened: on_reopened,
    submission_events.SubmissionReturned: on_returned,
}
