"""Idempotency-Key support for creates: the key, who sent it, the hash of what was asked and
the id of what was created, in the same transaction as the create."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from ktxh_catalog.adapters.tables import idempotency_keys


class IdempotencyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def result(self, key: str, operation: str, actor: str) -> tuple[str, str] | None:
        """``(request_hash, resource_id)`` of an earlier request with this key, if any."""
        k = idempotency_keys.c
        row = (
            await self.session.execute(
                sa.select(k.request_hash, k.resource_id).where(
                    k.key == key, k.operation == operation, k.actor == actor
                )
            )
        ).first()
        return (row.request_hash, row.resource_id) if row else None

    async def remember(
        self, key: str, operation: str, actor: str, request_hash: str, resource_id: str
    ) -> None:
        await self.session.execute(
            sa.insert(idempotency_keys).values(
                key=key, operation=operation, actor=actor, request_hash=request_hash,
                resource_id=resource_id, created_at=datetime.now(UTC),
            )
        )
