"""SQL reads of the key-task tables (`task_tables.py`) for the key-task summary, limited to the
caller's scope in SQL: a unit's users reach their unit's subtree, the province everything, the
Front only the assignments that opened the task to its committee."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from ktxh_platform.access import Scope
from ktxh_platform.access.sql import scope_filter
from sqlalchemy.ext.asyncio import AsyncSession

from ktxh_reporting.adapters.tables import org_units_rm, targets
from ktxh_reporting.adapters.task_tables import key_tasks_rm, task_assignments, task_progress
from ktxh_reporting.service_layer.key_tasks import AssignedTask, ReportedProgress

IN_FORCE = ("issued", "acknowledged", "superseded")


class SqlKeyTaskReads:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _front_id(self, scope: Scope) -> str | None:
        u = org_units_rm
        return await self.session.scalar(sa.select(u.c.id).where(
            u.c.code == scope.unit_code, u.c.province_code == scope.province))

    async def assigned_tasks(self, scope: Scope, *, year: int, on: str,
                             unit_ids: list[str]) -> list[AssignedTask]:
        a, k = task_assignments, key_tasks_rm
        q = (
            sa.select(a.c.assignment_id, a.c.key_task_id, a.c.org_unit_id, a.c.deadline,
                      k.c.id.label("task_id"), k.c.code, k.c.title, k.c.field,
                      k.c.deadline.label("task_deadline"))
            # an assignment names its key task by catalog id or by code (both are accepted)
            .select_from(a.outerjoin(k, sa.and_(k.c.province_code == a.c.province_code, sa.or_(
                k.c.id == a.c.key_task_id, k.c.code == a.c.key_task_id))))
            .where(
                a.c.province_code == scope.province, a.c.year == year, a.c.role == "lead",
                a.c.status.in_(IN_FORCE), a.c.org_unit_id.in_(unit_ids),
                sa.or_(a.c.effective_from == "", a.c.effective_from <= on),
                sa.or_(a.c.effective_to == "", a.c.effective_to > on),
                scope_filter(scope, province=a.c.province_code, unit_id=a.c.org_unit_id, units=org_units_rm),
            )
        )
        if scope.opened_only:
            front_id = await self._front_id(scope)
            if front_id is None:
                return []
            q = q.where(sa.cast(a.c.front_unit_ids, sa.Text).contains(f'"{front_id}"'))
        rows = (await self.session.execute(q)).all()
        return [AssignedTask(r.assignment_id, r.task_id or r.key_task_id, r.org_unit_id, r.code or r.key_task_id,
                             r.title or "", r.field or "", r.deadline or r.task_deadline or "")
                for r in rows]

    async def latest_progress(self, scope: Scope, *, pairs: list[tuple[str, str]],
                              accepted_before: datetime) -> list[ReportedProgress]:
        """Progress rows of the (key task id or code, unit) pairs accepted before the instant."""
        if not pairs:
            return []
        t = task_progress
        tasks = sorted({p[0] for p in pairs})
        rows = (await self.session.execute(
            sa.select(t).where(
                t.c.province_code == scope.province,
                sa.or_(t.c.key_task_id.in_(tasks), t.c.key_task_code.in_(tasks)),
                t.c.org_unit_id.in_(sorted({p[1] for p in pairs})),
                t.c.accepted_at < accepted_before,
            )
        )).all()
        return [ReportedProgress(r.key_task_id, r.org_unit_id, r.status, r.percent_done, r.results,
                                 r.period_code, r.period_end,
                                 r.accepted_at if r.accepted_at.tzinfo else r.accepted_at.replace(tzinfo=UTC),
                                 r.key_task_code)
                for r in rows]

    async def target_indicator_codes(self, scope: Scope, *, year: int) -> list[str]:
        """Indicators with a target for the year (or a period in it) somewhere in reach."""
        t = targets
        rows = await self.session.scalars(
            sa.select(t.c.indicator_code).distinct().where(
                t.c.province_code == scope.province, t.c.period_code.like(f"{year}%"),
                t.c.status.in_(IN_FORCE),
                scope_filter(scope, province=t.c.province_code, unit_id=t.c.org_unit_id, units=org_units_rm),
            ))
        return sorted(rows)
