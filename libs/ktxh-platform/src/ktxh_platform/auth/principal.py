"""Who is calling: the principal, realm roles, and how it travels in gRPC metadata.

Imports only the standard library and `ktxh_platform.domain` (whose errors the auth errors
extend, so they map to UNAUTHENTICATED / PERMISSION_DENIED and 401 / 403 like any domain
error); domain and service-layer code may use it.

Token relay (docs/security.md): the gateway forwards the caller's access token in the
`authorization` gRPC metadata; every service validates it again (signature, issuer, audience,
expiry) and builds the principal from the token's claims. No other metadata grants anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from types import MappingProxyType

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

# gRPC metadata key carrying the caller's access token (`Bearer <jwt>`), as HTTP does.
MD_AUTHORIZATION = "authorization"


@dataclass(frozen=True, slots=True)
class Principal:
    subject: str
    username: str
    display_name: str
    roles: frozenset[str] = field(default_factory=frozenset)
    org_unit: str | None = None
    province: str | None = None
    # The validated access token this principal was built from (relayed to services as is).
    token: str = field(default="", repr=False, compare=False)

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
        """gRPC metadata relaying this principal's access token to a service (token relay).

        The service validates the token itself; nothing else in the metadata is trusted.
        """
        return [(MD_AUTHORIZATION, f"Bearer {self.token}")] if self.token else []


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
            "other_province": "Mã truy cập thuộc tỉnh/thành phố khác.",
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
