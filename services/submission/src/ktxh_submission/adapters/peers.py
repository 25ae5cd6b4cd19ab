"""Calls to the catalog, the assignment and the document service with the caller's own access token (token
relay: the other service authorizes the caller itself), to build a report's form when it is
opened. The submission service never imports their Python packages; only the contracts
(``ktxh.catalog.v1``, ``ktxh.assignment.v1``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

import grpc
from ktxh.assignment.v1 import assignment_pb2, assignment_pb2_grpc
from ktxh.catalog.v1 import catalog_pb2, catalog_pb2_grpc
from ktxh.common.v1 import types_pb2
from ktxh.document.v1 import document_pb2, document_pb2_grpc
from ktxh_platform.auth.principal import Principal
from ktxh_platform.domain import InvalidArgument
from ktxh_platform.peers import MISSING, Peer

from ktxh_submission.adapters.calendar_replica import period_kind
from ktxh_submission.adapters.wire import key_from_pb
from ktxh_submission.domain.figures import FigureKey, FigureKind, ValueType
from ktxh_submission.domain.forms import (
    AssignedTarget,
    AssignedTask,
    CatalogIndicator,
    IndicatorSetInfo,
    SetItem,
)
from ktxh_submission.domain.periods import Period, PeriodKind
from ktxh_submission.service_layer.ports import DocumentInfo, TaskRef

PAGE = 500

_VALUE_TYPES = {
    catalog_pb2.VALUE_TYPE_INTEGER: ValueType.INTEGER,
    catalog_pb2.VALUE_TYPE_PERCENT: ValueType.PERCENT,
    catalog_pb2.VALUE_TYPE_TEXT: ValueType.TEXT,
    catalog_pb2.VALUE_TYPE_BOOLEAN: ValueType.INTEGER,  # 0 / 1
}


def _kinds(values: Iterable[int]) -> frozenset[PeriodKind]:
    out = set()
    for v in values:
        try:
            out.add(period_kind(v))
        except InvalidArgument:  # a kind this service does not know: ignored
            pass
    return frozenset(out)


def _lower(enum, value: int, prefix: str) -> str:
    return enum.Name(value).removeprefix(prefix).lower() if value else ""


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text.strip() else None
    except InvalidOperation:
        return None


def _key(k) -> FigureKey | None:
    try:
        return key_from_pb(k, "key")
    except InvalidArgument:
        return None


def _period(p: types_pb2.Period) -> Period | None:
    try:
        if p.code:
            return Period.parse(p.code)
        kind = period_kind(p.kind)
        return Period(kind, p.year, p.number)
    except InvalidArgument:
        return None


class GrpcCatalog(Peer[catalog_pb2_grpc.CatalogServiceStub]):
    def __init__(self, addr: str) -> None:
        super().__init__(addr, catalog_pb2_grpc.CatalogServiceStub)

    async def indicator_sets(
        self, unit_kind: str, as_of: date, principal: Principal
    ) -> list[IndicatorSetInfo]:
        try:
            kind = catalog_pb2.OrgUnitKind.Value(f"ORG_UNIT_KIND_{unit_kind.upper()}")
        except ValueError:
            return []
        sets = self.pages("ListIndicatorSets", lambda token: catalog_pb2.ListIndicatorSetsRequest(
            applies_to_kind=kind, as_of=as_of.isoformat(), page_size=PAGE, page_token=token,
        ), principal, "indicator_sets")
        return [
            IndicatorSetInfo(
                s.code,
                tuple(SetItem(i.indicator_code, i.responsible_office, _kinds(i.frequencies))
                      for i in s.items),
                s.consolidating_office, s.calendar_code,
            )
            async for s in sets
        ]

    async def indicators(
        self, codes: Iterable[str], as_of: date, principal: Principal
    ) -> dict[str, CatalogIndicator]:
        wanted = set(codes)
        out: dict[str, CatalogIndicator] = {}
        if not wanted:
            return out
        # every indicator in force, 500 per page: one or a few calls per report
        async for ind in self.pages("ListIndicators", lambda token: catalog_pb2.ListIndicatorsRequest(
                as_of=as_of.isoformat(), page_size=PAGE, page_token=token), principal, "indicators"):
            if ind.code in wanted:
                out[ind.code] = CatalogIndicator(
                    code=ind.code, name=ind.name, unit=ind.unit_of_measure,
                    value_type=_VALUE_TYPES.get(ind.value_type, ValueType.NUMBER),
                    time_aggregation=_lower(catalog_pb2.TimeAggregation, ind.time_aggregation,
                                            "TIME_AGGREGATION_"),
                    frequencies=_kinds(ind.frequencies),
                    dimensions=tuple((d.code, tuple(m.code for m in d.members))
                                     for d in ind.dimensions),
                )
                if len(out) == len(wanted):
                    break
        return out

    async def key_tasks(self, refs: Iterable[TaskRef], principal: Principal) -> list[AssignedTask]:
        out = []
        for ref in sorted(set(refs), key=lambda r: r.key_task_id):
            t = await self.call("GetKeyTask", catalog_pb2.GetKeyTaskRequest(id=ref.key_task_id),
                                principal, absent=MISSING)
            if t is None:
                continue
            out.append(AssignedTask(t.id, t.code, t.title, ref.deadline or _date(t.deadline),
                                    t.lead_office))
        return out


class GrpcAssignments(Peer[assignment_pb2_grpc.AssignmentServiceStub]):
    def __init__(self, addr: str) -> None:
        super().__init__(addr, assignment_pb2_grpc.AssignmentServiceStub)

    async def in_force(
        self, unit_id: str, on: date, principal: Principal
    ) -> tuple[list[AssignedTarget], list[TaskRef]]:
        targets: list[AssignedTarget] = []
        tasks: list[TaskRef] = []
        async for a in self.pages("ListAssignments", lambda token: assignment_pb2.ListAssignmentsRequest(
                assignee_unit_id=unit_id, in_force_on=on.isoformat(), page_size=1000, page_token=token,
        ), principal, "assignments"):
            if a.WhichOneof("subject") == "target":
                t = a.target
                period = _period(t.period)
                key = _key(t.key)
                if period is None or key is None:
                    continue  # a target without a usable period or key stands beside nothing
                targets.append(AssignedTarget(
                    FigureKey(key.indicator_code, key.members, FigureKind.ACTUAL), period,
                    _decimal(t.target_value), _decimal(t.target_value_max),
                    _lower(types_pb2.TargetComparison, t.comparison, "TARGET_COMPARISON_"),
                    t.target_text,
                ))
            elif a.WhichOneof("subject") == "task":
                tasks.append(TaskRef(a.task.key_task_id, _date(a.task.deadline)))
        return targets, tasks


class GrpcDocuments(Peer[document_pb2_grpc.DocumentServiceStub]):
    def __init__(self, addr: str) -> None:
        super().__init__(addr, document_pb2_grpc.DocumentServiceStub)

    async def get(self, document_id: str, principal: Principal) -> DocumentInfo | None:
        d = await self.call("GetDocument", document_pb2.GetDocumentRequest(id=document_id), principal,
                            absent=(*MISSING, grpc.StatusCode.PERMISSION_DENIED))
        if d is None:
            return None
        latest = max(d.versions, key=lambda v: v.number) if d.versions else None
        return DocumentInfo(d.id, d.title, latest.file_name if latest else "", d.owner.org_unit_code)
