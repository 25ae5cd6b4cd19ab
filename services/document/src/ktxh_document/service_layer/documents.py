"""Use cases for documents: plain async functions taking a command and a unit of work.

Upload is all-or-nothing: the file is received into a temporary file (size limit, SHA-256),
its type detected from the bytes and its signatures verified BEFORE anything is stored; the
object is then written and the database rows committed; if recording fails after the object
was written, the object is discarded again. A failed object write stores no row.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import uuid
from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import structlog

from ktxh_document.domain.content import PDF, FileTooLarge, detect_content_type
from ktxh_document.domain.documents import (
    Document,
    DocumentKind,
    DocumentVersion,
    Owner,
    clean_file_name,
)
from ktxh_document.domain.signatures import Verification, require_valid
from ktxh_document.service_layer import policy
from ktxh_document.service_layer.ports import BlobStore, SignatureVerifier
from ktxh_document.service_layer.unit_of_work import DocumentUnitOfWork
from ktxh_platform.access import Scope
from ktxh_platform.auth.principal import Principal
from ktxh_platform.domain import Conflict, FieldViolation, InvalidArgument, NotFound

log = structlog.get_logger(__name__)

CHUNK_BYTES = 256 * 1024


@dataclass(frozen=True)
class DocumentRules:
    """Configuration the use cases obey (from the service's settings)."""

    max_upload_bytes: int = 20 * 1024 * 1024
    legal_kinds: frozenset[DocumentKind] = frozenset({DocumentKind.DECISION})
    retention_days: int = 3650
    spool_dir: Path | None = None


@dataclass(frozen=True)
class UploadDocument:
    file_name: str
    document_id: str = ""
    kind: str = ""
    title: str = ""
    owner: Owner | None = None
    declared_content_type: str = ""
    expected_version: int = 0
    idempotency_key: str = ""


@dataclass
class Received:
    """An upload received into a temporary file."""

    path: Path
    size: int
    sha256: str
    _tmp: tempfile.TemporaryDirectory = field(repr=False)

    def close(self) -> None:
        self._tmp.cleanup()


async def receive(chunks: AsyncIterable[bytes], rules: DocumentRules) -> Received:
    """Write the chunks to a temporary file, hashing and counting; refuse past the limit."""

    tmp = tempfile.TemporaryDirectory(prefix="ktxh-upload-", dir=rules.spool_dir)
    path = Path(tmp.name) / "content"
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("wb") as f:
            async for chunk in chunks:
                size += len(chunk)
                if size > rules.max_upload_bytes:
                    raise FileTooLarge(rules.max_upload_bytes)
                digest.update(chunk)
                f.write(chunk)
    except BaseException:
        tmp.cleanup()
        raise
    return Received(path, size, digest.hexdigest(), tmp)


def _request_hash(cmd: UploadDocument, sha256: str) -> str:
    body = {**asdict(cmd), "sha256": sha256}
    body.pop("idempotency_key")
    return hashlib.sha256(json.dumps(body, default=str, sort_keys=True).encode()).hexdigest()


async def _load(uow: DocumentUnitOfWork, document_id: str, scope: Scope) -> Document:
    """The document if it is in `scope`; outside it, it does not exist (404)."""
    doc = await uow.documents.get(document_id, scope) if document_id else None
    if doc is None:
        raise NotFound(f"Không tìm thấy văn bản {document_id}")
    return doc


async def upload_document(
    cmd: UploadDocument,
    received: Received,
    uow: DocumentUnitOfWork,
    blobs: BlobStore,
    verifier: SignatureVerifier,
    rules: DocumentRules,
    principal: Principal,
) -> Document:
    scope = policy.write_scope(principal)
    file_name = clean_file_name(cmd.file_name)
    if not cmd.document_id:
        if cmd.owner is None:
            raise InvalidArgument.single("owner", "Cần cho biết văn bản thuộc bản ghi và đơn vị nào")
        # validates kind, title and owner before anything is read or stored
        Document.create(
            kind=cmd.kind, title=cmd.title, owner=cmd.owner, province_code=uow.province_code,
            created_by=principal.username,
        )
    detected = detect_content_type(received.path, file_name)
    verification = (
        await verifier.verify(received.path, received.sha256) if detected.content_type == PDF else None
    )
    request_hash = _request_hash(cmd, received.sha256)
    async with uow:
        if cmd.idempotency_key:
            prior = await uow.idempotency.result(cmd.idempotency_key, principal.subject)
            if prior:
                if prior[0] != request_hash:
                    raise Conflict(
                        "Idempotency-Key đã được dùng cho một yêu cầu khác",
                        [FieldViolation("idempotency_key", "Khoá đã dùng với nội dung khác")],
                    )
                return await _load(uow, prior[1], scope)
        if cmd.document_id:
            doc = await _load(uow, cmd.document_id, scope)
            is_new = False
        else:
            assert cmd.owner is not None
            if not await uow.documents.unit_in_scope(cmd.owner.org_unit_code, scope):
                raise policy.outside_scope(cmd.owner.org_unit_code)
            doc = Document.create(
                kind=cmd.kind, title=cmd.title, owner=cmd.owner, province_code=uow.province_code,
                created_by=principal.username,
            )
            is_new = True
        before_version = doc.version
        number = doc.next_number()
        retain_until = (
            date.today() + timedelta(days=rules.retention_days)
            if doc.kind in rules.legal_kinds else None
        )
        key = f"documents/{doc.id}/{number}-{uuid.uuid4().hex}"
        stored = await blobs.put(key, received.path, detected.content_type, retain_until)
        try:
            version = DocumentVersion(
                number=number, file_name=file_name, content_type=detected.content_type,
                size_bytes=received.size, sha256=received.sha256, stored=stored,
                uploaded_by=principal.username, uploaded_at=datetime.now(UTC),
                retain_until=retain_until, verification=verification,
            )
            doc.add_version(version, cmd.expected_version)
            if is_new:
                await uow.documents.add(doc)
            else:
                await uow.documents.add_version(doc, version, before_version)
            if cmd.idempotency_key:
                await uow.idempotency.remember(
                    cmd.idempotency_key, principal.subject, request_hash, doc.id
                )
            await uow.commit()
        except BaseException:
            try:
                await blobs.discard(stored)
            except Exception:
                log.exception("orphan_object_not_discarded", key=stored.key, version_id=stored.version_id)
            raise
        log.info("document_stored", document_id=doc.id, version=number, sha256=received.sha256,
                 content_type=detected.content_type, size=received.size)
        return doc


async def get_document(document_id: str, uow: DocumentUnitOfWork, principal: Principal) -> Document:
    scope = policy.read_scope(principal)
    async with uow:
        return await _load(uow, document_id, scope)


async def list_documents(
    uow: DocumentUnitOfWork,
    principal: Principal,
    *,
    owner_type: str = "",
    owner_id: str = "",
    owner_org_unit_code: str = "",
    kind: str = "",
    page_size: int = 100,
    page_token: str = "",
) -> tuple[list[Document], str, int]:
    scope = policy.read_scope(principal)
    if page_size < 0 or page_size > 500:
        raise InvalidArgument.single("page_size", "Số bản ghi mỗi trang phải từ 1 đến 500")
    try:
        doc_kind = DocumentKind(kind) if kind else None
    except ValueError as exc:
        raise InvalidArgument.single("kind", f"Loại văn bản không hợp lệ: {kind!r}") from exc
    async with uow:
        return await uow.documents.list(
            scope, owner_type=owner_type, owner_id=owner_id, owner_org_unit_code=owner_org_unit_code,
            kind=doc_kind, page_size=page_size or 100, page_token=page_token,
        )


async def open_download(
    document_id: str, number: int, uow: DocumentUnitOfWork, blobs: BlobStore, principal: Principal
) -> tuple[Document, DocumentVersion, AsyncIterator[bytes]]:
    scope = policy.read_scope(principal)
    async with uow:
        doc = await _load(uow, document_id, scope)
    version = doc.version_no(number)
    return doc, version, blobs.read(version.stored)


async def verify_signature(
    document_id: str,
    number: int,
    uow: DocumentUnitOfWork,
    blobs: BlobStore,
    verifier: SignatureVerifier,
    rules: DocumentRules,
    principal: Principal,
) -> tuple[Document, DocumentVersion]:
    """Verify a stored PDF version again (e.g. after the trust roots changed) and record it."""

    scope = policy.write_scope(principal)
    async with uow:
        doc = await _load(uow, document_id, scope)
    version = doc.version_no(number)
    if version.content_type != PDF:
        raise InvalidArgument.single("document_id", "Chỉ kiểm tra chữ ký số được với tệp PDF")
    with tempfile.TemporaryDirectory(prefix="ktxh-verify-", dir=rules.spool_dir) as tmp:
        path = Path(tmp) / "content"
        digest = hashlib.sha256()
        with path.open("wb") as f:
            async for chunk in blobs.read(version.stored):
                digest.update(chunk)
                f.write(chunk)
        if digest.hexdigest() != version.sha256:
            log.error("stored_object_hash_mismatch", document_id=doc.id, version=version.number)
        verification = await verifier.verify(path, digest.hexdigest())
    async with uow:
        doc = await _load(uow, document_id, scope)
        before_version = doc.version
        version = doc.record_verification(version.number, verification)
        await uow.documents.save_verification(doc, version, before_version)
        await uow.commit()
    return doc, version


async def require_valid_signature(
    document_id: str, number: int, uow: DocumentUnitOfWork, principal: Principal
) -> tuple[Document, Verification]:
    """The stored verification if the version carries a valid signature; otherwise a clear
    Vietnamese refusal on ``document_id``."""

    if not document_id:
        raise InvalidArgument.single("document_id", "Cần văn bản ký số (mã văn bản)")
    scope = policy.read_scope(principal)
    async with uow:
        doc = await _load(uow, document_id, scope)
    version = doc.version_no(number)
    what = f"Văn bản “{doc.title or version.file_name}” (phiên bản {version.number})"
    return doc, require_valid(version.verification, what)
