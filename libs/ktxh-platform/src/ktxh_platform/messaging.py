"""Transactional outbox, relay, and inbox consumers with a dead-letter topic.

* A change and its events are written in one transaction (``UnitOfWork.commit``).
* ``OutboxRelay`` publishes unpublished rows in order and marks them published.
* ``EventConsumer`` records each processed event id in the inbox *in the same transaction* as
  the handler's effect, so redelivery (at-least-once) never repeats an effect.
* A record that keeps failing goes to ``<topic>.dlq`` with the error in its headers.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
import structlog
from google.protobuf import any_pb2, timestamp_pb2
from google.protobuf.message import DecodeError, Message
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind
from prometheus_client import Counter, Gauge, Histogram
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ktxh.common.v1 import envelope_pb2
from ktxh_platform.bus.base import Bus, Record
from ktxh_platform.db import Database
from ktxh_platform.domain.events import Aggregate, DomainEvent

log = structlog.get_logger(__name__)
tracer = trace.get_tracer("ktxh.messaging")

OUTBOX_PENDING = Gauge("ktxh_outbox_pending", "Outbox rows not yet published", ["service"])
OUTBOX_PUBLISHED = Counter("ktxh_outbox_published_total", "Events published", ["service"])
CONSUMED = Counter(
    "ktxh_events_consumed_total", "Events handled", ["service", "group", "outcome"]
)
CONSUME_SECONDS = Histogram(
    "ktxh_event_handle_seconds", "Time to handle one event", ["service", "group"]
)
CONSUMER_LAG = Gauge(
    "ktxh_consumer_lag_seconds", "Age of the last event handled", ["service", "group"]
)


def topic_name(prefix: str, service: str, aggregate: str) -> str:
    return f"{prefix}ktxh.{service}.{aggregate}.v1"


@dataclass(frozen=True)
class OutgoingEvent:
    """A domain event translated to its wire form by a service's adapter."""

    aggregate: str  # aggregate type, e.g. "org_unit"; names the topic
    aggregate_id: str
    aggregate_version: int
    message: Message


EventTranslator = Callable[[DomainEvent], OutgoingEvent]


def no_events(event: DomainEvent) -> OutgoingEvent:
    """Translator of a service that publishes nothing yet: any event is a programming error."""

    raise TypeError(f"no wire form for {type(event).__name__}")


@dataclass
class MessagingContext:
    """What a unit of work needs to write events: fixed per service at start-up."""

    service: str
    province_code: str
    topic_prefix: str
    outbox: sa.Table
    translate: EventTranslator
    on_commit: Callable[[], None] = lambda: None


class UnitOfWork:
    """One database transaction; rolls back unless ``commit()`` is called.

    Repositories register the aggregates they load or add in ``seen``; on commit every event
    those aggregates recorded is written to the outbox in the same transaction.
    """

    def __init__(self, db: Database, messaging: MessagingContext, actor: str = "") -> None:
        self.db = db
        self.messaging = messaging
        self.actor = actor
        self.seen: list[Aggregate] = []
        self.session: AsyncSession

    async def __aenter__(self) -> "UnitOfWork":
        self.session = self.db.sessions()
        await self.session.begin()
        self.seen = []
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.session.in_transaction():
            await self.session.rollback()
        await self.session.close()

    async def commit(self) -> None:
        events = [e for agg in self.seen for e in agg.events]
        if events:
            translate = await self.event_translator()
            rows = [self._outbox_row(translate(e)) for e in events]
            await self.session.execute(sa.insert(self.messaging.outbox), rows)
        await self.session.commit()
        for agg in self.seen:
            agg.events.clear()
        if events:
            self.messaging.on_commit()

    async def event_translator(self) -> EventTranslator:
        """The service's translator for this commit's events. A service whose messages show
        data the events do not carry (ids of the items an event refers to by code) overrides
        this to look that data up once, in this transaction, and bind it."""
        return self.messaging.translate

    def _outbox_row(self, out: OutgoingEvent) -> dict[str, Any]:
        m = self.messaging
        carrier: dict[str, str] = {}
        propagate.inject(carrier)
        now = datetime.now(UTC)
        payload = any_pb2.Any()
        payload.Pack(out.message, type_url_prefix="type.googleapis.com/")
        occurred = timestamp_pb2.Timestamp()
        occurred.FromDatetime(now)
        envelope = envelope_pb2.EventEnvelope(
            event_id=str(uuid.uuid4()),
            type=out.message.DESCRIPTOR.full_name,
            occurred_at=occurred,
            province_code=m.province_code,
            actor=self.actor,
            aggregate_type=out.aggregate,
            aggregate_id=out.aggregate_id,
            aggregate_version=out.aggregate_version,
            trace_parent=carrier.get("traceparent", ""),
            trace_state=carrier.get("tracestate", ""),
            payload=payload,
        )
        return {
            "event_id": envelope.event_id,
            "topic": topic_name(m.topic_prefix, m.service, out.aggregate),
            "key": out.aggregate_id,
            "event_type": envelope.type,
            "payload": envelope.SerializeToString(deterministic=True),
            "headers": carrier,
            "created_at": now,
            "published_at": None,
        }


