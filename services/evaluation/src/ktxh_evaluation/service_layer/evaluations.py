"""Use cases of the evaluation service: one per RPC, each a plain async function taking a
command, a unit of work and the principal; one unit of work each (calls to other services for
evidence happen before it opens, with the caller's own token).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from decimal import Decimal

from ktxh_platform.access import Action
from ktxh_platform.auth.principal import Principal
from ktxh_platform.domain import Conflict, FieldViolation, InvalidArgument, NotFound

from ktxh_evaluation.domain.evaluations import (
    Evaluation,
    Round,
    RoundKind,
    RoundStatus,
    UnitRef,
)
from ktxh_evaluation.domain.results import ResultEdition
from ktxh_evaluation.domain.scoring import (
    CompletionLevel,
    EvidenceBundle,
    ReportedFigure,
    ReportedTask,
    ScoringMethod,
    ScoringRules,
    rank,
    with_reported_figures,
    with_reported_tasks,
)
from ktxh_evaluation.service_layer import policy
from ktxh_evaluation.service_layer.ports import EvidenceSource
from ktxh_evaluation.service_layer.unit_of_work import EvaluationFilter, EvaluationUnitOfWork


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class EvaluationRules:
    """Configuration the use cases obey (``KTXH_EVALUATION_*``)."""

    review_days: int = 10


# ------------------------------------------------------------------------------ commands


@dataclass(frozen=True)
class OpenRound:
    criteria_set: str  # id or code
    year: int
    kind: RoundKind = RoundKind.ANNUAL
    self_evaluation_deadline: date | None = None
    evaluation_deadline: date | None = None
    report_period_codes: list[str] = field(default_factory=list)
    mandatory_criterion_codes: list[str] = field(default_factory=list)
    name: str = ""


@dataclass(frozen=True)
class ScoreInput:
    criterion_code: str
    score: Decimal | None
    comment: str = ""
    document_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class SaveScores:
    evaluation_id: str
    scores: list[ScoreInput]
    summary: str | None = None
    expected_version: int = 0


@dataclass(frozen=True)
class Step:
    """A workflow step on one evaluation (check, return, submit, finalize, review...)."""

    evaluation_id: str
    expected_version: int = 0
    reason: str = ""


# ------------------------------------------------------------------------------ helpers


def _with_mandatory(rules: ScoringRules, codes: list[str]) -> ScoringRules:
    known = {c.code for c in rules.criteria}
    bad = [FieldViolation(f"mandatory_criterion_codes[{i}]",
                          f"Bộ tiêu chí không có tiêu chí '{code}'")
           for i, code in enumerate(codes) if code not in known]
    if bad:
        raise InvalidArgument(bad)
    if not codes:
        return rules
    wanted = set(codes)
    return replace(rules, criteria=tuple(replace(c, mandatory=c.mandatory or c.code in wanted)
                                         for c in rules.criteria))


async def _evidence(
    rnd: Round, unit: UnitRef, source: EvidenceSource, principal: Principal
) -> tuple[list, list]:
    methods = {c.method for c in rnd.rules.criteria}
    codes = sorted({code for c in rnd.rules.criteria
                    if c.method is ScoringMethod.INDICATOR_ACHIEVEMENT for code in c.indicator_codes})
    indicators = (await source.indicator_results(rnd, unit, codes, principal)
                  if ScoringMethod.INDICATOR_ACHIEVEMENT in methods else [])
    tasks = (await source.task_results(rnd, unit, principal)
             if ScoringMethod.TASK_COMPLETION in methods else [])
    return indicators, tasks


async def _bundle(rnd: Round, unit: UnitRef, reports, indicators: list, tasks: list) -> EvidenceBundle:
    """The evidence of one unit: figures and tasks as read (or updated by the events), and the
    report timeliness kept by this service (``reports``: the report repository)."""
    timeliness = (await reports.for_unit(unit.id, rnd.report_period_codes)
                  if any(c.method is ScoringMethod.TIMELINESS for c in rnd.rules.criteria) else [])
    return EvidenceBundle(list(indicators), list(tasks), timeliness)


async def _round(uow: EvaluationUnitOfWork, round_id: str) -> Round:
    r = await uow.rounds.get(round_id, uow.province_code)
    if r is None:
        raise NotFound(f"Không tìm thấy đợt đánh giá {round_id}")
    return r


async def _evaluation(uow: EvaluationUnitOfWork, evaluation_id: str, scope) -> tuple[Evaluation, Round]:
    e = await uow.evaluations.get(evaluation_id, scope)
    if e is None:
        raise NotFound(f"Không tìm thấy kết quả đánh giá {evaluation_id} (hoặc bạn không được xem)")
    return e, await _round(uow, e.round_id)


# ------------------------------------------------------------------------------ rounds


async def open_round(
    cmd: OpenRound, uow: EvaluationUnitOfWork, principal: Principal, source: EvidenceSource,
    now: datetime | None = None,
) -> Round:
    """Opens a round for the units that received the criteria set, each with an evaluation
    whose suggested scores are computed at once."""
    policy.managing_scope(principal, Action.WRITE)
    early = []
    if not cmd.criteria_set.strip():
        early.append(FieldViolation("criteria_set_id", "Chưa chọn bộ tiêu chí"))
    if not 2000 <= cmd.year <= 2100:
        early.append(FieldViolation("year", "Năm đánh giá phải trong khoảng 2000–2100"))
    if early:  # before asking the other services
        raise InvalidArgument(early)
    set_id, rules = await source.scoring_rules(cmd.criteria_set, cmd.year, principal)
    rules = _with_mandatory(rules, cmd.mandatory_criterion_codes)
    units = await source.units_given(rules, set_id, cmd.year, principal)
    now = now or utcnow()
    rnd = Round.open(
        province_code=principal.province, year=cmd.year, kind=cmd.kind, criteria_set_id=set_id,
        rules=rules, managing_unit_id="", self_evaluation_deadline=cmd.self_evaluation_deadline,
        evaluation_deadline=cmd.evaluation_deadline, units=units,
        report_period_codes=cmd.report_period_codes, name=cmd.name,
        username=principal.username, now=now,
    )
    evidence = {u.id: await _evidence(rnd, u, source, principal) for u in units}
    async with uow:
        if await uow.rounds.find(rnd.province_code, set_id, cmd.year, cmd.kind.value):
            raise Conflict(f"Đã có đợt đánh giá {cmd.kind.label.lower()} năm {cmd.year} với bộ "
                           "tiêu chí này")
        await uow.rounds.add(rnd)
        for u in units:
            e = Evaluation.start(rnd, u)
            e.follow_evidence(rnd, await _bundle(rnd, u, uow.reports, *evidence[u.id]), now)
            e.version = 1
            await uow.evaluations.add(e)
        await uow.commit()
    return rnd


async def get_round(round_id: str, uow: EvaluationUnitOfWork, principal: Principal) -> Round:
    policy.read_scope(principal)
    async with uow:
        return await _round(uow, round_id)


async def list_rounds(year: int, uow: EvaluationUnitOfWork, principal: Principal) -> list[Round]:
    policy.read_scope(principal)
    async with uow:
        return await uow.rounds.list(uow.province_code, year)


async def close_round(cmd: Step, uow: EvaluationUnitOfWork, principal: Principal) -> Round:
    policy.managing_scope(principal, Action.APPROVE)
    async with uow:
        rnd = await _round(uow, cmd.evaluation_id)
        before = rnd.version
        rnd.close(cmd.expected_version, principal.username, utcnow())
        await uow.rounds.save(rnd, before)
        await uow.commit()
    return rnd


# ------------------------------------------------------------------------------ evaluations


async def get_evaluation(evaluation_id: str, uow: EvaluationUnitOfWork, principal: Principal) -> tuple[Evaluation, Round]:
    scope = policy.read_scope(principal)
    async with uow:
        return await _evaluation(uow, evaluation_id, scope)


async def list_evaluations(
    f: EvaluationFilter, uow: EvaluationUnitOfWork, principal: Principal
) -> tuple[list[Evaluation], str, int]:
    scope = policy.read_scope(principal)
    async with uow:
        return await uow.evaluations.list(scope, f)


async def refresh_suggestions(
    evaluation_id: str, uow: EvaluationUnitOfWork, principal: Principal, source: EvidenceSource,
) -> tuple[Evaluation, Round]:
    """Recomputes the suggested scores from the current evidence (until the round closes or the
    result is final); a changed suggestion is kept in the history."""
    scope = policy.read_scope(principal)
    async with uow:
        e, rnd = await _evaluation(uow, evaluation_id, scope)
    indicators, tasks = await _evidence(rnd, e.org_unit, source, principal)
    async with uow:
        e, rnd = await _evaluation(uow, evaluation_id, scope)
        before = e.version
        bundle = await _bundle(rnd, e.org_unit, uow.reports, indicators, tasks)
        if e.follow_evidence(rnd, bundle, utcnow()):
            await uow.evaluations.save(e, before)
            await uow.commit()
    return e, rnd


@dataclass(frozen=True)
class ReportEvidence:
    """What a unit's report says once sent, accepted, returned or reopened (submission events)."""

    org_unit_id: str
    province_code: str
    period_code: str
    accepted: bool | None  # True: its figures count; False: they no longer do; None: sent
    cause: str  # Vietnamese, e.g. "Báo cáo kỳ 2026 được tiếp nhận"
    figures: dict[str, ReportedFigure] = field(default_factory=dict)
    tasks: dict[str, ReportedTask] = field(default_factory=dict)


