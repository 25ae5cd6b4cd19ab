"""Who is calling: the principal, realm roles, and how it travels in gRPC metadata.

Imports only the standard library and `ktxh_platform.domain` (whose errors the auth errors
extend, so they map to UNAUTHENTICATED / PERMISSION_DENIED and 401 / 403 like any domain
error); domain and service-layer code may use it.

The gateway validates the bearer token and forwards the principal to services in gRPC
metadata (docs/conventions.md, "Identity"). Services trust these headers only because the
network policy lets nothing but the gateway reach them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from types import MappingProxyType
from urllib.parse import quote, unquote

from ktxh_platform.domain.errors import PermissionDenied, Unauthenticated

# Realm roles (Keycloak `realm_access.roles`).
PROVINCE_ADMIN = "province_admin"
PLANNING_OFFICER = "planning_officer"
DATA_ENTRY = "data_entry"
CONSOLIDATOR = "consolidator"
UNIT_LEADER = "unit_leader"
FRONT_MEMBER = "front_member"
LEADERSHIP = "leadership"
SYSTEM_ADMIN = "system_admin"
INTEGRATION = "integration"

ALL_ROLES: frozenset[str] = frozenset(
    {
        PROVINCE_ADMIN,
        PLANNING_OFFICER,
        DATA_ENTRY,
        CONSOLIDATOR,
        UNIT_LEADER,
        FRONT_MEMBER,
        LEADERSHIP,
        SYSTEM_ADMIN,
        INTEGRATION,
    }
)

ROLE_LABELS_VI: dict[str, str] = {
    PROVINCE_ADMIN: "Quản trị cấp tỉnh",
    PLANNING_OFFICER: "Chuyên viên kế hoạch",
    DATA_ENTRY: "Nhập liệu",
    CONSOLIDATOR: "Tổng hợp",
    UNIT_LEADER: "Lãnh đạo đơn vị",
    FRONT_MEMBER: "Thành viên MTTQ",
    LEADERSHIP: "Lãnh đạo thành phố",
    SYSTEM_ADMIN: "Quản trị hệ thống",
    INTEGRATION: "Tích hợp hệ thống",
}

# gRPC metadata keys. Values are percent-encoded UTF-8 (RFC 3986 unreserved characters are
# left as they are, so plain codes and role names read as themselves).
MD_SUB = "x-principal-sub"
MD_USERNAME = "x-principal-username"
MD_NAME = "x-principal-name"
MD_ROLES = "x-principal-roles"
MD_ORG_UNIT = "x-principal-org-unit"
MD_PROVINCE = "x-principal-province"


@dataclass(frozen=True, slots=True)
class Principal:
    subject: str
    username: str
    display_name: str
    roles: frozenset[str] = field(default_factory=frozenset)
    org_unit: str | None = None
    province: str | None = None

    @classmethod
    def anonymous(cls) -> Principal:
        return cls(subject="", username="", display_name="")

    @property
    def authenticated(self) -> bool:
        return bool(self.subject)

    def has_role(self, role: str) -> bool:
        return role in self.roles

    def has_any_role(self, *roles: str) -> bool:
        return not self.roles.isdisjoint(roles)

    def to_metadata(self) -> list[tuple[str, str]]:
        md = [
            (MD_SUB, _enc(self.subject)),
            (MD_USERNAME, _enc(self.username)),
            (MD_NAME, _enc(self.display_name)),
            (MD_ROLES, ",".join(_enc(r) for r in sorted(self.roles))),
        ]
        if self.org_unit is not None:
            md.append((MD_ORG_UNIT, _enc(self.org_unit)))
        if self.province is not None:
            md.append((MD_PROVINCE, _enc(self.province)))
        return md

    @classmethod
    def from_metadata(cls, metadata: Iterable[tuple[str, str | bytes]] | None) -> Principal:
        """The principal carried in gRPC metadata; anonymous without `x-principal-sub`."""
        values: dict[str, str] = {}
        for key, value in metadata or ():
            key = key.lower()
            if key.startswith("x-principal-") and key not in values:
                text = value.decode("ascii", "replace") if isinstance(value, bytes) else value
                values[key] = text
        subject = unquote(values.get(MD_SUB, ""))
        if not subject:
            return cls.anonymous()
        username = unquote(values.get(MD_USERNAME, "")) or subject
        roles_raw = values.get(MD_ROLES, "")
        org_unit = values.get(MD_ORG_UNIT)
        province = values.get(MD_PROVINCE)
        return cls(
            subject=subject,
            username=username,
            display_name=unquote(values.get(MD_NAME, "")) or username,
            roles=frozenset(unquote(r) for r in roles_raw.split(",") if r),
            org_unit=unquote(org_unit) if org_unit is not None else None,
            province=unquote(province) if province is not None else None,
        )


class AuthenticationError(Unauthenticated):
    """The caller could not be authenticated (HTTP 401, gRPC UNAUTHENTICATED).

    `reason` is a stable code for logs and clients; `message` is Vietnamese, for users.
    """

    MESSAGES = MappingProxyType(
        {
            "missing": "Chưa đăng nhập: thiếu mã truy cập (access token).",
            "malformed": "Mã truy cập không hợp lệ.",
            "bad_signature": "Chữ ký của mã truy cập không hợp lệ.",
            "expired": "Mã truy cập đã hết hạn, vui lòng đăng nhập lại.",
            "not_yet_valid": "Mã truy cập chưa có hiệu lực.",
            "wrong_issuer": "Mã truy cập không do máy chủ đăng nhập được tin cậy cấp.",
            "wrong_audience": "Mã truy cập không dành cho hệ thống này.",
            "unknown_key": "Không tìm thấy khóa ký của mã truy cập.",
        }
    )

    def __init__(self, reason: str, message: str | None = None) -> None:
        super().__init__(message or self.MESSAGES.get(reason, "Xác thực không thành công."))
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.reason}: {self.message}"


class AuthorizationError(PermissionDenied):
    """The caller is known but lacks the role (HTTP 403, gRPC PERMISSION_DENIED)."""

    def __init__(self, required: Iterable[str], message: str | None = None) -> None:
        super().__init__(message or "Bạn không có quyền thực hiện thao tác này.")
        self.required = frozenset(required)

    def __str__(self) -> str:
        return f"requires one of {sorted(self.required)}: {self.message}"


def require_roles(principal: Principal | None, *roles: str) -> Principal:
    """Return the principal if it holds at least one of `roles`, else raise.

    No (or an anonymous) principal raises AuthenticationError("missing"); no matching role
    raises AuthorizationError. Object-level checks (which units) stay with the services.
    """
    if principal is None or not principal.authenticated:
        raise AuthenticationError("missing")
    if roles and not principal.has_any_role(*roles):
        raise AuthorizationError(roles)
    return principal


def _enc(value: str) -> str:
    return quote(value, safe="")
