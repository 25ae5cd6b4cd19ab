"""REST for the Front's oversight (``/api/v1/comments``, ``/api/v1/oversight-reports``,
``/api/v1/recommendations``), translated to the oversight service's gRPC API
(docs/oversight.md). Responses use the proto field names and the catalog's enum rendering;
request bodies are the few fields a user writes (``Oversight*`` models).

Annotations are real objects (no ``from __future__ import annotations``): models are built
from the proto descriptors at import time.
"""

from datetime import date
from typing import Annotated, Any

import grpc
from fastapi import APIRouter, Body, Depends, Header, Query, Request, Response
from ktxh.common.v1 import types_pb2
from ktxh.oversight.v1 import oversight_pb2 as pb
from ktxh.oversight.v1 import oversight_pb2_grpc
from ktxh_platform.access import Action, Resource
from ktxh_platform.auth.principal import Principal
from pydantic import BaseModel, ConfigDict, Field

from ktxh_gateway import limits
from ktxh_gateway.auth import CurrentUser, allowed
from ktxh_gateway.catalog.common import etag, expected_version
from ktxh_gateway.catalog.convert import model_for, rest_enum, to_json
from ktxh_gateway.problems import PROBLEM_RESPONSES, from_grpc

# Early role check (403 before calling the service); the service checks the committee and
# what was opened to it.
FrontCommenter = Annotated[Principal, Depends(allowed(Resource.COMMENT, Action.WRITE))]
FrontReporter = Annotated[Principal, Depends(allowed(Resource.OVERSIGHT_REPORT, Action.WRITE))]

IdPath = limits.path_text(64, description="Mã định danh (id)")
IdQuery = Annotated[str, Query(max_length=64, pattern=r"^[A-Za-z0-9._-]*$")]
PageToken = Annotated[str, Query(max_length=200, pattern=limits.PAGE_TOKEN_PATTERN, description="Mã trang tiếp theo")]
IfMatch = Annotated[str | None, Header(description='Phiên bản đã đọc: "<version>" (ETag)')]
IdempotencyKey = Annotated[str | None, Header(max_length=200, description="Khóa chống tạo trùng khi gửi lại")]
Id = limits.text(64)
Code = limits.text(80)

Comment = model_for(pb.Comment.DESCRIPTOR)
OversightReport = model_for(pb.OversightReport.DESCRIPTOR)
Recommendation = model_for(pb.Recommendation.DESCRIPTOR)
OversightResponse = model_for(pb.Response.DESCRIPTOR)

SubjectKindQ = rest_enum(pb.SubjectKind.DESCRIPTOR)
CommentStatusQ = rest_enum(pb.CommentStatus.DESCRIPTOR)
ReportStatusQ = rest_enum(pb.OversightReportStatus.DESCRIPTOR)
RecommendationStatusQ = rest_enum(pb.RecommendationStatus.DESCRIPTOR)
PeriodKindQ = rest_enum(types_pb2.PeriodKind.DESCRIPTOR)


class OversightSubject(BaseModel):
    """Nội dung được góp ý hoặc giám sát."""

    model_config = ConfigDict(extra="forbid")
    kind: SubjectKindQ = Field(description="Loại nội dung: assignment (nội dung giao), key_task, indicator, submission, org_unit, thematic_plan")  # type: ignore[valid-type]
    id: Id = Field(description="Mã định danh của nội dung (mã chỉ số với indicator)")  # type: ignore[valid-type]
    label: limits.text(500) = Field(default="", description="Tên hiển thị lúc viết")  # type: ignore[valid-type]


class OversightCommentIn(BaseModel):
    """Ý kiến của Ủy ban MTTQ."""

    model_config = ConfigDict(extra="forbid")
    subject: OversightSubject = Field(description="Nội dung góp ý")
    addressee_unit_id: Id = Field(default="", description="Đơn vị cần trả lời; trống = đơn vị được giao nội dung")  # type: ignore[valid-type]
    text: limits.text(10_000) = Field(description="Nội dung ý kiến")  # type: ignore[valid-type]
    document_ids: list[Id] = Field(default=[], max_length=50, description="Văn bản đính kèm")  # type: ignore[valid-type]
    front_unit_id: Id = Field(default="", description="Ủy ban MTTQ (trống = đơn vị của người dùng)")  # type: ignore[valid-type]


