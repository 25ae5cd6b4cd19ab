"""What the use cases need from the outside world (implemented in adapters)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Protocol

from ktxh_document.domain.documents import StoredObject
from ktxh_document.domain.signatures import Verification


class BlobStore(Protocol):
    async def put(
        self, key: str, path: Path, content_type: str, retain_until: date | None
    ) -> StoredObject:
        """Store the file at ``path`` under a new ``key`` (never overwriting), locked until
        ``retain_until`` when given."""
        ...

    async def discard(self, stored: StoredObject) -> None:
        """Remove an object this service just wrote and could not record (compensation of a
        failed upload); the only removal there is."""
        ...

    def read(self, stored: StoredObject) -> AsyncIterator[bytes]:
        """The object's bytes, in chunks."""
        ...


class SignatureVerifier(Protocol):
    async def verify(self, path: Path, sha256: str) -> Verification: ...
