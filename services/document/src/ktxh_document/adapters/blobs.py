"""Where the bytes live: S3/MinIO (``minio`` client) in the distributed mode, a local folder
when embedded. Objects are never overwritten; legal documents are under a retention lock
(S3 object lock on S3; in the local folder a lock file the store itself honours).

Keys are id-based (``documents/<document id>/<version>-<random>``), so a retried upload never
lands on an existing key.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import os
import shutil
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time
from pathlib import Path

import structlog

from ktxh_document.domain.documents import StoredObject
from ktxh_platform.domain import InvalidArgument, NotFound

log = structlog.get_logger(__name__)

CHUNK_BYTES = 256 * 1024
MIN_PART_BYTES = 5 * 1024 * 1024


class RetentionLocked(Exception):
    """Refused: the object is under a retention lock."""


def _check_key(key: str) -> str:
    parts = key.split("/")
    if not key or key.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise InvalidArgument.single("key", f"Khoá tệp không hợp lệ: {key!r}")
    return key


class LocalBlobStore:
    """A folder. ``<key>`` holds the bytes, ``<key>.retain-until`` the lock date if any."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        return self.root / _check_key(key)

    def _lock_file(self, path: Path) -> Path:
        return path.with_name(path.name + ".retain-until")

    def locked_until(self, key: str) -> date | None:
        lock = self._lock_file(self._path(key))
        return date.fromisoformat(lock.read_text().strip()) if lock.is_file() else None

    async def put(self, key: str, path: Path, content_type: str, retain_until: date | None) -> StoredObject:
        def _put() -> None:
            dest = self._path(key)
            dest.parent.mkdir(parents=True, exist_ok=True)
            part = dest.with_name(dest.name + ".part")
            shutil.copyfile(path, part)
            try:
                if retain_until is not None:
                    self._lock_file(dest).write_text(retain_until.isoformat())
                os.link(part, dest)  # fails if the key exists: never an overwrite
            finally:
                part.unlink(missing_ok=True)

        await asyncio.to_thread(_put)
        return StoredObject(key)

    async def delete(self, stored: StoredObject) -> None:
        """Delete an object whose retention has passed; refused while it is locked."""

        until = self.locked_until(stored.key)
        if until is not None and until >= date.today():
            raise RetentionLocked(f"{stored.key} is under retention until {until.isoformat()}")
        await self._remove(stored)

    async def discard(self, stored: StoredObject) -> None:
        # compensation of an upload that was never recorded: the lock protects recorded
        # documents, and this object never became one
        await self._remove(stored)

    async def _remove(self, stored: StoredObject) -> None:
        dest = self._path(stored.key)
        dest.unlink(missing_ok=True)
        self._lock_file(dest).unlink(missing_ok=True)

    async def read(self, stored: StoredObject) -> AsyncIterator[bytes]:
        path = self._path(stored.key)
        if not path.is_file():
            raise NotFound(f"Không tìm thấy nội dung tệp {stored.key}")
        with path.open("rb") as f:
            while chunk := await asyncio.to_thread(f.read, CHUNK_BYTES):
                yield chunk

    async def ready(self) -> bool:
        return self.root.is_dir()


class S3BlobStore:
    """S3 API via ``minio``. The bucket must have object lock (hence versioning) enabled: it is
    provisioned by infra/minio/create_bucket.py, or created so here when missing."""

    def __init__(self, client, bucket: str, retention_mode: str = "GOVERNANCE") -> None:
        self.client = client
        self.bucket = bucket
        self.retention_mode = retention_mode.upper()

    async def ensure_bucket(self) -> None:
        def _make() -> None:
            if not self.client.bucket_exists(self.bucket):
                self.client.make_bucket(self.bucket, object_lock=True)

        await asyncio.to_thread(_make)

    async def put(self, key: str, path: Path, content_type: str, retain_until: date | None) -> StoredObject:
        from minio.commonconfig import COMPLIANCE, GOVERNANCE
        from minio.retention import Retention

        retention = None
        if retain_until is not None:
            mode = COMPLIANCE if self.retention_mode == "COMPLIANCE" else GOVERNANCE
            retention = Retention(mode, datetime.combine(retain_until, time(0), tzinfo=UTC))
        def _put():
            digest = hashlib.sha256()
            with path.open("rb") as f:
                while block := f.read(CHUNK_BYTES):
                    digest.update(block)
            size = path.stat().st_size
            # one PUT (no multipart) carrying the SHA-256: the server checks the bytes it got,
            # and S3 requires a checksum on writes under object lock
            return self.client.fput_object(
                self.bucket, _check_key(key), str(path), content_type=content_type,
                metadata={
                    "x-amz-sdk-checksum-algorithm": "SHA256",
                    "x-amz-checksum-sha256": base64.b64encode(digest.digest()).decode(),
                },
                part_size=max(size, MIN_PART_BYTES), retention=retention,
            )

        result = await asyncio.to_thread(_put)
        return StoredObject(key, result.version_id or "")

    async def discard(self, stored: StoredObject) -> None:
        """Remove exactly the version just written (bypassing a GOVERNANCE lock, which the
        service's credentials are allowed to do; a COMPLIANCE lock cannot be bypassed)."""

        from minio.deleteobjects import DeleteObject

        def _remove() -> list[str]:
            errors = self.client.remove_objects(
                self.bucket, [DeleteObject(stored.key, stored.version_id or None)],
                bypass_governance_mode=True,
            )
            return [f"{e.code}: {e.message}" for e in errors]

        errors = await asyncio.to_thread(_remove)
        if errors:
            raise RuntimeError(f"could not discard {stored.key}: {'; '.join(errors)}")

    async def read(self, stored: StoredObject) -> AsyncIterator[bytes]:
        from minio.error import S3Error

        try:
            response = await asyncio.to_thread(
                self.client.get_object, self.bucket, _check_key(stored.key),
                version_id=stored.version_id or None,
            )
        except S3Error as err:
            if err.code in ("NoSuchKey", "NoSuchObject", "NoSuchVersion"):
                raise NotFound(f"Không tìm thấy nội dung tệp {stored.key}") from err
            raise
        try:
            while chunk := await asyncio.to_thread(response.read, CHUNK_BYTES):
                yield chunk
        finally:
            with contextlib.suppress(Exception):
                response.close()
                response.release_conn()

    async def ready(self) -> bool:
        try:
            return await asyncio.to_thread(self.client.bucket_exists, self.bucket)
        except Exception:  # noqa: BLE001
            return False
