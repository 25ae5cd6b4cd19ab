"""Queries live here. Every report read goes through `SubmissionRepository` with the caller's
scope applied in SQL against the replica of the unit tree; the replicas of units and calendars
are read through `UnitRepository` and `CalendarRepository`."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from ktxh.catalog.v1 import catalog_pb2
from ktxh_platform.access import Scope
from ktxh_platform.access.sql import scope_filter, units_in_scope
from ktxh_platform.domain import Aggregate, Conflict
from ktxh_platform.domain.paging import decode_token, encode_token
from ktxh_platform.org_units import OrgUnitQueries
from sqlalchemy.ext.asyncio import AsyncSession

from ktxh_submission.adapters.calendar_replica import calendar_from_pb
from ktxh_submission.adapters.tables import (
    calendars,
    org_units,
    submission_attachments,
    submission_figure_changes,
    submission_figures,
    submission_note_changes,
    submission_reminders,
    submission_steps,
    submission_task_changes,
    submission_task_progress,
    submissions,
)
from ktxh_submission.domain.calendars import Calendar
from ktxh_submission.domain.figures import (
    Dimension,
    Figure,
    FigureChange,
    FigureKey,
    FormLine,
    ValueType,
)
from ktxh_submission.domain.forms import FormTarget
from ktxh_submission.domain.periods import Period
from ktxh_submission.domain.reminders import ReminderBatch, UnitReport
from ktxh_submission.domain.submissions import (
    Attachment,
    NoteChange,
    Section,
    SectionStatus,
    Status,
    Step,
    StepAction,
    Submission,
)
from ktxh_submission.domain.tasks import TaskChange, TaskProgress, TaskStatus
from ktxh_submission.domain.validation import History
from ktxh_submission.service_layer.unit_of_work import BoardEntry, SubmissionFilter, UnitRef


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _dec(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def lines_to_json(lines: tuple[FormLine, ...]) -> list[dict[str, Any]]:
    return [
        {
            "indicator_code": ln.indicator_code, "name": ln.name, "office_code": ln.office_code,
            "value_type": ln.value_type.value, "unit": ln.unit, "minimum": _dec(ln.minimum),
            "maximum": _dec(ln.maximum), "required": ln.required, "part_of": ln.part_of,
            "time_aggregation": ln.time_aggregation, "estimate": ln.estimate,
            "dimensions": [
                {"code": d.code, "members": list(d.members), "additive": d.additive}
                for d in ln.dimensions
            ],
        }
        for ln in lines
    ]


def lines_from_json(data: list[dict[str, Any]]) -> tuple[FormLine, ...]:
    return tuple(
        FormLine(
            d["indicator_code"], d["name"], d["office_code"], ValueType(d["value_type"]),
            d["unit"], Decimal(d["minimum"]) if d["minimum"] else None,
            Decimal(d["maximum"]) if d["maximum"] else None, d["required"],
            tuple(Dimension(x["code"], tuple(x["members"]), x["additive"]) for x in d["dimensions"]),
            d["part_of"], d.get("time_aggregation", ""), d.get("estimate", False),
        )
        for d in data
    )


def targets_to_json(targets: dict[FigureKey, FormTarget]) -> dict[str, Any]:
    return {k.text: {"value": t.value, "low": t.low, "high": t.high, "text": t.text}
            for k, t in sorted(targets.items())}


def targets_from_json(data: dict[str, Any] | None) -> dict[FigureKey, FormTarget]:
    return {FigureKey.from_text(k): FormTarget(v["value"], v["low"], v["high"], v["text"])
            for k, v in (data or {}).items()}


def task_row(sub_id: str, t: TaskProgress) -> dict[str, Any]:
    return {
        "submission_id": sub_id, "key_task_code": t.key_task_code, "key_task_id": t.key_task_id,
        "name": t.name, "deadline": t.deadline, "status": t.status.value,
        "percent_done": t.percent_done, "results": t.results, "difficulties": t.difficulties,
        "proposals": t.proposals, "version": t.version, "updated_by": t.updated_by,
        "updated_at": t.updated_at, "office_code": t.office_code,
    }


def _task(r: Any) -> TaskProgress:
    return TaskProgress(
        r.key_task_id, r.key_task_code, r.name, r.deadline, TaskStatus(r.status), r.percent_done,
        r.results, r.difficulties, r.proposals, r.version, r.updated_by, _utc(r.updated_at),
        r.office_code,
    )


def _sections_json(sub: Submission) -> dict[str, Any]:
    return {
        c: {"status": s.status.value, "return_comment": s.return_comment,
            "delivered_at": s.delivered_at.isoformat() if s.delivered_at else None}
        for c, s in sub.sections.items()
    }


def _row(sub: Submission) -> dict[str, Any]:
    return {
        "province_code": sub.province_code, "org_unit_id": sub.org_unit_id,
        "org_unit_code": sub.org_unit_code, "period_code": sub.period.code,
        "period_kind": sub.period.kind.value, "period_start": sub.period.start,
        "calendar_code": sub.calendar_code, "deadline": sub.deadline, "status": sub.status.value,
        "note": sub.note, "lines": lines_to_json(sub.lines), "sections": _sections_json(sub),
        "sent_at": sub.sent_at, "accepted_at": sub.accepted_at, "return_count": sub.return_count,
        "created_by": sub.created_by, "created_at": sub.created_at, "version": sub.version,
        "targets": targets_to_json(sub.targets),
    }


def _figure_row(sub_id: str, f: Figure) -> dict[str, Any]:
    return {
        "submission_id": sub_id, "figure_key": f.key.text, "indicator_code": f.key.indicator_code,
        "office_code": f.office_code, "value": None if f.value is None else str(f.value),
        "text_value": f.text_value, "note": f.note, "return_comment": f.return_comment,
        "version": f.version, "updated_by": f.updated_by, "updated_at": f.updated_at,
    }


def _figure(r: Any) -> Figure:
    return Figure(
        FigureKey.from_text(r.figure_key), r.office_code,
        Decimal(r.value) if r.value is not None else None, r.text_value, r.note, r.version,
        r.updated_by, _utc(r.updated_at), r.return_comment,
    )


def _step(r: Any) -> Step:
    return Step(
        r.id, StepAction(r.action), Status(r.from_status), Status(r.to_status), r.actor,
        r.actor_unit, _utc(r.at), r.comment, r.office_code,  # type: ignore[arg-type]
        FigureKey.from_text(r.figure_key) if r.figure_key else None, r.submission_version,
    )


def _in_scope(scope: Scope) -> sa.ColumnElement[bool]:
    """Same province; for a unit scope the report's unit is one the scope reaches. The Front
    reaches only reports opened to it: none is opened yet."""
    if scope.opened_only:
        return sa.false()
    return scope_filter(
        scope, province=submissions.c.province_code, unit_id=submissions.c.org_unit_id,
        units=org_units,
    )


class SubmissionRepository:
    def __init__(self, session: AsyncSession, seen: list[Aggregate]) -> None:
        self.session = session
        self.seen = seen

    async def _load(self, rows: list[Any], full: bool) -> list[Submission]:
        ids = [r.id for r in rows]
        figures: dict[str, dict[FigureKey, Figure]] = defaultdict(dict)
        steps: dict[str, list[Step]] = defaultdict(list)
        tasks: dict[str, list[TaskProgress]] = defaultdict(list)
        attachments: dict[str, list[Attachment]] = defaultdict(list)
        if full and ids:
            f = submission_figures.c
            for r in (await self.session.execute(
                sa.select(submission_figures).where(f.submission_id.in_(ids))
            )).all():
                fig = _figure(r)
                figures[r.submission_id][fig.key] = fig
            s = submission_steps.c
            for r in (await self.session.execute(
                sa.select(submission_steps).where(s.submission_id.in_(ids)).order_by(s.seq)
            )).all():
                steps[r.submission_id].append(_step(r))
            k = submission_task_progress.c
            for r in (await self.session.execute(
                sa.select(submission_task_progress).where(k.submission_id.in_(ids))
                .order_by(k.key_task_code)
            )).all():
                tasks[r.submission_id].append(_task(r))
            a = submission_attachments.c
            for r in (await self.session.execute(
                sa.select(submission_attachments).where(a.submission_id.in_(ids))
                .order_by(a.added_at, a.document_id)
            )).all():
                attachments[r.submission_id].append(Attachment(
                    r.document_id, r.file_name, r.title, r.added_by, _utc(r.added_at)))
        out = []
        for r in rows:
            sections = {
                c: Section(c, SectionStatus(v["status"]),
                           _utc(datetime.fromisoformat(v["delivered_at"])) if v["delivered_at"] else None,
                           v["return_comment"])
                for c, v in r.sections.items()
            }
            out.append(Submission(
                id=r.id, province_code=r.province_code, org_unit_id=r.org_unit_id,
                org_unit_code=r.org_unit_code, period=Period.parse(r.period_code),
                calendar_code=r.calendar_code, deadline=r.deadline,
                lines=lines_from_json(r.lines), status=Status(r.status), sections=sections,
                figures=figures[r.id], note=r.note, steps=steps[r.id], sent_at=_utc(r.sent_at),
                accepted_at=_utc(r.accepted_at), return_count=r.return_count,
                created_by=r.created_by, created_at=_utc(r.created_at), version=r.version,
                targets=targets_from_json(r.targets), tasks=tasks[r.id],
                attachments=attachments[r.id],
            ))
        return out

    async def get(self, submission_id: str, scope: Scope) -> Submission | None:
        row = (await self.session.execute(
            sa.select(submissions).where(submissions.c.id == submission_id, _in_scope(scope))
        )).first()
        if row is None:
            return None
        sub = (await self._load([row], full=True))[0]
        self.seen.append(sub)
        return sub

    async def find(self, org_unit_id: str, period: Period) -> Submission | None:
        t = submissions.c
        row = (await self.session.execute(
            sa.select(submissions).where(t.org_unit_id == org_unit_id, t.period_code == period.code)
        )).first()
        return (await self._load([row], full=True))[0] if row else None

    async def list(
        self, scope: Scope, flt: SubmissionFilter
    ) -> tuple[list[Submission], str, int]:
        t = submissions.c
        where = [_in_scope(scope)]
        if flt.org_unit_code:
            where.append(t.org_unit_code == flt.org_unit_code)
        if flt.period is not None:
            where.append(t.period_code == flt.period.code)
        if flt.statuses:
            where.append(t.status.in_([s.value for s in flt.statuses]))
        total = int(await self.session.scalar(
            sa.select(sa.func.count()).select_from(submissions).where(*where)) or 0)
        offset = decode_token(flt.page_token)
        rows = (await self.session.execute(
            sa.select(submissions).where(*where)
            .order_by(t.period_start.desc(), t.org_unit_code, t.id)
            .offset(offset).limit(flt.page_size)
        )).all()
        nxt = offset + len(rows)
        return await self._load(rows, full=False), encode_token(nxt) if nxt < total else "", total

    async def add(self, sub: Submission) -> None:
        await self.session.execute(sa.insert(submissions).values(id=sub.id, **_row(sub)))
        if sub.tasks:
            await self.session.execute(
                sa.insert(submission_task_progress), [task_row(sub.id, t) for t in sub.tasks])
        await self._append(sub)
        self.seen.append(sub)

    async def save(self, sub: Submission, expected_version: int) -> None:
        """Write the report (its status, sections, counters) if nobody changed it since it was
        read, the figures it changed (each only if still at the version read), and append its
        new steps and figure changes."""
        t = submissions.c
        done = await self.session.execute(
            sa.update(submissions).where(t.id == sub.id, t.version == expected_version)
            .values(**_row(sub))
        )
        if done.rowcount != 1:
            raise Conflict("Báo cáo vừa được người khác thay đổi; hãy tải lại rồi làm lại")
        await self._append(sub)

    async def save_figures(self, sub: Submission) -> None:
        """Write the figures a save changed, each only if it is still at the version the caller
        read (per-figure locking: two people saving different figures of one report never
        block each other), while the report is still editable."""
        t = submissions.c
        done = await self.session.execute(
            sa.update(submissions)
            .where(t.id == sub.id, t.status.in_([Status.DRAFT.value, Status.RETURNED.value]))
            .values(version=t.version + 1)
        )
        if done.rowcount != 1:
            raise Conflict("Báo cáo vừa chuyển sang bước khác, không sửa được số liệu; hãy tải lại")
        sub.version = int(await self.session.scalar(sa.select(t.version).where(t.id == sub.id)))
        await self._append(sub)

    async def save_tasks(self, sub: Submission) -> None:
        """Write the key-task rows a save changed, each only if still at the version the
        caller read, while the report is editable; append their history."""
        t, k = submissions.c, submission_task_progress.c
        done = await self.session.execute(
            sa.update(submissions)
            .where(t.id == sub.id, t.status.in_([Status.DRAFT.value, Status.RETURNED.value]))
            .values(version=t.version + 1)
        )
        if done.rowcount != 1:
            raise Conflict("Báo cáo vừa chuyển sang bước khác, không sửa được; hãy tải lại")
        rows = {r.key_task_code: r for r in sub.tasks}
        for c in sub.task_changes:
            row = rows[c.key_task_code]
            done = await self.session.execute(
                sa.update(submission_task_progress)
                .where(k.submission_id == sub.id, k.key_task_code == c.key_task_code,
                       k.version == c.version - 1)
                .values(**{n: v for n, v in task_row(sub.id, row).items()
                           if n not in ("submission_id", "key_task_code")})
            )
            if done.rowcount != 1:
                raise Conflict(
                    f"Tiến độ nhiệm vụ {c.key_task_code} vừa được người khác sửa; hãy tải lại")
        if sub.task_changes:
            await self.session.execute(sa.insert(submission_task_changes), [
                {"submission_id": sub.id, "key_task_code": c.key_task_code, "before": c.before,
                 "after": c.after, "actor": c.actor, "at": c.at, "version": c.version}
                for c in sub.task_changes
            ])
        sub.version = int(await self.session.scalar(sa.select(t.version).where(t.id == sub.id)))
        sub.task_changes.clear()

    async def save_attachments(self, sub: Submission, expected_version: int) -> None:
        """Write the report's list of attachments if nobody changed the report meanwhile."""
        await self.save(sub, expected_version)
        a = submission_attachments.c
        await self.session.execute(
            sa.delete(submission_attachments).where(a.submission_id == sub.id))
        if sub.attachments:
            await self.session.execute(sa.insert(submission_attachments), [
                {"submission_id": sub.id, "document_id": x.document_id, "file_name": x.file_name,
                 "title": x.title, "added_by": x.added_by, "added_at": x.added_at}
                for x in sub.attachments
            ])

    async def unit_reports(self, period: Period, units: list[UnitRef]) -> list[UnitReport]:
        t = submissions.c
        found = {r.org_unit_id: r for r in (await self.session.execute(
            sa.select(t.id, t.org_unit_id, t.status).where(
                t.period_code == period.code, t.org_unit_id.in_([u.id for u in units]))
        )).all()}
        return [UnitReport(u.id, u.code, found[u.id].id if u.id in found else "",
                           found[u.id].status if u.id in found else None) for u in units]

    async def reminded(self, calendar_code: str, period: Period) -> set[tuple[str, str, str, str]]:
        r = submission_reminders.c
        rows = (await self.session.execute(
            sa.select(r.org_unit_id, r.step).where(
                r.calendar_code == calendar_code, r.period_code == period.code)
        )).all()
        return {(x.org_unit_id, period.code, calendar_code, x.step) for x in rows}

    async def record_reminders(self, batch: ReminderBatch, at: datetime) -> None:
        await self.session.execute(sa.insert(submission_reminders), [
            {"org_unit_id": u, "period_code": p, "calendar_code": c, "step": s, "sent_at": at}
            for u, p, c, s in batch.keys
        ])
        self.seen.append(batch)

    async def board(
        self, parent_id: str, period: Period, scope: Scope, kinds: tuple[str, ...]
    ) -> list[BoardEntry]:
        if scope.opened_only:
            return []
        u, t = org_units.c, submissions.c
        where = [u.parent_id == parent_id, u.kind.in_(kinds), u.province_code == scope.province]
        if not scope.province_wide:
            where.append(u.id.in_(units_in_scope(scope, org_units)))
        rows = (await self.session.execute(
            sa.select(u.code, u.name, u.successor_ids, u.valid_from, u.valid_to,
                      t.id.label("submission_id"), t.status, t.sent_at)
            .select_from(org_units.outerjoin(
                submissions, sa.and_(t.org_unit_id == u.id, t.period_code == period.code)))
            .where(*where).order_by(u.code)
        )).all()
        start, end = period.start.isoformat(), period.end.isoformat()
        return [
            BoardEntry(r.code, r.name or r.code, r.submission_id or "",
                       Status(r.status) if r.status else None, _utc(r.sent_at))
            for r in rows
            # expected: in existence during the period (a unit merged away without an end
            # date is not)
            if (not r.valid_to or r.valid_to >= start) and (not r.valid_from or r.valid_from <= end)
            and (r.valid_to or not r.successor_ids)
        ]

    async def task_changes(self, submission_id: str) -> list[TaskChange]:
        c = submission_task_changes.c
        rows = (await self.session.execute(
            sa.select(submission_task_changes).where(c.submission_id == submission_id)
            .order_by(c.id)
        )).all()
        return [TaskChange(r.key_task_code, r.before, r.after, r.actor, _utc(r.at), r.version)  # type: ignore[arg-type]
                for r in rows]

    async def note_changes(self, submission_id: str) -> list[NoteChange]:
        c = submission_note_changes.c
        rows = (await self.session.execute(
            sa.select(submission_note_changes).where(c.submission_id == submission_id)
            .order_by(c.id)
        )).all()
        return [NoteChange(r.before, r.after, r.actor, _utc(r.at), r.version)  # type: ignore[arg-type]
                for r in rows]

    async def _append(self, sub: Submission) -> None:
        f = submission_figures.c
        changed = {c.key for c in sub.changes} | {
            s.figure_key for s in sub.new_steps if s.figure_key is not None
        }
        previous = {c.key: c.figure_version - 1 for c in sub.changes}
        keys = sorted(changed)
        # A handful of statements per save, whatever its size (on a deadline-day peak each
        # connection is held for a few round trips, not several per figure): the figures still
        # at the version read are deleted in one statement, the new rows inserted in one.
        versioned = {k: previous[k] for k in keys if previous.get(k)}
        if versioned:
            done = await self.session.execute(sa.delete(submission_figures).where(
                f.submission_id == sub.id,
                sa.tuple_(f.figure_key, f.version).in_([(k.text, v) for k, v in versioned.items()]),
            ))
            if done.rowcount != len(versioned):
                # name a figure somebody changed: one still there at another version
                left = set(await self.session.scalars(sa.select(f.figure_key).where(
                    f.submission_id == sub.id, f.figure_key.in_([k.text for k in versioned]))))
                moved = next((k for k in versioned if k.text in left), next(iter(versioned)))
                raise Conflict(f"Chỉ số {moved.indicator_code} vừa được người khác sửa; hãy tải lại")
        unversioned = [k.text for k in keys if not previous.get(k)]
        if unversioned:
            await self.session.execute(sa.delete(submission_figures).where(
                f.submission_id == sub.id, f.figure_key.in_(unversioned)))
        rows = [_figure_row(sub.id, fig) for k in keys if (fig := sub.figures.get(k)) is not None]
        if rows:
            try:
                async with self.session.begin_nested():
                    await self.session.execute(sa.insert(submission_figures), rows)
            except sa.exc.IntegrityError:
                taken = next((k for k in keys if not previous.get(k)), keys[0])
                raise Conflict(
                    f"Chỉ số {taken.indicator_code} vừa được người khác nhập; hãy tải lại"
                ) from None
        if sub.changes:
            await self.session.execute(sa.insert(submission_figure_changes), [
                {
                    "submission_id": sub.id, "figure_key": c.key.text,
                    "office_code": c.office_code, "before": c.before, "after": c.after,
                    "before_note": c.before_note, "after_note": c.after_note, "actor": c.actor,
                    "at": c.at, "figure_version": c.figure_version, "reason": c.reason,
                }
                for c in sub.changes
            ])
        if sub.new_steps:
            first = len(sub.steps) - len(sub.new_steps)
            await self.session.execute(sa.insert(submission_steps), [
                {
                    "id": s.id, "submission_id": sub.id, "seq": first + i, "action": s.action.value,
                    "from_status": s.from_status.value, "to_status": s.to_status.value,
                    "actor": s.actor, "actor_unit": s.actor_unit, "at": s.at,
                    "comment": s.comment, "office_code": s.office_code,
                    "figure_key": s.figure_key.text if s.figure_key else "",
                    "submission_version": s.submission_version,
                }
                for i, s in enumerate(sub.new_steps)
            ])
        if sub.note_changes:
            await self.session.execute(sa.insert(submission_note_changes), [
                {"submission_id": sub.id, "before": c.before, "after": c.after,
                 "actor": c.actor, "at": c.at, "version": c.version}
                for c in sub.note_changes
            ])
        sub.changes.clear()
        sub.new_steps.clear()
        sub.note_changes.clear()

    async def history(self, sub: Submission, depth: int = 12) -> History:
        t, f = submissions.c, submission_figures.c
        past = (
            sa.select(t.id, t.period_code, t.period_start)
            .where(
                t.org_unit_id == sub.org_unit_id, t.period_kind == sub.period.kind.value,
                t.period_start < sub.period.start, t.status == Status.ACCEPTED.value,
            )
            .order_by(t.period_start.desc()).limit(depth).subquery()
        )
        rows = (await self.session.execute(
            sa.select(past.c.period_code, f.figure_key, f.value)
            .join(submission_figures, f.submission_id == past.c.id)
            .where(f.value.is_not(None))
            .order_by(past.c.period_start)
        )).all()
        prev_code = sub.period.previous.code
        previous: dict[FigureKey, Decimal] = {}
        series: dict[FigureKey, list[Decimal]] = defaultdict(list)
        for r in rows:
            key, value = FigureKey.from_text(r.figure_key), Decimal(r.value)
            series[key].append(value)
            if r.period_code == prev_code:
                previous[key] = value
        return History(previous, {k: tuple(v) for k, v in series.items()})

    async def accepted_figures(
        self, org_unit_id: str, periods: list[Period]
    ) -> dict[Period, dict[FigureKey, Decimal]]:
        """The figures of the unit's accepted reports for these periods (a period without an
        accepted report is absent)."""
        if not periods:
            return {}
        t, f = submissions.c, submission_figures.c
        by_code = {p.code: p for p in periods}
        accepted = (await self.session.execute(
            sa.select(t.id, t.period_code).where(
                t.org_unit_id == org_unit_id, t.period_code.in_(list(by_code)),
                t.status == Status.ACCEPTED.value)
        )).all()
        out: dict[Period, dict[FigureKey, Decimal]] = {by_code[r.period_code]: {} for r in accepted}
        code_of = {r.id: r.period_code for r in accepted}
        if code_of:
            for r in (await self.session.execute(
                sa.select(f.submission_id, f.figure_key, f.value)
                .where(f.submission_id.in_(list(code_of)), f.value.is_not(None))
            )).all():
                out[by_code[code_of[r.submission_id]]][FigureKey.from_text(r.figure_key)] = Decimal(r.value)
        return out

    async def changes(self, submission_id: str) -> list[FigureChange]:
        c = submission_figure_changes.c
        rows = (await self.session.execute(
            sa.select(submission_figure_changes).where(c.submission_id == submission_id)
            .order_by(c.id)
        )).all()
        return [
            FigureChange(
                FigureKey.from_text(r.figure_key), r.office_code, r.before, r.after,
                r.before_note, r.after_note, r.actor, _utc(r.at), r.figure_version,  # type: ignore[arg-type]
                r.reason,
            )
            for r in rows
        ]


