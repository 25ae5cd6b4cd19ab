"""gRPC entrypoint: translate requests into commands, call the service layer, translate back.

Domain errors of unary methods become gRPC statuses in the platform interceptor; the two
streaming methods map them here with the same function (``status_for``), FileTooLarge
becoming RESOURCE_EXHAUSTED.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import grpc
import structlog
from grpc_status import rpc_status

from ktxh.document.v1 import document_pb2, document_pb2_grpc
from ktxh_document.adapters.wire import (
    document_to_pb,
    kind_from_pb,
    verification_to_pb,
    version_to_pb,
)
from ktxh_document.domain.content import FileTooLarge
from ktxh_document.domain.documents import Owner
from ktxh_document.service_layer import documents as svc
from ktxh_document.service_layer.ports import BlobStore, SignatureVerifier
from ktxh_document.service_layer.unit_of_work import DocumentUnitOfWork
from ktxh_platform.domain import DomainError, InvalidArgument
from ktxh_platform.rpc import principal_from, status_for

log = structlog.get_logger(__name__)


@dataclass
class DocumentComponents:
    """The adapters the composition root chose for this service."""

    blobs: BlobStore
    verifier: SignatureVerifier
    rules: svc.DocumentRules
    uow: Callable[[str], DocumentUnitOfWork]  # one unit of work per use case, for an actor


async def _abort(context: grpc.aio.ServicerContext, err: DomainError) -> None:
    status = status_for(err)
    if isinstance(err, FileTooLarge):
        status.code = grpc.StatusCode.RESOURCE_EXHAUSTED.value[0]
    await context.abort_with_status(rpc_status.to_status(status))


async def _guarded(context: grpc.aio.ServicerContext, call: Callable[[], Awaitable[Any]]) -> Any:
    try:
        return await call()
    except DomainError as err:
        await _abort(context, err)
    except grpc.aio.AbortError:
        raise
    except Exception:
        log.exception("rpc_failed", method="document")
        await context.abort(grpc.StatusCode.INTERNAL, "Lỗi hệ thống, vui lòng thử lại sau")


class DocumentServicer(document_pb2_grpc.DocumentServiceServicer):
    def __init__(self, components: DocumentComponents) -> None:
        self.c = components

    def _uow(self, actor: str = "") -> DocumentUnitOfWork:
        return self.c.uow(actor)

    async def UploadDocument(self, request_iterator, context):
        stream = request_iterator.__aiter__()

        async def run() -> document_pb2.Document:
            principal = principal_from(context)
            first = await anext(stream, None)
            if first is None or first.WhichOneof("part") != "metadata":
                raise InvalidArgument.single("metadata", "Tin nhắn đầu tiên phải là thông tin tệp (metadata)")
            m = first.metadata

            async def chunks() -> AsyncIterator[bytes]:
                async for part in stream:
                    if part.WhichOneof("part") != "chunk":
                        raise InvalidArgument.single("chunk", "Sau thông tin tệp chỉ được gửi nội dung tệp")
                    yield part.chunk

            cmd = svc.UploadDocument(
                file_name=m.file_name, document_id=m.document_id, kind=kind_from_pb(m.kind),
                title=m.title,
                owner=Owner(m.owner.type, m.owner.id, m.owner.org_unit_code) if m.HasField("owner") else None,
                declared_content_type=m.declared_content_type, expected_version=m.expected_version,
                idempotency_key=m.idempotency_key,
            )
            received = await svc.receive(chunks(), self.c.rules)
            try:
                doc = await svc.upload_document(
                    cmd, received, self._uow(principal.username), self.c.blobs, self.c.verifier,
                    self.c.rules, principal,
                )
            finally:
                received.close()
            return document_to_pb(doc)

        return await _guarded(context, run)

    async def DownloadDocument(self, request, context):
        try:
            principal = principal_from(context)
            doc, version, content = await svc.open_download(
                request.id, request.version_number, self._uow(), self.c.blobs, principal
            )
            header = document_pb2.DownloadHeader(
                document=document_to_pb(doc), version=version_to_pb(doc.id, version)
            )
            yield document_pb2.DownloadDocumentResponse(header=header)
            async for chunk in content:
                yield document_pb2.DownloadDocumentResponse(chunk=chunk)
        except DomainError as err:
            await _abort(context, err)
        except grpc.aio.AbortError:
            raise
        except Exception:
            log.exception("rpc_failed", method="DownloadDocument")
            await context.abort(grpc.StatusCode.INTERNAL, "Lỗi hệ thống, vui lòng thử lại sau")

    async def GetDocument(self, request, context):
        principal = principal_from(context)
        return document_to_pb(await svc.get_document(request.id, self._uow(), principal))

    async def ListDocuments(self, request, context):
        principal = principal_from(context)
        docs, token, total = await svc.list_documents(
            self._uow(), principal, owner_type=request.owner_type, owner_id=request.owner_id,
            owner_org_unit_code=request.owner_org_unit_code, kind=kind_from_pb(request.kind),
            page_size=request.page_size, page_token=request.page_token,
        )
        return document_pb2.ListDocumentsResponse(
            documents=[document_to_pb(d) for d in docs], next_page_token=token, total_size=total
        )

    async def VerifySignature(self, request, context):
        principal = principal_from(context)
        doc, version = await svc.verify_signature(
            request.document_id, request.version_number, self._uow(principal.username),
            self.c.blobs, self.c.verifier, self.c.rules, principal,
        )
        assert version.verification is not None
        return verification_to_pb(doc.id, version.number, version.verification)

    async def RequireValidSignature(self, request, context):
        principal = principal_from(context)
        doc, verification = await svc.require_valid_signature(
            request.document_id, request.version_number, self._uow(), principal
        )
        number = doc.version_no(request.version_number).number
        return verification_to_pb(doc.id, number, verification)


def register(server: grpc.aio.Server, components: DocumentComponents) -> None:
    document_pb2_grpc.add_DocumentServiceServicer_to_server(DocumentServicer(components), server)