async def follow_report(report: ReportEvidence, rounds, evaluations, reports,
                        now: datetime | None = None) -> int:
    """Suggestions follow the evidence until the round closes: after a report of the unit was
    sent, accepted, returned or reopened, recomputes the suggestions of the unit's evaluations
    in open rounds that are not final, from the figures and tasks last read updated with the
    report (its figures count for the round's own period: the year, or its first half; its
    task progress for any period of the year) and the report timeliness. The self and
    adjusted scores stay; a changed suggestion is kept in the history with the report as cause.

    Runs in the consumer's transaction (``rounds``, ``evaluations``, ``reports``: the
    repositories on its session); returns the number of evaluations changed."""
    changed = 0
    for e in await evaluations.following(report.org_unit_id, report.province_code):
        rnd = await rounds.get(e.round_id, report.province_code)
        if rnd is None:
            continue
        indicators, tasks = e.indicator_inputs, e.task_inputs
        if report.accepted is not None and report.period_code == rnd.evaluated_period_code:
            indicators = with_reported_figures(indicators, report.figures, report.accepted)
        if report.accepted and report.tasks and report.period_code.startswith(str(rnd.year)):
            tasks = with_reported_tasks(tasks, report.tasks)
        before = e.version
        bundle = await _bundle(rnd, e.org_unit, reports, indicators, tasks)
        if e.follow_evidence(rnd, bundle, now or utcnow(), report.cause):
            await evaluations.save(e, before)
            changed += 1
    return changed


