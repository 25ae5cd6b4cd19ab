"""Who may do what with assignment decisions: the platform access policy
(`ktxh_platform.access`, resource `ASSIGNMENT`), applied in every use case. docs/security.md.

- reading: the scope of `assignment:read`: published assignments of the units in it (assignee
  or issuer); the Front reads only those naming its committee in `front_unit_ids`;
- drafts, creating, changing, issuing, revoking: `assignment:write` over the ISSUER unit (the
  managing roles of the province; a commune's leader for the commune and its offices);
- acknowledging: only the assignee's own users (the token's unit or the unit it belongs to),
  with a working role (not the Front, not an integration account).
"""

from __future__ import annotations

from ktxh_assignment.service_layer.unit_of_work import Visibility
from ktxh_platform.access import Action, Resource, Scope, authorize, may
from ktxh_platform.auth.principal import (
    CONSOLIDATOR,
    DATA_ENTRY,
    LEADERSHIP,
    PLANNING_OFFICER,
    PROVINCE_ADMIN,
    UNIT_LEADER,
    AuthorizationError,
    Principal,
)

ACKNOWLEDGING_ROLES = frozenset({DATA_ENTRY, CONSOLIDATOR, UNIT_LEADER, PROVINCE_ADMIN, PLANNING_OFFICER, LEADERSHIP})


def visibility(principal: Principal) -> Visibility:
    read = authorize(principal, Resource.ASSIGNMENT, Action.READ)
    write = (
        authorize(principal, Resource.ASSIGNMENT, Action.WRITE)
        if may(principal, Resource.ASSIGNMENT, Action.WRITE) else None
    )
    return Visibility(read, write)


def write_scope(principal: Principal) -> Scope:
    try:
        return authorize(principal, Resource.ASSIGNMENT, Action.WRITE)
    except AuthorizationError as err:
        if err.message == "Vai trò của bạn không được thay đổi mục này.":
            raise AuthorizationError(
                err.required, "Chỉ lãnh đạo hoặc chuyên viên kế hoạch của đơn vị giao mới được "
                "lập, ban hành hoặc thu hồi quyết định giao."
            ) from None
        raise


def require_acknowledger(principal: Principal) -> None:
    authorize(principal, Resource.ASSIGNMENT, Action.READ)
    if not (principal.roles & ACKNOWLEDGING_ROLES) or not principal.org_unit:
        raise AuthorizationError(
            sorted(ACKNOWLEDGING_ROLES), "Chỉ cán bộ của đơn vị được giao mới xác nhận đã nhận."
        )


def not_own_unit() -> AuthorizationError:
    return AuthorizationError(
        sorted(ACKNOWLEDGING_ROLES), "Chỉ cán bộ của đơn vị được giao mới xác nhận đã nhận."
    )


def issuer_outside_scope() -> AuthorizationError:
    return AuthorizationError(
        (), "Bạn chỉ được lập quyết định giao của đơn vị mình (đơn vị ban hành ngoài phạm vi)."
    )
