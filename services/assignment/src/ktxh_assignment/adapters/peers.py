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
from ktxh_platform.rpc import MAX_MESSAGE_BYTES

TIMEOUT = 30.0


def channel(addr: str) -> grpc.aio.Channel:
    return grpc.aio.insecure_channel(
        addr if "://" in addr or addr.startswith("dns:") else f"dns:///{addr}",
        options=[
            ("grpc.lb_policy_name", "round_robin"),
            ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
            ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
            ("grpc.max_metadata_size", 1024 * 1024),
        ],
    )


def _polarity(value: int) -> str:
    return catalog_pb2.Polarity.Name(value).removeprefix("POLARITY_").lower() if value else ""


class GrpcCatalog:
    def __init__(self, addr: str) -> None:
        self._addr = addr
        self._stub: catalog_pb2_grpc.CatalogServiceStub | None = None

    @property
    def stub(self) -> catalog_pb2_grpc.CatalogServiceStub:
        if self._stub is None:  # created lazily, inside the running event loop
            self._stub = catalog_pb2_grpc.CatalogServiceStub(channel(self._addr))
        return self._stub

    async def indicators(self, codes: Iterable[str], as_of: date, principal: Principal) -> dict[str, IndicatorInfo]:
        wanted = set(codes)
        out: dict[str, IndicatorInfo] = {}
        token = ""
        while True:  # every indicator in force, 500 per page: one or a few calls per request
            page = await self.stub.ListIndicators(
                catalog_pb2.ListIndicatorsRequest(as_of=as_of.isoformat(), page_size=500, page_token=token),
                metadata=principal.to_metadata(), timeout=TIMEOUT,
            )
            for ind in page.indicators:
                if ind.code in wanted:
                    out[ind.code] = IndicatorInfo(
                        code=ind.code, unit_of_measure=ind.unit_of_measure,
                        additive=ind.spatial_aggregation == catalog_pb2.SPATIAL_AGGREGATION_SUM,
                        polarity=_polarity(ind.polarity),
                        dimensions={
                            d.code: {m.code: m.unit_of_measure for m in d.members} for d in ind.dimensions
                        },
                    )
            token = page.next_page_token
            if not token or len(out) == len(wanted):
                return out

    async def missing(self, kind: AssignmentKind, ids: Iterable[str], principal: Principal) -> set[str]:
        rpc, request = {
            AssignmentKind.KEY_TASK: (self.stub.GetKeyTask, catalog_pb2.GetKeyTaskRequest),
            AssignmentKind.THEMATIC_PLAN: (self.stub.GetThematicPlan, catalog_pb2.GetThematicPlanRequest),
            AssignmentKind.CRITERIA_SET: (self.stub.GetCriteriaSet, catalog_pb2.GetCriteriaSetRequest),
        }[kind]
        out = set()
        for item_id in sorted(set(ids)):
            try:
                await rpc(request(id=item_id), metadata=principal.to_metadata(), timeout=TIMEOUT)
            except grpc.aio.AioRpcError as err:
                if err.code() in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.INVALID_ARGUMENT):
                    out.add(item_id)
                else:
                    raise
        return out


class GrpcDocuments:
    def __init__(self, addr: str) -> None:
        self._addr = addr
        self._stub: document_pb2_grpc.DocumentServiceStub | None = None

    @property
    def stub(self) -> document_pb2_grpc.DocumentServiceStub:
        if self._stub is None:
            self._stub = document_pb2_grpc.DocumentServiceStub(channel(self._addr))
        return self._stub

    async def require_valid_signature(self, document_id: str, principal: Principal) -> None:
        try:
            await self.stub.RequireValidSignature(
                document_pb2.RequireValidSignatureRequest(document_id=document_id),
                metadata=principal.to_metadata(), timeout=TIMEOUT,
            )
        except grpc.aio.AioRpcError as err:
            if err.code() == grpc.StatusCode.NOT_FOUND:
                raise InvalidArgument.single(
                    "document_id", f"Không tìm thấy văn bản {document_id} (hoặc bạn không được xem văn bản này)"
                ) from None
            if err.code() == grpc.StatusCode.INVALID_ARGUMENT:
                raise InvalidArgument.single(  # the document service says why, in Vietnamese
                    "document_id", f"Không ban hành được: {err.details()} (mã văn bản {document_id})",
                ) from None
            raise
