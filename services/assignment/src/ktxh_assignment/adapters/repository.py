"""Queries live here. Every decision and assignment read goes through this class, filtered by
the caller's scope in SQL (`_visible`), so listings never load what the caller may not see.

Writes of a whole decision are bulk statements (one INSERT with many parameter sets, one
UPDATE per decision), not row-by-row ORM work: a province decision holds 200 indicators × 170
units = 34,000 assignments.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from ktxh_assignment.adapters.tables import assignments, decisions, org_units
from ktxh_assignment.domain.decisions import (
    ISSUED_STATUSES,
    AssigneeRole,
    Assignment,
    AssignmentKind,
    AssignmentStatus,
    Comparison,
    CriteriaSubject,
    Decision,
    DecisionStatus,
    DimensionChoice,
    Header,
    Milestone,
    PlanSubject,
    Subject,
    Target,
    TaskSubject,
)
from ktxh_assignment.service_layer.unit_of_work import AssignmentFilter, DecisionFilter, Visibility
from ktxh_platform.access import Scope
from ktxh_platform.access.sql import units_in_scope
from ktxh_platform.domain import Aggregate, PreconditionFailed
from ktxh_platform.domain.paging import decode_token, encode_token
from ktxh_platform.org_units import OrgUnitQueries

A = assignments.c
D = decisions.c


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


# ------------------------------------------------------------------------- subject <-> JSON


def subject_to_json(s: Subject) -> dict[str, Any]:
    match s:
        case Target():
            return {
                "indicator_code": s.indicator_code, "period": s.period,
                "members": [[m.dimension_code, m.member_code] for m in s.members],
                "target_value": s.target_value, "target_value_max": s.target_value_max,
                "comparison": s.comparison.value if s.comparison else "",
                "target_text": s.target_text, "unit_of_measure": s.unit_of_measure,
            }
        case TaskSubject():
            return {
                "key_task_id": s.key_task_id, "deadline": s.deadline.isoformat() if s.deadline else "",
                "expected_output": s.expected_output,
                "coordinating_unit_ids": list(s.coordinating_unit_ids), "requirements": s.requirements,
                "milestones": [[m.name, m.due_date.isoformat()] for m in s.milestones],
            }
        case PlanSubject():
            return {
                "thematic_plan_id": s.thematic_plan_id, "responsibilities": s.responsibilities,
                "deadline": s.deadline.isoformat() if s.deadline else "",
            }
        case CriteriaSubject():
            return {"criteria_set_id": s.criteria_set_id, "note": s.note}
    raise TypeError(type(s).__name__)


def _day(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def subject_from_json(kind: str, d: dict[str, Any]) -> Subject:
    match AssignmentKind(kind):
        case AssignmentKind.INDICATOR_TARGET:
            return Target(
                indicator_code=d["indicator_code"], period=d["period"],
                members=tuple(DimensionChoice(a, b) for a, b in d["members"]),
                target_value=d["target_value"], target_value_max=d["target_value_max"],
                comparison=Comparison(d["comparison"]) if d["comparison"] else None,
                target_text=d["target_text"], unit_of_measure=d["unit_of_measure"],
            )
        case AssignmentKind.KEY_TASK:
            return TaskSubject(
                key_task_id=d["key_task_id"], deadline=_day(d["deadline"]),
                expected_output=d["expected_output"],
                coordinating_unit_ids=tuple(d["coordinating_unit_ids"]), requirements=d["requirements"],
                milestones=tuple(Milestone(n, date.fromisoformat(due)) for n, due in d["milestones"]),
            )
        case AssignmentKind.THEMATIC_PLAN:
            return PlanSubject(d["thematic_plan_id"], d["responsibilities"], _day(d["deadline"]))
        case AssignmentKind.CRITERIA_SET:
            return CriteriaSubject(d["criteria_set_id"], d["note"])


# ------------------------------------------------------------------------- rows


def _decision_row(d: Decision) -> dict[str, Any]:
    h = d.header
    return {
        "id": d.id, "province_code": d.province_code, "issuer_unit_id": d.issuer_unit_id,
        "number": h.number, "title": h.title, "issued_on": h.issued_on, "signer": h.signer,
        "year": h.year, "plan_period": h.plan_period, "legal_basis": h.legal_basis,
        "effective_from": h.effective_from, "adjusts_decision_id": h.adjusts_decision_id or None,
        "document_id": h.document_id, "front_unit_ids": list(h.front_unit_ids),
        "status": d.status.value, "issued_at": d.issued_at, "revoke_reason": d.revoke_reason,
        "assignment_count": d.assignment_count, "created_by": d.created_by,
        "created_at": d.created_at, "updated_by": d.updated_by, "updated_at": d.updated_at,
        "version": d.version,
    }


def _decision_from_row(r: Any, items: list[Assignment]) -> Decision:
    return Decision(
        id=r.id, issuer_unit_id=r.issuer_unit_id, province_code=r.province_code,
        header=Header(
            number=r.number, title=r.title, issued_on=r.issued_on, signer=r.signer, year=r.year,
            plan_period=r.plan_period, legal_basis=r.legal_basis, effective_from=r.effective_from,
            adjusts_decision_id=r.adjusts_decision_id or "", document_id=r.document_id,
            front_unit_ids=tuple(r.front_unit_ids),
        ),
        status=DecisionStatus(r.status), assignments=items, issued_at=_utc(r.issued_at),
        revoke_reason=r.revoke_reason, assignment_count=r.assignment_count,
        created_by=r.created_by, created_at=_utc(r.created_at), updated_by=r.updated_by,
        updated_at=_utc(r.updated_at), version=r.version,
    )


def assignment_row(a: Assignment) -> dict[str, Any]:
    return {
        "id": a.id, "decision_id": a.decision_id, "province_code": a.province_code,
        "kind": a.kind.value, "assignee_unit_id": a.assignee_unit_id, "role": a.role.value,
        "assigner_unit_id": a.assigner_unit_id, "subject_key": a.subject_key,
        "indicator_code": a.subject.indicator_code if isinstance(a.subject, Target) else None,
        "year": a.year, "plan_period": a.plan_period, "front_unit_ids": list(a.front_unit_ids),
        "subject": subject_to_json(a.subject), "status": a.status.value,
        "effective_from": a.effective_from, "effective_to": a.effective_to,
        "superseded_by_id": a.superseded_by_id, "acknowledged_by": a.acknowledged_by,
        "acknowledged_at": a.acknowledged_at, "acknowledgement_note": a.acknowledgement_note,
        "overdue_notified_at": a.overdue_notified_at, "decision_number": a.decision_number,
        "issued_on": a.issued_on, "created_by": a.created_by, "created_at": a.created_at,
        "updated_by": a.updated_by, "updated_at": a.updated_at, "version": a.version,
    }


def _assignment_from_row(r: Any) -> Assignment:
    return Assignment(
        id=r.id, decision_id=r.decision_id, assignee_unit_id=r.assignee_unit_id,
        subject=subject_from_json(r.kind, r.subject), assigner_unit_id=r.assigner_unit_id,
        role=AssigneeRole(r.role), year=r.year, plan_period=r.plan_period,
        front_unit_ids=tuple(r.front_unit_ids), status=AssignmentStatus(r.status),
        province_code=r.province_code, effective_from=r.effective_from,
        effective_to=r.effective_to, superseded_by_id=r.superseded_by_id,
        acknowledged_by=r.acknowledged_by, acknowledged_at=_utc(r.acknowledged_at),
        acknowledgement_note=r.acknowledgement_note, overdue_notified_at=_utc(r.overdue_notified_at),
        decision_number=r.decision_number, issued_on=r.issued_on, created_by=r.created_by,
        created_at=_utc(r.created_at), updated_by=r.updated_by, updated_at=_utc(r.updated_at),
        version=r.version,
    )


# ------------------------------------------------------------------------- scope in SQL


@dataclass(frozen=True)
class Reach:
    """A `Visibility` resolved against the replica once per statement: the unit ids the read
    and write scopes reach (None = the whole province; write None = no write grant), and the
    Front committee's id for an `opened_only` scope."""

    province: str
    read: list[str] | None
    write: list[str] | None
    writer: bool
    front_id: str | None = None


