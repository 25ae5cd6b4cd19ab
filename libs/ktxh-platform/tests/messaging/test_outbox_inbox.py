"""Outbox → relay → bus → inbox consumer, on the embedded adapters and on real servers
(PostgreSQL + a Kafka-protocol broker)."""

from __future__ import annotations

import asyncio

import sqlalchemy as sa

from ktxh_platform.bus.base import Record
from ktxh_platform.messaging import EventConsumer, OutboxRelay, UnitOfWork, replay_dead_letters
from support import (  # type: ignore[import-not-found]
    Note,
    count_effects,
    inbox,
    messaging_context,
    outbox,
    record_effect,
    topic,
)
from google.protobuf import wrappers_pb2


async def _write_note(db, prefix: str, text: str, *, commit: bool = True) -> None:
    uow = UnitOfWork(db, messaging_context(prefix), actor="tester")
    async with uow:
        note = Note(id="n1")
        uow.seen.append(note)
        note.write(text)
        if commit:
            await uow.commit()


async def _wait(predicate, timeout: float = 20.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await predicate():
        assert loop.time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.05)


async def _outbox_rows(db) -> list:
    async with db.engine.connect() as conn:
        return (await conn.execute(sa.select(outbox))).all()


async def test_rolled_back_change_writes_no_event(stack, db, prefix):
    await _write_note(db, prefix, "không lưu", commit=False)
    assert await _outbox_rows(db) == []


async def test_event_is_published_and_applied_exactly_once(stack, db, prefix):
    bus = stack.bus()
    await bus.start()
    await bus.ensure_topics([topic(prefix), topic(prefix) + ".dlq"])
    seen: list[Record] = []
    consumer = EventConsumer(
        db, inbox, bus, service="demo", group=f"{prefix}g",
        handlers={wrappers_pb2.StringValue: record_effect},
    )

    async def handle(record: Record) -> None:
        seen.append(record)
        await consumer.handle(record)

    bus.subscribe([topic(prefix)], f"{prefix}g", handle)
    try:
        await _write_note(db, prefix, "hộ nghèo")
        relay = OutboxRelay(db, outbox, bus, service="demo")
        assert await relay.publish_batch() == 1
        assert await relay.publish_batch() == 0  # published rows are not sent again
        await _wait(lambda: _async(len(seen) == 1))
        await _wait(lambda: _effects_equal(db, 1))

        # At-least-once delivery hands the same record over again: the inbox absorbs it.
        await consumer.handle(seen[0])
        assert await count_effects(db, "hộ nghèo") == 1
        rows = await _outbox_rows(db)
        assert rows[0].published_at is not None
        assert rows[0].key == "n1"
    finally:
        await bus.stop()


async def test_poison_message_goes_to_dead_letter_topic_and_can_be_replayed(stack, db, prefix):
    bus = stack.bus()
    await bus.start()
    await bus.ensure_topics([topic(prefix), topic(prefix) + ".dlq"])
    attempts = 0

    async def failing(session, message, envelope) -> None:
        nonlocal attempts
        attempts += 1
        raise ValueError("số liệu hỏng")

    consumer = EventConsumer(
        db, inbox, bus, service="demo", group=f"{prefix}g",
        handlers={wrappers_pb2.StringValue: failing}, max_attempts=3, retry_delay=0.01,
    )
    dead: list[Record] = []

    async def collect(record: Record) -> None:
        dead.append(record)

    consumer.subscribe([topic(prefix)])
    bus.subscribe([topic(prefix) + ".dlq"], f"{prefix}dlq-reader", collect)
    try:
        await _write_note(db, prefix, "độc")
        await OutboxRelay(db, outbox, bus, service="demo").publish_batch()
        await _wait(lambda: _async(len(dead) == 1))
        assert attempts == 3
        assert "số liệu hỏng" in (dead[0].header("x-error") or "")
        assert dead[0].header("x-original-topic") == topic(prefix)
        assert await count_effects(db) == 0
    finally:
        await bus.stop()

    # After a fix, the dead letter is replayed onto its topic and applied once.
    replay_bus = stack.bus()
    assert await replay_dead_letters(replay_bus, topic(prefix) + ".dlq", group=f"{prefix}g", idle_seconds=6) == 1
    bus = stack.bus()
    fixed = EventConsumer(
        db, inbox, bus, service="demo", group=f"{prefix}g",
        handlers={wrappers_pb2.StringValue: record_effect},
    )
    fixed.subscribe([topic(prefix)])
    await bus.start()
    try:
        await _wait(lambda: _effects_equal(db, 1))
    finally:
        await bus.stop()


async def _async(value: bool) -> bool:
    return value


async def _effects_equal(db, n: int) -> bool:
    return await count_effects(db) == n
