"""Who may do what with documents: the platform access policy (`ktxh_platform.access`,
resource `DOCUMENT`), applied in every use case. Nothing else in the service decides access.

- no grant for the action → `AuthorizationError` (403 / PERMISSION_DENIED);
- a document outside the caller's `Scope` does not exist for them (404 / NOT_FOUND); the
  repository applies the scope in SQL against the service's replica of the org-unit tree
  (`adapters/org_unit_replica.py`), so listings never load what the caller may not see;
- an upload for an owner unit outside the scope is refused with 403 naming the unit (the
  caller chose the unit; no document's existence is revealed).
"""

from __future__ import annotations

from ktxh_platform.access import Action, Resource, Scope, authorize
from ktxh_platform.auth.principal import AuthorizationError, Principal


def read_scope(principal: Principal) -> Scope:
    return authorize(principal, Resource.DOCUMENT, Action.READ)


def write_scope(principal: Principal) -> Scope:
    try:
        return authorize(principal, Resource.DOCUMENT, Action.WRITE)
    except AuthorizationError as err:
        if err.message == "Vai trò của bạn không được thay đổi mục này.":
            raise AuthorizationError(
                err.required, "Vai trò của bạn chỉ được xem, không được tải văn bản lên."
            ) from None
        raise


def outside_scope(owner_unit_code: str) -> AuthorizationError:
    return AuthorizationError(
        (), f"Bạn không được tải văn bản lên cho đơn vị {owner_unit_code} "
        "(ngoài phạm vi đơn vị của bạn)."
    )
