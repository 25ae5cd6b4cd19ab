"""Access policy (`policy`: pure, roles × resources × actions and scopes) and its SQL form
(`sql`: scope predicates for SQLAlchemy queries). The package root re-exports only the pure
part, so domain and service-layer code can import it without SQLAlchemy."""

from ktxh_platform.access.policy import (
    GRANTS,
    HOME_UNIT_KINDS,
    PROVINCE_ROLES,
    UNIT_ROLES,
    Action,
    Resource,
    Scope,
    authorize,
    may,
)

__all__ = [
    "GRANTS",
    "HOME_UNIT_KINDS",
    "PROVINCE_ROLES",
    "UNIT_ROLES",
    "Action",
    "Resource",
    "Scope",
    "authorize",
    "may",
]
