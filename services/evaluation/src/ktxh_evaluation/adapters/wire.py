"""Translation between the evaluation domain and protobuf messages (gRPC and event payloads)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from google.protobuf import timestamp_pb2
from ktxh.catalog.v1 import catalog_pb2
from ktxh.common.v1 import types_pb2
from ktxh.evaluation.v1 import evaluation_pb2 as pb
from ktxh_platform.domain import FieldViolation, InvalidArgument

from ktxh_evaluation.domain.evaluations import (
    Evaluation,
    EvaluationStatus,
    Round,
    RoundKind,
    RoundStatus,
)
from ktxh_evaluation.domain.results import ResultEdition
from ktxh_evaluation.domain.scoring import CompletionLevel, PartialCredit, ScoringMethod
from ktxh_evaluation.service_layer.evaluations import Ranking, ScoreInput

LEVEL = {lv: types_pb2.CompletionLevel.Value(f"COMPLETION_LEVEL_{lv.name}") for lv in CompletionLevel}
STATUS = {s: pb.EvaluationStatus.Value(f"EVALUATION_STATUS_{s.name}") for s in EvaluationStatus}
PB_STATUS = {v: k for k, v in STATUS.items()}
PARTIAL = {p: catalog_pb2.PartialCredit.Value(f"PARTIAL_CREDIT_{p.name}") for p in PartialCredit}
METHOD = {m: catalog_pb2.ScoringMethod.Value(f"SCORING_METHOD_{m.name}") for m in ScoringMethod}
ROUND_KIND = {k: pb.RoundKind.Value(f"ROUND_KIND_{k.name}") for k in RoundKind}
PB_ROUND_KIND = {v: k for k, v in ROUND_KIND.items()}
ROUND_STATUS = {s: pb.RoundStatus.Value(f"ROUND_STATUS_{s.name}") for s in RoundStatus}


def _ts(value: datetime | None) -> timestamp_pb2.Timestamp | None:
    if value is None:
        return None
    ts = timestamp_pb2.Timestamp()
    ts.FromDatetime(value)
    return ts


def _d(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def parse_day(value: str, field_name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidArgument.single(field_name, f"Ngày không hợp lệ: '{value}' (định dạng YYYY-MM-DD)") from None


def parse_score(value: str, field_name: str) -> Decimal | None:
    if value.strip() == "":
        return None
    try:
        d = Decimal(value.strip().replace(",", "."))
    except InvalidOperation:
        raise InvalidArgument.single(field_name, f"Điểm không hợp lệ: '{value}'") from None
    if not d.is_finite():
        raise InvalidArgument.single(field_name, f"Điểm không hợp lệ: '{value}'")
    return d


def scores_from_pb(items, *, self_side: bool) -> list[ScoreInput]:
    out: list[ScoreInput] = []
    violations: list[FieldViolation] = []
    for i, s in enumerate(items):
        raw = s.self_score if self_side and s.self_score else s.score
        try:
            value = parse_score(raw, f"scores[{i}].score")
        except InvalidArgument as err:
            violations += err.violations
            continue
        if not s.criterion_code:
            violations.append(FieldViolation(f"scores[{i}].criterion_code", "Chưa chọn tiêu chí"))
            continue
        comment = s.self_comment if self_side and s.self_comment else s.comment
        out.append(ScoreInput(s.criterion_code, value, comment, tuple(s.document_ids)))
    if violations:
        raise InvalidArgument(violations)
    return out


def round_to_pb(r: Round) -> pb.EvaluationRound:
    m = pb.EvaluationRound(
        id=r.id, name=r.name, year=r.year, kind=ROUND_KIND[r.kind], criteria_set_id=r.criteria_set_id,
        criteria_set_code=r.rules.code, criteria_set_name=r.rules.name,
        max_total_score=str(r.rules.max_total),
        self_evaluation_deadline=r.self_evaluation_deadline.isoformat(),
        evaluation_deadline=r.evaluation_deadline.isoformat(),
        report_period_codes=list(r.report_period_codes), status=ROUND_STATUS[r.status],
        province_code=r.province_code, version=r.version,
    )
    for c in r.rules.criteria:
        m.criteria.add(code=c.code, name=c.name, max_score=str(c.max_score),
                       scoring_method=METHOD[c.method], mandatory=c.mandatory,
                       indicator_codes=list(c.indicator_codes), partial_credit=PARTIAL[c.partial_credit],
                       credit_steps=[catalog_pb2.CreditStep(min_achievement=str(st.min_achievement),
                                                            credit=str(st.credit)) for st in c.credit_steps])
    for t in r.rules.thresholds:
        m.thresholds.add(level=LEVEL[t.level], min_score=str(t.min_score))
    for u in r.units:
        m.units.add(org_unit_id=u.id, org_unit_code=u.code, org_unit_name=u.name)
    m.audit.created_by = r.created_by
    if r.created_at:
        m.audit.created_at.CopyFrom(_ts(r.created_at))
    return m


def evaluation_to_pb(e: Evaluation, r: Round | None, *, full: bool = True) -> pb.Evaluation:
    m = pb.Evaluation(
        id=e.id, kind=pb.EVALUATION_KIND_MANAGING, org_unit_id=e.org_unit.id,
        org_unit_code=e.org_unit.code, org_unit_name=e.org_unit.name, round_id=e.round_id,
        status=STATUS[e.status], total_score=str(e.total),
        completion_level=LEVEL[e.level] if e.level else 0,
        self_total_score=str(e.self_total),
        self_completion_level=LEVEL[e.self_level] if e.self_level else 0,
        classification_reason=e.classification_reason, summary=e.summary,
        finalized_by=e.finalized_by, submitted_by=e.submitted_by, province_code=e.province_code,
        version=e.version,
    )
    if r is not None:
        m.criteria_set_id = r.criteria_set_id
        m.period.kind = types_pb2.PERIOD_KIND_HALF_YEAR if r.kind is RoundKind.MID_YEAR else types_pb2.PERIOD_KIND_YEAR
        m.period.year = r.year
        m.period.number = 1 if r.kind is RoundKind.MID_YEAR else 0
        m.period.code = f"{r.year}-H1" if r.kind is RoundKind.MID_YEAR else str(r.year)
    if e.finalized_at:
        m.finalized_at.CopyFrom(_ts(e.finalized_at))
    if e.submitted_at:
        m.submitted_at.CopyFrom(_ts(e.submitted_at))
    if e.review_requested_at:
        m.review.reason = e.review_reason
        m.review.requested_by = e.review_requested_by
        m.review.requested_at.CopyFrom(_ts(e.review_requested_at))
        m.review.answer = e.review_answer
        m.review.answered_by = e.review_answered_by
        if e.review_answered_at:
            m.review.answered_at.CopyFrom(_ts(e.review_answered_at))
    if not full:
        return m
    for code, s in e.scores.items():
        c = r.rules.criterion(code) if r else None
        cs = m.scores.add(
            criterion_code=code, score=_d(s.score), self_score=_d(s.self_score),
            suggested_score=_d(s.suggested_score), suggestion_basis=s.suggestion_basis,
            comment=s.comment, self_comment=s.self_comment, document_ids=list(s.document_ids),
        )
        if c is not None:
            cs.max_score, cs.criterion_name = str(c.max_score), c.name
            cs.scoring_method, cs.mandatory = METHOD[c.method], c.mandatory
        for x in s.evidence:
            cs.evidence.add(kind=x.kind, ref=x.ref, label=x.label, credit=_d(x.credit),
                            actual=x.actual, target=x.target)
    for h in e.history:
        ch = m.history.add(by=h.by, action=h.action, criterion_code=h.criterion_code,
                           before=h.before, after=h.after, reason=h.reason)
        ch.at.CopyFrom(_ts(h.at))
    return m


def ranking_to_pb(r: Ranking) -> pb.ListRankingsResponse:
    m = pb.ListRankingsResponse()
    for u in r.units:
        e = u.evaluation
        m.rankings.add(rank=u.rank, org_unit_id=e.org_unit.id, org_unit_code=e.org_unit.code,
                       org_unit_name=e.org_unit.name, evaluation_id=e.id, total_score=str(e.total),
                       completion_level=LEVEL[e.level] if e.level else 0)
    for lv, n in r.count_by_level.items():
        m.count_by_level[types_pb2.CompletionLevel.Name(LEVEL[lv])] = n
    return m


def edition_to_pb(x: ResultEdition, *, rows: bool = True) -> pb.ResultEdition:
    m = pb.ResultEdition(
        id=x.id, round_id=x.round_id, revision=x.revision, round_name=x.round_name, year=x.year,
        round_kind=ROUND_KIND[x.round_kind], criteria_set_code=x.criteria_set_code,
        criteria_set_name=x.criteria_set_name, max_total_score=str(x.max_total), note=x.note,
        published_by=x.published_by, province_code=x.province_code, unit_count=x.unit_count,
    )
    m.published_at.CopyFrom(_ts(x.published_at))
    for g in x.groups:
        m.groups.add(code=g.code, name=g.name, max_score=str(g.max_score),
                     criterion_codes=list(g.criterion_codes))
    if not rows:
        return m
    for r in x.rows:
        m.rows.add(rank=r.rank or 0, org_unit_id=r.org_unit.id, org_unit_code=r.org_unit.code,
                   org_unit_name=r.org_unit.name, evaluation_id=r.evaluation_id, status=STATUS[r.status],
                   group_scores=[_d(v) for v in r.group_scores], total_score=_d(r.total),
                   completion_level=LEVEL[r.level] if r.level else 0,
                   classification_reason=r.classification_reason)
    for lv, n in x.count_by_level.items():
        m.count_by_level[types_pb2.CompletionLevel.Name(LEVEL[lv])] = n
    return m
