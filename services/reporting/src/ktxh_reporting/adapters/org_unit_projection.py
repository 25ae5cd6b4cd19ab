"""The reporting read model's org units (table `org_units_rm`), fed by the catalog's org-unit
events in consumer group `reporting.org_units`: the shared consumer of `ktxh_platform.org_units`.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from ktxh_platform.org_units import OrgUnitReplica
from sqlalchemy.ext.asyncio import AsyncSession

from ktxh_reporting.adapters.tables import inbox, org_units_rm

REPLICA = OrgUnitReplica(org_units_rm)
HANDLERS = REPLICA.handlers
apply_unit = REPLICA.apply_unit


class OrgUnitReadModel:
    """Queries of the read model."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def stats(self, province_code: str, group: str, today: date) -> tuple[dict[str, int], int]:
        t = org_units_rm.c
        day = today.isoformat()
        rows = (
            await self.session.execute(
                sa.select(t.kind, sa.func.count())
                .where(
                    t.province_code == province_code,
                    sa.or_(t.valid_from.is_(None), t.valid_from <= day),
                    sa.or_(t.valid_to.is_(None), t.valid_to >= day),
                )
                .group_by(t.kind)
            )
        ).all()
        applied = await self.session.scalar(
            sa.select(sa.func.count()).select_from(inbox).where(inbox.c.consumer_group == group)
        )
        return {kind: int(n) for kind, n in rows}, int(applied or 0)
