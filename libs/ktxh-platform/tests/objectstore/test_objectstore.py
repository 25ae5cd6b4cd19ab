"""The object store, on a local folder and on a real S3 API server (moto, with the minio client)."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import httpx
import pytest

from ktxh_platform.domain import InvalidArgument, NotFound
from ktxh_platform.objectstore import LocalFolderStore, ObjectStore, S3Store

PDF = "Quyết định 2081/QĐ-UBND — bản ký số".encode() * 100


@pytest.fixture(params=["local", "s3"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> ObjectStore:
    if request.param == "local":
        return LocalFolderStore(tmp_path / "objects")
    s3 = request.getfixturevalue("s3_server")
    store = S3Store(s3.endpoint, s3.access_key, s3.secret_key, f"ktxh-{uuid.uuid4().hex[:8]}", secure=False)
    await store.ensure_bucket()
    await store.ensure_bucket()  # idempotent
    return store


async def test_put_get_round_trip_with_hash(store: ObjectStore):
    key = "decisions/2026/qd-2081.pdf"
    digest = await store.put(key, PDF, "application/pdf")
    assert digest == hashlib.sha256(PDF).hexdigest()
    assert await store.exists(key)
    assert await store.get(key) == PDF
    assert await store.ready()


async def test_missing_object_is_not_found(store: ObjectStore):
    assert not await store.exists("khong/co.pdf")
    with pytest.raises(NotFound):
        await store.get("khong/co.pdf")


@pytest.mark.parametrize("key", ["", "/etc/passwd", "a/../b", "a//b"])
async def test_unsafe_keys_are_refused(store: ObjectStore, key: str):
    with pytest.raises(InvalidArgument):
        await store.put(key, b"x", "text/plain")


async def test_s3_presigned_url_downloads_the_object(s3_server):
    store = S3Store(s3_server.endpoint, s3_server.access_key, s3_server.secret_key, "ktxh-presign", secure=False)
    await store.ensure_bucket()
    await store.put("bao-cao/2026-M11.xlsx", PDF, "application/octet-stream")
    url = await store.url("bao-cao/2026-M11.xlsx")
    async with httpx.AsyncClient() as client:
        response = await client.get(url)
    assert response.status_code == 200 and response.content == PDF