class OutboxRelay:
    """Publishes outbox rows in commit order. On PostgreSQL an advisory lock makes one relay
    active per service at a time, so replicas never reorder an aggregate's events."""

    def __init__(
        self, db: Database, outbox: sa.Table, bus: Bus, *, service: str, interval: float = 0.2
    ) -> None:
        self.db = db
        self.outbox = outbox
        self.bus = bus
        self.service = service
        self.interval = interval
        self._wake = asyncio.Event()
        self._lock_id = int(uuid.uuid5(uuid.NAMESPACE_DNS, f"outbox.{service}").int % (2**62))

    def notify(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        while True:
            try:
                published = await self.publish_batch()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("outbox_relay_failed", service=self.service)
                published = 0
                await asyncio.sleep(1.0)
            if published == 0:
                try:
                    await asyncio.wait_for(self._wake.wait(), timeout=self.interval)
                except TimeoutError:
                    pass
                self._wake.clear()

    async def publish_batch(self, limit: int = 200) -> int:
        o = self.outbox
        async with self.db.engine.begin() as conn:
            if not self.db.is_sqlite:
                got = await conn.scalar(sa.select(sa.func.pg_try_advisory_xact_lock(self._lock_id)))
                if not got:
                    return 0
            rows = (
                await conn.execute(
                    sa.select(o.c.seq, o.c.topic, o.c.key, o.c.payload, o.c.headers)
                    .where(o.c.published_at.is_(None))
                    .order_by(o.c.seq)
                    .limit(limit)
                )
            ).all()
            for row in rows:
                headers = [(k, str(v).encode()) for k, v in (row.headers or {}).items()]
                with tracer.start_as_current_span(
                    f"{row.topic} publish",
                    context=propagate.extract(row.headers or {}),
                    kind=SpanKind.PRODUCER,
                    attributes={"messaging.system": "kafka", "messaging.destination.name": row.topic},
                ):
                    carrier: dict[str, str] = {}
                    propagate.inject(carrier)
                    headers = [(k, v.encode()) for k, v in carrier.items()] or headers
                    await self.bus.publish(row.topic, row.key.encode(), row.payload, headers)
            if rows:
                await conn.execute(
                    sa.update(o)
                    .where(o.c.seq.in_([r.seq for r in rows]))
                    .values(published_at=datetime.now(UTC))
                )
            pending = 0  # a short batch drained the outbox; count only behind a full one
            if len(rows) == limit:
                pending = await conn.scalar(
                    sa.select(sa.func.count()).select_from(o).where(o.c.published_at.is_(None))
                )
        OUTBOX_PENDING.labels(self.service).set(pending or 0)
        OUTBOX_PUBLISHED.labels(self.service).inc(len(rows))
        return len(rows)


EventHandler = Callable[[AsyncSession, Message, envelope_pb2.EventEnvelope], Awaitable[None]]


class EventConsumer:
    """A consumer group whose handlers run exactly once per event id (inbox pattern)."""

    def __init__(
        self,
        db: Database,
        inbox: sa.Table,
        bus: Bus,
        *,
        service: str,
        group: str,
        handlers: dict[type[Message], EventHandler],
        max_attempts: int = 5,
        retry_delay: float = 0.2,
        after_effect: Callable[[Record], None] | None = None,
    ) -> None:
        self.db = db
        self.inbox = inbox
        self.bus = bus
        self.service = service
        self.group = group
        self.handlers = {cls.DESCRIPTOR.full_name: (cls, h) for cls, h in handlers.items()}
        self.max_attempts = max_attempts
        self.retry_delay = retry_delay
        self.after_effect = after_effect  # test hook: runs after the effect commits

    def subscribe(self, topics: list[str]) -> None:
        self.bus.subscribe(topics, self.group, self.handle)

    async def handle(self, record: Record) -> None:
        try:
            envelope = envelope_pb2.EventEnvelope.FromString(record.value)
        except DecodeError as exc:
            await self._dead_letter(record, f"envelope không giải mã được: {exc}")
            return
        entry = self.handlers.get(envelope.type)
        if entry is None:
            CONSUMED.labels(self.service, self.group, "ignored").inc()
            return
        message_cls, handler = entry
        context = propagate.extract(
            {"traceparent": envelope.trace_parent, "tracestate": envelope.trace_state}
            if envelope.trace_parent
            else {k: v.decode() for k, v in record.headers}
        )
        with tracer.start_as_current_span(
            f"{record.topic} process",
            context=context,
            kind=SpanKind.CONSUMER,
            attributes={
                "messaging.system": "kafka",
                "messaging.destination.name": record.topic,
                "messaging.consumer.group.name": self.group,
                "messaging.message.id": envelope.event_id,
            },
        ), CONSUME_SECONDS.labels(self.service, self.group).time():
            error: Exception | None = None
            for attempt in range(1, self.max_attempts + 1):
                try:
                    outcome = await self._apply(envelope, message_cls, handler, record)
                    CONSUMED.labels(self.service, self.group, outcome).inc()
                    CONSUMER_LAG.labels(self.service, self.group).set(
                        max(0.0, datetime.now(UTC).timestamp() - envelope.occurred_at.ToSeconds())
                    )
                    return
                except Exception as exc:  # noqa: BLE001 - every failure counts as an attempt
                    error = exc
                    log.warning(
                        "event_handler_failed", group=self.group, event_id=envelope.event_id,
                        attempt=attempt, error=repr(exc),
                    )
                    await asyncio.sleep(self.retry_delay * attempt)
            await self._dead_letter(record, repr(error))

    async def _apply(
        self,
        envelope: envelope_pb2.EventEnvelope,
        message_cls: type[Message],
        handler: EventHandler,
        record: Record,
    ) -> str:
        i = self.inbox
        async with self.db.sessions() as session, session.begin():
            seen = await session.scalar(
                sa.select(sa.func.count()).select_from(i).where(
                    i.c.consumer_group == self.group, i.c.event_id == envelope.event_id
                )
            )
            if seen:
                return "duplicate"
            message = message_cls()
            if not envelope.payload.Unpack(message):
                raise ValueError(f"payload is not {message_cls.DESCRIPTOR.full_name}")
            await handler(session, message, envelope)
            try:
                await session.execute(
                    sa.insert(i).values(
                        consumer_group=self.group, event_id=envelope.event_id,
                        topic=record.topic, processed_at=datetime.now(UTC),
                    )
                )
            except IntegrityError:
                return "duplicate"
        if self.after_effect is not None:
            self.after_effect(record)
        return "applied"

    async def _dead_letter(self, record: Record, error: str) -> None:
        CONSUMED.labels(self.service, self.group, "dead_letter").inc()
        log.error("event_dead_lettered", group=self.group, topic=record.topic, error=error)
        headers = [h for h in record.headers if not h[0].startswith("x-")] + [
            ("x-error", error[:1000].encode()),
            ("x-consumer-group", self.group.encode()),
            ("x-original-topic", record.topic.encode()),
        ]
        await self.bus.publish(record.topic + ".dlq", record.key, record.value, headers)


async def replay_dead_letters(bus: Bus, dlq_topic: str, *, group: str, idle_seconds: float = 3.0) -> int:
    """Republish every dead-lettered record to its original topic (after a fix was deployed).
    Returns how many records were replayed once the DLQ has been idle for ``idle_seconds``."""

    replayed = 0
    last = asyncio.get_running_loop().time()

    async def forward(record: Record) -> None:
        nonlocal replayed, last
        target = record.header("x-original-topic") or dlq_topic.removesuffix(".dlq")
        headers = [h for h in record.headers if not h[0].startswith("x-")]
        await bus.publish(target, record.key, record.value, headers)
        replayed += 1
        last = asyncio.get_running_loop().time()

    bus.subscribe([dlq_topic], f"{group}.dlq-replay", forward)
    await bus.start()
    try:
        while asyncio.get_running_loop().time() - last < idle_seconds:
            await asyncio.sleep(0.2)
    finally:
        await bus.stop()
    return replayed
