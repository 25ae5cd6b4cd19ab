"""gRPC entrypoint: translate requests into commands, call one use case, translate back.
Domain errors become gRPC statuses (with field violations) in the platform interceptor.
Every rpc of the proto is served."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import grpc
from ktxh.evaluation.v1 import evaluation_pb2 as pb
from ktxh.evaluation.v1 import evaluation_pb2_grpc
from ktxh_platform.domain import InvalidArgument
from ktxh_platform.rpc import principal_from

from ktxh_evaluation.adapters.wire import (
    PB_ROUND_KIND,
    PB_STATUS,
    edition_to_pb,
    evaluation_to_pb,
    parse_day,
    ranking_to_pb,
    round_to_pb,
    scores_from_pb,
)
from ktxh_evaluation.domain.evaluations import RoundKind
from ktxh_evaluation.service_layer import evaluations as svc
from ktxh_evaluation.service_layer.ports import EvidenceSource
from ktxh_evaluation.service_layer.unit_of_work import EvaluationFilter, EvaluationUnitOfWork


@dataclass
class EvaluationComponents:
    """The adapters the composition root chose for this service."""

    uow: Callable[[str], EvaluationUnitOfWork]
    evidence: EvidenceSource
    rules: svc.EvaluationRules


class EvaluationServicer(evaluation_pb2_grpc.EvaluationServiceServicer):
    def __init__(self, components: EvaluationComponents) -> None:
        self.c = components

    async def _full(self, e, principal):
        rnd = await svc.get_round(e.round_id, self.c.uow(""), principal)
        return evaluation_to_pb(e, rnd)

    # ---------------------------------------------------------------- rounds

    async def OpenRound(self, request, context):
        principal = principal_from(context)
        cmd = svc.OpenRound(
            criteria_set=request.criteria_set_id, year=request.year,
            kind=PB_ROUND_KIND.get(request.kind, RoundKind.ANNUAL),
            self_evaluation_deadline=parse_day(request.self_evaluation_deadline, "self_evaluation_deadline"),
            evaluation_deadline=parse_day(request.evaluation_deadline, "evaluation_deadline"),
            report_period_codes=[p.strip() for p in request.report_period_codes if p.strip()],
            mandatory_criterion_codes=[c.strip() for c in request.mandatory_criterion_codes if c.strip()],
            name=request.name,
        )
        rnd = await svc.open_round(cmd, self.c.uow(principal.username), principal, self.c.evidence)
        return round_to_pb(rnd)

    async def GetRound(self, request, context):
        principal = principal_from(context)
        return round_to_pb(await svc.get_round(request.id, self.c.uow(""), principal))

    async def ListRounds(self, request, context):
        principal = principal_from(context)
        rounds = await svc.list_rounds(request.year, self.c.uow(""), principal)
        return pb.ListRoundsResponse(rounds=[round_to_pb(r) for r in rounds])

    async def CloseRound(self, request, context):
        principal = principal_from(context)
        rnd = await svc.close_round(svc.Step(request.id, request.expected_version),
                                    self.c.uow(principal.username), principal)
        return round_to_pb(rnd)

    # ---------------------------------------------------------------- evaluations

    async def GetEvaluation(self, request, context):
        principal = principal_from(context)
        e, rnd = await svc.get_evaluation(request.id, self.c.uow(""), principal)
        return evaluation_to_pb(e, rnd)

    async def ListEvaluations(self, request, context):
        principal = principal_from(context)
        f = EvaluationFilter(
            round_id=request.round_id, org_unit_id=request.org_unit_id,
            status=PB_STATUS.get(request.status), year=request.year,
            page_size=request.page_size or 100, page_token=request.page_token,
        )
        items, token, total = await svc.list_evaluations(f, self.c.uow(""), principal)
        return pb.ListEvaluationsResponse(
            evaluations=[evaluation_to_pb(e, None, full=False) for e in items],
            next_page_token=token, total_size=total)

    async def RefreshSuggestions(self, request, context):
        principal = principal_from(context)
        e, rnd = await svc.refresh_suggestions(request.evaluation_id, self.c.uow(principal.username),
                                               principal, self.c.evidence)
        return evaluation_to_pb(e, rnd)

    async def SaveScores(self, request, context):
        principal = principal_from(context)
        cmd = svc.SaveScores(request.evaluation_id, scores_from_pb(request.scores, self_side=True),
                             request.summary or None, request.expected_version)
        e = await svc.save_self_scores(cmd, self.c.uow(principal.username), principal)
        return await self._full(e, principal)

    async def AdjustScores(self, request, context):
        principal = principal_from(context)
        cmd = svc.SaveScores(request.evaluation_id, scores_from_pb(request.scores, self_side=False),
                             request.summary or None, request.expected_version)
        e = await svc.adjust_scores(cmd, self.c.uow(principal.username), principal)
        return await self._full(e, principal)

    async def _step(self, use_case, request, context, *extra):
        principal = principal_from(context)
        cmd = svc.Step(request.evaluation_id, request.expected_version,
                       getattr(request, "reason", ""))
        e = await use_case(cmd, self.c.uow(principal.username), principal, *extra)
        return await self._full(e, principal)

    async def CheckSelfEvaluation(self, request, context):
        return await self._step(svc.check_self_evaluation, request, context)

    async def ReturnSelfEvaluation(self, request, context):
        return await self._step(svc.return_self_evaluation, request, context)

    async def SubmitSelfEvaluation(self, request, context):
        return await self._step(svc.submit_self_evaluation, request, context)

    async def FinalizeEvaluation(self, request, context):
        return await self._step(svc.finalize_evaluation, request, context)

    async def ReopenEvaluation(self, request, context):
        return await self._step(svc.reopen_evaluation, request, context)

    async def RequestReview(self, request, context):
        return await self._step(svc.request_review, request, context, self.c.rules)

    async def AnswerReview(self, request, context):
        return await self._step(svc.answer_review, request, context)

    async def PublishResults(self, request, context):
        principal = principal_from(context)
        x = await svc.publish_results(request.round_id, request.note, self.c.uow(principal.username), principal)
        return edition_to_pb(x)

    async def ListResultEditions(self, request, context):
        principal = principal_from(context)
        items = await svc.list_result_editions(request.round_id, self.c.uow(""), principal)
        return pb.ListResultEditionsResponse(editions=[edition_to_pb(x, rows=False) for x in items])

    async def GetResultEdition(self, request, context):
        principal = principal_from(context)
        return edition_to_pb(await svc.get_result_edition(request.round_id, request.revision,
                                                          self.c.uow(""), principal))

    async def ListRankings(self, request, context):
        principal = principal_from(context)
        if not request.round_id:
            raise InvalidArgument.single("round_id", "Chưa chọn đợt đánh giá")
        return ranking_to_pb(await svc.rankings(request.round_id, self.c.uow(""), principal))


def register(server: grpc.aio.Server, components: EvaluationComponents) -> None:
    evaluation_pb2_grpc.add_EvaluationServiceServicer_to_server(EvaluationServicer(components), server)
