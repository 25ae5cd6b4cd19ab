from __future__ import annotations

from datetime import date

import grpc

from ktxh.reporting.v1 import reporting_pb2, reporting_pb2_grpc
from ktxh_reporting.adapters.org_unit_projection import OrgUnitReadModel
from ktxh_platform.access import Action, Resource, authorize
from ktxh_platform.domain import NotFound
from ktxh_platform.rpc import principal_from
from ktxh_platform.runtime import ServiceContext

ORG_UNITS_GROUP = "reporting.org_units"


class ReportingServicer(reporting_pb2_grpc.ReportingServiceServicer):
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    async def GetOrgUnitStats(self, request, context):  # noqa: N802
        scope = authorize(principal_from(context), Resource.REPORT, Action.READ)
        province = request.province_code or scope.province
        if province != scope.province:  # another province's figures do not exist for this caller
            raise NotFound(f"Không tìm thấy tỉnh/thành phố {province}")
        async with self.ctx.db.sessions() as session:
            by_kind, applied = await OrgUnitReadModel(session).stats(province, ORG_UNITS_GROUP, date.today())
        return reporting_pb2.OrgUnitStats(
            province_code=province, unit_count=sum(by_kind.values()), events_applied=applied,
            count_by_kind=by_kind,
        )


def register(server: grpc.aio.Server, ctx: ServiceContext) -> None:
    reporting_pb2_grpc.add_ReportingServiceServicer_to_server(ReportingServicer(ctx), server)
