"""Kafka adapter (aiokafka). Keys keep one aggregate's events in one partition, in order;
offsets are committed manually after each handled record (at-least-once)."""

from __future__ import annotations

import asyncio

import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError

from ktxh_platform.bus.base import Handler, Record

log = structlog.get_logger(__name__)


class KafkaBus:
    def __init__(
        self, bootstrap_servers: str, *, client_id: str, partitions: int = 3
    ) -> None:
        self.bootstrap_servers = bootstrap_servers
        self.client_id = client_id
        self.partitions = partitions
        self._producer: AIOKafkaProducer | None = None
        self._subscriptions: list[tuple[list[str], str, Handler]] = []
        self._consumers: list[AIOKafkaConsumer] = []
        self._tasks: list[asyncio.Task[None]] = []
        self._started = False

    async def start(self) -> None:
        self._producer = AIOKafkaProducer(
            bootstrap_servers=self.bootstrap_servers,
            client_id=self.client_id,
            acks="all",
            enable_idempotence=False,
            linger_ms=5,
        )
        await self._producer.start()
        self._started = True
        for sub in self._subscriptions:
            await self._spawn(*sub)

    async def stop(self) -> None:
        self._started = False
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for consumer in self._consumers:
            await consumer.stop()
        if self._producer is not None:
            await self._producer.stop()
        self._tasks.clear()
        self._consumers.clear()

    async def ready(self) -> bool:
        if not self._started or self._producer is None:
            return False
        try:
            await self._producer.client.fetch_all_metadata()
        except KafkaError:
            return False
        return True

    async def ensure_topics(self, topics: list[str]) -> None:
        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap_servers)
        await admin.start()
        try:
            existing = set(await admin.list_topics())
            missing = [t for t in dict.fromkeys(topics) if t not in existing]
            if missing:
                try:
                    await admin.create_topics(
                        [NewTopic(t, num_partitions=self.partitions, replication_factor=1)
                         for t in missing]
                    )
                except TopicAlreadyExistsError:
                    pass
        finally:
            await admin.close()

    async def publish(
        self, topic: str, key: bytes, value: bytes, headers: list[tuple[str, bytes]]
    ) -> None:
        assert self._producer is not None, "bus not started"
        await self._producer.send_and_wait(topic, value=value, key=key, headers=headers)

    def subscribe(self, topics: list[str], group: str, handler: Handler) -> None:
        self._subscriptions.append((topics, group, handler))
        if self._started:
            asyncio.get_running_loop().create_task(self._spawn(topics, group, handler))

    async def _spawn(self, topics: list[str], group: str, handler: Handler) -> None:
        consumer = AIOKafkaConsumer(
            *topics,
            bootstrap_servers=self.bootstrap_servers,
            group_id=group,
            client_id=f"{self.client_id}-{group}",
            enable_auto_commit=False,
            auto_offset_reset="earliest",
        )
        await consumer.start()
        self._consumers.append(consumer)
        self._tasks.append(asyncio.create_task(self._consume(consumer, group, handler)))

    async def _consume(self, consumer: AIOKafkaConsumer, group: str, handler: Handler) -> None:
        while True:
            batches = await consumer.getmany(timeout_ms=500, max_records=100)
            for tp, messages in batches.items():
                # The offset is committed once per fetched batch, after the records handled:
                # a crash before it delivers them again and each handler's inbox absorbs them
                # (a commit per record is a broker round trip per event, for no gain in safety).
                done: int | None = None
                for m in messages:
                    record = Record(
                        m.topic, m.key or b"", m.value or b"", list(m.headers or []),
                        m.partition, m.offset,
                    )
                    try:
                        await handler(record)
                    except asyncio.CancelledError:
                        raise
                    except Exception:
                        # Not committed: rewind and deliver the record again after a pause.
                        log.exception("handler_failed_will_retry", group=group, topic=m.topic)
                        consumer.seek(tp, m.offset)
                        await asyncio.sleep(1.0)
                        break
                    done = m.offset
                if done is not None:
                    await consumer.commit({TopicPartition(tp.topic, tp.partition): done + 1})
