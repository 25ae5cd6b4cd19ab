"""The document service's gRPC API as another service calls it: the real runtime (SQLite,
local folder), client-streamed uploads, streamed downloads, statuses with field violations."""

from __future__ import annotations

from collections.abc import AsyncIterator

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from ktxh.document.v1 import document_pb2, document_pb2_grpc
from ktxh_document.bootstrap import definition
from ktxh_platform.runtime import ServiceRuntime
from ktxh_platform.settings import settings_for
from ktxh_testing.pdf_signing import plain_pdf, sign_pdf
from ktxh_testing.servers import free_port

# gRPC metadata relaying a real access token of the province's planning officer.
PLANNER: list[tuple[str, str]] = []
LIMIT = 256 * 1024


@pytest.fixture(autouse=True)
def _tokens(token_issuer) -> None:
    PLANNER[:] = token_issuer.metadata("ke_hoach")


@pytest.fixture
async def stub(tmp_path, monkeypatch, test_ca, token_issuer) -> AsyncIterator[document_pb2_grpc.DocumentServiceStub]:
    roots = tmp_path / "roots.pem"
    roots.write_bytes(test_ca.pem())
    monkeypatch.setenv("KTXH_DOCUMENT_TRUST_ROOTS", str(roots))
    monkeypatch.setenv("KTXH_DOCUMENT_MAX_UPLOAD_BYTES", str(LIMIT))
    port = free_port()
    runtime = ServiceRuntime(definition(), settings_for("document", grpc_port=port, data_dir=tmp_path,
                                                         oidc_issuer=token_issuer.issuer))
    await runtime.start()
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
            yield document_pb2_grpc.DocumentServiceStub(channel)
    finally:
        await runtime.stop()


def parts(data: bytes, chunk: int = 64 * 1024, **meta) -> list[document_pb2.UploadDocumentRequest]:
    metadata = document_pb2.UploadMetadata(
        kind=document_pb2.DOCUMENT_KIND_DECISION, file_name="Quyết định.pdf",
        owner=document_pb2.Owner(type="assignment_decision", id="qd-1", org_unit_code="31"), **meta,
    )
    return [document_pb2.UploadDocumentRequest(metadata=metadata)] + [
        document_pb2.UploadDocumentRequest(chunk=data[i:i + chunk]) for i in range(0, len(data), chunk)
    ]


def violations(err: grpc.aio.AioRpcError) -> dict[str, str]:
    status = rpc_status.from_call(err)
    out = {}
    for detail in status.details:
        bad = error_details_pb2.BadRequest()
        if detail.Unpack(bad):
            out.update({v.field: v.description for v in bad.field_violations})
    return out


async def test_upload_download_and_require_a_valid_signature(stub, test_ca):
    md = PLANNER
    signed = sign_pdf(plain_pdf("Quyet dinh"), test_ca.issue("Nguyễn Văn An"))
    doc = await stub.UploadDocument(iter(parts(signed, chunk=1000)), metadata=md)
    assert doc.versions[0].verification.status == document_pb2.SIGNATURE_STATUS_VALID
    ok = await stub.RequireValidSignature(document_pb2.RequireValidSignatureRequest(document_id=doc.id), metadata=md)
    assert ok.status_label == "Chữ ký số hợp lệ" and ok.version_number == 1

    call = stub.DownloadDocument(document_pb2.DownloadDocumentRequest(id=doc.id), metadata=md)
    messages = [m async for m in call]
    assert messages[0].header.version.file_name == "Quyết định.pdf"
    assert b"".join(m.chunk for m in messages[1:]) == signed

    unsigned = await stub.UploadDocument(iter(parts(plain_pdf())), metadata=md)
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.RequireValidSignature(document_pb2.RequireValidSignatureRequest(document_id=unsigned.id), metadata=md)
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "chưa có chữ ký số hợp lệ (Chưa ký số)" in violations(err.value)["document_id"]


async def test_an_oversized_stream_is_resource_exhausted(stub):
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.UploadDocument(iter(parts(b"%PDF-1.7\n" + b"0" * LIMIT)), metadata=PLANNER)
    assert err.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert violations(err.value) == {"file": "Tệp quá lớn: tối đa 0.25 MB"}
    listed = await stub.ListDocuments(document_pb2.ListDocumentsRequest(), metadata=PLANNER)
    assert listed.total_size == 0


async def test_streams_without_a_caller_or_metadata_are_refused(stub):
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.UploadDocument(iter(parts(plain_pdf())))
    assert err.value.code() == grpc.StatusCode.UNAUTHENTICATED
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.UploadDocument(iter([document_pb2.UploadDocumentRequest(chunk=b"%PDF-")]),
                                  metadata=PLANNER)
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "metadata" in violations(err.value)
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await stub.DownloadDocument(document_pb2.DownloadDocumentRequest(id="nope"),
                                    metadata=PLANNER).read()
    assert err.value.code() == grpc.StatusCode.NOT_FOUND
