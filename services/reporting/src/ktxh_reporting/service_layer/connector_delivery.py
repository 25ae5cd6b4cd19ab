"""Delivering transmissions to the receiving systems, with retries and back-off.

`deliver_due` is one round: claim the due transmissions (a short transaction that leases
them), send each one outside any transaction, record the outcome (one transaction each).
A worker crashing between sending and recording leaves the lease to run out and the
transmission is sent again with the same idempotency keys, which the receiver already
counted: exactly once by its count. `run_delivery` repeats rounds until cancelled.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol

import structlog

from ktxh_reporting.domain.connector import Backoff, Connector, DeliveryError, Transmission

__all__ = ["DeliveryLog", "Sender", "deliver_due", "run_delivery"]

log = structlog.get_logger(__name__)


class Sender(Protocol):
    async def send(self, connector: Connector, transmission: Transmission) -> str:
        """Sends the records; returns the receiver's reference; raises DeliveryError."""
        ...


class DeliveryLog(Protocol):
    """The delivery log as the worker sees it; each call is its own short transaction."""

    async def claim_due(self, now: datetime, lease: timedelta, limit: int) -> list[Transmission]:
        ...

    async def connector(self, connector_id: str) -> Connector:
        ...

    async def record(self, transmission: Transmission) -> None:
        ...


def _now() -> datetime:
    return datetime.now(UTC)


async def deliver_due(
    delivery_log: DeliveryLog,
    sender: Sender,
    *,
    backoff: Backoff,
    lease: timedelta = timedelta(seconds=60),
    limit: int = 20,
    clock: Callable[[], datetime] = _now,
) -> int:
    """One round; returns how many transmissions were attempted."""
    due = await delivery_log.claim_due(clock(), lease, limit)
    for t in due:
        connector = await delivery_log.connector(t.connector_id)
        try:
            reference = await sender.send(connector, t)
        except DeliveryError as err:
            t.failed(clock(), str(err), backoff)
            log.warning("transmission_failed", transmission_id=t.id, attempts=t.attempts,
                        error=str(err), next_attempt_at=str(t.next_attempt_at))
        else:
            t.succeeded(clock(), reference)
            log.info("transmission_acknowledged", transmission_id=t.id, attempts=t.attempts,
                     records=len(t.records), reference=reference)
        await delivery_log.record(t)
    return len(due)


async def run_delivery(
    delivery_log: DeliveryLog, sender: Sender, *, backoff: Backoff, poll: float = 1.0
) -> None:
    """Rounds until cancelled; a round that attempted something is followed at once."""
    while True:
        try:
            attempted = await deliver_due(delivery_log, sender, backoff=backoff)
        except asyncio.CancelledError:
            raise
        except Exception:  # a database hiccup must not stop the worker
            log.exception("delivery_round_failed")
            attempted = 0
        if not attempted:
            await asyncio.sleep(poll)