class UnitRepository:
    def __init__(self, session: AsyncSession, province_code: str) -> None:
        self.session = session
        self.province_code = province_code

    async def by_code(self, code: str) -> UnitRef | None:
        u = await OrgUnitQueries(self.session, org_units).by_code(self.province_code, code)
        return UnitRef(u.id, u.code, u.kind, u.parent_id) if u else None

    async def reporting(self, kinds: tuple[str, ...]) -> list[UnitRef]:
        u = org_units.c
        rows = (await self.session.execute(
            sa.select(u.id, u.code, u.kind, u.parent_id, u.successor_ids, u.valid_to)
            .where(u.province_code == self.province_code, u.kind.in_(kinds)).order_by(u.code)
        )).all()
        return [UnitRef(r.id, r.code, r.kind, r.parent_id) for r in rows
                if not r.valid_to and not r.successor_ids]

    async def children(self, unit_id: str) -> list[UnitRef]:
        u = org_units.c
        rows = (await self.session.execute(
            sa.select(u.id, u.code, u.kind, u.parent_id)
            .where(u.parent_id == unit_id, u.province_code == self.province_code)
            .order_by(u.code)
        )).all()
        return [UnitRef(r.id, r.code, r.kind, r.parent_id) for r in rows]

    async def codes_in_scope(self, scope: Scope, codes: list[str]) -> set[str]:
        return await OrgUnitQueries(self.session, org_units).codes_in_scope(scope, codes)


class CalendarRepository:
    def __init__(self, session: AsyncSession, province_code: str) -> None:
        self.session = session
        self.province_code = province_code

    async def get(self, code_or_id: str) -> Calendar | None:
        t = calendars.c
        blob = await self.session.scalar(
            sa.select(t.calendar).where(
                t.province_code == self.province_code,
                sa.or_(t.code == code_or_id, t.id == code_or_id),
            ).order_by(t.retired).limit(1)
        )
        return calendar_from_pb(catalog_pb2.Calendar.FromString(blob)) if blob else None

    async def list(self) -> list[Calendar]:
        t = calendars.c
        blobs = (await self.session.execute(
            sa.select(t.calendar).where(t.province_code == self.province_code).order_by(t.code)
        )).scalars()
        return [calendar_from_pb(catalog_pb2.Calendar.FromString(b)) for b in blobs]

