"""Calls to the catalog and document services, with the caller's own access token (token
relay: the other service authorizes the caller itself). The assignment service never imports
their Python packages; only the contracts (``ktxh.catalog.v1``, ``ktxh.document.v1``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import grpc
from ktxh.catalog.v1 import catalog_pb2, catalog_pb2_grpc
from ktxh.document.v1 import document_pb2, document_pb2_grpc
from ktxh_assignment.domain.cascade import IndicatorInfo
from ktxh_assignment.domain.decisions import AssignmentKind
from ktxh_platform.auth.principal import Principal
from ktxh_platform.domain import InvalidArgument
from ktxh_platform.peers import MISSING, Peer


def _polarity(value: int) -> str:
    return catalog_pb2.Polarity.Name(value).removeprefix("POLARITY_").lower() if value else ""


class GrpcCatalog(Peer[catalog_pb2_grpc.CatalogServiceStub]):
    def __init__(self, addr: str) -> None:
        super().__init__(addr, catalog_pb2_grpc.CatalogServiceStub)

    async def indicators(self, codes: Iterable[str], as_of: date, principal: Principal) -> dict[str, IndicatorInfo]:
        wanted = set(codes)
        out: dict[str, IndicatorInfo] = {}
        if not wanted:
            return out
        # every indicator in force, 500 per page: one or a few calls per request
        async for ind in self.pages("ListIndicators", lambda token: catalog_pb2.ListIndicatorsRequest(
                as_of=as_of.isoformat(), page_size=500, page_token=token), principal, "indicators"):
            if ind.code in wanted:
                out[ind.code] = IndicatorInfo(
                    code=ind.code, unit_of_measure=ind.unit_of_measure,
                    additive=ind.spatial_aggregation == catalog_pb2.SPATIAL_AGGREGATION_SUM,
                    polarity=_polarity(ind.polarity),
                    dimensions={
                        d.code: {m.code: m.unit_of_measure for m in d.members} for d in ind.dimensions
                    },
                )
                if len(out) == len(wanted):
                    break
        return out

    async def missing(self, kind: AssignmentKind, ids: Iterable[str], principal: Principal) -> set[str]:
        rpc, request = {
            AssignmentKind.KEY_TASK: ("GetKeyTask", catalog_pb2.GetKeyTaskRequest),
            AssignmentKind.THEMATIC_PLAN: ("GetThematicPlan", catalog_pb2.GetThematicPlanRequest),
            AssignmentKind.CRITERIA_SET: ("GetCriteriaSet", catalog_pb2.GetCriteriaSetRequest),
        }[kind]
        return {item_id for item_id in sorted(set(ids))
                if await self.call(rpc, request(id=item_id), principal, absent=MISSING) is None}


class GrpcDocuments(Peer[document_pb2_grpc.DocumentServiceStub]):
    def __init__(self, addr: str) -> None:
        super().__init__(addr, document_pb2_grpc.DocumentServiceStub)

    async def require_valid_signature(self, document_id: str, principal: Principal) -> None:
        await self.call(
            "RequireValidSignature", document_pb2.RequireValidSignatureRequest(document_id=document_id),
            principal, refuse={
                grpc.StatusCode.NOT_FOUND: lambda _: InvalidArgument.single(
                    "document_id", f"Không tìm thấy văn bản {document_id} (hoặc bạn không được xem văn bản này)"),
                grpc.StatusCode.INVALID_ARGUMENT: lambda why: InvalidArgument.single(
                    # the document service says why, in Vietnamese
                    "document_id", f"Không ban hành được: {why} (mã văn bản {document_id})"),
            },
        )
