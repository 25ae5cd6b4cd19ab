"""Bulk figures (issue 11, point 8): `POST /api/v1/data-values` (JSON or CSV, the machine API
in the spirit of DHIS2's `dataValueSets`) and a unit's report as an Excel workbook
(`GET/POST /api/v1/submissions/{id}/xlsx`), read back through the same import path. Each route fills one request of
`ktxh.submission.v1.SubmissionService` and calls it with the caller's token; the service
decides every row (scope, form, status, validation) and answers the import summary."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Header, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from ktxh.submission.v1 import submission_pb2 as pb
from ktxh.submission.v1 import submission_pb2_grpc
from ktxh_platform.access import Action, Resource
from ktxh_platform.auth.principal import Principal
from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, ValidationError

from ktxh_gateway import limits
from ktxh_gateway.auth import allowed
from ktxh_gateway.catalog.common import content_disposition
from ktxh_gateway.problems import PROBLEM_RESPONSES, FieldError, ProblemError

Reader = Annotated[Principal, Depends(allowed(Resource.SUBMISSION, Action.READ))]
Writer = Annotated[Principal, Depends(allowed(Resource.SUBMISSION, Action.WRITE))]
SubmissionId = limits.path_text(36, description="Id của báo cáo")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 200_000
# A bulk import writes up to MAX_ROWS figures in one transaction: more time than one save.
BULK_TIMEOUT_SECONDS = 120.0
CSV_MEDIA = ("text/csv", "application/csv")

router = APIRouter(prefix="/api/v1/data-values", tags=["Nhập số liệu hàng loạt (data-values)"],
                   responses=PROBLEM_RESPONSES)


class DataValueRow(BaseModel):
    """Một số liệu: đơn vị, kỳ, khoá số liệu, giá trị, thuyết minh."""

    model_config = ConfigDict(extra="forbid")
    org_unit_code: limits.text(40, min_length=1) = Field(description="Mã đơn vị có báo cáo")  # type: ignore[valid-type]
    period_code: limits.text(20, min_length=1) = Field(description="Mã kỳ: 2026-M10, 2026-Q4, 2026-H1, 2026")  # type: ignore[valid-type]
    key: limits.text(300, min_length=1) = Field(  # type: ignore[valid-type]
        description="Khoá số liệu: HP2081.XIII.01[price_basis=comparative]/actual (không có /loại: actual)")
    value: limits.text(4000) | StrictInt | StrictFloat = Field(  # type: ignore[valid-type]
        default="", description="Giá trị (số hoặc chuỗi; dấu thập phân . hoặc ,); trống = xoá số liệu")
    note: limits.text(4000) = Field(default="", description="Thuyết minh")  # type: ignore[valid-type]


class DataValueSet(BaseModel):
    """Các số liệu gửi một lần (một hoặc nhiều đơn vị, kỳ)."""

    model_config = ConfigDict(extra="forbid")
    data_values: list[DataValueRow] = Field(max_length=MAX_ROWS)


class DataValueRefusal(BaseModel):
    row: int = Field(description="Dòng: vị trí trong danh sách JSON (từ 1), dòng của tệp CSV (tiêu đề là dòng 1) hoặc dòng Excel")
    field: str = Field(description="Trường có lỗi: org_unit_code, period_code, key, value, note (trống: cả dòng)")
    reason: str = Field(description="Lý do (tiếng Việt)")


class DataValueImportSummary(BaseModel):
    """Kết quả nhập: mới, cập nhật, bỏ qua (không đổi) và mọi dòng bị từ chối kèm lý do.
    Các dòng hợp lệ được ghi trong một giao dịch; chạy thử không ghi gì."""

    dry_run: bool
    imported: int = Field(description="Số liệu mới")
    updated: int = Field(description="Số liệu thay đổi")
    ignored: int = Field(description="Dòng trùng với số liệu đã lưu")
    refused: list[DataValueRefusal]


DryRun = Annotated[bool, Query(description="Chỉ kiểm tra và đếm, không ghi (chạy thử)")]
Reason = limits.query_text(2000, description="Lý do (lưu trong lịch sử số liệu)")
IdempotencyKey = Annotated[str | None, Header(max_length=200, pattern=limits.TEXT_PATTERN,
                                              description="Gửi lại cùng khoá: trả lại kết quả lần đầu")]


def stub(request: Request) -> submission_pb2_grpc.SubmissionServiceStub:
    return submission_pb2_grpc.SubmissionServiceStub(request.app.state.clients.channels["submission"])


def call_options(request: Request, principal: Principal) -> dict[str, Any]:
    options = request.app.state.clients.call_options(principal)
    return {**options, "timeout": max(options["timeout"], BULK_TIMEOUT_SECONDS)}


def summary_out(s: pb.ImportSummary) -> DataValueImportSummary:
    return DataValueImportSummary(
        dry_run=s.dry_run, imported=s.imported, updated=s.updated, ignored=s.ignored,
        refused=[DataValueRefusal(row=r.row, field=r.field, reason=r.reason) for r in s.refused])


def _value(v: str | float) -> str:
    return v if isinstance(v, str) else repr(v) if isinstance(v, float) else str(v)


def _inline(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema with its definitions inlined (the body is read by hand, so
    FastAPI does not list the model among the components)."""
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return walk(defs[ref.removeprefix("#/$defs/")])
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(schema)


