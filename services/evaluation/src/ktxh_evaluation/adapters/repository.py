"""Queries live here. Evaluations are read through the caller's scope in SQL (the unit of the
evaluation must be in the units the scope reaches, over the replica of the unit tree)."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from ktxh_platform.access import Scope
from ktxh_platform.access.sql import scope_filter
from ktxh_platform.domain import Aggregate, PreconditionFailed
from ktxh_platform.domain.paging import decode_token, encode_token
from sqlalchemy.ext.asyncio import AsyncSession

from ktxh_evaluation.adapters.codec import (
    edition_from_json,
    edition_header_to_json,
    evaluation_from_json,
    evaluation_to_json,
    result_row_from_json,
    result_row_to_json,
    round_from_json,
    round_to_json,
)
from ktxh_evaluation.adapters.tables import (
    evaluation_rounds,
    evaluations,
    org_units,
    result_edition_rows,
    result_editions,
    unit_reports,
)
from ktxh_evaluation.domain.evaluations import Evaluation, Round
from ktxh_evaluation.domain.results import ResultEdition
from ktxh_evaluation.domain.scoring import ReportResult, ReportState
from ktxh_evaluation.service_layer.unit_of_work import EvaluationFilter

R, E = evaluation_rounds.c, evaluations.c
STALE = "Đánh giá vừa được người khác thay đổi; vui lòng tải lại rồi thử lại"


class RoundRepository:
    def __init__(self, session: AsyncSession, seen: list[Aggregate]) -> None:
        self.session = session
        self.seen = seen

    async def get(self, round_id: str, province: str) -> Round | None:
        row = (await self.session.execute(sa.select(R.payload, R.version).where(
            R.id == round_id, R.province_code == province))).first()
        return round_from_json(row.payload, row.version) if row else None

    async def list(self, province: str, year: int) -> list[Round]:
        q = sa.select(R.payload, R.version).where(R.province_code == province)
        if year:
            q = q.where(R.year == year)
        rows = (await self.session.execute(q.order_by(R.year.desc(), R.created_at.desc()))).all()
        return [round_from_json(r.payload, r.version) for r in rows]

    async def find(self, province: str, criteria_set_id: str, year: int, kind: str) -> Round | None:
        row = (await self.session.execute(sa.select(R.payload, R.version).where(
            R.province_code == province, R.criteria_set_id == criteria_set_id, R.year == year,
            R.kind == kind))).first()
        return round_from_json(row.payload, row.version) if row else None

    async def add(self, r: Round) -> None:
        await self.session.execute(sa.insert(evaluation_rounds).values(
            id=r.id, province_code=r.province_code, year=r.year, kind=r.kind.value,
            criteria_set_id=r.criteria_set_id, status=r.status.value, version=r.version,
            payload=round_to_json(r), created_at=r.created_at or datetime.now(UTC)))
        self.seen.append(r)

    async def save(self, r: Round, before_version: int) -> None:
        result = await self.session.execute(sa.update(evaluation_rounds).where(
            R.id == r.id, R.version == before_version).values(
            status=r.status.value, version=r.version, payload=round_to_json(r)))
        if result.rowcount != 1:
            raise PreconditionFailed(STALE)
        self.seen.append(r)


class EvaluationRepository:
    def __init__(self, session: AsyncSession, seen: list[Aggregate]) -> None:
        self.session = session
        self.seen = seen

    def _visible(self, scope: Scope) -> sa.ColumnElement[bool]:
        return scope_filter(scope, province=E.province_code, unit_id=E.org_unit_id, units=org_units)

    async def get(self, evaluation_id: str, scope: Scope) -> Evaluation | None:
        row = (await self.session.execute(sa.select(E.payload, E.version).where(
            E.id == evaluation_id, self._visible(scope)))).first()
        return evaluation_from_json(row.payload, row.version) if row else None

    async def list(self, scope: Scope, f: EvaluationFilter) -> tuple[list[Evaluation], str, int]:
        where = [self._visible(scope)]
        if f.round_id:
            where.append(E.round_id == f.round_id)
        if f.org_unit_id:
            where.append(E.org_unit_id == f.org_unit_id)
        if f.status is not None:
            where.append(E.status == f.status.value)
        if f.year:
            where.append(E.round_id.in_(sa.select(R.id).where(R.year == f.year)))
        total = (await self.session.execute(
            sa.select(sa.func.count()).select_from(evaluations).where(*where))).scalar_one()
        offset = decode_token(f.page_token)
        size = max(1, min(f.page_size or 100, 500))
        rows = (await self.session.execute(
            sa.select(E.payload, E.version).where(*where).order_by(E.org_unit_code, E.id)
            .offset(offset).limit(size))).all()
        nxt = encode_token(offset + size) if offset + size < total else ""
        return [evaluation_from_json(r.payload, r.version) for r in rows], nxt, total

    async def following(self, org_unit_id: str, province: str) -> list[Evaluation]:
        """The unit's evaluations whose suggestions still follow the evidence: in an open round,
        not final (the submission consumer; no caller, so no scope)."""
        rows = (await self.session.execute(sa.select(E.payload, E.version).where(
            E.org_unit_id == org_unit_id, E.province_code == province,
            E.status.in_(("draft", "checked", "submitted")),
            E.round_id.in_(sa.select(R.id).where(R.status == "open"))))).all()
        return [evaluation_from_json(r.payload, r.version) for r in rows]

    def _columns(self, e: Evaluation) -> dict:
        return {"status": e.status.value, "total_score": e.total,
                "completion_level": e.level.value if e.level else None, "version": e.version,
                "payload": evaluation_to_json(e)}

    async def add(self, e: Evaluation) -> None:
        await self.session.execute(sa.insert(evaluations).values(
            id=e.id, round_id=e.round_id, province_code=e.province_code, org_unit_id=e.org_unit.id,
            org_unit_code=e.org_unit.code, **self._columns(e)))
        self.seen.append(e)

    async def save(self, e: Evaluation, before_version: int) -> None:
        result = await self.session.execute(sa.update(evaluations).where(
            E.id == e.id, E.version == before_version).values(**self._columns(e)))
        if result.rowcount != 1:
            raise PreconditionFailed(STALE)
        self.seen.append(e)


class ReportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def for_unit(self, org_unit_id: str, period_codes: tuple[str, ...]) -> list[ReportResult]:
        U = unit_reports.c
        rows = (await self.session.execute(sa.select(U).where(
            U.org_unit_id == org_unit_id, U.period_code.in_(period_codes)))).all()
        known = {r.period_code: ReportResult(r.submission_id, r.period_code, ReportState(r.state),
                                             r.days_late, r.complete) for r in rows}
        return [known.get(p) or ReportResult("", p, ReportState.MISSING) for p in period_codes]


class EditionRepository:
    """Published editions: the header by round and revision; the rows through the scope."""

    def __init__(self, session: AsyncSession, seen: list[Aggregate]) -> None:
        self.session = session
        self.seen = seen

    async def next_revision(self, round_id: str) -> int:
        X = result_editions.c
        top = (await self.session.execute(sa.select(sa.func.max(X.revision)).where(
            X.round_id == round_id))).scalar_one_or_none()
        return (top or 0) + 1

    async def add(self, x: ResultEdition) -> None:
        await self.session.execute(sa.insert(result_editions).values(
            id=x.id, round_id=x.round_id, province_code=x.province_code, revision=x.revision,
            published_at=x.published_at, payload=edition_header_to_json(x)))
        if x.rows:
            await self.session.execute(sa.insert(result_edition_rows), [
                {"edition_id": x.id, "position": i, "province_code": x.province_code,
                 "org_unit_id": r.org_unit.id, "payload": result_row_to_json(r)}
                for i, r in enumerate(x.rows)])
        self.seen.append(x)

    async def list(self, round_id: str, province: str) -> list[ResultEdition]:
        X = result_editions.c
        rows = (await self.session.execute(sa.select(X.payload).where(
            X.round_id == round_id, X.province_code == province).order_by(X.revision.desc()))).all()
        return [edition_from_json(r.payload, []) for r in rows]

    async def get(self, round_id: str, revision: int, province: str, scope: Scope) -> ResultEdition | None:
        X, W = result_editions.c, result_edition_rows.c
        head = (await self.session.execute(sa.select(X.payload).where(
            X.round_id == round_id, X.revision == revision, X.province_code == province))).first()
        if head is None:
            return None
        visible = scope_filter(scope, province=W.province_code, unit_id=W.org_unit_id, units=org_units)
        rows = (await self.session.execute(sa.select(W.payload).where(
            W.edition_id == head.payload["id"], visible).order_by(W.position))).all()
        return edition_from_json(head.payload, [result_row_from_json(r.payload) for r in rows])
