"""Who may do what with reports: the platform access policy (`ktxh_platform.access`, resource
`SUBMISSION`) plus which role acts at which step of the chain. Nothing else in the service
decides access.

- reading: `submission:read`; a report whose unit is outside the caller's scope does not
  exist for them (404), applied in SQL against the service's replica of the unit tree;
- entering figures and delivering a section: `submission:write`; a data-entry officer's scope
  is their own office (`Scope.home` false), so they write only their office's indicators; the
  consolidating office (`consolidator`) writes every section of its unit;
- consolidating and returning a figure to its office: the consolidating office;
- writing the whole report's explanatory note (thuyết minh chung): the consolidating office
  or the unit leader, while the report is editable;
- approving: the unit leader (chủ tịch); sending: the unit leader or the consolidating office,
  only once approved;
- accepting, returning to the unit, reopening an accepted report: the upper level, a province
  role holding `submission:approve` (province-wide scope).
The Front reads only reports opened to it; none is opened yet, so it sees none.
"""

from __future__ import annotations

from ktxh_platform.access import Action, Resource, Scope, authorize
from ktxh_platform.auth.principal import (
    CONSOLIDATOR,
    UNIT_LEADER,
    AuthorizationError,
    Principal,
)


def read_scope(principal: Principal) -> Scope:
    return authorize(principal, Resource.SUBMISSION, Action.READ)


def write_scope(principal: Principal) -> Scope:
    try:
        return authorize(principal, Resource.SUBMISSION, Action.WRITE)
    except AuthorizationError as err:
        raise AuthorizationError(
            err.required, "Vai trò của bạn không được nhập số liệu báo cáo."
        ) from None


def acts_for_whole_unit(principal: Principal) -> bool:
    """The consolidating office writes every section of its unit."""
    return principal.has_role(CONSOLIDATOR)


def unit_step_scope(principal: Principal, roles: tuple[str, ...], what: str) -> Scope:
    """A step inside the unit (consolidate, approve, send): `submission:approve` at unit level
    and one of `roles`."""
    scope = authorize(principal, Resource.SUBMISSION, Action.APPROVE)
    if scope.province_wide or not principal.has_any_role(*roles):
        raise AuthorizationError(list(roles), f"Chỉ {what} mới được làm bước này.")
    return scope


def consolidator_scope(principal: Principal) -> Scope:
    return unit_step_scope(principal, (CONSOLIDATOR,), "Văn phòng HĐND và UBND (tổng hợp)")


def leader_scope(principal: Principal) -> Scope:
    return unit_step_scope(principal, (UNIT_LEADER,), "lãnh đạo đơn vị")


def sender_scope(principal: Principal) -> Scope:
    return unit_step_scope(
        principal, (UNIT_LEADER, CONSOLIDATOR), "lãnh đạo đơn vị hoặc Văn phòng HĐND và UBND"
    )


def note_writer_scope(principal: Principal) -> Scope:
    """The whole report's explanatory note: the consolidating office or the unit leader."""
    return unit_step_scope(
        principal, (UNIT_LEADER, CONSOLIDATOR), "lãnh đạo đơn vị hoặc Văn phòng HĐND và UBND"
    )


def upper_level_scope(principal: Principal) -> Scope:
    """Accept, return, reopen: the upper level (a province role with `submission:approve`)."""
    scope = authorize(principal, Resource.SUBMISSION, Action.APPROVE)
    if not scope.province_wide:
        raise AuthorizationError(
            ["province_admin", "planning_officer"],
            "Chỉ cấp trên (thành phố) mới được tiếp nhận, trả lại hoặc mở lại báo cáo.",
        )
    return scope
