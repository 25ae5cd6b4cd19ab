"""Translation between the document domain and protobuf messages (gRPC and event payloads)."""

from __future__ import annotations

from datetime import datetime

from google.protobuf import timestamp_pb2

from ktxh.document.v1 import document_pb2
from ktxh_document.domain.documents import (
    Document,
    DocumentKind,
    DocumentVersion,
)
from ktxh_document.domain.signatures import (
    STATUS_LABELS,
    SignatureCheck,
    SignatureStatus,
    Verification,
)

KIND_TO_PB = {k: document_pb2.DocumentKind.Value(f"DOCUMENT_KIND_{k.name}") for k in DocumentKind}
PB_TO_KIND = {v: k for k, v in KIND_TO_PB.items()}
STATUS_TO_PB = {
    s: document_pb2.SignatureStatus.Value(f"SIGNATURE_STATUS_{s.name}") for s in SignatureStatus
}


def kind_from_pb(value: int) -> str:
    kind = PB_TO_KIND.get(value)  # type: ignore[call-overload]
    return kind.value if kind else ""


def _ts(value: datetime | None) -> timestamp_pb2.Timestamp | None:
    if value is None:
        return None
    ts = timestamp_pb2.Timestamp()
    ts.FromDatetime(value)
    return ts


def signature_to_pb(s: SignatureCheck) -> document_pb2.SignatureInfo:
    return document_pb2.SignatureInfo(
        field_name=s.field_name, signer_name=s.signer_name,
        signer_organization=s.signer_organization, signer_subject=s.signer_subject,
        issuer=s.issuer, serial_number=s.serial_number, signing_time=_ts(s.signing_time),
        certificate_not_before=_ts(s.certificate_not_before),
        certificate_not_after=_ts(s.certificate_not_after), intact=s.intact,
        modified_after_signing=s.modified_after_signing, trusted=s.trusted,
        certificate_valid_at_signing=s.certificate_valid_at_signing,
        status=STATUS_TO_PB[s.status], message=s.message,
    )


def verification_to_pb(
    document_id: str, number: int, v: Verification
) -> document_pb2.SignatureVerification:
    return document_pb2.SignatureVerification(
        document_id=document_id, version_number=number, sha256=v.sha256,
        status=STATUS_TO_PB[v.status], status_label=STATUS_LABELS[v.status],
        signatures=[signature_to_pb(s) for s in v.signatures], verified_at=_ts(v.verified_at),
    )


def version_to_pb(document_id: str, v: DocumentVersion) -> document_pb2.DocumentVersion:
    return document_pb2.DocumentVersion(
        number=v.number, file_name=v.file_name, content_type=v.content_type,
        size_bytes=v.size_bytes, sha256=v.sha256, uploaded_by=v.uploaded_by,
        uploaded_at=_ts(v.uploaded_at),
        retain_until=v.retain_until.isoformat() if v.retain_until else "",
        verification=(
            verification_to_pb(document_id, v.number, v.verification) if v.verification else None
        ),
    )


def document_to_pb(d: Document) -> document_pb2.Document:
    return document_pb2.Document(
        id=d.id, kind=KIND_TO_PB[d.kind], title=d.title,
        owner=document_pb2.Owner(type=d.owner.type, id=d.owner.id, org_unit_code=d.owner.org_unit_code),
        province_code=d.province_code, created_by=d.created_by, created_at=_ts(d.created_at),
        versions=[version_to_pb(d.id, v) for v in d.versions], version=d.version,
    )
