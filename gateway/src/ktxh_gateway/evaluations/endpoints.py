"""REST for evaluation rounds and evaluations (``/api/v1/evaluation-rounds``,
``/api/v1/evaluations``), translated to the evaluation service's gRPC API (docs/evaluation.md).
Responses use the proto field names and the catalog's enum rendering
(``ktxh_gateway.catalog.convert``); request bodies are declared here.

Annotations are real objects (no ``from __future__ import annotations``): models are built
from the proto descriptors at import time.
"""

from decimal import Decimal
from typing import Annotated, Any, Literal

import grpc
from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.responses import StreamingResponse
from ktxh.evaluation.v1 import evaluation_pb2 as pb
from ktxh.evaluation.v1 import evaluation_pb2_grpc
from ktxh_platform.access import Action, Resource
from ktxh_platform.auth.principal import Principal
from pydantic import BaseModel, ConfigDict, Field

from ktxh_gateway import limits
from ktxh_gateway.auth import allowed
from ktxh_gateway.catalog.common import etag
from ktxh_gateway.catalog.convert import fill, model_for, rest_enum, to_json
from ktxh_gateway.evaluations.result_report import result_report_pdf, result_report_xlsx
from ktxh_gateway.evaluations.score_sheet import score_sheet_pdf, score_sheet_xlsx
from ktxh_gateway.problems import PROBLEM_RESPONSES, from_grpc

Reader = Annotated[Principal, Depends(allowed(Resource.EVALUATION, Action.READ))]
Writer = Annotated[Principal, Depends(allowed(Resource.EVALUATION, Action.WRITE))]
Approver = Annotated[Principal, Depends(allowed(Resource.EVALUATION, Action.APPROVE))]

IdPath = limits.path_text(64, description="Mã định danh (id)")
IdQuery = Annotated[str, Query(max_length=64, pattern=r"^[A-Za-z0-9._-]*$")]
PageToken = Annotated[str, Query(max_length=200, pattern=limits.PAGE_TOKEN_PATTERN, description="Mã trang tiếp theo")]
Version = limits.integer((1, limits.INT64[1]))
Code = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9._-]+$")]
PeriodCode = Annotated[str, Field(min_length=4, max_length=20, pattern=r"^[0-9A-Za-z@-]+$")]
Score = Annotated[Decimal, Field(ge=0, le=100000, max_digits=9, decimal_places=2)]

EvaluationRound = model_for(pb.EvaluationRound.DESCRIPTOR)
Evaluation = model_for(pb.Evaluation.DESCRIPTOR)
Ranking = model_for(pb.Ranking.DESCRIPTOR)
ResultEdition = model_for(pb.ResultEdition.DESCRIPTOR)
Revision = Annotated[int, Path(ge=1, le=10000, description="Lần công bố (1, 2, ...)")]
EvaluationStatusQ = rest_enum(pb.EvaluationStatus.DESCRIPTOR)


class EvaluationRoundOpen(BaseModel):
    """Mở đợt đánh giá cho các đơn vị đã được giao bộ tiêu chí trong năm."""

    model_config = ConfigDict(extra="forbid")
    criteria_set_id: limits.text(64, min_length=1) = Field(description="Mã hoặc id bộ tiêu chí")  # type: ignore[valid-type]
    year: limits.integer((2000, 2100)) = Field(description="Năm đánh giá")  # type: ignore[valid-type]
    kind: Literal["annual", "mid_year"] = Field(default="annual", description="Cả năm hoặc sáu tháng đầu năm")
    self_evaluation_deadline: limits.Day = Field(description="Hạn tự đánh giá")
    evaluation_deadline: limits.Day = Field(description="Hạn đánh giá")
    report_period_codes: list[PeriodCode] = Field(default_factory=list, max_length=60,
                                                  description="Các kỳ báo cáo tính điểm tính kịp thời (vd. 2026-Q1)")
    mandatory_criterion_codes: list[Code] = Field(default_factory=list, max_length=200,
                                                  description="Tiêu chí bắt buộc: bị 0 điểm thì không được xếp loại xuất sắc")
    name: limits.Text200 = Field(default="", description="Tên đợt; trống = tự đặt theo bộ tiêu chí và năm")  # type: ignore[valid-type]


