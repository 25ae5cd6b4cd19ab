"""REST reads of the reporting read model: each route fills one request of
`ktxh.reporting.v1.ReportingService` and calls it with the caller's token (token relay); the
service authorizes with the scope (404 outside it) and filters in SQL."""

from __future__ import annotations

from datetime import UTC
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from ktxh.common.v1 import figure_pb2, types_pb2
from ktxh.reporting.v1 import reporting_pb2 as pb
from ktxh.reporting.v1 import reporting_pb2_grpc
from ktxh_platform.access import Action, Resource
from ktxh_platform.auth.principal import Principal

from ktxh_gateway import limits
from ktxh_gateway.auth import allowed
from ktxh_gateway.problems import PROBLEM_RESPONSES
from ktxh_gateway.reporting import schemas

Reader = Annotated[Principal, Depends(allowed(Resource.REPORT, Action.READ))]
PeriodCode = limits.query_text(24, min_length=1,
                               description="Mã kỳ: 2026-M10, 2026-Q3, 2026-H1, 2026-9M, 2026, "
                                           "2026-2030 hoặc @2026-10-31 (thời điểm)")

router = APIRouter(prefix="/api/v1", tags=["Báo cáo tổng hợp (reporting)"], responses=PROBLEM_RESPONSES)

_ACHIEVEMENT = {v: schemas.ReportingAchievement(pb.AchievementStatus.Name(v).removeprefix(
    "ACHIEVEMENT_STATUS_").lower()) for v in pb.AchievementStatus.values()}


def _stub(request: Request) -> reporting_pb2_grpc.ReportingServiceStub:
    return reporting_pb2_grpc.ReportingServiceStub(request.app.state.clients.channels["reporting"])


def _opts(request: Request, principal: Principal) -> dict:
    return request.app.state.clients.call_options(principal)


def figure_key(k: figure_pb2.FigureKey) -> schemas.ReportingFigureKey:
    kind = figure_pb2.FigureKind.Name(k.kind).removeprefix("FIGURE_KIND_").lower()
    return schemas.ReportingFigureKey(
        indicator_code=k.indicator_code,
        members=[schemas.ReportingDimensionChoice(dimension_code=m.dimension_code, member_code=m.member_code)
                 for m in k.members],
        kind=schemas.ReportingFigureKind(kind if kind != "unspecified" else "actual"),
    )


def rollup_row(r: pb.ReportingRollupRow) -> schemas.ReportingRollupRow:
    ranged = bool(r.target_value_max)
    return schemas.ReportingRollupRow(
        org_unit_code=r.org_unit_code, org_unit_name=r.org_unit_name, is_total=r.is_total,
        key=figure_key(r.key), indicator_name=r.indicator_name, unit=r.unit_of_measure,
        aggregation=r.aggregation, time_aggregation=r.time_aggregation, polarity=r.polarity,
        value=r.value, numerator=r.numerator, denominator=r.denominator, text_value=r.text_value,
        target_value=r.target_value, target_low=r.target_value if ranged else "",
        target_high=r.target_value_max, plan_percent=r.percent_of_target,
        achievement=_ACHIEVEMENT[r.achievement], previous_year_value=r.same_period_last_year,
        growth_percent=r.growth_percent, year_to_date_value=r.year_to_date, estimated=r.estimated,
        reporting_units=r.contributing_unit_count, expected_units=r.expected_unit_count,
    )


def _codes(text: str) -> list[str]:
    return [c.strip() for c in text.split(",") if c.strip()]


@router.get("/rollups", response_model=schemas.ReportingRollup,
            summary="Số liệu tổng hợp của một đơn vị và các đơn vị trực thuộc cho một kỳ, "
                    "bên cạnh chỉ tiêu giao, cùng kỳ năm trước và lũy kế")
async def get_rollup(
    request: Request,
    principal: Reader,
    org_unit_code: limits.query_text(40, min_length=1, description="Mã đơn vị tổng hợp đến"),
    period_code: PeriodCode,
    indicator_codes: limits.query_text(
        4000, description="Mã chỉ tiêu, cách nhau bằng dấu phẩy; bỏ trống = mọi chỉ tiêu có số liệu") = "",
    include_children: Annotated[bool, Query(description="Thêm một dòng cho mỗi đơn vị trực thuộc")] = False,
    use_estimates: Annotated[bool, Query(description="Dùng số ước tính khi chưa có số thực hiện")] = False,
) -> schemas.ReportingRollup:
    r = await _stub(request).GetRollup(
        pb.GetRollupRequest(org_unit_code=org_unit_code, period=types_pb2.Period(code=period_code),
                            indicator_codes=_codes(indicator_codes), include_children=include_children,
                            use_estimates=use_estimates),
        **_opts(request, principal))
    return schemas.ReportingRollup(
        org_unit_code=org_unit_code, period_code=r.period.code,
        as_of=r.as_of.ToDatetime(tzinfo=UTC) if r.HasField("as_of") else None,
        rows=[rollup_row(row) for row in r.rows],
    )


routers = [router]
