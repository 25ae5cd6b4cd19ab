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
from ktxh_platform.rpc import MAX_MESSAGE_BYTES

from ktxh_oversight.domain.model import Period
from ktxh_oversight.service_layer.ports import AssignmentInfo, Figure, TaskProgress

log = structlog.get_logger(__name__)
TIMEOUT = 30.0


def channel(addr: str) -> grpc.aio.Channel:
    return grpc.aio.insecure_channel(
        addr if "://" in addr or addr.startswith("dns:") else f"dns:///{addr}",
        options=[
            ("grpc.lb_policy_name", "round_robin"),
            ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
            ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
            ("grpc.max_metadata_size", 1024 * 1024),
        ],
    )


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


class GrpcAssignments:
    def __init__(self, addr: str) -> None:
        self._addr = addr
        self._stub: assignment_pb2_grpc.AssignmentServiceStub | None = None

    @property
    def stub(self) -> assignment_pb2_grpc.AssignmentServiceStub:
        if self._stub is None:  # created lazily, inside the running event loop
            self._stub = assignment_pb2_grpc.AssignmentServiceStub(channel(self._addr))
        return self._stub

    async def get(self, assignment_id: str, principal: Principal) -> AssignmentInfo | None:
        try:
            a = await self.stub.GetAssignment(
                apb.GetAssignmentRequest(id=assignment_id), metadata=principal.to_metadata(), timeout=TIMEOUT
            )
        except grpc.aio.AioRpcError as err:
            if err.code() in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.INVALID_ARGUMENT):
                return None
            raise
        return assignment_info(a)

    async def opened(self, front_unit_id: str, assignee_unit_id: str, on: date | None,
                     principal: Principal) -> list[AssignmentInfo]:
        out: list[AssignmentInfo] = []
        token = ""
        while True:
            page = await self.stub.ListAssignments(
                apb.ListAssignmentsRequest(
                    front_unit_id=front_unit_id, assignee_unit_id=assignee_unit_id,
                    in_force_on=on.isoformat() if on else "", page_size=500, page_token=token,
                ),
                metadata=principal.to_metadata(), timeout=TIMEOUT,
            )
            out += [assignment_info(a) for a in page.assignments
                    if a.status in (apb.ASSIGNMENT_STATUS_ISSUED, apb.ASSIGNMENT_STATUS_ACKNOWLEDGED)]
            token = page.next_page_token
            if not token:
                return out


class GrpcReporting:
    """Figures from the reporting read model (GetRollup). A reporting service that does not
    answer roll-ups yet (UNIMPLEMENTED) leaves the cited values empty rather than failing the
    draft; the citation still shows the target it saw."""

    def __init__(self, addr: str) -> None:
        self._addr = addr
        self._stub: reporting_pb2_grpc.ReportingServiceStub | None = None

    @property
    def stub(self) -> reporting_pb2_grpc.ReportingServiceStub:
        if self._stub is None:
            self._stub = reporting_pb2_grpc.ReportingServiceStub(channel(self._addr))
        return self._stub

    async def figures(self, unit_id: str, period: Period, indicator_codes: Iterable[str],
                      principal: Principal) -> dict[tuple[str, tuple[tuple[str, str], ...]], Figure]:
        request = reporting_pb2.GetRollupRequest(
            org_unit_id=unit_id,
            period=types_pb2.Period(kind=types_pb2.PeriodKind.Value(f"PERIOD_KIND_{period.kind}"),
                                    year=period.year, number=period.number, code=period.code),
            indicator_ids=list(indicator_codes),
        )
        try:
            r = await self.stub.GetRollup(request, metadata=principal.to_metadata(), timeout=TIMEOUT)
        except grpc.aio.AioRpcError as err:
            if err.code() in (grpc.StatusCode.UNIMPLEMENTED, grpc.StatusCode.NOT_FOUND,
                              grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.UNAVAILABLE,
                              grpc.StatusCode.INTERNAL, grpc.StatusCode.DEADLINE_EXCEEDED):
                # the skeleton's unimplemented GetRollup answers INTERNAL
                log.warning("rollup_unavailable", code=err.code().name, unit_id=unit_id)
                return {}
            raise
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
        try:
            r = await self.stub.GetKeyTaskSummary(request, metadata=principal.to_metadata(), timeout=TIMEOUT)
        except grpc.aio.AioRpcError as err:
            if err.code() in (grpc.StatusCode.UNIMPLEMENTED, grpc.StatusCode.NOT_FOUND,
                              grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.UNAVAILABLE,
                              grpc.StatusCode.DEADLINE_EXCEEDED):
                log.warning("key_task_summary_unavailable", code=err.code().name, unit_id=unit_id)
                return {}
            raise
        return {t.key_task_id: TaskProgress(t.status, t.percent_complete, t.title, t.deadline)
                for t in r.tasks if t.lead_unit_id == unit_id}


class GrpcDocuments:
    def __init__(self, addr: str) -> None:
        self._addr = addr
        self._stub: document_pb2_grpc.DocumentServiceStub | None = None

    @property
    def stub(self) -> document_pb2_grpc.DocumentServiceStub:
        if self._stub is None:
            self._stub = document_pb2_grpc.DocumentServiceStub(channel(self._addr))
        return self._stub

    async def require_valid_signature(self, document_id: str, principal: Principal) -> None:
        try:
            await self.stub.RequireValidSignature(
                document_pb2.RequireValidSignatureRequest(document_id=document_id),
                metadata=principal.to_metadata(), timeout=TIMEOUT,
            )
        except grpc.aio.AioRpcError as err:
            if err.code() == grpc.StatusCode.NOT_FOUND:
                raise InvalidArgument.single(
                    "document_id", f"Không tìm thấy văn bản {document_id} (hoặc bạn không được xem văn bản này)"
                ) from None
            if err.code() == grpc.StatusCode.INVALID_ARGUMENT:
                raise InvalidArgument.single(
                    "document_id", f"Không gửi được báo cáo: {err.details()} (mã văn bản {document_id})"
                ) from None
            raise