class EvaluationScoreIn(BaseModel):
    """Điểm một tiêu chí."""

    model_config = ConfigDict(extra="forbid")
    criterion_code: Code = Field(description="Mã tiêu chí")
    score: Score | None = Field(default=None, description="Điểm; trống = lấy điểm gợi ý (tự đánh giá) hoặc điểm tự đánh giá")
    comment: limits.Text1000 = Field(default="", description="Lý do (bắt buộc khi khác điểm gợi ý / điểm tự đánh giá)")
    document_ids: list[Annotated[str, Field(max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]] = Field(
        default_factory=list, max_length=20, description="Văn bản minh chứng (dịch vụ văn bản)")


class EvaluationScoresBody(BaseModel):
    """Các điểm cần lưu."""

    model_config = ConfigDict(extra="forbid")
    scores: list[EvaluationScoreIn] = Field(max_length=500, description="Điểm theo tiêu chí")
    summary: limits.text(4000) | None = Field(default=None, description="Nhận xét chung; trống = giữ nguyên")  # type: ignore[valid-type]
    version: Version = Field(description="Phiên bản đã đọc")  # type: ignore[valid-type]


class EvaluationStepBody(BaseModel):
    """Một bước xử lý (trình, gửi, chốt, đề nghị xem xét lại, trả lời)."""

    model_config = ConfigDict(extra="forbid")
    version: Version = Field(description="Phiên bản đã đọc")  # type: ignore[valid-type]
    reason: limits.Text1000 = Field(default="", description="Lý do hoặc nội dung trả lời (khi bước đó cần)")


class EvaluationRoundCloseBody(BaseModel):
    """Kết thúc đợt đánh giá."""

    model_config = ConfigDict(extra="forbid")
    version: Version = Field(description="Phiên bản đợt đã đọc")  # type: ignore[valid-type]


class EvaluationResultsPublish(BaseModel):
    """Công bố kết quả đánh giá của đợt (bản chốt, không thay đổi về sau)."""

    model_config = ConfigDict(extra="forbid")
    note: limits.Text1000 = Field(default="", description="Ghi chú, ví dụ số quyết định công bố kết quả")


class EvaluationEditionList(BaseModel):
    items: list[ResultEdition] = Field(description="Các lần công bố, mới nhất trước (không kèm bảng)")  # type: ignore[valid-type]


class EvaluationRoundList(BaseModel):
    items: list[EvaluationRound] = Field(description="Các đợt đánh giá, mới nhất trước")  # type: ignore[valid-type]


class EvaluationPage(BaseModel):
    items: list[Evaluation] = Field(description="Kết quả đánh giá (không kèm điểm từng tiêu chí)")  # type: ignore[valid-type]
    next_page_token: str = Field(description="Trống ở trang cuối")
    total: int = Field(description="Tổng số phù hợp")


class EvaluationRanking(BaseModel):
    rankings: list[Ranking] = Field(description="Các đơn vị đã có kết quả, điểm cao trước")  # type: ignore[valid-type]
    count_by_level: dict[str, int] = Field(description="Số đơn vị theo mức xếp loại")


async def call(request: Request, principal: Principal, rpc: str, message: Any) -> Any:
    clients = request.app.state.clients
    stub = getattr(request.app.state, "evaluation_stub", None)
    if stub is None:
        stub = evaluation_pb2_grpc.EvaluationServiceStub(clients.channels["evaluation"])
        request.app.state.evaluation_stub = stub
    options = clients.call_options(principal)
    options["timeout"] = max(options["timeout"], 120.0)  # opening a round computes every unit
    try:
        return await getattr(stub, rpc)(message, **options)
    except grpc.aio.AioRpcError as err:
        raise from_grpc(err) from None


def _versioned(response: Response, m: Any) -> dict[str, Any]:
    response.headers["ETag"] = etag(m.version)
    return to_json(m)


rounds = APIRouter(prefix="/api/v1/evaluation-rounds", tags=["Đánh giá (evaluation rounds)"],
                   responses=PROBLEM_RESPONSES)
evaluations = APIRouter(prefix="/api/v1/evaluations", tags=["Đánh giá (evaluations)"],
                        responses=PROBLEM_RESPONSES)


@rounds.get("", response_model=EvaluationRoundList, summary="Các đợt đánh giá")
async def list_rounds(
    request: Request, principal: Reader,
    year: Annotated[limits.integer((0, 9999)) | None, Query(description="Năm đánh giá")] = None,  # type: ignore[valid-type]
) -> dict[str, Any]:
    r = await call(request, principal, "ListRounds", pb.ListRoundsRequest(year=year or 0))
    return {"items": [to_json(x) for x in r.rounds]}


@rounds.post("", response_model=EvaluationRound, status_code=201,
             summary="Mở đợt đánh giá (đơn vị quản lý); tính điểm gợi ý cho từng đơn vị")
async def open_round(request: Request, response: Response, principal: Writer,
                     body: EvaluationRoundOpen) -> dict[str, Any]:
    msg = pb.OpenRoundRequest(
        criteria_set_id=body.criteria_set_id, year=body.year,
        kind=pb.ROUND_KIND_MID_YEAR if body.kind == "mid_year" else pb.ROUND_KIND_ANNUAL,
        self_evaluation_deadline=body.self_evaluation_deadline.isoformat(),
        evaluation_deadline=body.evaluation_deadline.isoformat(),
        report_period_codes=body.report_period_codes,
        mandatory_criterion_codes=body.mandatory_criterion_codes, name=body.name,
    )
    r = await call(request, principal, "OpenRound", msg)
    response.headers["Location"] = f"/api/v1/evaluation-rounds/{r.id}"
    return _versioned(response, r)


@rounds.get("/{round_id}", response_model=EvaluationRound, summary="Một đợt đánh giá")
async def get_round(request: Request, response: Response, principal: Reader, round_id: IdPath) -> dict[str, Any]:
    return _versioned(response, await call(request, principal, "GetRound", pb.GetRoundRequest(id=round_id)))


@rounds.post("/{round_id}/close", response_model=EvaluationRound, summary="Kết thúc đợt đánh giá")
async def close_round(request: Request, response: Response, principal: Approver, round_id: IdPath,
                      body: EvaluationRoundCloseBody) -> dict[str, Any]:
    r = await call(request, principal, "CloseRound", pb.CloseRoundRequest(id=round_id, expected_version=body.version))
    return _versioned(response, r)


@rounds.get("/{round_id}/rankings", response_model=EvaluationRanking,
            summary="Xếp hạng các đơn vị đã có kết quả đánh giá của đợt")
async def rankings(request: Request, principal: Reader, round_id: IdPath) -> dict[str, Any]:
    r = await call(request, principal, "ListRankings", pb.ListRankingsRequest(round_id=round_id))
    return to_json(r)


@rounds.post("/{round_id}/editions", response_model=ResultEdition, status_code=201,
             summary="Công bố kết quả đánh giá của đợt (bản chốt; công bố lại thành lần tiếp theo)")
async def publish_results(request: Request, response: Response, principal: Approver, round_id: IdPath,
                          body: EvaluationResultsPublish) -> dict[str, Any]:
    x = await call(request, principal, "PublishResults", pb.PublishResultsRequest(round_id=round_id, note=body.note))
    response.headers["Location"] = f"/api/v1/evaluation-rounds/{round_id}/editions/{x.revision}"
    return to_json(x)


@rounds.get("/{round_id}/editions", response_model=EvaluationEditionList,
            summary="Các lần công bố kết quả đánh giá của đợt")
async def list_result_editions(request: Request, principal: Reader, round_id: IdPath) -> dict[str, Any]:
    r = await call(request, principal, "ListResultEditions", pb.ListResultEditionsRequest(round_id=round_id))
    return {"items": [to_json(x) for x in r.editions]}


async def _edition(request: Request, principal: Principal, round_id: str, revision: int) -> Any:
    return await call(request, principal, "GetResultEdition",
                      pb.GetResultEditionRequest(round_id=round_id, revision=revision))


@rounds.get("/{round_id}/editions/{revision}", response_model=ResultEdition,
            summary="Một lần công bố: bảng kết quả (các đơn vị người gọi được xem)")
async def get_result_edition(request: Request, principal: Reader, round_id: IdPath,
                             revision: Revision) -> dict[str, Any]:
    return to_json(await _edition(request, principal, round_id, revision))


@rounds.get("/{round_id}/editions/{revision}/xlsx", response_class=StreamingResponse,
            summary="Báo cáo đánh giá kết quả của đợt theo lần công bố (XLSX)",
            responses={200: {"content": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}})
async def result_report(request: Request, principal: Reader, round_id: IdPath, revision: Revision) -> StreamingResponse:
    x = await _edition(request, principal, round_id, revision)
    name = f"ket-qua-danh-gia-{x.criteria_set_code}-{x.year}-lan-{x.revision}.xlsx"
    return StreamingResponse(
        iter([result_report_xlsx(x)]), media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}"'})


@rounds.get("/{round_id}/editions/{revision}/pdf", response_class=StreamingResponse,
            summary="Báo cáo đánh giá kết quả của đợt theo lần công bố (PDF)",
            responses={200: {"content": {"application/pdf": {}}}})
async def result_report_as_pdf(request: Request, principal: Reader, round_id: IdPath,
                               revision: Revision) -> StreamingResponse:
    x = await _edition(request, principal, round_id, revision)
    name = f"ket-qua-danh-gia-{x.criteria_set_code}-{x.year}-lan-{x.revision}.pdf"
    return StreamingResponse(iter([result_report_pdf(x)]), media_type="application/pdf",
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})


