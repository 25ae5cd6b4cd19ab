"""REST for documents: ``/api/v1/documents``. Multipart uploads are streamed to the document
service over gRPC in 1 MiB chunks; downloads are streamed back with Content-Type,
Content-Disposition (Vietnamese names, RFC 6266/5987) and the SHA-256 as ETag."""

from __future__ import annotations

import unicodedata
from collections.abc import AsyncIterator
from datetime import UTC, date
from typing import Annotated, Any
from urllib.parse import quote

import grpc
from fastapi import APIRouter, Depends, File, Form, Header, Query, Request, Response, UploadFile
from fastapi.responses import StreamingResponse
from pydantic import AfterValidator

from ktxh.document.v1 import document_pb2, document_pb2_grpc
from ktxh_gateway import limits
from ktxh_gateway.auth import allowed
from ktxh_gateway.documents import schemas
from ktxh_gateway.problems import (
    PROBLEM_RESPONSES,
    ProblemError,
    from_grpc,
)
from ktxh_platform.access import Action, Resource
from ktxh_platform.auth.principal import Principal

def _clean_optional(value: str | None) -> str | None:
    return None if value is None else limits.clean(value)


# The types the document service stores (detected from the bytes at upload; docs/documents.md).
STORED_TYPES = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "image/png",
    "image/jpeg",
)
CHUNK_BYTES = 1024 * 1024  # the contract's largest upload chunk
STREAM_TIMEOUT_SECONDS = 300.0


# Uploads larger than KTXH_GATEWAY_MAX_UPLOAD_BYTES are refused before they are read by the
# gateway's one body limit (`body_limits.BodySizeLimit`, 413 naming `file`); the document
# service counts the streamed bytes again (RESOURCE_EXHAUSTED → 413).
router = APIRouter(
    prefix="/api/v1/documents", tags=["Văn bản (documents)"],
    responses={
        **PROBLEM_RESPONSES,
        413: {**PROBLEM_RESPONSES[422], "description": "Tệp quá lớn"},
    },
)

# Inputs as the contract takes them (docs/security.md, "Input limits").
DocumentId = limits.path_text(36, description="Id của văn bản")
Version = Annotated[int, Query(ge=0, le=limits.INT32[1],
                               description="Số phiên bản; 0 = phiên bản hiện hành")]
IdempotencyKey = Annotated[str | None, AfterValidator(_clean_optional),
                           Header(max_length=200, json_schema_extra={"pattern": limits.TEXT_PATTERN})]


def _form_text(max_length: int, *, min_length: int = 0, description: str = "") -> Any:
    return Annotated[str, AfterValidator(limits.clean), Form(
        min_length=min_length, max_length=max_length, description=description or None,
        json_schema_extra={"pattern": limits.TEXT_PATTERN})]


# The access policy's role check, early (403 before calling the service); the document service
# applies the same policy again with the scope (404 outside it).
DocumentReader = Annotated[Principal, Depends(allowed(Resource.DOCUMENT, Action.READ))]
DocumentWriter = Annotated[Principal, Depends(allowed(Resource.DOCUMENT, Action.WRITE))]

KIND_TO_PB = {k: document_pb2.DocumentKind.Value(f"DOCUMENT_KIND_{k.name.upper()}") for k in schemas.DocumentKind}


def _stub(request: Request) -> document_pb2_grpc.DocumentServiceStub:
    return document_pb2_grpc.DocumentServiceStub(request.app.state.clients.channels["document"])


def _options(request: Request, principal, timeout: float | None = None) -> dict:
    options = request.app.state.clients.call_options(principal)
    if timeout:
        options["timeout"] = timeout
    return options


def _problem(err: grpc.aio.AioRpcError) -> ProblemError:
    problem = from_grpc(err)
    if err.code() == grpc.StatusCode.RESOURCE_EXHAUSTED:
        return ProblemError(413, err.details(), errors=problem.errors)
    return problem


def _time(message, name: str):
    return getattr(message, name).ToDatetime(tzinfo=UTC) if message.HasField(name) else None


def _verification(v: document_pb2.SignatureVerification) -> schemas.SignatureVerification:
    def status(value: int) -> schemas.SignatureStatus:
        return schemas.SignatureStatus(document_pb2.SignatureStatus.Name(value).removeprefix("SIGNATURE_STATUS_").lower())

    return schemas.SignatureVerification(
        document_id=v.document_id, version_number=v.version_number, sha256=v.sha256,
        status=status(v.status), status_label=v.status_label, verified_at=_time(v, "verified_at"),
        signatures=[
            schemas.Signature(
                field_name=s.field_name, signer_name=s.signer_name,
                signer_organization=s.signer_organization, signer_subject=s.signer_subject,
                issuer=s.issuer, serial_number=s.serial_number,
                signing_time=_time(s, "signing_time"),
                certificate_not_before=_time(s, "certificate_not_before"),
                certificate_not_after=_time(s, "certificate_not_after"), intact=s.intact,
                modified_after_signing=s.modified_after_signing, trusted=s.trusted,
                certificate_valid_at_signing=s.certificate_valid_at_signing,
                status=status(s.status), message=s.message,
            )
            for s in v.signatures
        ],
    )


