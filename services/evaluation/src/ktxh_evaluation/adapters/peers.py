"""The evidence of an evaluation from the other services, called with the caller's own access
token (token relay: each service authorizes the caller itself). The evaluation service never
imports their Python packages; only the contracts.

- the criteria set and its indicators: catalog (GetCriteriaSet, ListIndicators);
- the units that received the set: assignment (ListAssignments, kind CRITERIA_SET), with
  their codes and names from the catalog (GetOrgUnit);
- actual vs target: reporting (GetRollup of the unit for the year, or the first half);
- key tasks: reporting (GetKeyTaskSummary). The summary gives a task's status and whether it
  is overdue, not the day it was completed: a completed task counts on time unless flagged
  overdue (then late by one day).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

import grpc
import structlog
from ktxh.assignment.v1 import assignment_pb2, assignment_pb2_grpc
from ktxh.catalog.v1 import catalog_pb2, catalog_pb2_grpc
from ktxh.common.v1 import types_pb2
from ktxh.reporting.v1 import reporting_pb2, reporting_pb2_grpc
from ktxh_platform.auth.principal import Principal
from ktxh_platform.domain import InvalidArgument
from ktxh_platform.rpc import MAX_MESSAGE_BYTES

from ktxh_evaluation.domain.evaluations import Round, RoundKind, UnitRef
from ktxh_evaluation.domain.scoring import (
    Comparison,
    CompletionLevel,
    CriterionRule,
    IndicatorResult,
    ScoringMethod,
    ScoringRules,
    TaskResult,
    Threshold,
)

TIMEOUT = 30.0
log = structlog.get_logger(__name__)
DONE_STATUSES = {"completed", "done", "hoan_thanh", "TASK_STATUS_COMPLETED"}


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


def _dec(value: str) -> Decimal | None:
    try:
        return Decimal(value) if value.strip() else None
    except InvalidOperation:
        return None


METHODS = {catalog_pb2.ScoringMethod.Value(f"SCORING_METHOD_{m.name}"): m for m in ScoringMethod}
LEVELS = {types_pb2.CompletionLevel.Value(f"COMPLETION_LEVEL_{lv.name}"): lv for lv in CompletionLevel}
COMPARISON = {
    catalog_pb2.POLARITY_UNSPECIFIED: Comparison.AT_LEAST,
    catalog_pb2.POLARITY_HIGHER_IS_BETTER: Comparison.AT_LEAST,
    catalog_pb2.POLARITY_LOWER_IS_BETTER: Comparison.AT_MOST,
    catalog_pb2.POLARITY_NEUTRAL: Comparison.NEUTRAL,
    catalog_pb2.POLARITY_WITHIN_RANGE: Comparison.RANGE,
}


class GrpcEvidence:
    def __init__(self, catalog_addr: str, assignment_addr: str, reporting_addr: str) -> None:
        self._addrs = (catalog_addr, assignment_addr, reporting_addr)
        self._stubs: tuple | None = None

    @property
    def stubs(self) -> tuple:
        if self._stubs is None:  # created lazily, inside the running event loop
            c, a, r = self._addrs
            self._stubs = (catalog_pb2_grpc.CatalogServiceStub(channel(c)),
                           assignment_pb2_grpc.AssignmentServiceStub(channel(a)),
                           reporting_pb2_grpc.ReportingServiceStub(channel(r)))
        return self._stubs

    async def _indicators(self, principal: Principal, **request) -> list[catalog_pb2.Indicator]:
        out, token = [], ""
        while True:
            page = await self.stubs[0].ListIndicators(
                catalog_pb2.ListIndicatorsRequest(page_size=500, page_token=token, **request),
                metadata=principal.to_metadata(), timeout=TIMEOUT)
            out += list(page.indicators)
            token = page.next_page_token
            if not token:
                return out

    async def _reporting(self, rpc, request, principal: Principal):
        """A reporting read; None while the reporting service does not serve it yet
        (UNIMPLEMENTED): the suggestion then shows no figures rather than failing the round."""
        try:
            return await rpc(request, metadata=principal.to_metadata(), timeout=TIMEOUT)
        except grpc.aio.AioRpcError as err:
            if err.code() == grpc.StatusCode.UNIMPLEMENTED:
                log.warning("reporting_read_unavailable", rpc=type(request).__name__)
                return None
            raise

    async def scoring_rules(self, criteria_set: str, year: int, principal: Principal) -> tuple[str, ScoringRules]:
        try:
            cs = await self.stubs[0].GetCriteriaSet(
                catalog_pb2.GetCriteriaSetRequest(id=criteria_set), metadata=principal.to_metadata(),
                timeout=TIMEOUT)
        except grpc.aio.AioRpcError as err:
            if err.code() in (grpc.StatusCode.NOT_FOUND, grpc.StatusCode.INVALID_ARGUMENT):
                raise InvalidArgument.single(
                    "criteria_set_id", f"Không tìm thấy bộ tiêu chí '{criteria_set}'") from None
            raise
        criteria = []
        for c in cs.criteria:
            codes = list(c.indicator_codes)
            if c.indicator_set_code:
                members = await self._indicators(principal, indicator_set_id=c.indicator_set_code)
                codes += [i.code for i in members if i.code not in codes]
            criteria.append(CriterionRule(
                c.code, c.name, Decimal(c.max_score or "0"),
                METHODS.get(c.scoring_method, ScoringMethod.MANUAL), tuple(codes), ordinal=c.ordinal))
        thresholds = tuple(Threshold(LEVELS[t.level], Decimal(t.min_score or "0"))
                           for t in cs.thresholds if t.level in LEVELS)
        return cs.id, ScoringRules(cs.code, cs.name, tuple(criteria), thresholds, version=cs.version)

    async def units_given(self, rules: ScoringRules, criteria_set_id: str, year: int,
                          principal: Principal) -> list[UnitRef]:
        ids: list[str] = []
        token = ""
        while True:
            page = await self.stubs[1].ListAssignments(
                assignment_pb2.ListAssignmentsRequest(
                    kind=assignment_pb2.ASSIGNMENT_KIND_CRITERIA_SET, year=year, page_size=500,
                    page_token=token),
                metadata=principal.to_metadata(), timeout=TIMEOUT)
            for a in page.assignments:
                if (a.criteria.criteria_set_id in (criteria_set_id, rules.code) and a.status in (
                        assignment_pb2.ASSIGNMENT_STATUS_ISSUED, assignment_pb2.ASSIGNMENT_STATUS_ACKNOWLEDGED)
                        and a.assignee_unit_id not in ids):
                    ids.append(a.assignee_unit_id)
            token = page.next_page_token
            if not token:
                break
        units = []
        for uid in ids:
            u = await self.stubs[0].GetOrgUnit(catalog_pb2.GetOrgUnitRequest(id=uid),
                                               metadata=principal.to_metadata(), timeout=TIMEOUT)
            kind = catalog_pb2.OrgUnitKind.Name(u.kind).removeprefix("ORG_UNIT_KIND_").lower()
            units.append(UnitRef(u.id, u.code, u.name, kind))
        return sorted(units, key=lambda u: u.code)

    async def indicator_results(
        self, rnd: Round, unit: UnitRef, indicator_codes: list[str], principal: Principal
    ) -> list[IndicatorResult]:
        if not indicator_codes:
            return []
        wanted = set(indicator_codes)
        info = {i.code: i for i in await self._indicators(principal) if i.code in wanted}
        period = types_pb2.Period(kind=types_pb2.PERIOD_KIND_YEAR, year=rnd.year)
        if rnd.kind is RoundKind.MID_YEAR:
            period = types_pb2.Period(kind=types_pb2.PERIOD_KIND_HALF_YEAR, year=rnd.year, number=1)
        rollup = await self._reporting(self.stubs[2].GetRollup, 
            reporting_pb2.GetRollupRequest(org_unit_id=unit.id, period=period,
                                           indicator_ids=[info[c].id for c in sorted(info)]),
            principal)
        if rollup is None:
            return []
        out = []
        for row in rollup.rows:
            code = row.key.indicator_code
            if code not in wanted or row.key.members:
                continue  # the indicator's total only
            ind = info.get(code)
            comparison = COMPARISON.get(ind.polarity, Comparison.AT_LEAST) if ind else Comparison.AT_LEAST
            low = high = None
            if comparison is Comparison.RANGE and ind is not None:
                low, high = _dec(ind.lower_bound), _dec(ind.upper_bound)
            out.append(IndicatorResult(
                code, ind.name if ind else code, "", _dec(row.value), _dec(row.target_value),
                low, high, comparison, ind.unit_of_measure if ind else ""))
        return out

    async def task_results(self, rnd: Round, unit: UnitRef, principal: Principal) -> list[TaskResult]:
        summary = await self._reporting(
            self.stubs[2].GetKeyTaskSummary,
            reporting_pb2.GetKeyTaskSummaryRequest(org_unit_id=unit.id, year=rnd.year), principal)
        if summary is None:
            return []
        out = []
        for t in summary.tasks:
            deadline = date.fromisoformat(t.deadline) if t.deadline else None
            done = t.status in DONE_STATUSES or t.percent_complete >= 100
            completed = None
            if done:
                completed = deadline or rnd.as_of
                if t.overdue and deadline:
                    completed = deadline + timedelta(days=1)
            out.append(TaskResult(t.key_task_id, t.title, deadline, completed))
        return out
