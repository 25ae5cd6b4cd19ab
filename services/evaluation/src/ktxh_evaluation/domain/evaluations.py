"""Evaluation rounds (đợt đánh giá) and the evaluation of one unit in a round. Plain classes.

A **round** is opened by the managing unit for a year (``annual``) or the first half
(``mid_year``) with one criteria set (its rules are kept in the round, so a later change in the
catalog does not move scores under way), the units that received that set in an assignment
decision, and two deadlines: self-evaluation, evaluation. It is ``open`` until closed.

An **evaluation** is one unit in one round. Each criterion carries three scores side by side:
``suggested`` (computed from the evidence, recomputed while the round is open and the
evaluation not finalized), ``self`` (the unit's; defaults to the suggestion) and ``final``
(the managing unit's; defaults to the self score). Lifecycle::

    draft ──check (consolidating office)──▶ checked ──submit (unit leader)──▶ submitted
      ▲                                        │                                  │
      └──────────return (unit leader)──────────┘                          finalize (managing)
                                                                                  ▼
       finalized ◀──answer (managing)── review_requested ◀──request_review (unit, once)──┘

Every change of a score or a status is kept in ``history`` (who, when, before, after, why).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from ktxh_platform.domain import (
    Aggregate,
    Conflict,
    DomainEvent,
    FieldViolation,
    InvalidArgument,
    PreconditionFailed,
)

from ktxh_evaluation.domain.scoring import (
    ZERO,
    Classification,
    CompletionLevel,
    Evidence,
    EvidenceBundle,
    IndicatorResult,
    ScoringRules,
    Suggestion,
    TaskResult,
    classify,
    suggest,
)


class RoundKind(StrEnum):
    ANNUAL = "annual"
    MID_YEAR = "mid_year"

    @property
    def label(self) -> str:
        return {"annual": "Cả năm", "mid_year": "Sáu tháng đầu năm"}[self.value]


class RoundStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class EvaluationStatus(StrEnum):
    DRAFT = "draft"
    CHECKED = "checked"
    SUBMITTED = "submitted"
    FINALIZED = "finalized"
    REVIEW_REQUESTED = "review_requested"

    @property
    def label(self) -> str:
        return {
            "draft": "Đang tự đánh giá",
            "checked": "Chờ lãnh đạo đơn vị ký gửi",
            "submitted": "Đã gửi, chờ đánh giá",
            "finalized": "Đã có kết quả",
            "review_requested": "Đề nghị xem xét lại",
        }[self.value]


def _check_version(current: int, expected: int) -> None:
    if expected and expected != current:
        raise PreconditionFailed(
            f"Dữ liệu đã được người khác thay đổi (phiên bản {current}, bạn đang sửa phiên bản "
            f"{expected}); hãy tải lại."
        )


@dataclass(frozen=True)
class UnitRef:
    id: str
    code: str
    name: str = ""
    kind: str = ""  # "agency" | "commune" (the criteria set's subject)


@dataclass
class Round(Aggregate):
    id: str
    province_code: str
    year: int
    kind: RoundKind
    criteria_set_id: str
    rules: ScoringRules
    managing_unit_id: str
    self_evaluation_deadline: date
    evaluation_deadline: date
    units: tuple[UnitRef, ...]
    report_period_codes: tuple[str, ...] = ()  # reports expected (timeliness criteria)
    status: RoundStatus = RoundStatus.OPEN
    name: str = ""
    created_by: str = ""
    created_at: datetime | None = None
    closed_by: str = ""
    closed_at: datetime | None = None

    @classmethod
    def open(
        cls, *, province_code: str, year: int, kind: RoundKind, criteria_set_id: str,
        rules: ScoringRules, managing_unit_id: str, self_evaluation_deadline: date | None,
        evaluation_deadline: date | None, units: list[UnitRef], report_period_codes: list[str],
        name: str, username: str, now: datetime,
    ) -> Round:
        v: list[FieldViolation] = []
        if not 2000 <= year <= 2100:
            v.append(FieldViolation("year", "Năm đánh giá phải trong khoảng 2000–2100"))
        if self_evaluation_deadline is None:
            v.append(FieldViolation("self_evaluation_deadline", "Chưa nhập hạn tự đánh giá"))
        if evaluation_deadline is None:
            v.append(FieldViolation("evaluation_deadline", "Chưa nhập hạn đánh giá"))
        if (self_evaluation_deadline and evaluation_deadline
                and evaluation_deadline < self_evaluation_deadline):
            v.append(FieldViolation("evaluation_deadline",
                                    "Hạn đánh giá phải sau hạn tự đánh giá"))
        if not units:
            v.append(FieldViolation(
                "criteria_set_id",
                "Chưa có đơn vị nào được giao bộ tiêu chí này trong quyết định giao đã ban hành"))
        if v:
            raise InvalidArgument(v)
        assert self_evaluation_deadline and evaluation_deadline
        r = cls(
            id=str(uuid.uuid4()), province_code=province_code, year=year, kind=kind,
            criteria_set_id=criteria_set_id, rules=rules, managing_unit_id=managing_unit_id,
            self_evaluation_deadline=self_evaluation_deadline,
            evaluation_deadline=evaluation_deadline, units=tuple(units),
            report_period_codes=tuple(report_period_codes),
            name=name.strip() or f"Đánh giá {rules.name} năm {year}",
            created_by=username, created_at=now, version=1,
        )
        r.record(RoundOpened(r))
        return r

    @property
    def as_of(self) -> date:
        """The day the evidence is judged on: the end of the evaluated period."""
        return date(self.year, 6, 30) if self.kind is RoundKind.MID_YEAR else date(self.year, 12, 31)

    @property
    def evaluated_period_code(self) -> str:
        """The period whose figures are scored: the year (``2026``) or its first half (``2026-H1``)."""
        return f"{self.year}-H1" if self.kind is RoundKind.MID_YEAR else str(self.year)

    def close(self, expected_version: int, username: str, now: datetime) -> None:
        _check_version(self.version, expected_version)
        if self.status is RoundStatus.CLOSED:
            raise Conflict("Đợt đánh giá đã kết thúc")
        self.status, self.closed_by, self.closed_at = RoundStatus.CLOSED, username, now
        self.version += 1
        self.record(RoundClosed(self))


@dataclass(frozen=True)
class CriterionScore:
    criterion_code: str
    suggested_score: Decimal | None = None
    suggestion_basis: str = ""
    evidence: tuple[Evidence, ...] = ()
    self_score: Decimal | None = None
    self_comment: str = ""
    score: Decimal | None = None  # the managing unit's (final) score
    comment: str = ""
    document_ids: tuple[str, ...] = ()

    @property
    def effective_self(self) -> Decimal | None:
        return self.self_score if self.self_score is not None else self.suggested_score

    @property
    def effective_final(self) -> Decimal | None:
        return self.score if self.score is not None else self.effective_self


@dataclass(frozen=True)
class ScoreChange:
    at: datetime
    by: str
    action: str  # suggest | self_score | score | check | return | submit | finalize | ...
    criterion_code: str = ""
    before: str = ""
    after: str = ""
    reason: str = ""


def _s(value: Decimal | None) -> str:
    return "" if value is None else str(value)


@dataclass
class Evaluation(Aggregate):
    id: str
    round_id: str
    province_code: str
    org_unit: UnitRef
    status: EvaluationStatus
    scores: dict[str, CriterionScore]
    summary: str = ""
    self_total: Decimal = ZERO
    self_level: CompletionLevel | None = None
    total: Decimal = ZERO
    level: CompletionLevel | None = None
    classification_reason: str = ""
    submitted_by: str = ""
    submitted_at: datetime | None = None
    finalized_by: str = ""
    finalized_at: datetime | None = None
    review_reason: str = ""
    review_requested_by: str = ""
    review_requested_at: datetime | None = None
    review_answer: str = ""
    review_answered_by: str = ""
    review_answered_at: datetime | None = None
    history: list[ScoreChange] = field(default_factory=list)
    # The figures and key tasks last read from the other services: the submission events
    # update them (suggestions follow the evidence without a call to another service).
    indicator_inputs: list[IndicatorResult] = field(default_factory=list)
    task_inputs: list[TaskResult] = field(default_factory=list)

    @classmethod
    def start(cls, rnd: Round, unit: UnitRef) -> Evaluation:
        e = cls(
            id=str(uuid.uuid4()), round_id=rnd.id, province_code=rnd.province_code, org_unit=unit,
            status=EvaluationStatus.DRAFT,
            scores={c.code: CriterionScore(c.code) for c in rnd.rules.criteria}, version=1,
        )
        e._recompute(rnd.rules)
        return e

    # ------------------------------------------------------------------ computed

    def _recompute(self, rules: ScoringRules) -> Classification:
        own = classify(rules, {k: s.effective_self for k, s in self.scores.items()})
        self.self_total, self.self_level = own.total, own.level
        final = classify(rules, {k: s.effective_final for k, s in self.scores.items()})
        self.total, self.level, self.classification_reason = final.total, final.level, final.reason
        return final

    def _log(self, by: str, now: datetime, action: str, code: str = "", before: str = "",
             after: str = "", reason: str = "") -> None:
        self.history.append(ScoreChange(now, by, action, code, before, after, reason))

    def _move(self, to: EvaluationStatus, by: str, now: datetime, reason: str = "") -> None:
        self._log(by, now, "status", "", self.status.value, to.value, reason)
        self.status = to
        self.version += 1

    def _require(self, expected_version: int, *allowed: EvaluationStatus, doing: str) -> None:
        _check_version(self.version, expected_version)
        if self.status not in allowed:
            raise Conflict(f"Không thể {doing} khi đánh giá đang ở trạng thái "
                           f"'{self.status.label}'")

    # ------------------------------------------------------------------ suggestions

    @property
    def follows_evidence(self) -> bool:
        return self.status not in (EvaluationStatus.FINALIZED, EvaluationStatus.REVIEW_REQUESTED)

    def follow_evidence(self, rnd: Round, bundle: EvidenceBundle, now: datetime, cause: str = "") -> bool:
        """Keeps the evidence read and recomputes the suggestions from it (while the round is
        open and the result not final); True if a suggestion or its evidence changed. A changed
        score is kept in the history with its cause and basis."""
        if rnd.status is RoundStatus.CLOSED or not self.follows_evidence:
            return False
        self.indicator_inputs, self.task_inputs = list(bundle.indicators), list(bundle.tasks)
        return self.refresh_suggestions(rnd, suggest(rnd.rules, bundle, rnd.as_of), now, cause)

    def refresh_suggestions(self, rnd: Round, suggestions: dict[str, Suggestion], now: datetime,
                            cause: str = "") -> bool:
        """Takes new suggested scores while the round is open and the result not final;
        True if anything changed."""
        if rnd.status is RoundStatus.CLOSED or not self.follows_evidence:
            return False
        changed = False
        for code, s in suggestions.items():
            cur = self.scores.get(code)
            if cur is None:
                continue
            if (cur.suggested_score, cur.suggestion_basis, cur.evidence) == (s.score, s.basis, s.evidence):
                continue
            if cur.suggested_score != s.score:
                self._log("hệ thống", now, "suggest", code, _s(cur.suggested_score), _s(s.score),
                          f"{cause}: {s.basis}" if cause else s.basis)
            self.scores[code] = replace(cur, suggested_score=s.score, suggestion_basis=s.basis,
                                        evidence=s.evidence)
            changed = True
        if changed:
            self._recompute(rnd.rules)
            self.version += 1
        return changed

    # ------------------------------------------------------------------ self-evaluation

    def _validated(self, rules: ScoringRules, code: str, score: Decimal | None, comment: str,
                   path: str, *, reason_required: bool) -> Decimal | None:
        c = rules.criterion(code)
        if c is None:
            raise InvalidArgument.single(f"{path}.criterion_code",
                                         f"Bộ tiêu chí không có tiêu chí '{code}'")
        if score is not None and not ZERO <= score <= c.max_score:
            raise InvalidArgument.single(f"{path}.score",
                                         f"Điểm tiêu chí {code} phải từ 0 đến {c.max_score}")
        if reason_required and not comment.strip():
            raise InvalidArgument.single(f"{path}.comment",
                                         f"Phải nêu lý do khi thay đổi điểm tiêu chí {code}")
        return score

    def save_self_scores(
        self, rnd: Round, changes: list[tuple[str, Decimal | None, str, tuple[str, ...]]],
        summary: str | None, expected_version: int, by: str, now: datetime,
    ) -> None:
        """The unit's own scores: (criterion, score (None = take the suggestion), reason,
        evidence documents). A score different from the suggestion needs a reason."""
        self._require(expected_version, EvaluationStatus.DRAFT, EvaluationStatus.CHECKED,
                      doing="sửa điểm tự đánh giá")
        if rnd.status is RoundStatus.CLOSED:
            raise Conflict("Đợt đánh giá đã kết thúc")
        for i, (code, score, comment, docs) in enumerate(changes):
            cur = self.scores.get(code) or CriterionScore(code)
            differs = (score is not None and cur.suggested_score is not None
                       and score != cur.suggested_score)
            self._validated(rnd.rules, code, score, comment, f"scores[{i}]", reason_required=differs)
            if score != cur.self_score:
                self._log(by, now, "self_score", code, _s(cur.effective_self),
                          _s(score if score is not None else cur.suggested_score), comment)
            self.scores[code] = replace(cur, self_score=score, self_comment=comment.strip(),
                                        document_ids=tuple(docs) or cur.document_ids)
        if summary is not None:
            self.summary = summary.strip()
        self._recompute(rnd.rules)
        self.version += 1

    def check(self, expected_version: int, by: str, now: datetime) -> None:
        """The consolidating office sends the self-evaluation to its leader."""
        self._require(expected_version, EvaluationStatus.DRAFT, doing="trình lãnh đạo")
        self._move(EvaluationStatus.CHECKED, by, now)

    def return_to_draft(self, rnd: Round, reason: str, expected_version: int, by: str, now: datetime) -> None:
        self._require(expected_version, EvaluationStatus.CHECKED, doing="trả lại")
        if not reason.strip():
            raise InvalidArgument.single("reason", "Phải nêu lý do trả lại")
        self._move(EvaluationStatus.DRAFT, by, now, reason.strip())

    def submit(self, rnd: Round, expected_version: int, by: str, now: datetime) -> None:
        """The unit's leader sends the self-evaluation to the managing unit."""
        self._require(expected_version, EvaluationStatus.CHECKED, doing="gửi tự đánh giá")
        if rnd.status is RoundStatus.CLOSED:
            raise Conflict("Đợt đánh giá đã kết thúc")
        missing = [k for k, s in self.scores.items() if s.effective_self is None]
        if missing:
            raise InvalidArgument([FieldViolation(f"scores[{k}].score",
                                                  f"Chưa chấm tiêu chí {k}") for k in missing],
                                  "Chưa chấm đủ các tiêu chí")
        self._recompute(rnd.rules)
        self.submitted_by, self.submitted_at = by, now
        self._move(EvaluationStatus.SUBMITTED, by, now)
        self.record(SelfEvaluationSubmitted(self, rnd))

    # ------------------------------------------------------------------ evaluation

    def adjust(
        self, rnd: Round, changes: list[tuple[str, Decimal | None, str]], summary: str | None,
        expected_version: int, by: str, now: datetime,
    ) -> None:
        """The managing unit's scores; each change needs a reason. The self score stays."""
        self._require(expected_version, EvaluationStatus.SUBMITTED,
                      EvaluationStatus.REVIEW_REQUESTED, doing="chấm điểm đánh giá")
        for i, (code, score, comment) in enumerate(changes):
            cur = self.scores.get(code) or CriterionScore(code)
            self._validated(rnd.rules, code, score, comment, f"scores[{i}]",
                            reason_required=score != cur.score)
            if score != cur.score:
                self._log(by, now, "score", code, _s(cur.effective_final),
                          _s(score if score is not None else cur.effective_self), comment)
            self.scores[code] = replace(cur, score=score, comment=comment.strip())
        if summary is not None:
            self.summary = summary.strip()
        self._recompute(rnd.rules)
        self.version += 1

    def finalize(self, rnd: Round, expected_version: int, by: str, now: datetime) -> None:
        self._require(expected_version, EvaluationStatus.SUBMITTED, doing="chốt kết quả")
        result = self._recompute(rnd.rules)
        if result.level is None:
            raise Conflict(result.reason)
        self.finalized_by, self.finalized_at = by, now
        self._move(EvaluationStatus.FINALIZED, by, now, result.reason)
        self.record(EvaluationFinalized(self, rnd))

    def request_review(self, reason: str, review_days: int, expected_version: int, by: str,
                       now: datetime) -> None:
        self._require(expected_version, EvaluationStatus.FINALIZED, doing="đề nghị xem xét lại")
        if self.review_requested_at is not None:
            raise Conflict("Đơn vị chỉ được đề nghị xem xét lại một lần")
        assert self.finalized_at is not None
        if now > self.finalized_at + timedelta(days=review_days):
            raise Conflict(f"Đã quá {review_days} ngày kể từ khi có kết quả, không thể đề nghị "
                           "xem xét lại")
        if not reason.strip():
            raise InvalidArgument.single("reason", "Phải nêu lý do đề nghị xem xét lại")
        self.review_reason, self.review_requested_by, self.review_requested_at = (
            reason.strip(), by, now)
        self._move(EvaluationStatus.REVIEW_REQUESTED, by, now, reason.strip())
        self.record(ReviewRequested(self))

    def answer_review(self, rnd: Round, answer: str, expected_version: int, by: str,
                      now: datetime) -> None:
        self._require(expected_version, EvaluationStatus.REVIEW_REQUESTED,
                      doing="trả lời đề nghị xem xét lại")
        if not answer.strip():
            raise InvalidArgument.single("reason", "Phải nhập nội dung trả lời")
        result = self._recompute(rnd.rules)
        if result.level is None:
            raise Conflict(result.reason)
        self.review_answer, self.review_answered_by, self.review_answered_at = (
            answer.strip(), by, now)
        self.finalized_by, self.finalized_at = by, now
        self._move(EvaluationStatus.FINALIZED, by, now, answer.strip())
        self.record(ReviewAnswered(self))
        self.record(EvaluationFinalized(self, rnd))

    def reopen(self, reason: str, expected_version: int, by: str, now: datetime) -> None:
        """The managing unit reopens a final result to correct it (back to ``submitted``: it
        adjusts and finalizes again). A published edition keeps the old numbers."""
        self._require(expected_version, EvaluationStatus.FINALIZED, doing="mở lại kết quả")
        if not reason.strip():
            raise InvalidArgument.single("reason", "Phải nêu lý do mở lại kết quả đánh giá")
        self.finalized_by, self.finalized_at = "", None
        self._move(EvaluationStatus.SUBMITTED, by, now, reason.strip())
        self.record(EvaluationReopened(self, reason.strip()))


# ---------------------------------------------------------------------- events


@dataclass(frozen=True)
class RoundOpened(DomainEvent):
    round: Round


@dataclass(frozen=True)
class RoundClosed(DomainEvent):
    round: Round


@dataclass(frozen=True)
class SelfEvaluationSubmitted(DomainEvent):
    evaluation: Evaluation
    round: Round


@dataclass(frozen=True)
class EvaluationFinalized(DomainEvent):
    evaluation: Evaluation
    round: Round


@dataclass(frozen=True)
class EvaluationReopened(DomainEvent):
    evaluation: Evaluation
    reason: str


@dataclass(frozen=True)
class ReviewRequested(DomainEvent):
    evaluation: Evaluation


@dataclass(frozen=True)
class ReviewAnswered(DomainEvent):
    evaluation: Evaluation
