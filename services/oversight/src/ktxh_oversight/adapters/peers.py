"""Calls to the assignment, reporting and document services with the caller's own access token
(token relay: each service authorizes the caller itself — the assignment service shows the
Front only what names its committee). Only the contracts are imported, never their packages."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import grpc
import structlog
from ktxh.assignment.v1 import assignment_pb2 as apb
from ktxh.assignment.v1 import assignment_pb2_grpc
from ktxh.common.v1 import types_pb2
from ktxh.document.v1 import document_pb2, document_pb2_grpc
from ktxh.reporting.v1 import reporting_pb2, reporting_pb2_grpc
from ktxh_platform.auth.principal import Principal
from ktxh_platform.domain import InvalidArgument
from ktxh_platform.peers import MISSING, UNSERVED, Peer

from ktxh_oversight.domain.model import Period
from ktxh_oversight.service_layer.ports import AssignmentInfo, Figure, TaskProgress

log = structlog.get_logger(__name__)


def _members(key) -> tuple[tuple[str, str], ...]:
    return tuple((m.dimension_code, m.member_code) for m in key.members)


def assignment_info(a: apb.Assignment) -> AssignmentInfo:
    kind = apb.AssignmentKind.Name(a.kind).removeprefix("ASSIGNMENT_KIND_").lower()
    status = apb.AssignmentStatus.Name(a.status).removeprefix("ASSIGNMENT_STATUS_")
    which = a.WhichOneof("subject")
    if which == "target":
        t = a.target
        period = None
        if t.period.kind:
            period = Period(types_pb2.PeriodKind.Name(t.period.kind).removeprefix("PERIOD_KIND_"),
                            t.period.year, t.period.number, t.period.code)
        return AssignmentInfo(
            id=a.id, assignee_unit_id=a.assignee_unit_id, kind=kind, status=status,
            label=t.key.indicator_code, indicator_code=t.key.indicator_code, key_members=_members(t.key),
            period=period, target_value=t.target_value, unit_of_measure=t.unit_of_measure,
        )
    if which == "task":
        return AssignmentInfo(
            id=a.id, assignee_unit_id=a.assignee_unit_id, kind=kind, status=status, label=a.task.key_task_id,
            key_task_id=a.task.key_task_id, deadline=a.task.deadline,
        )
    return AssignmentInfo(id=a.id, assignee_unit_id=a.assignee_unit_id, kind=kind, status=status)


class GrpcAssignments(Peer[assignment_pb2_grpc.AssignmentServiceStub]):
    def __init__(self, addr: str) -> None:
        super().__init__(addr, assignment_pb2_grpc.AssignmentServiceStub)

    async def get(self, assignment_id: str, principal: Principal) -> AssignmentInfo | None:
        a = await self.call("GetAssignment", apb.GetAssignmentRequest(id=assignment_id), principal,
                            absent=MISSING)
        return assignment_info(a) if a is not None else None

    async def opened(self, front_unit_id: str, assignee_unit_id: str, on: date | None,
                     principal: Principal) -> list[AssignmentInfo]:
        pages = self.pages("ListAssignments", lambda token: apb.ListAssignmentsRequest(
            front_unit_id=front_unit_id, assignee_unit_id=assignee_unit_id,
            in_force_on=on.isoformat() if on else "", page_size=500, page_token=token,
        ), principal, "assignments")
        return [assignment_info(a) async for a in pages
                if a.status in (apb.ASSIGNMENT_STATUS_ISSUED, apb.ASSIGNMENT_STATUS_ACKNOWLEDGED)]


class GrpcReporting(Peer[reporting_pb2_grpc.ReportingServiceStub]):
    """Figures from the reporting read model (GetRollup). A reporting service that does not
    answer roll-ups yet (UNIMPLEMENTED) leaves the cited values empty rather than failing the
    draft; the citation still shows the target it saw."""

    def __init__(self, addr: str) -> None:
        super().__init__(addr, reporting_pb2_grpc.ReportingServiceStub)

    async def figures(self, unit_id: str, period: Period, indicator_codes: Iterable[str],
                      principal: Principal) -> dict[tuple[str, tuple[tuple[str, str], ...]], Figure]:
        request = reporting_pb2.GetRollupRequest(
            org_unit_id=unit_id,
            period=types_pb2.Period(kind=types_pb2.PeriodKind.Value(f"PERIOD_KIND_{period.kind}"),
                                    year=period.year, number=period.number, code=period.code),
            indicator_ids=list(indicator_codes),
        )
        # the skeleton's unimplemented GetRollup answers INTERNAL
        r = await self.call("GetRollup", request, principal, absent=(
            *UNSERVED, grpc.StatusCode.NOT_FOUND, grpc.StatusCode.PERMISSION_DENIED))
        if r is None:
            log.warning("rollup_unavailable", unit_id=unit_id)
            return {}
        return {
            (row.key.indicator_code, _members(row.key)): Figure(row.value, row.year_to_date)
            for row in r.rows if row.is_total or row.org_unit_id == unit_id
        }


    async def task_progress(self, unit_id: str, as_of: date | None,
                            principal: Principal) -> dict[str, TaskProgress]:
        """The unit's own key tasks (it leads) from GetKeyTaskSummary with the caller's token:
        the status and percent done it last reported by `as_of`."""
        request = reporting_pb2.GetKeyTaskSummaryRequest(org_unit_id=unit_id,
                                                         as_of=as_of.isoformat() if as_of else "")
        r = await self.call("GetKeyTaskSummary", request, principal, absent=(
            *UNSERVED, grpc.StatusCode.NOT_FOUND, grpc.StatusCode.PERMISSION_DENIED))
        if r is None:
            log.warning("key_task_summary_unavailable", unit_id=unit_id)
            return {}
        return {t.key_task_id: TaskProgress(t.status, t.percent_complete, t.title, t.deadline)
                for t in r.tasks if t.lead_unit_id == unit_id}


class GrpcDocuments(Peer[document_pb2_grpc.DocumentServiceStub]):
    def __init__(self, addr: str) -> None:
        super().__init__(addr, document_pb2_grpc.DocumentServiceStub)

    async def require_valid_signature(self, document_id: str, principal: Principal) -> None:
        await self.call(
            "RequireValidSignature", document_pb2.RequireValidSignatureRequest(document_id=document_id),
            principal, refuse={
                grpc.StatusCode.NOT_FOUND: lambda _: InvalidArgument.single(
                    "document_id", f"Không tìm thấy văn bản {document_id} (hoặc bạn không được xem văn bản này)"),
                grpc.StatusCode.INVALID_ARGUMENT: lambda why: InvalidArgument.single(
                    "document_id", f"Không gửi được báo cáo: {why} (mã văn bản {document_id})"),
            },
        )
