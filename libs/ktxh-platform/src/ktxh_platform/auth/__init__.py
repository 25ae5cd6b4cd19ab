"""Authentication and authorization.

- `principal`: `Principal`, role names, gRPC metadata (standard library only; import it from
  domain and service code).
- `validator`: `TokenValidator` (bearer JWT against Keycloak's JWKS, via python-keycloak).
- `dev_issuer`: the built-in development OIDC issuer (FastAPI router), `demo_users` its users.

This package root re-exports only the standard-library part, so importing
`ktxh_platform.auth` never pulls in jwcrypto, python-keycloak or FastAPI.
"""

from ktxh_platform.auth.principal import (
    ALL_ROLES,
    CONSOLIDATOR,
    DATA_ENTRY,
    FRONT_MEMBER,
    INTEGRATION,
    LEADERSHIP,
    PLANNING_OFFICER,
    PROVINCE_ADMIN,
    SYSTEM_ADMIN,
    UNIT_LEADER,
    AuthenticationError,
    AuthorizationError,
    Principal,
    require_roles,
)

__all__ = [
    "ALL_ROLES",
    "CONSOLIDATOR",
    "DATA_ENTRY",
    "FRONT_MEMBER",
    "INTEGRATION",
    "LEADERSHIP",
    "PLANNING_OFFICER",
    "PROVINCE_ADMIN",
    "SYSTEM_ADMIN",
    "UNIT_LEADER",
    "AuthenticationError",
    "AuthorizationError",
    "Principal",
    "require_roles",
]