@evaluations.get("", response_model=EvaluationPage, summary="Kết quả đánh giá người gọi được xem")
async def list_evaluations(
    request: Request, principal: Reader,
    round_id: IdQuery = "", org_unit_id: IdQuery = "",
    status: Annotated[EvaluationStatusQ | None, Query(description="Trạng thái")] = None,  # type: ignore[valid-type]
    year: Annotated[limits.integer((0, 9999)) | None, Query(description="Năm đánh giá")] = None,  # type: ignore[valid-type]
    page_size: Annotated[int, Query(ge=1, le=500)] = 100,
    page_token: PageToken = "",
) -> dict[str, Any]:
    msg = pb.ListEvaluationsRequest(round_id=round_id, org_unit_id=org_unit_id, year=year or 0,
                                    page_size=page_size, page_token=page_token)
    fill(msg, {"status": status})
    r = await call(request, principal, "ListEvaluations", msg)
    return {"items": [to_json(e) for e in r.evaluations], "next_page_token": r.next_page_token,
            "total": r.total_size}


@evaluations.get("/{evaluation_id}", response_model=Evaluation,
                 summary="Một kết quả đánh giá: điểm gợi ý (kèm căn cứ), tự chấm, điểm đánh giá, lịch sử")
async def get_evaluation(request: Request, response: Response, principal: Reader,
                         evaluation_id: IdPath) -> dict[str, Any]:
    return _versioned(response, await call(request, principal, "GetEvaluation", pb.GetEvaluationRequest(id=evaluation_id)))


