"""Documents against real databases (SQLite, PostgreSQL) and real object stores (local folder,
an S3 API server with object lock): versions, retention locks, and no orphan on failure."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from ktxh_document.adapters import tables
from ktxh_document.adapters.blobs import LocalBlobStore, RetentionLocked, S3BlobStore
from ktxh_document.domain.documents import Owner
from ktxh_document.domain.signatures import SignatureStatus
from ktxh_document.service_layer import documents as svc
from ktxh_platform.auth.principal import DATA_ENTRY, FRONT_MEMBER, PROVINCE_ADMIN, Principal
from ktxh_platform.domain import InvalidArgument, NotFound, PermissionDenied
from ktxh_testing.pdf_signing import plain_pdf, sign_pdf

ADMIN = Principal("s-admin", "admin", "Quản trị", frozenset({PROVINCE_ADMIN}), "31", "31")
HA_TAY = Principal("s-ht", "nhap_lieu", "Nhập liệu", frozenset({DATA_ENTRY}), "10846", "31")
RULES = svc.DocumentRules(max_upload_bytes=1024 * 1024, retention_days=30)


async def chunks(data: bytes, size: int = 64 * 1024) -> AsyncIterator[bytes]:
    for i in range(0, len(data), size):
        yield data[i:i + size]


async def upload(uow, blobs, verifier, data: bytes, principal=ADMIN, **kw):
    cmd = svc.UploadDocument(**{"file_name": "Quyết định số 1131/QĐ-UBND.pdf", "kind": "decision",
                                "owner": Owner("assignment_decision", "qd-1131", "31"), **kw})
    received = await svc.receive(chunks(data), RULES)
    try:
        return await svc.upload_document(cmd, received, uow, blobs, verifier, RULES, principal)
    finally:
        received.close()


async def read_all(blobs, stored) -> bytes:
    return b"".join([c async for c in blobs.read(stored)])


async def count(db, table: sa.Table) -> int:
    async with db.engine.connect() as conn:
        return int(await conn.scalar(sa.select(sa.func.count()).select_from(table)))


async def test_versions_are_stored_verified_and_read_back(uow_factory, document_db, blob_store, verifier, test_ca):
    signed = sign_pdf(plain_pdf("Quyet dinh 1131"), test_ca.issue("Nguyễn Văn An", organization="UBND TP Hải Phòng"))
    doc = await upload(uow_factory(), blob_store, verifier, signed)
    assert doc.current.verification.status is SignatureStatus.VALID
    amended = sign_pdf(plain_pdf("Quyet dinh 1131 sua doi"), test_ca.issue("Trần Thị Bình"))
    doc = await upload(uow_factory(), blob_store, verifier, amended, document_id=doc.id,
                       expected_version=doc.version, file_name="QĐ sửa đổi.pdf")

    stored = await svc.get_document(doc.id, uow_factory(), ADMIN)
    assert [v.number for v in stored.versions] == [1, 2]
    assert [v.sha256 for v in stored.versions] == [hashlib.sha256(signed).hexdigest(),
                                                  hashlib.sha256(amended).hexdigest()]
    assert stored.versions[1].verification.signatures[0].signer_name == "Trần Thị Bình"
    assert stored.versions[0].retain_until == date.today() + timedelta(days=30)
    for number, data in ((1, signed), (2, amended)):
        _, _version, content = await svc.open_download(doc.id, number, uow_factory(), blob_store, ADMIN)
        assert b"".join([c async for c in content]) == data
    # the events are in the outbox, in the same transactions: 2 stored + 2 verified
    async with document_db.engine.connect() as conn:
        types = (await conn.execute(sa.select(tables.outbox.c.event_type).order_by(tables.outbox.c.seq))).scalars().all()
    assert types == ["ktxh.document.v1.DocumentStored", "ktxh.document.v1.DocumentVerified"] * 2
    # scope: a commune officer neither lists nor reads the province's decision
    docs, _, total = await svc.list_documents(uow_factory(), HA_TAY)
    assert (docs, total) == ([], 0)
    with pytest.raises(NotFound):
        await svc.open_download(doc.id, 1, uow_factory(), blob_store, HA_TAY)


async def test_a_pdf_changed_after_signing_is_stored_flagged_and_refused_where_required(
    uow_factory, blob_store, verifier, test_ca
):
    signed = bytearray(sign_pdf(plain_pdf("Chi tieu 100"), test_ca.issue("Nguyễn Văn An")))
    signed[signed.index(b"Chi tieu 100") + 9] = ord("9")
    doc = await upload(uow_factory(), blob_store, verifier, bytes(signed))
    assert doc.current.verification.status is SignatureStatus.MODIFIED
    with pytest.raises(InvalidArgument) as err:
        await svc.require_valid_signature(doc.id, 0, uow_factory(), ADMIN)
    assert "Văn bản đã bị thay đổi sau khi ký" in err.value.message


async def test_a_legal_document_is_under_object_lock_on_s3(uow_factory, s3_store: S3BlobStore, verifier):
    from minio.commonconfig import GOVERNANCE
    from minio.error import S3Error

    doc = await upload(uow_factory(), s3_store, verifier, plain_pdf())
    stored = doc.current.stored
    # (HEAD carries the lock; moto answers GET ?retention with the object body)
    head = s3_store.client.stat_object(s3_store.bucket, stored.key, version_id=stored.version_id)
    assert head.metadata["x-amz-object-lock-mode"] == GOVERNANCE
    until = head.metadata["x-amz-object-lock-retain-until-date"]
    assert until.startswith((date.today() + timedelta(days=30)).isoformat())
    # nobody deletes that version without bypassing governance
    with pytest.raises(S3Error) as err:
        s3_store.client.remove_object(s3_store.bucket, stored.key, version_id=stored.version_id)
    assert err.value.code == "AccessDenied"
    assert await read_all(s3_store, stored) == plain_pdf()


async def test_the_local_store_refuses_to_delete_or_overwrite_a_locked_document(uow_factory, tmp_path, verifier):
    store = LocalBlobStore(tmp_path / "objects")
    doc = await upload(uow_factory(), store, verifier, plain_pdf())
    stored = doc.current.stored
    with pytest.raises(RetentionLocked):
        await store.delete(stored)
    other = tmp_path / "other.pdf"
    other.write_bytes(b"%PDF-1.7 other")
    with pytest.raises(FileExistsError):
        await store.put(stored.key, other, "application/pdf", None)
    assert await read_all(store, stored) == plain_pdf()


@pytest.fixture
async def pg_uow_factory(pg_database):
    from pathlib import Path

    from ktxh_document.adapters.events import translate_event
    from ktxh_document.adapters.unit_of_work import SqlDocumentUnitOfWork
    from ktxh_platform.db import Database
    from ktxh_platform.messaging import MessagingContext

    db = Database(pg_database, schema="document")
    await db.migrate(Path(tables.__file__).parents[1] / "migrations", tables.metadata)
    messaging = MessagingContext("document", "31", "", tables.outbox, translate_event)
    yield db, (lambda: SqlDocumentUnitOfWork(db, messaging, "tester"))
    await db.dispose()


async def test_a_database_failure_after_the_object_write_leaves_no_orphan_object(
    pg_uow_factory, s3_store: S3BlobStore, verifier
):
    db, make_uow = pg_uow_factory
    # a real failure at COMMIT, after the rows were inserted and the object written: a
    # deferred constraint trigger that refuses every new version
    async with db.engine.begin() as conn:
        await conn.execute(sa.text(
            "CREATE FUNCTION document.refuse() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'disk full (simulated)'; END $$"
        ))
        await conn.execute(sa.text(
            "CREATE CONSTRAINT TRIGGER refuse_versions AFTER INSERT ON document.document_versions "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION document.refuse()"
        ))
    with pytest.raises(Exception, match="disk full"):
        await upload(make_uow(), s3_store, verifier, plain_pdf())  # a decision: under object lock
    versions = list(s3_store.client.list_objects(s3_store.bucket, recursive=True, include_version=True))
    assert versions == []
    assert await count(db, tables.documents) == 0
    assert await count(db, tables.outbox) == 0


async def test_an_object_store_failure_writes_no_record(uow_factory, document_db, s3_server, verifier):
    # the bucket is gone (deleted by an operator, wrong configuration): the S3 server answers
    # NoSuchBucket to the write
    store = S3BlobStore(s3_server.client(), "bucket-that-was-removed")
    s3_server.make_bucket(store.bucket)
    s3_server.client().remove_bucket(store.bucket)
    with pytest.raises(Exception, match="NoSuchBucket|does not exist"):
        await upload(uow_factory(), store, verifier, plain_pdf())
    assert await count(document_db, tables.documents) == 0
    assert await count(document_db, tables.document_versions) == 0
    assert await count(document_db, tables.outbox) == 0


async def test_unit_scopes_filter_in_sql_over_the_replica_of_the_unit_tree(
    uow_factory, document_db, verifier, tmp_path
):
    """The org-unit events the catalog publishes build the replica; a unit user then sees the
    documents of their unit, the units below it and the units merged into it, not a sibling's
    nor another province's; an office's user acts for its commune."""
    from ktxh.catalog.v1 import catalog_pb2

    from ktxh_document.adapters.org_unit_replica import apply_unit

    kinds = catalog_pb2.OrgUnitKind
    units = [  # id, code, kind, parent, successors
        ("p", "31", kinds.ORG_UNIT_KIND_PROVINCE, "", []),
        ("c1", "10846", kinds.ORG_UNIT_KIND_COMMUNE, "p", []),
        ("o1", "10846.VP", kinds.ORG_UNIT_KIND_OFFICE, "c1", []),
        ("old", "10840", kinds.ORG_UNIT_KIND_COMMUNE, "p", ["c1"]),  # merged into Hà Tây
        ("c2", "11311", kinds.ORG_UNIT_KIND_COMMUNE, "p", []),
    ]
    async with document_db.sessions() as session, session.begin():
        for uid, code, kind, parent, successors in units:
            await apply_unit(session, catalog_pb2.OrgUnit(
                id=uid, code=code, kind=kind, parent_id=parent, province_code="31", version=1,
                successor_ids=successors))
        # an older event of a unit never rolls it back
        await apply_unit(session, catalog_pb2.OrgUnit(
            id="c2", code="STALE", kind=kinds.ORG_UNIT_KIND_COMMUNE, parent_id="c1",
            province_code="31", version=0))
    blobs = LocalBlobStore(tmp_path / "objects")
    ids = {}
    for code in ("31", "10846", "10846.VP", "10840", "11311"):
        doc = await upload(uow_factory(), blobs, verifier, plain_pdf(code), kind="other",
                           owner=Owner("submission", f"s-{code}", code))
        ids[code] = doc.id
    office = Principal("s-vp", "van_phong", "Văn phòng", frozenset({DATA_ENTRY}), "10846.VP", "31")
    sibling = Principal("s-c2", "xa_khac", "Xã khác", frozenset({DATA_ENTRY}), "11311", "31")
    for who in (HA_TAY, office):
        listed, _, total = await svc.list_documents(uow_factory(), who)
        assert {d.owner.org_unit_code for d in listed} == {"10846", "10846.VP", "10840"}
        assert total == 3
        with pytest.raises(NotFound):
            await svc.get_document(ids["11311"], uow_factory(), who)
        with pytest.raises(NotFound):
            await svc.get_document(ids["31"], uow_factory(), who)  # the parent's: not shared
        assert (await svc.get_document(ids["10840"], uow_factory(), who)).id == ids["10840"]
    listed, _, total = await svc.list_documents(uow_factory(), sibling)
    assert [d.owner.org_unit_code for d in listed] == ["11311"] and total == 1
    # an upload for a unit outside the scope, or unknown to the tree, is refused
    for code in ("11311", "99999"):
        with pytest.raises(PermissionDenied, match="ngoài phạm vi"):
            await upload(uow_factory(), blobs, verifier, plain_pdf(), principal=HA_TAY,
                         kind="other", owner=Owner("submission", "s-x", code))
    # the Front committee of Hà Tây sees and files only its own committee's documents
    front = Principal("s-mt", "mttq_ht", "MTTQ", frozenset({FRONT_MEMBER}), "10846.MT", "31")
    with pytest.raises(PermissionDenied, match="ngoài phạm vi"):
        await upload(uow_factory(), blobs, verifier, plain_pdf(), principal=front,
                     kind="other", owner=Owner("submission", "s-y", "10846"))
    own = await upload(uow_factory(), blobs, verifier, plain_pdf("bc"), principal=front,
                       kind="other", owner=Owner("oversight_report", "gs-1", "10846.MT"))
    listed, _, total = await svc.list_documents(uow_factory(), front)
    assert [d.id for d in listed] == [own.id] and total == 1
    # a document of another province in the same database is nobody's here
    other = Principal("s-hn", "ha_noi", "Hà Nội", frozenset({PROVINCE_ADMIN}), "01", "01")
    _, _, total = await svc.list_documents(uow_factory(), other)
    assert total == 0