async def resolve(session: AsyncSession, v: Visibility) -> Reach:
    async def ids(scope: Scope) -> list[str] | None:
        if scope.province_wide:
            return None
        return list((await session.execute(units_in_scope(scope, org_units))).scalars())

    front_id = None
    if v.read.opened_only:
        u = org_units.c
        front_id = await session.scalar(
            sa.select(u.id).where(u.code == v.read.unit_code, u.province_code == v.read.province)
        ) or "-"
        read: list[str] | None = []
    else:
        read = await ids(v.read)
    write = await ids(v.write) if v.write is not None else []
    return Reach(v.read.province, read, write, v.write is not None, front_id)


def _unit_in(ids: list[str] | None, column: sa.ColumnElement[str]) -> sa.ColumnElement[bool]:
    return sa.true() if ids is None else column.in_(ids)


def _visible(r: Reach) -> sa.ColumnElement[bool]:
    """Assignments the caller may read (docs/security.md, "Assignments"):

    - published (not draft) ones whose assignee OR assigner (issuer) is in the read scope;
    - for the Front (`opened_only`), published ones naming its committee in `front_unit_ids`;
    - drafts only for the issuer's writers (the write scope reaches the assigner unit).
    """
    published = A.status != AssignmentStatus.DRAFT.value
    if r.front_id is not None:
        seen = sa.and_(published, sa.cast(A.front_unit_ids, sa.Text).contains(f'"{r.front_id}"'))
    else:
        seen = sa.and_(published, sa.or_(_unit_in(r.read, A.assignee_unit_id), _unit_in(r.read, A.assigner_unit_id)))
    if r.writer:
        seen = sa.or_(seen, sa.and_(A.status == AssignmentStatus.DRAFT.value, _unit_in(r.write, A.assigner_unit_id)))
    return sa.and_(A.province_code == r.province, seen)


