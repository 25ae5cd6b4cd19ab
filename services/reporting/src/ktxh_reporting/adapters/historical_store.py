"""Historical figures as facts of the read model (one pseudo-report per unit and period)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from ktxh_platform.messaging import UnitOfWork
from ktxh_reporting.adapters import contributions
from ktxh_reporting.adapters.tables import facts, org_units_rm, report_states
from ktxh_reporting.service_layer.historical_import import HistoricalFact

__all__ = ["SqlHistoryStore", "SqlHistoryUnitOfWork"]


class SqlHistoryStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def unit_ids(self, province: str, codes: set[str]) -> dict[str, str]:
        if not codes:
            return {}
        rows = await self.session.execute(sa.select(org_units_rm.c.code, org_units_rm.c.id).where(
            org_units_rm.c.province_code == province, org_units_rm.c.code.in_(sorted(codes))))
        return {code: uid for code, uid in rows}

    async def accepted(self, province: str,
                       pairs: set[tuple[str, str]]) -> set[tuple[str, str]]:
        if not pairs:
            return set()
        t = report_states
        rows = await self.session.execute(sa.select(t.c.org_unit_id, t.c.period_code).where(
            t.c.province_code == province, t.c.status == "accepted",
            t.c.org_unit_id.in_(sorted({u for u, _ in pairs})),
            t.c.period_code.in_(sorted({p for _, p in pairs}))))
        return {(u, p) for u, p in rows} & pairs

    async def values(self, ids: set[str]) -> dict[tuple[str, str], str]:
        out: dict[tuple[str, str], str] = {}
        ordered = sorted(ids)
        for i in range(0, len(ordered), 500):
            rows = await self.session.execute(
                sa.select(facts.c.submission_id, facts.c.figure_key, facts.c.value)
                .where(facts.c.submission_id.in_(ordered[i:i + 500])))
            out.update({(s, k): v for s, k, v in rows})
        return out

    async def save(self, province: str, items: list[HistoricalFact], now: datetime) -> None:
        for f in items:
            await self.session.execute(sa.delete(facts).where(
                facts.c.submission_id == f.history_id, facts.c.figure_key == f.key.text))
        await self.session.execute(sa.insert(facts), [
            {"submission_id": f.history_id, "figure_key": f.key.text,
             "indicator_code": f.key.indicator_code, "kind": "actual", "org_unit_id": f.unit_id,
             "period_code": f.period_code, "province_code": province, "value": f.value,
             "text_value": "", "updated_at": now}
            for f in items])
        # stored contributions follow the facts in the same transaction
        changed: dict[tuple[str, str], set[str]] = {}
        for f in items:
            changed.setdefault((f.unit_id, f.period_code), set()).add(f.key.indicator_code)
        revisions = await contributions.revisions_of(self.session, province) if changed else []
        for (unit_id, period_code), codes in sorted(changed.items()):
            await contributions.refresh_unit(self.session, province, unit_id, codes, period_code, revisions)


class SqlHistoryUnitOfWork(UnitOfWork):
    async def __aenter__(self) -> SqlHistoryUnitOfWork:
        await super().__aenter__()
        self.history = SqlHistoryStore(self.session)
        return self
