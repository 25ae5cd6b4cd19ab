"""Queries live here. Every document read and write goes through this class; listings are
filtered by the caller's visible units in SQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from ktxh_document.adapters.tables import document_versions, documents, org_units
from ktxh_document.domain.documents import (
    Document,
    DocumentKind,
    DocumentVersion,
    Owner,
    StoredObject,
)
from ktxh_document.domain.signatures import SignatureCheck, Verification
from ktxh_platform.access import Scope
from ktxh_platform.access.sql import scope_filter
from ktxh_platform.domain import Aggregate, PreconditionFailed
from ktxh_platform.domain.paging import decode_token, encode_token
from ktxh_platform.org_units import OrgUnitQueries


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _time(value: str | None) -> datetime | None:
    return _utc(datetime.fromisoformat(value)) if value else None


def verification_to_json(v: Verification) -> dict[str, Any]:
    return {
        "sha256": v.sha256, "verified_at": v.verified_at.isoformat(), "error": v.error,
        "signatures": [
            {
                "field_name": s.field_name, "signer_name": s.signer_name,
                "signer_organization": s.signer_organization, "signer_subject": s.signer_subject,
                "issuer": s.issuer, "serial_number": s.serial_number,
                "signing_time": _iso(s.signing_time),
                "certificate_not_before": _iso(s.certificate_not_before),
                "certificate_not_after": _iso(s.certificate_not_after),
                "intact": s.intact, "modified_after_signing": s.modified_after_signing,
                "trusted": s.trusted, "certificate_valid_at_signing": s.certificate_valid_at_signing,
            }
            for s in v.signatures
        ],
    }


def verification_from_json(data: dict[str, Any]) -> Verification:
    return Verification(
        sha256=data["sha256"], verified_at=_time(data["verified_at"]) or datetime.now(UTC),
        error=data.get("error", ""),
        signatures=[
            SignatureCheck(
                field_name=s["field_name"], signer_name=s["signer_name"],
                signer_organization=s["signer_organization"], signer_subject=s["signer_subject"],
                issuer=s["issuer"], serial_number=s["serial_number"],
                signing_time=_time(s["signing_time"]),
                certificate_not_before=_time(s["certificate_not_before"]),
                certificate_not_after=_time(s["certificate_not_after"]),
                intact=s["intact"], modified_after_signing=s["modified_after_signing"],
                trusted=s["trusted"], certificate_valid_at_signing=s["certificate_valid_at_signing"],
            )
            for s in data["signatures"]
        ],
    )


def _doc_row(d: Document) -> dict[str, Any]:
    return {
        "id": d.id, "province_code": d.province_code, "kind": d.kind.value, "title": d.title,
        "owner_type": d.owner.type, "owner_id": d.owner.id,
        "owner_org_unit_code": d.owner.org_unit_code, "created_by": d.created_by,
        "created_at": d.created_at, "version": d.version,
    }


def _version_row(document_id: str, v: DocumentVersion) -> dict[str, Any]:
    return {
        "document_id": document_id, "number": v.number, "file_name": v.file_name,
        "content_type": v.content_type, "size_bytes": v.size_bytes, "sha256": v.sha256,
        "object_key": v.stored.key, "object_version_id": v.stored.version_id,
        "uploaded_by": v.uploaded_by, "uploaded_at": v.uploaded_at, "retain_until": v.retain_until,
        "signature_status": v.verification.status.value if v.verification else None,
        "verification": verification_to_json(v.verification) if v.verification else None,
    }


def _version_from_row(r: Any) -> DocumentVersion:
    return DocumentVersion(
        number=r.number, file_name=r.file_name, content_type=r.content_type,
        size_bytes=r.size_bytes, sha256=r.sha256,
        stored=StoredObject(r.object_key, r.object_version_id), uploaded_by=r.uploaded_by,
        uploaded_at=_utc(r.uploaded_at), retain_until=r.retain_until,  # type: ignore[arg-type]
        verification=verification_from_json(r.verification) if r.verification else None,
    )


def _doc_from_row(r: Any, versions: list[DocumentVersion]) -> Document:
    return Document(
        id=r.id, kind=DocumentKind(r.kind), title=r.title,
        owner=Owner(r.owner_type, r.owner_id, r.owner_org_unit_code),
        province_code=r.province_code, created_by=r.created_by,
        created_at=_utc(r.created_at), versions=versions, version=r.version,  # type: ignore[arg-type]
    )


def _in_scope(scope: Scope) -> sa.ColumnElement[bool]:
    """The access policy's scope over documents, in SQL (docs/security.md): same province;
    for a unit scope, the owner unit (stored by code) is one of the units the scope reaches in
    the replica of the org-unit tree. The Front's scope (`opened_only`) reaches only its own
    committee's documents: no document is opened to the Front yet."""
    if scope.opened_only:
        return sa.and_(
            documents.c.province_code == scope.province,
            documents.c.owner_org_unit_code == scope.unit_code,
        )
    u = org_units.c
    owner_unit_id = (
        sa.select(u.id)
        .where(u.code == documents.c.owner_org_unit_code, u.province_code == documents.c.province_code)
        .limit(1)
        .scalar_subquery()
    )
    return scope_filter(
        scope, province=documents.c.province_code, unit_id=owner_unit_id, units=org_units
    )