class OversightCommentPatch(BaseModel):
    """Sửa nội dung ý kiến (nội dung cũ vẫn được giữ và hiển thị)."""

    model_config = ConfigDict(extra="forbid")
    text: limits.text(10_000) = Field(description="Nội dung mới")  # type: ignore[valid-type]


class OversightReply(BaseModel):
    """Trả lời của đơn vị."""

    model_config = ConfigDict(extra="forbid")
    text: limits.text(10_000) = Field(description="Nội dung trả lời: đơn vị đã làm gì")  # type: ignore[valid-type]
    document_ids: list[Id] = Field(default=[], max_length=50, description="Văn bản đính kèm")  # type: ignore[valid-type]


class OversightPeriod(BaseModel):
    """Kỳ được giám sát."""

    model_config = ConfigDict(extra="forbid")
    kind: PeriodKindQ = Field(description="Loại kỳ")  # type: ignore[valid-type]
    year: limits.integer((2000, 2100)) = Field(description="Năm")  # type: ignore[valid-type]
    number: limits.integer((0, 12)) = Field(default=0, description="Số thứ tự kỳ trong năm (tháng, quý...)")  # type: ignore[valid-type]


class OversightRecommendationIn(BaseModel):
    """Một kiến nghị gửi một đơn vị, có hạn trả lời."""

    model_config = ConfigDict(extra="forbid")
    code: Code = Field(description="Số hiệu kiến nghị trong báo cáo (1, 2...)")  # type: ignore[valid-type]
    text: limits.text(10_000) = Field(description="Nội dung kiến nghị")  # type: ignore[valid-type]
    addressee_unit_id: Id = Field(description="Đơn vị nhận kiến nghị")  # type: ignore[valid-type]
    due_date: limits.Day | None = Field(default=None, description="Hạn trả lời")


class OversightReportIn(BaseModel):
    """Báo cáo giám sát (dự thảo)."""

    model_config = ConfigDict(extra="forbid")
    title: limits.text(500) = Field(description="Tiêu đề")  # type: ignore[valid-type]
    period: OversightPeriod | None = Field(default=None, description="Kỳ giám sát (số liệu trích dẫn của kỳ này)")
    subjects: list[OversightSubject] = Field(default=[], max_length=200, description="Nội dung giám sát")
    overseen_unit_ids: list[Id] = Field(max_length=500, description="Các đơn vị được giám sát")  # type: ignore[valid-type]
    findings: limits.text(10_000) = Field(default="", description="Kết quả giám sát")  # type: ignore[valid-type]
    recommendations: list[OversightRecommendationIn] = Field(default=[], max_length=200, description="Kiến nghị")
    as_of: limits.Day | None = Field(default=None, description="Số liệu, tình trạng nhiệm vụ tính đến ngày")
    front_unit_id: Id = Field(default="", description="Ủy ban MTTQ (trống = đơn vị của người dùng)")  # type: ignore[valid-type]


class OversightFileBody(BaseModel):
    """Gửi báo cáo giám sát đến UBND cùng cấp."""

    model_config = ConfigDict(extra="forbid")
    document_id: Id = Field(default="", description="Văn bản báo cáo PDF đã ký số (không bắt buộc)")  # type: ignore[valid-type]
    version: limits.integer(limits.INT64) = Field(description="Phiên bản báo cáo đã đọc")  # type: ignore[valid-type]


class OversightDecisionBody(BaseModel):
    """Ý kiến của MTTQ về trả lời kiến nghị."""

    model_config = ConfigDict(extra="forbid")
    remark: limits.text(10_000) = Field(default="", description="Nhận xét (bắt buộc khi mở lại)")  # type: ignore[valid-type]
    due_date: limits.Day | None = Field(default=None, description="Hạn trả lời mới khi mở lại")
    version: limits.integer(limits.INT64) | None = Field(default=None, description="Phiên bản báo cáo đã đọc (không bắt buộc)")  # type: ignore[valid-type]


