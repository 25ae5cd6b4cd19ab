from __future__ import annotations

from ktxh_catalog.adapters.item_repository import CatalogRepository
from ktxh_catalog.adapters.org_unit_repository import OrgUnitRepository
from ktxh_platform.db import Database
from ktxh_platform.messaging import MessagingContext, UnitOfWork


class CatalogUnitOfWork(UnitOfWork):
    """The catalog's transaction with its repositories."""

    org_units: OrgUnitRepository
    catalog: CatalogRepository

    def __init__(self, db: Database, messaging: MessagingContext, actor: str = "") -> None:
        super().__init__(db, messaging, actor)
        self.province_code = messaging.province_code

    async def __aenter__(self) -> "CatalogUnitOfWork":
        await super().__aenter__()
        self.org_units = OrgUnitRepository(self.session, self.seen, self.actor)
        self.catalog = CatalogRepository(self.session, self.seen, self.actor, self.province_code)
        return self

    async def commit(self) -> None:
        # catalog item events get their wire form now, when every id they refer to is known
        await self.catalog.prepare_events()
        await super().commit()
