from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization

from ktxh_document.adapters import tables
from ktxh_document.adapters.blobs import LocalBlobStore, S3BlobStore
from ktxh_document.adapters.pdf_signatures import PyHankoVerifier
from ktxh_document.adapters.events import translate_event
from ktxh_document.adapters.unit_of_work import SqlDocumentUnitOfWork
from ktxh_platform.db import Database
from ktxh_platform.messaging import MessagingContext
from ktxh_testing.pdf_signing import TestCA

MIGRATIONS = Path(tables.__file__).parents[1] / "migrations"
_buckets = itertools.count(1)


@pytest.fixture(params=["sqlite", "postgresql"])
async def document_db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """The document service's database migrated by its real Alembic history."""

    if request.param == "sqlite":
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'document.db'}")
    else:
        db = Database(request.getfixturevalue("pg_database"), schema="document")
    await db.migrate(MIGRATIONS, tables.metadata)
    yield db
    await db.dispose()


@pytest.fixture
def uow_factory(document_db: Database):
    messaging = MessagingContext("document", "31", "", tables.outbox, translate_event)

    def make(actor: str = "tester") -> SqlDocumentUnitOfWork:
        return SqlDocumentUnitOfWork(document_db, messaging, actor)

    return make


@pytest.fixture
def s3_store(s3_server) -> S3BlobStore:
    """A fresh bucket with object lock (hence versioning) on the real S3 API server."""

    client = s3_server.client()
    bucket = f"docs-{next(_buckets)}"
    client.make_bucket(bucket, object_lock=True)
    return S3BlobStore(client, bucket, "GOVERNANCE")


@pytest.fixture(params=["local", "s3"])
def blob_store(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "local":
        return LocalBlobStore(tmp_path / "objects")
    return request.getfixturevalue("s3_store")


@pytest.fixture(scope="session")
def test_ca() -> TestCA:
    return TestCA("KTXH Integration Root CA", "Ban Cơ yếu (thử nghiệm)")


@pytest.fixture(scope="session")
def verifier(test_ca: TestCA) -> PyHankoVerifier:
    der = test_ca.cert.public_bytes(serialization.Encoding.DER)
    return PyHankoVerifier([asn1_x509.Certificate.load(der)])
