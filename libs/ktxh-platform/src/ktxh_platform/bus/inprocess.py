"""An in-process bus with Kafka's semantics: an append-only log per topic, consumer groups
with committed offsets, redelivery of uncommitted records. The log is kept in a SQLite file
when a path is given, so the all-in-one mode survives restarts without losing events."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

import structlog

from ktxh_platform.bus.base import Handler, Record

log = structlog.get_logger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
  topic TEXT NOT NULL, offset INTEGER NOT NULL, key BLOB, value BLOB, headers TEXT,
  PRIMARY KEY (topic, offset));
CREATE TABLE IF NOT EXISTS offsets (
  grp TEXT NOT NULL, topic TEXT NOT NULL, offset INTEGER NOT NULL, PRIMARY KEY (grp, topic));
"""


class InProcessBus:
    def __init__(self, path: Path | None = None) -> None:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path) if path else ":memory:", check_same_thread=False)
        self._db.executescript(_SCHEMA)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._changed = asyncio.Condition()
        self._subscriptions: list[tuple[list[str], str, Handler]] = []
        self._tasks: list[asyncio.Task[None]] = []
        self._started = False

    async def start(self) -> None:
        self._started = True
        for sub in self._subscriptions:
            self._spawn(*sub)

    async def stop(self) -> None:
        self._started = False
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()

    async def ready(self) -> bool:
        return self._started

    async def ensure_topics(self, topics: list[str]) -> None:
        return None

    async def publish(
        self, topic: str, key: bytes, value: bytes, headers: list[tuple[str, bytes]]
    ) -> None:
        with self._db:
            (last,) = self._db.execute(
                "SELECT COALESCE(MAX(offset), -1) FROM records WHERE topic = ?", (topic,)
            ).fetchone()
            self._db.execute(
                "INSERT INTO records VALUES (?, ?, ?, ?, ?)",
                (topic, last + 1, key, value, json.dumps([[k, v.decode()] for k, v in headers])),
            )
        async with self._changed:
            self._changed.notify_all()

    def subscribe(self, topics: list[str], group: str, handler: Handler) -> None:
        self._subscriptions.append((topics, group, handler))
        if self._started:
            self._spawn(topics, group, handler)

    def end_offsets(self, topic: str) -> int:
        (n,) = self._db.execute("SELECT COUNT(*) FROM records WHERE topic = ?", (topic,)).fetchone()
        return int(n)

    def committed(self, group: str, topic: str) -> int:
        row = self._db.execute(
            "SELECT offset FROM offsets WHERE grp = ? AND topic = ?", (group, topic)
        ).fetchone()
        return int(row[0]) if row else 0

    def _spawn(self, topics: list[str], group: str, handler: Handler) -> None:
        self._tasks.append(asyncio.create_task(self._consume(topics, group, handler)))

    def _next(self, topics: list[str], group: str) -> Record | None:
        for topic in topics:
            row = self._db.execute(
                "SELECT offset, key, value, headers FROM records WHERE topic = ? AND offset = ?",
                (topic, self.committed(group, topic)),
            ).fetchone()
            if row:
                headers = [(k, v.encode()) for k, v in json.loads(row[3])]
                return Record(topic, row[1], row[2], headers, 0, row[0])
        return None

    def _commit(self, group: str, record: Record) -> None:
        with self._db:
            self._db.execute(
                "INSERT INTO offsets VALUES (?, ?, ?) "
                "ON CONFLICT (grp, topic) DO UPDATE SET offset = excluded.offset",
                (group, record.topic, record.offset + 1),
            )

    async def _consume(self, topics: list[str], group: str, handler: Handler) -> None:
        while True:
            record = self._next(topics, group)
            if record is None:
                async with self._changed:
                    try:
                        await asyncio.wait_for(self._changed.wait(), timeout=1.0)
                    except TimeoutError:
                        pass
                continue
            try:
                await handler(record)
            except asyncio.CancelledError:
                raise
            except Exception:
                # Not committed: the same record is delivered again after a pause.
                log.exception("handler_failed_will_retry", group=group, topic=record.topic)
                await asyncio.sleep(1.0)
                continue
            self._commit(group, record)
