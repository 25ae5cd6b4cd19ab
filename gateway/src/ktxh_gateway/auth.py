"""Bearer-token authentication and role requirements, declared once as ``Annotated`` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ktxh_platform.auth.principal import (
    PROVINCE_ADMIN,
    SYSTEM_ADMIN,
    AuthenticationError,
    Principal,
    require_roles,
)
from ktxh_platform.auth.validator import TokenValidator

_bearer = HTTPBearer(auto_error=False, description="Keycloak access token (JWT)")


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None:
        raise AuthenticationError("missing")
    validator: TokenValidator = request.app.state.validator
    principal = await validator.validate(credentials.credentials)
    request.state.principal = principal
    return principal


def requires(*roles: str):  # noqa: ANN201 - returns a FastAPI dependency
    async def _check(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        return require_roles(principal, *roles)

    return _check


CurrentUser = Annotated[Principal, Depends(current_principal)]
UnitAdmin = Annotated[Principal, Depends(requires(PROVINCE_ADMIN, SYSTEM_ADMIN))]