class OversightCommentPage(BaseModel):
    items: list[Comment] = Field(description="Các ý kiến, mới nhất trước (không kèm trả lời)")  # type: ignore[valid-type]
    next_page_token: str = Field(description="Trống ở trang cuối")
    total: int = Field(description="Tổng số ý kiến phù hợp")


class OversightReportPage(BaseModel):
    items: list[OversightReport] = Field(description="Các báo cáo giám sát, mới nhất trước")  # type: ignore[valid-type]
    next_page_token: str = Field(description="Trống ở trang cuối")
    total: int = Field(description="Tổng số báo cáo phù hợp")


class OversightRecommendationPage(BaseModel):
    items: list[Recommendation] = Field(description="Các kiến nghị, hạn sớm nhất trước")  # type: ignore[valid-type]
    next_page_token: str = Field(description="Trống ở trang cuối")
    total: int = Field(description="Tổng số kiến nghị phù hợp")


class OversightBoardRow(BaseModel):
    addressee_unit_id: str = Field(description="Đơn vị nhận kiến nghị")
    open: int = Field(description="Đang chờ trả lời, chưa quá hạn")
    answered: int = Field(description="Đã trả lời, chờ MTTQ xem xét")
    overdue: int = Field(description="Quá hạn chưa trả lời")
    resolved: int = Field(description="Đã giải quyết")


class OversightBoard(BaseModel):
    rows: list[OversightBoardRow] = Field(description="Mỗi đơn vị nhận kiến nghị một dòng")


async def call(request: Request, principal: Principal, rpc: str, message: Any) -> Any:
    clients = request.app.state.clients
    stub = getattr(request.app.state, "oversight_stub", None)
    if stub is None:
        stub = oversight_pb2_grpc.OversightServiceStub(clients.channels["oversight"])
        request.app.state.oversight_stub = stub
    options = clients.call_options(principal)
    options["timeout"] = max(options["timeout"], 60.0)  # a draft reads figures of many units
    try:
        return await getattr(stub, rpc)(message, **options)
    except grpc.aio.AioRpcError as err:
        raise from_grpc(err) from None


def _versioned(response: Response, m: Any) -> dict[str, Any]:
    response.headers["ETag"] = etag(m.version)
    return to_json(m)


def _subject(s: OversightSubject) -> pb.SubjectRef:
    return pb.SubjectRef(kind=pb.SubjectKind.Value(f"SUBJECT_KIND_{s.kind.value.upper()}"), id=s.id, label=s.label)


def _enum(enum: Any, prefix: str, value: Any) -> int:
    return enum.Value(f"{prefix}{value.value.upper()}") if value is not None else 0


def _report_msg(body: OversightReportIn, report_id: str = "") -> pb.OversightReport:
    m = pb.OversightReport(
        id=report_id, front_unit_id=body.front_unit_id, title=body.title,
        subjects=[_subject(s) for s in body.subjects], overseen_unit_ids=body.overseen_unit_ids,
        findings=body.findings, as_of=body.as_of.isoformat() if body.as_of else "",
        recommendations=[
            pb.Recommendation(code=r.code, text=r.text, addressee_unit_id=r.addressee_unit_id,
                              due_date=r.due_date.isoformat() if r.due_date else "")
            for r in body.recommendations
        ],
    )
    if body.period is not None:
        m.period.CopyFrom(types_pb2.Period(
            kind=_enum(types_pb2.PeriodKind, "PERIOD_KIND_", body.period.kind), year=body.period.year,
            number=body.period.number,
        ))
    return m


comments = APIRouter(prefix="/api/v1/comments", tags=["Giám sát – ý kiến MTTQ (comments)"], responses=PROBLEM_RESPONSES)
reports = APIRouter(prefix="/api/v1/oversight-reports", tags=["Giám sát – báo cáo giám sát (oversight reports)"],
                    responses=PROBLEM_RESPONSES)
recommendations = APIRouter(prefix="/api/v1/recommendations", tags=["Giám sát – kiến nghị (recommendations)"],
                            responses=PROBLEM_RESPONSES)


