"""REST shapes of documents (``/api/v1/documents``)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class DocumentKind(StrEnum):
    decision = "decision"
    submission = "submission"
    evidence = "evidence"
    oversight = "oversight"
    export = "export"
    other = "other"


class SignatureStatus(StrEnum):
    unsigned = "unsigned"
    valid = "valid"
    modified = "modified"
    invalid = "invalid"
    untrusted = "untrusted"
    certificate_invalid = "certificate_invalid"


class Owner(BaseModel):
    """The record a document belongs to; access follows its org unit."""

    type: str = Field(description="Loại bản ghi sở hữu, vd. assignment_decision")
    id: str = Field(description="Mã bản ghi sở hữu (có thể trống khi bản ghi còn là bản nháp)")
    org_unit_code: str = Field(description="Mã đơn vị sở hữu bản ghi")


class Signature(BaseModel):
    """One digital signature found in the PDF."""

    field_name: str
    signer_name: str = Field(description="Người ký (CN)")
    signer_organization: str = Field(description="Tổ chức của người ký (O)")
    signer_subject: str
    issuer: str = Field(description="Tổ chức chứng thực cấp chứng thư")
    serial_number: str
    signing_time: datetime | None
    certificate_not_before: datetime | None
    certificate_not_after: datetime | None
    intact: bool = Field(description="Chữ ký toàn vẹn (khớp nội dung đã ký)")
    modified_after_signing: bool = Field(description="Văn bản bị thay đổi sau khi ký")
    trusted: bool = Field(description="Chứng thư thuộc tổ chức chứng thực được tin cậy")
    certificate_valid_at_signing: bool = Field(description="Chứng thư còn hiệu lực khi ký")
    status: SignatureStatus
    message: str = Field(description="Giải thích kết quả (tiếng Việt)")


class SignatureVerification(BaseModel):
    """Result of verifying a version's signatures; never `valid` when changed after signing."""

    document_id: str
    version_number: int
    sha256: str
    status: SignatureStatus
    status_label: str = Field(description="Nhãn trạng thái hiển thị cho người dùng")
    signatures: list[Signature]
    verified_at: datetime | None


class DocumentVersion(BaseModel):
    number: int
    file_name: str
    content_type: str = Field(description="Kiểu nội dung nhận biết từ chính tệp")
    size_bytes: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime | None
    retain_until: date | None = Field(description="Khóa lưu giữ đến ngày (văn bản pháp lý)")
    signature: SignatureVerification | None = Field(description="Kết quả kiểm tra chữ ký số (chỉ PDF)")
    content_url: str


class Document(BaseModel):
    """A stored document and every version of it."""

    id: str
    kind: DocumentKind
    title: str
    owner: Owner
    province_code: str
    created_by: str
    created_at: datetime | None
    version: int = Field(description="Phiên bản bản ghi (ETag)")
    current: DocumentVersion
    versions: list[DocumentVersion]


class DocumentPage(BaseModel):
    items: list[Document]
    next_page_token: str
    total: int