def _decision_visible(r: Reach) -> sa.ColumnElement[bool]:
    """A decision is visible to its issuer's users (drafts: its writers only) and to whoever
    may see at least one of its assignments."""
    own = sa.false()
    if r.front_id is None:
        own = sa.and_(D.status != DecisionStatus.DRAFT.value, _unit_in(r.read, D.issuer_unit_id))
    if r.writer:
        own = sa.or_(own, _unit_in(r.write, D.issuer_unit_id))
    some = sa.exists(sa.select(A.id).where(A.decision_id == D.id, _visible(r)))
    return sa.and_(D.province_code == r.province, sa.or_(own, some))


# ------------------------------------------------------------------------- repository


class DecisionRepository:
    def __init__(self, session: AsyncSession, seen: list[Aggregate]) -> None:
        self.session = session
        self.seen = seen

    def _track(self, agg: Aggregate) -> None:
        self.seen.append(agg)

    async def _assignments_of(self, decision_id: str, r: Reach | None) -> list[Assignment]:
        where = [A.decision_id == decision_id]
        if r is not None:
            where.append(_visible(r))
        rows = (
            await self.session.execute(
                sa.select(assignments).where(*where).order_by(A.created_at, A.id)
            )
        ).all()
        return [_assignment_from_row(r) for r in rows]

    async def get(
        self, decision_id: str, v: Visibility, *, all_assignments: bool = False, header_only: bool = False
    ) -> Decision | None:
        """The decision if visible; its assignments: those the caller may see (every one when
        ``all_assignments``, for the issuer's writes)."""
        r = await resolve(self.session, v)
        row = (
            await self.session.execute(
                sa.select(decisions).where(D.id == decision_id, _decision_visible(r))
            )
        ).first()
        if row is None:
            return None
        items = [] if header_only else await self._assignments_of(decision_id, None if all_assignments else r)
        d = _decision_from_row(row, items)
        self._track(d)
        for a in items:
            self._track(a)
        return d

    async def list(self, v: Visibility, f: DecisionFilter) -> tuple[list[Decision], str, int]:
        where = [_decision_visible(await resolve(self.session, v))]
        if f.issuer_unit_id:
            where.append(D.issuer_unit_id == f.issuer_unit_id)
        if f.year:
            where.append(D.year == f.year)
        if f.status:
            where.append(D.status == f.status.value)
        if f.query:
            like = f"%{f.query.lower()}%"
            where.append(sa.or_(sa.func.lower(D.number).like(like), sa.func.lower(D.title).like(like)))
        total = await self.session.scalar(sa.select(sa.func.count()).select_from(decisions).where(*where))
        offset = decode_token(f.page_token)
        rows = (
            await self.session.execute(
                sa.select(decisions).where(*where)
                .order_by(D.created_at.desc(), D.id).offset(offset).limit(f.page_size)
            )
        ).all()
        next_offset = offset + len(rows)
        token = encode_token(next_offset) if next_offset < (total or 0) else ""
        return [_decision_from_row(r, []) for r in rows], token, int(total or 0)

    async def add(self, d: Decision) -> None:
        await self.session.execute(sa.insert(decisions).values(**_decision_row(d)))
        await self._insert_assignments(d.assignments)
        self._track(d)

    async def _insert_assignments(self, items: list[Assignment]) -> None:
        if items:
            await self.session.execute(sa.insert(assignments), [assignment_row(a) for a in items])

    async def _bump(self, d: Decision, before_version: int) -> None:
        values = _decision_row(d)
        values.pop("id")
        result = await self.session.execute(
            sa.update(decisions).where(D.id == d.id, D.version == before_version).values(**values)
        )
        if result.rowcount != 1:
            raise PreconditionFailed("Quyết định vừa được người khác thay đổi; vui lòng tải lại rồi thử lại")

    async def save_header(self, d: Decision, before_version: int) -> None:
        await self._bump(d, before_version)
        h = d.header
        await self.session.execute(
            sa.update(assignments).where(A.decision_id == d.id).values(
                year=h.year, plan_period=h.plan_period, decision_number=h.number,
                issued_on=h.issued_on, updated_by=d.updated_by, updated_at=d.updated_at,
            )
        )
        if d.assignments:  # the Front committees a draft's assignments take from its header
            await self.session.execute(
                sa.update(assignments).where(A.id == sa.bindparam("aid"))
                .values(front_unit_ids=sa.bindparam("fronts")),
                [{"aid": a.id, "fronts": list(a.front_unit_ids)} for a in d.assignments],
            )

    async def replace_assignments(self, d: Decision, before_version: int) -> None:
        await self._bump(d, before_version)
        await self.session.execute(sa.delete(assignments).where(A.decision_id == d.id))
        await self._insert_assignments(d.assignments)

    async def save_issued(self, d: Decision, before_version: int) -> None:
        """The decision issued: one UPDATE for all its assignments (same values for each)."""
        await self._bump(d, before_version)
        h = d.header
        await self.session.execute(
            sa.update(assignments).where(A.decision_id == d.id).values(
                status=AssignmentStatus.ISSUED.value, effective_from=d.effective_from,
                decision_number=h.number, issued_on=h.issued_on, version=1,
                updated_by=d.updated_by, updated_at=d.updated_at,
            )
        )

    async def save_revoked(self, d: Decision, before_version: int) -> None:
        await self._bump(d, before_version)
        await self.session.execute(
            sa.update(assignments)
            .where(A.decision_id == d.id, A.status.in_([s.value for s in ISSUED_STATUSES]))
            .values(status=AssignmentStatus.CANCELLED.value, version=A.version + 1,
                    updated_by=d.updated_by, updated_at=d.updated_at)
        )