@evaluations.get("/{evaluation_id}/xlsx", summary="Phiếu chấm điểm của đơn vị (XLSX, theo mẫu phụ lục)",
                 response_class=StreamingResponse,
                 responses={200: {"content": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}})
async def score_sheet(request: Request, principal: Reader, evaluation_id: IdPath) -> StreamingResponse:
    e = await call(request, principal, "GetEvaluation", pb.GetEvaluationRequest(id=evaluation_id))
    r = await call(request, principal, "GetRound", pb.GetRoundRequest(id=e.round_id))
    data = score_sheet_xlsx(e, r)
    name = f"phieu-cham-diem-{e.org_unit_code}-{r.year}.xlsx"
    return StreamingResponse(
        iter([data]), media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}"'})


@evaluations.get("/{evaluation_id}/pdf", summary="Phiếu chấm điểm của đơn vị (PDF, theo mẫu phụ lục)",
                 response_class=StreamingResponse,
                 responses={200: {"content": {"application/pdf": {}}}})
async def score_sheet_as_pdf(request: Request, principal: Reader, evaluation_id: IdPath) -> StreamingResponse:
    e = await call(request, principal, "GetEvaluation", pb.GetEvaluationRequest(id=evaluation_id))
    r = await call(request, principal, "GetRound", pb.GetRoundRequest(id=e.round_id))
    data = score_sheet_pdf(e, r)
    name = f"phieu-cham-diem-{e.org_unit_code}-{r.year}.pdf"
    return StreamingResponse(iter([data]), media_type="application/pdf",
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})


