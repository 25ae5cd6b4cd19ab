"""Who may do what in the oversight service: the platform access policy
(`ktxh_platform.access`, resources `COMMENT` and `OVERSIGHT_REPORT`), applied in every use case.
docs/oversight.md, docs/security.md.

- Front members (`comment:write`, `oversight_report:write`) write for their own committee (the
  token's unit) only, about what was opened to it (checked against the assignment service with
  their own token), and read only their committee's comments and reports;
- the unit concerned answers: a working role (consolidating office, unit leader, province
  roles) whose `comment:read` scope holds the addressed unit — its leader and consolidating
  office answer for the unit and its offices;
- the People's Committee of the same level (and every unit addressed) reads filed reports;
  drafts stay with the Front.
"""

from __future__ import annotations

from ktxh_platform.access import Action, Resource, Scope, authorize
from ktxh_platform.auth.principal import (
    CONSOLIDATOR,
    FRONT_MEMBER,
    LEADERSHIP,
    PLANNING_OFFICER,
    PROVINCE_ADMIN,
    UNIT_LEADER,
    AuthorizationError,
    Principal,
)

RESPONDING_ROLES = frozenset({CONSOLIDATOR, UNIT_LEADER, PROVINCE_ADMIN, PLANNING_OFFICER, LEADERSHIP})


def read_scope(principal: Principal, resource: Resource) -> Scope:
    return authorize(principal, resource, Action.READ)


def is_front_only(principal: Principal) -> bool:
    return principal.has_role(FRONT_MEMBER) and not (principal.roles & RESPONDING_ROLES)


def require_front_writer(principal: Principal, resource: Resource) -> str:
    """The committee code the Front member writes for (its token's unit)."""
    try:
        authorize(principal, resource, Action.WRITE)
    except AuthorizationError as err:
        if err.message == "Vai trò của bạn không được thay đổi mục này.":
            raise AuthorizationError(
                err.required, "Chỉ thành viên Ủy ban MTTQ mới được góp ý kiến, lập báo cáo giám sát."
            ) from None
        raise
    assert principal.org_unit  # authorize refuses a unit role without one
    return principal.org_unit


def require_responder(principal: Principal) -> Scope:
    scope = authorize(principal, Resource.COMMENT, Action.READ)
    if not (principal.roles & RESPONDING_ROLES):
        raise AuthorizationError(
            sorted(RESPONDING_ROLES),
            "Chỉ lãnh đạo hoặc văn phòng tổng hợp của đơn vị được góp ý mới trả lời.",
        )
    return scope


def not_addressee() -> AuthorizationError:
    return AuthorizationError(
        sorted(RESPONDING_ROLES), "Ý kiến, kiến nghị này không gửi đơn vị của bạn; bạn không trả lời được."
    )


def not_opened(what: str) -> AuthorizationError:
    return AuthorizationError(
        (FRONT_MEMBER,), f"{what} chưa được giao cho Ủy ban MTTQ của bạn giám sát."
    )