async def save_self_scores(cmd: SaveScores, uow: EvaluationUnitOfWork, principal: Principal) -> Evaluation:
    scope = policy.unit_scope(principal, Action.WRITE)
    async with uow:
        e, rnd = await _evaluation(uow, cmd.evaluation_id, scope)
        before = e.version
        e.save_self_scores(
            rnd, [(s.criterion_code, s.score, s.comment, s.document_ids) for s in cmd.scores],
            cmd.summary, cmd.expected_version, principal.username, utcnow())
        await uow.evaluations.save(e, before)
        await uow.commit()
    return e


async def adjust_scores(cmd: SaveScores, uow: EvaluationUnitOfWork, principal: Principal) -> Evaluation:
    scope = policy.managing_scope(principal, Action.WRITE)
    async with uow:
        e, rnd = await _evaluation(uow, cmd.evaluation_id, scope)
        before = e.version
        e.adjust(rnd, [(s.criterion_code, s.score, s.comment) for s in cmd.scores], cmd.summary,
                 cmd.expected_version, principal.username, utcnow())
        await uow.evaluations.save(e, before)
        await uow.commit()
    return e


async def _step(cmd: Step, uow: EvaluationUnitOfWork, scope, apply) -> Evaluation:
    async with uow:
        e, rnd = await _evaluation(uow, cmd.evaluation_id, scope)
        before = e.version
        apply(e, rnd)
        await uow.evaluations.save(e, before)
        await uow.commit()
    return e


async def check_self_evaluation(cmd: Step, uow: EvaluationUnitOfWork, principal: Principal) -> Evaluation:
    scope = policy.unit_scope(principal, Action.WRITE)
    return await _step(cmd, uow, scope, lambda e, r: e.check(cmd.expected_version, principal.username, utcnow()))


async def return_self_evaluation(cmd: Step, uow: EvaluationUnitOfWork, principal: Principal) -> Evaluation:
    scope = policy.unit_scope(principal, Action.APPROVE)
    return await _step(cmd, uow, scope, lambda e, r: e.return_to_draft(
        r, cmd.reason, cmd.expected_version, principal.username, utcnow()))


async def submit_self_evaluation(cmd: Step, uow: EvaluationUnitOfWork, principal: Principal) -> Evaluation:
    scope = policy.unit_scope(principal, Action.APPROVE)
    return await _step(cmd, uow, scope, lambda e, r: e.submit(
        r, cmd.expected_version, principal.username, utcnow()))


async def finalize_evaluation(cmd: Step, uow: EvaluationUnitOfWork, principal: Principal) -> Evaluation:
    scope = policy.managing_scope(principal, Action.APPROVE)
    return await _step(cmd, uow, scope, lambda e, r: e.finalize(
        r, cmd.expected_version, principal.username, utcnow()))


