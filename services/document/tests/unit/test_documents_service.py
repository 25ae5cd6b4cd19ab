"""Document use cases on in-memory fakes: versions, limits, atomicity, access, signatures."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest
from fakes import FakeBlobStore, FakeRepository, FakeUnitOfWork, FakeVerifier

from ktxh_document.domain.content import FileTooLarge
from ktxh_document.domain.documents import DocumentKind, DocumentStored, DocumentVerified, Owner
from ktxh_document.domain.signatures import SignatureCheck, SignatureStatus, Verification
from ktxh_document.service_layer import documents as svc
from ktxh_platform.auth.principal import (
    CONSOLIDATOR,
    DATA_ENTRY,
    INTEGRATION,
    LEADERSHIP,
    PROVINCE_ADMIN,
    SYSTEM_ADMIN,
    AuthorizationError,
    Principal,
)
from ktxh_platform.domain import InvalidArgument, NotFound, PermissionDenied
from ktxh_testing.pdf_signing import plain_pdf

ADMIN = Principal("s-admin", "admin", "Quản trị", frozenset({PROVINCE_ADMIN}), "31", "31")
HA_TAY = Principal("s-ht", "nhap_lieu", "Nhập liệu", frozenset({DATA_ENTRY}), "10846", "31")
OTHER_COMMUNE = Principal("s-x", "xa_khac", "Xã khác", frozenset({DATA_ENTRY}), "11311", "31")
LEADER = Principal("s-ld", "lanh_dao", "Lãnh đạo", frozenset({LEADERSHIP}), "31", "31")
DECISION_OWNER = Owner("assignment_decision", "qd-1", "31")
RULES = svc.DocumentRules(max_upload_bytes=64 * 1024)


async def chunks(data: bytes, size: int = 1000) -> AsyncIterator[bytes]:
    for i in range(0, len(data), size):
        yield data[i:i + size]


class World:
    def __init__(self, verification: Verification | None = None) -> None:
        self.repo = FakeRepository()
        self.blobs = FakeBlobStore()
        self.verifier = FakeVerifier(verification)
        self.uow = FakeUnitOfWork(self.repo)

    async def upload(self, data: bytes, principal: Principal = ADMIN, rules=RULES, **kw):
        cmd = svc.UploadDocument(**{"file_name": "Quyết định 1131.pdf", "kind": "decision",
                                    "owner": DECISION_OWNER, **kw})
        received = await svc.receive(chunks(data), rules)
        try:
            return await svc.upload_document(cmd, received, self.uow, self.blobs, self.verifier, rules, principal)
        finally:
            received.close()


def valid_verification(sha: str = "x") -> Verification:
    now = datetime.now(UTC)
    return Verification(sha, now, [SignatureCheck(
        "Sig1", "Nguyễn Văn An", "UBND", "CN=Nguyễn Văn An", "CN=CA", "1", now,
        now - timedelta(days=1), now + timedelta(days=1), True, False, True, True,
    )])


async def test_upload_stores_the_bytes_hash_and_detected_type():
    w = World()
    data = plain_pdf()
    doc = await w.upload(data, declared_content_type="application/octet-stream")
    v = doc.current
    assert (v.number, v.content_type, v.size_bytes, v.file_name) == (1, "application/pdf", len(data), "Quyết định 1131.pdf")
    import hashlib

    assert v.sha256 == hashlib.sha256(data).hexdigest()
    assert w.blobs.objects[v.stored.key][0] == data
    assert w.repo.docs[doc.id].versions[0].sha256 == v.sha256
    assert [type(e) for e in w.uow.events] == [DocumentStored, DocumentVerified]


async def test_a_new_upload_adds_a_version_and_keeps_the_old_one():
    w = World()
    first = await w.upload(plain_pdf("v1"))
    second = await w.upload(plain_pdf("v2"), document_id=first.id, file_name="QĐ sửa.pdf",
                            expected_version=first.version)
    assert [v.number for v in second.versions] == [1, 2]
    assert second.versions[0].sha256 == first.current.sha256
    assert len(w.blobs.objects) == 2
    assert second.current.stored.key != first.current.stored.key


async def test_legal_documents_get_a_retention_date_others_do_not():
    w = World()
    decision = await w.upload(plain_pdf())
    evidence = await w.upload(plain_pdf(), kind="evidence", owner=Owner("submission", "s1", "31"))
    assert decision.current.retain_until == date.today() + timedelta(days=RULES.retention_days)
    assert evidence.current.retain_until is None
    assert w.blobs.objects[decision.current.stored.key][2] == decision.current.retain_until


async def test_an_oversized_upload_is_refused_and_nothing_is_stored():
    w = World()
    with pytest.raises(FileTooLarge) as err:
        await w.upload(b"%PDF-1.7\n" + b"0" * (RULES.max_upload_bytes + 1))
    assert "Tệp quá lớn: tối đa 0.0625 MB" in err.value.message
    assert w.blobs.objects == {} and w.repo.docs == {}


async def test_a_renamed_executable_is_refused_and_nothing_is_stored():
    w = World()
    with pytest.raises(InvalidArgument, match="tệp chạy Windows"):
        await w.upload(b"MZ" + b"\0" * 500, file_name="quyet-dinh.pdf", declared_content_type="application/pdf")
    assert w.blobs.objects == {} and w.repo.docs == {}


async def test_when_the_object_store_fails_no_record_is_written():
    w = World()
    w.blobs.fail_put = True
    with pytest.raises(ConnectionError):
        await w.upload(plain_pdf())
    assert w.repo.docs == {} and w.uow.events == []


async def test_when_the_database_fails_after_the_object_was_written_the_object_is_removed():
    w = World()
    w.uow.fail_commit = True
    with pytest.raises(ConnectionError):
        await w.upload(plain_pdf())
    assert w.blobs.objects == {} and w.repo.docs == {}


async def test_a_commune_cannot_upload_for_or_see_another_unit():
    w = World()
    with pytest.raises(PermissionDenied, match="ngoài phạm vi"):
        await w.upload(plain_pdf(), principal=HA_TAY)  # owner unit 31
    own = await w.upload(plain_pdf(), principal=HA_TAY, kind="submission",
                         owner=Owner("submission", "s-1", "10846"))
    await w.upload(plain_pdf(), kind="decision")
    with pytest.raises(NotFound):
        await svc.get_document(own.id, w.uow, OTHER_COMMUNE)
    with pytest.raises(NotFound):
        await w.upload(plain_pdf(), principal=OTHER_COMMUNE, document_id=own.id)
    seen, _, total = await svc.list_documents(w.uow, HA_TAY)
    assert [d.id for d in seen] == [own.id] and total == 1
    _, _, total = await svc.list_documents(w.uow, ADMIN)
    assert total == 2


async def test_read_only_roles_cannot_upload():
    w = World()
    with pytest.raises(PermissionDenied, match="chỉ được xem"):
        await w.upload(plain_pdf(), principal=LEADER)


async def test_an_upper_level_unit_sees_the_units_below_it_and_leadership_reads_all():
    w = World()
    below = await w.upload(plain_pdf(), principal=HA_TAY, kind="submission",
                           owner=Owner("submission", "s-1", "10846"))
    province_clerk = Principal("s-p", "tong_hop", "Tổng hợp", frozenset({CONSOLIDATOR}), "31", "31")
    assert (await svc.get_document(below.id, w.uow, province_clerk)).id == below.id
    _, _, total = await svc.list_documents(w.uow, LEADER)
    assert total == 1


@pytest.mark.parametrize("role", [INTEGRATION, SYSTEM_ADMIN])
async def test_roles_without_a_document_grant_are_refused_not_shown_an_empty_list(role):
    w = World()
    await w.upload(plain_pdf())
    caller = Principal("s-r", "r", "R", frozenset({role}), "31", "31")
    with pytest.raises(AuthorizationError):
        await svc.list_documents(w.uow, caller)
    with pytest.raises(AuthorizationError):
        await w.upload(plain_pdf(), principal=caller)


async def test_a_bad_owner_is_refused_field_by_field():
    w = World()
    with pytest.raises(InvalidArgument) as err:
        await w.upload(plain_pdf(), owner=Owner("Bad Type", "x", ""), kind="nonsense")
    fields = {v.field for v in err.value.violations}
    assert fields == {"owner.type", "owner.org_unit_code", "kind"}
    assert w.blobs.objects == {}


async def test_require_valid_signature_refuses_unsigned_and_accepts_valid():
    unsigned = World(Verification("x", datetime.now(UTC)))
    doc = await unsigned.upload(plain_pdf())
    with pytest.raises(InvalidArgument) as err:
        await svc.require_valid_signature(doc.id, 0, unsigned.uow, ADMIN)
    assert err.value.violations[0].field == "document_id"
    assert "chưa có chữ ký số hợp lệ (Chưa ký số)" in err.value.message

    signed = World(valid_verification())
    doc = await signed.upload(plain_pdf())
    _, verification = await svc.require_valid_signature(doc.id, 0, signed.uow, ADMIN)
    assert verification.status is SignatureStatus.VALID


async def test_require_valid_signature_refuses_a_non_pdf():
    w = World()
    doc = await w.upload(b"\x89PNG\r\n\x1a\n" + b"\0" * 10, file_name="anh.png")
    assert w.verifier.calls == 0 and doc.current.verification is None
    with pytest.raises(InvalidArgument, match="không phải tệp PDF ký số"):
        await svc.require_valid_signature(doc.id, 0, w.uow, ADMIN)


async def test_an_idempotent_retry_returns_the_first_document():
    w = World()
    first = await w.upload(plain_pdf(), idempotency_key="k1")
    again = await w.upload(plain_pdf(), idempotency_key="k1")
    assert again.id == first.id and len(w.blobs.objects) == 1


async def test_verify_again_records_the_new_result():
    w = World(Verification("x", datetime.now(UTC)))
    doc = await w.upload(plain_pdf())
    w.verifier.result = valid_verification()
    doc, version = await svc.verify_signature(doc.id, 1, w.uow, w.blobs, w.verifier, RULES, ADMIN)
    assert version.verification.status is SignatureStatus.VALID
    assert w.repo.docs[doc.id].versions[0].verification.status is SignatureStatus.VALID
    assert doc.kind is DocumentKind.DECISION
