"""Domain events and the aggregate base that records them (cosmicpython style)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DomainEvent:
    """Base for events. Subclasses are plain dataclasses; adapters map them to protobuf."""


@dataclass
class Aggregate:
    """An aggregate root: carries a version for optimistic locking and collects events.

    The unit of work drains ``events`` into the outbox in the same transaction as the change.
    """

    version: int = field(default=0, kw_only=True)
    events: list[DomainEvent] = field(default_factory=list, kw_only=True, repr=False, compare=False)

    def record(self, event: DomainEvent) -> None:
        self.events.append(event)