def _version(doc_id: str, v: document_pb2.DocumentVersion) -> schemas.DocumentVersion:
    return schemas.DocumentVersion(
        number=v.number, file_name=v.file_name, content_type=v.content_type,
        size_bytes=v.size_bytes, sha256=v.sha256, uploaded_by=v.uploaded_by,
        uploaded_at=_time(v, "uploaded_at"),
        retain_until=date.fromisoformat(v.retain_until) if v.retain_until else None,
        signature=_verification(v.verification) if v.HasField("verification") else None,
        content_url=f"/api/v1/documents/{doc_id}/content?version={v.number}",
    )


def to_schema(d: document_pb2.Document) -> schemas.Document:
    versions = [_version(d.id, v) for v in d.versions]
    return schemas.Document(
        id=d.id, kind=schemas.DocumentKind(document_pb2.DocumentKind.Name(d.kind).removeprefix("DOCUMENT_KIND_").lower()),
        title=d.title,
        owner=schemas.Owner(type=d.owner.type, id=d.owner.id, org_unit_code=d.owner.org_unit_code),
        province_code=d.province_code, created_by=d.created_by,
        created_at=_time(d, "created_at"), version=d.version, current=versions[-1], versions=versions,
    )


async def _upload(request: Request, principal, metadata: document_pb2.UploadMetadata, file: UploadFile) -> document_pb2.Document:
    async def parts() -> AsyncIterator[document_pb2.UploadDocumentRequest]:
        yield document_pb2.UploadDocumentRequest(metadata=metadata)
        while chunk := await file.read(CHUNK_BYTES):
            yield document_pb2.UploadDocumentRequest(chunk=chunk)

    try:
        return await _stub(request).UploadDocument(parts(), **_options(request, principal, STREAM_TIMEOUT_SECONDS))
    except grpc.aio.AioRpcError as err:
        raise _problem(err) from None


def _created(response: Response, doc: schemas.Document) -> schemas.Document:
    response.headers["ETag"] = f'"{doc.version}"'
    response.headers["Location"] = f"/api/v1/documents/{doc.id}"
    return doc


@router.post("", response_model=schemas.Document, status_code=201,
             summary="Tải văn bản lên (tạo văn bản, phiên bản 1)")
async def upload_document(
    request: Request,
    response: Response,
    principal: DocumentWriter,
    file: Annotated[UploadFile, File(description="PDF, Word (.docx), Excel (.xlsx), PNG hoặc JPEG")],
    owner_type: _form_text(60, min_length=1, description="Loại bản ghi sở hữu (vd. assignment_decision)"),
    owner_org_unit_code: _form_text(40, min_length=1, description="Mã đơn vị sở hữu văn bản"),
    owner_id: _form_text(64) = "",
    kind: Annotated[schemas.DocumentKind, Form()] = schemas.DocumentKind.other,
    title: _form_text(500) = "",
    idempotency_key: IdempotencyKey = None,
) -> schemas.Document:
    metadata = document_pb2.UploadMetadata(
        kind=KIND_TO_PB[kind], title=title,
        owner=document_pb2.Owner(type=owner_type, id=owner_id, org_unit_code=owner_org_unit_code),
        file_name=file.filename or "", declared_content_type=file.content_type or "",
        idempotency_key=idempotency_key or "",
    )
    return _created(response, to_schema(await _upload(request, principal, metadata, file)))


@router.post("/{document_id}/versions", response_model=schemas.Document, status_code=201,
             summary="Tải lên phiên bản mới (các phiên bản cũ được giữ nguyên)")
async def upload_version(
    document_id: DocumentId,
    request: Request,
    response: Response,
    principal: DocumentWriter,
    file: Annotated[UploadFile, File()],
    if_match: Annotated[str | None, Header(max_length=100)] = None,
    idempotency_key: IdempotencyKey = None,
) -> schemas.Document:
    expected = 0
    if if_match:
        value = if_match.strip().removeprefix("W/").strip('"')
        if not value.isascii() or not value.isdigit() or int(value) > limits.INT64[1]:
            raise ProblemError(412, "If-Match không khớp định dạng phiên bản")
        expected = int(value)
    metadata = document_pb2.UploadMetadata(
        document_id=document_id, file_name=file.filename or "",
        declared_content_type=file.content_type or "", expected_version=expected,
        idempotency_key=idempotency_key or "",
    )
    return _created(response, to_schema(await _upload(request, principal, metadata, file)))


