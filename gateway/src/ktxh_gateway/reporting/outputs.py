"""REST of the reporting outputs: report files (XLSX, PDF, CSV, JSON) rendered from the
roll-ups, published (frozen) editions, upward connectors and their delivery log. Each route
fills one request of `ktxh.reporting.v1.ReportingService` and relays the caller's token; the
service authorizes and scopes (docs/reporting.md, docs/operations.md)."""

from __future__ import annotations

import json
from datetime import UTC
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from ktxh.common.v1 import figure_pb2, types_pb2
from ktxh.reporting.v1 import reporting_pb2 as pb
from ktxh.reporting.v1 import reporting_pb2_grpc
from ktxh_platform.access import Action, Resource
from ktxh_platform.auth.principal import Principal

from ktxh_gateway import limits
from ktxh_gateway.auth import allowed
from ktxh_gateway.catalog.common import etag, expected_version
from ktxh_gateway.documents.endpoints import content_disposition
from ktxh_gateway.problems import PROBLEM_RESPONSES
from ktxh_gateway.reporting import schemas

Reader = Annotated[Principal, Depends(allowed(Resource.REPORT, Action.READ))]
Writer = Annotated[Principal, Depends(allowed(Resource.REPORT, Action.WRITE))]
PeriodCode = limits.query_text(24, min_length=1,
                               description="Mã kỳ: 2026-M10, 2026-Q3, 2026-H1, 2026-9M, 2026, "
                                           "2026-2030 hoặc @2026-10-31 (thời điểm)")
Id = limits.path_text(36)
PageSize = Annotated[int, Query(ge=1, le=500, description="Số mục mỗi trang")]
PageToken = limits.query_text(20, description="Mã trang tiếp theo")

router = APIRouter(prefix="/api/v1", tags=["Báo cáo tổng hợp (reporting)"],
                   responses=PROBLEM_RESPONSES)

_KIND = {schemas.ReportKindName.indicators: pb.REPORT_KIND_INDICATORS,
         schemas.ReportKindName.matrix: pb.REPORT_KIND_MATRIX,
         schemas.ReportKindName.key_tasks: pb.REPORT_KIND_KEY_TASKS,
         schemas.ReportKindName.target_fulfilment: pb.REPORT_KIND_TARGET_FULFILMENT}
_KIND_NAME = {v: k for k, v in _KIND.items()}
_FORMAT = {schemas.ReportFormatName.xlsx: pb.EXPORT_FORMAT_XLSX,
           schemas.ReportFormatName.pdf: pb.EXPORT_FORMAT_PDF,
           schemas.ReportFormatName.csv: pb.EXPORT_FORMAT_CSV,
           schemas.ReportFormatName.json: pb.EXPORT_FORMAT_JSON}
_CONNECTOR_KIND = {schemas.ConnectorKindName.national_reporting: pb.CONNECTOR_KIND_NATIONAL_REPORTING,
                   schemas.ConnectorKindName.ioc: pb.CONNECTOR_KIND_IOC,
                   schemas.ConnectorKindName.generic: pb.CONNECTOR_KIND_GENERIC}
_CONNECTOR_KIND_NAME = {v: k for k, v in _CONNECTOR_KIND.items()}
_STATUS = {schemas.TransmissionStatusName.pending: pb.JOB_STATUS_PENDING,
           schemas.TransmissionStatusName.succeeded: pb.JOB_STATUS_SUCCEEDED,
           schemas.TransmissionStatusName.failed: pb.JOB_STATUS_FAILED}
_STATUS_NAME = {v: k for k, v in _STATUS.items()}
FILE_TYPES = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              "application/pdf", "text/csv", "application/json")
FILE_RESPONSES = {200: {"content": {t: {"schema": {"type": "string", "format": "binary"}}
                                    for t in FILE_TYPES},
                        "description": "Tệp báo cáo"}}


def _stub(request: Request) -> reporting_pb2_grpc.ReportingServiceStub:
    return reporting_pb2_grpc.ReportingServiceStub(request.app.state.clients.channels["reporting"])


def _opts(request: Request, principal: Principal) -> dict:
    return request.app.state.clients.call_options(principal)


def _file(r: pb.RenderedReport) -> Response:
    return Response(r.content, media_type=r.content_type, headers={
        "Content-Disposition": content_disposition(r.file_name),
        "X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-cache"})


def _codes(text: str) -> list[str]:
    return [c.strip() for c in text.split(",") if c.strip()]


