"""gRPC of the reporting outputs: rendered reports, published editions, upward connectors and
their delivery log. Each RPC translates the request, runs one use case, translates the answer
(mixed into `grpc_api.ReportingServicer`)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

from google.protobuf import timestamp_pb2

from ktxh.common.v1 import figure_pb2, types_pb2
from ktxh.reporting.v1 import reporting_pb2 as pb
from ktxh_platform.domain import FieldViolation, InvalidArgument
from ktxh_platform.domain.figure_keys import parse_figure_key_text
from ktxh_platform.rpc import principal_from
from ktxh_reporting.adapters.connector_feed import figure_key_text
from ktxh_reporting.adapters.edition_store import SqlReportingUnitOfWork, edition_pb
from ktxh_reporting.adapters.key_task_store import SqlKeyTaskReads
from ktxh_reporting.adapters.read_model import ReadModel
from ktxh_reporting.adapters.renderers import render
from ktxh_reporting.domain.connector import (
    Connector,
    ConnectorKind,
    DeliveryStatus,
    IndicatorMapping,
    Transmission,
    parse_scale,
)
from ktxh_reporting.domain.report_table import ReportKind, ReportTable
from ktxh_reporting.adapters.historical_store import SqlHistoryUnitOfWork
from ktxh_reporting.domain.rollups import FigureRef
from ktxh_reporting.service_layer import connectors as connector_cases
from ktxh_reporting.service_layer import historical_import
from ktxh_reporting.service_layer import report_exports

_KIND = {pb.REPORT_KIND_UNSPECIFIED: ReportKind.INDICATORS,
         pb.REPORT_KIND_INDICATORS: ReportKind.INDICATORS,
         pb.REPORT_KIND_MATRIX: ReportKind.MATRIX,
         pb.REPORT_KIND_KEY_TASKS: ReportKind.KEY_TASKS,
         pb.REPORT_KIND_TARGET_FULFILMENT: ReportKind.TARGET_FULFILMENT}
_FORMAT = {pb.EXPORT_FORMAT_UNSPECIFIED: "xlsx", pb.EXPORT_FORMAT_XLSX: "xlsx",
           pb.EXPORT_FORMAT_PDF: "pdf", pb.EXPORT_FORMAT_CSV: "csv",
           pb.EXPORT_FORMAT_JSON: "json"}
_CONNECTOR_KIND = {pb.CONNECTOR_KIND_NATIONAL_REPORTING: ConnectorKind.NATIONAL_REPORTING,
                   pb.CONNECTOR_KIND_IOC: ConnectorKind.IOC,
                   pb.CONNECTOR_KIND_GENERIC: ConnectorKind.GENERIC}
_CONNECTOR_KIND_PB = {v: k for k, v in _CONNECTOR_KIND.items()}
_STATUS_PB = {DeliveryStatus.PENDING: pb.JOB_STATUS_PENDING,
              DeliveryStatus.SUCCEEDED: pb.JOB_STATUS_SUCCEEDED,
              DeliveryStatus.FAILED: pb.JOB_STATUS_FAILED}
_STATUS = {pb.JOB_STATUS_PENDING: DeliveryStatus.PENDING,
           pb.JOB_STATUS_SUCCEEDED: DeliveryStatus.SUCCEEDED,
           pb.JOB_STATUS_FAILED: DeliveryStatus.FAILED}


def _ts(value: datetime | None) -> timestamp_pb2.Timestamp | None:
    if value is None:
        return None
    out = timestamp_pb2.Timestamp()
    out.FromDatetime(value.astimezone(UTC))
    return out


def _page(size: int, token: str) -> tuple[int, int]:
    limit = min(size or 50, 500)
    try:
        offset = max(int(token or "0"), 0)
    except ValueError:
        raise InvalidArgument.single("page_token", "Mã trang không hợp lệ") from None
    return limit, offset


def _next(offset: int, count: int, total: int) -> str:
    return str(offset + count) if offset + count < total else ""


def _build(request) -> report_exports.BuildReport:
    return report_exports.BuildReport(
        org_unit_code=request.org_unit_code.strip(),
        period_code=request.period_code.strip() if hasattr(request, "period_code")
        else request.period.code.strip(),
        kind=_KIND.get(request.kind, ReportKind.INDICATORS),
        indicator_codes=tuple(c.strip() for c in request.indicator_codes if c.strip()),
        use_estimates=getattr(request, "use_estimates", False),
    )


def connector_from_pb(c: pb.Connector, connector_id: str) -> Connector:
    bad: list[FieldViolation] = []
    kind = _CONNECTOR_KIND.get(c.kind)
    if kind is None:
        bad.append(FieldViolation("kind", "Chưa chọn loại hệ thống nhận"))
    mappings = []
    for i, m in enumerate(c.mappings):
        try:
            scale = parse_scale(m.scale_factor, f"mappings[{i}].scale_factor")
        except InvalidArgument as err:
            bad += err.violations
            scale = Decimal(1)
        key = figure_key_text(m.key) if m.key.indicator_code else ""
        mappings.append(IndicatorMapping(key, m.external_code.strip(), m.external_unit.strip(),
                                         scale))
    try:
        connector = Connector(
            id=connector_id, code=c.code.strip(), name=c.name.strip(),
            kind=kind or ConnectorKind.GENERIC, endpoint=c.endpoint.strip(),
            credentials_secret=c.credentials_secret.strip(),
            external_unit_code=c.external_unit_code.strip(), mappings=tuple(mappings),
            unit_mappings={k.strip(): v.strip() for k, v in c.unit_mappings.items()},
            enabled=c.enabled,
        )
    except InvalidArgument as err:
        raise InvalidArgument(bad + err.violations) from None
    if bad:
        raise InvalidArgument(bad)
    return connector


def _key_pb(text: str) -> figure_pb2.FigureKey:
    code, members, kind = parse_figure_key_text(text)
    return figure_pb2.FigureKey(
        indicator_code=code, kind=figure_pb2.FigureKind.Value(f"FIGURE_KIND_{kind.upper()}"),
        members=[figure_pb2.DimensionChoice(dimension_code=d, member_code=m) for d, m in members])


def connector_pb(c: Connector) -> pb.Connector:
    return pb.Connector(
        id=c.id, code=c.code, name=c.name, kind=_CONNECTOR_KIND_PB[c.kind], endpoint=c.endpoint,
        credentials_secret=c.credentials_secret, external_unit_code=c.external_unit_code,
        mappings=[pb.IndicatorMapping(key=_key_pb(m.figure_key), external_code=m.external_code,
                                      external_unit=m.external_unit,
                                      scale_factor=str(m.scale_factor))
                  for m in c.mappings],
        unit_mappings=dict(c.unit_mappings), enabled=c.enabled, version=c.version,
    )


def transmission_pb(t: Transmission) -> pb.Transmission:
    out = pb.Transmission(
        id=t.id, connector_id=t.connector_id, org_unit_code=t.org_unit_code,
        period=types_pb2.Period(code=t.period_code), status=_STATUS_PB[t.status],
        record_count=len(t.records), external_reference=t.external_reference, error=t.error,
        attempts=t.attempts, requested_by=t.requested_by, source=t.source,
    )
    for name in ("requested_at", "acknowledged_at", "next_attempt_at"):
        ts = _ts(getattr(t, name))
        if ts is not None:
            getattr(out, name).CopyFrom(ts)
    return out


class ReportOutputsServicer:
    """RPCs of exports, editions and connectors (needs `self.ctx`)."""

    def _uow(self, context) -> SqlReportingUnitOfWork:
        return SqlReportingUnitOfWork(self.ctx.db, self.ctx.messaging,
                                      principal_from(context).username)

    async def RenderReport(self, request, context):  # noqa: N802
        principal = principal_from(context)
        fmt = _FORMAT.get(request.format)
        if fmt is None:
            raise InvalidArgument.single("format", "Định dạng tệp không được hỗ trợ")
        if request.published_report_id:
            edition = await report_exports.get_edition(request.published_report_id,
                                                       self._uow(context), principal)
            table: ReportTable = edition.table
        else:
            async with self.ctx.db.sessions() as session:
                table = await report_exports.build_report(
                    _build(request), ReadModel(session), principal, datetime.now(UTC).date(),
                    SqlKeyTaskReads(session))
        content, media_type, file_name = render(table, fmt)
        return pb.RenderedReport(content=content, content_type=media_type, file_name=file_name)

    async def PublishReport(self, request, context):  # noqa: N802
        edition = await report_exports.publish_report(
            report_exports.PublishReport(_build(request), request.document_id.strip()),
            self._uow(context), principal_from(context), datetime.now(UTC))
        return edition_pb(edition)

    async def GetPublishedReport(self, request, context):  # noqa: N802
        edition = await report_exports.get_edition(request.id, self._uow(context),
                                                   principal_from(context))
        return edition_pb(edition, with_table=True)

    async def ListPublishedReports(self, request, context):  # noqa: N802
        limit, offset = _page(request.page_size, request.page_token)
        items, total = await report_exports.list_editions(
            self._uow(context), principal_from(context),
            org_unit_code=request.org_unit_code.strip(), period_code=request.period_code.strip(),
            year=request.year, limit=limit, offset=offset)
        return pb.ListPublishedReportsResponse(
            published_reports=[edition_pb(e) for e in items], total_size=total,
            next_page_token=_next(offset, len(items), total))

    async def CreateConnector(self, request, context):  # noqa: N802
        c = connector_from_pb(request.connector, str(uuid.uuid4()))
        created = await connector_cases.create_connector(c, self._uow(context),
                                                         principal_from(context),
                                                         datetime.now(UTC))
        return connector_pb(created)

    async def UpdateConnector(self, request, context):  # noqa: N802
        if not request.connector.id:
            raise InvalidArgument.single("connector.id", "Chưa chọn kết nối")
        c = connector_from_pb(request.connector, request.connector.id)
        updated = await connector_cases.update_connector(
            c, request.expected_version, self._uow(context), principal_from(context),
            datetime.now(UTC))
        return connector_pb(updated)

    async def GetConnector(self, request, context):  # noqa: N802
        return connector_pb(await connector_cases.get_connector(
            request.id, self._uow(context), principal_from(context)))

    async def ListConnectors(self, request, context):  # noqa: N802
        limit, offset = _page(request.page_size, request.page_token)
        items, total = await connector_cases.list_connectors(
            self._uow(context), principal_from(context), _CONNECTOR_KIND.get(request.kind),
            limit, offset)
        return pb.ListConnectorsResponse(connectors=[connector_pb(c) for c in items],
                                         total_size=total,
                                         next_page_token=_next(offset, len(items), total))

    async def ListTransmissions(self, request, context):  # noqa: N802
        limit, offset = _page(request.page_size, request.page_token)
        items, total = await connector_cases.list_transmissions(
            self._uow(context), principal_from(context), request.connector_id,
            _STATUS.get(request.status), limit, offset)
        return pb.ListTransmissionsResponse(transmissions=[transmission_pb(t) for t in items],
                                            total_size=total,
                                            next_page_token=_next(offset, len(items), total))

    async def ResendTransmission(self, request, context):  # noqa: N802
        return transmission_pb(await connector_cases.resend_transmission(
            request.id, self._uow(context), principal_from(context), datetime.now(UTC)))

    async def ImportHistoricalFigures(self, request, context):  # noqa: N802
        rows = [
            historical_import.HistoricalRow(
                org_unit_code=f.org_unit_code.strip(), period_code=f.period.code.strip(),
                key=FigureRef(
                    f.key.indicator_code.strip(),
                    tuple(sorted((m.dimension_code, m.member_code) for m in f.key.members)),
                    figure_pb2.FigureKind.Name(f.key.kind).removeprefix("FIGURE_KIND_").lower()
                    .replace("unspecified", "actual")),
                value=f.value)
            for f in request.figures
        ]
        principal = principal_from(context)
        now = datetime.now(UTC)
        summary = await historical_import.import_historical(
            rows, dry_run=request.dry_run,
            uow=SqlHistoryUnitOfWork(self.ctx.db, self.ctx.messaging, principal.username),
            principal=principal, today=now.date(), now=now)
        return pb.ImportHistoricalFiguresResponse(
            accepted_count=summary.imported, updated_count=summary.updated,
            ignored_count=summary.ignored, dry_run=summary.dry_run,
            errors=[pb.ImportError(index=r.row - 1, field=r.field, message=r.reason)
                    for r in summary.refused])
