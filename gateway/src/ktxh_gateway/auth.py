"""Bearer-token authentication and the access policy's role checks, declared once as
``Annotated`` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ktxh_platform.access import Action, Resource, authorize
from ktxh_platform.auth.principal import AuthenticationError, Principal
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


def allowed(resource: Resource, action: Action):  # noqa: ANN201 - a FastAPI dependency
    """The access policy's role check, early (403 before calling a service); the service
    applies the same policy again, with the scope, on its side."""

    async def _check(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        authorize(principal, resource, action)
        return principal

    return _check


CurrentUser = Annotated[Principal, Depends(current_principal)]
UnitAdmin = Annotated[Principal, Depends(allowed(Resource.ORG_UNIT, Action.WRITE))]