class AssignmentRepository:
    def __init__(self, session: AsyncSession, seen: list[Aggregate]) -> None:
        self.session = session
        self.seen = seen

    async def get(self, assignment_id: str, v: Visibility) -> Assignment | None:
        row = (
            await self.session.execute(
                sa.select(assignments).where(A.id == assignment_id, _visible(await resolve(self.session, v)))
            )
        ).first()
        if row is None:
            return None
        a = _assignment_from_row(row)
        self.seen.append(a)
        return a

    async def list(self, v: Visibility, f: AssignmentFilter) -> tuple[list[Assignment], str, int]:
        where = [_visible(await resolve(self.session, v))]
        if f.assignee_unit_id:
            if f.include_descendants:
                where.append(A.assignee_unit_id.in_(_descendants(f.assignee_unit_id)))
            else:
                where.append(A.assignee_unit_id == f.assignee_unit_id)
        if f.decision_id:
            where.append(A.decision_id == f.decision_id)
        if f.year:
            where.append(A.year == f.year)
        if f.kind:
            where.append(A.kind == f.kind.value)
        if f.status:
            where.append(A.status == f.status.value)
        if f.indicator_code:
            where.append(A.indicator_code == f.indicator_code)
        if f.key_task_id:
            where.append(A.subject_key == f"key_task:{f.key_task_id}")
        if f.front_unit_id:
            where.append(sa.cast(A.front_unit_ids, sa.Text).contains(f'"{f.front_unit_id}"'))
        if f.in_force_on:
            where.append(_in_force(f.in_force_on))
        total = await self.session.scalar(sa.select(sa.func.count()).select_from(assignments).where(*where))
        offset = decode_token(f.page_token)
        rows = (
            await self.session.execute(
                sa.select(assignments).where(*where)
                .order_by(A.issued_on.desc(), A.decision_id, A.created_at, A.id)
                .offset(offset).limit(f.page_size)
            )
        ).all()
        next_offset = offset + len(rows)
        token = encode_token(next_offset) if next_offset < (total or 0) else ""
        return [_assignment_from_row(r) for r in rows], token, int(total or 0)

    async def history(self, a: Assignment, v: Visibility) -> list[Assignment]:
        rows = (
            await self.session.execute(
                sa.select(assignments).where(
                    A.province_code == a.province_code, A.assignee_unit_id == a.assignee_unit_id,
                    A.subject_key == a.subject_key, A.status != AssignmentStatus.DRAFT.value,
                    _visible(await resolve(self.session, v)),
                ).order_by(A.effective_from, A.issued_on, A.created_at)
            )
        ).all()
        return [_assignment_from_row(r) for r in rows]

    async def in_force(
        self, province: str, pairs: Iterable[tuple[str, str]], on: date, exclude_decision_id: str
    ) -> dict[tuple[str, str], Assignment]:
        """In-force assignments (of other decisions) for the given (unit, subject key) pairs,
        loaded for a change (registered for the outbox)."""
        wanted = set(pairs)
        if not wanted:
            return {}
        units = sorted({u for u, _ in wanted})
        keys = sorted({k for _, k in wanted})
        out: dict[tuple[str, str], Assignment] = {}
        for i in range(0, len(units), 500):
            rows = (
                await self.session.execute(
                    sa.select(assignments).where(
                        A.province_code == province, A.decision_id != exclude_decision_id,
                        A.assignee_unit_id.in_(units[i:i + 500]), A.subject_key.in_(keys),
                        _in_force(on),
                    )
                )
            ).all()
            for r in rows:
                if (r.assignee_unit_id, r.subject_key) in wanted:
                    a = _assignment_from_row(r)
                    out[(a.assignee_unit_id, a.subject_key)] = a
                    self.seen.append(a)
        return out

    async def superseded_by(self, decision_id: str) -> list[Assignment]:
        """Assignments that the given decision's assignments superseded (to restore them)."""
        ids = sa.select(A.id).where(A.decision_id == decision_id).scalar_subquery()
        rows = (
            await self.session.execute(sa.select(assignments).where(A.superseded_by_id.in_(ids)))
        ).all()
        out = [_assignment_from_row(r) for r in rows]
        self.seen.extend(out)
        return out

    async def unacknowledged(self, province: str, issued_before: date, limit: int) -> list[Assignment]:
        rows = (
            await self.session.execute(
                sa.select(assignments).where(
                    A.province_code == province, A.status == AssignmentStatus.ISSUED.value,
                    A.overdue_notified_at.is_(None), A.issued_on <= issued_before,
                ).order_by(A.issued_on, A.id).limit(limit)
            )
        ).all()
        out = [_assignment_from_row(r) for r in rows]
        self.seen.extend(out)
        return out

    async def save(self, a: Assignment, before_version: int) -> None:
        values = assignment_row(a)
        values.pop("id")
        result = await self.session.execute(
            sa.update(assignments).where(A.id == a.id, A.version == before_version).values(**values)
        )
        if result.rowcount != 1:
            raise PreconditionFailed("Nội dung giao vừa được thay đổi; vui lòng tải lại rồi thử lại")

    async def save_many(self, items: list[tuple[Assignment, int]]) -> None:
        for a, before in items:
            await self.save(a, before)


