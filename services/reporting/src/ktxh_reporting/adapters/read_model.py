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
from sqlalchemy.ext.asyncio import AsyncSession

from ktxh_reporting.adapters.tables import (
    contributions,
    facts,
    indicator_revisions,
    org_units_rm,
    report_states,
    targets,
)
from ktxh_reporting.domain.rollups import Contribution, FigureRef, Parts, Rule, Unit
from ktxh_reporting.service_layer.ports import FactRow, RuleRevision, TargetRow


def _unit(r) -> Unit:
    return Unit(r.id, r.code, r.name, r.kind, r.parent_id, tuple(r.successor_ids or ()),
                r.valid_from, r.valid_to)


def parse_key(text: str) -> FigureRef:
    return FigureRef.parse(text)


def _dec(v) -> Decimal | None:
    return None if v is None or v == "" else Decimal(v)


def _contribution(r) -> Contribution:
    return Contribution(_dec(r.value), _dec(r.num), _dec(r.den))


def _count_expected(parts: Parts, unit_id: str, got: Contribution, wanted: set[str]) -> None:
    if unit_id in wanted:
        parts.reporting_values = (parts.reporting_values or 0) + (got.value is not None)
        parts.reporting_pairs = (parts.reporting_pairs or 0) + (got.num is not None and got.den is not None)


def _one(root_id: str, r, wanted: set[str]) -> Parts:
    parts = Parts(reporting_values=0, reporting_pairs=0)
    got = _contribution(r)
    parts.add(root_id, got)
    _count_expected(parts, root_id, got, wanted)
    if not wanted:
        parts.reporting_values, parts.reporting_pairs = parts.count, parts.pairs
    parts.value_ids = parts.pair_ids = ()
    return parts


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

    async def texts(self, scope: Scope, unit_ids: Iterable[str], period_code: str) -> dict[tuple[str, str, str], str]:
        """Text figures (no number) the units reported for the period, keyed like facts."""
        t = facts
        rows = (await self.session.execute(sa.select(t.c.org_unit_id, t.c.figure_key, t.c.period_code,
                                                     t.c.text_value).where(
            scope_filter(scope, province=t.c.province_code, unit_id=t.c.org_unit_id, units=org_units_rm),
            t.c.org_unit_id.in_(sorted(set(unit_ids))), t.c.period_code == period_code,
            t.c.kind == "actual", t.c.value == ""))).all()
        return {(r.org_unit_id, r.figure_key, r.period_code): r.text_value for r in rows}

    async def contribution_parts(self, scope: Scope, root_id: str, contributors: list[str], expected: list[str],
                                 period_codes: Iterable[str], codes: Iterable[str] | None
                                 ) -> tuple[dict[tuple[str, str, str], Parts], dict[tuple[str, str, str], Parts]]:
        """The stored contributions of `contributors` added up per (figure key, period), and the
        root's own alone, keyed (root id, key text, period code). PostgreSQL adds them up in
        the query (one row per key and period); SQLite stores text, added up here."""
        c = contributions.c
        where = [
            c.period_code.in_(sorted(set(period_codes))), c.org_unit_id.in_(sorted(set(contributors))),
            scope_filter(scope, province=c.province_code, unit_id=c.org_unit_id, units=org_units_rm),
        ]
        if codes is not None:
            where.append(c.indicator_code.in_(sorted(set(codes))))
        wanted = set(expected)
        total: dict[tuple[str, str, str], Parts] = {}
        own: dict[tuple[str, str, str], Parts] = {}
        if self.session.get_bind().dialect.name == "postgresql":
            exp = c.org_unit_id.in_(sorted(wanted)) if wanted else sa.true()
            q = sa.select(
                c.figure_key, c.period_code, sa.func.count(c.value), sa.func.sum(c.value),
                sa.func.min(c.value), sa.func.max(c.value), sa.func.count(c.value).filter(exp),
                sa.func.count(c.num), sa.func.sum(c.num), sa.func.sum(c.den), sa.func.count(c.num).filter(exp),
            ).where(*where).group_by(c.figure_key, c.period_code)
            for key, pc, n, tot, low, high, n_exp, pairs, num, den, p_exp in (await self.session.execute(q)).all():
                total[(root_id, key, pc)] = Parts(
                    count=n, total=tot if tot is not None else Decimal(0), low=low, high=high, pairs=pairs,
                    num=num if num is not None else Decimal(0), den=den if den is not None else Decimal(0),
                    reporting_values=n_exp, reporting_pairs=p_exp)
            rows = (await self.session.execute(sa.select(c.figure_key, c.period_code, c.value, c.num, c.den)
                                               .where(*where, c.org_unit_id == root_id))).all()
            for r in rows:
                own[(root_id, r.figure_key, r.period_code)] = _one(root_id, r, wanted)
            return total, own
        rows = (await self.session.execute(sa.select(c.org_unit_id, c.figure_key, c.period_code, c.value, c.num,
                                                     c.den).where(*where))).all()
        for r in rows:
            k = (root_id, r.figure_key, r.period_code)
            parts = total.setdefault(k, Parts(reporting_values=0, reporting_pairs=0))
            got = _contribution(r)
            parts.add(r.org_unit_id, got)
            _count_expected(parts, r.org_unit_id, got, wanted)
            if r.org_unit_id == root_id:
                own[k] = _one(root_id, r, wanted)
        if not wanted:
            for parts in total.values():
                parts.reporting_values, parts.reporting_pairs = parts.count, parts.pairs
        for parts in total.values():
            parts.value_ids = parts.pair_ids = ()
        return total, own

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
