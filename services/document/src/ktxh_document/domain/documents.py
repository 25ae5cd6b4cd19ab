"""Documents (văn bản, tệp đính kèm): what a file is for, whom it belongs to, every version.

Pure domain: no framework imports. A document belongs to an owner (a record of another
service and that record's org unit); access follows the owner's unit. A new upload for the
same document adds a version; nothing is ever overwritten.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum

from ktxh_document.domain.signatures import Verification
from ktxh_platform.domain import (
    Aggregate,
    DomainEvent,
    FieldViolation,
    InvalidArgument,
    NotFound,
    PreconditionFailed,
)


class DocumentKind(StrEnum):
    DECISION = "decision"
    SUBMISSION = "submission"
    EVIDENCE = "evidence"
    OVERSIGHT = "oversight"
    EXPORT = "export"
    OTHER = "other"


KIND_LABELS = {
    DocumentKind.DECISION: "Quyết định",
    DocumentKind.SUBMISSION: "Báo cáo",
    DocumentKind.EVIDENCE: "Minh chứng",
    DocumentKind.OVERSIGHT: "Giám sát",
    DocumentKind.EXPORT: "Tệp kết xuất",
    DocumentKind.OTHER: "Khác",
}

MAX_TITLE = 500
MAX_FILE_NAME = 255
_OWNER_TYPE_RE = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")


@dataclass(frozen=True)
class Owner:
    """The record a document belongs to: its type, id and org unit."""

    type: str
    id: str
    org_unit_code: str

    def violations(self) -> list[FieldViolation]:
        out = []
        if not _OWNER_TYPE_RE.match(self.type):
            out.append(FieldViolation(
                "owner.type", "Loại bản ghi sở hữu gồm chữ thường, số, gạch dưới (vd. assignment_decision)"
            ))
        if len(self.id) > 64:
            out.append(FieldViolation("owner.id", "Mã bản ghi sở hữu dài quá 64 ký tự"))
        if not _CODE_RE.match(self.org_unit_code):
            out.append(FieldViolation("owner.org_unit_code", "Cần mã đơn vị sở hữu hợp lệ"))
        return out


@dataclass(frozen=True)
class StoredObject:
    """Where a version's bytes are in the object store."""

    key: str
    version_id: str = ""


@dataclass
class DocumentVersion:
    number: int
    file_name: str
    content_type: str
    size_bytes: int
    sha256: str
    stored: StoredObject
    uploaded_by: str
    uploaded_at: datetime
    retain_until: date | None = None
    verification: Verification | None = None


@dataclass(frozen=True)
class DocumentStored(DomainEvent):
    document: Document
    version_number: int


@dataclass(frozen=True)
class DocumentVerified(DomainEvent):
    document: Document
    version_number: int


def clean_file_name(name: str) -> str:
    """The base name only (no folders), without control characters; never empty."""

    base = re.split(r"[\\/]", name.strip())[-1]
    base = "".join(c for c in base if c.isprintable()).strip()
    return base[:MAX_FILE_NAME] or "tep-tin"


@dataclass
class Document(Aggregate):
    id: str
    kind: DocumentKind
    title: str
    owner: Owner
    province_code: str
    created_by: str
    created_at: datetime
    versions: list[DocumentVersion] = field(default_factory=list)

    @classmethod
    def create(
        cls, *, kind: str, title: str, owner: Owner, province_code: str, created_by: str,
        document_id: str | None = None,
    ) -> Document:
        violations = owner.violations()
        try:
            doc_kind = DocumentKind(kind or DocumentKind.OTHER)
        except ValueError:
            violations.append(FieldViolation("kind", f"Loại văn bản không hợp lệ: {kind!r}"))
            doc_kind = DocumentKind.OTHER
        if len(title) > MAX_TITLE:
            violations.append(FieldViolation("title", f"Tiêu đề dài quá {MAX_TITLE} ký tự"))
        if violations:
            raise InvalidArgument(violations)
        return cls(
            id=document_id or str(uuid.uuid4()), kind=doc_kind, title=title.strip(), owner=owner,
            province_code=province_code, created_by=created_by, created_at=datetime.now(UTC),
        )

    @property
    def current(self) -> DocumentVersion:
        return self.versions[-1]

    def version_no(self, number: int) -> DocumentVersion:
        """Version ``number`` (0 = current)."""

        if number == 0 and self.versions:
            return self.current
        for v in self.versions:
            if v.number == number:
                return v
        raise NotFound(f"Văn bản không có phiên bản {number}")

    def next_number(self) -> int:
        return len(self.versions) + 1

    def add_version(self, version: DocumentVersion, expected_version: int = 0) -> None:
        if expected_version and expected_version != self.version:
            raise PreconditionFailed("Văn bản đã có phiên bản mới hơn; vui lòng tải lại")
        if version.number != self.next_number():
            raise PreconditionFailed("Văn bản vừa được người khác thêm phiên bản; vui lòng thử lại")
        self.versions.append(version)
        self.version += 1
        if not self.title:
            self.title = version.file_name
        self.record(DocumentStored(self, version.number))
        if version.verification is not None:
            self.record(DocumentVerified(self, version.number))

    def record_verification(self, number: int, verification: Verification) -> DocumentVersion:
        version = self.version_no(number)
        version.verification = verification
        self.version += 1
        self.record(DocumentVerified(self, version.number))
        return version
