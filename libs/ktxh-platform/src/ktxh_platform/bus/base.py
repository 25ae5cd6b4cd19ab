from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Record:
    """A message as delivered to a consumer."""

    topic: str
    key: bytes
    value: bytes
    headers: list[tuple[str, bytes]] = field(default_factory=list)
    partition: int = 0
    offset: int = 0

    def header(self, name: str) -> str | None:
        for k, v in self.headers:
            if k == name:
                return v.decode()
        return None


Handler = Callable[[Record], Awaitable[None]]


class Bus(Protocol):
    """Publish records and run consumer groups."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def ensure_topics(self, topics: list[str]) -> None: ...

    async def publish(
        self, topic: str, key: bytes, value: bytes, headers: list[tuple[str, bytes]]
    ) -> None: ...

    def subscribe(self, topics: list[str], group: str, handler: Handler) -> None:
        """Register a consumer group; it starts consuming on ``start`` (or at once if started).

        The handler is awaited for each record; the offset is committed only after it returns.
        If it raises, the offset is not committed and the record is delivered again later.
        """
        ...

    async def ready(self) -> bool: ...