@evaluations.post("/{evaluation_id}/refresh", response_model=Evaluation,
                  summary="Tính lại điểm gợi ý từ số liệu, nhiệm vụ, báo cáo hiện có")
async def refresh(request: Request, response: Response, principal: Reader, evaluation_id: IdPath) -> dict[str, Any]:
    e = await call(request, principal, "RefreshSuggestions", pb.RefreshSuggestionsRequest(evaluation_id=evaluation_id))
    return _versioned(response, e)


def _scores(body: EvaluationScoresBody) -> list[pb.CriterionScore]:
    return [pb.CriterionScore(criterion_code=s.criterion_code, score="" if s.score is None else str(s.score),
                              comment=s.comment, document_ids=s.document_ids) for s in body.scores]


@evaluations.put("/{evaluation_id}/self-scores", response_model=Evaluation,
                 summary="Đơn vị tự chấm điểm (lý do khi khác điểm gợi ý)")
async def save_self_scores(request: Request, response: Response, principal: Writer, evaluation_id: IdPath,
                           body: EvaluationScoresBody) -> dict[str, Any]:
    e = await call(request, principal, "SaveScores", pb.SaveScoresRequest(
        evaluation_id=evaluation_id, expected_version=body.version, scores=_scores(body),
        summary=body.summary or ""))
    return _versioned(response, e)


@evaluations.put("/{evaluation_id}/scores", response_model=Evaluation,
                 summary="Đơn vị quản lý chấm điểm đánh giá (điều chỉnh có lý do, giữ điểm tự chấm)")
async def adjust_scores(request: Request, response: Response, principal: Writer, evaluation_id: IdPath,
                        body: EvaluationScoresBody) -> dict[str, Any]:
    e = await call(request, principal, "AdjustScores", pb.AdjustScoresRequest(
        evaluation_id=evaluation_id, expected_version=body.version, scores=_scores(body),
        summary=body.summary or ""))
    return _versioned(response, e)


def _step(path: str, rpc: str, request_type: Any, dependency: Any, summary: str) -> None:
    async def endpoint(request: Request, response: Response, principal: dependency, evaluation_id: IdPath,  # type: ignore[valid-type]
                       body: EvaluationStepBody) -> dict[str, Any]:
        msg = request_type(evaluation_id=evaluation_id, expected_version=body.version)
        if "reason" in request_type.DESCRIPTOR.fields_by_name:
            msg.reason = body.reason
        e = await call(request, principal, rpc, msg)
        return _versioned(response, e)

    endpoint.__name__ = rpc[0].lower() + "".join("_" + c.lower() if c.isupper() else c for c in rpc[1:])
    evaluations.post(path, response_model=Evaluation, summary=summary)(endpoint)


_step("/{evaluation_id}/check", "CheckSelfEvaluation", pb.CheckSelfEvaluationRequest, Writer,
      "Văn phòng tổng hợp trình lãnh đạo đơn vị bản tự đánh giá")
_step("/{evaluation_id}/return", "ReturnSelfEvaluation", pb.ReturnSelfEvaluationRequest, Approver,
      "Lãnh đạo đơn vị trả lại bản tự đánh giá (có lý do)")
_step("/{evaluation_id}/submit", "SubmitSelfEvaluation", pb.SubmitSelfEvaluationRequest, Approver,
      "Lãnh đạo đơn vị gửi bản tự đánh giá lên đơn vị quản lý")
_step("/{evaluation_id}/finalize", "FinalizeEvaluation", pb.FinalizeEvaluationRequest, Approver,
      "Đơn vị quản lý chốt kết quả đánh giá, xếp loại")
_step("/{evaluation_id}/review-request", "RequestReview", pb.RequestReviewRequest, Approver,
      "Đơn vị đề nghị xem xét lại kết quả (một lần, trong hạn)")
_step("/{evaluation_id}/review-answer", "AnswerReview", pb.AnswerReviewRequest, Approver,
      "Đơn vị quản lý trả lời đề nghị xem xét lại")
_step("/{evaluation_id}/reopen", "ReopenEvaluation", pb.ReopenEvaluationRequest, Approver,
      "Đơn vị quản lý mở lại kết quả đã chốt để sửa (có lý do)")

routers = [rounds, evaluations]
