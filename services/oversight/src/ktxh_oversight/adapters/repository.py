"""Queries live here. Every read is filtered by the caller's ``Reader`` in SQL: a Front member
sees its committee's rows; everyone else the rows whose addressed (or filed-to) unit is in
their scope, computed on the service's replica of the unit tree."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from ktxh_platform.access import Scope
from ktxh_platform.access.sql import scope_filter, units_in_scope
from ktxh_platform.domain import Aggregate, PreconditionFailed
from ktxh_platform.domain.paging import decode_token, encode_token
from ktxh_platform.org_units import OrgUnitQueries, ReplicaUnit
from sqlalchemy.ext.asyncio import AsyncSession

from ktxh_oversight.adapters.json_io import (
    comment_from_json,
    comment_to_json,
    report_from_json,
    report_to_json,
)
from ktxh_oversight.adapters.tables import (
    comments,
    org_units,
    oversight_report_units,
    oversight_reports,
    recommendations,
)
from ktxh_oversight.domain.model import Comment, OversightReport, RecommendationStatus, ReportStatus
from ktxh_oversight.service_layer.unit_of_work import (
    CommentFilter,
    Reader,
    RecommendationFilter,
    ReportFilter,
    Unit,
)

C = comments.c
R = oversight_reports.c
K = recommendations.c

STALE = "Mục đã được người khác thay đổi; vui lòng tải lại."


def _in_scope(scope: Scope, province: sa.ColumnElement[str], unit_id: sa.ColumnElement[str]) -> sa.ColumnElement[bool]:
    return scope_filter(scope, province=province, unit_id=unit_id, units=org_units)


def _page(size: int, default: int) -> int:
    return min(max(size or default, 1), 500)


class CommentRepository:
    def __init__(self, session: AsyncSession, seen: list[Aggregate]) -> None:
        self.session, self.seen = session, seen

    @staticmethod
    def _visible(reader: Reader) -> sa.ColumnElement[bool]:
        alive = sa.and_(C.deleted.is_(False), C.province_code == reader.scope.province)
        if reader.front_unit_id:
            return sa.and_(alive, C.front_unit_id == reader.front_unit_id)
        return sa.and_(alive, _in_scope(reader.scope, C.province_code, C.addressee_unit_id))

    @staticmethod
    def _from_row(row: sa.Row) -> Comment:
        return comment_from_json(row.id, row.province_code, row.version, row.payload)

    async def get(self, comment_id: str, reader: Reader) -> Comment | None:
        row = (await self.session.execute(
            sa.select(comments).where(C.id == comment_id, self._visible(reader))
        )).first()
        if row is None:
            return None
        c = self._from_row(row)
        self.seen.append(c)
        return c

    async def list(self, reader: Reader, f: CommentFilter) -> tuple[list[Comment], str, int]:
        where = [self._visible(reader)]
        if f.front_unit_id:
            where.append(C.front_unit_id == f.front_unit_id)
        if f.addressee_unit_id:
            where.append(C.addressee_unit_id == f.addressee_unit_id)
        if f.subject_kind:
            where.append(C.subject_kind == f.subject_kind.value)
        if f.subject_id:
            where.append(C.subject_id == f.subject_id)
        if f.status:
            where.append(C.status == f.status.value)
        offset, size = decode_token(f.page_token), _page(f.page_size, 100)
        total = await self.session.scalar(sa.select(sa.func.count()).select_from(comments).where(*where)) or 0
        rows = await self.session.execute(
            sa.select(comments).where(*where).order_by(C.posted_at.desc(), C.id).offset(offset).limit(size)
        )
        items = [self._from_row(r) for r in rows]
        return items, encode_token(offset + size) if offset + size < total else "", total

    def _values(self, c: Comment) -> dict[str, object]:
        return {
            "province_code": c.province_code, "front_unit_id": c.front_unit_id,
            "addressee_unit_id": c.addressee_unit_id, "subject_kind": c.subject.kind.value,
            "subject_id": c.subject.id, "status": c.status.value, "deleted": c.deleted,
            "posted_at": c.posted_at, "version": c.version, "payload": comment_to_json(c),
        }

    async def add(self, c: Comment) -> None:
        await self.session.execute(sa.insert(comments).values(id=c.id, **self._values(c)))
        self.seen.append(c)

    async def save(self, c: Comment, before_version: int) -> None:
        done = await self.session.execute(
            sa.update(comments).where(C.id == c.id, C.version == before_version).values(**self._values(c))
        )
        if done.rowcount != 1:
            raise PreconditionFailed(STALE)
        if c not in self.seen:
            self.seen.append(c)


class ReportRepository:
    def __init__(self, session: AsyncSession, seen: list[Aggregate]) -> None:
        self.session, self.seen = session, seen

    @staticmethod
    def _visible(reader: Reader) -> sa.ColumnElement[bool]:
        same = R.province_code == reader.scope.province
        if reader.front_unit_id:
            return sa.and_(same, R.front_unit_id == reader.front_unit_id)
        filed = sa.and_(same, R.status == ReportStatus.FILED.value)
        if reader.scope.province_wide:
            return filed
        reach = units_in_scope(reader.scope, org_units)
        addressed = sa.select(K.report_id).where(K.addressee_unit_id.in_(reach))
        return sa.and_(filed, sa.or_(R.filed_to_unit_id.in_(reach), R.id.in_(addressed)))

    @staticmethod
    def _rec_visible(reader: Reader) -> sa.ColumnElement[bool]:
        base = sa.and_(K.province_code == reader.scope.province, K.filed.is_(True))
        if reader.front_unit_id:
            return sa.and_(K.province_code == reader.scope.province, K.front_unit_id == reader.front_unit_id, K.filed.is_(True))
        if reader.scope.province_wide:
            return base
        reach = units_in_scope(reader.scope, org_units)
        return sa.and_(base, sa.or_(K.addressee_unit_id.in_(reach), K.filed_to_unit_id.in_(reach)))

    def _load(self, row: sa.Row) -> OversightReport:
        r = report_from_json(row.id, row.province_code, row.version, row.payload)
        self.seen.append(r)
        return r

    async def get(self, report_id: str, reader: Reader) -> OversightReport | None:
        row = (await self.session.execute(
            sa.select(oversight_reports).where(R.id == report_id, self._visible(reader))
        )).first()
        return self._load(row) if row else None

    async def get_by_recommendation(self, recommendation_id: str, reader: Reader) -> OversightReport | None:
        report_id = await self.session.scalar(
            sa.select(K.report_id).where(K.id == recommendation_id, self._rec_visible(reader))
        )
        if report_id is None:
            return None
        row = (await self.session.execute(sa.select(oversight_reports).where(R.id == report_id))).first()
        return self._load(row) if row else None

    async def list(self, reader: Reader, f: ReportFilter) -> tuple[list[OversightReport], str, int]:
        where = [self._visible(reader)]
        if f.front_unit_id:
            where.append(R.front_unit_id == f.front_unit_id)
        if f.overseen_unit_id:
            where.append(R.id.in_(sa.select(oversight_report_units.c.report_id).where(
                oversight_report_units.c.unit_id == f.overseen_unit_id)))
        if f.status:
            where.append(R.status == f.status.value)
        if f.year:
            where.append(R.year == f.year)
        offset, size = decode_token(f.page_token), _page(f.page_size, 50)
        total = await self.session.scalar(sa.select(sa.func.count()).select_from(oversight_reports).where(*where)) or 0
        rows = await self.session.execute(
            sa.select(oversight_reports).where(*where).order_by(R.created_at.desc(), R.id).offset(offset).limit(size)
        )
        return [self._load(r) for r in rows], encode_token(offset + size) if offset + size < total else "", total

    async def recommendations(
        self, reader: Reader, f: RecommendationFilter
    ) -> tuple[list[tuple[OversightReport, str]], str, int]:
        where = [self._rec_visible(reader)]
        if f.front_unit_id:
            where.append(K.front_unit_id == f.front_unit_id)
        if f.addressee_unit_id:
            where.append(K.addressee_unit_id == f.addressee_unit_id)
        if f.status:
            where.append(K.status == f.status.value)
        if f.overdue_on:
            where += [K.status == RecommendationStatus.OPEN.value, K.due_date < f.overdue_on]
        if f.oversight_report_id:
            where.append(K.report_id == f.oversight_report_id)
        offset, size = decode_token(f.page_token), _page(f.page_size, 100)
        total = await self.session.scalar(sa.select(sa.func.count()).select_from(recommendations).where(*where)) or 0
        rows = (await self.session.execute(
            sa.select(K.id, K.report_id).where(*where).order_by(K.due_date, K.id).offset(offset).limit(size)
        )).all()
        report_ids = sorted({r.report_id for r in rows})
        loaded = {
            row.id: report_from_json(row.id, row.province_code, row.version, row.payload)
            for row in await self.session.execute(sa.select(oversight_reports).where(R.id.in_(report_ids)))
        } if report_ids else {}
        items = [(loaded[r.report_id], r.id) for r in rows]
        return items, encode_token(offset + size) if offset + size < total else "", total

    async def board(self, reader: Reader, front_unit_id: str, today: date) -> list[tuple[str, int, int, int, int]]:
        where = [self._rec_visible(reader)]
        if front_unit_id:
            where.append(K.front_unit_id == front_unit_id)
        is_open = K.status == RecommendationStatus.OPEN.value
        overdue = sa.and_(is_open, K.due_date.is_not(None), K.due_date < today)

        def count(cond: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
            return sa.func.sum(sa.case((cond, 1), else_=0))

        rows = await self.session.execute(
            sa.select(
                K.addressee_unit_id,
                count(sa.and_(is_open, sa.not_(overdue))),
                count(K.status == RecommendationStatus.ANSWERED.value),
                count(overdue),
                count(K.status == RecommendationStatus.RESOLVED.value),
            ).where(*where).group_by(K.addressee_unit_id).order_by(K.addressee_unit_id)
        )
        return [(r[0], int(r[1] or 0), int(r[2] or 0), int(r[3] or 0), int(r[4] or 0)) for r in rows]

    async def to_remind(self, province: str, until: date, limit: int) -> list[OversightReport]:
        ids = sa.select(K.report_id).where(
            K.province_code == province, K.filed.is_(True), K.status == RecommendationStatus.OPEN.value,
            K.due_date <= until,
        )
        rows = await self.session.execute(
            sa.select(oversight_reports).where(R.id.in_(ids)).order_by(R.id).limit(limit)
        )
        return [self._load(r) for r in rows]

    def _values(self, r: OversightReport) -> dict[str, object]:
        year = r.period.year if r.period else (r.as_of or r.created_at).year
        return {
            "province_code": r.province_code, "front_unit_id": r.front_unit_id,
            "filed_to_unit_id": r.filed_to_unit_id, "status": r.status.value, "year": year,
            "created_at": r.created_at, "version": r.version, "payload": report_to_json(r),
        }

    async def _children(self, r: OversightReport) -> None:
        await self.session.execute(sa.delete(oversight_report_units).where(oversight_report_units.c.report_id == r.id))
        await self.session.execute(sa.delete(recommendations).where(K.report_id == r.id))
        if r.overseen_unit_ids:
            await self.session.execute(sa.insert(oversight_report_units), [
                {"report_id": r.id, "unit_id": u} for u in dict.fromkeys(r.overseen_unit_ids)
            ])
        if r.recommendations:
            await self.session.execute(sa.insert(recommendations), [
                {
                    "id": x.id, "report_id": r.id, "province_code": r.province_code,
                    "front_unit_id": r.front_unit_id, "filed_to_unit_id": r.filed_to_unit_id,
                    "addressee_unit_id": x.addressee_unit_id, "filed": r.status is ReportStatus.FILED,
                    "status": x.status.value, "due_date": x.due_date,
                }
                for x in r.recommendations
            ])

    async def add(self, r: OversightReport) -> None:
        await self.session.execute(sa.insert(oversight_reports).values(id=r.id, **self._values(r)))
        await self._children(r)
        self.seen.append(r)

    async def save(self, r: OversightReport, before_version: int) -> None:
        done = await self.session.execute(
            sa.update(oversight_reports).where(R.id == r.id, R.version == before_version).values(**self._values(r))
        )
        if done.rowcount != 1:
            raise PreconditionFailed(STALE)
        await self._children(r)
        if r not in self.seen:
            self.seen.append(r)


class UnitRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.replica = OrgUnitQueries(session, org_units)

    async def by_code(self, province: str, code: str) -> Unit | None:
        return _unit(await self.replica.by_code(province, code))

    async def by_id(self, province: str, unit_id: str) -> Unit | None:
        return _unit(await self.replica.by_id(province, unit_id))

    async def existing(self, province: str, ids: Iterable[str]) -> set[str]:
        return set(await self.replica.kinds(province, ids))

    async def in_scope(self, scope: Scope, unit_id: str) -> bool:
        return await self.replica.in_scope(scope, unit_id)


def _unit(u: ReplicaUnit | None) -> Unit | None:
    return Unit(u.id, u.code, u.kind, u.parent_id) if u else None