_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": _inline(DataValueSet)},
        "text/csv": {"schema": {"type": "string", "description": (
            "UTF-8 (có hoặc không BOM), dòng đầu là tiêu đề: org_unit_code,period_code,key,value,note "
            "(note không bắt buộc; thứ tự tuỳ ý; phân cách bằng , hoặc ;)")}},
    },
}


@router.post(
    "", response_model=DataValueImportSummary,
    summary="Nhập nhiều số liệu một lần (JSON hoặc CSV), có chạy thử và báo cáo kết quả từng dòng",
    openapi_extra={"requestBody": _BODY},
    responses={415: {"description": "Chỉ nhận application/json hoặc text/csv"}},
)
async def import_data_values(
    request: Request, principal: Writer, dry_run: DryRun = False, reason: Reason = "",
    idempotency_key: IdempotencyKey = None,
) -> DataValueImportSummary:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    msg = pb.ImportDataValuesRequest(dry_run=dry_run, idempotency_key=idempotency_key or "",
                                     reason=reason)
    if media in CSV_MEDIA:
        if not body.strip():
            raise ProblemError(422, "Tệp CSV trống", errors=[FieldError(
                field="csv", message="Dòng đầu phải là tiêu đề org_unit_code,period_code,key,value,note")])
        msg.csv = body
    elif media in ("application/json", ""):
        try:
            data = DataValueSet.model_validate_json(body or b"null")
        except ValidationError as err:
            raise RequestValidationError(
                [{**e, "loc": ("body", *e["loc"])} for e in err.errors(include_url=False)]) from None
        msg.data_values.extend(
            pb.DataValue(org_unit_code=r.org_unit_code, period_code=r.period_code, key=r.key,
                         value=_value(r.value), note=r.note)
            for r in data.data_values)
    else:
        raise ProblemError(415, "Chỉ nhận nội dung application/json hoặc text/csv")
    r = await stub(request).ImportDataValues(msg, **call_options(request, principal))
    return summary_out(r)


files = APIRouter(prefix="/api/v1/submissions", tags=["Báo cáo kỳ (submissions)"],
                  responses=PROBLEM_RESPONSES)


@files.get(
    "/{submission_id}/xlsx", response_class=Response,
    summary="Tải biểu mẫu báo cáo (Excel) để nhập số liệu ngoại tuyến",
    responses={200: {"content": {XLSX: {}}, "description": (
        "Tệp Excel, với Content-Disposition: attachment; filename*=UTF-8''...")}},
)
async def export_submission_xlsx(
    submission_id: SubmissionId, request: Request, principal: Reader,
) -> Response:
    r = await stub(request).ExportSubmissionXlsx(
        pb.ExportSubmissionXlsxRequest(submission_id=submission_id), **call_options(request, principal))
    return Response(r.content, media_type=r.content_type or XLSX, headers={
        "Content-Disposition": content_disposition(r.file_name),
        "Cache-Control": "no-store"})


@files.post(
    "/{submission_id}/xlsx", response_model=DataValueImportSummary,
    summary="Nhập lại biểu mẫu Excel đã điền (chạy thử trước), kết quả từng dòng như data-values",
    responses={413: {"description": "Tệp vượt giới hạn tải lên"}},
)
async def import_submission_xlsx(
    submission_id: SubmissionId, request: Request, principal: Writer,
    file: Annotated[UploadFile, File(description="Tệp Excel (.xlsx) xuất từ báo cáo, đã điền")],
    dry_run: DryRun = False, reason: Reason = "", idempotency_key: IdempotencyKey = None,
) -> DataValueImportSummary:
    limit = request.app.state.settings.max_upload_bytes  # BodySizeLimit refused larger bodies
    content = await file.read(limit + 1)
    if len(content) > limit:
        message = limits.file_too_large(limit)
        raise ProblemError(413, message, errors=[FieldError(field="file", message=message)])
    if not content:
        raise ProblemError(422, "Tệp rỗng", errors=[FieldError(field="file", message="Tệp không có nội dung")])
    r = await stub(request).ImportSubmissionXlsx(
        pb.ImportSubmissionXlsxRequest(submission_id=submission_id, content=content, dry_run=dry_run,
                                       idempotency_key=idempotency_key or "", reason=reason),
        **call_options(request, principal))
    return summary_out(r)


routers: list[Any] = [router, files]