@router.get("", response_model=schemas.DocumentPage, summary="Danh sách văn bản trong phạm vi được xem")
async def list_documents(
    request: Request,
    principal: DocumentReader,
    owner_type: limits.query_text(60) = "",
    owner_id: limits.query_text(64) = "",
    owner_org_unit_code: limits.query_text(40) = "",
    kind: schemas.DocumentKind | None = None,
    page_size: Annotated[int, Query(ge=1, le=500)] = 100,
    page_token: Annotated[str, Query(max_length=200, pattern=limits.PAGE_TOKEN_PATTERN)] = "",
) -> schemas.DocumentPage:
    r = await _stub(request).ListDocuments(
        document_pb2.ListDocumentsRequest(
            owner_type=owner_type, owner_id=owner_id, owner_org_unit_code=owner_org_unit_code,
            kind=KIND_TO_PB[kind] if kind else 0, page_size=page_size, page_token=page_token,
        ),
        **_options(request, principal),
    )
    return schemas.DocumentPage(items=[to_schema(d) for d in r.documents], next_page_token=r.next_page_token, total=r.total_size)


@router.get("/{document_id}", response_model=schemas.Document, summary="Một văn bản và các phiên bản")
async def get_document(document_id: DocumentId, request: Request, response: Response, principal: DocumentReader) -> schemas.Document:
    d = await _stub(request).GetDocument(document_pb2.GetDocumentRequest(id=document_id), **_options(request, principal))
    response.headers["ETag"] = f'"{d.version}"'
    return to_schema(d)


def content_disposition(file_name: str) -> str:
    """``attachment`` with an ASCII fallback and the UTF-8 name (RFC 6266, RFC 5987)."""

    fallback = unicodedata.normalize("NFKD", file_name.replace("đ", "d").replace("Đ", "D"))
    fallback = "".join(c for c in fallback if c.isascii() and c.isprintable() and c not in '"\\')
    return f"attachment; filename=\"{fallback or 'tep-tin'}\"; filename*=UTF-8''{quote(file_name, safe='')}"


@router.get(
    "/{document_id}/content",
    summary="Tải xuống nội dung một phiên bản",
    response_class=StreamingResponse,
    responses={
        200: {"content": {t: {"schema": {"type": "string", "format": "binary"}} for t in STORED_TYPES},
              "description": "Nội dung tệp, với kiểu đã nhận diện khi tải lên"},
        304: {"description": "Không đổi (If-None-Match)"},
    },
)
async def download_document(
    document_id: DocumentId,
    request: Request,
    principal: DocumentReader,
    version: Version = 0,
    if_none_match: Annotated[str | None, Header(max_length=1000)] = None,
) -> Response:
    call = _stub(request).DownloadDocument(
        document_pb2.DownloadDocumentRequest(id=document_id, version_number=version),
        **_options(request, principal, STREAM_TIMEOUT_SECONDS),
    )
    first = await call.read()  # errors (not found, no access) surface here, before any header
    if first is grpc.aio.EOF or first.WhichOneof("part") != "header":
        raise ProblemError(502, "Dịch vụ văn bản trả về dữ liệu không hợp lệ")
    v = first.header.version
    etag = f'"{v.sha256}"'
    headers = {
        "ETag": etag,
        "Content-Disposition": content_disposition(v.file_name),
        "Content-Length": str(v.size_bytes),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-cache",
    }
    if if_none_match and etag in [t.strip() for t in if_none_match.split(",")]:
        call.cancel()
        return Response(status_code=304, headers={"ETag": etag})

    async def body() -> AsyncIterator[bytes]:
        async for message in call:
            yield message.chunk

    return StreamingResponse(body(), media_type=v.content_type, headers=headers)


@router.post("/{document_id}/verification", response_model=schemas.SignatureVerification,
             summary="Kiểm tra lại chữ ký số (vd. sau khi đổi danh sách tổ chức chứng thực tin cậy)")
async def verify_signature(
    document_id: DocumentId,
    request: Request,
    principal: DocumentWriter,
    version: Version = 0,
) -> schemas.SignatureVerification:
    v = await _stub(request).VerifySignature(
        document_pb2.VerifySignatureRequest(document_id=document_id, version_number=version),
        **_options(request, principal, STREAM_TIMEOUT_SECONDS),
    )
    return _verification(v)
