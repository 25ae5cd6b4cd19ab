"""Queries of bulk imports: the reports a payload names, locked for the import's transaction
(in the caller's scope, applied in SQL) and their changed figures written in batches. Its
Idempotency-Key table is the platform's (`ktxh_platform.idempotency`).

On PostgreSQL the new figure rows and their history rows go in with ``COPY`` (asyncpg's binary
``copy_records_to_table``) on the import's own connection, inside its transaction: a
1,000,000-figure import spends its time on COPY's rate instead of one bound INSERT row at a
time (docs/performance.md, "Reports under load"). SQLite (the all-in-one) takes the same rows
through one executemany INSERT."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from ktxh_platform.access import Scope
from ktxh_platform.domain import Aggregate, Conflict
from sqlalchemy.ext.asyncio import AsyncSession

from ktxh_submission.adapters.repository import SubmissionRepository, _figure_row, _in_scope
from ktxh_submission.adapters.tables import (
    submission_figure_changes,
    submission_figures,
    submissions,
)
from ktxh_submission.domain.figures import FigureKey
from ktxh_submission.domain.submissions import Submission

BATCH = 1000  # keys per DELETE ... IN (...)


class BulkRepository(SubmissionRepository):
    def __init__(self, session: AsyncSession, seen: list[Aggregate]) -> None:
        super().__init__(session, seen)
        self._loaded: dict[str, frozenset[FigureKey]] = {}  # per locked report: its stored keys

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
        subs = await self._load(rows, full=True)
        self._loaded = {s.id: frozenset(s.figures) for s in subs}  # the keys that have a row
        return subs

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
        # Only a figure that has a row (as loaded under the lock) needs it deleted before its
        # new row goes in: a first import deletes nothing.
        had = self._loaded.get(sub.id)
        stored = [k.text for k in keys if had is None or k in had]
        for i in range(0, len(stored), BATCH):
            await self.session.execute(sa.delete(submission_figures).where(
                f.submission_id == sub.id, f.figure_key.in_(stored[i:i + BATCH])))
        rows = [_figure_row(sub.id, sub.figures[k]) for k in keys if k in sub.figures]
        await self._insert(submission_figures, rows)
        await self._insert(submission_figure_changes, [
            {
                "submission_id": sub.id, "figure_key": c.key.text, "office_code": c.office_code,
                "before": c.before, "after": c.after, "before_note": c.before_note,
                "after_note": c.after_note, "actor": c.actor, "at": c.at,
                "figure_version": c.figure_version, "reason": c.reason,
            }
            for c in sub.changes
        ])
        sub.changes.clear()

    async def _insert(self, table: sa.Table, rows: list[dict[str, Any]]) -> None:
        """Insert `rows` (dicts with the same keys) into `table` in this transaction. The
        transaction has already run a statement (the report's versioned UPDATE), so COPY on the
        raw asyncpg connection is part of it and rolls back with it."""
        if not rows:
            return
        conn = await self.session.connection()
        if conn.dialect.name != "postgresql" or conn.dialect.driver != "asyncpg":
            await self.session.execute(sa.insert(table), rows)
            return
        raw = await conn.get_raw_connection()
        columns = list(rows[0])
        await raw.driver_connection.copy_records_to_table(  # type: ignore[union-attr]
            table.name, columns=columns, records=[tuple(r[c] for c in columns) for r in rows])