# ---------------------------------------------------------------------------------- comments


@comments.get("", response_model=OversightCommentPage, summary="Danh sách ý kiến (người gọi được xem)")
async def list_comments(
    request: Request, principal: CurrentUser,
    front_unit_id: IdQuery = "", addressee_unit_id: IdQuery = "",
    subject_kind: Annotated[SubjectKindQ | None, Query(description="Loại nội dung")] = None,  # type: ignore[valid-type]
    subject_id: IdQuery = "",
    status: Annotated[CommentStatusQ | None, Query(description="Trạng thái")] = None,  # type: ignore[valid-type]
    page_size: Annotated[int, Query(ge=1, le=500)] = 100,
    page_token: PageToken = "",
) -> dict[str, Any]:
    r = await call(request, principal, "ListComments", pb.ListCommentsRequest(
        front_unit_id=front_unit_id, addressee_unit_id=addressee_unit_id,
        subject_kind=_enum(pb.SubjectKind, "SUBJECT_KIND_", subject_kind), subject_id=subject_id,
        status=_enum(pb.CommentStatus, "COMMENT_STATUS_", status), page_size=page_size, page_token=page_token,
    ))
    return {"items": [to_json(c) for c in r.comments], "next_page_token": r.next_page_token, "total": r.total_size}