class DocumentRepository:
    def __init__(self, session: AsyncSession, seen: list[Aggregate], actor: str = "") -> None:
        self.session = session
        self.seen = seen
        self.actor = actor

    def _track(self, doc: Document) -> Document:
        self.seen.append(doc)
        return doc

    async def _versions(self, ids: list[str]) -> dict[str, list[DocumentVersion]]:
        out: dict[str, list[DocumentVersion]] = {i: [] for i in ids}
        if not ids:
            return out
        v = document_versions.c
        rows = (
            await self.session.execute(
                sa.select(document_versions).where(v.document_id.in_(ids))
                .order_by(v.document_id, v.number)
            )
        ).all()
        for r in rows:
            out[r.document_id].append(_version_from_row(r))
        return out

    async def get(self, document_id: str, scope: Scope) -> Document | None:
        row = (
            await self.session.execute(
                sa.select(documents).where(documents.c.id == document_id, _in_scope(scope))
            )
        ).first()
        if row is None:
            return None
        versions = await self._versions([row.id])
        return self._track(_doc_from_row(row, versions[row.id]))

    async def unit_in_scope(self, unit_code: str, scope: Scope) -> bool:
        if scope.province_wide:
            return True  # every unit of the province (the owner code is checked by the domain)
        if scope.opened_only:
            return unit_code == scope.unit_code  # the Front files its own committee's documents
        return bool(await OrgUnitQueries(self.session, org_units).codes_in_scope(scope, [unit_code]))

    async def list(
        self,
        scope: Scope,
        *,
        owner_type: str = "",
        owner_id: str = "",
        owner_org_unit_code: str = "",
        kind: DocumentKind | None = None,
        page_size: int = 100,
        page_token: str = "",
    ) -> tuple[list[Document], str, int]:
        t = documents.c
        where = [_in_scope(scope)]
        if owner_type:
            where.append(t.owner_type == owner_type)
        if owner_id:
            where.append(t.owner_id == owner_id)
        if owner_org_unit_code:
            where.append(t.owner_org_unit_code == owner_org_unit_code)
        if kind:
            where.append(t.kind == kind.value)
        total = await self.session.scalar(sa.select(sa.func.count()).select_from(documents).where(*where))
        offset = decode_token(page_token)
        rows = (
            await self.session.execute(
                sa.select(documents).where(*where).order_by(t.created_at.desc(), t.id)
                .offset(offset).limit(page_size)
            )
        ).all()
        versions = await self._versions([r.id for r in rows])
        next_offset = offset + len(rows)
        token = encode_token(next_offset) if next_offset < (total or 0) else ""
        return [_doc_from_row(r, versions[r.id]) for r in rows], token, int(total or 0)

    async def add(self, doc: Document) -> None:
        await self.session.execute(sa.insert(documents).values(**_doc_row(doc)))
        for v in doc.versions:
            await self.session.execute(sa.insert(document_versions).values(**_version_row(doc.id, v)))
        self._track(doc)

    async def _bump(self, doc: Document, before_version: int) -> None:
        result = await self.session.execute(
            sa.update(documents)
            .where(documents.c.id == doc.id, documents.c.version == before_version)
            .values(version=doc.version, title=doc.title)
        )
        if result.rowcount != 1:
            raise PreconditionFailed("Văn bản vừa được người khác thay đổi; vui lòng thử lại")

    async def add_version(self, doc: Document, version: DocumentVersion, before_version: int) -> None:
        await self._bump(doc, before_version)
        await self.session.execute(sa.insert(document_versions).values(**_version_row(doc.id, version)))

    async def save_verification(
        self, doc: Document, version: DocumentVersion, before_version: int
    ) -> None:
        await self._bump(doc, before_version)
        v = version.verification
        assert v is not None
        c = document_versions.c
        await self.session.execute(
            sa.update(document_versions)
            .where(c.document_id == doc.id, c.number == version.number)
            .values(signature_status=v.status.value, verification=verification_to_json(v))
        )
