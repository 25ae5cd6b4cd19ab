"""REST reads of the reporting read model: each route fills one request of
`ktxh.reporting.v1.ReportingService` and calls it with the caller's token (token relay); the
service authorizes with the scope (404 outside it) and filters in SQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.exceptions import RequestValidationError
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
FiguresReader = Annotated[Principal, Depends(allowed(Resource.FIGURES, Action.READ))]
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
        target_from_children=r.target_from_children,
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



def _members(text: str) -> list[figure_pb2.DimensionChoice]:
    out = []
    for part in _codes(text):
        dim, sep, member = part.partition("=")
        if not sep or not dim or not member:
            raise RequestValidationError([{
                "type": "value_error", "loc": ("query", "members"),
                "msg": "Phân tổ phải có dạng mã_phân_tổ=mã_giá_trị, cách nhau bằng dấu phẩy",
                "input": text}])
        out.append(figure_pb2.DimensionChoice(dimension_code=dim, member_code=member))
    return sorted(out, key=lambda m: m.dimension_code)


@router.get("/indicator-series", response_model=schemas.ReportingSeries,
            summary="Chuỗi số liệu tổng hợp của một chỉ tiêu cho một đơn vị qua các kỳ")
async def get_indicator_series(
    request: Request,
    principal: Reader,
    org_unit_code: limits.query_text(40, min_length=1, description="Mã đơn vị"),
    indicator_code: limits.query_text(80, min_length=1, description="Mã chỉ tiêu"),
    from_year: Annotated[int, Query(alias="from", ge=1900, le=9990, description="Từ năm")],
    to: Annotated[int, Query(ge=1900, le=9990, description="Đến năm")],
    kind: Annotated[schemas.ReportingPeriodKind, Query(description="Loại kỳ")] = schemas.ReportingPeriodKind.month,
    members: limits.query_text(400, description="Phân tổ, vd. price_basis=comparative") = "",
) -> schemas.ReportingSeries:
    key = figure_pb2.FigureKey(indicator_code=indicator_code, members=_members(members),
                               kind=figure_pb2.FIGURE_KIND_ACTUAL)
    r = await _stub(request).GetIndicatorSeries(
        pb.GetIndicatorSeriesRequest(
            org_unit_code=org_unit_code, key=key, from_year=from_year, to_year=to,
            period_kind=types_pb2.PeriodKind.Value(f"PERIOD_KIND_{kind.value.upper()}")),
        **_opts(request, principal))
    return schemas.ReportingSeries(
        org_unit_code=org_unit_code, key=figure_key(key), kind=kind,
        points=[schemas.ReportingSeriesPoint(period_code=p.period.code, value=p.value,
                                             target_value=p.target_value, estimated=p.estimated)
                for p in r.points])


@router.get("/submission-progress", response_model=schemas.ReportingProgress,
            summary="Tình hình gửi báo cáo của các đơn vị trực thuộc trong một kỳ (đầy đủ, đúng hạn)")
async def get_submission_progress(
    request: Request,
    principal: Reader,
    org_unit_code: limits.query_text(40, min_length=1, description="Mã đơn vị cấp trên"),
    period_code: PeriodCode,
) -> schemas.ReportingProgress:
    r = await _stub(request).GetSubmissionProgress(
        pb.GetSubmissionProgressRequest(org_unit_code=org_unit_code, period=types_pb2.Period(code=period_code)),
        **_opts(request, principal))
    return schemas.ReportingProgress(
        org_unit_code=org_unit_code, period_code=period_code, expected_units=r.expected_count,
        accepted_units=r.accepted_count, late_units=r.late_count, count_by_status=dict(r.count_by_status),
        units=[schemas.ReportingUnitProgress(
            org_unit_code=u.org_unit_code, org_unit_name=u.org_unit_name, submission_id=u.submission_id,
            status=u.status, deadline=u.due_date,
            sent_at=u.submitted_at.ToDatetime(tzinfo=UTC) if u.HasField("submitted_at") else None,
            accepted_at=u.accepted_at.ToDatetime(tzinfo=UTC) if u.HasField("accepted_at") else None,
            timeliness=u.timeliness, days_late=u.days_late) for u in r.units])


UPDATED_SINCE_PATTERN = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?)?$"


@router.get("/figures", response_model=schemas.ReportingFigurePage,
            summary="Số liệu đã được tiếp nhận, đọc dần theo thời điểm cập nhật (cho hệ thống khác)")
async def list_figures(
    request: Request,
    principal: FiguresReader,
    indicator_code: limits.query_text(80, description="Mã chỉ tiêu") = "",
    org_unit_code: limits.query_text(40, description="Mã đơn vị (gồm các đơn vị trực thuộc)") = "",
    period_code: limits.query_text(24, description="Mã kỳ") = "",
    updated_since: Annotated[str | None, Query(
        description="Chỉ số liệu cập nhật sau thời điểm này (ISO 8601, ví dụ 2026-10-20T08:00:00Z)",
        pattern=UPDATED_SINCE_PATTERN, max_length=40,
        json_schema_extra={"format": "date-time"})] = None,
    page_size: Annotated[int, Query(ge=1, le=10000)] = 1000,
    page_token: Annotated[str, Query(max_length=400, pattern=limits.PAGE_TOKEN_PATTERN)] = "",
) -> schemas.ReportingFigurePage:
    req = pb.ListFiguresRequest(indicator_code=indicator_code, org_unit_code=org_unit_code,
                                period_code=period_code, page_size=page_size, page_token=page_token)
    if updated_since is not None:
        try:  # a date and time only: a bare number is not read as seconds since 1970
            since = datetime.fromisoformat(updated_since.replace("Z", "+00:00"))
            req.updated_since.FromDatetime(since if since.tzinfo else since.replace(tzinfo=UTC))
        except (ValueError, OverflowError):
            raise RequestValidationError([{
                "type": "value_error", "loc": ("query", "updated_since"),
                "msg": "Thời điểm không hợp lệ (ISO 8601, năm 0001 đến 9999)",
                "input": str(updated_since)}]) from None
    r = await _stub(request).ListFigures(req, **_opts(request, principal))
    return schemas.ReportingFigurePage(
        items=[schemas.ReportingFigure(
            org_unit_code=f.org_unit_code, key=figure_key(f.key), period_code=f.period_code, value=f.value,
            text_value=f.text_value,
            updated_at=f.updated_at.ToDatetime(tzinfo=UTC) if f.HasField("updated_at") else None)
            for f in r.figures],
        next_page_token=r.next_page_token)


routers = [router]
