"""gRPC entrypoint: translate requests into commands, call one use case, translate back.
Domain errors become gRPC statuses (with field violations) in the platform interceptor."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import grpc
from ktxh.oversight.v1 import oversight_pb2 as pb
from ktxh.oversight.v1 import oversight_pb2_grpc
from ktxh_platform.domain import InvalidArgument
from ktxh_platform.rpc import principal_from

from ktxh_oversight.adapters.wire import (
    COMMENT_STATUS,
    REC_STATUS,
    REPORT_STATUS,
    SUBJECT_KIND,
    comment_to_pb,
    content_from_pb,
    parse_day,
    rec_to_pb,
    report_to_pb,
    response_to_pb,
    subject_from_pb,
)
from ktxh_oversight.service_layer import oversight as svc
from ktxh_oversight.service_layer.ports import Assignments, Documents, Reporting
from ktxh_oversight.service_layer.unit_of_work import (
    CommentFilter,
    OversightUnitOfWork,
    RecommendationFilter,
    ReportFilter,
)


@dataclass
class OversightComponents:
    """The adapters the composition root chose for this service."""

    uow: Callable[[str], OversightUnitOfWork]
    assignments: Assignments
    reporting: Reporting
    documents: Documents
    rules: svc.OversightRules


def _today():
    return datetime.now(UTC).date()


class OversightServicer(oversight_pb2_grpc.OversightServiceServicer):
    def __init__(self, c: OversightComponents) -> None:
        self.c = c

    # comments
    async def PostComment(self, request, context):
        p = principal_from(context)
        cmd = svc.PostComment(
            front_unit_id=request.front_unit_id, subject=subject_from_pb(request.subject),
            addressee_unit_id=request.addressee_unit_id, text=request.text,
            document_ids=tuple(request.document_ids), idempotency_key=request.idempotency_key,
        )
        return comment_to_pb(await svc.post_comment(cmd, self.c.uow(p.username), self.c.assignments, p))

    async def GetComment(self, request, context):
        p = principal_from(context)
        return comment_to_pb(await svc.get_comment(request.id, self.c.uow(""), p))

    async def ListComments(self, request, context):
        p = principal_from(context)
        f = CommentFilter(
            front_unit_id=request.front_unit_id, addressee_unit_id=request.addressee_unit_id,
            subject_kind=SUBJECT_KIND.get(request.subject_kind), subject_id=request.subject_id,
            status=COMMENT_STATUS.get(request.status), page_size=request.page_size, page_token=request.page_token,
        )
        items, token, total = await svc.list_comments(f, self.c.uow(""), p)
        return pb.ListCommentsResponse(comments=[comment_to_pb(c, False) for c in items],
                                       next_page_token=token, total_size=total)

    async def CloseComment(self, request, context):
        p = principal_from(context)
        return comment_to_pb(await svc.close_comment(request.id, request.expected_version, self.c.uow(p.username), p))

    async def UpdateComment(self, request, context):
        p = principal_from(context)
        return comment_to_pb(await svc.update_comment(
            request.id, request.text, request.expected_version, self.c.uow(p.username), p))

    async def DeleteComment(self, request, context):
        p = principal_from(context)
        await svc.delete_comment(request.id, request.expected_version, self.c.uow(p.username), p)
        return pb.DeleteCommentResponse()

    # reports
    async def CreateOversightReport(self, request, context):
        p = principal_from(context)
        cmd = svc.DraftReport(request.oversight_report.front_unit_id, content_from_pb(request.oversight_report),
                              request.idempotency_key)
        r = await svc.create_report(cmd, self.c.uow(p.username), self.c.assignments, self.c.reporting, p)
        return report_to_pb(r, today=_today())

    async def GetOversightReport(self, request, context):
        p = principal_from(context)
        return report_to_pb(await svc.get_report(request.id, self.c.uow(""), p), today=_today())

    async def UpdateOversightReport(self, request, context):
        p = principal_from(context)
        r = await svc.update_report(
            request.oversight_report.id, content_from_pb(request.oversight_report), request.expected_version,
            self.c.uow(p.username), self.c.assignments, self.c.reporting, p,
        )
        return report_to_pb(r, today=_today())

    async def FileOversightReport(self, request, context):
        p = principal_from(context)
        r = await svc.file_report(request.id, request.document_id, request.expected_version,
                                  self.c.uow(p.username), self.c.documents, p)
        return report_to_pb(r, today=_today())

    async def ListOversightReports(self, request, context):
        p = principal_from(context)
        f = ReportFilter(
            front_unit_id=request.front_unit_id, overseen_unit_id=request.overseen_unit_id,
            status=REPORT_STATUS.get(request.status), year=request.year,
            page_size=request.page_size, page_token=request.page_token,
        )
        items, token, total = await svc.list_reports(f, self.c.uow(""), p)
        today = _today()
        return pb.ListOversightReportsResponse(
            oversight_reports=[report_to_pb(r, False, today) for r in items], next_page_token=token, total_size=total)

    # responses
    async def PostResponse(self, request, context):
        p = principal_from(context)
        which = request.WhichOneof("target")
        cmd = svc.PostResponse(
            text=request.text, comment_id=request.comment_id if which == "comment_id" else "",
            oversight_report_id=request.oversight_report_id if which == "oversight_report_id" else "",
            recommendation_id=request.recommendation_id if which == "recommendation_id" else "",
            recommendation_code=request.recommendation_code, responder_unit_id=request.responder_unit_id,
            document_ids=tuple(request.document_ids),
        )
        return response_to_pb(await svc.post_response(cmd, self.c.uow(p.username), p))

    async def ListResponses(self, request, context):
        p = principal_from(context)
        if request.comment_id:
            responses = (await svc.get_comment(request.comment_id, self.c.uow(""), p)).responses
        elif request.oversight_report_id:
            responses = (await svc.get_report(request.oversight_report_id, self.c.uow(""), p)).responses
        else:
            raise InvalidArgument.single("comment_id", "Chọn ý kiến hoặc báo cáo giám sát")
        if request.responder_unit_id:
            responses = [r for r in responses if r.responder_unit_id == request.responder_unit_id]
        return pb.ListResponsesResponse(responses=[response_to_pb(r) for r in responses],
                                        total_size=len(responses))

    # recommendations
    async def ListRecommendations(self, request, context):
        p = principal_from(context)
        today = _today()
        f = RecommendationFilter(
            front_unit_id=request.front_unit_id, addressee_unit_id=request.addressee_unit_id,
            status=REC_STATUS.get(request.status), overdue_on=today if request.overdue_only else None,
            oversight_report_id=request.oversight_report_id, page_size=request.page_size,
            page_token=request.page_token,
        )
        items, token, total = await svc.list_recommendations(f, self.c.uow(""), p)
        return pb.ListRecommendationsResponse(recommendations=[rec_to_pb(v, today) for v in items],
                                              next_page_token=token, total_size=total)

    async def GetRecommendation(self, request, context):
        p = principal_from(context)
        return rec_to_pb(await svc.get_recommendation(request.id, self.c.uow(""), p), _today())

    async def DecideRecommendation(self, request, context):
        p = principal_from(context)
        cmd = svc.DecideRecommendation(
            id=request.id, accept=request.accept, remark=request.remark,
            due_date=parse_day(request.due_date, "due_date"), expected_version=request.expected_version,
        )
        return rec_to_pb(await svc.decide_recommendation(cmd, self.c.uow(p.username), p), _today())

    async def GetRecommendationBoard(self, request, context):
        p = principal_from(context)
        rows = await svc.recommendation_board(request.front_unit_id, _today(), self.c.uow(""), p)
        return pb.RecommendationBoard(rows=[
            pb.RecommendationBoardRow(addressee_unit_id=u, open=o, answered=a, overdue=d, resolved=r)
            for u, o, a, d, r in rows
        ])


def register(server: grpc.aio.Server, components: OversightComponents) -> None:
    oversight_pb2_grpc.add_OversightServiceServicer_to_server(OversightServicer(components), server)
