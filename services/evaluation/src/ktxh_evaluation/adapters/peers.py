"""The evidence of an evaluation from the other services, called with the caller's own access
token (token relay: each service authorizes the caller itself). The evaluation service never
imports their Python packages; only the contracts.

- the criteria set and its indicators: catalog (GetCriteriaSet, ListIndicators);
- the units that received the set: assignment (ListAssignments, kind CRITERIA_SET), with
  their codes and names from the catalog (GetOrgUnit);
- actual vs target: reporting (GetRollup of the unit for the year, or the first half);
- key tasks: assignment (ListAssignments, kind KEY_TASK: the unit's tasks and deadlines) and
  their progress from reporting (GetKeyTaskSummary). The summary gives a task's status and
  whether it is overdue, not the day it was completed: a completed task counts on time unless
  flagged overdue (then late by one day); a task without reported progress is not counted.
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
from ktxh_platform.peers import TIMEOUT, channel

from ktxh_evaluation.domain.evaluations import Round, RoundKind, UnitRef
from ktxh_evaluation.domain.scoring import (
    Comparison,
    CompletionLevel,
    CreditStep,
    CriterionRule,
    IndicatorResult,
    PartialCredit,
    ScoringMethod,
    ScoringRules,
    TaskResult,
    Threshold,
)

log = structlog.get_logger(__name__)
DONE_STATUSES = {"completed", "done", "hoan_thanh", "TASK_STATUS_COMPLETED"}


def _dec(value: str) -> Decimal | None:
    try:
        return Decimal(value) if value.strip() else None
    except InvalidOperation:
        return None


METHODS = {catalog_pb2.ScoringMethod.Value(f"SCORING_METHOD_{m.name}"): m for m in ScoringMethod}
PARTIAL_CREDIT = {catalog_pb2.PartialCredit.Value(f"PARTIAL_CREDIT_{p.name}"): p for p in PartialCredit}
LEVELS = {types_pb2.CompletionLevel.Value(f"COMPLETION_LEVEL_{lv.name}"): lv for lv in CompletionLevel}
POLARITY = {  # RollupRow.polarity
    "": Comparison.AT_LEAST,
    "higher_is_better": Comparison.AT_LEAST,
    "lower_is_better": Comparison.AT_MOST,
    "neutral": Comparison.NEUTRAL,
    "within_range": Comparison.RANGE,
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
                METHODS.get(c.scoring_method, ScoringMethod.MANUAL), tuple(codes),
                mandatory=c.mandatory,
                partial_credit=PARTIAL_CREDIT.get(c.partial_credit, PartialCredit.PROPORTIONAL),
                credit_steps=tuple(CreditStep(Decimal(st.min_achievement or "0"), Decimal(st.credit or "0"))
                                   for st in c.credit_steps),
                ordinal=c.ordinal))
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
        period = types_pb2.Period(kind=types_pb2.PERIOD_KIND_YEAR, year=rnd.year)
        if rnd.kind is RoundKind.MID_YEAR:
            period = types_pb2.Period(kind=types_pb2.PERIOD_KIND_HALF_YEAR, year=rnd.year, number=1)
        rollup = await self._reporting(self.stubs[2].GetRollup, reporting_pb2.GetRollupRequest(
            org_unit_id=unit.id, period=period, indicator_codes=sorted(wanted)), principal)
        if rollup is None:
            return []
        out = []
        for row in rollup.rows:
            code = row.key.indicator_code
            if code not in wanted or row.key.members or (row.org_unit_id and row.org_unit_id != unit.id):
                continue  # the unit's own total of the indicator only
            comparison = POLARITY.get(row.polarity, Comparison.AT_LEAST)
            target, low, high = _dec(row.target_value), None, None
            if row.target_value_max:  # a range target: target_value is its lower bound
                comparison, low, high, target = Comparison.RANGE, target, _dec(row.target_value_max), None
            elif comparison is Comparison.RANGE:
                comparison = Comparison.AT_LEAST
            out.append(IndicatorResult(code, row.indicator_name or code, "", _dec(row.value), target,
                                       low, high, comparison, row.unit_of_measure))
        return out

    async def task_results(self, rnd: Round, unit: UnitRef, principal: Principal) -> list[TaskResult]:
        """The key tasks assigned to the unit for the year (assignment service, with their
        deadlines) and their reported progress (reporting GetKeyTaskSummary, when served)."""
        tasks: dict[str, tuple[str, date | None]] = {}
        token = ""
        while True:
            page = await self.stubs[1].ListAssignments(
                assignment_pb2.ListAssignmentsRequest(
                    assignee_unit_id=unit.id, kind=assignment_pb2.ASSIGNMENT_KIND_KEY_TASK,
                    year=rnd.year, page_size=500, page_token=token),
                metadata=principal.to_metadata(), timeout=TIMEOUT)
            for a in page.assignments:
                if a.status in (assignment_pb2.ASSIGNMENT_STATUS_ISSUED,
                                assignment_pb2.ASSIGNMENT_STATUS_ACKNOWLEDGED):
                    deadline = date.fromisoformat(a.task.deadline) if a.task.deadline else None
                    tasks[a.task.key_task_id] = (a.task.key_task_id, deadline)
            token = page.next_page_token
            if not token:
                break
        summary = await self._reporting(
            self.stubs[2].GetKeyTaskSummary,
            reporting_pb2.GetKeyTaskSummaryRequest(org_unit_id=unit.id, year=rnd.year,
                                                   as_of=rnd.as_of.isoformat()), principal)
        progress = {t.key_task_id: t for t in (summary.tasks if summary else [])}
        out = []
        for task_id, (name, deadline) in sorted(tasks.items()):
            t = progress.get(task_id)
            if t is None:
                out.append(TaskResult(task_id, name, deadline, None, progress_known=False))
                continue
            deadline = date.fromisoformat(t.deadline) if t.deadline else deadline
            done = t.status in DONE_STATUSES or t.percent_complete >= 100
            completed = None
            if done:
                completed = deadline or rnd.as_of
                if t.overdue and deadline:
                    completed = deadline + timedelta(days=1)
            out.append(TaskResult(task_id, t.title or name, deadline, completed))
        return out
