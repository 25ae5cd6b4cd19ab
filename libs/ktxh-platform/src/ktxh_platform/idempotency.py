"""Idempotency-Key support in SQL (the port is `ktxh_platform.domain.idempotency`): one table
shape and one repository for every service.

A row is the key, its namespace (`operation`, '' when a service has one kind of create), who
sent it, the hash of what was asked and what it got (`result`, JSON: the created resource's id
or a summary), written in the same transaction as the create. A service declares the table in
its metadata (`idempotency_table`) and creates it in a migration
(`ktxh_platform.migration_ops.create_idempotency_table`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

__all__ = ["IdempotencyRepository", "idempotency_columns", "idempotency_table"]


def idempotency_columns() -> list[sa.Column[Any]]:
    """The table's columns (fresh objects: a Column belongs to one table)."""
    return [
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("operation", sa.String(60), primary_key=True),
        sa.Column("actor", sa.String(200), primary_key=True),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("result", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    ]


def idempotency_table(metadata: sa.MetaData, name: str = "idempotency_keys") -> sa.Table:
    return sa.Table(name, metadata, *idempotency_columns())


class IdempotencyRepository:
    """`ktxh_platform.domain.idempotency.IdempotencyStore` on one service's table."""

    def __init__(self, session: AsyncSession, table: sa.Table) -> None:
        self.session = session
        self.table = table

    async def result(self, key: str, actor: str, *, operation: str = "") -> tuple[str, Any] | None:
        k = self.table.c
        row = (await self.session.execute(
            sa.select(k.request_hash, k.result)
            .where(k.key == key, k.operation == operation, k.actor == actor)
        )).first()
        return (row.request_hash, row.result) if row else None

    async def remember(
        self, key: str, actor: str, request_hash: str, result: Any, *, operation: str = ""
    ) -> None:
        await self.session.execute(sa.insert(self.table).values(
            key=key, operation=operation, actor=actor, request_hash=request_hash, result=result,
            created_at=datetime.now(UTC),
        ))
