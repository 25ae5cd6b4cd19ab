"""Composition root of the document service: which object store, which verifier, which rules."""

from __future__ import annotations

from pathlib import Path

from ktxh.document.v1 import document_pb2
from ktxh_document.adapters import tables
from ktxh_document.adapters.blobs import LocalBlobStore, S3BlobStore
from ktxh_document.adapters.demo_signing import DemoCA
from ktxh_document.adapters import org_unit_replica
from ktxh_document.adapters.events import translate_event
from ktxh_document.adapters.pdf_signatures import PyHankoVerifier, load_trust_roots
from ktxh_document.adapters.unit_of_work import SqlDocumentUnitOfWork
from ktxh_document.domain.documents import DocumentKind
from ktxh_document.entrypoints.grpc_api import DocumentComponents, register
from ktxh_document.service_layer.documents import DocumentRules
from ktxh_document.settings import DocumentSettings
from ktxh_platform.runtime import ConsumerSpec, ServiceContext, ServiceDefinition


def build_components(ctx: ServiceContext, doc: DocumentSettings) -> DocumentComponents:
    settings = ctx.settings
    if settings.object_store == "s3":
        from minio import Minio

        assert settings.s3_endpoint
        host = settings.s3_endpoint.removeprefix("http://").removeprefix("https://")
        client = Minio(
            host, access_key=settings.s3_access_key, secret_key=settings.s3_secret_key,
            secure=settings.s3_secure,
        )
        blobs: LocalBlobStore | S3BlobStore = S3BlobStore(client, settings.s3_bucket, doc.retention_mode)
    else:
        blobs = LocalBlobStore(settings.data_dir / "objects" / settings.service_name)
    try:
        legal = frozenset(DocumentKind(k.strip()) for k in doc.legal_kinds.split(",") if k.strip())
    except ValueError as err:
        raise ValueError(f"KTXH_DOCUMENT_LEGAL_KINDS: {err}") from None
    trust_pem = doc.trust_roots_pem
    if settings.demo_data and settings.object_store == "local":
        # the embedded default (make run) also trusts its demo CA: `ktxh-document demo-sign`
        trust_pem = "\n".join(filter(None, [trust_pem, DemoCA(settings.data_dir).root_pem()]))

    def uow(actor: str = "") -> SqlDocumentUnitOfWork:
        return SqlDocumentUnitOfWork(ctx.db, ctx.messaging, actor)

    return DocumentComponents(
        uow=uow,
        blobs=blobs,
        verifier=PyHankoVerifier(load_trust_roots(doc.trust_roots, trust_pem)),
        rules=DocumentRules(
            max_upload_bytes=doc.max_upload_bytes, legal_kinds=legal,
            retention_days=doc.retention_days,  # uploads spool to TMPDIR (the chart's /tmp volume)
        ),
    )


def definition() -> ServiceDefinition:
    components: list[DocumentComponents] = []

    def _register(server, ctx: ServiceContext) -> None:
        components.append(build_components(ctx, DocumentSettings()))
        register(server, components[0])

    async def _on_start(ctx: ServiceContext) -> None:
        blobs = components[0].blobs
        if isinstance(blobs, S3BlobStore):
            await blobs.ensure_bucket()

    return ServiceDefinition(
        name="document",
        metadata=tables.metadata,
        outbox=tables.outbox,
        inbox=tables.inbox,
        migrations=Path(__file__).parent / "migrations",
        grpc_services=[document_pb2.DESCRIPTOR.services_by_name["DocumentService"].full_name],
        register=_register,
        translate=translate_event,
        aggregates=["document"],
        consumers=[
            ConsumerSpec(
                group=org_unit_replica.GROUP, sources=[("catalog", "org_unit")],
                build=lambda ctx: org_unit_replica.HANDLERS,
            )
        ],
        on_start=_on_start,
    )
