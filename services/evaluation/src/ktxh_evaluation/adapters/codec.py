"""Rounds and evaluations ↔ the JSON ``payload`` stored in their row (the domain's own field
names; decimals as strings, dates ISO)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ktxh_evaluation.domain.evaluations import (
    CriterionScore,
    Evaluation,
    EvaluationStatus,
    Round,
    RoundKind,
    RoundStatus,
    ScoreChange,
    UnitRef,
)
from ktxh_evaluation.domain.results import ResultEdition, ResultGroup, ResultRow
from ktxh_evaluation.domain.scoring import (
    Comparison,
    CompletionLevel,
    CreditStep,
    CriterionRule,
    Evidence,
    IndicatorResult,
    PartialCredit,
    ScoringMethod,
    ScoringRules,
    TaskResult,
    Threshold,
)


def _d(v: Decimal | None) -> str | None:
    return None if v is None else str(v)


def _D(v: str | None) -> Decimal | None:
    return None if v is None or v == "" else Decimal(v)


def _t(v: datetime | None) -> str | None:
    return v.isoformat() if v else None


def _T(v: str | None) -> datetime | None:
    return datetime.fromisoformat(v) if v else None


def rules_to_json(r: ScoringRules) -> dict[str, Any]:
    return {
        "code": r.code, "name": r.name, "version": r.version,
        "mandatory_zero_cap": r.mandatory_zero_cap.value,
        "criteria": [{
            "code": c.code, "name": c.name, "max_score": str(c.max_score), "method": c.method.value,
            "indicator_codes": list(c.indicator_codes), "mandatory": c.mandatory,
            "partial_credit": c.partial_credit.value, "late_credit": str(c.late_credit),
            "incomplete_credit": str(c.incomplete_credit), "ordinal": c.ordinal,
            "credit_steps": [[str(st.min_achievement), str(st.credit)] for st in c.credit_steps],
        } for c in r.criteria],
        "thresholds": [{"level": t.level.value, "min_score": str(t.min_score)} for t in r.thresholds],
    }


def rules_from_json(d: dict[str, Any]) -> ScoringRules:
    return ScoringRules(
        d["code"], d["name"],
        tuple(CriterionRule(
            c["code"], c["name"], Decimal(c["max_score"]), ScoringMethod(c["method"]),
            tuple(c["indicator_codes"]), c["mandatory"], PartialCredit(c["partial_credit"]),
            Decimal(c["late_credit"]), Decimal(c["incomplete_credit"]), c.get("ordinal", 0),
            tuple(CreditStep(Decimal(a), Decimal(b)) for a, b in c.get("credit_steps", [])),
        ) for c in d["criteria"]),
        tuple(Threshold(CompletionLevel(t["level"]), Decimal(t["min_score"])) for t in d["thresholds"]),
        CompletionLevel(d["mandatory_zero_cap"]), d.get("version", 0),
    )


def _unit(u: UnitRef) -> dict[str, str]:
    return {"id": u.id, "code": u.code, "name": u.name, "kind": u.kind}


def round_to_json(r: Round) -> dict[str, Any]:
    return {
        "id": r.id, "province_code": r.province_code, "year": r.year, "kind": r.kind.value,
        "criteria_set_id": r.criteria_set_id, "rules": rules_to_json(r.rules),
        "managing_unit_id": r.managing_unit_id,
        "self_evaluation_deadline": r.self_evaluation_deadline.isoformat(),
        "evaluation_deadline": r.evaluation_deadline.isoformat(),
        "units": [_unit(u) for u in r.units], "report_period_codes": list(r.report_period_codes),
        "status": r.status.value, "name": r.name, "created_by": r.created_by,
        "created_at": _t(r.created_at), "closed_by": r.closed_by, "closed_at": _t(r.closed_at),
    }


def round_from_json(d: dict[str, Any], version: int) -> Round:
    return Round(
        id=d["id"], province_code=d["province_code"], year=d["year"], kind=RoundKind(d["kind"]),
        criteria_set_id=d["criteria_set_id"], rules=rules_from_json(d["rules"]),
        managing_unit_id=d["managing_unit_id"],
        self_evaluation_deadline=date.fromisoformat(d["self_evaluation_deadline"]),
        evaluation_deadline=date.fromisoformat(d["evaluation_deadline"]),
        units=tuple(UnitRef(**u) for u in d["units"]),
        report_period_codes=tuple(d["report_period_codes"]), status=RoundStatus(d["status"]),
        name=d["name"], created_by=d["created_by"], created_at=_T(d["created_at"]),
        closed_by=d["closed_by"], closed_at=_T(d["closed_at"]), version=version,
    )


def _evidence(e: Evidence) -> dict[str, Any]:
    return {"kind": e.kind, "ref": e.ref, "label": e.label, "credit": _d(e.credit),
            "figure_key": e.figure_key, "actual": e.actual, "target": e.target}


def evaluation_to_json(e: Evaluation) -> dict[str, Any]:
    return {
        "id": e.id, "round_id": e.round_id, "province_code": e.province_code,
        "org_unit": _unit(e.org_unit), "status": e.status.value, "summary": e.summary,
        "scores": [{
            "criterion_code": s.criterion_code, "suggested_score": _d(s.suggested_score),
            "suggestion_basis": s.suggestion_basis, "evidence": [_evidence(x) for x in s.evidence],
            "self_score": _d(s.self_score), "self_comment": s.self_comment, "score": _d(s.score),
            "comment": s.comment, "document_ids": list(s.document_ids),
        } for s in e.scores.values()],
        "self_total": str(e.self_total), "self_level": e.self_level.value if e.self_level else None,
        "total": str(e.total), "level": e.level.value if e.level else None,
        "classification_reason": e.classification_reason,
        "submitted_by": e.submitted_by, "submitted_at": _t(e.submitted_at),
        "finalized_by": e.finalized_by, "finalized_at": _t(e.finalized_at),
        "review_reason": e.review_reason, "review_requested_by": e.review_requested_by,
        "review_requested_at": _t(e.review_requested_at), "review_answer": e.review_answer,
        "review_answered_by": e.review_answered_by, "review_answered_at": _t(e.review_answered_at),
        "history": [{"at": _t(h.at), "by": h.by, "action": h.action,
                     "criterion_code": h.criterion_code, "before": h.before, "after": h.after,
                     "reason": h.reason} for h in e.history],
        "indicator_inputs": [_indicator(r) for r in e.indicator_inputs],
        "task_inputs": [_task(t) for t in e.task_inputs],
    }


def evaluation_from_json(d: dict[str, Any], version: int) -> Evaluation:
    scores = {}
    for s in d["scores"]:
        scores[s["criterion_code"]] = CriterionScore(
            s["criterion_code"], _D(s["suggested_score"]), s["suggestion_basis"],
            tuple(Evidence(x["kind"], x["ref"], x["label"], _D(x["credit"]), x["figure_key"],
                           x["actual"], x["target"]) for x in s["evidence"]),
            _D(s["self_score"]), s["self_comment"], _D(s["score"]), s["comment"],
            tuple(s["document_ids"]),
        )
    return Evaluation(
        id=d["id"], round_id=d["round_id"], province_code=d["province_code"],
        org_unit=UnitRef(**d["org_unit"]), status=EvaluationStatus(d["status"]), scores=scores,
        summary=d["summary"], self_total=Decimal(d["self_total"]),
        self_level=CompletionLevel(d["self_level"]) if d["self_level"] else None,
        total=Decimal(d["total"]), level=CompletionLevel(d["level"]) if d["level"] else None,
        classification_reason=d["classification_reason"],
        submitted_by=d["submitted_by"], submitted_at=_T(d["submitted_at"]),
        finalized_by=d["finalized_by"], finalized_at=_T(d["finalized_at"]),
        review_reason=d["review_reason"], review_requested_by=d["review_requested_by"],
        review_requested_at=_T(d["review_requested_at"]), review_answer=d["review_answer"],
        review_answered_by=d["review_answered_by"], review_answered_at=_T(d["review_answered_at"]),
        history=[ScoreChange(_T(h["at"]) or datetime.min, h["by"], h["action"], h["criterion_code"],
                             h["before"], h["after"], h["reason"]) for h in d["history"]],
        indicator_inputs=[_indicator_from(x) for x in d.get("indicator_inputs", [])],
        task_inputs=[_task_from(x) for x in d.get("task_inputs", [])],
        version=version,
    )


def _indicator(r: IndicatorResult) -> dict[str, Any]:
    return {"code": r.indicator_code, "name": r.indicator_name, "figure_key": r.figure_key,
            "actual": _d(r.actual), "target": _d(r.target), "low": _d(r.target_low),
            "high": _d(r.target_high), "comparison": r.comparison.value, "unit": r.unit}


def _indicator_from(x: dict[str, Any]) -> IndicatorResult:
    return IndicatorResult(x["code"], x["name"], x["figure_key"], _D(x["actual"]), _D(x["target"]),
                           _D(x["low"]), _D(x["high"]), Comparison(x["comparison"]), x["unit"])


def _task(t: TaskResult) -> dict[str, Any]:
    return {"code": t.key_task_code, "name": t.name,
            "deadline": t.deadline.isoformat() if t.deadline else None,
            "completed_on": t.completed_on.isoformat() if t.completed_on else None,
            "progress_known": t.progress_known}


def _task_from(x: dict[str, Any]) -> TaskResult:
    return TaskResult(x["code"], x["name"], date.fromisoformat(x["deadline"]) if x["deadline"] else None,
                      date.fromisoformat(x["completed_on"]) if x["completed_on"] else None,
                      x["progress_known"])


# ---------------------------------------------------------------------- result editions


def edition_header_to_json(x: ResultEdition) -> dict[str, Any]:
    return {
        "id": x.id, "round_id": x.round_id, "province_code": x.province_code, "revision": x.revision,
        "round_name": x.round_name, "year": x.year, "round_kind": x.round_kind.value,
        "criteria_set_code": x.criteria_set_code, "criteria_set_name": x.criteria_set_name,
        "max_total": str(x.max_total),
        "groups": [{"code": g.code, "name": g.name, "max_score": str(g.max_score),
                    "criterion_codes": list(g.criterion_codes)} for g in x.groups],
        "published_by": x.published_by, "published_at": _t(x.published_at), "note": x.note,
        "unit_count": x.unit_count,
    }


def result_row_to_json(r: ResultRow) -> dict[str, Any]:
    return {"org_unit": _unit(r.org_unit), "evaluation_id": r.evaluation_id, "status": r.status.value,
            "rank": r.rank, "group_scores": [_d(v) for v in r.group_scores], "total": _d(r.total),
            "level": r.level.value if r.level else None, "reason": r.classification_reason}


def result_row_from_json(d: dict[str, Any]) -> ResultRow:
    return ResultRow(UnitRef(**d["org_unit"]), d["evaluation_id"], EvaluationStatus(d["status"]),
                     d["rank"], tuple(_D(v) for v in d["group_scores"]), _D(d["total"]),
                     CompletionLevel(d["level"]) if d["level"] else None, d["reason"])


def edition_from_json(d: dict[str, Any], rows: list[ResultRow]) -> ResultEdition:
    return ResultEdition(
        id=d["id"], round_id=d["round_id"], province_code=d["province_code"], revision=d["revision"],
        round_name=d["round_name"], year=d["year"], round_kind=RoundKind(d["round_kind"]),
        criteria_set_code=d["criteria_set_code"], criteria_set_name=d["criteria_set_name"],
        max_total=Decimal(d["max_total"]),
        groups=tuple(ResultGroup(g["code"], g["name"], Decimal(g["max_score"]), tuple(g["criterion_codes"]))
                     for g in d["groups"]),
        rows=tuple(rows), published_by=d["published_by"],
        published_at=_T(d["published_at"]) or datetime.min, note=d["note"],
        unit_count=d["unit_count"], version=1,
    )
