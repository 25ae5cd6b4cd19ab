"""gRPC entrypoint: translate requests into commands, call one use case, translate back.
Domain errors become gRPC statuses (with field violations) in the platform interceptor."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import grpc

from ktxh.assignment.v1 import assignment_pb2 as pb
from ktxh.assignment.v1 import assignment_pb2_grpc
from ktxh_assignment.adapters.wire import (
    PB_ASSIGNMENT_STATUS,
    PB_DECISION_STATUS,
    PB_KIND,
    assignment_to_pb,
    assignments_from_pb,
    cascade_row_to_pb,
    decision_to_pb,
    header_from_pb,
    parse_day,
)
from ktxh_assignment.service_layer import decisions as svc
from ktxh_assignment.service_layer.ports import Catalog, Documents
from ktxh_assignment.service_layer.unit_of_work import (
    AssignmentFilter,
    AssignmentUnitOfWork,
    DecisionFilter,
)
from ktxh_platform.rpc import principal_from


@dataclass
class AssignmentComponents:
    """The adapters the composition root chose for this service."""

    uow: Callable[[str], AssignmentUnitOfWork]  # one unit of work per use case, for an actor
    catalog: Catalog
    documents: Documents
    rules: svc.AssignmentRules


class AssignmentServicer(assignment_pb2_grpc.AssignmentServiceServicer):
    def __init__(self, components: AssignmentComponents) -> None:
        self.c = components

    async def CreateDecision(self, request, context):
        principal = principal_from(context)
        m = request.decision
        cmd = svc.CreateDecision(
            issuer_unit_id=m.issuer_unit_id, header=header_from_pb(m),
            assignments=assignments_from_pb(list(m.assignments)), idempotency_key=request.idempotency_key,
        )
        d = await svc.create_decision(cmd, self.c.uow(principal.username), self.c.catalog, principal)
        return decision_to_pb(d)

    async def GetDecision(self, request, context):
        principal = principal_from(context)
        return decision_to_pb(await svc.get_decision(request.id, self.c.uow(""), principal))

    async def UpdateDecision(self, request, context):
        principal = principal_from(context)
        cmd = svc.UpdateDecision(request.decision.id, header_from_pb(request.decision), request.expected_version)
        return decision_to_pb(await svc.update_decision(cmd, self.c.uow(principal.username), principal))

    async def ListDecisions(self, request, context):
        principal = principal_from(context)
        f = DecisionFilter(
            issuer_unit_id=request.issuer_unit_id, year=request.year,
            status=PB_DECISION_STATUS.get(request.status), query=request.query.strip(),
            page_size=request.page_size, page_token=request.page_token,
        )
        items, token, total = await svc.list_decisions(f, self.c.uow(""), principal)
        return pb.ListDecisionsResponse(
            decisions=[decision_to_pb(d, with_assignments=False) for d in items],
            next_page_token=token, total_size=total,
        )

    async def ReplaceAssignments(self, request, context):
        principal = principal_from(context)
        cmd = svc.ReplaceAssignments(
            request.decision_id, assignments_from_pb(list(request.assignments)), request.expected_version
        )
        d = await svc.replace_assignments(cmd, self.c.uow(principal.username), self.c.catalog, principal)
        return decision_to_pb(d)

    async def IssueDecision(self, request, context):
        principal = principal_from(context)
        cmd = svc.IssueDecision(request.id, request.document_id, request.expected_version)
        d = await svc.issue_decision(cmd, self.c.uow(principal.username), self.c.documents, self.c.rules, principal)
        return decision_to_pb(d)

    async def RevokeDecision(self, request, context):
        principal = principal_from(context)
        cmd = svc.RevokeDecision(request.id, request.reason, request.expected_version)
        return decision_to_pb(await svc.revoke_decision(cmd, self.c.uow(principal.username), principal))

    async def GetAssignment(self, request, context):
        principal = principal_from(context)
        return assignment_to_pb(await svc.get_assignment(request.id, self.c.uow(""), principal))

    async def ListAssignments(self, request, context):
        principal = principal_from(context)
        f = AssignmentFilter(
            assignee_unit_id=request.assignee_unit_id, include_descendants=request.include_descendants,
            decision_id=request.decision_id, year=request.year, kind=PB_KIND.get(request.kind),
            status=PB_ASSIGNMENT_STATUS.get(request.status), indicator_code=request.indicator_id,
            key_task_id=request.key_task_id, front_unit_id=request.front_unit_id,
            in_force_on=parse_day(request.in_force_on, "in_force_on"),
            page_size=request.page_size, page_token=request.page_token,
        )
        items, token, total = await svc.list_assignments(f, self.c.uow(""), principal)
        return pb.ListAssignmentsResponse(
            assignments=[assignment_to_pb(a) for a in items], next_page_token=token, total_size=total
        )

    async def AcknowledgeAssignment(self, request, context):
        principal = principal_from(context)
        cmd = svc.AcknowledgeAssignment(request.id, request.note, request.expected_version)
        return assignment_to_pb(await svc.acknowledge_assignment(cmd, self.c.uow(principal.username), principal))

    async def CheckCascade(self, request, context):
        principal = principal_from(context)
        rows = await svc.check_cascade_for(request.decision_id, self.c.uow(""), self.c.catalog, principal)
        return pb.CheckCascadeResponse(rows=[cascade_row_to_pb(r) for r in rows])

    async def ListAssignmentHistory(self, request, context):
        principal = principal_from(context)
        items = await svc.list_assignment_history(request.assignment_id, self.c.uow(""), principal)
        return pb.ListAssignmentHistoryResponse(assignments=[assignment_to_pb(a) for a in items])


def register(server: grpc.aio.Server, components: AssignmentComponents) -> None:
    assignment_pb2_grpc.add_AssignmentServiceServicer_to_server(AssignmentServicer(components), server)
