"""Published results (kết quả đánh giá đã công bố): a round's results frozen as an edition, in
the manner of the reporting service's published editions.

An **edition** is the evaluation report of a round (the agencies' round or the communes' round):
one row per unit with its score per criteria group, total, classification and rank. Only final
results are ranked; units without one (not yet finalized, or under review) are listed after,
without scores. An edition never changes: a result corrected later changes the live
evaluation, and publishing again makes the next revision; every revision stays readable.

Criteria groups: a criterion whose code extends another criterion's code with "." (``1.2``
under ``1``) is in that one's group; every other criterion is a group of its own. A group's
score is the sum of its criteria's final scores.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from ktxh_platform.domain import Aggregate, Conflict, DomainEvent

from ktxh_evaluation.domain.evaluations import (
    Evaluation,
    EvaluationStatus,
    Round,
    RoundKind,
    UnitRef,
)
from ktxh_evaluation.domain.scoring import ZERO, CompletionLevel, ScoringRules, rank, round_score


@dataclass(frozen=True)
class ResultGroup:
    code: str
    name: str
    max_score: Decimal
    criterion_codes: tuple[str, ...]


def criteria_groups(rules: ScoringRules) -> tuple[ResultGroup, ...]:
    codes = [c.code for c in rules.criteria]

    def head(code: str) -> str:
        heads = [other for other in codes if other != code and code.startswith(other + ".")]
        return min(heads, key=len) if heads else code

    out: list[ResultGroup] = []
    for c in rules.criteria:
        if head(c.code) != c.code:
            continue
        members = tuple(x.code for x in rules.criteria if head(x.code) == c.code)
        out.append(ResultGroup(c.code, c.name,
                               sum((x.max_score for x in rules.criteria if x.code in members), ZERO),
                               members))
    return tuple(out)


@dataclass(frozen=True)
class ResultRow:
    org_unit: UnitRef
    evaluation_id: str
    status: EvaluationStatus
    rank: int | None  # None: no final result
    group_scores: tuple[Decimal | None, ...]  # aligned with the edition's groups
    total: Decimal | None
    level: CompletionLevel | None
    classification_reason: str = ""


@dataclass
class ResultEdition(Aggregate):
    id: str
    round_id: str
    province_code: str
    revision: int
    round_name: str
    year: int
    round_kind: RoundKind
    criteria_set_code: str
    criteria_set_name: str
    max_total: Decimal
    groups: tuple[ResultGroup, ...]
    rows: tuple[ResultRow, ...]
    published_by: str
    published_at: datetime
    note: str = ""
    unit_count: int = 0  # rows in the edition (a reader may see fewer: its scope)

    @classmethod
    def publish(cls, rnd: Round, evaluations: list[Evaluation], revision: int, note: str,
                by: str, now: datetime) -> ResultEdition:
        final = [e for e in evaluations if e.status is EvaluationStatus.FINALIZED and e.level is not None]
        if not final:
            raise Conflict("Chưa có đơn vị nào có kết quả đánh giá cuối cùng để công bố")
        groups = criteria_groups(rnd.rules)

        def scores(e: Evaluation) -> tuple[Decimal | None, ...]:
            return tuple(round_score(sum((e.scores[c].effective_final or ZERO for c in g.criterion_codes
                                          if c in e.scores), ZERO)) for g in groups)

        by_id = {e.id: e for e in final}
        rows = [ResultRow(by_id[key].org_unit, key, EvaluationStatus.FINALIZED, pos, scores(by_id[key]),
                          by_id[key].total, by_id[key].level, by_id[key].classification_reason)
                for pos, key, _ in rank([(e.id, e.total) for e in sorted(final, key=lambda e: e.org_unit.code)])]
        rows += [ResultRow(e.org_unit, e.id, e.status, None, tuple(None for _ in groups), None, None)
                 for e in sorted(evaluations, key=lambda e: e.org_unit.code) if e.id not in by_id]
        edition = cls(
            id=str(uuid.uuid4()), round_id=rnd.id, province_code=rnd.province_code, revision=revision,
            round_name=rnd.name, year=rnd.year, round_kind=rnd.kind,
            criteria_set_code=rnd.rules.code, criteria_set_name=rnd.rules.name,
            max_total=rnd.rules.max_total, groups=groups, rows=tuple(rows), published_by=by,
            published_at=now, note=note.strip(), unit_count=len(rows), version=1,
        )
        edition.record(ResultsPublished(edition))
        return edition

    @property
    def count_by_level(self) -> dict[CompletionLevel, int]:
        counts = {lv: 0 for lv in CompletionLevel}
        for r in self.rows:
            if r.level is not None:
                counts[r.level] += 1
        return counts


@dataclass(frozen=True)
class ResultsPublished(DomainEvent):
    edition: ResultEdition