# --- report files ----------------------------------------------------------------------------


@router.get("/report-exports", response_class=Response, responses=FILE_RESPONSES,
            summary="Tải báo cáo của một đơn vị cho một kỳ (XLSX theo mẫu, PDF, CSV, JSON), "
                    "cùng số liệu với bảng tổng hợp")
async def export_report(
    request: Request,
    principal: Reader,
    org_unit_code: limits.query_text(40, min_length=1, description="Mã đơn vị"),
    period_code: PeriodCode,
    kind: Annotated[schemas.ReportKindName, Query(description="Mẫu báo cáo")] =
    schemas.ReportKindName.indicators,
    format: Annotated[schemas.ReportFormatName, Query(description="Định dạng tệp")] =  # noqa: A002
    schemas.ReportFormatName.xlsx,
    indicator_codes: limits.query_text(
        4000, description="Mã chỉ tiêu, cách nhau bằng dấu phẩy; bỏ trống = mọi chỉ tiêu") = "",
    use_estimates: Annotated[bool, Query(description="Dùng số ước tính khi chưa có số thực hiện")] = False,
) -> Response:
    r = await _stub(request).RenderReport(pb.RenderReportRequest(
        org_unit_code=org_unit_code, period_code=period_code, kind=_KIND[kind],
        format=_FORMAT[format], indicator_codes=_codes(indicator_codes),
        use_estimates=use_estimates), **_opts(request, principal))
    return _file(r)


# --- published editions ----------------------------------------------------------------------


def _edition(e: pb.PublishedReport) -> schemas.ReportingEdition:
    return schemas.ReportingEdition(
        id=e.id, org_unit_code=e.org_unit_code, period_code=e.period.code,
        period_label=e.period_label, kind=_KIND_NAME.get(e.kind, schemas.ReportKindName.indicators),
        title=e.title, revision=e.revision, published_by=e.published_by,
        published_at=e.published_at.ToDatetime(tzinfo=UTC) if e.HasField("published_at") else None,
        document_id=e.document_id,
        table=json.loads(e.report_table_json) if e.report_table_json else None,
    )


@router.post("/published-reports", response_model=schemas.ReportingEdition, status_code=201,
             summary="Công bố báo cáo: số liệu được đóng băng; công bố lại tạo lần mới")
async def publish_report(request: Request, principal: Writer,
                         body: schemas.ReportingPublishRequest) -> schemas.ReportingEdition:
    e = await _stub(request).PublishReport(pb.PublishReportRequest(
        org_unit_code=body.org_unit_code, period=types_pb2.Period(code=body.period_code),
        kind=_KIND[body.kind], indicator_codes=body.indicator_codes,
        document_id=body.document_id), **_opts(request, principal))
    return _edition(e)


@router.get("/published-reports", response_model=schemas.ReportingEditionPage,
            summary="Danh sách báo cáo đã công bố, mới nhất trước")
async def list_published_reports(
    request: Request, principal: Reader,
    org_unit_code: limits.query_text(40, description="Chỉ của đơn vị này") = "",
    period_code: limits.query_text(24, description="Chỉ của kỳ này") = "",
    year: Annotated[int, Query(ge=0, le=9999, description="Chỉ của năm này; 0 = mọi năm")] = 0,
    page_size: PageSize = 50, page_token: PageToken = "",
) -> schemas.ReportingEditionPage:
    r = await _stub(request).ListPublishedReports(pb.ListPublishedReportsRequest(
        org_unit_code=org_unit_code, period_code=period_code, year=year, page_size=page_size,
        page_token=page_token), **_opts(request, principal))
    return schemas.ReportingEditionPage(items=[_edition(e) for e in r.published_reports],
                                        total=r.total_size, next_page_token=r.next_page_token)


@router.get("/published-reports/{published_report_id}", response_model=schemas.ReportingEdition,
            summary="Một báo cáo đã công bố với bảng số liệu đã đóng băng")
async def get_published_report(request: Request, principal: Reader,
                               published_report_id: Id) -> schemas.ReportingEdition:
    e = await _stub(request).GetPublishedReport(
        pb.GetPublishedReportRequest(id=published_report_id), **_opts(request, principal))
    return _edition(e)


@router.get("/published-reports/{published_report_id}/file", response_class=Response,
            responses=FILE_RESPONSES, summary="Tải tệp của một báo cáo đã công bố")
