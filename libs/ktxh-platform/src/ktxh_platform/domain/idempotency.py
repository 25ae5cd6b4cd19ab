"""The port of Idempotency-Key support: what a use case asks of the store of keys (the SQL
implementation is `ktxh_platform.idempotency`).

A create that carries a key first looks it up (`result`): the same key from the same caller
with the same request hash answers what the first request got; with another hash it is a
conflict. Otherwise the use case does its work and `remember`s the key in the same unit of
work. `operation` namespaces keys (e.g. `create_org_unit`, `xlsx`); `result` is what the
first request got: the created resource's id, or a JSON-able summary.
"""

from __future__ import annotations

from typing import Any, Protocol

__all__ = ["IdempotencyStore"]


class IdempotencyStore(Protocol):
    async def result(self, key: str, actor: str, *, operation: str = "") -> tuple[str, Any] | None:
        """``(request_hash, result)`` of an earlier request with this key, if any."""
        ...

    async def remember(
        self, key: str, actor: str, request_hash: str, result: Any, *, operation: str = ""
    ) -> None: ...
