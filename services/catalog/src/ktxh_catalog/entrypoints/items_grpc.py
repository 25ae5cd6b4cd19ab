"""gRPC entrypoint of the versioned catalogs: each rpc builds one command (or the arguments
of one query), calls one use case, and translates its result into the response message.
Roles are checked by the use cases; domain errors become gRPC statuses in the platform
interceptor, with field violations naming the fields of the resource message
(``numerator_code``, ``items[3].frequencies``, ``rules[0].due.day``), i.e. the REST body's.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import grpc
from google.protobuf.message import Message

from ktxh.catalog.v1 import catalog_pb2 as pb
from ktxh.common.v1 import types_pb2
from ktxh_catalog.adapters.item_wire import (
    KINDS,
    STAGES,
    MessageDefinition,
    frequency_from_pb,
    item_to_pb,
    period_from_pb,
    period_to_pb,
    span,
    unit_kind_from_pb,
)
from ktxh_catalog.adapters.json_io import to_data
from ktxh_catalog.service_layer import items as svc
from ktxh_catalog.service_layer.unit_of_work import CatalogUnitOfWork
from ktxh_platform.domain import InvalidArgument
from ktxh_platform.rpc import principal_from

_LIST_FIELDS = {
    "indicator": "indicators", "indicator_set": "indicator_sets", "key_task": "key_tasks",
    "thematic_plan": "thematic_plans", "criteria_set": "criteria_sets",
    "period_target": "period_targets", "report_template": "report_templates",
    "calendar": "calendars",
}
_FORMATS = {pb.FILE_FORMAT_XLSX: "xlsx", pb.FILE_FORMAT_JSON: "json"}


class ItemRpcs:
    """The rpcs of the eight versioned catalogs, ResolveDeadlines, ListChanges,
    ListRevisions, import and export. Part of ``CatalogServicer`` (entrypoints/servicer.py),
    which is given ``_uow`` and ``_province`` by the composition root."""

    _uow: Callable[..., CatalogUnitOfWork]
    _province: str

    def _render(self, view: svc.ItemView) -> Message:
        return item_to_pb(view.item.kind, view.item, view.ver, view.refs, self._province)

    # ------------------------------------------------------------------ generic handlers

    async def _create(self, kind: str, request: Any, context: grpc.aio.ServicerContext) -> Message:
        principal = principal_from(context)
        message = getattr(request, KINDS[kind][1])
        view = await svc.create_item(
            svc.CreateItem(
                kind, MessageDefinition(kind, message),
                effective_from=svc.parse_day(message.valid_from, "valid_from"),
                idempotency_key=request.idempotency_key,
            ),
            self._uow(principal.username), principal,
        )
        return self._render(view)

    async def _get(self, kind: str, request: Any, context: grpc.aio.ServicerContext) -> Message:
        view = await svc.get_item(kind, request.id, svc.parse_day(request.as_of, "as_of"),
                                  self._uow(), principal_from(context))
        return self._render(view)

    async def _update(self, kind: str, request: Any, context: grpc.aio.ServicerContext) -> Message:
        principal = principal_from(context)
        message = getattr(request, KINDS[kind][1])
        view = await svc.revise_item(
            svc.ReviseItem(
                kind, message.id, MessageDefinition(kind, message, request.update_mask),
                expected_version=request.expected_version,
                effective_from=svc.parse_day(getattr(request, "effective_from", ""),
                                             "effective_from"),
                reason=request.reason,
            ),
            self._uow(principal.username), principal,
        )
        return self._render(view)

    async def _retire(self, kind: str, request: Any, context: grpc.aio.ServicerContext) -> Message:
        principal = principal_from(context)
        view = await svc.retire_item(
            svc.RetireItem(kind, request.id, expected_version=request.expected_version,
                           valid_to=svc.parse_day(request.valid_to, "valid_to"),
                           reason=request.reason),
            self._uow(principal.username), principal,
        )
        return self._render(view)

    async def _list(self, kind: str, request: Any, context: grpc.aio.ServicerContext,
                    filters: svc.ListFilter, response: type[Message]) -> Message:
        views, token, total = await svc.list_items(
            kind, self._uow(), principal_from(context), filters=filters, query=request.query,
            as_of=svc.parse_day(request.as_of, "as_of"), include_retired=request.include_retired,
            page_size=request.page_size, page_token=request.page_token,
        )
        return response(**{
            _LIST_FIELDS[kind]: [self._render(v) for v in views],
            "next_page_token": token, "total_size": total,
        })

    # ------------------------------------------------------------------ indicators

    async def CreateIndicator(self, request, context):  # noqa: N802
        return await self._create("indicator", request, context)

    async def GetIndicator(self, request, context):  # noqa: N802
        return await self._get("indicator", request, context)

    async def UpdateIndicator(self, request, context):  # noqa: N802
        return await self._update("indicator", request, context)

    async def RetireIndicator(self, request, context):  # noqa: N802
        return await self._retire("indicator", request, context)

    async def ListIndicators(self, request, context):  # noqa: N802
        frequency = None
        if request.frequency:
            frequency = frequency_from_pb(request.frequency)
            if frequency is None:
                raise InvalidArgument.single("frequency", "Tần suất không hợp lệ")
        filters = svc.ListFilter(indicator_set=request.indicator_set_id,
                                 group_code=request.group_code, field=request.field,
                                 frequency=frequency)
        return await self._list("indicator", request, context, filters, pb.ListIndicatorsResponse)

    # ------------------------------------------------------------------ indicator sets

    async def CreateIndicatorSet(self, request, context):  # noqa: N802
        return await self._create("indicator_set", request, context)

    async def GetIndicatorSet(self, request, context):  # noqa: N802
        return await self._get("indicator_set", request, context)

    async def UpdateIndicatorSet(self, request, context):  # noqa: N802
        return await self._update("indicator_set", request, context)

    async def RetireIndicatorSet(self, request, context):  # noqa: N802
        return await self._retire("indicator_set", request, context)

    async def ListIndicatorSets(self, request, context):  # noqa: N802
        filters = svc.ListFilter(unit_kind=unit_kind_from_pb(request.applies_to_kind))
        return await self._list("indicator_set", request, context, filters,
                                pb.ListIndicatorSetsResponse)

    # ------------------------------------------------------------------ key tasks

    async def CreateKeyTask(self, request, context):  # noqa: N802
        return await self._create("key_task", request, context)

    async def GetKeyTask(self, request, context):  # noqa: N802
        return await self._get("key_task", request, context)

    async def UpdateKeyTask(self, request, context):  # noqa: N802
        return await self._update("key_task", request, context)

    async def RetireKeyTask(self, request, context):  # noqa: N802
        return await self._retire("key_task", request, context)

    async def ListKeyTasks(self, request, context):  # noqa: N802
        filters = svc.ListFilter(year=request.year, lead_office=request.lead_office,
                                 thematic_plan=request.thematic_plan_id)
        return await self._list("key_task", request, context, filters, pb.ListKeyTasksResponse)

    # ------------------------------------------------------------------ thematic plans

    async def CreateThematicPlan(self, request, context):  # noqa: N802
        return await self._create("thematic_plan", request, context)

    async def GetThematicPlan(self, request, context):  # noqa: N802
        return await self._get("thematic_plan", request, context)

    async def UpdateThematicPlan(self, request, context):  # noqa: N802
        return await self._update("thematic_plan", request, context)

    async def RetireThematicPlan(self, request, context):  # noqa: N802
        return await self._retire("thematic_plan", request, context)

    async def ListThematicPlans(self, request, context):  # noqa: N802
        return await self._list("thematic_plan", request, context,
                                svc.ListFilter(year=request.year), pb.ListThematicPlansResponse)

    # ------------------------------------------------------------------ criteria sets

    async def CreateCriteriaSet(self, request, context):  # noqa: N802
        return await self._create("criteria_set", request, context)

    async def GetCriteriaSet(self, request, context):  # noqa: N802
        return await self._get("criteria_set", request, context)

    async def UpdateCriteriaSet(self, request, context):  # noqa: N802
        return await self._update("criteria_set", request, context)

    async def RetireCriteriaSet(self, request, context):  # noqa: N802
        return await self._retire("criteria_set", request, context)

    async def ListCriteriaSets(self, request, context):  # noqa: N802
        filters = svc.ListFilter(year=request.year,
                                 unit_kind=unit_kind_from_pb(request.applies_to_kind))
        return await self._list("criteria_set", request, context, filters,
                                pb.ListCriteriaSetsResponse)

    # ------------------------------------------------------------------ period targets

    async def CreatePeriodTarget(self, request, context):  # noqa: N802
        return await self._create("period_target", request, context)

    async def GetPeriodTarget(self, request, context):  # noqa: N802
        return await self._get("period_target", request, context)

    async def UpdatePeriodTarget(self, request, context):  # noqa: N802
        return await self._update("period_target", request, context)

    async def RetirePeriodTarget(self, request, context):  # noqa: N802
        return await self._retire("period_target", request, context)

    async def ListPeriodTargets(self, request, context):  # noqa: N802
        filters = svc.ListFilter(indicator=request.indicator_id,
                                 org_unit_code=request.org_unit_code,
                                 org_unit_id=request.org_unit_id, start_year=request.start_year)
        return await self._list("period_target", request, context, filters,
                                pb.ListPeriodTargetsResponse)

    # ------------------------------------------------------------------ report templates

    async def CreateReportTemplate(self, request, context):  # noqa: N802
        return await self._create("report_template", request, context)

    async def GetReportTemplate(self, request, context):  # noqa: N802
        return await self._get("report_template", request, context)

    async def UpdateReportTemplate(self, request, context):  # noqa: N802
        return await self._update("report_template", request, context)

    async def RetireReportTemplate(self, request, context):  # noqa: N802
        return await self._retire("report_template", request, context)

    async def ListReportTemplates(self, request, context):  # noqa: N802
        frequency = None
        if request.period_kind:
            frequency = frequency_from_pb(request.period_kind)
            if frequency is None:
                raise InvalidArgument.single("period_kind", "Loại kỳ báo cáo không hợp lệ")
        filters = svc.ListFilter(frequency=frequency, indicator_set=request.indicator_set_id)
        return await self._list("report_template", request, context, filters,
                                pb.ListReportTemplatesResponse)

    # ------------------------------------------------------------------ calendars

    async def CreateCalendar(self, request, context):  # noqa: N802
        return await self._create("calendar", request, context)

    async def GetCalendar(self, request, context):  # noqa: N802
        return await self._get("calendar", request, context)

    async def UpdateCalendar(self, request, context):  # noqa: N802
        return await self._update("calendar", request, context)

    async def RetireCalendar(self, request, context):  # noqa: N802
        return await self._retire("calendar", request, context)

    async def ListCalendars(self, request, context):  # noqa: N802
        return await self._list("calendar", request, context, svc.ListFilter(),
                                pb.ListCalendarsResponse)

    async def ResolveDeadlines(self, request, context):  # noqa: N802
        period = period_from_pb(request.period)
        resolved = await svc.resolve_deadlines(
            self._uow(), principal_from(context), calendar=request.calendar_id,
            indicator_set=request.indicator_set_id,
            period=period, as_of=svc.parse_day(request.as_of, "as_of"),
        )
        s = resolved.schedule
        return pb.ResolvedDeadlines(
            period=period_to_pb(period), calendar_id=resolved.calendar.id,
            calendar_version=resolved.calendar.version, due_date=s.deadline.isoformat(),
            cutoff_start=s.cutoff.start.isoformat() if s.cutoff else "",
            cutoff_end=s.cutoff.end.isoformat() if s.cutoff else "",
            internal_deadlines=[
                pb.ResolvedInternalDeadline(
                    stage=STAGES.get(d.step, 0), due_date=d.due.isoformat(), step=d.step,
                    name=d.name, responsible=d.responsible,
                ) for d in s.internal
            ],
            calendar_code=resolved.calendar.code, period_label=period.label,
        )

    # ------------------------------------------------------------------ history

    async def ListChanges(self, request, context):  # noqa: N802
        since = request.since.ToDatetime(tzinfo=svc.VIETNAM) if request.HasField("since") else None
        rows, token, total = await svc.list_changes(
            self._uow(), principal_from(context), aggregate_type=request.aggregate_type,
            aggregate_id=request.aggregate_id, since=since, page_size=request.page_size,
            page_token=request.page_token,
        )
        records = []
        for r in rows:
            record = types_pb2.ChangeRecord(
                aggregate_type=r.aggregate_type, aggregate_id=r.aggregate_id, version=r.version,
                action=r.action, actor=r.actor, before_json=svc.changes_json(r.before),
                after_json=svc.changes_json(r.after), reason=r.reason,
            )
            record.occurred_at.FromDatetime(r.occurred_at)
            records.append(record)
        return types_pb2.ListChangesResponse(changes=records, next_page_token=token,
                                             total_size=total)

    async def ListRevisions(self, request, context):  # noqa: N802
        item = await svc.list_revisions(request.id, self._uow(), principal_from(context))
        revisions = []
        for change, ver in zip(item.history(), item.versions, strict=True):
            s = span(item, ver)
            rev = pb.CatalogRevision(
                number=ver.number, action=change.action, valid_from=ver.effective_from.isoformat(),
                valid_to=s.valid_to if not ver.retired else "", retired=ver.retired,
                author=ver.author, reason=ver.reason, changed_fields=list(change.fields),
                definition_json=json.dumps(to_data(ver.payload), ensure_ascii=False),
            )
            rev.recorded_at.FromDatetime(ver.recorded_at)
            revisions.append(rev)
        return pb.ListRevisionsResponse(id=item.id, kind=item.kind, code=item.code,
                                        revisions=revisions)

    # ------------------------------------------------------------------ import / export

    @staticmethod
    def _import_result(outcome: svc.ImportOutcome) -> pb.ImportResult:
        return pb.ImportResult(
            dry_run=outcome.dry_run, applied=outcome.applied,
            errors=[pb.ImportIssue(sheet=e.sheet, row=e.row, column=e.column, field=e.field,
                                   message=e.message) for e in outcome.errors],
            plan=[pb.ImportPlanEntry(kind=p.kind, code=p.code, action=p.action,
                                     changed_fields=list(p.changed_fields))
                  for p in outcome.plan],
            indicator_set_id=outcome.indicator_set_id,
            created_count=outcome.count("create"), revised_count=outcome.count("revise"),
            unchanged_count=outcome.count("unchanged"),
        )

    async def ImportIndicatorSet(self, request, context):  # noqa: N802
        principal = principal_from(context)
        outcome = await svc.import_file(
            request.content, self._uow(principal.username), principal,
            fmt=_FORMATS.get(request.format, ""), dry_run=request.dry_run,
            effective_from=svc.parse_day(request.effective_from, "effective_from"),
            reason=request.reason,
        )
        return self._import_result(outcome)

    async def ImportCatalog(self, request, context):  # noqa: N802
        principal = principal_from(context)
        outcome = await svc.import_file(
            request.content, self._uow(principal.username), principal, fmt="json",
            dry_run=request.dry_run,
            effective_from=svc.parse_day(request.effective_from, "effective_from"),
            reason=request.reason, indicator_set_only=False,
        )
        return self._import_result(outcome)

    async def ExportIndicatorSet(self, request, context):  # noqa: N802
        exported = await svc.export_indicator_set(
            request.id, self._uow(), principal_from(context),
            fmt=_FORMATS.get(request.format, "xlsx"),
            as_of=svc.parse_day(request.as_of, "as_of"),
        )
        return pb.ExportedFile(content=exported.content, filename=exported.filename,
                               content_type=exported.content_type)

    async def ExportCatalog(self, request, context):  # noqa: N802
        exported = await svc.export_catalog(self._uow(), principal_from(context),
                                            as_of=svc.parse_day(request.as_of, "as_of"))
        return pb.ExportedFile(content=exported.content, filename=exported.filename,
                               content_type=exported.content_type)
