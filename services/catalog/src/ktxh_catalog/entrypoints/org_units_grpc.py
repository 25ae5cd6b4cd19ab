"""gRPC entrypoint of the org units: translate requests into commands, call the service layer,
translate back. Domain errors become gRPC statuses in the platform interceptor."""

from __future__ import annotations

from collections.abc import Callable

import grpc

from ktxh.catalog.v1 import catalog_pb2
from ktxh_catalog.adapters.org_unit_wire import kind_from_pb, node_to_pb, org_unit_to_pb
from ktxh_catalog.service_layer import org_units as svc
from ktxh_catalog.service_layer.unit_of_work import CatalogUnitOfWork
from ktxh_platform.domain import InvalidArgument
from ktxh_platform.rpc import principal_from


class OrgUnitRpcs:
    """The org-unit rpcs of ``CatalogServicer`` (entrypoints/servicer.py)."""

    _uow: Callable[..., CatalogUnitOfWork]

    async def CreateOrgUnit(self, request, context: grpc.aio.ServicerContext):  # noqa: N802
        principal = principal_from(context)
        unit = await svc.create_org_unit(
            svc.CreateOrgUnit(
                code=request.code, name=request.name, kind=kind_from_pb(request.kind),
                parent_id=request.parent_id or None,
                valid_from=svc.parse_day(request.valid_from, "valid_from"),
                short_name=request.short_name, idempotency_key=request.idempotency_key,
            ),
            self._uow(principal.username),
            principal,
        )
        return org_unit_to_pb(unit)

    async def GetOrgUnit(self, request, context):  # noqa: N802
        unit = await svc.get_org_unit(
            request.id, svc.parse_day(request.as_of, "as_of"), self._uow(), principal_from(context)
        )
        return org_unit_to_pb(unit)

    async def UpdateOrgUnit(self, request, context):  # noqa: N802
        principal = principal_from(context)
        unit = await svc.rename_org_unit(
            svc.RenameOrgUnit(
                id=request.id, expected_version=request.expected_version,
                name=request.name if request.HasField("name") else None,
                short_name=request.short_name if request.HasField("short_name") else None,
            ),
            self._uow(principal.username),
            principal,
        )
        return org_unit_to_pb(unit)

    async def MoveOrgUnit(self, request, context):  # noqa: N802
        principal = principal_from(context)
        unit = await svc.move_org_unit(
            svc.MoveOrgUnit(request.id, request.expected_version, request.new_parent_id),
            self._uow(principal.username),
            principal,
        )
        return org_unit_to_pb(unit)

    async def MergeOrgUnits(self, request, context):  # noqa: N802
        principal = principal_from(context)
        effective = svc.parse_day(request.effective_from, "effective_from")
        if effective is None:
            raise InvalidArgument.single("effective_from", "Cần ngày sáp nhập có hiệu lực")
        sources, successor = await svc.merge_org_units(
            svc.MergeOrgUnits(
                list(request.source_ids), request.successor_id, effective, request.legal_basis
            ),
            self._uow(principal.username),
            principal,
        )
        return catalog_pb2.MergeOrgUnitsResponse(
            sources=[org_unit_to_pb(u) for u in sources], successor=org_unit_to_pb(successor)
        )

    async def ListOrgUnits(self, request, context):  # noqa: N802
        units, token, total = await svc.list_org_units(
            self._uow(), principal=principal_from(context), parent_id=request.parent_id, kind=kind_from_pb(request.kind),
            query=request.query, as_of=svc.parse_day(request.as_of, "as_of"),
            page_size=request.page_size, page_token=request.page_token,
        )
        return catalog_pb2.ListOrgUnitsResponse(
            units=[org_unit_to_pb(u) for u in units], next_page_token=token, total_size=total
        )

    async def GetOrgUnitTree(self, request, context):  # noqa: N802
        roots = await svc.org_unit_tree(
            self._uow(), principal=principal_from(context), root_id=request.root_id, as_of=svc.parse_day(request.as_of, "as_of"),
            max_depth=request.max_depth,
        )
        return catalog_pb2.GetOrgUnitTreeResponse(roots=[node_to_pb(n) for n in roots])