async def download_published_report(
    request: Request, principal: Reader, published_report_id: Id,
    format: Annotated[schemas.ReportFormatName, Query(description="Định dạng tệp")] =  # noqa: A002
    schemas.ReportFormatName.xlsx,
) -> Response:
    r = await _stub(request).RenderReport(pb.RenderReportRequest(
        published_report_id=published_report_id, format=_FORMAT[format]),
        **_opts(request, principal))
    return _file(r)


# --- upward connectors -----------------------------------------------------------------------


def _key_pb(k: schemas.ReportingFigureKey) -> figure_pb2.FigureKey:
    return figure_pb2.FigureKey(
        indicator_code=k.indicator_code,
        members=[figure_pb2.DimensionChoice(dimension_code=m.dimension_code,
                                            member_code=m.member_code) for m in k.members],
        kind=figure_pb2.FigureKind.Value(f"FIGURE_KIND_{k.kind.value.upper()}"))


def _key(k: figure_pb2.FigureKey) -> schemas.ReportingFigureKey:
    kind = figure_pb2.FigureKind.Name(k.kind).removeprefix("FIGURE_KIND_").lower()
    return schemas.ReportingFigureKey(
        indicator_code=k.indicator_code,
        members=[schemas.ReportingDimensionChoice(dimension_code=m.dimension_code,
                                                  member_code=m.member_code) for m in k.members],
        kind=schemas.ReportingFigureKind(kind if kind != "unspecified" else "actual"))


def _connector_pb(c: schemas.ReportingConnectorInput, connector_id: str = "") -> pb.Connector:
    return pb.Connector(
        id=connector_id, code=c.code, name=c.name, kind=_CONNECTOR_KIND[c.kind],
        endpoint=c.endpoint, credentials_secret=c.credentials_secret,
        external_unit_code=c.external_unit_code,
        mappings=[pb.IndicatorMapping(key=_key_pb(m.key), external_code=m.external_code,
                                      external_unit=m.external_unit, scale_factor=m.scale_factor)
                  for m in c.mappings],
        unit_mappings=c.unit_mappings, enabled=c.enabled)


def _connector(c: pb.Connector) -> schemas.ReportingConnector:
    return schemas.ReportingConnector(
        id=c.id, version=c.version, code=c.code, name=c.name,
        kind=_CONNECTOR_KIND_NAME.get(c.kind, schemas.ConnectorKindName.generic),
        endpoint=c.endpoint, credentials_secret=c.credentials_secret,
        external_unit_code=c.external_unit_code,
        mappings=[schemas.ReportingIndicatorMapping(
            key=_key(m.key), external_code=m.external_code, external_unit=m.external_unit,
            scale_factor=m.scale_factor) for m in c.mappings],
        unit_mappings=dict(c.unit_mappings), enabled=c.enabled)


@router.post("/connectors", response_model=schemas.ReportingConnector, status_code=201,
             summary="Tạo kết nối gửi số liệu lên hệ thống cấp trên (HTTTBC Chính phủ, IOC...)")
async def create_connector(request: Request, response: Response, principal: Writer,
                           body: schemas.ReportingConnectorInput) -> schemas.ReportingConnector:
    c = await _stub(request).CreateConnector(
        pb.CreateConnectorRequest(connector=_connector_pb(body)), **_opts(request, principal))
    response.headers["ETag"] = etag(c.version)
    return _connector(c)


@router.get("/connectors", response_model=schemas.ReportingConnectorPage,
            summary="Danh sách kết nối gửi số liệu lên cấp trên")
async def list_connectors(request: Request, principal: Reader, page_size: PageSize = 50,
                          page_token: PageToken = "") -> schemas.ReportingConnectorPage:
    r = await _stub(request).ListConnectors(
        pb.ListConnectorsRequest(page_size=page_size, page_token=page_token),
        **_opts(request, principal))
    return schemas.ReportingConnectorPage(items=[_connector(c) for c in r.connectors],
                                          total=r.total_size, next_page_token=r.next_page_token)


@router.get("/connectors/{connector_id}", response_model=schemas.ReportingConnector,
            summary="Một kết nối")
async def get_connector(request: Request, response: Response, principal: Reader,
                        connector_id: Id) -> schemas.ReportingConnector:
    c = await _stub(request).GetConnector(pb.GetConnectorRequest(id=connector_id),
                                          **_opts(request, principal))
    response.headers["ETag"] = etag(c.version)
    return _connector(c)


@router.patch("/connectors/{connector_id}", response_model=schemas.ReportingConnector,
              summary="Sửa kết nối (địa chỉ, ánh xạ mã, bật/tắt); cần If-Match")
