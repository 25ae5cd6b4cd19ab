"""Who may do what with documents: the ONE place of this service's role and scope checks.

Until the platform access policy (unit scopes with descendants) lands, a caller's scope is:
province-wide roles see the whole province; everyone else sees documents owned by their own
org unit. Point these functions at the platform policy when it exists; nothing else in the
service decides access.
"""

from __future__ import annotations

from ktxh_platform.auth.principal import (
    INTEGRATION,
    LEADERSHIP,
    PLANNING_OFFICER,
    PROVINCE_ADMIN,
    SYSTEM_ADMIN,
    Principal,
)
from ktxh_platform.domain import NotFound, PermissionDenied

PROVINCE_WIDE = (PROVINCE_ADMIN, SYSTEM_ADMIN, PLANNING_OFFICER, LEADERSHIP, INTEGRATION)
READ_ONLY = (LEADERSHIP,)


def visible_units(principal: Principal, province_code: str) -> frozenset[str] | None:
    """Org-unit codes whose documents the caller sees; ``None`` = every unit of the province."""

    if principal.province is not None and principal.province != province_code:
        return frozenset()
    if principal.has_any_role(*PROVINCE_WIDE):
        return None
    return frozenset({principal.org_unit}) if principal.org_unit else frozenset()


def may_see(principal: Principal, province_code: str, owner_unit_code: str) -> bool:
    units = visible_units(principal, province_code)
    return units is None or owner_unit_code in units


def require_read(principal: Principal, province_code: str, owner_unit_code: str, what: str) -> None:
    """Outside the caller's scope a document does not exist for them (404, not 403)."""

    if not may_see(principal, province_code, owner_unit_code):
        raise NotFound(f"Không tìm thấy văn bản {what}")


def require_upload(principal: Principal, province_code: str, owner_unit_code: str) -> None:
    if principal.has_any_role(*READ_ONLY) and not principal.has_any_role(
        *(r for r in PROVINCE_WIDE if r not in READ_ONLY)
    ):
        raise PermissionDenied("Vai trò của bạn chỉ được xem, không được tải văn bản lên")
    if not may_see(principal, province_code, owner_unit_code):
        raise PermissionDenied(
            f"Bạn không được tải văn bản lên cho đơn vị {owner_unit_code} (ngoài phạm vi đơn vị của bạn)"
        )

