"""A tiny service for messaging tests: one aggregate, one effect table, real adapters."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from google.protobuf import wrappers_pb2
from sqlalchemy.ext.asyncio import AsyncSession

from ktxh_platform.bus.base import Bus
from ktxh_platform.db import Database, messaging_tables
from ktxh_platform.domain import Aggregate, DomainEvent
from ktxh_platform.messaging import MessagingContext, OutgoingEvent, topic_name

metadata = sa.MetaData()
outbox, inbox = messaging_tables(metadata)
effects = sa.Table(
    "effects",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("note", sa.String(200), nullable=False),
)

def topic(prefix: str) -> str:
    return topic_name(prefix, "demo", "note")


@dataclass(frozen=True)
class Noted(DomainEvent):
    note_id: str
    text: str


@dataclass
class Note(Aggregate):
    id: str = ""
    text: str = ""

    def write(self, text: str) -> None:
        self.text = text
        self.version += 1
        self.record(Noted(self.id, text))


def translate(event: DomainEvent) -> OutgoingEvent:
    assert isinstance(event, Noted)
    return OutgoingEvent("note", event.note_id, 1, wrappers_pb2.StringValue(value=event.text))


def messaging_context(prefix: str) -> MessagingContext:
    return MessagingContext("demo", "31", prefix, outbox, translate)


async def record_effect(session: AsyncSession, message: wrappers_pb2.StringValue, _envelope) -> None:
    await session.execute(sa.insert(effects).values(note=message.value))


async def create_schema(url: str) -> Database:
    db = Database(url)
    async with db.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    return db


async def count_effects(db: Database, note: str | None = None) -> int:
    query = sa.select(sa.func.count()).select_from(effects)
    if note is not None:
        query = query.where(effects.c.note == note)
    async with db.engine.connect() as conn:
        return int(await conn.scalar(query) or 0)


def build_bus(kind: str, *, bootstrap: str = "", path: Path | None = None) -> Bus:
    if kind == "kafka":
        from ktxh_platform.bus.kafka import KafkaBus

        return KafkaBus(bootstrap, client_id="test", partitions=1)
    from ktxh_platform.bus.inprocess import InProcessBus

    return InProcessBus(path)
