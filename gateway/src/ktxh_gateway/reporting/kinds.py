"""REST of the key-task summary and target fulfilment per agency and locality: each route
fills one request of `ktxh.reporting.v1.ReportingService` and relays the caller's token; the
service authorizes and scopes in SQL (docs/reporting.md, "Key tasks and target fulfilment")."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from ktxh.reporting.v1 import reporting_pb2 as pb
from ktxh.reporting.v1 import reporting_pb2_grpc
from ktxh_platform.access import Action, Resource
from ktxh_platform.auth.principal import Principal
from pydantic import BaseModel, Field

from ktxh_gateway import limits
from ktxh_gateway.problems import PROBLEM_RESPONSES
from ktxh_gateway.auth import allowed

Reader = Annotated[Principal, Depends(allowed(Resource.REPORT, Action.READ))]
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"

router = APIRouter(prefix="/api/v1", tags=["Báo cáo tổng hợp (reporting)"], responses=PROBLEM_RESPONSES)


class ReportingKeyTaskRow(BaseModel):
    key_task_id: str
    key_task_code: str = Field(description="Mã nhiệm vụ")
    title: str = Field(description="Tên nhiệm vụ trọng tâm")
    field: str = Field("", description="Lĩnh vực")
    assignment_id: str
    lead_unit_code: str = Field(description="Mã đơn vị chủ trì")
    lead_unit_name: str = Field(description="Đơn vị chủ trì")
    deadline: str = Field("", description="Thời hạn (YYYY-MM-DD)")
    status: str = Field(description="Tình trạng báo cáo gần nhất: not_started, in_progress, done, overdue, "
                                    "stopped, not_reported")
    percent_done: int = Field(description="Tiến độ (%) báo cáo gần nhất")
    overdue: bool = Field(description="Quá hạn: đã qua thời hạn mà chưa hoàn thành")
    reported_period_code: str = Field("", description="Kỳ báo cáo của tình trạng")
    reported_at: datetime | None = Field(None, description="Thời điểm báo cáo đó được tiếp nhận")
    results: str = Field("", description="Kết quả đạt được")


class ReportingKeyTaskGroup(BaseModel):
    key: str = Field(description="Mã đơn vị chủ trì hoặc tên lĩnh vực")
    label: str
    total: int
    done: int
    overdue: int
    count_by_status: dict[str, int]


class ReportingKeyTaskSummary(BaseModel):
    org_unit_code: str
    org_unit_name: str
    as_of: str = Field(description="Thời điểm tổng hợp (YYYY-MM-DD)")
    year: int
    tasks: list[ReportingKeyTaskRow]
    count_by_status: dict[str, int]
    overdue_count: int
    by_lead_unit: list[ReportingKeyTaskGroup]
    by_field: list[ReportingKeyTaskGroup]


class ReportingFulfilmentRow(BaseModel):
    org_unit_code: str
    org_unit_name: str
    is_total: bool = Field(description="Dòng của đơn vị được chọn (toàn đơn vị)")
    assigned: int = Field(description="Số chỉ tiêu được giao")
    achieved: int = Field(description="Số chỉ tiêu đạt")
    at_risk: int = Field(description="Số chỉ tiêu có nguy cơ không đạt (kỳ chưa kết thúc)")
    missed: int = Field(description="Số chỉ tiêu không đạt")
    no_data: int = Field(description="Số chỉ tiêu chưa có số liệu")
    not_assessed: int = Field(description="Số chỉ tiêu không đánh giá (trung tính)")
    achieved_percent: str = Field("", description="Tỷ lệ đạt (%)")


class ReportingFulfilment(BaseModel):
    org_unit_code: str
    period_code: str
    rows: list[ReportingFulfilmentRow]


def _stub(request: Request) -> reporting_pb2_grpc.ReportingServiceStub:
    return reporting_pb2_grpc.ReportingServiceStub(request.app.state.clients.channels["reporting"])


def _group(g: pb.KeyTaskGroupCount) -> ReportingKeyTaskGroup:
    return ReportingKeyTaskGroup(key=g.key, label=g.label, total=g.total, done=g.done, overdue=g.overdue,
                                 count_by_status=dict(g.count_by_status))


@router.get("/key-task-summary", response_model=ReportingKeyTaskSummary,
            summary="Tổng hợp nhiệm vụ trọng tâm của đơn vị và các đơn vị trực thuộc tại một thời điểm")
async def get_key_task_summary(
    request: Request,
    principal: Reader,
    org_unit_code: limits.query_text(40, min_length=1, description="Mã đơn vị"),
    as_of: Annotated[str, Query(pattern=ISO_DATE, max_length=10,
                                description="Thời điểm (YYYY-MM-DD); bỏ trống = hôm nay")] = "",
    year: Annotated[int, Query(ge=2000, le=2100, description="Năm của nhiệm vụ; bỏ trống = năm của thời điểm")]
    | None = None,
) -> ReportingKeyTaskSummary:
    r = await _stub(request).GetKeyTaskSummary(
        pb.GetKeyTaskSummaryRequest(org_unit_code=org_unit_code, as_of=as_of, year=year or 0),
        **request.app.state.clients.call_options(principal))
    return ReportingKeyTaskSummary(
        org_unit_code=r.org_unit_code, org_unit_name=r.org_unit_name, as_of=r.as_of, year=r.year,
        count_by_status=dict(r.count_by_status), overdue_count=r.overdue_count,
        by_lead_unit=[_group(g) for g in r.by_lead_unit], by_field=[_group(g) for g in r.by_field],
        tasks=[ReportingKeyTaskRow(
            key_task_id=t.key_task_id, key_task_code=t.key_task_code, title=t.title, field=t.field,
            assignment_id=t.assignment_id, lead_unit_code=t.lead_unit_code, lead_unit_name=t.lead_unit_name,
            deadline=t.deadline, status=t.status, percent_done=t.percent_complete, overdue=t.overdue,
            reported_period_code=t.reported_period_code, results=t.results,
            reported_at=t.reported_at.ToDatetime(tzinfo=UTC) if t.HasField("reported_at") else None)
            for t in r.tasks])


@router.get("/target-fulfilment", response_model=ReportingFulfilment,
            summary="Mức độ hoàn thành chỉ tiêu được giao của từng cơ quan, địa phương")
async def get_target_fulfilment(
    request: Request,
    principal: Reader,
    org_unit_code: limits.query_text(40, min_length=1, description="Mã đơn vị cấp trên"),
    period_code: limits.query_text(24, min_length=1, description="Mã kỳ: năm (2026) hoặc thời điểm (@2026-10-31)"),
) -> ReportingFulfilment:
    r = await _stub(request).GetTargetFulfilment(
        pb.GetTargetFulfilmentRequest(org_unit_code=org_unit_code, period_code=period_code),
        **request.app.state.clients.call_options(principal))
    return ReportingFulfilment(org_unit_code=org_unit_code, period_code=r.period.code, rows=[
        ReportingFulfilmentRow(
            org_unit_code=x.org_unit_code, org_unit_name=x.org_unit_name, is_total=x.is_total,
            assigned=x.assigned_count, achieved=x.achieved_count, at_risk=x.at_risk_count,
            missed=x.missed_count, no_data=x.no_data_count, not_assessed=x.not_assessed_count,
            achieved_percent=x.achieved_percent)
        for x in r.rows])


routers = [router]