class UnitRepository:
    """Questions about the org-unit replica."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.replica = OrgUnitQueries(session, org_units)

    async def own_unit_ids(self, province: str, unit_code: str) -> set[str]:
        """The caller's own units: the token's unit and, for an office or Front committee, the
        unit it belongs to (its home unit)."""
        unit = await self.replica.by_code(province, unit_code)
        if unit is None:
            return set()
        out = {unit.id}
        if unit.kind in ("office", "front") and unit.parent_id:
            out.add(unit.parent_id)
        return out

    async def existing(self, province: str, ids: Iterable[str]) -> dict[str, str]:
        """Kind of each unit among ``ids`` that exists in the province."""
        return await self.replica.kinds(province, ids)

    async def in_scope(self, scope: Scope, unit_id: str) -> bool:
        return await self.replica.in_scope(scope, unit_id)


def _descendants(unit_id: str) -> sa.Select:
    u = org_units.alias("desc_unit")
    down = sa.select(sa.literal(unit_id).label("id")).cte("desc_down", recursive=True)
    down = down.union(sa.select(u.c.id).where(u.c.parent_id == down.c.id))
    return sa.select(down.c.id)


def _in_force(on: date) -> sa.ColumnElement[bool]:
    return sa.and_(
        A.status.in_([s.value for s in ISSUED_STATUSES]),
        A.effective_from <= on,
        sa.or_(A.effective_to.is_(None), A.effective_to > on),
    )
