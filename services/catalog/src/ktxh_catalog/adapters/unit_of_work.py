"""The catalog's unit of work on SQLAlchemy (SQLite or PostgreSQL): one transaction, its
repositories, and the outbox rows written at commit by the catalog's one event translator."""

from __future__ import annotations

from functools import partial

from ktxh_catalog.adapters.events import translate_event
from ktxh_catalog.adapters.item_repository import ItemRepository
from ktxh_catalog.adapters.org_unit_repository import OrgUnitRepository
from ktxh_catalog.adapters.tables import idempotency_keys
from ktxh_platform.db import Database
from ktxh_platform.idempotency import IdempotencyRepository
from ktxh_platform.messaging import EventTranslator, MessagingContext, UnitOfWork


class SqlCatalogUnitOfWork(UnitOfWork):
    org_units: OrgUnitRepository
    items: ItemRepository
    idempotency: IdempotencyRepository

    def __init__(self, db: Database, messaging: MessagingContext, actor: str = "") -> None:
        super().__init__(db, messaging, actor)
        self.province_code = messaging.province_code

    async def __aenter__(self) -> "SqlCatalogUnitOfWork":
        await super().__aenter__()
        self.org_units = OrgUnitRepository(self.session, self.seen, self.actor)
        self.items = ItemRepository(self.session, self.seen, self.actor, self.province_code)
        self.idempotency = IdempotencyRepository(self.session, idempotency_keys)
        return self

    async def event_translator(self) -> EventTranslator:
        # item events show the ids of the items they name by code: look them up once, now
        # that every item of this transaction is written
        return partial(translate_event, refs=await self.items.references(),
                       province=self.province_code)