async def reopen_evaluation(cmd: Step, uow: EvaluationUnitOfWork, principal: Principal) -> Evaluation:
    scope = policy.managing_scope(principal, Action.APPROVE)
    return await _step(cmd, uow, scope, lambda e, r: e.reopen(
        cmd.reason, cmd.expected_version, principal.username, utcnow()))


async def request_review(
    cmd: Step, uow: EvaluationUnitOfWork, principal: Principal, rules: EvaluationRules,
    now: datetime | None = None,
) -> Evaluation:
    scope = policy.unit_scope(principal, Action.APPROVE)
    return await _step(cmd, uow, scope, lambda e, r: e.request_review(
        cmd.reason, rules.review_days, cmd.expected_version, principal.username, now or utcnow()))


async def answer_review(cmd: Step, uow: EvaluationUnitOfWork, principal: Principal) -> Evaluation:
    scope = policy.managing_scope(principal, Action.APPROVE)
    return await _step(cmd, uow, scope, lambda e, r: e.answer_review(
        r, cmd.reason, cmd.expected_version, principal.username, utcnow()))


# ------------------------------------------------------------------------------ results


@dataclass(frozen=True)
class RankedUnit:
    rank: int
    evaluation: Evaluation


@dataclass(frozen=True)
class Ranking:
    round: Round
    units: list[RankedUnit]
    count_by_level: dict[CompletionLevel, int]


async def rankings(round_id: str, uow: EvaluationUnitOfWork, principal: Principal) -> Ranking:
    """Finalized evaluations of the round in scope, from the highest total down."""
    scope = policy.read_scope(principal)
    async with uow:
        rnd = await _round(uow, round_id)
        evaluations: list[Evaluation] = []
        token = ""
        while True:
            page, token, _ = await uow.evaluations.list(
                scope, EvaluationFilter(round_id=round_id, page_size=500, page_token=token))
            evaluations += page
            if not token:
                break
    final = [e for e in evaluations if e.finalized_at is not None and e.level is not None]
    by_id = {e.id: e for e in final}
    ordered = rank([(e.id, e.total) for e in sorted(final, key=lambda e: e.org_unit.code)])
    counts: dict[CompletionLevel, int] = {lv: 0 for lv in CompletionLevel}
    for e in final:
        assert e.level is not None
        counts[e.level] += 1
    return Ranking(rnd, [RankedUnit(pos, by_id[key]) for pos, key, _ in ordered], counts)


# ------------------------------------------------------------------------------ published results


async def _all_evaluations(uow: EvaluationUnitOfWork, scope, round_id: str) -> list[Evaluation]:
    out: list[Evaluation] = []
    token = ""
    while True:
        page, token, _ = await uow.evaluations.list(
            scope, EvaluationFilter(round_id=round_id, page_size=500, page_token=token))
        out += page
        if not token:
            return out


async def publish_results(round_id: str, note: str, uow: EvaluationUnitOfWork, principal: Principal,
                          now: datetime | None = None) -> ResultEdition:
    """Freezes the round's results as the next edition (revision 1, 2, ...)."""
    scope = policy.managing_scope(principal, Action.APPROVE)
    async with uow:
        rnd = await _round(uow, round_id)
        evaluations = await _all_evaluations(uow, scope, round_id)
        edition = ResultEdition.publish(rnd, evaluations, await uow.editions.next_revision(round_id),
                                        note, principal.username, now or utcnow())
        await uow.editions.add(edition)
        await uow.commit()
    return edition


async def list_result_editions(round_id: str, uow: EvaluationUnitOfWork, principal: Principal) -> list[ResultEdition]:
    policy.read_scope(principal)
    async with uow:
        await _round(uow, round_id)
        return await uow.editions.list(round_id, uow.province_code)


async def get_result_edition(round_id: str, revision: int, uow: EvaluationUnitOfWork,
                             principal: Principal) -> ResultEdition:
    """The edition with the rows of the units the caller may read (filtered in SQL)."""
    scope = policy.read_scope(principal)
    if revision < 1:
        raise InvalidArgument.single("revision", "Số lần công bố phải từ 1 trở lên")
    async with uow:
        edition = await uow.editions.get(round_id, revision, uow.province_code, scope)
    if edition is None:
        raise NotFound(f"Không tìm thấy lần công bố {revision} của đợt đánh giá {round_id}")
    return edition


__all__ = [
    "EvaluationRules", "OpenRound", "RankedUnit", "Ranking", "RoundStatus", "SaveScores",
    "ScoreInput", "Step",
]
