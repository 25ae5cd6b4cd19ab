"""Use cases of the upward connectors: configure them (province-wide, REPORT write), read the
delivery log, resend a transmission. The delivery itself is `connector_delivery`."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from ktxh_platform.access import Action, Resource, Scope, authorize
from ktxh_platform.auth.principal import Principal
from ktxh_platform.domain import NotFound

from ktxh_reporting.domain.connector import Connector, ConnectorKind, DeliveryStatus, Transmission

__all__ = ["ConnectorsUnitOfWork", "create_connector", "get_connector", "list_connectors",
           "list_transmissions", "resend_transmission", "update_connector"]


class ConnectorsUnitOfWork(Protocol):
    def connectors(self, province: str): ...

    def transmissions(self, province: str): ...

    async def __aenter__(self) -> ConnectorsUnitOfWork: ...

    async def __aexit__(self, *exc: object) -> None: ...

    async def commit(self) -> None: ...


def _province_wide(principal: Principal, action: Action) -> Scope:
    """Connectors speak for the whole province: a unit-level user does not see them."""
    scope = authorize(principal, Resource.REPORT, action)
    if scope.unit_code is not None:
        raise NotFound("Không tìm thấy kết nối")
    return scope


async def create_connector(c: Connector, uow: ConnectorsUnitOfWork, principal: Principal,
                           now: datetime) -> Connector:
    scope = _province_wide(principal, Action.WRITE)
    async with uow:
        await uow.connectors(scope.province).add(c, principal.username, now)
        await uow.commit()
    return c


async def update_connector(c: Connector, expected_version: int, uow: ConnectorsUnitOfWork,
                           principal: Principal, now: datetime) -> Connector:
    scope = _province_wide(principal, Action.WRITE)
    async with uow:
        updated = await uow.connectors(scope.province).update(c, expected_version,
                                                              principal.username, now)
        await uow.commit()
    return updated


async def get_connector(connector_id: str, uow: ConnectorsUnitOfWork,
                        principal: Principal) -> Connector:
    scope = _province_wide(principal, Action.READ)
    async with uow:
        return await uow.connectors(scope.province).get(connector_id)


async def list_connectors(uow: ConnectorsUnitOfWork, principal: Principal,
                          kind: ConnectorKind | None, limit: int,
                          offset: int) -> tuple[list[Connector], int]:
    scope = authorize(principal, Resource.REPORT, Action.READ)
    if scope.unit_code is not None:  # a unit-level user sees no connector
        return [], 0
    async with uow:
        return await uow.connectors(scope.province).list(kind, limit=limit, offset=offset)


async def list_transmissions(uow: ConnectorsUnitOfWork, principal: Principal, connector_id: str,
                             status: DeliveryStatus | None, limit: int,
                             offset: int) -> tuple[list[Transmission], int]:
    scope = authorize(principal, Resource.REPORT, Action.READ)
    if scope.unit_code is not None:  # a unit-level user sees no delivery log
        return [], 0
    async with uow:
        return await uow.transmissions(scope.province).list(connector_id, status, limit, offset)


async def resend_transmission(transmission_id: str, uow: ConnectorsUnitOfWork,
                              principal: Principal, now: datetime) -> Transmission:
    scope = _province_wide(principal, Action.WRITE)
    async with uow:
        log = uow.transmissions(scope.province)
        t = await log.get(transmission_id)
        t.resend(now)
        await log.save(t)
        await uow.commit()
    return t