@comments.post("", response_model=Comment, status_code=201, summary="MTTQ góp ý kiến về nội dung được giao giám sát")
async def post_comment(
    request: Request, response: Response, principal: FrontCommenter,
    body: Annotated[OversightCommentIn, Body()], idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    c = await call(request, principal, "PostComment", pb.PostCommentRequest(
        front_unit_id=body.front_unit_id, subject=_subject(body.subject), addressee_unit_id=body.addressee_unit_id,
        text=body.text, document_ids=body.document_ids, idempotency_key=idempotency_key or "",
    ))
    response.headers["Location"] = f"/api/v1/comments/{c.id}"
    return _versioned(response, c)


@comments.get("/{comment_id}", response_model=Comment, summary="Một ý kiến với các trả lời và nội dung đã sửa")
async def get_comment(request: Request, response: Response, principal: CurrentUser, comment_id: IdPath) -> dict[str, Any]:
    return _versioned(response, await call(request, principal, "GetComment", pb.GetCommentRequest(id=comment_id)))


@comments.patch("/{comment_id}", response_model=Comment, summary="Sửa ý kiến (nội dung cũ vẫn hiển thị)")
async def patch_comment(
    request: Request, response: Response, principal: FrontCommenter, comment_id: IdPath,
    body: OversightCommentPatch, if_match: IfMatch = None,
) -> dict[str, Any]:
    version = expected_version(if_match, "ý kiến")
    return _versioned(response, await call(request, principal, "UpdateComment", pb.UpdateCommentRequest(
        id=comment_id, text=body.text, expected_version=version)))


@comments.delete("/{comment_id}", status_code=204, response_class=Response,
                 summary="Rút ý kiến chưa được trả lời (ý kiến đã trả lời không xóa được)")
async def delete_comment(request: Request, principal: FrontCommenter, comment_id: IdPath, if_match: IfMatch = None) -> Response:
    version = expected_version(if_match, "ý kiến")
    await call(request, principal, "DeleteComment", pb.DeleteCommentRequest(id=comment_id, expected_version=version))
    return Response(status_code=204)


@comments.post("/{comment_id}/close", response_model=Comment, summary="MTTQ đóng ý kiến")
async def close_comment(
    request: Request, response: Response, principal: FrontCommenter, comment_id: IdPath, if_match: IfMatch = None,
) -> dict[str, Any]:
    version = expected_version(if_match, "ý kiến")
    return _versioned(response, await call(request, principal, "CloseComment", pb.CloseCommentRequest(
        id=comment_id, expected_version=version)))


@comments.post("/{comment_id}/responses", response_model=OversightResponse, status_code=201,
               summary="Đơn vị được góp ý trả lời")
async def respond_comment(
    request: Request, principal: CurrentUser, comment_id: IdPath, body: OversightReply,
) -> dict[str, Any]:
    r = await call(request, principal, "PostResponse", pb.PostResponseRequest(
        comment_id=comment_id, text=body.text, document_ids=body.document_ids))
    return to_json(r)


# ---------------------------------------------------------------------------------- reports


@reports.get("", response_model=OversightReportPage, summary="Danh sách báo cáo giám sát (người gọi được xem)")
async def list_reports(
    request: Request, principal: CurrentUser,
    front_unit_id: IdQuery = "", overseen_unit_id: IdQuery = "",
    status: Annotated[ReportStatusQ | None, Query(description="Trạng thái")] = None,  # type: ignore[valid-type]
    year: Annotated[limits.integer((0, 9999)) | None, Query(description="Năm")] = None,  # type: ignore[valid-type]
    page_size: Annotated[int, Query(ge=1, le=500)] = 50,
    page_token: PageToken = "",
) -> dict[str, Any]:
    r = await call(request, principal, "ListOversightReports", pb.ListOversightReportsRequest(
        front_unit_id=front_unit_id, overseen_unit_id=overseen_unit_id,
        status=_enum(pb.OversightReportStatus, "OVERSIGHT_REPORT_STATUS_", status), year=year or 0,
        page_size=page_size, page_token=page_token,
    ))
    return {"items": [to_json(x) for x in r.oversight_reports], "next_page_token": r.next_page_token,
            "total": r.total_size}


@reports.post("", response_model=OversightReport, status_code=201,
              summary="Lập dự thảo báo cáo giám sát (trích số liệu, tình trạng nhiệm vụ của các đơn vị)")
async def create_report(
    request: Request, response: Response, principal: FrontReporter,
    body: Annotated[OversightReportIn, Body()], idempotency_key: IdempotencyKey = None,
) -> dict[str, Any]:
    r = await call(request, principal, "CreateOversightReport", pb.CreateOversightReportRequest(
        oversight_report=_report_msg(body), idempotency_key=idempotency_key or ""))
    response.headers["Location"] = f"/api/v1/oversight-reports/{r.id}"
    return _versioned(response, r)


@reports.get("/{report_id}", response_model=OversightReport, summary="Một báo cáo giám sát")
async def get_report(request: Request, response: Response, principal: CurrentUser, report_id: IdPath) -> dict[str, Any]:
    return _versioned(response, await call(request, principal, "GetOversightReport",
                                           pb.GetOversightReportRequest(id=report_id)))


@reports.put("/{report_id}", response_model=OversightReport, summary="Sửa dự thảo báo cáo giám sát")
async def put_report(
    request: Request, response: Response, principal: FrontReporter, report_id: IdPath,
    body: OversightReportIn, if_match: IfMatch = None,
) -> dict[str, Any]:
    version = expected_version(if_match, "báo cáo giám sát")
    return _versioned(response, await call(request, principal, "UpdateOversightReport", pb.UpdateOversightReportRequest(
        oversight_report=_report_msg(body, report_id), expected_version=version)))


@reports.post("/{report_id}/file", response_model=OversightReport,
              summary="Gửi báo cáo giám sát đến UBND cùng cấp (kèm PDF đã ký số nếu có)")
async def file_report(
    request: Request, response: Response, principal: FrontReporter, report_id: IdPath, body: OversightFileBody,
) -> dict[str, Any]:
    return _versioned(response, await call(request, principal, "FileOversightReport", pb.FileOversightReportRequest(
        id=report_id, document_id=body.document_id, expected_version=body.version)))


@reports.post("/{report_id}/responses", response_model=OversightResponse, status_code=201,
              summary="UBND cùng cấp trả lời báo cáo giám sát")
async def respond_report(request: Request, principal: CurrentUser, report_id: IdPath, body: OversightReply) -> dict[str, Any]:
    r = await call(request, principal, "PostResponse", pb.PostResponseRequest(
        oversight_report_id=report_id, text=body.text, document_ids=body.document_ids))
    return to_json(r)


# ---------------------------------------------------------------------------------- recommendations


@recommendations.get("", response_model=OversightRecommendationPage,
                     summary="Kiến nghị của các báo cáo đã gửi (người gọi được xem)")
async def list_recommendations(
    request: Request, principal: CurrentUser,
    front_unit_id: IdQuery = "", addressee_unit_id: IdQuery = "", oversight_report_id: IdQuery = "",
    status: Annotated[RecommendationStatusQ | None, Query(description="Trạng thái")] = None,  # type: ignore[valid-type]
    overdue: Annotated[bool, Query(description="Chỉ kiến nghị quá hạn chưa trả lời")] = False,
    page_size: Annotated[int, Query(ge=1, le=500)] = 100,
    page_token: PageToken = "",
) -> dict[str, Any]:
    r = await call(request, principal, "ListRecommendations", pb.ListRecommendationsRequest(
        front_unit_id=front_unit_id, addressee_unit_id=addressee_unit_id, oversight_report_id=oversight_report_id,
        status=_enum(pb.RecommendationStatus, "RECOMMENDATION_STATUS_", status), overdue_only=overdue,
        page_size=page_size, page_token=page_token,
    ))
    return {"items": [to_json(x) for x in r.recommendations], "next_page_token": r.next_page_token,
            "total": r.total_size}


@recommendations.get("/board", response_model=OversightBoard,
                     summary="Bảng theo dõi kiến nghị theo đơn vị: đang chờ, đã trả lời, quá hạn, đã giải quyết")
async def board(request: Request, principal: CurrentUser, front_unit_id: IdQuery = "") -> dict[str, Any]:
    r = await call(request, principal, "GetRecommendationBoard",
                   pb.GetRecommendationBoardRequest(front_unit_id=front_unit_id))
    return {"rows": [
        {"addressee_unit_id": x.addressee_unit_id, "open": x.open, "answered": x.answered,
         "overdue": x.overdue, "resolved": x.resolved} for x in r.rows
    ]}


@recommendations.get("/{recommendation_id}", response_model=Recommendation, summary="Một kiến nghị")
async def get_recommendation(request: Request, principal: CurrentUser, recommendation_id: IdPath) -> dict[str, Any]:
    return to_json(await call(request, principal, "GetRecommendation", pb.GetRecommendationRequest(id=recommendation_id)))


@recommendations.post("/{recommendation_id}/responses", response_model=OversightResponse, status_code=201,
                      summary="Đơn vị nhận kiến nghị trả lời đã làm gì")
async def respond_recommendation(
    request: Request, principal: CurrentUser, recommendation_id: IdPath, body: OversightReply,
) -> dict[str, Any]:
    r = await call(request, principal, "PostResponse", pb.PostResponseRequest(
        recommendation_id=recommendation_id, text=body.text, document_ids=body.document_ids))
    return to_json(r)


async def _decide(request: Request, principal: Principal, rec_id: str, accept: bool,
                  body: OversightDecisionBody) -> dict[str, Any]:
    return to_json(await call(request, principal, "DecideRecommendation", pb.DecideRecommendationRequest(
        id=rec_id, accept=accept, remark=body.remark,
        due_date=body.due_date.isoformat() if isinstance(body.due_date, date) else "",
        expected_version=body.version or 0,
    )))


@recommendations.post("/{recommendation_id}/accept", response_model=Recommendation,
                      summary="MTTQ chấp nhận trả lời: kiến nghị đã giải quyết")
async def accept(request: Request, principal: FrontReporter, recommendation_id: IdPath,
                 body: OversightDecisionBody | None = None) -> dict[str, Any]:
    return await _decide(request, principal, recommendation_id, True, body or OversightDecisionBody())


@recommendations.post("/{recommendation_id}/reopen", response_model=Recommendation,
                      summary="MTTQ mở lại kiến nghị (chưa đạt yêu cầu)")
async def reopen(request: Request, principal: FrontReporter, recommendation_id: IdPath,
                 body: OversightDecisionBody) -> dict[str, Any]:
    return await _decide(request, principal, recommendation_id, False, body)


routers = [comments, reports, recommendations]
