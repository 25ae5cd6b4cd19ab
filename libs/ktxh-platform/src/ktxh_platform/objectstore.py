"""Object store: MinIO/S3 through the ``minio`` client, or a local folder. One interface."""

from __future__ import annotations

import asyncio
import hashlib
import io
from datetime import timedelta
from pathlib import Path
from typing import Protocol

from ktxh_platform.domain.errors import InvalidArgument, NotFound


class ObjectStore(Protocol):
    async def put(self, key: str, data: bytes, content_type: str) -> str:
        """Store ``data`` under ``key``; returns its SHA-256 (hex)."""
        ...

    async def get(self, key: str) -> bytes: ...

    async def exists(self, key: str) -> bool: ...

    async def url(self, key: str, expires: timedelta = timedelta(minutes=15)) -> str: ...

    async def ready(self) -> bool: ...


def _check_key(key: str) -> str:
    parts = key.split("/")
    if not key or key.startswith("/") or any(p in ("", ".", "..") for p in parts):
        raise InvalidArgument.single("key", f"Khoá tệp không hợp lệ: {key!r}")
    return key


class LocalFolderStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        return self.root / _check_key(key)

    async def put(self, key: str, data: bytes, content_type: str) -> str:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)  # atomic: never a half-written file under the real key
        return hashlib.sha256(data).hexdigest()

    async def get(self, key: str) -> bytes:
        path = self._path(key)
        if not path.is_file():
            raise NotFound(f"Không tìm thấy tệp {key}")
        return path.read_bytes()

    async def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    async def url(self, key: str, expires: timedelta = timedelta(minutes=15)) -> str:
        return self._path(key).as_uri()

    async def ready(self) -> bool:
        return self.root.is_dir()


class S3Store:
    """MinIO (or any S3 API) via the ``minio`` client; calls run in a worker thread."""

    def __init__(
        self, endpoint: str, access_key: str, secret_key: str, bucket: str, *, secure: bool
    ) -> None:
        from minio import Minio

        host = endpoint.removeprefix("http://").removeprefix("https://")
        self.client = Minio(host, access_key=access_key, secret_key=secret_key, secure=secure)
        self.bucket = bucket

    async def ensure_bucket(self) -> None:
        def _make() -> None:
            if not self.client.bucket_exists(self.bucket):
                self.client.make_bucket(self.bucket)

        await asyncio.to_thread(_make)

    async def put(self, key: str, data: bytes, content_type: str) -> str:
        _check_key(key)
        await asyncio.to_thread(
            self.client.put_object, self.bucket, key, io.BytesIO(data), len(data),
            content_type=content_type,
        )
        return hashlib.sha256(data).hexdigest()

    async def get(self, key: str) -> bytes:
        from minio.error import S3Error

        def _get() -> bytes:
            response = self.client.get_object(self.bucket, _check_key(key))
            try:
                return response.read()
            finally:
                response.close()
                response.release_conn()

        try:
            return await asyncio.to_thread(_get)
        except S3Error as err:
            if err.code in ("NoSuchKey", "NoSuchObject"):
                raise NotFound(f"Không tìm thấy tệp {key}") from err
            raise

    async def exists(self, key: str) -> bool:
        from minio.error import S3Error

        try:
            await asyncio.to_thread(self.client.stat_object, self.bucket, _check_key(key))
            return True
        except S3Error:
            return False

    async def url(self, key: str, expires: timedelta = timedelta(minutes=15)) -> str:
        return await asyncio.to_thread(
            self.client.presigned_get_object, self.bucket, _check_key(key), expires
        )

    async def ready(self) -> bool:
        try:
            return await asyncio.to_thread(self.client.bucket_exists, self.bucket)
        except Exception:  # noqa: BLE001
            return False