async def update_connector(
    request: Request, response: Response, principal: Writer, connector_id: Id,
    body: schemas.ReportingConnectorPatch,
    if_match: Annotated[str | None, Header(max_length=40)] = None,
) -> schemas.ReportingConnector:
    stub, opts = _stub(request), _opts(request, principal)
    current = _connector(await stub.GetConnector(pb.GetConnectorRequest(id=connector_id), **opts))
    version = expected_version(if_match, "kết nối")
    merged = current.model_copy(update=body.model_dump(exclude_unset=True, exclude_none=True))
    merged = schemas.ReportingConnectorInput.model_validate(
        merged.model_dump(exclude={"id", "version"}))
    c = await stub.UpdateConnector(pb.UpdateConnectorRequest(
        connector=_connector_pb(merged, connector_id), expected_version=version), **opts)
    response.headers["ETag"] = etag(c.version)
    return _connector(c)


def _transmission(t: pb.Transmission) -> schemas.ReportingTransmission:
    def ts(name: str):
        return getattr(t, name).ToDatetime(tzinfo=UTC) if t.HasField(name) else None

    return schemas.ReportingTransmission(
        id=t.id, connector_id=t.connector_id, org_unit_code=t.org_unit_code,
        period_code=t.period.code,
        status=_STATUS_NAME.get(t.status, schemas.TransmissionStatusName.pending),
        record_count=t.record_count, attempts=t.attempts, error=t.error,
        external_reference=t.external_reference, source=t.source, requested_by=t.requested_by,
        requested_at=ts("requested_at"), acknowledged_at=ts("acknowledged_at"),
        next_attempt_at=ts("next_attempt_at"))


@router.get("/transmissions", response_model=schemas.ReportingTransmissionPage,
            summary="Nhật ký gửi số liệu lên cấp trên, mới nhất trước")
async def list_transmissions(
    request: Request, principal: Reader,
    connector_id: limits.query_text(36, description="Chỉ của kết nối này") = "",
    status: Annotated[schemas.TransmissionStatusName | None,
                      Query(description="Chỉ trạng thái này")] = None,
    page_size: PageSize = 50, page_token: PageToken = "",
) -> schemas.ReportingTransmissionPage:
    r = await _stub(request).ListTransmissions(pb.ListTransmissionsRequest(
        connector_id=connector_id, status=_STATUS[status] if status else pb.JOB_STATUS_UNSPECIFIED,
        page_size=page_size, page_token=page_token), **_opts(request, principal))
    return schemas.ReportingTransmissionPage(
        items=[_transmission(t) for t in r.transmissions], total=r.total_size,
        next_page_token=r.next_page_token)


@router.post("/transmissions/{transmission_id}/resend", response_model=schemas.ReportingTransmission,
             summary="Gửi lại một lần gửi (cùng khóa chống trùng: bên nhận không tính hai lần)")
async def resend_transmission(request: Request, principal: Writer,
                              transmission_id: Id) -> schemas.ReportingTransmission:
    t = await _stub(request).ResendTransmission(
        pb.ResendTransmissionRequest(id=transmission_id), **_opts(request, principal))
    return _transmission(t)


# --- historical figures ----------------------------------------------------------------------


@router.post("/historical-figures", response_model=schemas.ReportingImportSummary,
             summary="Nạp số liệu lịch sử (từ năm 2010) vào kho tổng hợp; dry_run=true chỉ kiểm tra")
async def import_historical_figures(
    request: Request, principal: Writer, body: schemas.ReportingHistoricalImport,
    dry_run: Annotated[bool, Query(description="Chỉ kiểm tra và đếm, không ghi")] = True,
) -> schemas.ReportingImportSummary:
    r = await _stub(request).ImportHistoricalFigures(pb.ImportHistoricalFiguresRequest(
        source=body.source, dry_run=dry_run,
        figures=[pb.HistoricalFigure(org_unit_code=v.org_unit_code, key=_key_pb(v.key),
                                     period=types_pb2.Period(code=v.period_code), value=v.value)
                 for v in body.data_values]), **_opts(request, principal))
    return schemas.ReportingImportSummary(
        imported=r.accepted_count, updated=r.updated_count, ignored=r.ignored_count,
        dry_run=r.dry_run,
        refused=[schemas.ReportingImportRefusal(row=e.index + 1, field=e.field, reason=e.message)
                 for e in r.errors])


routers = [router]
