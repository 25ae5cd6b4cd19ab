"""Digital-signature verification results (PAdES) and the rule "a signed decision is valid".

The verification itself (pyHanko) is an adapter; this module holds the result, its
Vietnamese labels (declared once, here) and how a document's overall status is derived.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from ktxh_platform.domain import FieldViolation, InvalidArgument


class SignatureStatus(StrEnum):
    UNSIGNED = "unsigned"
    VALID = "valid"
    MODIFIED = "modified"
    INVALID = "invalid"
    UNTRUSTED = "untrusted"
    CERTIFICATE_INVALID = "certificate_invalid"


STATUS_LABELS = {
    SignatureStatus.UNSIGNED: "Chưa ký số",
    SignatureStatus.VALID: "Chữ ký số hợp lệ",
    SignatureStatus.MODIFIED: "Văn bản đã bị thay đổi sau khi ký",
    SignatureStatus.INVALID: "Chữ ký số không hợp lệ",
    SignatureStatus.UNTRUSTED: "Chứng thư số không được tin cậy",
    SignatureStatus.CERTIFICATE_INVALID: "Chứng thư số hết hiệu lực khi ký",
}

# Worst first: the overall status of a document is its worst signature's.
_SEVERITY = [
    SignatureStatus.MODIFIED,
    SignatureStatus.INVALID,
    SignatureStatus.CERTIFICATE_INVALID,
    SignatureStatus.UNTRUSTED,
    SignatureStatus.VALID,
]


@dataclass(frozen=True)
class SignatureCheck:
    """One signature found in a PDF and what was established about it."""

    field_name: str
    signer_name: str
    signer_organization: str
    signer_subject: str
    issuer: str
    serial_number: str
    signing_time: datetime | None
    certificate_not_before: datetime | None
    certificate_not_after: datetime | None
    # the signature itself is cryptographically sound and the signed bytes hash to its digest
    intact: bool
    # the file differs from what was signed (bytes altered, or content added afterwards)
    modified_after_signing: bool
    trusted: bool
    certificate_valid_at_signing: bool

    @property
    def status(self) -> SignatureStatus:
        if self.modified_after_signing:
            return SignatureStatus.MODIFIED
        if not self.intact:
            return SignatureStatus.INVALID
        if not self.certificate_valid_at_signing:
            return SignatureStatus.CERTIFICATE_INVALID
        if not self.trusted:
            return SignatureStatus.UNTRUSTED
        return SignatureStatus.VALID

    @property
    def message(self) -> str:
        who = self.signer_name or self.signer_subject or "không rõ người ký"
        match self.status:
            case SignatureStatus.VALID:
                return f"Chữ ký của {who} hợp lệ"
            case SignatureStatus.INVALID:
                return f"Chữ ký của {who} bị hỏng hoặc không đúng định dạng"
            case SignatureStatus.MODIFIED:
                return f"Văn bản đã bị thay đổi sau khi {who} ký"
            case SignatureStatus.UNTRUSTED:
                return (
                    f"Chứng thư số của {who} (do {_common_name(self.issuer) or 'không rõ'} cấp) "
                    "không thuộc tổ chức chứng thực được tin cậy"
                )
            case _:
                return f"Chứng thư số của {who} không còn hiệu lực tại thời điểm ký"


def _common_name(dn: str) -> str:
    """``CN`` of an RFC 4514 name (``CN=Fake CA,O=X,C=VN`` -> ``Fake CA``); else the whole name."""

    for part in dn.split(","):
        key, _, value = part.partition("=")
        if key.strip().upper() == "CN":
            return value.strip()
    return dn


@dataclass(frozen=True)
class Verification:
    """The result of verifying one stored version."""

    sha256: str
    verified_at: datetime
    signatures: list[SignatureCheck] = field(default_factory=list)
    # Set when the file could not be read as a signed PDF at all (status INVALID).
    error: str = ""

    @property
    def status(self) -> SignatureStatus:
        if self.error:
            return SignatureStatus.INVALID
        if not self.signatures:
            return SignatureStatus.UNSIGNED
        statuses = {s.status for s in self.signatures}
        return next(s for s in _SEVERITY if s in statuses)

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def valid(self) -> bool:
        return self.status is SignatureStatus.VALID

    def explain(self) -> str:
        """Why the document is not valid, in Vietnamese (empty when valid)."""

        if self.valid:
            return ""
        if self.error:
            return self.error
        if not self.signatures:
            return "Văn bản chưa được ký số"
        return "; ".join(s.message for s in self.signatures if s.status is not SignatureStatus.VALID)


def require_valid(verification: Verification | None, what: str = "Văn bản") -> Verification:
    """Refuse (on the field ``document_id``) unless the document carries a valid signature."""

    if verification is None:
        message = f"{what} không phải tệp PDF ký số; cần văn bản PDF có chữ ký số hợp lệ"
    elif verification.valid:
        return verification
    else:
        message = f"{what} chưa có chữ ký số hợp lệ ({verification.label}): {verification.explain()}"
    raise InvalidArgument([FieldViolation("document_id", message)], message)
