"""Queries of bulk imports: the reports a payload names, locked for the import's transaction
(in the caller's scope, applied in SQL) and their changed figures written in batches. Its
Idempotency-Key table is the platform's (`ktxh_platform.idempotency`)."""

from __future__ import annotations

import sqlalchemy as sa
from ktxh_platform.access import Scope
from ktxh_platform.domain import Conflict

from ktxh_submission.adapters.repository import SubmissionRepository, _figure_row, _in_scope
from ktxh_submission.adapters.tables import (
    submission_figure_changes,
    submission_figures,
    submissions,
)
from ktxh_submission.domain.submissions import Submission

BATCH = 1000  # keys per DELETE ... IN (...)


class BulkRepository(SubmissionRepository):
    async def lock_reports(
        self, unit_codes: list[str], period_codes: list[str], scope: Scope
    ) -> list[Submission]:
        """The reports of these units for these periods that the scope reaches, with their
        figures, locked until the transaction ends (PostgreSQL `FOR UPDATE`: a figure saved
        meanwhile waits, then sees the import's versions)."""
        if not unit_codes or not period_codes:
            return []
        t = submissions.c
        rows = (await self.session.execute(
            sa.select(submissions)
            .where(t.org_unit_code.in_(unit_codes), t.period_code.in_(period_codes), _in_scope(scope))
            .order_by(t.id)
            .with_for_update(of=submissions)
        )).all()
        return await self._load(rows, full=True)

    async def write_import(self, sub: Submission, loaded_version: int) -> None:
        """Replace the figures the import changed and append their history, in batches."""
        t, f = submissions.c, submission_figures.c
        done = await self.session.execute(
            sa.update(submissions).where(t.id == sub.id, t.version == loaded_version)
            .values(version=sub.version)
        )
        if done.rowcount != 1:
            raise Conflict("Báo cáo vừa được người khác thay đổi; hãy nhập lại")
        keys = [c.key for c in sub.changes]
        for i in range(0, len(keys), BATCH):
            await self.session.execute(sa.delete(submission_figures).where(
                f.submission_id == sub.id, f.figure_key.in_([k.text for k in keys[i:i + BATCH]])))
        rows = [_figure_row(sub.id, sub.figures[k]) for k in keys if k in sub.figures]
        if rows:
            await self.session.execute(sa.insert(submission_figures), rows)
        await self.session.execute(sa.insert(submission_figure_changes), [
            {
                "submission_id": sub.id, "figure_key": c.key.text, "office_code": c.office_code,
                "before": c.before, "after": c.after, "before_note": c.before_note,
                "after_note": c.after_note, "actor": c.actor, "at": c.at,
                "figure_version": c.figure_version, "reason": c.reason,
            }
            for c in sub.changes
        ])
        sub.changes.clear()
