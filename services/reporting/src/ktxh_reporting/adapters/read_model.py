"""Queries of the reporting read model. Every query that returns figures filters by the
caller's scope in SQL (`ktxh_platform.access.sql`): a unit's users reach their unit, its
descendants and the units merged into them; the province reaches everything; the Front only
the (unit, indicator) pairs an issued assignment opened to its committee."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal

import sqlalchemy as sa
from ktxh_platform.access import Scope
from ktxh_platform.access.sql import scope_filter
from ktxh_platform.domain import InvalidArgument
from ktxh_platform.domain.figure_keys import parse_figure_key_text
from sqlalchemy.ext.asyncio import AsyncSession

from ktxh_reporting.adapters.tables import (
    facts,
    indicator_revisions,
    org_units_rm,
    report_states,
    targets,
)
from ktxh_reporting.domain.rollups import FigureRef, Rule, Unit
from ktxh_reporting.service_layer.ports import FactRow, RuleRevision, TargetRow


def _unit(r) -> Unit:
    return Unit(r.id, r.code, r.name, r.kind, r.parent_id, tuple(r.successor_ids or ()),
                r.valid_from, r.valid_to)


def parse_key(text: str) -> FigureRef:
    return FigureRef(*parse_figure_key_text(text))


class ReadModel:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # ------------------------------------------------------------------ units

    async def unit(self, scope: Scope, *, unit_id: str = "", code: str = "") -> Unit | None:
        t = org_units_rm
        q = sa.select(t).where(t.c.id == unit_id if unit_id else t.c.code == code)
        q = q.where(scope_filter(scope, province=t.c.province_code, unit_id=t.c.id, units=t))
        row = (await self.session.execute(q)).first()
        return _unit(row) if row else None

    async def units(self, province: str) -> list[Unit]:
        t = org_units_rm
        rows = (await self.session.execute(sa.select(t).where(t.c.province_code == province))).all()
        return [_unit(r) for r in rows]

    # ------------------------------------------------------------------ the Front

    async def opened_to_front(self, scope: Scope) -> set[tuple[str, str]] | None:
        """(unit id, indicator code) pairs opened to the caller's Front committee by issued
        assignments; None when the scope is not limited to what was opened."""
        if not scope.opened_only:
            return None
        u = org_units_rm
        front_id = await self.session.scalar(sa.select(u.c.id).where(
            u.c.code == scope.unit_code, u.c.province_code == scope.province))
        if front_id is None:
            return set()
        t = targets
        rows = (await self.session.execute(
            sa.select(t.c.org_unit_id, t.c.indicator_code).where(
                t.c.province_code == scope.province,
                t.c.status.in_(("issued", "acknowledged", "superseded")),
                sa.cast(t.c.front_unit_ids, sa.Text).contains(f'"{front_id}"'),
            )
        )).all()
        return {(r.org_unit_id, r.indicator_code) for r in rows}

    # ------------------------------------------------------------------ rules

    async def rules(self, province: str, codes: Iterable[str] | None) -> list[RuleRevision]:
        """Revisions of the indicators `codes` (None: every indicator of the province)."""
        t = indicator_revisions
        q = sa.select(t).where(t.c.province_code == province)
        if codes is not None:
            q = q.where(t.c.code.in_(sorted(set(codes))))
        rows = (await self.session.execute(q.order_by(t.c.code, t.c.valid_from, t.c.revision))).all()
        return [RuleRevision(r.code, r.valid_from, r.retired, Rule.from_dict(r.rule)) for r in rows]

    # ------------------------------------------------------------------ facts

    async def facts(self, scope: Scope, *, codes: Iterable[str] | None, period_codes: Iterable[str],
                    kinds: tuple[str, ...] = ("actual",)) -> list[FactRow]:
        t = facts
        q = sa.select(t.c.org_unit_id, t.c.figure_key, t.c.period_code, t.c.value,
                      t.c.text_value, t.c.updated_at).where(
            scope_filter(scope, province=t.c.province_code, unit_id=t.c.org_unit_id, units=org_units_rm),
            t.c.period_code.in_(sorted(set(period_codes))), t.c.kind.in_(kinds),
        )
        if codes is not None:
            q = q.where(t.c.indicator_code.in_(sorted(set(codes))))
        rows = (await self.session.execute(q)).all()
        return [FactRow(r.org_unit_id, parse_key(r.figure_key), r.period_code,
                        Decimal(r.value) if r.value else None, r.text_value, r.updated_at)
                for r in rows]

    async def figures_page(self, scope: Scope, *, indicator_code: str = "", period_code: str = "",
                           unit_ids: Iterable[str] | None = None, updated_since: datetime | None = None,
                           limit: int = 1000, page_token: str = "") -> tuple[list[FactRow], str]:
        """Accepted figures, oldest change first, one page; the token is the last row's
        (time, report, key), so rows recorded in the same instant are never skipped."""
        t = facts
        q = sa.select(t.c.org_unit_id, t.c.figure_key, t.c.period_code, t.c.value, t.c.text_value,
                      t.c.updated_at, t.c.submission_id).where(
            scope_filter(scope, province=t.c.province_code, unit_id=t.c.org_unit_id, units=org_units_rm))
        if indicator_code:
            q = q.where(t.c.indicator_code == indicator_code)
        if period_code:
            q = q.where(t.c.period_code == period_code)
        if unit_ids is not None:
            q = q.where(t.c.org_unit_id.in_(sorted(set(unit_ids))))
        if updated_since is not None:
            q = q.where(t.c.updated_at > updated_since)
        if page_token:
            try:
                at, sid, key = base64.urlsafe_b64decode(page_token.encode()).decode().split("|", 2)
                after = datetime.fromisoformat(at)
                after = after if after.tzinfo else after.replace(tzinfo=UTC)
            except (ValueError, UnicodeDecodeError):
                raise InvalidArgument.single("page_token", "Mã trang không hợp lệ") from None
            q = q.where(sa.tuple_(t.c.updated_at, t.c.submission_id, t.c.figure_key) > (after, sid, key))
        q = q.order_by(t.c.updated_at, t.c.submission_id, t.c.figure_key).limit(limit + 1)
        rows = (await self.session.execute(q)).all()
        token = ""
        if len(rows) > limit:
            rows = rows[:limit]
            last = rows[-1]
            token = base64.urlsafe_b64encode(
                f"{last.updated_at.isoformat()}|{last.submission_id}|{last.figure_key}".encode()).decode()
        return [FactRow(r.org_unit_id, parse_key(r.figure_key), r.period_code,
                        Decimal(r.value) if r.value else None, r.text_value, r.updated_at)
                for r in rows], token

    async def last_change(self, province: str) -> datetime | None:
        return await self.session.scalar(sa.select(sa.func.max(report_states.c.updated_at))
                                         .where(report_states.c.province_code == province))

    # ------------------------------------------------------------------ targets

    async def targets(self, province: str, unit_ids: Iterable[str], codes: Iterable[str]) -> list[TargetRow]:
        t = targets
        rows = (await self.session.execute(
            sa.select(t).where(
                t.c.province_code == province, t.c.org_unit_id.in_(sorted(set(unit_ids))),
                t.c.indicator_code.in_(sorted(set(codes))),
                t.c.status.in_(("issued", "acknowledged", "superseded")),
            )
        )).all()
        return [TargetRow(r.org_unit_id, r.figure_key, r.period_code, r.target_value,
                          r.target_value_max, r.comparison, r.status, r.effective_from,
                          r.effective_to) for r in rows]

    # ------------------------------------------------------------------ reports

    async def report_states(self, scope: Scope, period_code: str) -> list:
        t = report_states
        return list((await self.session.execute(
            sa.select(t).where(
                t.c.period_code == period_code,
                scope_filter(scope, province=t.c.province_code, unit_id=t.c.org_unit_id, units=org_units_rm),
            )
        )).all())
