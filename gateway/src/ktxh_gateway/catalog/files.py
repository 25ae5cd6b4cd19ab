"""Import and export of indicator sets (XLSX / JSON, with a dry run) and of the whole catalog
(JSON), and the deadlines of a reporting period under a calendar."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from ktxh.catalog.v1 import catalog_pb2
from ktxh.common.v1 import types_pb2
from ktxh_gateway import limits
from ktxh_gateway.auth import CurrentUser
from ktxh_gateway.catalog.common import (
    CodePath,
    PERIOD_CODE,
    CatalogEditor,
    call,
    content_disposition,
)
from ktxh_gateway.catalog.convert import model_for, to_json
from ktxh_gateway.problems import (
    PROBLEM,
    PROBLEM_RESPONSES,
    TYPE_BASE,
    FieldError,
    Problem,
    ProblemError,
)

router = APIRouter(prefix="/api/v1", responses=PROBLEM_RESPONSES)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"xlsx": catalog_pb2.FILE_FORMAT_XLSX, "json": catalog_pb2.FILE_FORMAT_JSON}
MEDIA = {"xlsx": XLSX, "json": "application/json"}


class ImportIssue(BaseModel):
    sheet: str = Field(description="Tên sheet (XLSX)")
    row: int | None = Field(description="Số dòng trong Excel; trống khi lỗi không thuộc một dòng")
    column: str = Field(description="Tiêu đề cột (XLSX)")
    field: str = Field(description="Đường dẫn trường (JSON hoặc danh mục)")
    message: str = Field(description="Nội dung lỗi (tiếng Việt)")
    location: str = Field(description='Vị trí để hiển thị, ví dụ "Dòng 5, cột Chiều tốt"')


class ImportPlanEntry(BaseModel):
    kind: str
    code: str
    action: Literal["create", "revise", "unchanged"] | str
    changed_fields: list[str]


class ImportResult(BaseModel):
    """Kết quả nhập: chạy thử (dry_run) chỉ kiểm tra và cho biết sẽ làm gì; khi có lỗi không
    có gì được ghi."""

    dry_run: bool
    applied: bool = Field(description="Đã ghi vào danh mục")
    valid: bool = Field(description="Tệp không có lỗi")
    errors: list[ImportIssue]
    plan: list[ImportPlanEntry]
    indicator_set_id: str | None
    created_count: int
    revised_count: int
    unchanged_count: int


MAIN_SHEET = "Chỉ số"  # the sheet a planning officer works in; others are named


def _location(e: Any) -> str:
    """Where an error is, as the officer reads it: "Dòng 5, cột Chiều tốt" (on the main
    sheet), "Sheet Phân tổ, dòng 3, cột Mã chiều", or the field path of a JSON document."""
    parts = []
    if e.sheet and (e.sheet != MAIN_SHEET or not e.row):
        parts.append(f"Sheet {e.sheet}")
    if e.row:
        parts.append(f"dòng {e.row}")
    if e.column:
        parts.append(f"cột {e.column}")
    if not parts and e.field:
        parts.append(e.field)
    text = ", ".join(parts)
    return text[:1].upper() + text[1:] if text else ""


def _result(r: Any) -> dict[str, Any]:
    return {
        "dry_run": r.dry_run, "applied": r.applied, "valid": not r.errors,
        "errors": [
            {"sheet": e.sheet, "row": e.row or None, "column": e.column, "field": e.field,
             "message": e.message, "location": _location(e)}
            for e in r.errors
        ],
        "plan": [
            {"kind": p.kind, "code": p.code, "action": p.action, "changed_fields": list(p.changed_fields)}
            for p in r.plan
        ],
        "indicator_set_id": r.indicator_set_id or None,
        "created_count": r.created_count, "revised_count": r.revised_count,
        "unchanged_count": r.unchanged_count,
    }


def _import_response(request: Request, r: Any) -> Any:
    """A dry run always answers 200 with the list of errors; a real import with errors
    writes nothing and answers 422 (problem details with the same list)."""
    result = _result(r)
    if r.dry_run or not r.errors:
        return result
    problem = Problem(
        type=TYPE_BASE + "validation", title="Dữ liệu không hợp lệ", status=422,
        detail=f"Tệp có {len(r.errors)} lỗi, chưa nhập gì. Sửa các lỗi rồi nhập lại.",
        instance=request.url.path,
        errors=[FieldError(field=e["location"] or e["field"], message=e["message"]) for e in result["errors"]],
    ).model_dump(exclude_none=True)
    return JSONResponse({**problem, "import": result}, status_code=422, media_type=PROBLEM)


async def _read_upload(request: Request, file: UploadFile) -> bytes:
    limit = request.app.state.settings.max_upload_bytes  # BodySizeLimit refused larger bodies
    content = await file.read(limit + 1)
    if len(content) > limit:
        message = limits.file_too_large(limit)
        raise ProblemError(413, message, errors=[FieldError(field="file", message=message)])
    if not content:
        raise ProblemError(422, "Tệp rỗng", errors=[FieldError(field="file", message="Tệp không có nội dung")])
    return content


def _guess_format(file: UploadFile, content: bytes, fmt: str | None) -> str:
    if fmt:
        return fmt
    name = (file.filename or "").lower()
    if name.endswith(".xlsx") or content[:2] == b"PK":
        return "xlsx"
    if name.endswith(".json") or content.lstrip()[:1] in (b"{", b"["):
        return "json"
    raise ProblemError(422, "Không nhận ra định dạng tệp",
                       errors=[FieldError(field="file", message="Chỉ nhận tệp Excel (.xlsx) hoặc JSON (.json)")])


ImportFile = Annotated[UploadFile, File(description="Tệp Excel (.xlsx) theo mẫu xuất ra, hoặc JSON")]
DryRun = Annotated[bool, Query(description="Chỉ kiểm tra, không ghi (chạy thử)")]
EffectiveFrom = Annotated[limits.Day | None, Query(description="Hiệu lực từ ngày của các mục được tạo/sửa; trống = hôm nay")]
Reason = Annotated[limits.Text1000, Form(description="Lý do (lưu trong lịch sử)")]


@router.post(
    "/indicator-sets/import", response_model=ImportResult, tags=["Bộ chỉ số (indicator sets)"],
    summary="Nhập bộ chỉ số từ Excel/JSON (chạy thử liệt kê mọi lỗi theo dòng)",
    responses={422: {"description": "Tệp có lỗi, không ghi gì (chỉ khi không chạy thử)"}},
)
async def import_indicator_set(
    request: Request, principal: CatalogEditor, file: ImportFile,
    dry_run: DryRun = False, effective_from: EffectiveFrom = None,
    format: Annotated[Literal["xlsx", "json"] | None, Query(description="Định dạng; trống = đoán từ tệp")] = None,
    reason: Reason = "",
) -> Any:
    content = await _read_upload(request, file)
    fmt = _guess_format(file, content, format)
    r = await call(
        request, principal, "ImportIndicatorSet",
        catalog_pb2.ImportIndicatorSetRequest(
            content=content, format=FORMATS[fmt], dry_run=dry_run,
            effective_from=effective_from.isoformat() if effective_from else "", reason=reason,
        ),
    )
    return _import_response(request, r)


@router.get(
    "/indicator-sets/{code}/export", tags=["Bộ chỉ số (indicator sets)"],
    summary="Xuất bộ chỉ số (Excel hoặc JSON) kèm mọi chỉ số cần dùng",
    response_class=Response,
    responses={200: {"content": {XLSX: {}, "application/json": {}},
                     "description": "Tệp, với Content-Disposition: attachment; filename*=UTF-8''..."}},
)
async def export_indicator_set(
    request: Request, principal: CurrentUser, code: CodePath,
    format: Annotated[Literal["xlsx", "json"], Query(description="xlsx hoặc json")] = "xlsx",
    as_of: Annotated[limits.Day | None, Query(description="Phiên bản có hiệu lực tại ngày; trống = hôm nay")] = None,
) -> Response:
    r = await call(
        request, principal, "ExportIndicatorSet",
        catalog_pb2.ExportIndicatorSetRequest(
            id=code, format=FORMATS[format], as_of=as_of.isoformat() if as_of else "",
        ),
    )
    suffix = f" ({as_of.isoformat()})" if as_of else ""
    filename = f"Bộ chỉ số {code}{suffix}.{format}"
    return Response(
        r.content, media_type=r.content_type or MEDIA[format],
        headers={"Content-Disposition": content_disposition(filename), "Cache-Control": "no-store"},
    )


@router.post(
    "/catalog/import", response_model=ImportResult, tags=["Danh mục (toàn bộ)"],
    summary="Nhập tài liệu danh mục JSON (mọi loại danh mục; chạy thử liệt kê mọi lỗi)",
)
async def import_catalog(
    request: Request, principal: CatalogEditor, file: ImportFile,
    dry_run: DryRun = False, effective_from: EffectiveFrom = None, reason: Reason = "",
) -> Any:
    content = await _read_upload(request, file)
    r = await call(
        request, principal, "ImportCatalog",
        catalog_pb2.ImportCatalogRequest(
            content=content, dry_run=dry_run,
            effective_from=effective_from.isoformat() if effective_from else "", reason=reason,
        ),
    )
    return _import_response(request, r)


@router.get(
    "/catalog/export", tags=["Danh mục (toàn bộ)"], response_class=Response,
    summary="Xuất toàn bộ danh mục có hiệu lực tại một ngày (JSON)",
    responses={200: {"content": {"application/json": {}}}},
)
async def export_catalog(
    request: Request, principal: CurrentUser,
    as_of: Annotated[limits.Day | None, Query(description="Ngày; trống = hôm nay")] = None,
) -> Response:
    r = await call(request, principal, "ExportCatalog",
                   catalog_pb2.ExportCatalogRequest(as_of=as_of.isoformat() if as_of else ""))
    filename = f"Danh mục KTXH ({(as_of or date.today()).isoformat()}).json"
    return Response(r.content, media_type=r.content_type or "application/json",
                    headers={"Content-Disposition": content_disposition(filename), "Cache-Control": "no-store"})


Deadlines = model_for(catalog_pb2.ResolvedDeadlines.DESCRIPTOR)
Period = Annotated[str, Query(description="Mã kỳ: 2026-M11, 2026-Q4, 2026-H2, 2026, 2026-2030", examples=["2026-M11"],
                              pattern=PERIOD_CODE.pattern)]
AsOf = Annotated[limits.Day | None, Query(description="Dùng phiên bản lịch có hiệu lực tại ngày này; trống = theo kỳ")]


def _period(period: str) -> types_pb2.Period:
    if not PERIOD_CODE.match(period):
        raise ProblemError(422, "Mã kỳ không hợp lệ", errors=[FieldError(
            field="period", message="Mã kỳ dạng 2026-M11 (tháng), 2026-Q4 (quý), 2026-H2 (6 tháng), 2026 (năm)")])
    return types_pb2.Period(code=period)


@router.get("/calendars/{code}/deadlines", response_model=Deadlines, tags=["Lịch báo cáo (calendars)"],
            summary="Hạn báo cáo, thời gian chốt số liệu và hạn nội bộ của một kỳ")
async def calendar_deadlines(
    request: Request, principal: CurrentUser, code: CodePath, period: Period, as_of: AsOf = None,
) -> dict[str, Any]:
    r = await call(request, principal, "ResolveDeadlines", catalog_pb2.ResolveDeadlinesRequest(
        calendar_id=code, period=_period(period), as_of=as_of.isoformat() if as_of else ""))
    return to_json(r)


@router.get("/indicator-sets/{code}/deadlines", response_model=Deadlines, tags=["Bộ chỉ số (indicator sets)"],
            summary="Hạn báo cáo của một kỳ theo lịch của bộ chỉ số")
async def indicator_set_deadlines(
    request: Request, principal: CurrentUser, code: CodePath, period: Period, as_of: AsOf = None,
) -> dict[str, Any]:
    r = await call(request, principal, "ResolveDeadlines", catalog_pb2.ResolveDeadlinesRequest(
        indicator_set_id=code, period=_period(period), as_of=as_of.isoformat() if as_of else ""))
    return to_json(r)
